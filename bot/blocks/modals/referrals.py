"""Adding the people a contact suggested: each becomes a 2nd-degree contact, introduced by them."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, PlainTextInputElement, SectionBlock

from bot.blocks.kit import clip, esc, form_input, md, modal
from bot.domain.forms import LIMITS
from bot.domain.ids import ViewId

REFERRAL_SLOTS = 3


def referrals_modal(contact_name: str, private_metadata: str) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"Who did *{esc(clip(contact_name, 100))}* suggest you talk to? Each becomes a 2nd-degree "
                "contact on your list, introduced by them."
            )
        )
    ]
    for n in range(1, REFERRAL_SLOTS + 1):
        for field, label in (("name", "Name"), ("company", "Company"), ("role", "Role")):
            blocks.append(
                form_input(
                    f"referral_{n}_{field}",
                    f"{label} ({n})" if field != "name" else f"Person {n}: name",
                    PlainTextInputElement,
                    optional=not (n == 1 and field == "name"),
                    max_length=LIMITS[field],
                )
            )
    return modal(
        "Add referrals",
        blocks,
        callback_id=ViewId.REFERRALS,
        submit="Add them",
        private_metadata=private_metadata,
    )
