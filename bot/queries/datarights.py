"""Reading a user's records for their copy (``/infoint export``, ``infoint export``) and what
forgetting them would delete (the confirmation of ``/infoint forget-me``).

Only the user's own rows in the one workspace: their contacts and what hangs off them, their
reminders, their cohort memberships, mentor roles and shares, the looks at their numbers and the
mentors' nudges they got. Mentors' private notes about them are the mentors' (deleted with the
user, not copied). Nothing here creates a user.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.cohorts import Cell
from bot.domain.datarights import Erasure, Table, export_filename, export_zip, iso
from storage.db import Database
from storage.erasure import UserErasure
from storage.models import (
    Cohort,
    CohortMember,
    CohortMentor,
    CohortNudge,
    CohortShare,
    CohortView,
    Contact,
    Note,
    Nudge,
    User,
)
from storage.repository import Repository

Rows = list[Sequence[Cell]]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    tables: tuple[Table, ...]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


CONTACTS = (
    "contact_id",
    "name",
    "company",
    "role",
    "industry",
    "location",
    "email",
    "linkedin_url",
    "phone",
    "degree",
    "introducer_name",
    "introduced_by_contact_id",
    "source",
    "learning_goal",
    "stage",
    "stage_changed_at",
    "outcome",
    "outcome_at",
    "last_touch_at",
    "created_at",
    "updated_at",
)


def _contacts(contacts: Sequence[Contact]) -> Rows:
    return [
        (
            c.id,
            c.name,
            c.company,
            c.role,
            c.industry,
            c.location,
            c.email,
            c.linkedin_url,
            c.phone,
            c.degree,
            c.introducer_name,
            c.introducer_contact_id,
            c.source,
            c.learning_goal,
            c.stage,
            iso(c.stage_changed_at),
            c.outcome,
            iso(c.outcome_at),
            iso(c.last_touch_at),
            iso(c.created_at),
            iso(c.updated_at),
        )
        for c in contacts
    ]


def _referrals(contacts: Sequence[Contact]) -> Rows:
    names = {c.id: c.name for c in contacts}
    return [
        (
            c.id,
            c.name,
            c.company,
            c.introducer_contact_id,
            names.get(c.introducer_contact_id or 0, ""),
            c.stage,
        )
        for c in contacts
        if c.introducer_contact_id is not None
    ]


def _attempts(contacts: Sequence[Contact]) -> Rows:
    return [
        (c.id, c.name, a.number, a.channel, iso(a.sent_at), a.outcome, iso(a.outcome_at))
        for c in contacts
        for a in c.attempts
    ]


def _interviews(contacts: Sequence[Contact]) -> Rows:
    return [
        (
            i.id,
            c.id,
            c.name,
            iso(i.starts_at),
            i.duration_minutes,
            i.format,
            i.place,
            i.status,
            iso(i.done_at),
            iso(i.thank_you_at),
            iso(i.introducer_thanked_at),
            iso(i.created_at),
        )
        for c in contacts
        for i in c.interviews
    ]


def _questions(contacts: Sequence[Contact]) -> Rows:
    return [
        (i.id, c.name, iso(i.starts_at), n, question)
        for c in contacts
        for i in c.interviews
        for n, question in enumerate(i.questions or [], start=1)
    ]


class DataRightsQueries:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def export(self, team_id: str, slack_user: str) -> ExportFile:
        """The user's records as a ZIP of CSV files (headers only for what they have none of)."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user = repo.find_user(slack_user)
            contacts = repo.contacts_of(user) if user is not None else []
            tables = tables_of(session, team_id, user, contacts)
        return ExportFile(export_filename(now), export_zip(tables, now), tables)

    def forget_preview(self, team_id: str, slack_user: str) -> Erasure:
        """What forgetting the user would delete now."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user)
            return UserErasure(session, team_id).preview(user)


def tables_of(
    session: Session, team_id: str, user: User | None, contacts: Sequence[Contact]
) -> tuple[Table, ...]:
    uid = user.id if user is not None else -1
    names = {c.id: c.name for c in contacts}

    def rows(statement: object) -> list[object]:
        return list(session.execute(statement).all())  # type: ignore[call-overload]

    notes = rows(
        select(Note)
        .where(Note.team_id == team_id, Note.contact_id.in_(list(names)))
        .order_by(Note.created_at, Note.id)
    )
    nudges = rows(
        select(Nudge).where(Nudge.team_id == team_id, Nudge.user_id == uid).order_by(Nudge.due_at, Nudge.id)
    )
    members = rows(
        select(CohortMember, Cohort)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.team_id == team_id, CohortMember.user_id == uid)
        .order_by(CohortMember.joined_at, CohortMember.id)
    )
    mentoring = rows(
        select(CohortMentor, Cohort)
        .join(Cohort, Cohort.id == CohortMentor.cohort_id)
        .where(CohortMentor.team_id == team_id, CohortMentor.user_id == uid)
        .order_by(CohortMentor.added_at, CohortMentor.id)
    )
    shares = rows(
        select(CohortShare, Cohort)
        .join(Cohort, Cohort.id == CohortShare.cohort_id)
        .where(CohortShare.team_id == team_id, CohortShare.user_id == uid)
        .order_by(CohortShare.shared_at, CohortShare.id)
    )
    looks = rows(
        select(CohortView, Cohort)
        .join(Cohort, Cohort.id == CohortView.cohort_id)
        .where(CohortView.team_id == team_id, CohortView.student_id == uid)
        .order_by(CohortView.viewed_at, CohortView.id)
    )
    nudged = rows(
        select(CohortNudge, Cohort, User.slack_user_id)
        .join(Cohort, Cohort.id == CohortNudge.cohort_id)
        .outerjoin(User, User.id == CohortNudge.mentor_id)
        .where(CohortNudge.team_id == team_id, CohortNudge.student_id == uid)
        .order_by(CohortNudge.nudged_at, CohortNudge.id)
    )
    return (
        Table("contacts", "the people in your pipeline", CONTACTS, _contacts(contacts)),
        Table(
            "referrals",
            "people one of your contacts introduced you to",
            ("contact_id", "name", "company", "introduced_by_contact_id", "introduced_by", "stage"),
            _referrals(contacts),
        ),
        Table(
            "attempts",
            "requests, follow-ups and calls you sent",
            ("contact_id", "contact", "number", "channel", "sent_at", "outcome", "outcome_at"),
            _attempts(contacts),
        ),
        Table(
            "interviews",
            "your interviews",
            (
                "interview_id",
                "contact_id",
                "contact",
                "starts_at",
                "duration_minutes",
                "format",
                "place",
                "status",
                "done_at",
                "thank_you_at",
                "introducer_thanked_at",
                "created_at",
            ),
            _interviews(contacts),
        ),
        Table(
            "questions",
            "the questions you prepared for an interview",
            ("interview_id", "contact", "interview_starts_at", "number", "question"),
            _questions(contacts),
        ),
        Table(
            "notes",
            "your notes and takeaways",
            ("note_id", "contact_id", "contact", "interview_id", "kind", "note", "created_at"),
            [
                (
                    n.id,
                    n.contact_id,
                    names.get(n.contact_id, ""),
                    n.interview_id,
                    n.kind,
                    n.body,
                    iso(n.created_at),
                )
                for (n,) in notes
            ],
        ),
        Table(
            "reminders",
            "the reminders infoint logged for you, and what became of each",
            (
                "reminder",
                "contact_id",
                "contact",
                "interview_id",
                "due_at",
                "status",
                "sent_at",
                "resolution",
                "resolved_at",
                "created_at",
            ),
            [
                (
                    r.kind,
                    r.contact_id,
                    names.get(r.contact_id or 0, ""),
                    r.interview_id,
                    iso(r.due_at),
                    r.status,
                    iso(r.sent_at),
                    r.resolution,
                    iso(r.resolved_at),
                    iso(r.created_at),
                )
                for (r,) in nudges
            ],
        ),
        Table(
            "cohorts",
            "the cohorts you joined or mentor",
            (
                "cohort",
                "channel_id",
                "role",
                "state",
                "sharing",
                "named_when_placed",
                "placed_what",
                "placed_on",
                "joined_at",
                "left_at",
            ),
            [
                (
                    c.name,
                    c.channel_id,
                    "student",
                    m.state,
                    m.sharing,
                    "yes" if m.celebrate else "no",
                    m.placed_what,
                    iso(m.placed_on),
                    iso(m.joined_at),
                    iso(m.left_at),
                )
                for m, c in members
            ]
            + [
                (c.name, c.channel_id, "mentor", "", "", "", "", "", iso(m.added_at), "")
                for m, c in mentoring
            ],
        ),
        Table(
            "shares",
            "what you shared with a cohort's mentors",
            ("cohort", "item", "contact_id", "interview_id", "level", "shared_at"),
            [(c.name, s.item, s.contact_id, s.interview_id, s.level, iso(s.shared_at)) for s, c in shares],
        ),
        Table(
            "looks",
            "which mentor looked at your numbers, and when",
            ("cohort", "mentor", "what", "viewed_at"),
            [(c.name, v.viewer_slack_id, v.what, iso(v.viewed_at)) for v, c in looks],
        ),
        Table(
            "mentor_nudges",
            "the nudges a mentor sent you",
            ("cohort", "mentor", "day", "nudged_at"),
            [(c.name, mentor or "", iso(n.day), iso(n.nudged_at)) for n, c, mentor in nudged],
        ),
        Table(
            "profile",
            "your settings and what infoint knows of you",
            ("setting", "value"),
            _profile(user),
        ),
    )


def _profile(user: User | None) -> Rows:
    if user is None:
        return []
    rows: Rows = [
        ("slack_user_id", user.slack_user_id),
        ("timezone", user.timezone),
        ("first_seen_at", iso(user.created_at)),
        ("unreachable_since", iso(user.unreachable_since)),
    ]
    rows += [(f"preferences.{key}", _text(value)) for key, value in sorted((user.preferences or {}).items())]
    return rows


def _text(value: object) -> str:
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
