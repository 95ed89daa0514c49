"""A user's working window in their own timezone: when a nudge may reach them. Pure, DST-aware."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FULL_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class WorkingWindow:
    """Days (Monday = 0) and local hours when nudges may arrive. Default: Monday–Friday 09:00–18:00."""

    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(9, 0)
    end: time = time(18, 0)

    def __post_init__(self) -> None:
        if not self.days or not self.days <= set(range(7)):
            raise ValueError("a working window needs at least one day, Monday=0 … Sunday=6")
        if self.start >= self.end:
            raise ValueError("a working window must start before it ends")

    def describe(self) -> str:
        days = ", ".join(WEEKDAYS[d] for d in sorted(self.days))
        return f"{days}, {self.start:%H:%M}–{self.end:%H:%M}"


def zone(name: str | None) -> tzinfo:
    """The timezone Slack gave for the user; UTC when unknown or unreadable."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory name such as "America"
        return UTC


def _at(day: date, clock: time, tz: tzinfo) -> datetime:
    """A local wall-clock time on a day, as an aware instant (a time skipped by DST moves forward)."""
    local = datetime.combine(day, clock, tzinfo=tz)
    # Round-trip through UTC: a non-existent local time (spring forward) lands on the real instant after it.
    return local.astimezone(UTC).astimezone(tz)


def is_open(instant: datetime, tz: tzinfo, window: WorkingWindow) -> bool:
    # Compared in UTC: two datetimes sharing one zone compare by wall clock, which is wrong in the
    # hour a DST change repeats.
    local = instant.astimezone(tz)
    if local.weekday() not in window.days:
        return False
    moment = instant.astimezone(UTC)
    opens = _at(local.date(), window.start, tz).astimezone(UTC)
    closes = _at(local.date(), window.end, tz).astimezone(UTC)
    return opens <= moment < closes


def next_opening(instant: datetime, tz: tzinfo, window: WorkingWindow) -> datetime:
    """The first instant at or after ``instant`` inside the window."""
    if is_open(instant, tz, window):
        return instant
    local = instant.astimezone(tz)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in window.days:
            continue
        opening = _at(day, window.start, tz).astimezone(UTC)
        if opening >= instant:
            return opening
    raise AssertionError("a window with at least one day always opens within a week")


def working_day_before(instant: datetime, tz: tzinfo, window: WorkingWindow) -> datetime:
    """The opening of the last working day before the local day of ``instant``."""
    day = instant.astimezone(tz).date()
    for offset in range(1, 8):
        earlier = day - timedelta(days=offset)
        if earlier.weekday() in window.days:
            return _at(earlier, window.start, tz).astimezone(UTC)
    raise AssertionError("a window with at least one day repeats within a week")


def working_day_opening(instant: datetime, tz: tzinfo, window: WorkingWindow, n: int) -> datetime:
    """The opening of the ``n``-th working day after the local day of ``instant`` (``n`` >= 1)."""
    if n < 1:
        raise ValueError("count working days from 1")
    day = instant.astimezone(tz).date()
    found = 0
    for offset in range(1, 7 * n + 1):
        later = day + timedelta(days=offset)
        if later.weekday() in window.days:
            found += 1
            if found == n:
                return _at(later, window.start, tz).astimezone(UTC)
    raise AssertionError("a window with at least one day repeats within a week")


def week_start(instant: datetime, tz: tzinfo) -> date:
    """The local Monday of the week ``instant`` falls in."""
    local = instant.astimezone(tz).date()
    return local - timedelta(days=local.weekday())


def local_time(day: date, clock: time, tz: tzinfo) -> datetime:
    return _at(day, clock, tz).astimezone(UTC)


def day_label(instant: datetime, tz: tzinfo, today: date) -> str:
    """The local day of ``instant`` as a person reads it: "Tue 19 Jan", with the year only when it
    is not the year of ``today``."""
    day = instant.astimezone(tz).date()
    label = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return label if day.year == today.year else f"{label} {day.year}"


def moment_label(instant: datetime, tz: tzinfo, today: date) -> str:
    """A local day and time as a person reads it: "Thu 5 Mar at 09:00"."""
    return f"{day_label(instant, tz, today)} at {instant.astimezone(tz):%H:%M}"


def slot_label(instant: datetime, tz: tzinfo) -> str:
    """A local day and time spelled out, to offer someone: "Thursday 5 March at 09:00"."""
    local = instant.astimezone(tz)
    return f"{FULL_WEEKDAYS[local.weekday()]} {local.day} {FULL_MONTHS[local.month - 1]} at {local:%H:%M}"
