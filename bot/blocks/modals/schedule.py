"""Booking (or moving) an interview with a contact already chosen: when, how long, how, where."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DateTimePickerElement, InputBlock, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.kit import esc, md, plain, select, text_input
from bot.domain import pipeline as core
from bot.domain.forms import DURATIONS
from bot.domain.ids import ViewId

RESCHEDULING = (ViewId.RESCHEDULE_INTERVIEW, ViewId.NUDGE_RESCHEDULE)


def schedule_modal(
    contact_name: str, private_metadata: str, callback_id: ViewId = ViewId.SCHEDULE_INTERVIEW
) -> dict[str, Any]:
    durations = [(str(d), f"{d} minutes") for d in DURATIONS]
    formats = [(f.value, f.label) for f in core.InterviewFormat]
    blocks: list[Block] = [
        SectionBlock(text=md(f"Interview with *{esc(contact_name)}*. Book the slot that suits them.")),
        InputBlock(
            block_id="starts_at",
            label=plain("Date and time"),
            element=DateTimePickerElement(action_id="starts_at"),
        ),
        select("duration", "Length", durations, optional=False, initial="20"),
        select("format", "Format", formats, optional=False, initial=core.InterviewFormat.VIDEO.value),
        text_input("place", "Place or link", placeholder="Their office, a café, a video link…"),
    ]
    view = View(
        type="modal",
        callback_id=callback_id,
        title=plain("Reschedule" if callback_id in RESCHEDULING else "Schedule interview", 24),
        submit=plain("Schedule", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    )
    return view.to_dict()
