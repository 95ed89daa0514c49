"""Booking (or moving) an interview with a contact already chosen: when, how long, how, where."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DateTimePickerElement, SectionBlock

from bot.blocks.kit import esc, form_input, md, modal, select, text_input
from bot.domain import pipeline as core
from bot.domain.forms import DURATIONS
from bot.domain.ids import ViewId

RESCHEDULING = (ViewId.RESCHEDULE_INTERVIEW, ViewId.NUDGE_RESCHEDULE)


def schedule_modal(
    contact_name: str, private_metadata: str, callback_id: ViewId = ViewId.SCHEDULE_INTERVIEW
) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(text=md(f"Interview with *{esc(contact_name)}*. Book the slot that suits them.")),
        *booking_inputs(),
    ]
    return modal(
        "Reschedule" if callback_id in RESCHEDULING else "Schedule interview",
        blocks,
        callback_id=callback_id,
        submit="Schedule",
        private_metadata=private_metadata,
    )


def booking_inputs(hint: str | None = None) -> list[Block]:
    """When (``hint``: in which timezone), how long, how and where: the fields every booking asks."""
    durations = [(str(d), f"{d} minutes") for d in DURATIONS]
    formats = [(f.value, f.label) for f in core.InterviewFormat]
    return [
        form_input("starts_at", "Date and time", DateTimePickerElement, hint=hint),
        select("duration", "Length", durations, optional=False, initial="20"),
        select("format", "Format", formats, optional=False, initial=core.InterviewFormat.VIDEO.value),
        text_input("place", "Place or link", placeholder="Their office, a café, a video link…"),
    ]
