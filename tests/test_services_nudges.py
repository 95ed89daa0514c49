"""The nudge buttons at the service tier: what each click does to the records and the events it reports.

A real database; reminders logged and delivered by the sweep to a stand-in client (no HTTP); every
call made on the services directly, as a listener would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain import pipeline as core
from bot.domain.forms import ContactInput, InterviewInput, Standing
from bot.domain.nudges import NudgeKind
from bot.queries.models import ContactNews, NudgeDraft, WrapUp
from bot.queries.nudges import RESOLUTIONS
from bot.services import ActionRefused, Services
from bot.services.events import ContactCardOffered, InterviewBooked, NudgeDmChanged, Result
from bot.services.nudge_actions import NotesInput, Referral
from bot.sweep import Sweeper
from storage.db import Database
from storage.models import Contact, Interview, Note, Nudge, OutreachAttempt

TEAM, STUDENT = "T1", "U0STUDENT"
DM = "D0STUDENT"
# Monday 2 March 2026, 10:00 UTC: inside the default working window (no timezone: UTC).
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@dataclass
class Postbox:
    """Stands in for the Slack client the sweep posts with: keeps each DM, answers with a channel and ts."""

    posted: list[dict[str, Any]] = field(default_factory=list)

    def chat_postMessage(self, **message: Any) -> dict[str, Any]:  # noqa: N802 (Slack's method name)
        self.posted.append(message)
        return {"ok": True, "channel": DM, "ts": f"{1_700_000_000 + len(self.posted)}.000100"}


class World:
    def __init__(self, db: Database) -> None:
        self.now = T0
        self.services = Services(db, clock=lambda: self.now)
        self.nudges = self.services.nudges
        self.sweeper = Sweeper(db, Postbox())  # type: ignore[arg-type]

    def at(self, when: datetime) -> None:
        self.now = when

    def sweep(self) -> None:
        self.sweeper.run(self.now)

    def log(self, standing: Standing = Standing.REQUEST_SENT, **fields: Any) -> int:
        data = ContactInput(
            name=fields.pop("name", "Ada Lovelace"),
            degree=core.Degree.FIRST,
            email=fields.pop("email", "ada@example.org"),
            standing=standing,
            request_channel=core.OutreachChannel.EMAIL if standing is Standing.REQUEST_SENT else None,
            **fields,
        )
        return self.services.contacts.log_contact(TEAM, STUDENT, data).card.id

    def row(self, model: type, **where: Any) -> Any:
        return self.rows(model, **where)[0]

    def rows(self, model: type, **where: Any) -> list[Any]:
        with self.services.db.session() as session:
            statement = select(model)
            for key, value in where.items():
                statement = statement.where(getattr(model, key) == value)
            return list(session.scalars(statement.order_by(model.id)))

    def delivered(self, kind: NudgeKind) -> Nudge:
        nudge = self.row(Nudge, kind=kind.value)
        assert nudge.status == "sent" and nudge.channel == DM and nudge.message_ts
        return nudge

    def follow_up(self) -> Nudge:
        """A contact asked a week ago, no answer: the follow-up reminder is in the student's DM."""
        self.log()
        self.at(T0 + timedelta(days=7, hours=1))
        self.sweep()
        return self.delivered(NudgeKind.FOLLOW_UP)

    def wrap_up(self) -> Nudge:
        """An interview has just ended: the wrap-up reminder is in the student's DM."""
        starts = T0 + timedelta(days=1, hours=2)
        self.log(Standing.INTERVIEW_SCHEDULED, interview_at=starts)
        self.at(starts + timedelta(minutes=40))
        self.sweep()
        return self.delivered(NudgeKind.WRAP_UP)


def redrawn(nudge: Nudge) -> NudgeDmChanged:
    assert nudge.channel and nudge.message_ts
    return NudgeDmChanged(nudge.channel, nudge.message_ts, STUDENT)


@pytest.fixture
def world(db: Database) -> World:
    return World(db)


# Buttons ---------------------------------------------------------------------------------------------


def test_done_records_the_follow_up_and_redraws_the_dm(world: World) -> None:
    nudge = world.follow_up()
    result = world.nudges.done(TEAM, STUDENT, nudge.id, nudge.message_ts)
    assert result == Result((redrawn(nudge),))
    row = world.row(Nudge, id=nudge.id)
    assert (row.status, row.resolution) == ("resolved", "done")
    assert len(world.rows(OutreachAttempt)) == 2
    items = world.services.queries.nudges.dm_items(TEAM, STUDENT, DM, nudge.message_ts, world.now)
    assert [i.resolution for i in items if i.nudge_id == nudge.id] == [RESOLUTIONS["done"]]


def test_snooze_puts_it_back_for_later(world: World) -> None:
    nudge = world.follow_up()
    result = world.nudges.snooze(TEAM, STUDENT, nudge.id, nudge.message_ts, "3d")
    assert result.events == (redrawn(nudge),)
    row = world.row(Nudge, id=nudge.id)
    assert (row.status, row.resolution, row.due_at) == ("pending", "snoozed", world.now + timedelta(days=3))


