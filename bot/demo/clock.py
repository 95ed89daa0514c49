"""The demo's one clock: the real time plus an offset that the page's clock buttons move forward.

The app's services, the sweep and the Slack stand-in's message timestamps all read it, so moving it
a week ahead makes a week pass for all of them at once.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


class DemoClock:
    """``clock()`` is now (aware, UTC) as the demo sees it; it starts at ``start`` (default: the
    real now) and then runs with real time."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._start = start
        self._offset = timedelta(0)
        self.reset()

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def epoch(self) -> float:
        """Now, in seconds since 1970 (the stand-in's message timestamps)."""
        return self().timestamp()

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the demo clock takes aware datetimes")
        with self._lock:
            self._offset = when - datetime.now(UTC)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._offset += delta
            return datetime.now(UTC) + self._offset

    def reset(self) -> None:
        """Back to where it started."""
        self.set(self._start or datetime.now(UTC))


def next_monday_morning(now: datetime, tz: str, hour: int = 9) -> datetime:
    """The first Monday ``hour``:00 in ``tz`` after ``now`` (UTC)."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    days = (7 - local.weekday()) % 7
    candidate = datetime.combine(local.date() + timedelta(days=days), time(hour), tzinfo=zone)
    if candidate.astimezone(UTC) <= now:
        candidate = datetime.combine(local.date() + timedelta(days=days + 7), time(hour), tzinfo=zone)
    return candidate.astimezone(UTC)


def working_day(now: datetime, tz: str, days: int, hour: int, minute: int = 0) -> datetime:
    """``days`` days from ``now`` (negative: back) at ``hour``:``minute`` in ``tz``, moved further in
    the same direction off a weekend (UTC)."""
    zone = ZoneInfo(tz)
    day = now.astimezone(zone).date() + timedelta(days=days)
    step = timedelta(days=-1 if days < 0 else 1)
    while day.weekday() >= 5:
        day += step
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
