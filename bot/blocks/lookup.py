"""Block Kit for search (``/infoint find``), outcomes and the objective/goals modal (``/infoint goal``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    BlockElement,
    ContextBlock,
    InputBlock,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.blocks.actions import action_elements, contact_value
from bot.blocks.contacts import contact_line
from bot.blocks.kit import (
    MAX_MESSAGE_BLOCKS,
    MAX_MESSAGE_TEXT_BUDGET,
    MAX_OPTION_TEXT,
    clip,
    ephemeral,
    esc,
    md,
    modal,
    number_input,
    plain,
    text_input,
    text_size,
)
from bot.blocks.steps import step_sentence
from bot.domain.chain import Chain, render
from bot.domain.ids import ActionId, Surface, ViewId, surface_block
from bot.queries.models import GOAL_LIMITS, FoundContact, Goal

# How the outcome menu names what a contact led to (every key of OUTCOMES); "none" clears it.
OUTCOME_LABELS: dict[str, str] = {
    "lead": "Led to a job lead",
    "application": "Led to an application",
    "offer": "Led to an offer",
    "none": "Clear outcome",
}
OUTCOME_SHORT = {"lead": "a job lead", "application": "an application", "offer": "an offer"}


# Per search result: at most this much text, and each name in its chain at most this long.
_RESULT_TEXT = 1200
_CHAIN_NAME = 40
_CHAIN_TEXT = 300


# Search ----------------------------------------------------------------------------------------------


def find_usage_message() -> dict[str, Any]:
    text = (
        "Tell me what to look for: `/infoint find [text]` finds your contacts by name, company or "
        "industry, e.g. `/infoint find acme`."
    )
    return ephemeral(text, [SectionBlock(text=md(text))])


def find_too_long_message(limit: int) -> dict[str, Any]:
    text = f"That's a long search. Try a few words, at most {limit} characters."
    return ephemeral(text, [SectionBlock(text=md(text))])


def find_nothing_message(searched: str) -> dict[str, Any]:
    shown = esc(clip(searched, 100))
    text = (
        f"No contact of yours has “{shown}” in their name, company or industry. "
        "Check the spelling, try part of a word, or see everything with `/infoint list`."
    )
    return ephemeral(text, [SectionBlock(text=md(text))])


def chain_text(chain: Chain) -> str:
    """The chain as safe mrkdwn, e.g. ``Ada → Linus → Barbara``; empty for a contact nobody introduced."""
    if len(chain) < 2:
        return ""
    names = [esc(clip(name, _CHAIN_NAME)) for name in chain.names]
    return clip(render(names, chain.complete, _CHAIN_TEXT), _CHAIN_TEXT + 50)


def _result_text(found: FoundContact) -> str:
    card = found.card
    # Long names shouldn't push the rest of the line out: clip each part before it is escaped.
    short = replace(
        card,
        name=clip(card.name, 60),
        role=clip(card.role, 50),
        company=clip(card.company, 50),
        introducer=clip(card.introducer, 50),
    )
    lines = [contact_line(short)]
    facts = []
    if card.industry:
        facts.append(f"Industry: {clip(esc(card.industry), 120)}")
    facts.append(f"Stage: {card.stage.label}")
    if found.outcome in OUTCOME_SHORT:
        facts.append(f"🎯 Led to {OUTCOME_SHORT[found.outcome]}")
    lines.append(" · ".join(facts))
    chain = chain_text(found.chain)
    if chain:
        lines.append(f"Referral chain: {chain}")
    if card.next_step is not None:
        lines.append(f"Next: {step_sentence(replace(card.next_step, name=clip(card.next_step.name, 60)))}")
    return clip("\n".join(lines), _RESULT_TEXT)


def _outcome_menu(found: FoundContact) -> StaticSelectElement:
    """What the contact led to, as a menu with a visible label."""
    value = contact_value(found.card)
    choices = [
        (key, label)
        for key, label in OUTCOME_LABELS.items()
        if key != found.outcome and (key != "none" or found.outcome)
    ]
    return StaticSelectElement(
        action_id=ActionId.CONTACT_OUTCOME,
        placeholder=plain("What it led to…", 150),
        options=[
            Option(value=f"{value}:{key}", text=plain(label, MAX_OPTION_TEXT)) for key, label in choices
        ],
    )


def _result_actions(found: FoundContact) -> list[BlockElement]:
    """The contact's own buttons (its next step first), then what it led to."""
    return [*action_elements(found.card), _outcome_menu(found)]