def test_an_unknown_snooze_is_refused_and_the_dm_redrawn(world: World) -> None:
    nudge = world.follow_up()
    with pytest.raises(ActionRefused, match="Choose 1 day") as refused:
        world.nudges.snooze(TEAM, STUDENT, nudge.id, nudge.message_ts, "2y")
    assert refused.value.events == (redrawn(nudge),)
    assert world.row(Nudge, id=nudge.id).status == "sent"


def test_move_on_closes_the_contact(world: World) -> None:
    nudge = world.follow_up()
    assert world.nudges.move_on(TEAM, STUDENT, nudge.id, nudge.message_ts).events == (redrawn(nudge),)
    assert world.row(Contact).stage == core.Stage.NO_RESPONSE.value
    assert world.row(OutreachAttempt).outcome == core.AttemptOutcome.NO_RESPONSE.value
    assert world.row(Nudge, id=nudge.id).resolution == "moved_on"


@pytest.mark.parametrize(("answer", "stage"), [("yes", "agreed"), ("no", "declined"), ("later", "requested")])
def test_they_replied(world: World, answer: str, stage: str) -> None:
    nudge = world.follow_up()
    result = world.nudges.reply(TEAM, STUDENT, nudge.id, nudge.message_ts, answer)
    contact = world.row(Contact)
    offered = (ContactCardOffered(contact.id, ContactNews.REPLIED_YES),) if answer == "yes" else ()
    assert result.events == (redrawn(nudge), *offered)
    assert contact.stage == stage and world.row(OutreachAttempt).outcome == answer
    assert world.row(Nudge, id=nudge.id).resolution == f"replied_{answer}"


def test_a_second_click_changes_nothing_and_redraws(world: World) -> None:
    nudge = world.follow_up()
    world.nudges.done(TEAM, STUDENT, nudge.id, nudge.message_ts)
    with pytest.raises(ActionRefused, match="Nothing changed") as refused:
        world.nudges.done(TEAM, STUDENT, nudge.id, nudge.message_ts)
    assert refused.value.events == (redrawn(nudge),)
    assert len(world.rows(OutreachAttempt)) == 2


@pytest.mark.parametrize(("team", "user"), [(TEAM, "U0INTRUDER"), ("T2", STUDENT)])
def test_someone_else_s_reminder_is_left_alone_and_not_redrawn(world: World, team: str, user: str) -> None:
    nudge = world.follow_up()
    world.services.users.remember_user(team, user)
    with pytest.raises(ActionRefused, match="isn't yours") as refused:
        world.nudges.done(team, user, nudge.id, nudge.message_ts)
    assert refused.value.events == ()
    assert world.row(Nudge, id=nudge.id).status == "sent" and len(world.rows(OutreachAttempt)) == 1


def test_a_click_on_an_older_copy_of_the_dm_is_refused(world: World) -> None:
    nudge = world.follow_up()
    with pytest.raises(ActionRefused, match="sent again since") as refused:
        world.nudges.done(TEAM, STUDENT, nudge.id, "1600000000.000100")
    assert refused.value.events == (redrawn(nudge),)
    assert world.row(Nudge, id=nudge.id).status == "sent"


def test_show_draft(world: World) -> None:
    nudge = world.follow_up()
    found = world.nudges.draft(TEAM, STUDENT, nudge.id)
    assert isinstance(found, NudgeDraft) and found.kind is NudgeKind.FOLLOW_UP
    assert found.email == "ada@example.org" and found.draft.body.startswith("Hi Ada,")


# Out of date -----------------------------------------------------------------------------------------


def test_out_of_date_reminder_is_closed_although_the_click_is_refused(world: World) -> None:
    """They answered meanwhile (recorded from the contact's card): the follow-up no longer applies.

    The click is refused, yet the reminder stays closed as obsolete in the database, and the DM is
    redrawn so its buttons are gone.
    """
    nudge = world.follow_up()
    contact = world.row(Contact)
    world.services.contacts.reply(TEAM, STUDENT, contact.id, contact.version, "yes")
    with pytest.raises(ActionRefused, match="out of date") as refused:
        world.nudges.done(TEAM, STUDENT, nudge.id, nudge.message_ts)
    assert refused.value.events == (redrawn(nudge),)
    row = world.row(Nudge, id=nudge.id)
    assert (row.status, row.resolution, row.resolved_at) == ("obsolete", "obsolete", world.now)
    assert len(world.rows(OutreachAttempt)) == 1  # the click itself did nothing
    items = world.services.queries.nudges.dm_items(TEAM, STUDENT, DM, nudge.message_ts, world.now)
    assert [i.resolution for i in items if i.nudge_id == nudge.id] == [RESOLUTIONS["obsolete"]]
    # A second click finds it closed.
    with pytest.raises(ActionRefused, match="Nothing changed: this reminder is out of date"):
        world.nudges.done(TEAM, STUDENT, nudge.id, nudge.message_ts)


