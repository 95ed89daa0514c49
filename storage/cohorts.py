"""Cohorts in the database: the cohort of a channel, its status, targets and digest schedule, its
mentors and its members (state, placement, sharing level), and what they did (``activity_of``,
``weekly_counts``: set-based, in ``storage.cohort_activity``).

``CohortStore(session, team_id)`` works inside the caller's unit of work, every query scoped by
workspace and by cohort: a student of cohort A is not found through cohort B, another workspace
finds nothing. It decides nothing the domain decides (who may do what is
``bot.domain.cohorts.check_allowed``); it stores and reads. Shares, notes, views and mentors' nudges
are in ``storage.cohort_records``; the digest's log and claim in ``storage.cohort_digests``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.cohort_digest import DigestSchedule, first_digest_at, next_digest_at
from bot.domain.cohort_report import StudentActivity
from bot.domain.cohort_weekly import WeekCounts
from bot.domain.cohorts import (
    CohortStatus,
    CohortTargets,
    Member,
    MemberState,
    Placement,
    Role,
    SharingLevel,
)
from storage.cohort_activity import CohortActivity
from storage.models import (
    Cohort,
    CohortMember,
    CohortMentor,
    CohortNote,
    CohortNudge,
    CohortShare,
    Contact,
    User,
)
from storage.scoped import Scoped


class ChannelTaken(Exception):
    """The channel already is a cohort (one per channel)."""


@dataclass(frozen=True)
class Mentor:
    user_id: int
    slack_user_id: str
    timezone: str | None
    reachable: bool


def in_scope(team_id: str, *rows: Cohort | User | None) -> None:
    """Refuse to link rows of another workspace into this one's (reads filter by ``team_id``
    anyway; a write would otherwise store a foreign id under this workspace)."""
    if any(row is not None and row.team_id != team_id for row in rows):
        raise ValueError("a cohort or user of another workspace")


def schedule_of(cohort: Cohort) -> DigestSchedule:
    hours, minutes = (int(part) for part in cohort.digest_time.split(":"))
    return DigestSchedule(cohort.digest_weekday, time(hours, minutes), cohort.digest_timezone)


def targets_of(cohort: Cohort) -> CohortTargets:
    return CohortTargets(cohort.target_requests, cohort.target_conversations)


def _member(row: CohortMember, user: User) -> Member:
    placement = None
    if row.placed_what is not None and row.placed_on is not None:
        placement = Placement(row.placed_what, row.placed_on, row.placed_contact_id)
    return Member(
        user_id=user.id,
        slack_user_id=user.slack_user_id,
        joined_at=row.joined_at,
        state=MemberState(row.state),
        sharing=SharingLevel(row.sharing),
        celebrate=row.celebrate,
        placement=placement,
        reachable=user.unreachable_since is None,
    )


class CohortStore(Scoped):
    """The cohorts of one workspace, their mentors and members, inside the caller's unit of work."""

    # Cohorts -------------------------------------------------------------------------------------

    def create(self, channel_id: str, name: str, mentor: User, now: datetime) -> Cohort:
        """The channel's cohort, with ``mentor`` as its first mentor and the digest at the default
        day and time in their timezone. ChannelTaken if the channel already is one."""
        in_scope(self.team_id, mentor)
        schedule = DigestSchedule(timezone=mentor.timezone)
        try:
            with self.session.begin_nested():
                cohort = Cohort(
                    team_id=self.team_id,
                    channel_id=channel_id,
                    name=name,
                    created_by_id=mentor.id,
                    status=CohortStatus.ACTIVE.value,
                    status_changed_at=now,
                    digest_weekday=schedule.weekday,
                    digest_time=f"{schedule.at:%H:%M}",
                    digest_timezone=schedule.timezone,
                    next_digest_at=first_digest_at(now, schedule),
                    created_at=now,
                )
                self.session.add(cohort)
                self.session.flush()
        except IntegrityError:
            raise ChannelTaken(channel_id) from None
        self.add_mentor(cohort, mentor, now)
        return cohort

    def by_channel(self, channel_id: str) -> Cohort | None:
        return self.session.scalar(
            select(Cohort).where(Cohort.team_id == self.team_id, Cohort.channel_id == channel_id)
        )

    def get(self, cohort_id: int) -> Cohort | None:
        return self.session.scalar(
            select(Cohort).where(Cohort.team_id == self.team_id, Cohort.id == cohort_id)
        )

    def cohorts_of(self, user: User) -> list[tuple[Cohort, Role]]:
        """The cohorts ``user`` mentors, then those they are a student in (for their App Home)."""
        mentored = self.session.scalars(
            select(Cohort)
            .join(CohortMentor, CohortMentor.cohort_id == Cohort.id)
            .where(Cohort.team_id == self.team_id, CohortMentor.team_id == self.team_id)
            .where(CohortMentor.user_id == user.id)
            .order_by(Cohort.name, Cohort.id)
        ).all()
        joined = self.session.scalars(
            select(Cohort)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(Cohort.team_id == self.team_id, CohortMember.team_id == self.team_id)
            .where(CohortMember.user_id == user.id, CohortMember.left_at.is_(None))
            .order_by(Cohort.name, Cohort.id)
        ).all()
        return [(c, Role.MENTOR) for c in mentored] + [(c, Role.STUDENT) for c in joined]

    def set_status(
        self, cohort: Cohort, status: CohortStatus, now: datetime, reason: str | None = None
    ) -> None:
        in_scope(self.team_id, cohort)
        cohort.status, cohort.status_reason, cohort.status_changed_at = status.value, reason, now
        if status is CohortStatus.ACTIVE:
            cohort.next_digest_at = first_digest_at(now, schedule_of(cohort))
        else:
            cohort.next_digest_at = None
        self.session.flush()

    def close(self, cohort: Cohort, now: datetime) -> None:
        """Closed by a mentor: the digest stops; what students shared, the mentors' notes and nudges
        go; the members (for the counts), the view log and the digests' numbers stay."""
        in_scope(self.team_id, cohort)
        self.set_status(cohort, CohortStatus.CLOSED, now, "closed")
        cohort.closed_at = now
        for table in (CohortShare, CohortNote, CohortNudge):
            self.session.execute(
                delete(table).where(table.team_id == self.team_id, table.cohort_id == cohort.id)
            )
        self.session.flush()

    def set_targets(self, cohort: Cohort, targets: CohortTargets) -> None:
        in_scope(self.team_id, cohort)
        cohort.target_requests, cohort.target_conversations = targets.requests, targets.conversations
        self.session.flush()

    def set_schedule(self, cohort: Cohort, schedule: DigestSchedule, now: datetime) -> None:
        """A new day and time for the digest; one already sent this week is not sent again."""
        in_scope(self.team_id, cohort)
        cohort.digest_weekday, cohort.digest_time = schedule.weekday, f"{schedule.at:%H:%M}"
        cohort.digest_timezone = schedule.timezone
        if cohort.status == CohortStatus.ACTIVE.value:
            cohort.next_digest_at = next_digest_at(now, schedule)
        self.session.flush()

    # Mentors -------------------------------------------------------------------------------------

    def add_mentor(self, cohort: Cohort, user: User, now: datetime, added_by: User | None = None) -> bool:
        """False if they already mentor it."""
        in_scope(self.team_id, cohort, user, added_by)
        if self.is_mentor(cohort, user):
            return False
        try:
            with self.session.begin_nested():
                self.session.add(
                    CohortMentor(
                        team_id=self.team_id,
                        cohort_id=cohort.id,
                        user_id=user.id,
                        added_by_id=added_by.id if added_by else None,
                        added_at=now,
                    )
                )
                self.session.flush()
        except IntegrityError:
            return False
        return True

    def remove_mentor(self, cohort: Cohort, user: User) -> bool:
        result = self.session.execute(
            delete(CohortMentor).where(
                CohortMentor.team_id == self.team_id,
                CohortMentor.cohort_id == cohort.id,
                CohortMentor.user_id == user.id,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def is_mentor(self, cohort: Cohort, user: User) -> bool:
        return (
            self.session.scalar(
                select(CohortMentor.id).where(
                    CohortMentor.team_id == self.team_id,
                    CohortMentor.cohort_id == cohort.id,
                    CohortMentor.user_id == user.id,
                )
            )
            is not None
        )

    def mentors(self, cohort: Cohort) -> list[Mentor]:
        rows = self.session.execute(
            select(User.id, User.slack_user_id, User.timezone, User.unreachable_since)
            .join(CohortMentor, CohortMentor.user_id == User.id)
            .where(User.team_id == self.team_id, CohortMentor.team_id == self.team_id)
            .where(CohortMentor.cohort_id == cohort.id)
            .order_by(CohortMentor.added_at, CohortMentor.id)
        ).all()
        return [Mentor(uid, slack_id, tz, unreachable is None) for uid, slack_id, tz, unreachable in rows]

    def role_of(self, cohort: Cohort, user: User) -> Role | None:
        """Mentor, student, or None (not in this cohort)."""
        if self.is_mentor(cohort, user):
            return Role.MENTOR
        return Role.STUDENT if self.membership(cohort, user) is not None else None

    # Members -------------------------------------------------------------------------------------

    def membership(self, cohort: Cohort, user: User, current: bool = True) -> CohortMember | None:
        query = select(CohortMember).where(
            CohortMember.team_id == self.team_id,
            CohortMember.cohort_id == cohort.id,
            CohortMember.user_id == user.id,
        )
        if current:
            query = query.where(CohortMember.left_at.is_(None))
        return self.session.scalar(query)

    def join(
        self,
        cohort: Cohort,
        user: User,
        now: datetime,
        sharing: SharingLevel = SharingLevel.COUNTS,
        celebrate: bool = False,
    ) -> Member:
        """Join (or join again after leaving): active, at the sharing level they agreed to."""
        in_scope(self.team_id, cohort, user)
        if sharing.per_item:
            raise ValueError("a cohort is joined at counts or stages")
        row = self.membership(cohort, user, current=False)
        if row is None:
            row = CohortMember(team_id=self.team_id, cohort_id=cohort.id, user_id=user.id)
            self.session.add(row)
        if row.left_at is not None or row.joined_at is None:
            row.joined_at, row.left_at = now, None
            row.state, row.state_changed_at = MemberState.ACTIVE.value, now
            row.placed_what = row.placed_on = row.placed_contact_id = None
        row.sharing, row.celebrate = sharing.value, celebrate
        self.session.flush()
        return _member(row, user)

    def leave(self, cohort: Cohort, user: User, now: datetime) -> bool:
        """Out of the cohort: what they shared goes; the row stays (left) for the view log."""
        in_scope(self.team_id, cohort, user)
        row = self.membership(cohort, user)
        if row is None:
            return False
        row.left_at, row.sharing, row.celebrate = now, SharingLevel.COUNTS.value, False
        self.session.execute(
            delete(CohortShare).where(
                CohortShare.team_id == self.team_id,
                CohortShare.cohort_id == cohort.id,
                CohortShare.user_id == user.id,
            )
        )
        self.session.flush()
        return True

    def set_state(
        self,
        cohort: Cohort,
        user: User,
        state: MemberState,
        now: datetime,
        placement: Placement | None = None,
    ) -> Member | None:
        """Active, paused or placed (the domain's ``check_state_change`` says what is allowed)."""
        in_scope(self.team_id, cohort, user)
        row = self.membership(cohort, user)
        if row is None:
            return None
        row.state, row.state_changed_at = state.value, now
        row.placed_what = placement.what if placement else None
        row.placed_on = placement.on if placement else None
        # What led to it: one of their own contacts, or nothing.
        contact = placement.contact_id if placement else None
        row.placed_contact_id = contact if contact is not None and self.owns_contact(user, contact) else None
        self.session.flush()
        return _member(row, user)

    def set_sharing(
        self, cohort: Cohort, user: User, level: SharingLevel, celebrate: bool | None = None
    ) -> Member | None:
        in_scope(self.team_id, cohort, user)
        if level.per_item:
            raise ValueError("items are shared one by one (share())")
        row = self.membership(cohort, user)
        if row is None:
            return None
        row.sharing = level.value
        if celebrate is not None:
            row.celebrate = celebrate
        self.session.flush()
        return _member(row, user)

    def member(self, cohort: Cohort, user: User) -> Member | None:
        row = self.membership(cohort, user)
        return None if row is None else _member(row, user)

    def members(self, cohort: Cohort) -> list[Member]:
        """The current students, by Slack id."""
        rows = self.session.execute(
            select(CohortMember, User)
            .join(User, User.id == CohortMember.user_id)
            .where(CohortMember.team_id == self.team_id, User.team_id == self.team_id)
            .where(CohortMember.cohort_id == cohort.id, CohortMember.left_at.is_(None))
            .order_by(User.slack_user_id)
        ).all()
        return [_member(row, user) for row, user in rows]

    def owns_contact(self, user: User, contact_id: int) -> bool:
        owner = self.session.scalar(
            select(Contact.owner_id).where(Contact.team_id == self.team_id, Contact.id == contact_id)
        )
        return owner == user.id

    # What students did ---------------------------------------------------------------------------

    def activity_of(
        self, cohort: Cohort, now: datetime, tz: tzinfo, only: User | None = None
    ) -> dict[int, StudentActivity]:
        """Each current student's activity (``only``: that one's), by user id, in a fixed number of
        queries. ``tz`` sets the week of "requests this week" (the cohort's)."""
        user_id = only.id if only is not None else None
        return CohortActivity(self.session, self.team_id, cohort.id, user_id).activity(now, tz)

    def weekly_counts(
        self,
        cohort: Cohort,
        weeks: Sequence[date],
        tz: tzinfo,
        only: User | None = None,
        measures: Collection[str] | None = None,
    ) -> dict[int, dict[date, WeekCounts]]:
        """Counts per current student (``only``: that one) per week, of every measure or of
        ``measures``: the export, the chart, medians and trends."""
        user_id = only.id if only is not None else None
        return CohortActivity(self.session, self.team_id, cohort.id, user_id).weekly(weeks, tz, measures)


def insert_for(session: Session, model: type[Any]) -> Any:
    """An INSERT that can take ON CONFLICT DO NOTHING, for the session's database."""
    return (pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(model)
