"""The world the hostile-input suite plays in: one app, one database and the fake Slack for the whole
module, with a victim whose records must never change, a hostile user with real records of their own
(contacts, an interview, reminders, a cohort they mentor and one they are in), and what the app drew
so far (button values, modals, their private_metadata) to forge from.

`World.exchange` sends one request and checks everything it caused (see `test_hostile.py`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from helpers import T0, RunningApp, contact_form, paris, sweeper
from hostile import BLOCK_KIT_ERRORS, INJECTED, ack_problems, injections
from slackwire import TEAM, Reply
from sqlalchemy import select, text

from bot.fakeslack import FakeSlack
from storage.db import Database
from storage.models import (
    Base,
    Cohort,
    CohortMember,
    CohortMentor,
    CohortNote,
    CohortNudge,
    CohortShare,
    CohortView,
    Contact,
    Interview,
    Note,
    Nudge,
    OutreachAttempt,
    User,
)

HOSTILE = "U0ATTACK"
VICTIM = "U0VICTIM"
MENTOR = "U0MENTOR"
PUPIL = "U0PUPIL"
ATTACK = "C0ATTACK"  # the hostile user mentors this cohort; PUPIL is in it
CLASS = "C0CLASS"  # MENTOR's cohort; the hostile user is a student in it
VICTIMS = "C0VICTIM"  # the victim's cohort (the hostile user is a member of the channel, not the cohort)
PARIS = "Europe/Paris"


def empty(db: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


class Failures(logging.Handler):
    """Every log record at ERROR or above (a listener that failed logs its traceback there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Drawn:
    """What the app drew so far, to forge from."""

    values: dict[str, set[str]] = field(default_factory=dict)  # action_id -> values and option values
    kinds: dict[str, str] = field(default_factory=dict)  # action_id -> element type
    block_ids: dict[str, set[str]] = field(default_factory=dict)  # action_id -> block ids
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # callback_id -> latest view
    metadata: dict[str, set[str]] = field(default_factory=dict)  # callback_id -> private_metadata
    parts: set[str] = field(default_factory=set)  # the ":"-separated parts of every value
    messages: set[tuple[str, str]] = field(default_factory=set)  # (channel, ts) of the hostile user's DMs
    victims: set[tuple[str, str]] = field(default_factory=set)  # (channel, ts) of the victim's DMs

    def take(self, payload: Any, block_id: str = "") -> None:
        if isinstance(payload, list):
            for item in payload:
                self.take(item, block_id)
            return
        if not isinstance(payload, dict):
            return
        block_id = payload.get("block_id", block_id) if isinstance(payload.get("block_id"), str) else block_id
        callback = payload.get("callback_id")
        if isinstance(callback, str) and isinstance(payload.get("blocks"), list):
            self.views[callback] = payload
            self.metadata.setdefault(callback, set()).add(str(payload.get("private_metadata") or ""))
        action_id = payload.get("action_id")
        if isinstance(action_id, str) and isinstance(payload.get("type"), str):
            self.kinds.setdefault(action_id, payload["type"])
            found = [payload.get("value")] + [
                o.get("value") for o in payload.get("options") or [] if isinstance(o, dict)
            ]
            for value in found:
                if isinstance(value, str) and len(value) < 300:
                    self.values.setdefault(action_id, set()).add(value)
                    self.parts.update(p for p in value.split(":") if len(p) < 40)
            if block_id:
                self.block_ids.setdefault(action_id, set()).add(block_id)
        for value in payload.values():
            if isinstance(value, dict | list):
                self.take(value, block_id)


@dataclass
class Outcome:
    reply: Reply
    body: Any
    calls: list[Any]


class World:
    def __init__(self, app: RunningApp, slack: FakeSlack) -> None:
        self.app, self.slack = app, slack
        self.drawn = Drawn()
        self.failures = Failures()
        self._seen = 0
        self.victim_before: dict[str, list[tuple[Any, ...]]] = {}
        self.examples = 0

    # Requests ------------------------------------------------------------------------------------------

    def exchange(
        self, send: Callable[[], Reply], *, pattern: re.Pattern[str] = INJECTED, context: str = ""
    ) -> Outcome:
        """Send one request; check the properties on all it caused; learn what the app drew."""
        self.examples += 1
        before = len(self.slack.calls)
        self.failures.records.clear()
        reply = send()
        self.app.settle()
        self.slack.wait_idle()
        calls = self.slack.calls[before:]
        try:
            body = reply.json()
        except ValueError:
            body = reply.body.decode("utf-8", "replace")
        where = f"{context}\nreply {reply.status}: {reply.body[:600]!r}"
        # Answered, never a 500 (or a 404 from a listener failing after its ack).
        assert reply.status == 200, where
        # No breach of Block Kit's limits, in the acknowledgement or in any call to Slack.
        problems = ack_problems(body)
        for call in calls:
            response = call.response if isinstance(call.response, dict) else {}
            if response.get("ok") is False and response.get("error") in BLOCK_KIT_ERRORS:
                problems.append(f"{call.method} answered {response}")
        assert not problems, f"{where}\n" + "\n".join(problems[:10])
        # No control sequence from the hostile input reaches Slack unescaped.
        found = injections(body, pattern)
        for call in calls:
            found += [f"{call.method} {f}" for f in injections(call.args, pattern)]
        assert not found, f"{where}\n" + "\n".join(found[:10])
        # Never a traceback: no listener failed.
        failed = [f"{r.name}: {r.getMessage()[:300]}" for r in self.failures.records]
        assert not failed, f"{where}\n" + "\n".join(failed)
        # The victim's records are as they were.
        assert self.victim_rows() == self.victim_before, where
        self.learn(body, calls)
        return Outcome(reply, body, calls)

    def learn(self, body: Any, calls: list[Any]) -> None:
        self.drawn.take(body)
        for call in calls:
            self.drawn.take(call.args)
            response = call.response if isinstance(call.response, dict) else {}
            if isinstance(response.get("view"), dict):
                self.drawn.take(response["view"])
            if call.method != "chat.postMessage" or not response.get("ok"):
                continue
            where = (str(response["channel"]), str(response["ts"]))
            if call.args.get("channel") in (HOSTILE, self.dm_channel(HOSTILE)):
                self.drawn.messages.add(where)
            if call.args.get("channel") in (VICTIM, self.dm_channel(VICTIM)):
                self.drawn.victims.add(where)

    def command(self, text: str, channel: str = ATTACK, user: str = HOSTILE) -> Reply:
        return self.app.sender.command(text, user=user, channel_id=channel)

    def submit(
        self, callback_id: str, state: dict[str, Any], metadata: str = "", user: str = HOSTILE
    ) -> Reply:
        return self.app.sender.submit(callback_id, state, user=user, private_metadata=metadata)

    # The victim ----------------------------------------------------------------------------------------

    def victim_rows(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row that is the victim's: their user, contacts and all under them, reminders, cohort,
        memberships, notes, nudges, shares and looks."""
        with self.app.services.db.session() as session:
            me = session.scalar(select(User.id).where(User.team_id == TEAM, User.slack_user_id == VICTIM))
            contacts = select(Contact.id).where(Contact.owner_id == me)
            mentored = select(CohortMentor.cohort_id).where(CohortMentor.user_id == me)
            wheres: dict[type, Any] = {
                User: User.id == me,
                Contact: Contact.owner_id == me,
                Interview: Interview.contact_id.in_(contacts),
                OutreachAttempt: OutreachAttempt.contact_id.in_(contacts),
                Note: Note.contact_id.in_(contacts),
                Nudge: Nudge.user_id == me,
                Cohort: Cohort.id.in_(mentored),
                CohortMentor: CohortMentor.cohort_id.in_(mentored),
                CohortMember: CohortMember.user_id == me,
                CohortNote: (CohortNote.student_id == me) | (CohortNote.author_id == me),
                CohortNudge: (CohortNudge.student_id == me) | (CohortNudge.mentor_id == me),
                CohortShare: CohortShare.user_id == me,
                CohortView: (CohortView.viewer_id == me) | (CohortView.student_id == me),
            }
            found: dict[str, list[tuple[Any, ...]]] = {}
            for model, where in wheres.items():
                table = model.__table__
                rows = session.execute(select(table).where(where).order_by(table.c.id)).all()
                found[table.name] = [tuple(row) for row in rows]
            return found

    def dm_channel(self, user: str) -> str | None:
        with self.app.services.db.session() as session:
            return session.scalar(
                select(User.dm_channel).where(User.team_id == TEAM, User.slack_user_id == user)
            )

    # Seeding -------------------------------------------------------------------------------------------

    def seed(self) -> None:
        """Real records for everyone, made through the app as Slack would drive it."""
        slack, clock = self.slack, self.app.clock
        for user in (HOSTILE, VICTIM, MENTOR, PUPIL):
            slack.set_user(user, tz=PARIS)
        slack.add_channel(ATTACK, "attack", (HOSTILE, PUPIL))
        slack.add_channel(CLASS, "class", (MENTOR, HOSTILE))
        slack.add_channel(VICTIMS, "victims", (VICTIM, HOSTILE))
        clock.set(T0)
        soon = int((T0 + timedelta(days=2)).timestamp())
        for user, name, standing in (
            (VICTIM, "Vera Victim", "request_sent"),
            (VICTIM, "Val Victim", "interview_scheduled"),
            (HOSTILE, "Ada Lovelace", "target"),
            (HOSTILE, "Bob Byte", "request_sent"),
            (HOSTILE, "Cy Coder", "interview_scheduled"),
        ):
            form = contact_form(name=name, company="Acme", standing=standing, interview_at=soon)
            self._ok(lambda u=user, f=form: self.submit("log_contact", f, user=u))  # type: ignore[misc]
        for user, channel, name in (
            (VICTIM, VICTIMS, "Victims"),
            (HOSTILE, ATTACK, "Attack"),
            (MENTOR, CLASS, "Class"),
        ):
            self._ok(lambda u=user, c=channel, n=name: self.command(f"cohort create {n}", c, u))  # type: ignore[misc]
        for user, channel in ((PUPIL, ATTACK), (HOSTILE, CLASS)):
            self._ok(lambda u=user, c=channel: self.command("cohort join", c, u))  # type: ignore[misc]
            view = self.drawn.views["cohort_join"]
            state = {
                "sharing": {"sharing": {"type": "radio_buttons", "selected_option": {"value": "stages"}}},
                "celebrate": {"celebrate": {"type": "checkboxes", "selected_options": []}},
            }
            self._ok(lambda u=user, v=view, s=state: self.submit("cohort_join", s, v["private_metadata"], u))  # type: ignore[misc]
        # A week on: follow-ups, the interviews to write up, the Monday plan.
        when = paris(9, 11)
        clock.set(when)
        sweeper(self.app).run(when)
        self.app.settle()
        self.learn(None, self.slack.calls)
        # The hostile user's surfaces, so their buttons and modals can be forged from.
        for typed, channel in (
            ("list", ATTACK),
            ("find a", ATTACK),
            ("help", ATTACK),
            ("cohort report", ATTACK),
            ("cohort me", CLASS),
            ("log", ATTACK),
            ("settings", ATTACK),
            ("goal", ATTACK),
            ("schedule", ATTACK),
            ("questions", ATTACK),
            ("cohort settings", ATTACK),
            ("cohort share", CLASS),
            ("cohort mentor", ATTACK),
        ):
            self._ok(lambda t=typed, c=channel: self.command(t, c))  # type: ignore[misc]
        self._ok(lambda: self.app.sender.event({"type": "app_home_opened", "user": HOSTILE, "tab": "home"}))
        self.open_modals()
        self.victim_before = self.victim_rows()

    OPENERS = (
        "schedule_interview",
        "contact_draft",
        "prepare_questions",
        "interview_reschedule",
        "nudge_draft",
        "nudge_notes",
        "nudge_referrals",
        "nudge_reschedule",
        "nudge_schedule",
        "plan_pick_targets",
        "cohort_note",
        "cohort_placed",
        "cohort_sharing",
        "cohort_student",
        "open_log_modal",
        "open_settings",
    )

    def open_modals(self) -> None:
        """Click, once, each of the hostile user's buttons that opens a modal; and the ⋯ menu's
        edit and remove, so every modal has been drawn once."""
        for action_id in self.OPENERS:
            for value in sorted(self.drawn.values.get(action_id, ()))[:1]:
                self._ok(lambda a=action_id, v=value: self.app.sender.click(a, v, user=HOSTILE))  # type: ignore[misc]
        for value in sorted(self.drawn.values.get("contact_more", ())):
            if value.endswith((":edit", ":remove")):
                self._ok(lambda v=value: self.app.sender.choose("contact_more", v, user=HOSTILE))  # type: ignore[misc]

    def _ok(self, send: Callable[[], Reply]) -> None:
        before = len(self.slack.calls)
        reply = send()
        self.app.settle()
        assert reply.status == 200, reply.body
        try:
            body = reply.json()
        except ValueError:
            body = None
        self.learn(body, self.slack.calls[before:])

    # Forging -------------------------------------------------------------------------------------------

    def values(self, action_id: str) -> list[str]:
        return sorted(self.drawn.values.get(action_id, ()))

    def all_values(self) -> list[str]:
        return sorted({v for vs in self.drawn.values.values() for v in vs})

    def parts(self) -> list[str]:
        return sorted(self.drawn.parts)

    def ids(self) -> list[int]:
        return sorted({int(p) for p in self.drawn.parts if p.isascii() and p.isdigit() and len(p) < 19})

    def metadata_of(self, callback_id: str) -> list[str]:
        return sorted(self.drawn.metadata.get(callback_id, ()))

    def view(self, callback_id: str) -> dict[str, Any] | None:
        return self.drawn.views.get(callback_id)

    def modal_views(self) -> list[dict[str, Any]]:
        return [v for v in self.drawn.views.values() if v.get("type") == "modal"]