def test_out_of_date_when_opening_a_modal_too(world: World) -> None:
    nudge = world.follow_up()
    contact = world.row(Contact)
    world.services.contacts.reply(TEAM, STUDENT, contact.id, contact.version, "no")
    with pytest.raises(ActionRefused, match="out of date") as refused:
        world.nudges.draft(TEAM, STUDENT, nudge.id)
    assert refused.value.events == (redrawn(nudge),)
    assert world.row(Nudge, id=nudge.id).status == "obsolete"


# After an interview ----------------------------------------------------------------------------------


def test_wrap_up_names_the_interview(world: World) -> None:
    nudge = world.wrap_up()
    interview = world.row(Interview)
    assert world.nudges.wrap_up(TEAM, STUDENT, nudge.id) == WrapUp("Ada Lovelace", interview.id)


def test_missed_offers_the_contact_card_to_book_again(world: World) -> None:
    nudge = world.wrap_up()
    result = world.nudges.missed(TEAM, STUDENT, nudge.id, nudge.message_ts)
    contact = world.row(Contact)
    assert result.events == (redrawn(nudge), ContactCardOffered(contact.id, ContactNews.INTERVIEW_MISSED))
    assert world.row(Interview).status == core.InterviewStatus.MISSED.value
    assert contact.stage == core.Stage.AGREED.value


def test_notes_mark_the_interview_done(world: World) -> None:
    nudge = world.wrap_up()
    notes = NotesInput(takeaways="Hiring is slow", advice="Learn SQL", talk_again="yes")
    assert world.nudges.notes(TEAM, STUDENT, nudge.id, notes).events == (redrawn(nudge),)
    assert world.row(Interview).status == core.InterviewStatus.DONE.value
    assert world.row(Contact).stage == core.Stage.INTERVIEWED.value
    assert sorted(n.kind for n in world.rows(Note)) == ["advice", "takeaway", "talk_again"]
    assert world.row(Nudge, kind=NudgeKind.WRAP_UP.value).resolution == "notes"


def test_reschedule_moves_the_interview_and_books_it_again(world: World) -> None:
    nudge = world.wrap_up()
    interview = world.row(Interview)
    later = world.now + timedelta(days=3)
    data = InterviewInput(later, 30, core.InterviewFormat.PHONE, "Café")
    result = world.nudges.reschedule(TEAM, STUDENT, nudge.id, data)
    assert result.events == (redrawn(nudge), InterviewBooked(interview.id, rescheduled=True))
    moved = world.row(Interview)
    assert (moved.starts_at, moved.duration_minutes, moved.place) == (later, 30, "Café")
    assert world.row(Nudge, kind=NudgeKind.WRAP_UP.value).resolution == "rescheduled"


def test_referrals_join_the_list_introduced_by_the_contact(world: World) -> None:
    wrap_up = world.wrap_up()
    world.nudges.notes(TEAM, STUDENT, wrap_up.id, NotesInput(takeaways="Ask Grace"))
    world.sweep()
    nudge = world.delivered(NudgeKind.REFERRALS)
    people = [Referral("Grace Hopper", "Navy"), Referral("Linus")]
    assert world.nudges.referrals(TEAM, STUDENT, nudge.id, people).events == (redrawn(nudge),)
    ada, *referred = world.rows(Contact)
    assert [(c.name, c.introducer_contact_id, c.stage) for c in referred] == [
        ("Grace Hopper", ada.id, core.Stage.TARGET.value),
        ("Linus", ada.id, core.Stage.TARGET.value),
    ]
    assert world.row(Nudge, kind=NudgeKind.REFERRALS.value).resolution == "referrals"


def test_a_thank_you_snoozed_for_a_week_comes_back_before_its_48_hours_are_up(world: World) -> None:
    nudge = world.wrap_up()
    world.nudges.notes(TEAM, STUDENT, nudge.id, NotesInput(takeaways="Hiring is slow"))
    done_at = world.now
    world.sweep()
    thank_you = world.delivered(NudgeKind.THANK_YOU)
    world.at(done_at + timedelta(hours=1))
    world.nudges.snooze(TEAM, STUDENT, thank_you.id, thank_you.message_ts, "1w")
    snoozed = world.row(Nudge, id=thank_you.id)
    assert snoozed.status == "pending" and snoozed.resolution == "snoozed"
    assert snoozed.due_at == done_at + timedelta(hours=48)


def test_a_follow_up_snoozed_for_three_days_comes_back_three_days_later(world: World) -> None:
    nudge = world.follow_up()
    world.nudges.snooze(TEAM, STUDENT, nudge.id, nudge.message_ts, "3d")
    assert world.row(Nudge, id=nudge.id).due_at == world.now + timedelta(days=3)
