"""The settings modal (working window, follow-up timing, weekly goals) and what saving it says."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, CheckboxesElement, SectionBlock, TimePickerElement

from bot.blocks.kit import esc, form_input, md, modal, number_input, options
from bot.domain.ids import ViewId
from bot.domain.window import WEEKDAYS

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def settings_modal(prefs: dict[str, Any], timezone: str | None) -> dict[str, Any]:
    day_options = options((str(i), name) for i, name in enumerate(WEEKDAY_NAMES))
    chosen = [o for o in day_options if int(o.value) in prefs["window_days"]]
    zone_text = esc(timezone) if timezone else "not known yet (UTC is used)"
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"Reminders reach you only inside your working window, in your Slack timezone: *{zone_text}*."
            )
        ),
        form_input(
            "window_days",
            "Working days",
            CheckboxesElement,
            options=day_options,
            initial_options=chosen or None,
        ),
        form_input("window_start", "From", TimePickerElement, initial_time=prefs["window_start"]),
        form_input("window_end", "Until", TimePickerElement, initial_time=prefs["window_end"]),
        _number(
            prefs,
            "follow_up_days",
            "Follow up after (days)",
            "Silence this long after a request means a follow-up.",
        ),
        _number(
            prefs,
            "keep_in_touch_weeks",
            "Keep in touch every (weeks)",
            "After an interview, a check-in this often.",
        ),
        _number(prefs, "weekly_requests", "Weekly goal: new requests", "Counted in your Monday plan."),
        _number(prefs, "weekly_interviews", "Weekly goal: interviews", "Counted in your Monday plan."),
    ]
    return modal("Your settings", blocks, callback_id=ViewId.SETTINGS, submit="Save")


def _number(prefs: dict[str, Any], field: str, label: str, hint: str) -> Block:
    return number_input(field, label, prefs[field], hint)


def settings_saved_text(prefs: dict[str, Any]) -> str:
    days = ", ".join(WEEKDAYS[d] for d in prefs["window_days"])
    requests = "1 request" if prefs["weekly_requests"] == 1 else f"{prefs['weekly_requests']} requests"
    interviews = (
        "1 interview" if prefs["weekly_interviews"] == 1 else f"{prefs['weekly_interviews']} interviews"
    )
    return (
        f"⚙️ Settings saved. Reminders reach you {days}, {prefs['window_start']}–{prefs['window_end']}; "
        f"follow-ups after {prefs['follow_up_days']} days; "
        f"check-ins every {prefs['keep_in_touch_weeks']} weeks; "
        f"weekly goal {requests} and {interviews}."
    )


def settings_saved_modal(prefs: dict[str, Any]) -> dict[str, Any]:
    """What the settings form shows once saved (in place of a DM)."""
    return modal("Your settings", [SectionBlock(text=md(settings_saved_text(prefs)))], close="Done")
