"""A cohort's weekly numbers: counts per student per week, the cohort's totals and their change, the
cohort median and a student's own trend (never a ranking), progress against the cohort's targets,
and the weekly export (a CSV of counts per student per week).

Weeks are local weeks (Monday to Sunday) in the cohort's timezone, named by their Monday. Pure: no
Slack, no database, no clock. The digest built from these numbers is in ``bot.domain.cohort_digest``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from bot.domain.cohorts import Member, MemberState, csv_text
from bot.domain.window import local_time

WEEK = timedelta(weeks=1)
CHART_WEEKS = 6


class Measure(StrEnum):
    """What is counted per student per week (each an event in that week)."""

    REQUESTS = "requests"  # first requests sent
    REPLIES = "replies"  # answers recorded (yes, no, later)
    INTERVIEWS = "interviews"  # conversations held (interviews done)
    THANK_YOUS = "thank_yous"  # thank-yous sent
    REFERRALS = "referrals"  # contacts introduced by another contact

    @property
    def label(self) -> str:
        return {
            "requests": "Requests",
            "replies": "Replies",
            "interviews": "Interviews",
            "thank_yous": "Thank-yous",
            "referrals": "Referrals received",
        }[self.value]


@dataclass(frozen=True)
class WeekCounts:
    requests: int = 0
    replies: int = 0
    interviews: int = 0
    thank_yous: int = 0
    referrals: int = 0

    def of(self, measure: Measure) -> int:
        value: int = getattr(self, measure.value)
        return value

    def __add__(self, other: WeekCounts) -> WeekCounts:
        return WeekCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


ZERO = WeekCounts()

Weekly = Mapping[int, Mapping[date, WeekCounts]]
"""Counts by student (user id) and week (its local Monday)."""


def week_bounds(week: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The UTC instants a local week starts and ends at (its Monday midnight, the next one)."""
    return local_time(week, time(0, 0), tz), local_time(week + WEEK, time(0, 0), tz)


def weeks_back(last: date, count: int) -> tuple[date, ...]:
    """``count`` weeks ending with ``last``, oldest first."""
    return tuple(last - WEEK * n for n in reversed(range(count)))


def weeks_between(first: date, last: date) -> tuple[date, ...]:
    """Every week from the one holding ``first`` to the one holding ``last`` (dates, any weekday)."""
    start = first - timedelta(days=first.weekday())
    end = last - timedelta(days=last.weekday())
    return tuple(start + WEEK * n for n in range((end - start).days // 7 + 1)) if start <= end else ()


def weekly_totals(weekly: Weekly, weeks: Sequence[date]) -> dict[date, WeekCounts]:
    """The cohort's counts per week, every student added up."""
    totals = dict.fromkeys(weeks, ZERO)
    for by_week in weekly.values():
        for week in weeks:
            totals[week] = totals[week] + by_week.get(week, ZERO)
    return totals


@dataclass(frozen=True)
class Change:
    current: int
    previous: int

    @property
    def delta(self) -> int:
        return self.current - self.previous

    @property
    def percent(self) -> int | None:
        """The change in percent; None from nothing (no percentage of zero)."""
        return round(100 * self.delta / self.previous) if self.previous else None


def week_over_week(current: WeekCounts, previous: WeekCounts) -> dict[Measure, Change]:
    return {m: Change(current.of(m), previous.of(m)) for m in Measure}


def median(values: Iterable[int]) -> float | None:
    found = list(values)
    return float(statistics.median(found)) if found else None


def cohort_median(members: Iterable[Member], weekly: Weekly, week: date, measure: Measure) -> float | None:
    """The middle value of a week's measure over active students (paused and placed ones are away).
    Shown to a student beside their own numbers: a reference point, not a rank."""
    return median(
        weekly.get(m.user_id, {}).get(week, ZERO).of(measure)
        for m in members
        if m.state is MemberState.ACTIVE
    )


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    STEADY = "steady"
    NEW = "new"  # no earlier week to compare with


@dataclass(frozen=True)
class Trend:
    weeks: tuple[int, ...]
    """The last weeks' values, oldest first; the last one is the current week."""
    average: float | None
    """The average of the weeks before the current one."""

    @property
    def current(self) -> int:
        return self.weeks[-1] if self.weeks else 0

    @property
    def direction(self) -> Direction:
        if self.average is None:
            return Direction.NEW
        if self.current > self.average:
            return Direction.UP
        return Direction.DOWN if self.current < self.average else Direction.STEADY


def own_trend(series: Sequence[int], weeks: int = CHART_WEEKS) -> Trend:
    """A student's current week against their own previous weeks (``weeks`` in all, 4 to 6)."""
    if not 2 <= weeks <= 8:
        raise ValueError("a trend looks at 2 to 8 weeks")
    kept = tuple(series[-weeks:])
    earlier = kept[:-1]
    return Trend(kept, sum(earlier) / len(earlier) if earlier else None)


@dataclass(frozen=True)
class Progress:
    """A student's week on one measure: against the cohort's target, their own trend and the
    cohort's median. Nobody else's numbers."""

    measure: Measure
    done: int
    target: int
    trend: Trend
    cohort_median: float | None

    @property
    def on_target(self) -> bool:
        return self.done >= self.target


def progress(
    series: Sequence[WeekCounts], measure: Measure, target: int, cohort_median: float | None
) -> Progress:
    trend = own_trend([w.of(measure) for w in series]) if series else Trend((), None)
    return Progress(measure, trend.current, target, trend, cohort_median)


EXPORT_COLUMNS: tuple[str, ...] = ("Student", "Week", *(m.label for m in Measure))


def weekly_csv(members: Iterable[Member], weekly: Weekly, weeks: Sequence[date]) -> str:
    """The mentor's export: counts per student per week (every week, zeros included)."""
    ordered = sorted(members, key=lambda m: m.slack_user_id)
    return csv_text(
        EXPORT_COLUMNS,
        (
            (m.slack_user_id, week.isoformat(), *(counts.of(x) for x in Measure))
            for m in ordered
            for week in weeks
            for counts in (weekly.get(m.user_id, {}).get(week, ZERO),)
        ),
    )
