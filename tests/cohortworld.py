"""A cohort's world for the end-to-end tests: a channel in the fake Slack with the app in it, a mentor
in Berlin, students; the `/infoint cohort …` commands, clicks and modals sent as signed requests;
seeding history fast through the storage layer; the weekly digest's pass."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from helpers import STUDENT, RunningApp, submit_modal
from slackwire import TEAM, Reply

from bot.app import make_client
from bot.digests import DigestReport, send_due_digests
from bot.domain import pipeline as core
from bot.fakeslack import Call, FakeSlack
from storage.cohorts import CohortStore
from storage.models import Cohort
from storage.repository import Repository

CHANNEL = "C0COHORT"
MENTOR = "U0MENTOR"
OTHER = "U0OTHER"
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def radio(value: str) -> dict[str, Any]:
    return {"type": "radio_buttons", "selected_option": {"value": value}}


def boxes(*values: str) -> dict[str, Any]:
    return {"type": "checkboxes", "selected_options": [{"value": v} for v in values]}


class CohortWorld:
    def __init__(self, app: RunningApp, slack: FakeSlack, mentor_tz: str = BERLIN) -> None:
        self.app, self.slack = app, slack
        slack.add_channel(CHANNEL, "job-search", (MENTOR, STUDENT, OTHER))
        slack.set_user(MENTOR, tz=mentor_tz)
        slack.set_user(STUDENT, tz="Europe/Paris")
        slack.set_user(OTHER, tz="Europe/Paris")

    @property
    def now(self) -> datetime:
        return self.app.clock()

    def at(self, when: datetime) -> None:
        self.app.clock.set(when)

    # Requests --------------------------------------------------------------------------------------

    def command(self, text: str, user: str = MENTOR, channel: str = CHANNEL, team: str = TEAM) -> Reply:
        reply = self.app.sender.command(f"cohort {text}".strip(), user=user, team=team, channel_id=channel)
        assert reply.status == 200, reply.body
        self.app.settle()
        return reply

    def answer(
        self, text: str, user: str = MENTOR, channel: str = CHANNEL, team: str = TEAM
    ) -> dict[str, Any]:
        """The command's answer (what only the user sees), posted to its response_url after an empty
        acknowledgement."""
        return self.app.answer(f"cohort {text}".strip(), user=user, team=team, channel_id=channel)

    def click(self, action_id: str, value: str, user: str = MENTOR, *, in_message: bool = True) -> Reply:
        reply = self.app.sender.click(
            action_id,
            value,
            user=user,
            channel=CHANNEL if in_message else None,
            message_ts="1700000000.000100" if in_message else None,
            ephemeral=in_message,
        )
        assert reply.status == 200, reply.body
        self.app.settle()
        return reply

    def responded(self, user: str = MENTOR, kind: str = "act") -> list[Call]:
        """What went back through a click's (``act``) or a command's (``cmd``) response_url."""
        return self.slack.calls_to(f"response_url:{kind}-{user}")

    def last_view(self) -> dict[str, Any]:
        return self.slack.calls_to("views.open")[-1].args["view"]

    def submit(self, callback_id: str, state: dict[str, Any], view: dict[str, Any], user: str) -> Reply:
        return submit_modal(self.app, callback_id, state, view, user=user)

    # Cohorts ---------------------------------------------------------------------------------------

    def create(self, name: str = "Spring cohort", user: str = MENTOR) -> int:
        body = self.answer(f"create {name}", user)
        assert "is now the cohort" in body["text"], body
        return self.cohort_id()

    def cohort_id(self, channel: str = CHANNEL, team: str = TEAM) -> int:
        with self.app.services.db.session() as session:
            cohort = CohortStore(session, team).by_channel(channel)
            assert cohort is not None
            return cohort.id

    def cohort(self) -> Cohort:
        with self.app.services.db.session() as session:
            found = CohortStore(session, TEAM).by_channel(CHANNEL)
            assert found is not None
            return found

    def join(self, user: str = STUDENT, sharing: str = "counts", celebrate: bool = False) -> dict[str, Any]:
        """Join with the command: the consent modal opens first; then it is submitted. Returns the
        consent modal as shown."""
        before = len(self.slack.calls_to("views.open"))
        reply = self.command("join", user)
        assert reply.body in (b"", b"{}"), reply.body
        view = self.slack.wait_for("views.open", before + 1)[-1].args["view"]
        state = {
            "sharing": {"sharing": radio(sharing)},
            "celebrate": {"celebrate": boxes(*(["yes"] if celebrate else []))},
        }
        answer = self.submit("cohort_join", state, view, user)
        assert answer.status == 200 and answer.body in (b"", b"{}"), answer.body
        return view

    def student_contacts(
        self, user: str, count: int, stage: core.Stage = core.Stage.REQUESTED, sent: datetime | None = None
    ) -> list[int]:
        """``count`` contacts of the student's, each with a request sent at ``sent`` (default now)."""
        when = sent or self.now
        ids = []
        with self.app.services.db.session() as session:
            repo = Repository(session, TEAM)
            owner = repo.get_or_create_user(user, when)
            for n in range(count):
                contact = repo.add_contact(
                    owner,
                    {"name": f"Secret Person {n}", "company": "Hidden Corp", "degree": "first"},
                    stage,
                    when,
                )
                if stage is not core.Stage.TARGET:
                    repo.add_attempt(contact, core.OutreachChannel.EMAIL, when)
                ids.append(contact.id)
        return ids

    # The digest ---------------------------------------------------------------------------------------

    def digest(self, when: datetime) -> DigestReport:
        self.at(when)
        return send_due_digests(
            self.app.services.db, make_client(self.app.config, retry_connection_errors=False), when
        )

    def digests_posted(self) -> list[Call]:
        return [
            c
            for c in self.slack.calls_to("chat.postMessage")
            if (c.args.get("metadata") or {}).get("event_type") == "infoint_digest"
            and (c.response or {}).get("ok")
        ]


def week(n: int) -> timedelta:
    return timedelta(weeks=n)
