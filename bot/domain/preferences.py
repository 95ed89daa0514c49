"""A user's preferences (stored as JSON) and the settings the rules read from them. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import time, timedelta
from typing import Any

from bot.domain.nudges import NudgeSettings
from bot.domain.pipeline import DEFAULT_SETTINGS
from bot.domain.window import WorkingWindow

DEFAULTS: dict[str, Any] = {
    "window_days": [0, 1, 2, 3, 4],
    "window_start": "09:00",
    "window_end": "18:00",
    "follow_up_days": 7,
    "keep_in_touch_weeks": 6,
    "weekly_requests": 2,
    "weekly_interviews": 1,
    # Not on the settings form, but per user all the same.
    "max_attempts": 3,
    "later_follow_up_days": 14,
    "thank_you_hours": 48,
    "referrals_wanted": 2,
}

RANGES: dict[str, tuple[int, int]] = {
    "follow_up_days": (2, 30),
    "keep_in_touch_weeks": (2, 26),
    "weekly_requests": (0, 50),
    "weekly_interviews": (0, 20),
    "max_attempts": (1, 6),
    "later_follow_up_days": (3, 60),
    "thank_you_hours": (12, 168),
    "referrals_wanted": (0, 10),
}
FORM_FIELDS = ("follow_up_days", "keep_in_touch_weeks", "weekly_requests", "weekly_interviews")


def _digits(text: str) -> bool:
    """ASCII digits only (str.isdigit() also accepts characters such as '²' that int() refuses), and few
    enough to read: int() refuses more than 4300, and no setting needs more than a handful."""
    return len(text) <= 18 and text.isascii() and text.isdigit()


def _clock(value: Any) -> time | None:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return None
    hours, minutes = value[:2], value[3:]
    if not (_digits(hours) and _digits(minutes)) or int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def _number(prefs: Mapping[str, Any], key: str) -> int:
    value = prefs.get(key, DEFAULTS[key])
    low, high = RANGES[key]
    return value if type(value) is int and low <= value <= high else DEFAULTS[key]


def _window(prefs: Mapping[str, Any]) -> WorkingWindow:
    days = prefs.get("window_days", DEFAULTS["window_days"])
    start = _clock(prefs.get("window_start")) or time(9, 0)
    end = _clock(prefs.get("window_end")) or time(18, 0)
    try:
        return WorkingWindow(frozenset(int(d) for d in days), start, end)
    except (TypeError, ValueError):
        return WorkingWindow()


def nudge_settings(prefs: Mapping[str, Any] | None, timezone: str | None) -> NudgeSettings:
    """The settings for a user; anything missing or unreadable falls back to the method's defaults."""
    prefs = prefs or {}
    pipeline = replace(
        DEFAULT_SETTINGS,
        follow_up_after=timedelta(days=_number(prefs, "follow_up_days")),
        keep_in_touch_after=timedelta(weeks=_number(prefs, "keep_in_touch_weeks")),
        max_attempts=_number(prefs, "max_attempts"),
        later_follow_up_after=timedelta(days=_number(prefs, "later_follow_up_days")),
        thank_you_within=timedelta(hours=_number(prefs, "thank_you_hours")),
        referrals_wanted=_number(prefs, "referrals_wanted"),
    )
    return NudgeSettings(
        pipeline=pipeline,
        window=_window(prefs),
        timezone=timezone,
        weekly_requests=_number(prefs, "weekly_requests"),
        weekly_interviews=_number(prefs, "weekly_interviews"),
        weekly_plan=prefs.get("plan_paused") is not True,
    )


def current(prefs: Mapping[str, Any] | None) -> dict[str, Any]:
    """The preferences with defaults filled in, as the settings form shows them."""
    settings = nudge_settings(prefs, None)
    return {
        "window_days": sorted(settings.window.days),
        "window_start": f"{settings.window.start:%H:%M}",
        "window_end": f"{settings.window.end:%H:%M}",
        "follow_up_days": settings.pipeline.follow_up_after.days,
        "keep_in_touch_weeks": settings.pipeline.keep_in_touch_after.days // 7,
        "weekly_requests": settings.weekly_requests,
        "weekly_interviews": settings.weekly_interviews,
    }


def validate_settings(raw: Mapping[str, Any]) -> dict[str, Any] | dict[str, str]:
    """Check the settings form. Returns ``("ok", prefs)``-like: a dict with key ``prefs`` or errors."""
    errors: dict[str, str] = {}
    days_raw = raw.get("window_days") or []
    days = sorted({int(d) for d in days_raw if isinstance(d, str) and _digits(d) and int(d) < 7})
    if not days:
        errors["window_days"] = "Pick at least one day."
    start, end = _clock(raw.get("window_start")), _clock(raw.get("window_end"))
    if start is None:
        errors["window_start"] = "Pick a start time."
    if end is None:
        errors["window_end"] = "Pick an end time."
    if start and end and start >= end:
        errors["window_end"] = "The end must come after the start."
    numbers: dict[str, int] = {}
    for key in FORM_FIELDS:
        low, high = RANGES[key]
        value = str(raw.get(key) or "").strip()
        if not _digits(value) or not low <= int(value) <= high:
            errors[key] = f"A whole number from {low} to {high}."
        else:
            numbers[key] = int(value)
    if errors:
        return {"errors": errors}
    assert start is not None and end is not None
    return {
        "prefs": {
            "window_days": days,
            "window_start": f"{start:%H:%M}",
            "window_end": f"{end:%H:%M}",
            **numbers,
        }
    }
