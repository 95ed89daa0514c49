"""What a cohort's students did, for the report, the digest and the export: a fixed number of
set-based queries per cohort (one GROUP BY per measure over all members), never one per student.

Every query is scoped by workspace (``team_id`` on each table it reads) and to the cohort's current
members. Only counts, instants and ids come out: no contact's name, company or notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime, tzinfo
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from bot.domain.cohort_report import InterviewDone, StudentActivity, WaitingRequest
from bot.domain.cohort_weekly import WEEK, WeekCounts, week_bounds
from bot.domain.cohorts import MemberState
from bot.domain.nudges import InterviewFacts
from bot.domain.pipeline import AttemptOutcome, InterviewStatus, Stage
from bot.domain.preferences import nudge_settings
from bot.domain.reminders import NudgeKind, ReminderStatus, Resolution
from bot.domain.window import week_start
from storage.models import CohortMember, Contact, Interview, Nudge, OutreachAttempt, User

REPLIED = (AttemptOutcome.YES.value, AttemptOutcome.NO.value, AttemptOutcome.LATER.value)
FOLLOW_UP_KINDS = (
    NudgeKind.FOLLOW_UP.value,
    NudgeKind.INTRO_FOLLOW_UP.value,  # a request for an introduction, followed up with the introducer
    NudgeKind.PHONE_CALL.value,
    NudgeKind.MOVE_ON.value,
)
ASKED = (Resolution.DONE.value, Resolution.REFERRALS.value)


class CohortActivity:
    """Reads of one cohort of one workspace, inside the caller's unit of work."""

    def __init__(self, session: Session, team_id: str, cohort_id: int, user_id: int | None = None) -> None:
        """``user_id``: only that member (a student's own row), else every current member."""
        self.session = session
        self.team_id = team_id
        self.cohort_id = cohort_id
        self.user_id = user_id

    def _current(self) -> tuple[ColumnElement[bool], ...]:
        only = () if self.user_id is None else (CohortMember.user_id == self.user_id,)
        return (
            CohortMember.team_id == self.team_id,
            CohortMember.cohort_id == self.cohort_id,
            CohortMember.left_at.is_(None),
            *only,
        )

    def _members(self) -> Select[Any]:
        return select(CohortMember.user_id).where(*self._current())

    def _contacts(self) -> tuple[ColumnElement[bool], ...]:
        return (Contact.team_id == self.team_id, Contact.owner_id.in_(self._members()))

    def _about_contacts(self, table: type[OutreachAttempt | Interview]) -> tuple[ColumnElement[bool], ...]:
        """Rows of ``table`` (joined to their contact) of this workspace, about the members' contacts."""
        return (table.team_id == self.team_id, *self._contacts())

    def _nudges(self) -> tuple[ColumnElement[bool], ...]:
        return (Nudge.team_id == self.team_id, Nudge.user_id.in_(self._members()))

    def active_ids(self) -> list[int]:
        """The current members who are active (not paused, not placed): whom a median is over."""
        return list(
            self.session.scalars(self._members().where(CohortMember.state == MemberState.ACTIVE.value))
        )

    # The report's facts ----------------------------------------------------------------------------

    def activity(self, now: datetime, tz: tzinfo) -> dict[int, StudentActivity]:
        """Each current member's activity (zeros for one who did nothing), by user id. At most ten queries,
        whatever the number of students."""
        this_week = week_bounds(week_start(now, tz), tz)
        facts: dict[int, dict[str, Any]] = {}
        for user_id, timezone, prefs, joined_at in self.session.execute(
            select(User.id, User.timezone, User.preferences, CohortMember.joined_at)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(User.team_id == self.team_id, *self._current())
        ):
            window = nudge_settings(prefs, timezone).window
            facts[user_id] = {"joined_at": joined_at, "timezone": timezone, "window": window, "stages": {}}
        self._contact_counts(facts)
        self._attempts(facts, this_week)
        self._interviews(facts)
        self._waiting(facts, now)
        self._agreed(facts)
        return {user_id: StudentActivity(user_id, **values) for user_id, values in facts.items()}

    def _contact_counts(self, facts: dict[int, dict[str, Any]]) -> None:
        # One pass over the members' contacts: per contact (asked? answered? an interview
        # arranged?), then per owner and stage. (A correlated EXISTS per contact instead is a
        # subplan per row to PostgreSQL, costed so high that it JIT-compiles the query: ~0.3 s.)
        per_contact = (
            select(
                Contact.owner_id.label("owner"),
                Contact.stage.label("stage"),
                func.max(case((OutreachAttempt.id.is_not(None), 1), else_=0)).label("asked"),
                func.max(case((OutreachAttempt.outcome.in_(REPLIED), 1), else_=0)).label("replied"),
                func.max(case((Interview.id.is_not(None), 1), else_=0)).label("met"),
                func.max(case((Contact.introducer_contact_id.is_not(None), 1), else_=0)).label("referred"),
                func.max(Contact.updated_at).label("updated"),
            )
            .outerjoin(
                OutreachAttempt,
                and_(OutreachAttempt.contact_id == Contact.id, OutreachAttempt.team_id == self.team_id),
            )
            .outerjoin(Interview, and_(Interview.contact_id == Contact.id, Interview.team_id == self.team_id))
            .where(*self._contacts())
            .group_by(Contact.owner_id, Contact.stage, Contact.id)
            .subquery()
        )
        c = per_contact.c
        rows = self.session.execute(
            select(
                c.owner,
                c.stage,
                func.count(),
                func.sum(case((or_(c.asked == 1, c.met == 1), 1), else_=0)),
                func.sum(case((or_(c.replied == 1, c.met == 1), 1), else_=0)),
                func.sum(c.referred),
                func.max(c.updated),
            ).group_by(c.owner, c.stage)
        )
        for owner, stage, count, requests, replies, referred, updated in rows:
            if (student := facts.get(owner)) is None:
                continue  # joined after the members were read
            student["stages"][stage] = count
            student["contacts"] = student.get("contacts", 0) + count
            student["requests"] = student.get("requests", 0) + int(requests or 0)
            student["replies"] = student.get("replies", 0) + int(replies or 0)
            student["referrals_received"] = student.get("referrals_received", 0) + int(referred or 0)
            _latest(student, "last_activity_at", updated)

    def _attempts(self, facts: dict[int, dict[str, Any]], week: tuple[datetime, datetime]) -> None:
        first_this_week = and_(
            OutreachAttempt.number == 1, OutreachAttempt.sent_at >= week[0], OutreachAttempt.sent_at < week[1]
        )
        rows = self.session.execute(
            select(
                Contact.owner_id,
                func.max(OutreachAttempt.sent_at),
                func.max(OutreachAttempt.outcome_at),
                func.sum(case((first_this_week, 1), else_=0)),
            )
            .join(Contact, Contact.id == OutreachAttempt.contact_id)
            .where(*self._about_contacts(OutreachAttempt))
            .group_by(Contact.owner_id)
        )
        for owner, last_sent, last_reply, this_week in rows:
            if (student := facts.get(owner)) is None:
                continue
            student["last_outreach_at"] = last_sent
            student["requests_this_week"] = int(this_week or 0)
            _latest(student, "last_activity_at", last_sent)
            _latest(student, "last_activity_at", last_reply)

    def _interviews(self, facts: dict[int, dict[str, Any]]) -> None:
        """Interviews done, each with whether a referral ask is recorded: the contact introduced
        someone (a new contact of the student's), or the reminder to ask was done. Three plain
        queries joined here: as one query, PostgreSQL's row estimates for these correlated filters
        can be off twentyfold and turn the joins into nested loops over every pair."""
        rows = self.session.execute(
            select(
                Contact.owner_id,
                Contact.id,
                Interview.id,
                Interview.starts_at,
                Interview.duration_minutes,
                Interview.done_at,
                Interview.thank_you_at,
            )
            .join(Contact, Contact.id == Interview.contact_id)
            .where(*self._about_contacts(Interview), Interview.status == InterviewStatus.DONE.value)
            .order_by(Contact.owner_id, Interview.starts_at, Interview.id)
        ).all()
        if not rows:
            return
        referrers = set(
            self.session.scalars(
                select(Contact.introducer_contact_id)
                .where(*self._contacts(), Contact.introducer_contact_id.is_not(None))
                .group_by(Contact.introducer_contact_id)
            )
        )
        reminded = set(
            self.session.scalars(
                select(Nudge.interview_id)
                .where(
                    *self._nudges(),
                    Nudge.kind == NudgeKind.REFERRALS.value,
                    Nudge.status == ReminderStatus.RESOLVED.value,
                    Nudge.resolution.in_(ASKED),
                )
                .group_by(Nudge.interview_id)
            )
        )
        found: dict[int, list[InterviewDone]] = defaultdict(list)
        for owner, contact_id, interview_id, starts_at, minutes, done_at, thanked in rows:
            # The same "finished" as the thank-you rule: its end, or when it was marked done if later.
            finished = InterviewFacts(
                interview_id, starts_at, minutes, InterviewStatus.DONE, done_at=done_at
            ).finished_at
            asked = contact_id in referrers or interview_id in reminded
            found[owner].append(InterviewDone(finished, thanked, asked))
        for owner, interviews in found.items():
            _put(facts, owner, "interviews", tuple(interviews))

    def _waiting(self, facts: dict[int, dict[str, Any]], now: datetime) -> None:
        """Requests waiting for a reply (the latest attempt unanswered, no reminder snoozed past
        ``now``) and follow-up reminders sent and not dealt with: one entry per contact. Plain
        queries, matched here (see ``_interviews``)."""
        attempts = self.session.execute(
            select(
                Contact.owner_id,
                Contact.id,
                OutreachAttempt.number,
                OutreachAttempt.sent_at,
                OutreachAttempt.outcome,
            )
            .join(OutreachAttempt, OutreachAttempt.contact_id == Contact.id)
            .where(*self._about_contacts(OutreachAttempt), Contact.stage == Stage.REQUESTED.value)
        )
        latest: dict[int, tuple[int, int, datetime, str]] = {}
        for owner, contact_id, number, sent_at, outcome in attempts:
            seen = latest.get(contact_id)
            if seen is None or number > seen[1]:
                latest[contact_id] = (owner, number, sent_at, outcome)
        snoozed = set(
            self.session.scalars(
                select(Nudge.contact_id)
                .where(
                    *self._nudges(),
                    Nudge.kind.in_(FOLLOW_UP_KINDS),
                    Nudge.status == ReminderStatus.PENDING.value,
                    Nudge.due_at > now,
                )
                .group_by(Nudge.contact_id)
            )
        )
        reminded = self.session.execute(
            select(Nudge.user_id, Nudge.contact_id, func.min(Nudge.sent_at))
            .where(
                *self._nudges(),
                Nudge.kind.in_(FOLLOW_UP_KINDS),
                Nudge.status == ReminderStatus.SENT.value,
                Nudge.contact_id.is_not(None),
            )
            .group_by(Nudge.user_id, Nudge.contact_id)
        )
        waiting: dict[int, dict[int, WaitingRequest]] = defaultdict(dict)
        for contact_id, (owner, _, sent_at, outcome) in latest.items():
            if outcome == AttemptOutcome.PENDING.value and contact_id not in snoozed:
                waiting[owner][contact_id] = WaitingRequest(contact_id, sent_at=sent_at)
        for owner, reminded_id, reminder_at in reminded:
            if reminded_id is None:  # not selected: typed so by the nullable column
                continue
            held = waiting[owner].get(reminded_id) or WaitingRequest(reminded_id)
            waiting[owner][reminded_id] = WaitingRequest(reminded_id, held.sent_at, reminder_at)
        for owner, by_contact in waiting.items():
            _put(facts, owner, "waiting", tuple(by_contact[c] for c in sorted(by_contact)))

    def _agreed(self, facts: dict[int, dict[str, Any]]) -> None:
        """When each contact at "said yes, to schedule" got there."""
        rows = self.session.execute(
            select(Contact.owner_id, Contact.stage_changed_at)
            .where(*self._contacts(), Contact.stage == Stage.AGREED.value)
            .order_by(Contact.owner_id, Contact.stage_changed_at)
        )
        found: dict[int, list[datetime]] = defaultdict(list)
        for owner, changed_at in rows:
            found[owner].append(changed_at)
        for owner, instants in found.items():
            _put(facts, owner, "yes_at", tuple(instants))

    # Weekly counts ---------------------------------------------------------------------------------

    def weekly(
        self, weeks: Sequence[date], tz: tzinfo, only: Collection[str] | None = None
    ) -> dict[int, dict[date, WeekCounts]]:
        """Counts per member per week (local weeks in ``tz``, consecutive Mondays): five GROUP BY
        queries whatever the number of students or weeks (``only``: those measures, the others
        zero). Weeks with nothing are left out."""
        if not weeks:
            return {}
        if any(b - a != WEEK for a, b in pairwise(weeks)):
            raise ValueError("weeks must be consecutive Mondays")
        edges = [week_bounds(w, tz)[0] for w in weeks] + [week_bounds(weeks[-1], tz)[1]]
        counts: dict[int, dict[date, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        attempts = self._about_contacts(OutreachAttempt)
        interviews = self._about_contacts(Interview)
        measures: list[tuple[str, Any, Any, tuple[ColumnElement[bool], ...]]] = [
            ("requests", OutreachAttempt.sent_at, OutreachAttempt, (*attempts, OutreachAttempt.number == 1)),
            (
                "replies",
                OutreachAttempt.outcome_at,
                OutreachAttempt,
                (*attempts, OutreachAttempt.outcome.in_(REPLIED)),
            ),
            (
                "interviews",
                Interview.starts_at,
                Interview,
                (*interviews, Interview.status == InterviewStatus.DONE.value),
            ),
            ("thank_yous", Interview.thank_you_at, Interview, interviews),
            (
                "referrals",
                Contact.created_at,
                None,
                (*self._contacts(), Contact.introducer_contact_id.is_not(None)),
            ),
        ]
        for measure, instant, table, conditions in measures:
            if only is not None and measure not in only:
                continue
            bucket = case(*((instant < edges[i + 1], i) for i in range(len(weeks))))
            inner = select(Contact.owner_id.label("owner"), bucket.label("week"))
            if table is not None:
                inner = inner.select_from(table).join(Contact, Contact.id == table.contact_id)
            inner_sq = inner.where(*conditions, instant >= edges[0], instant < edges[-1]).subquery()
            rows = self.session.execute(
                select(inner_sq.c.owner, inner_sq.c.week, func.count()).group_by(
                    inner_sq.c.owner, inner_sq.c.week
                )
            )
            for owner, index, count in rows:
                counts[owner][weeks[index]][measure] = count
        return {
            owner: {week: WeekCounts(**values) for week, values in by_week.items()}
            for owner, by_week in counts.items()
        }


def _latest(values: dict[str, Any], key: str, instant: datetime | None) -> None:
    if instant is not None and (values.get(key) is None or instant > values[key]):
        values[key] = instant


def _put(facts: dict[int, dict[str, Any]], owner: int, key: str, value: Any) -> None:
    if owner in facts:  # not one who joined after the members were read
        facts[owner][key] = value
