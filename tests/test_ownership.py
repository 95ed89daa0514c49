"""bot/services/ownership.py: the one check that a record is the user's, and every service using it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import pipeline as core
from bot.domain.forms import ContactInput, InterviewInput
from bot.services import ActionRefused, Services
from bot.services.ownership import (
    CONTACT_GONE,
    INTERVIEW_GONE,
    NOT_YOUR_CONTACT,
    NOT_YOUR_INTERVIEW,
    NOT_YOUR_NUDGE,
    nudge_contact,
    nudge_interview,
    owned_contact,
    owned_interview,
    owned_nudge,
)
from storage.db import Database
from storage.models import Nudge
from storage.repository import Repository

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SLOT = InterviewInput(NOW + timedelta(days=2), 30, core.InterviewFormat.PHONE, "Café")


class World:
    """U1's contact Ada with an interview and a reminder; U2 has a contact of their own, Bo."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.services = Services(db, clock=lambda: NOW)
        contacts = self.services.contacts
        self.ada = contacts.log_contact("T1", "U1", ContactInput(name="Ada", degree=core.Degree.FIRST)).card
        self.bo = contacts.log_contact("T1", "U2", ContactInput(name="Bo", degree=core.Degree.FIRST)).card
        info = self.services.interviews.schedule("T1", "U1", self.ada.id, self.ada.version, SLOT).info
        self.interview_id = info.id
        with db.session() as session:
            owner = Repository(session, "T1").find_user("U1")
            assert owner is not None
            nudge = Nudge(
                team_id="T1",
                user_id=owner.id,
                contact_id=self.ada.id,
                kind="follow_up",
                key="follow_up:1",
                due_at=NOW,
                status="sent",
                created_at=NOW,
            )
            session.add(nudge)
            session.flush()
            self.nudge_id = nudge.id


@pytest.fixture
def world(db: Database) -> World:
    return World(db)


def refusal(act: Callable[[], object]) -> str:
    with pytest.raises(ActionRefused) as refused:
        act()
    return str(refused.value)


def test_owned_records(world: World) -> None:
    with world.db.session() as session:
        repo = Repository(session, "T1")
        assert owned_contact(repo, "U1", world.ada.id).name == "Ada"
        interview, contact = owned_interview(repo, "U1", world.interview_id)
        assert (interview.id, contact.id) == (world.interview_id, world.ada.id)
        user, nudge = owned_nudge(repo, "U1", world.nudge_id)
        assert nudge.id == world.nudge_id and user.slack_user_id == "U1"
        assert nudge_contact(repo, user, nudge).id == world.ada.id


@pytest.mark.parametrize(
    ("team", "user"), [("T1", "U2"), ("T2", "U1"), ("T1", "U0NOBODY")], ids=["other", "workspace", "unknown"]
)
def test_anyone_elses_records_are_refused(world: World, team: str, user: str) -> None:
    with world.db.session() as session:
        repo = Repository(session, team)
        assert refusal(lambda: owned_contact(repo, user, world.ada.id)) == NOT_YOUR_CONTACT
        assert refusal(lambda: owned_interview(repo, user, world.interview_id)) == NOT_YOUR_INTERVIEW
        assert refusal(lambda: owned_nudge(repo, user, world.nudge_id)) == NOT_YOUR_NUDGE


def test_records_that_are_gone(world: World) -> None:
    with world.db.session() as session:
        repo = Repository(session, "T1")
        assert refusal(lambda: owned_contact(repo, "U1", 424242)) == NOT_YOUR_CONTACT
        assert refusal(lambda: owned_interview(repo, "U1", 424242)) == NOT_YOUR_INTERVIEW
        assert refusal(lambda: owned_nudge(repo, "U1", 424242)) == NOT_YOUR_NUDGE
        user, nudge = owned_nudge(repo, "U1", world.nudge_id)
        nudge.contact_id = world.bo.id  # a reminder about a contact no longer the user's
        assert refusal(lambda: nudge_contact(repo, user, nudge)) == CONTACT_GONE
        assert refusal(lambda: nudge_interview(repo, nudge)) == INTERVIEW_GONE
        session.rollback()


def test_every_service_refuses_in_the_same_words(world: World) -> None:
    s, ada, interview, nudge = world.services, world.ada, world.interview_id, world.nudge_id
    for_contact: list[Callable[[], object]] = [
        lambda: s.contacts.card("T1", "U2", ada.id),
        lambda: s.contacts.request_sent("T1", "U2", ada.id, ada.version),
        lambda: s.contacts.reply("T1", "U2", ada.id, ada.version, "yes"),
        lambda: s.contacts.touched("T1", "U2", ada.id, ada.version),
        lambda: s.drafts.for_contact("T1", "U2", ada.id),
        lambda: s.drafts.sent("T1", "U2", ada.id, ada.version),
        lambda: s.interviews.schedule("T1", "U2", ada.id, None, SLOT),
        lambda: s.lookup.record_outcome("T1", "U2", ada.id, ada.version, "offer"),
    ]
    for_interview: list[Callable[[], object]] = [
        lambda: s.interviews.info("T1", "U2", interview),
        lambda: s.interviews.reschedule("T1", "U2", interview, SLOT),
        lambda: s.interviews.cancel("T1", "U2", interview),
        lambda: s.questions.load("T1", "U2", interview),
        lambda: s.questions.save("T1", "U2", interview, ["Why?"]),
    ]
    for_nudge: list[Callable[[], object]] = [
        lambda: s.nudges.done("T1", "U2", nudge, None),
        lambda: s.nudges.snooze("T1", "U2", nudge, None, "1d"),
        lambda: s.nudges.draft("T1", "U2", nudge),
        lambda: s.nudges.wrap_up("T1", "U2", nudge),
    ]
    assert {refusal(act) for act in for_contact} == {NOT_YOUR_CONTACT}
    assert {refusal(act) for act in for_interview} == {NOT_YOUR_INTERVIEW}
    assert {refusal(act) for act in for_nudge} == {NOT_YOUR_NUDGE}
