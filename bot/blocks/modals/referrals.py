"""Adding the people a contact suggested: one box, a line per person ("Name, Company, Role"); each
becomes a 2nd-degree contact, introduced by them."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.kit import clip, esc, md, plain
from bot.domain.forms import LIMITS, MAX_REFERRALS, REFERRALS_FIELD
from bot.domain.ids import ViewId


def referrals_modal(contact_name: str, private_metadata: str) -> dict[str, Any]:
    longest = MAX_REFERRALS * (LIMITS["name"] + LIMITS["company"] + LIMITS["role"] + 5)
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"Who did *{esc(clip(contact_name, 100))}* suggest you talk to? Each becomes a 2nd-degree "
                "contact on your list, introduced by them."
            )
        ),
        InputBlock(
            block_id=REFERRALS_FIELD,
            label=plain("One person per line"),
            hint=plain("Name, Company, Role: the company and the role can wait.", 150),
            element=PlainTextInputElement(
                action_id=REFERRALS_FIELD,
                multiline=True,
                max_length=min(longest, 3000),
                placeholder=plain("Linus Torvalds, Kernel Co, Maintainer\nBarbara Liskov, MIT", 150),
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=ViewId.REFERRALS,
        title=plain("Add referrals", 24),
        submit=plain("Add them", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()
