"""The weekly digest: when it goes out (the mentor's weekday and time in their timezone, DST-safe),
which week it is (one digest per cohort and week, whatever the number of processes), and its
numbers: the cohort's totals and their change, the funnel, the last weeks for the chart, placements.

The digest reports the last complete week before it, beside the week before that. A digest not out
by the end of its own week is skipped: a late week never sends two. Nobody is named in the channel
but students placed that week who agreed to be celebrated. Pure: no Slack, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.cohort_report import ReportRow
from bot.domain.cohort_weekly import (
    CHART_WEEKS,
    WEEK,
    Change,
    Measure,
    WeekCounts,
    Weekly,
    week_bounds,
    week_over_week,
    weekly_totals,
    weeks_back,
)
from bot.domain.cohorts import Member, MemberState
from bot.domain.forms import Errors
from bot.domain.preferences import _clock, _digits
from bot.domain.window import WEEKDAYS, local_time, week_start, zone


@dataclass(frozen=True)
class DigestSchedule:
    """When the weekly digest goes out: a weekday (Monday = 0) and a local time in a timezone."""

    weekday: int = 0
    at: time = time(9, 0)
    timezone: str | None = None

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise ValueError("a weekday is 0 (Monday) to 6 (Sunday)")

    def describe(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M} ({self.timezone or 'UTC'})"


@dataclass(frozen=True)
class DigestSlot:
    week: date
    """The local Monday of the week it goes out in: one digest per cohort and week."""
    due_at: datetime
    expires_at: datetime
    """The end of that week: a digest not out by then is skipped."""

    @property
    def covers(self) -> date:
        """The week it reports: the last complete week before it."""
        return self.week - WEEK

    @property
    def key(self) -> str:
        return f"digest:{self.week.isoformat()}"


def digest_slot(week: date, schedule: DigestSchedule) -> DigestSlot:
    """The digest of the local week starting ``week`` (a Monday). A time that DST skips that day
    moves forward to the real instant after it."""
    tz = zone(schedule.timezone)
    return DigestSlot(
        week,
        local_time(week + timedelta(days=schedule.weekday), schedule.at, tz),
        week_bounds(week, tz)[1],
    )


def digest_slots(now: datetime, schedule: DigestSchedule) -> tuple[DigestSlot, DigestSlot]:
    """This week's digest and next week's."""
    this_week = week_start(now, zone(schedule.timezone))
    return digest_slot(this_week, schedule), digest_slot(this_week + WEEK, schedule)


def due_digest(now: datetime, schedule: DigestSchedule) -> DigestSlot | None:
    """The digest to send at ``now``: this week's, once its time came (until the week ends)."""
    current, _ = digest_slots(now, schedule)
    return current if current.due_at <= now < current.expires_at else None


def next_digest_at(now: datetime, schedule: DigestSchedule, sent_this_week: bool = False) -> datetime:
    """When to look at the cohort again: this week's due instant (``now`` once it has passed and
    the digest is still to go), or next week's once this week's went out."""
    current, following = digest_slots(now, schedule)
    return following.due_at if sent_this_week else max(current.due_at, now)


def first_digest_at(now: datetime, schedule: DigestSchedule) -> datetime:
    """The first digest time after ``now``: a cohort created (or resumed) after this week's digest
    time has nothing to report yet, so its first digest is next week's."""
    current, following = digest_slots(now, schedule)
    return current.due_at if current.due_at > now else following.due_at


def validate_digest_schedule(raw: Mapping[str, str | None]) -> DigestSchedule | Errors:
    """The mentor's digest form: a weekday 0–6, a time HH:MM and a known timezone."""
    errors: Errors = {}
    day = (raw.get("weekday") or "").strip()
    if not (_digits(day) and int(day) < 7):
        errors["weekday"] = "Pick a day of the week."
    at = _clock(raw.get("time"))
    if at is None:
        errors["time"] = "Pick a time (HH:MM)."
    timezone = (raw.get("timezone") or "").strip() or None
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            errors["timezone"] = "Pick a timezone such as Europe/Berlin or America/New_York."
    if errors:
        return errors
    assert at is not None
    return DigestSchedule(int(day), at, timezone)


@dataclass(frozen=True)
class CohortFunnel:
    students: int = 0
    contacts: int = 0
    requests: int = 0
    replies: int = 0
    interviews: int = 0
    referrals: int = 0


def cohort_funnel(rows: Iterable[ReportRow]) -> CohortFunnel:
    found = list(rows)
    return CohortFunnel(
        students=len(found),
        contacts=sum(r.contacts for r in found),
        requests=sum(r.requests for r in found),
        replies=sum(r.replies for r in found),
        interviews=sum(r.interviews for r in found),
        referrals=sum(r.referrals_received for r in found),
    )


@dataclass(frozen=True)
class DigestNumbers:
    week: date
    """The week reported."""
    totals: WeekCounts
    change: Mapping[Measure, Change]
    """Against the week before."""
    chart: tuple[tuple[date, WeekCounts], ...]
    """The cohort's last weeks, oldest first, ending with the week reported."""
    funnel: CohortFunnel
    states: Mapping[MemberState, int]
    placements: int
    """Students placed during the week reported (a count: nobody named)."""
    celebrated: tuple[str, ...]
    """The Slack ids of those of them who agreed to be celebrated in the channel."""


def digest_numbers(
    slot: DigestSlot,
    members: Sequence[Member],
    weekly: Weekly,
    rows: Iterable[ReportRow],
    chart_weeks: int = CHART_WEEKS,
) -> DigestNumbers:
    week = slot.covers
    weeks = weeks_back(week, max(chart_weeks, 2))
    totals = weekly_totals(weekly, weeks)
    placed = [
        m
        for m in members
        if m.state is MemberState.PLACED and m.placement and week <= m.placement.on < week + WEEK
    ]
    return DigestNumbers(
        week=week,
        totals=totals[week],
        change=week_over_week(totals[week], totals[week - WEEK]),
        chart=tuple((w, totals[w]) for w in weeks[-chart_weeks:]),
        funnel=cohort_funnel(rows),
        states={s: sum(1 for m in members if m.state is s) for s in MemberState},
        placements=len(placed),
        celebrated=tuple(sorted(m.slack_user_id for m in placed if m.celebrate)),
    )