def find_message(searched: str, found: Sequence[FoundContact], total: int) -> dict[str, Any]:
    """The results of a search: each contact with its chain, an outcome menu and what to do next.

    Within Slack's limits however long the names are: results that don't fit are counted in the
    closing "…and N more".
    """
    shown_search = esc(clip(searched, 100))
    noun = "contact matches" if total == 1 else "contacts match"
    headline = f"🔎 *{total}* {noun} “{shown_search}”:"
    blocks: list[Block] = [SectionBlock(text=md(headline))]
    budget = MAX_MESSAGE_TEXT_BUDGET - len(headline) - 200  # the headline and the closing note
    used = 0
    shown = 0
    for item in found:
        pair: list[Block] = [
            SectionBlock(block_id=f"found:{item.card.id}", text=md(_result_text(item))),
            ActionsBlock(block_id=surface_block(Surface.FOUND, item.card.id), elements=_result_actions(item)),
        ]
        cost = text_size(pair)
        if len(blocks) + len(pair) > MAX_MESSAGE_BLOCKS - 1 or used + cost > budget:
            break
        blocks += pair
        used += cost
        shown += 1
    more = total - shown
    if more > 0:
        blocks.append(
            ContextBlock(
                elements=[
                    md(f"…and {more} more. Type more of a name, company or industry to narrow it down.")
                ]
            )
        )
    else:
        blocks.append(
            ContextBlock(
                elements=[
                    md("Record what a contact led to (a job lead, an application, an offer) with its menu.")
                ]
            )
        )
    fallback = f"{total} {noun} “{clip(searched, 100)}”"
    return ephemeral(esc(fallback), blocks)


def outcome_text(name: str, outcome: str | None) -> str:
    """The confirmation after an outcome was recorded (safe mrkdwn)."""
    who = f"*{esc(clip(name, 100))}*"
    if outcome in OUTCOME_SHORT:
        return f"🎯 Recorded: {who} led to {OUTCOME_SHORT[outcome]}."
    return f"Cleared the outcome for {who}."


# Objective and goals ---------------------------------------------------------------------------------


def _goal_input(
    key: str,
    label: str,
    initial: str,
    *,
    multiline: bool = False,
    placeholder: str = "",
    optional: bool = True,
) -> InputBlock:
    limit = GOAL_LIMITS[key]
    return text_input(
        key,
        label,
        optional,
        placeholder or None,
        multiline,
        max_length=limit,
        initial=initial[:limit] or None,
    )


def goal_modal(goal: Goal) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                "Before reaching out, name what you want to learn: an industry, a company, a role, or the "
                "day-to-day of a job. A clear ask gets more “yes”. Your Monday plan reminds you of it."
            )
        ),
        _goal_input(
            "objective",
            "What do you want to learn?",
            goal.objective,
            multiline=True,
            optional=False,
            placeholder="e.g. How UX research works in healthcare, and how people got into it",
        ),
        _goal_input(
            "target_industries",
            "Target industries",
            goal.target_industries,
            placeholder="e.g. Healthcare, fintech",
        ),
        _goal_input(
            "target_companies", "Target companies", goal.target_companies, placeholder="e.g. Acme, Globex"
        ),
        _goal_input("target_roles", "Target roles", goal.target_roles, placeholder="e.g. UX researcher"),
        number_input(
            "weekly_requests",
            "Weekly goal: new requests",
            goal.weekly_requests,
            "A whole number from 0 to 50.",
        ),
        number_input(
            "weekly_interviews",
            "Weekly goal: interviews",
            goal.weekly_interviews,
            "A whole number from 0 to 20.",
        ),
    ]
    return modal("Your objective", blocks, callback_id=ViewId.GOAL, submit="Save")


def goal_saved_text(goal: Goal) -> str:
    lines = ["🎯 *Objective saved.*", f"*You want to learn:* {esc(clip(goal.objective, 500))}"]
    for label, value in (
        ("Industries", goal.target_industries),
        ("Companies", goal.target_companies),
        ("Roles", goal.target_roles),
    ):
        if value:
            lines.append(f"*{label}:* {esc(clip(value, 200))}")
    requests = "1 new request" if goal.weekly_requests == 1 else f"{goal.weekly_requests} new requests"
    interviews = "1 interview" if goal.weekly_interviews == 1 else f"{goal.weekly_interviews} interviews"
    lines.append(f"*Each week:* {requests} and {interviews}. Your Monday plan will keep count.")
    return "\n".join(lines)


def goal_saved_modal(goal: Goal) -> dict[str, Any]:
    """What the objective form shows once saved (in place of a DM)."""
    return modal("Your objective", [SectionBlock(text=md(goal_saved_text(goal)))], close="Done")
