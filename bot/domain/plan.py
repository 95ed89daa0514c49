"""The Monday plan's choices and its tone. Pure: preferences, dates and facts in; no clock.

What the student chose for a week lives in their preferences (JSON), under ``plan``: the week
(its local Monday), the targets picked for it, and whether it is skipped. ``plan_paused`` stops the
plan altogether until the student resumes it. ``plan_skipped_weeks`` remembers the last weeks skipped.

- **Pick this week's targets**: the people the student means to write to this week; the plan lists
  them first, each with its button.
- **Skip this week**: the week is marked skipped. Its goals don't count, the Home says so, the plan
  says when the next one comes, and a skipped week is never called a quiet one. Reminders about
  contacts still come when they are due: a follow-up or a thank-you doesn't wait for a better week.
- **Pause the plan**: no plan on Mondays until the student resumes it (from the App Home).
- **Two quiet weeks** (no request, reply or interview in 14 days, none of them skipped): the plan
  changes its tone and offers help (three people to start with, or pausing) instead of repeating the
  same lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.domain.pipeline import Degree

QUIET = timedelta(days=14)
MAX_TARGETS = 10
SUGGESTED = 3
_SKIPS_KEPT = 8


@dataclass(frozen=True)
class WeekChoices:
    """What the student chose for one week."""

    week: date
    targets: tuple[int, ...] = ()
    skipped: bool = False
    paused: bool = False


def _monday(raw: object) -> date | None:
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _skipped_weeks(prefs: Mapping[str, Any]) -> list[date]:
    raw = prefs.get("plan_skipped_weeks")
    weeks = [_monday(w) for w in raw] if isinstance(raw, list) else []
    return [w for w in weeks if w is not None]


def choices(prefs: Mapping[str, Any] | None, week: date) -> WeekChoices:
    """The choices for ``week`` (nothing chosen when what is stored is about another week)."""
    prefs = prefs or {}
    paused = prefs.get("plan_paused") is True
    stored = prefs.get("plan")
    if not isinstance(stored, Mapping) or _monday(stored.get("week")) != week:
        return WeekChoices(week, skipped=week in _skipped_weeks(prefs), paused=paused)
    raw = stored.get("targets")
    targets = tuple(t for t in raw if type(t) is int and t > 0)[:MAX_TARGETS] if isinstance(raw, list) else ()
    skipped = stored.get("skipped") is True or week in _skipped_weeks(prefs)
    return WeekChoices(week, targets, skipped, paused)


def picked(prefs: Mapping[str, Any] | None, week: date, targets: Iterable[int]) -> dict[str, Any]:
    """The preferences to store after picking ``targets`` for ``week`` (at most ten, in order)."""
    current = choices(prefs, week)
    ids = tuple(dict.fromkeys(t for t in targets if t > 0))[:MAX_TARGETS]
    return {"plan": {"week": week.isoformat(), "targets": list(ids), "skipped": current.skipped}}


def skipped(prefs: Mapping[str, Any] | None, week: date) -> dict[str, Any]:
    """The preferences to store after skipping ``week``."""
    current = choices(prefs, week)
    weeks = sorted({*_skipped_weeks(prefs or {}), week})[-_SKIPS_KEPT:]
    return {
        "plan": {"week": week.isoformat(), "targets": list(current.targets), "skipped": True},
        "plan_skipped_weeks": [w.isoformat() for w in weeks],
    }


def paused(pause: bool) -> dict[str, Any]:
    return {"plan_paused": pause}


def is_quiet(
    last_move: datetime | None,
    first_contact: datetime | None,
    now: datetime,
    skipped_weeks: Sequence[date] = (),
) -> bool:
    """Nothing moved (no request, reply or interview) for two weeks, and the student had contacts
    all that time; a week the student skipped doesn't count as quiet."""
    if first_contact is None:
        return False
    since = last_move or first_contact
    if now - since < QUIET:
        return False
    quiet_from = (now - QUIET).date()
    return not any(quiet_from - timedelta(days=6) <= week <= now.date() for week in skipped_weeks)


def skipped_weeks(prefs: Mapping[str, Any] | None) -> list[date]:
    return _skipped_weeks(prefs or {})


@dataclass(frozen=True)
class Target:
    """A contact still on the target list, as the suggestions weigh it."""

    id: int
    degree: Degree
    created_at: datetime


def suggestions(targets: Iterable[Target], n: int = SUGGESTED) -> list[int]:
    """Who to start with: people the student knows first (the likeliest "yes"), then through
    someone, then cold; the longest waiting first."""
    order = {Degree.FIRST: 0, Degree.SECOND: 1, Degree.COLD: 2}
    ranked = sorted(targets, key=lambda t: (order[t.degree], t.created_at, t.id))
    return [t.id for t in ranked[:n]]
