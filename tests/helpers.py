"""Helpers the tests share: the app under test and its clock, waiting for what a request causes,
reading Block Kit and the database, and building what a user submits. Sending and signing are in
`slackwire`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slackwire import SIGNING_SECRET, Reply, SlackSender, Transport
from sqlalchemy import Select, func, select

from bot import listeners
from bot.app import make_client
from bot.config import Config
from bot.fakeslack import Call, FakeSlack
from bot.services import Services
from bot.sweep import Sweeper

BOT_TOKEN = "xoxb-test-token"
STUDENT = "U0STUDENT"
PARIS = "Europe/Paris"
#: Monday 2 March 2026, 10:00 in Paris (09:00 UTC).
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# Time ---------------------------------------------------------------------------------------------------


def paris(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A 2026 instant given in Paris time (March: UTC+1 until the 29th), in UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo(PARIS)).astimezone(UTC)


class Clock:
    """A clock the tests can set and move; defaults to the real time."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or datetime.now(UTC)

    def set(self, when: datetime) -> None:
        self.fixed = when


class ListenerPool(listeners.ListenerPool):
    """The app's listener pool (`bot.listeners`), whose ``wait_idle`` fails the test when listeners
    are still running after ``timeout``."""

    def wait_idle(self, timeout: float = 10.0) -> bool:
        if not super().wait_idle(timeout):
            raise AssertionError(f"{self.busy} listener(s) still running after {timeout} s")
        return True


# The app under test ------------------------------------------------------------------------------------


