"""The settings modal (working window, follow-up timing, weekly goals) and what saving it says."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    PlainTextInputElement,
    SectionBlock,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.blocks.kit import esc, md, options, plain
from bot.domain.ids import ViewId
from bot.domain.window import WEEKDAYS

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def settings_modal(prefs: dict[str, Any], timezone: str | None) -> dict[str, Any]:
    day_options = options((str(i), name) for i, name in enumerate(WEEKDAY_NAMES))
    chosen = [o for o in day_options if int(o.value) in prefs["window_days"]]

    def number(field: str, label: str, hint: str) -> InputBlock:
        return InputBlock(
            block_id=field,
            label=plain(label),
            hint=plain(hint),
            element=PlainTextInputElement(action_id=field, max_length=3, initial_value=str(prefs[field])),
        )

    zone_text = esc(timezone) if timezone else "not known yet (UTC is used)"
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"Reminders reach you only inside your working window, in your Slack timezone: *{zone_text}*."
            )
        ),
        InputBlock(
            block_id="window_days",
            label=plain("Working days"),
            element=CheckboxesElement(
                action_id="window_days", options=day_options, initial_options=chosen or None
            ),
        ),
        InputBlock(
            block_id="window_start",
            label=plain("From"),
            element=TimePickerElement(action_id="window_start", initial_time=prefs["window_start"]),
        ),
        InputBlock(
            block_id="window_end",
            label=plain("Until"),
            element=TimePickerElement(action_id="window_end", initial_time=prefs["window_end"]),
        ),
        number(
            "follow_up_days", "Follow up after (days)", "Silence this long after a request means a follow-up."
        ),
        number(
            "keep_in_touch_weeks", "Keep in touch every (weeks)", "After an interview, a check-in this often."
        ),
        number("weekly_requests", "Weekly goal: new requests", "Counted in your Monday plan."),
        number("weekly_interviews", "Weekly goal: interviews", "Counted in your Monday plan."),
    ]
    return View(
        type="modal",
        callback_id=ViewId.SETTINGS,
        title=plain("Your settings", 24),
        submit=plain("Save", 24),
        close=plain("Cancel", 24),
        blocks=blocks,
    ).to_dict()


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
    return View(
        type="modal",
        title=plain("Your settings", 24),
        close=plain("Done", 24),
        blocks=[SectionBlock(text=md(settings_saved_text(prefs)))],
    ).to_dict()
