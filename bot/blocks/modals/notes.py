"""The wrap-up modal after an interview: takeaways, advice, action items."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.kit import clip, esc, md, plain, radio
from bot.domain.ids import ViewId


def notes_modal(contact_name: str, private_metadata: str) -> dict[str, Any]:
    def area(field: str, label: str, placeholder: str, optional: bool = True) -> InputBlock:
        return InputBlock(
            block_id=field,
            label=plain(label),
            optional=optional,
            element=PlainTextInputElement(
                action_id=field, multiline=True, max_length=2000, placeholder=plain(placeholder, 150)
            ),
        )

    blocks: list[Block] = [
        SectionBlock(text=md(f"What did you learn from *{esc(clip(contact_name, 100))}*?")),
        # At least one thing learned is asked for: the field says so (never labelled optional).
        area(
            "takeaways",
            "What you learned",
            "What surprised you, what you learned about the field or the role",
            optional=False,
        ),
        area("advice", "Their advice", "Their biggest tip for someone starting out"),
        area("action_items", "Action items", "What you will do next because of this conversation"),
        radio(
            "talk_again",
            "Happy to talk again?",
            [("yes", "Yes"), ("maybe", "Maybe"), ("no", "No")],
            None,
            True,
        ),
    ]
    return View(
        type="modal",
        callback_id=ViewId.NOTES,
        title=plain("Interview notes", 24),
        submit=plain("Save notes", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()
