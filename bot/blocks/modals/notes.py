"""The wrap-up modal after an interview: takeaways, advice, action items."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, SectionBlock

from bot.blocks.kit import clip, esc, md, modal, radio, text_input
from bot.domain.ids import ViewId

NOTE_CHARS = 2000


def notes_modal(contact_name: str, private_metadata: str) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(text=md(f"What did you learn from *{esc(clip(contact_name, 100))}*?")),
        # At least one thing learned is asked for: the field says so (never labelled optional).
        _area(
            "takeaways",
            "What you learned",
            "What surprised you, what you learned about the field or the role",
            optional=False,
        ),
        _area("advice", "Their advice", "Their biggest tip for someone starting out"),
        _area("action_items", "Action items", "What you will do next because of this conversation"),
        radio(
            "talk_again",
            "Happy to talk again?",
            [("yes", "Yes"), ("maybe", "Maybe"), ("no", "No")],
            None,
            True,
        ),
    ]
    return modal(
        "Interview notes",
        blocks,
        callback_id=ViewId.NOTES,
        submit="Save notes",
        private_metadata=private_metadata,
    )


def _area(field: str, label: str, placeholder: str, optional: bool = True) -> Block:
    return text_input(
        field, label, optional=optional, placeholder=placeholder, multiline=True, max_length=NOTE_CHARS
    )
