"""Block Kit for interviews: the confirmation DM and the schedule modal with a contact picker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ConfirmObject, ContextBlock, SectionBlock

from bot.blocks.kit import (
    MAX_OPTION_TEXT,
    as_dicts,
    button,
    clip,
    ephemeral,
    esc,
    md,
    modal,
    plain,
    plain_sentence,
    select,
    slack_date,
)
from bot.blocks.modals.schedule import booking_inputs
from bot.domain import pipeline as core
from bot.domain.ids import ActionId, ViewId
from bot.queries.models import ContactChoice, InterviewInfo

LONG_INTERVIEW = 30


def booked_headline(info: InterviewInfo, rescheduled: bool = False) -> str:
    name = esc(info.contact_name)
    if rescheduled:
        return f"📅 Moved: your interview with *{name}*."
    return f"📅 Interview with *{name}* scheduled. Prepare your questions beforehand."


def cancelled_headline(info: InterviewInfo) -> str:
    return f"❌ Cancelled: your interview with *{esc(info.contact_name)}*. Its reminders stop."


def interview_message(info: InterviewInfo, headline: str) -> dict[str, Any]:
    """The DM about one interview: when, where, and buttons to prepare, move or cancel it."""
    who = f"*{esc(clip(info.contact_name, 100))}*"
    where = " at ".join(p for p in (esc(clip(info.role, 80)), esc(clip(info.company, 80))) if p)
    details = [
        f"{who}" + (f", {where}" if where else ""),
        f"🗓 {slack_date(info.starts_at)} · {info.duration_minutes} minutes · {info.format.label}",
    ]
    if info.place:
        details.append(f"📍 {esc(clip(info.place, 300))}")
    blocks: list[Block] = [SectionBlock(text=md(headline)), SectionBlock(text=md("\n".join(details)))]
    if info.status is core.InterviewStatus.SCHEDULED:
        if info.duration_minutes > LONG_INTERVIEW:
            blocks.append(
                ContextBlock(
                    elements=[
                        md(
                            f"Heads-up: {info.duration_minutes} minutes is long for an informational "
                            "interview. 15–30 minutes is the norm; keep an eye on the time and offer to stop "
                            "at 30."
                        )
                    ]
                )
            )
        blocks.append(
            ContextBlock(
                elements=[md("The calendar file below adds it to your calendar. Keep to the agreed time.")]
            )
        )
        value = str(info.id)
        blocks.append(
            ActionsBlock(
                block_id=f"interview:{info.id}",
                elements=[
                    button("Prepare questions", ActionId.PREPARE_QUESTIONS, value, style="primary"),
                    button("Reschedule", ActionId.INTERVIEW_RESCHEDULE, value),
                    _cancel_button(value),
                ],
            )
        )
    return {"text": plain_sentence(headline), "blocks": as_dicts(blocks)}


def _cancel_button(value: str) -> Any:
    cancel = button("Cancel interview", ActionId.INTERVIEW_CANCEL, value, style="danger")
    cancel.confirm = ConfirmObject(
        title=plain("Cancel the interview?", 100),
        text=md("Its reminders stop and your calendar gets a cancellation. You can book a new time later."),
        confirm=plain("Cancel it", 30),
        deny=plain("Keep it", 30),
    )
    return cancel


def schedule_pick_modal(
    choices: Sequence[ContactChoice], preselect: int | None, timezone: str | None
) -> dict:
    """Schedule an interview from /infoint schedule: pick the contact, then when and how."""
    pairs = [(f"{c.id}:{c.version}", clip(c.label, MAX_OPTION_TEXT)) for c in choices[:100]]
    chosen = next((value for (value, _), c in zip(pairs, choices, strict=False) if c.id == preselect), None)
    zone = esc(timezone) if timezone else "your Slack timezone"
    blocks: list[Block] = [
        select("contact", "With", pairs, optional=None, initial=chosen),
        *booking_inputs(hint=f"In {timezone or 'your Slack timezone'}."),
        ContextBlock(
            elements=[md(f"Times are in {zone}. 15–30 minutes is the norm; book what suits *them*.")]
        ),
    ]
    return modal("Schedule interview", blocks, callback_id=ViewId.SCHEDULE_PICK, submit="Schedule")


def no_contacts_to_schedule() -> dict[str, Any]:
    text = "No contact to schedule with yet. Log one first with `/infoint log`."
    return ephemeral(text, [SectionBlock(text=md(text))])
