"""**Pick this week's targets**: the people on the target list to write to this week."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, InputBlock, SectionBlock, StaticMultiSelectElement
from slack_sdk.models.views import View

from bot.blocks.kit import md, options, plain
from bot.domain.ids import ViewId
from bot.domain.plan import MAX_TARGETS
from bot.queries.models import PlanTargets

TARGETS_BLOCK = "targets"


def plan_targets_modal(found: PlanTargets, private_metadata: str) -> dict[str, Any]:
    intro = (
        f"Who will you write to in the week of {found.week}? They come first in your plan, each with its "
        f"button. Up to {MAX_TARGETS}: a few requests sent beat many planned."
    )
    blocks: list[Block] = [SectionBlock(text=md(intro))]
    if not found.choices:
        blocks = [
            SectionBlock(text=md("Your target list is empty: log a few people first with `/infoint log`."))
        ]
        return View(
            type="modal", title=plain("This week's targets", 24), close=plain("Close", 24), blocks=blocks
        ).to_dict()
    choices = options((str(c.id), c.label) for c in found.choices)
    chosen = [o for o in choices if int(o.value) in found.chosen]
    blocks.append(
        InputBlock(
            block_id=TARGETS_BLOCK,
            label=plain("This week's targets"),
            optional=True,
            element=StaticMultiSelectElement(
                action_id=TARGETS_BLOCK,
                placeholder=plain("Choose people", 150),
                options=choices,
                initial_options=chosen or None,
                max_selected_items=MAX_TARGETS,
            ),
        )
    )
    return View(
        type="modal",
        callback_id=ViewId.PLAN_TARGETS,
        title=plain("This week's targets", 24),
        submit=plain("Save", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()