@dataclass
class RunningApp:
    """The Bolt app wired to a database and the fake Slack, reached through ``sender``: in process
    by default, or behind waitress on 127.0.0.1 for tests marked ``over_http``."""

    transport: Transport
    services: Services
    sender: SlackSender
    clock: Clock
    config: Config
    listeners: ListenerPool
    served_url: str | None = None
    slack: FakeSlack | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` of the served app (tests marked ``over_http`` only)."""
        if self.served_url is None:
            raise RuntimeError("this app is dispatched in process: mark the test over_http for a URL")
        return self.served_url

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the listeners that requests so far started have all finished."""
        self.listeners.wait_idle(timeout)

    def answer(self, text: str, user: str = STUDENT, **extra: str) -> dict[str, Any]:
        """Type ``/infoint text``: the command is acknowledged at once with nothing, and its answer
        arrives through its response_url; wait for it and return it (what was posted there)."""
        if self.slack is None:
            raise RuntimeError("this app has no fake Slack to read answers from")
        answers = f"response_url:cmd-{user}"
        before = len(self.slack.calls_to(answers))
        reply = self.sender.command(text, user=user, **extra)
        assert reply.status == 200 and reply.body == b"", (reply.status, reply.body)
        self.settle()
        return self.slack.wait_for(answers, before + 1)[-1].args


def make_config(slack: FakeSlack, database_url: str) -> Config:
    return Config(
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        app_token=None,
        database_url=database_url,
        slack_api_url=slack.api_url,
        port=0,
        sweep_seconds=60,
    )


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without the variables infoint reads, plus ``extra``: for running the ``infoint``
    command as a subprocess."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "INFOINT_")) and name not in ("DATABASE_URL", "PORT")
    }
    env.update(extra)
    return env


def sweeper(app: RunningApp) -> Sweeper:
    """The scheduler's sweep over the app's database, sending through the fake Slack (no blind resend
    after a lost answer, as in production)."""
    return Sweeper(app.services.db, make_client(app.config, retry_connection_errors=False))


# What a request causes ------------------------------------------------------------------------------------


def log_contact(app: RunningApp, slack: FakeSlack, user: str = STUDENT, **fields: Any) -> dict[str, Any]:
    """Submit the 'log a contact' modal and wait for all it causes (the DM, the timezone, the App
    Home); return the DM that confirms it, with its ``channel`` and ``ts``."""
    before = len(slack.calls_to("chat.postMessage"))
    reply = app.sender.submit("log_contact", contact_form(**fields), user=user)
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    app.settle()
    post = slack.wait_for("chat.postMessage", before + 1)[-1]
    assert post.response["ok"], post.response
    return {**post.args, "channel": post.response["channel"], "ts": post.response["ts"]}


def opened_view(app: RunningApp, slack: FakeSlack, send: Callable[[], Reply]) -> dict[str, Any]:
    """Send a request that opens a modal (a click, a command); return the view it opened."""
    before = len(slack.calls_to("views.open"))
    reply = send()
    assert reply.status == 200, reply.body
    app.settle()
    return slack.wait_for("views.open", before + 1)[-1].args["view"]


def submit_modal(
    app: RunningApp, callback_id: str, state: dict[str, Any], view: dict[str, Any], **kwargs: Any
) -> Reply:
    """Submit ``view`` (its private_metadata) with ``state``; wait for what the submission causes."""
    reply = app.sender.submit(callback_id, state, private_metadata=view["private_metadata"], **kwargs)
    app.settle()
    return reply


def nudge_dms(slack: FakeSlack) -> list[Call]:
    """The sweep's DMs that Slack accepted, in order."""
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if (c.args.get("metadata") or {}).get("event_type") == "infoint_nudges"
        and (c.response or {}).get("ok")
    ]


# Reading Block Kit and the database ------------------------------------------------------------------------


def texts(payload: Any) -> str:
    """Every string inside a payload, joined: what Slack would show or parse."""
    if isinstance(payload, dict):
        return " ".join(texts(v) for v in payload.values())
    if isinstance(payload, list):
        return " ".join(texts(v) for v in payload)
    return payload if isinstance(payload, str) else ""


def elements(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The interactive elements of a message's (or view's) actions blocks, by action_id."""
    found: dict[str, dict[str, Any]] = {}
    for block in message.get("blocks", []):
        if block["type"] == "actions":
            for element in block["elements"]:
                found.setdefault(element["action_id"], element)
    return found


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """action_id -> value of a message's buttons (and other elements of its actions blocks)."""
    return {action_id: e.get("value", "") for action_id, e in elements(message).items()}


def rows(app: RunningApp, model: type, **where: Any) -> list[Any]:
    with app.services.db.session() as session:
        statement: Select[Any] = select(model)
        for key, value in where.items():
            statement = statement.where(getattr(model, key) == value)
        return list(session.scalars(statement))


def count(app: RunningApp, model: type) -> int:
    with app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# What a user submits ----------------------------------------------------------------------------------------


def text_value(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def choice(value: str | None, kind: str = "static_select") -> dict[str, Any]:
    return {"type": kind, "selected_option": None if value is None else {"value": value}}


def contact_form(**fields: Any) -> dict[str, dict[str, Any]]:
    """A 'log a contact' submission: plain fields by name; degree/standing/source/request_channel choices."""
    state: dict[str, dict[str, Any]] = {}
    for name in (
        "name",
        "company",
        "role",
        "industry",
        "location",
        "introducer",
        "email",
        "linkedin_url",
        "phone",
        "learning_goal",
    ):
        state[name] = {name: text_value(fields.get(name))}
    state["degree"] = {"degree": choice(fields.get("degree", "first"), "radio_buttons")}
    state["standing"] = {"standing": choice(fields.get("standing", "target"), "radio_buttons")}
    state["source"] = {"source": choice(fields.get("source"))}
    state["request_channel"] = {"request_channel": choice(fields.get("request_channel"))}
    state["interview_at"] = {
        "interview_at": {"type": "datetimepicker", "selected_date_time": fields.get("interview_at")}
    }
    return state


def interview_form(
    when: datetime | int,
    duration: str | None = "20",
    fmt: str | None = "video",
    place: str | None = "",
    contact: str | None = None,
) -> dict[str, dict[str, Any]]:
    """A scheduling form's state (schedule, reschedule): a field given as None is left out."""
    starts = when if isinstance(when, int) else int(when.timestamp())
    values: dict[str, Any] = {
        "starts_at": {"starts_at": {"type": "datetimepicker", "selected_date_time": starts}}
    }
    if duration is not None:
        values["duration"] = {"duration": choice(duration)}
    if fmt is not None:
        values["format"] = {"format": choice(fmt)}
    if place is not None:
        values["place"] = {"place": text_value(place)}
    if contact is not None:
        values["contact"] = {"contact": choice(contact)}
    return values
