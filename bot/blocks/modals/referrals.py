"""Adding the people a contact suggested: each becomes a 2nd-degree contact, introduced by them."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.kit import clip, esc, md, plain
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
                InputBlock(
                    block_id=f"referral_{n}_{field}",
                    label=plain(f"{label} ({n})" if field != "name" else f"Person {n}: name"),
                    optional=not (n == 1 and field == "name"),
                    element=PlainTextInputElement(
                        action_id=f"referral_{n}_{field}", max_length=LIMITS[field]
                    ),
                )
            )
    return View(
        type="modal",
        callback_id=ViewId.REFERRALS,
        title=plain("Add referrals", 24),
        submit=plain("Add them", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()
