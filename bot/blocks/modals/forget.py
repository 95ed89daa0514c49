"""``/infoint forget-me``: the confirmation (what will be deleted, with counts) and, once submitted,
what was deleted."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, SectionBlock

from bot.blocks.datarights import cohort_lines, erasure_lines
from bot.blocks.kit import md, modal
from bot.domain.datarights import Erasure
from bot.domain.ids import ViewId

TITLE = "Delete my data"


def forget_modal(erasure: Erasure) -> dict[str, Any]:
    """Asks first: what forgetting deletes in this workspace, and what becomes of cohorts mentored."""
    lines = erasure_lines(erasure)
    if not lines:
        blocks: list[Block] = [
            SectionBlock(text=md("I have no records of yours in this workspace: there is nothing to delete."))
        ]
        return modal(TITLE, blocks, close="Close")
    blocks = [
        SectionBlock(
            text=md(
                "*This deletes everything infoint keeps about you in this workspace*, at once and for "
                "good:\n" + "\n".join(lines)
            )
        )
    ]
    cohorts = cohort_lines(erasure, done=False)
    if cohorts:
        blocks.append(SectionBlock(text=md("*Cohorts you mentor*\n" + "\n".join(cohorts))))
        if erasure.closing:
            blocks.append(
                ContextBlock(
                    elements=[
                        md("To keep a cohort running, add a co-mentor first: `/infoint cohort mentor @name`.")
                    ]
                )
            )
    others = "" if erasure.closing else " Nothing of anyone else's is deleted."
    blocks.append(
        ContextBlock(
            elements=[
                md(
                    "Want a copy first? Cancel and type `/infoint export`. Messages already in your DMs stay "
                    f"in Slack.{others}"
                )
            ]
        )
    )
    return modal(
        TITLE, blocks, callback_id=ViewId.FORGET_ME, submit="Delete everything", close="Keep my data"
    )


def forgotten_view(erasure: Erasure) -> dict[str, Any]:
    """The modal's last view: what was deleted, with counts."""
    lines = erasure_lines(erasure)
    text = (
        "🗑️ *Done. I deleted:*\n" + "\n".join(lines) if lines else "There was nothing of yours left to delete."
    )
    blocks: list[Block] = [SectionBlock(text=md(text))]
    cohorts = cohort_lines(erasure, done=True)
    if cohorts:
        blocks.append(SectionBlock(text=md("\n".join(cohorts))))
    blocks.append(
        ContextBlock(elements=[md("You can start afresh any time: `/infoint log` logs a new contact.")])
    )
    return modal(TITLE, blocks, close="Close")
