"""Adding the people a contact suggested: one box, a line per person ("Name, Company, Role"); each
becomes a 2nd-degree contact, introduced by them."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, SectionBlock

from bot.blocks.kit import clip, esc, md, modal, text_input
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
        text_input(
            REFERRALS_FIELD,
            "One person per line",
            optional=False,
            placeholder="Linus Torvalds, Kernel Co, Maintainer\nBarbara Liskov, MIT",
            multiline=True,
            hint="Name, Company, Role: the company and the role can wait.",
            max_length=min(longest, 3000),
        ),
    ]
    return modal(
        "Add referrals",
        blocks,
        callback_id=ViewId.REFERRALS,
        submit="Add them",
        private_metadata=private_metadata,
    )
