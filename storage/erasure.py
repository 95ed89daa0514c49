"""Forgetting: one user's rows in one workspace (``/infoint forget-me``, ``infoint forget --user``),
or a whole workspace's (``infoint forget --team``, after an uninstall).

:data:`USER_PLAN` says, for every column that points at a person (their user row, one of their
contacts or interviews, their Slack id), what happens to the rows that point at the user being
forgotten: deleted (the row is theirs, or about them), unlinked (the column set to NULL: the row is
someone else's record, such as a note a mentor wrote about another student), or kept (with why).
``tests/test_datarights_storage.py`` fails when a column that points at a person is missing from
it, so a new table cannot be left out silently. A workspace is forgotten table by table, every
table's rows with its ``team_id``.

A cohort the user is the only mentor of is closed first, as a mentor closing it would (see
``CohortStore.close``): its students keep their own records, it keeps its counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import Column, ColumnElement, ScalarSelect, Table, delete, false, func, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.datarights import CohortFate, Erasure, Kind
from storage.cohorts import CohortStore
from storage.models import Base, Cohort, CohortMentor, Contact, Interview, User
from storage.scoped import Scoped


class Points(Enum):
    """What a column points at."""

    USER = "user"  # users.id
    CONTACT = "contact"  # contacts.id
    INTERVIEW = "interview"  # interviews.id
    SLACK_ID = "slack id"  # the person's Slack user id, kept as text


class Fate(Enum):
    DELETE = "delete"
    UNLINK = "unlink"
    KEEP = "keep"


@dataclass(frozen=True)
class Rule:
    table: str
    column: str
    points: Points
    fate: Fate
    why: str = ""


_INSTALLER = (
    "who installed the app: the workspace's installation (its bot token serves everyone) stays until the "
    "app is uninstalled or the workspace forgotten"
)

USER_PLAN: tuple[Rule, ...] = (
    Rule("users", "id", Points.USER, Fate.DELETE, "their profile: timezone, DM channel, preferences"),
    Rule("contacts", "owner_id", Points.USER, Fate.DELETE),
    Rule("contacts", "introducer_contact_id", Points.CONTACT, Fate.UNLINK, "a contact's introducer"),
    Rule("outreach_attempts", "contact_id", Points.CONTACT, Fate.DELETE),
    Rule("interviews", "contact_id", Points.CONTACT, Fate.DELETE),
    Rule("notes", "contact_id", Points.CONTACT, Fate.DELETE),
    Rule("notes", "interview_id", Points.INTERVIEW, Fate.DELETE),
    Rule("nudges", "user_id", Points.USER, Fate.DELETE, "every reminder, claimed by a sweep or not"),
    Rule("nudges", "contact_id", Points.CONTACT, Fate.DELETE),
    Rule("nudges", "interview_id", Points.INTERVIEW, Fate.DELETE),
    Rule("cohorts", "created_by_id", Points.USER, Fate.UNLINK, "the cohort stays with its other mentors"),
    Rule("cohort_mentors", "user_id", Points.USER, Fate.DELETE),
    Rule("cohort_mentors", "added_by_id", Points.USER, Fate.UNLINK, "a co-mentor they added stays"),
    Rule("cohort_members", "user_id", Points.USER, Fate.DELETE),
    Rule("cohort_members", "placed_contact_id", Points.CONTACT, Fate.UNLINK, "only their own row has it"),
    Rule("cohort_shares", "user_id", Points.USER, Fate.DELETE),
    Rule("cohort_shares", "contact_id", Points.CONTACT, Fate.DELETE),
    Rule("cohort_shares", "interview_id", Points.INTERVIEW, Fate.DELETE),
    Rule("cohort_notes", "student_id", Points.USER, Fate.DELETE, "mentors' notes about them"),
    Rule("cohort_notes", "author_id", Points.USER, Fate.UNLINK, "their notes about other students stay"),
    Rule("cohort_views", "student_id", Points.USER, Fate.DELETE, "who looked at their numbers"),
    Rule("cohort_views", "viewer_id", Points.USER, Fate.UNLINK, "other students' record of who looked"),
    Rule(
        "cohort_views",
        "viewer_slack_id",
        Points.SLACK_ID,
        Fate.KEEP,
        "a mentor's look at another student stays in that student's 'Who looked?'",
    ),
    Rule("cohort_nudges", "student_id", Points.USER, Fate.DELETE),
    Rule("cohort_nudges", "mentor_id", Points.USER, Fate.UNLINK, "other students' nudge history"),
    # OAuth distribution (storage/installs.py): the workspace's installation, not a student's record.
    Rule("slack_installations", "user_id", Points.SLACK_ID, Fate.KEEP, _INSTALLER),
    Rule("slack_installations", "bot_user_id", Points.SLACK_ID, Fate.KEEP, "the app's own bot user"),
    Rule("slack_bots", "bot_user_id", Points.SLACK_ID, Fate.KEEP, "the app's own bot user"),
)

#: Tables of no workspace (no ``team_id``), with why: forgetting a workspace leaves them alone.
NO_WORKSPACE: dict[str, str] = {
    "slack_oauth_states": "an install link's state, before any workspace: each is good for ten minutes",
}

#: What each table's deleted rows count as.
KIND_OF_TABLE: dict[str, Kind] = {
    "users": Kind.PROFILE,
    "contacts": Kind.CONTACTS,
    "outreach_attempts": Kind.ATTEMPTS,
    "interviews": Kind.INTERVIEWS,
    "notes": Kind.NOTES,
    "nudges": Kind.REMINDERS,
    "cohort_mentors": Kind.MENTOR_ROLES,
    "cohort_members": Kind.MEMBERSHIPS,
    "cohort_shares": Kind.SHARES,
    "cohort_notes": Kind.MENTOR_NOTES,
    "cohort_views": Kind.LOOKS,
    "cohort_nudges": Kind.MENTOR_NUDGES,
}


class UserErasure(Scoped):
    """Forgetting one user of this workspace, inside the caller's unit of work."""

    def _theirs(self, user: User, points: Points) -> ScalarSelect[int]:
        """The ids of the user's contacts or interviews (a subquery, read before any is deleted)."""
        contacts = select(Contact.id).where(Contact.team_id == self.team_id, Contact.owner_id == user.id)
        if points is Points.CONTACT:
            return contacts.scalar_subquery()
        return (
            select(Interview.id)
            .where(Interview.team_id == self.team_id, Interview.contact_id.in_(contacts))
            .scalar_subquery()
        )

    def _where(self, table: Table, rules: list[Rule], user: User) -> ColumnElement[bool]:
        tests: list[ColumnElement[bool]] = []
        for rule in rules:
            column: Column[object] = table.c[rule.column]
            if rule.points is Points.USER:
                tests.append(column == user.id)
            elif rule.points is Points.SLACK_ID:
                tests.append(column == user.slack_user_id)
            else:
                tests.append(column.in_(self._theirs(user, rule.points)))
        return (table.c.team_id == self.team_id) & or_(false(), *tests)

    def _by_table(self, fate: Fate) -> list[tuple[Table, list[Rule]]]:
        """The tables with rules of ``fate``, children before parents."""
        rules: dict[str, list[Rule]] = defaultdict(list)
        for rule in USER_PLAN:
            if rule.fate is fate:
                rules[rule.table].append(rule)
        return [(t, rules[t.name]) for t in reversed(Base.metadata.sorted_tables) if t.name in rules]

    def _mentored(self, user: User) -> list[tuple[Cohort, int]]:
        """The cohorts ``user`` mentors that are not closed, each with how many mentors it has (a
        closed cohort keeps only its counts: losing a mentor changes nothing for it)."""
        mine = select(CohortMentor.cohort_id).where(
            CohortMentor.team_id == self.team_id, CohortMentor.user_id == user.id
        )
        mentors = (
            select(CohortMentor.cohort_id, func.count().label("n"))
            .where(CohortMentor.team_id == self.team_id)
            .group_by(CohortMentor.cohort_id)
            .subquery()
        )
        rows = self.session.execute(
            select(Cohort, mentors.c.n)
            .join(mentors, mentors.c.cohort_id == Cohort.id)
            .where(Cohort.team_id == self.team_id, Cohort.id.in_(mine), Cohort.closed_at.is_(None))
            .order_by(Cohort.name, Cohort.id)
        ).all()
        return [(cohort, int(n)) for cohort, n in rows]

    def _within(self, user: User) -> dict[Kind, int]:
        """The kinds counted inside other rows: referrals among the contacts, prepared questions."""
        referrals = self.session.scalar(
            select(func.count())
            .select_from(Contact)
            .where(
                Contact.team_id == self.team_id,
                Contact.owner_id == user.id,
                Contact.introducer_contact_id.is_not(None),
            )
        )
        prepared = self.session.scalars(
            select(Interview.questions)
            .join(Contact, Contact.id == Interview.contact_id)
            .where(Interview.team_id == self.team_id, Contact.owner_id == user.id)
        )
        return {Kind.REFERRALS: referrals or 0, Kind.QUESTIONS: sum(len(q or []) for q in prepared)}

    def _fates(self, user: User) -> tuple[CohortFate, ...]:
        return tuple(CohortFate(cohort.id, cohort.name, closes=n == 1) for cohort, n in self._mentored(user))

    def preview(self, user: User | None) -> Erasure:
        """What :meth:`forget` would delete now."""
        if user is None:
            return Erasure()
        counts = self._within(user)
        for table, rules in self._by_table(Fate.DELETE):
            found = self.session.scalar(
                select(func.count()).select_from(table).where(self._where(table, rules, user))
            )
            kind = KIND_OF_TABLE[table.name]
            counts[kind] = counts.get(kind, 0) + (found or 0)
        return Erasure(counts, self._fates(user))

    def forget(self, user: User | None, now: datetime) -> Erasure:
        """Delete everything of ``user`` in this workspace (see :data:`USER_PLAN`); what was deleted.

        Their reminders go whatever their state, so a claim a sweep holds finds no rows to post or
        to record. On PostgreSQL the user's row is locked first (FOR NO KEY UPDATE: a sweep looking
        for users to plan skips it, and a row a sweep adds meanwhile, which only takes a key-share
        lock, is deleted with the user by the foreign keys' cascade)."""
        if user is None:
            return Erasure()
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(User.id).where(User.id == user.id).with_for_update(key_share=True))
        counts = self._within(user)
        fates = self._fates(user)
        store = CohortStore(self.session, self.team_id)
        for fate in fates:
            cohort = store.get(fate.cohort_id)
            if fate.closes and cohort is not None:
                store.close(cohort, now)
        for table, rules in self._by_table(Fate.UNLINK):
            for rule in rules:
                self.session.execute(
                    update(table).where(self._where(table, [rule], user)).values({rule.column: None})
                )
        for table, rules in self._by_table(Fate.DELETE):
            result = self.session.execute(delete(table).where(self._where(table, rules, user)))
            kind = KIND_OF_TABLE[table.name]
            counts[kind] = counts.get(kind, 0) + int(result.rowcount or 0)  # type: ignore[attr-defined]
        self.session.expire_all()
        return Erasure(counts, fates)


def forget_workspace(session: Session, team_id: str) -> dict[str, int]:
    """Delete every row of the workspace ``team_id``, table by table (children first); the rows
    deleted by table (only tables that had some)."""
    if not team_id:
        raise ValueError("a workspace (team_id) is required")
    deleted: dict[str, int] = {}
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in NO_WORKSPACE:
            continue
        result = session.execute(delete(table).where(table.c.team_id == team_id))
        if result.rowcount:  # type: ignore[attr-defined]
            deleted[table.name] = int(result.rowcount)  # type: ignore[attr-defined]
    session.expire_all()
    return deleted
