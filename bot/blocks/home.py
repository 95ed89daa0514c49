"""Block Kit for the App Home: the funnel, two buttons and what's due next."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, DividerBlock, HeaderBlock, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.cohorts import home_blocks
from bot.blocks.kit import MAX_HEADER_TEXT, MAX_VIEW_BLOCKS, button, fit_lines, md, plain
from bot.blocks.steps import step_mrkdwn
from bot.domain import pipeline as core
from bot.domain.ids import ActionId
from bot.queries.models import HomeCohort, StepLine

# Blocks kept for the cohorts section of a mentor's or student's Home.
COHORT_BLOCKS = 30


def home_view(
    counts: dict[core.Stage, int], due: Sequence[StepLine], cohorts: Sequence[HomeCohort] = ()
) -> dict[str, Any]:
    total = sum(counts.values())
    funnel = " · ".join(f"{stage.label}: *{counts.get(stage, 0)}*" for stage in core.Stage)
    blocks: list[Block] = [
        HeaderBlock(text=plain("Your informational interviews", MAX_HEADER_TEXT)),
        SectionBlock(text=md(f"*{total}* contacts\n{funnel}")),
        ActionsBlock(
            block_id="home_actions",
            elements=[
                button("Log a contact", ActionId.OPEN_LOG_MODAL, style="primary"),
                button("See my list", ActionId.OPEN_PIPELINE),
            ],
        ),
        DividerBlock(),
        HeaderBlock(text=plain("What's next", MAX_HEADER_TEXT)),
    ]
    reserved = min(COHORT_BLOCKS, 2 + 2 * len(cohorts)) if cohorts else 0
    if due:
        lines = [f"• {step_mrkdwn(line)}" for line in due]
        blocks += fit_lines(lines, MAX_VIEW_BLOCKS - len(blocks) - 1 - reserved)
    else:
        blocks.append(SectionBlock(text=md("Nothing due. Log a contact to get going.")))
    blocks += home_blocks(cohorts, MAX_VIEW_BLOCKS - len(blocks) - 1)
    blocks.append(ContextBlock(elements=[md("Updated whenever you open this tab.")]))
    return View(type="home", blocks=blocks).to_dict()
