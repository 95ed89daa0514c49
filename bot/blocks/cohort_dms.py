"""Block Kit for the DMs about a cohort's students: the mentor's weekly list of who needs attention
(each with **Send a nudge** and **Add a note**), asking before a second nudge the same day, and the
friendly nudge a mentor sends (the student's own next step, with its buttons: only they see it)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, SectionBlock

from bot.blocks.cohorts import ephemeral, name_of, row_text, student_value
from bot.blocks.contacts import contact_message
from bot.blocks.kit import as_dicts, button, md
from bot.blocks.steps import step_sentence
from bot.domain.ids import ActionId
from bot.queries.models import CohortInfo, ContactCard, DigestContent, StepLine

ATTENTION_ROWS = 20
"""Students in the mentor's DM (two blocks each); the report has the rest."""


def attention_message(content: DigestContent) -> dict[str, Any]:
    info, rows = content.cohort, content.attention
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"*{name_of(info)}* (<#{info.channel_id}>): {len(rows)} student(s) may need a hand this week."
            )
        )
    ]
    for row in rows[:ATTENTION_ROWS]:
        value = student_value(info.id, row.slack_user_id)
        blocks.append(SectionBlock(text=md(row_text(row))))
        blocks.append(
            ActionsBlock(
                elements=[
                    button("Send a nudge", ActionId.COHORT_NUDGE, value, style="primary"),
                    button("Add a note", ActionId.COHORT_NOTE, value),
                ]
            )
        )
    if len(rows) > ATTENTION_ROWS:
        blocks.append(
            ContextBlock(
                elements=[
                    md(f"…and {len(rows) - ATTENTION_ROWS} more: `/infoint cohort report` in the channel.")
                ]
            )
        )
    return {
        "text": f"{len(rows)} student(s) in {name_of(info)} may need a hand",
        "blocks": as_dicts(blocks),
    }


def ask_again_message(info: CohortInfo, student: str) -> dict[str, Any]:
    text = f"You already nudged <@{student}> today. Send another nudge anyway?"
    blocks: list[Block] = [
        SectionBlock(text=md(text)),
        ActionsBlock(
            elements=[button("Nudge again", ActionId.COHORT_NUDGE_AGAIN, student_value(info.id, student))]
        ),
    ]
    return ephemeral("Nudge again?", blocks)


def mentor_nudge_message(
    mentor: str, info: CohortInfo, step: tuple[StepLine, ContactCard] | None
) -> dict[str, Any]:
    """The friendly DM a mentor sends through the app: the student's own next step and its buttons
    (their own contact: only they see it)."""
    intro = f"👋 A friendly nudge from your mentor <@{mentor}> ({name_of(info)})."
    if step is not None:
        line, card = step
        return contact_message(card, f"{intro} Your next step: *{step_sentence(line)}*.")
    blocks: list[Block] = [
        SectionBlock(text=md(f"{intro} Your list is empty: add the people you'd like to learn from.")),
        ActionsBlock(elements=[button("Log a contact", ActionId.OPEN_LOG_MODAL, style="primary")]),
    ]
    return {"text": f"A nudge from your mentor in {name_of(info)}", "blocks": as_dicts(blocks)}
