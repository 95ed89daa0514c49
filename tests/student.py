"""A student driving the app the way Slack's client would: the App Home's buttons, the log form as it
changes (radio choices and Add details send ``block_actions`` from inside the modal, the app answers
with ``views.update``), clicks on rows of the Home, the list, the plan and cards, and the sweep on a
clock the test moves. Shared by the end-to-end tests of the student's surfaces."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from helpers import PARIS, STUDENT, RunningApp, nudge_dms, sweeper, texts
from slackwire import Reply

from bot.fakeslack import Call, FakeSlack, validate_view
from bot.sweep import Sweeper

DETAILS = ("industry", "location", "source", "email", "linkedin_url", "phone", "learning_goal")


def entry(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """One input's state as Slack sends it, for ``value`` (None: left empty)."""
    kind = element["type"]
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": None if value is None else {"value": value}}
    if kind == "datetimepicker":
        return {"type": kind, "selected_date_time": value}
    if kind == "multi_static_select":
        return {"type": kind, "selected_options": [{"value": v} for v in value or []]}
    return {"type": kind, "value": value}


def state_for(view: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A modal's state: the inputs it shows, filled from ``fields`` (by block id), else with what the
    form showed in them (its initial values)."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] == "input":
            element = block["element"]
            value = fields.get(block["block_id"])
            if value is None:
                value = (element.get("initial_option") or {}).get("value") or element.get("initial_value")
            state[block["block_id"]] = {element["action_id"]: entry(element, value)}
    return state


def actions_blocks(payload: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for block in payload.get("blocks", []):
        if block["type"] == "actions":
            yield block
        elif block["type"] == "section" and block.get("accessory"):
            yield {"block_id": block.get("block_id", ""), "elements": [block["accessory"]]}


def find_element(payload: dict[str, Any], prefix: str, action_id: str) -> tuple[str, dict[str, Any]]:
    """(block_id, element) of ``action_id`` in the actions block whose id starts with ``prefix``."""
    for block in actions_blocks(payload):
        if block["block_id"].startswith(prefix):
            for element in block["elements"]:
                if element["action_id"] == action_id:
                    return block["block_id"], element
    raise AssertionError(f"no {action_id} under {prefix} in {texts(payload)[:400]}")


class Student:
    def __init__(self, app: RunningApp, slack: FakeSlack, user: str = STUDENT) -> None:
        self.app, self.slack, self.user = app, slack, user
        slack.set_user(user, tz=PARIS)
        self.sweeper: Sweeper = sweeper(app)

    # Time and the sweep ---------------------------------------------------------------------------

    def at(self, when: datetime) -> None:
        self.app.clock.set(when)

    def sweep(self, when: datetime) -> list[Call]:
        """Run the sweep at ``when``; the DMs it sent."""
        self.at(when)
        before = len(nudge_dms(self.slack))
        self.sweeper.run(when)
        return nudge_dms(self.slack)[before:]

    # The App Home ----------------------------------------------------------------------------------

    def open_home(self) -> dict[str, Any]:
        before = len(self.slack.calls_to("views.publish"))
        reply = self.app.sender.event({"type": "app_home_opened", "user": self.user, "tab": "home"})
        assert reply.status == 200
        self.app.settle()
        self.slack.wait_for("views.publish", before + 1)
        return self.home()

    def home(self) -> dict[str, Any]:
        """The App Home as Slack stores it (id, hash, blocks)."""
        view = self.slack.home_view(self.user)
        assert view is not None and not validate_view(view)
        return view

    # Clicks ----------------------------------------------------------------------------------------

    def click(
        self,
        where: dict[str, Any],
        prefix: str,
        action_id: str,
        choice: str | None = None,
        *,
        view: dict[str, Any] | None = None,
        ephemeral: bool = False,
    ) -> Reply:
        """Use ``action_id`` under the block ``prefix`` of a message (``where``: its args with channel
        and ts), or of ``view`` (the App Home or a modal); ``choice``: the end of a menu option's value."""
        block_id, element = find_element(view or where, prefix, action_id)
        place: dict[str, Any] = {"block_id": block_id, "view": view}
        if view is None:
            place |= {"channel": where.get("channel"), "message_ts": where.get("ts"), "ephemeral": ephemeral}
        if element["type"] == "button":
            reply = self.app.sender.click(action_id, element.get("value"), user=self.user, **place)
        else:
            option = next(o for o in element["options"] if o["value"].endswith(f":{choice}"))
            reply = self.app.sender.choose(
                action_id, option["value"], user=self.user, kind=element["type"], **place
            )
        assert reply.status == 200, reply.body
        self.app.settle()
        return reply

    def opened(self, count_before: int) -> dict[str, Any]:
        """The modal a click just opened (or pushed), as Slack stores it."""
        opened = [c for c in self.slack.calls if c.method in ("views.open", "views.push")]
        assert len(opened) > count_before, self.slack.describe_calls()
        view = self.slack.view(opened[-1].response["view"]["id"])
        assert view is not None
        return view

    def modals_opened(self) -> int:
        return len([c for c in self.slack.calls if c.method in ("views.open", "views.push")])

    # The log form ----------------------------------------------------------------------------------

    def in_form(
        self, view: dict[str, Any], block_id: str, value: str | None, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Choose ``value`` in the radio buttons ``block_id`` (or press the button there): the app
        updates the form with the view's hash. Returns the form as it now stands."""
        current = {**view, "state": {"values": state_for(view, fields)}}
        block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
        element = block["element"] if block["type"] == "input" else block["elements"][0]
        before = len(self.slack.calls_to("views.update"))
        if value is None:
            self.app.sender.click(element["action_id"], None, user=self.user, block_id=block_id, view=current)
        else:
            self.app.sender.choose(
                element["action_id"],
                value,
                user=self.user,
                kind=element["type"],
                block_id=block_id,
                view=current,
            )
        self.app.settle()
        update = self.slack.wait_for("views.update", before + 1)[-1]
        assert update.response["ok"], update.response
        assert update.args["hash"] == view["hash"]
        updated = self.slack.view(view["id"])
        assert updated is not None and not validate_view(updated)
        return updated

    def fill_and_save(self, view: dict[str, Any], callback_id: str = "log_contact", **fields: Any) -> Reply:
        """Fill the form as a person would (choices first, the details when needed), then Save."""
        for radio, default in (("degree", "first"), ("standing", "target")):
            if fields.get(radio, default) != default:
                view = self.in_form(view, radio, fields[radio], fields)
        if any(f in fields for f in DETAILS) and any(b.get("block_id") == "log_more" for b in view["blocks"]):
            view = self.in_form(view, "log_more", None, fields)
        state = state_for(view, fields)
        reply = self.app.sender.submit(
            callback_id, state, user=self.user, private_metadata=view["private_metadata"]
        )
        self.app.settle()
        return reply

    def log_from_home(self, **fields: Any) -> Reply:
        home = self.home()
        before = self.modals_opened()
        self.click({}, "home_actions", "open_log_modal", view=home)
        return self.fill_and_save(self.opened(before), **fields)

    def log_by_command(self, **fields: Any) -> Reply:
        before = self.modals_opened()
        assert self.app.sender.command("log", user=self.user).status == 200
        self.app.settle()
        return self.fill_and_save(self.opened(before), **fields)

    def answers(self) -> list[Call]:
        """What the app posted to this student's response_urls (ephemeral answers, in place)."""
        return [
            c
            for c in self.slack.calls
            if c.method.startswith("response_url:") and c.method.endswith(self.user)
        ]

    def posts(self) -> list[Call]:
        return [c for c in self.slack.calls_to("chat.postMessage") if c.response and c.response.get("ok")]
