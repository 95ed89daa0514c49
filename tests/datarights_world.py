"""People with records of every kind, for the data-rights tests: a cohort with a mentor and two
students in one workspace, and the same Slack user id in a second workspace. Records are seeded
through the storage layer (fast, and every kind at once); what the tests check goes through Slack.

Every person's text carries their ``tag``, so a copy can be searched for anyone else's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from helpers import RunningApp
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain.cohorts import ShareKind, SharingLevel
from storage.cohort_records import CohortRecords
from storage.cohorts import CohortStore
from storage.models import Base, Cohort, Nudge, User
from storage.repository import Repository

TEAM = "T0001"
OTHER_TEAM = "T0OTHER"


@dataclass(frozen=True)
class Seeded:
    """What one person's seeding made: how many of each."""

    contacts: int = 3  # one of them a referral of another
    attempts: int = 2
    interviews: int = 1
    questions: int = 2
    notes: int = 2
    reminders: int = 2


def seed_person(session: Session, team: str, slack_id: str, tag: str, now: datetime) -> User:
    """A student's records: contacts (one a referral, one whose name a spreadsheet would run), two
    requests, an interview with two prepared questions and a takeaway, a note, two reminders."""
    repo = Repository(session, team)
    user = repo.get_or_create_user(slack_id, now)
    repo.update_user(user, timezone="Europe/Paris", preferences={"follow_up_days": 5})
    first = repo.add_contact(
        user,
        {
            "name": f"Zoë {tag}",
            "company": f"Acme {tag}",
            "degree": "first",
            "email": f"zoe.{tag}@example.com",
        },
        core.Stage.INTERVIEWED,
        now - timedelta(days=20),
    )
    referral = repo.add_contact(
        user,
        {"name": f"Ref {tag}", "company": "Beta", "degree": "second", "introducer_contact_id": first.id},
        core.Stage.REQUESTED,
        now - timedelta(days=3),
    )
    repo.add_contact(
        user, {"name": f"=HYPERLINK({tag})", "company": "@evil", "degree": "cold"}, core.Stage.TARGET, now
    )
    repo.add_attempt(first, core.OutreachChannel.EMAIL, now - timedelta(days=19))
    repo.add_attempt(referral, core.OutreachChannel.LINKEDIN, now - timedelta(days=3))
    interview = repo.add_interview(
        first,
        now - timedelta(days=10),
        20,
        core.InterviewFormat.VIDEO,
        f"Room {tag}",
        now - timedelta(days=15),
    )
    interview.questions = [f"What surprised you, {tag}?", "+1 question"]
    repo.add_note(
        first, f"Takeaway of {tag}", now - timedelta(days=9), kind="takeaway", interview_id=interview.id
    )
    repo.add_note(referral, f"Note on {tag}", now - timedelta(days=2))
    for n, contact in enumerate((first, referral)):
        repo.insert(
            Nudge(
                team_id=team,
                user_id=user.id,
                contact_id=contact.id,
                kind="follow_up",
                key=f"seed:{tag}:{n}",
                due_at=now + timedelta(days=n + 1),
                status="pending" if n else "sent",
                created_at=now,
            )
        )
    session.flush()
    return user


def seed_cohort(
    session: Session, team: str, channel: str, mentors: list[User], students: list[User], now: datetime
) -> Cohort:
    """A cohort of ``mentors`` (the first creates it) where every student shares their first contact
    and interview, and every mentor has written a note about, looked at and nudged every student."""
    store = CohortStore(session, team)
    records = CohortRecords(session, team)
    cohort = store.create(channel, f"Cohort {channel}", mentors[0], now)
    for mentor in mentors[1:]:
        store.add_mentor(cohort, mentor, now, added_by=mentors[0])
    for student in students:
        store.join(cohort, student, now, SharingLevel.COUNTS, celebrate=True)
        first = min(Repository(session, team).contacts_of(student), key=lambda c: c.id)
        records.share(cohort, student, ShareKind.CONTACT, first.id, now)
        records.share(cohort, student, ShareKind.INTERVIEW, first.interviews[0].id, now)
        for mentor in mentors:
            records.add_note(cohort, student, mentor, f"Mentor note about {student.slack_user_id}", now)
            records.record_view(cohort, mentor, "student", now, student)
            records.record_nudge(cohort, mentor, student, now, UTC)
    session.flush()
    return cohort


# Every row of every table -----------------------------------------------------------------------------


def snapshot(app: RunningApp) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every table of the models, by table name and primary key."""
    found: dict[str, dict[Any, dict[str, Any]]] = {}
    with app.services.db.session() as session:
        for table in Base.metadata.sorted_tables:
            keys = [c.name for c in table.primary_key.columns]
            rows = session.execute(select(table)).mappings().all()
            found[table.name] = {tuple(row[k] for k in keys): dict(row) for row in rows}
    return found


def references(table: Any, row: dict[str, Any], ids: dict[str, set[int]]) -> set[str]:
    """The columns of ``row`` that point at one of ``ids`` (by the table they refer to: users,
    contacts, interviews), through a foreign key, or (the users table itself) its own id."""
    pointing = set()
    for column in table.columns:
        for key in column.foreign_keys:
            target = key.column.table.name
            if target in ids and row[column.name] in ids[target]:
                pointing.add(column.name)
    if table.name in ids and row.get("id") in ids[table.name]:
        pointing.add("id")
    return pointing
