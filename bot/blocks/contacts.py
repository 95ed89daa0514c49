"""Block Kit for contacts: the DM about one contact (with its headline) and the pipeline list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    Option,
    OverflowMenuElement,
    SectionBlock,
)

from bot.blocks.kit import (
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_VIEW_BLOCKS,
    as_dicts,
    button,
    clip,
    ephemeral,
    esc,
    fit_lines,
    md,
    modal,
    plain,
    slack_date,
)
from bot.blocks.steps import step_sentence
from bot.domain import pipeline as core
from bot.domain.ids import ActionId
from bot.queries.models import ContactCard, ContactNews

# A contact's answer to a request, as the reply menus offer it.
REPLIES = (("yes", "They said yes"), ("no", "They said no"), ("later", "They said later"))


def headline(news: ContactNews, card: ContactCard) -> str:
    """What just happened, as the first line of the contact's card (safe mrkdwn)."""
    name = f"*{esc(card.name)}*"
    if news is ContactNews.REQUEST_RECORDED:
        if card.awaiting_introduction:
            introducer = f"*{esc(card.introducer)}*" if card.introducer else "your mutual contact"
            if card.attempts == 1:
                return f"✅ Request for an introduction to {introducer} recorded."
            return f"✅ Follow-up to {introducer} recorded (attempt {card.attempts})."
        if card.attempts == 1:
            return "✅ Request recorded."
        return f"✅ Follow-up recorded (attempt {card.attempts})."
    if news in (ContactNews.THANKS_RECORDED, ContactNews.TOUCH_RECORDED):
        done = "Thank-you" if news is ContactNews.THANKS_RECORDED else "Check-in"
        after = f" Next: {step_sentence(card.next_step)}." if card.next_step else ""
        return f"✅ {done} to {name} recorded.{after}"
    return {
        ContactNews.SAVED: f"📇 Saved {name} to your list. What's next?",
        ContactNews.REPLIED_YES: f"🎉 {name} said yes. Book the slot that suits them.",
        ContactNews.REPLIED_NO: f"🙏 {name} said no. Closed politely: it's not personal. On to the next one.",
        ContactNews.REPLIED_LATER: f"⏳ {name} will get back to you later. I'll remind you in two weeks.",
        ContactNews.INTERVIEW_BOOKED: f"📅 Interview with {name} booked: details below.",
        ContactNews.INTERVIEW_MISSED: (
            f"🕳 You and {name} missed each other: it happens. Send a short note to say sorry (*Draft a "
            "message* has one, with a few times) and book the new time here."
        ),
        ContactNews.NEXT_TARGET: f"🎯 On to the next one: {name} is next on your list.",
        ContactNews.INTRODUCED: (
            f"🤝 {_introducer(card)} introduced you to {name}. Now write to them yourself: *Draft a "
            "message* has a request ready."
        ),
        ContactNews.AS_IT_STANDS: f"Where things stand with {esc(card.name)}:",
    }[news]


def _introducer(card: ContactCard) -> str:
    return f"*{esc(card.introducer)}*" if card.introducer else "Your mutual contact"


def contact_line(card: ContactCard) -> str:
    """One mrkdwn line: name, role at company, degree."""
    where = " at ".join(p for p in (esc(card.role), esc(card.company)) if p)
    parts = [f"*{esc(card.name)}*"]
    if where:
        parts.append(where)
    detail = card.degree.label
    if card.introducer:
        detail += f" via {esc(card.introducer)}"
    parts.append(f"_{detail}_")
    return clip(" · ".join(parts), 600)


def contact_value(card: ContactCard) -> str:
    """A button's value: which contact, at which version."""
    return f"{card.id}:{card.version}"


def _contact_summary(card: ContactCard) -> str:
    lines = [contact_line(card)]
    if card.industry:
        lines.append(f"Industry: {esc(card.industry)}")
    if card.learning_goal:
        lines.append(f"Wants to learn: {esc(clip(card.learning_goal, 500))}")
    return "\n".join(lines)


def _contact_buttons(card: ContactCard) -> list[ButtonElement | OverflowMenuElement]:
    value = contact_value(card)
    buttons: list[ButtonElement | OverflowMenuElement] = []
    if card.stage in (core.Stage.TARGET, core.Stage.REQUESTED):
        label = "Request sent" if card.stage is core.Stage.TARGET else "Follow-up sent"
        buttons.append(button(label, ActionId.REQUEST_SENT, value, style="primary"))
    if card.stage in (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED):
        buttons.append(button("Schedule interview", ActionId.SCHEDULE_INTERVIEW, value))
    if card.stage in (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED, core.Stage.INTERVIEWED):
        buttons.append(button("Draft a message", ActionId.CONTACT_DRAFT, value))
    if card.stage is core.Stage.REQUESTED and card.awaiting_introduction:
        buttons.append(button("They introduced us", ActionId.CONTACT_INTRODUCED, value))
    if card.stage is core.Stage.REQUESTED:
        buttons.append(
            OverflowMenuElement(
                action_id=ActionId.CONTACT_REPLY,
                options=[Option(value=f"{value}:{answer}", text=plain(label)) for answer, label in REPLIES],
            )
        )
    return buttons


def _status_line(card: ContactCard) -> str:
    if card.stage is core.Stage.SCHEDULED and card.next_interview:
        where = f"Interview {slack_date(card.next_interview)}."
    elif card.stage is core.Stage.REQUESTED and card.awaiting_introduction:
        asked = esc(card.introducer) or "your mutual contact"
        where = f"Introduction requested from {asked}, waiting for word."
    elif card.stage is core.Stage.REQUESTED:
        tries = "1 request" if card.attempts == 1 else f"{card.attempts} requests"
        where = f"{tries} sent, waiting for a reply."
    else:
        where = f"Stage: {card.stage.label}."
    if card.next_step is None:
        return where
    return f"{where} Next: {step_sentence(card.next_step)}."


def contact_message(card: ContactCard, headline: str) -> dict[str, Any]:
    """The DM about one contact: what happened, the contact, where it stands, what to do next."""
    blocks: list[Block] = [
        SectionBlock(text=md(headline)),
        SectionBlock(text=md(_contact_summary(card))),
        ContextBlock(elements=[md(_status_line(card))]),
    ]
    buttons = _contact_buttons(card)
    if buttons:
        blocks.append(ActionsBlock(block_id=f"contact:{card.id}", elements=buttons))
    return {"text": clip(_fallback(headline), 3000), "blocks": as_dicts(blocks)}


def route_question(card: ContactCard) -> dict[str, Any]:
    """The card asking whom a first request to a 2nd-degree contact went to (nothing recorded yet)."""
    value = contact_value(card)
    introducer = clip(card.introducer or "our mutual contact", 30)
    text = f"📨 Which did you send about *{esc(card.name)}*? I'll time the follow-up to match."
    blocks: list[Block] = [
        SectionBlock(text=md(text)),
        SectionBlock(text=md(_contact_summary(card))),
        ActionsBlock(
            block_id=f"contact:{card.id}",
            elements=[
                button(
                    f"I asked {introducer} for an introduction",
                    ActionId.REQUEST_VIA_INTRODUCER,
                    value,
                    style="primary",
                ),
                button(f"I wrote to {clip(card.name, 30)} directly", ActionId.REQUEST_DIRECT, value),
            ],
        ),
    ]
    return {"text": clip(_fallback(text), 3000), "blocks": as_dicts(blocks)}


def _fallback(mrkdwn: str) -> str:
    return mrkdwn.replace("*", "")


# The pipeline list -----------------------------------------------------------------------------------


def _pipeline_blocks(cards: Sequence[ContactCard], max_blocks: int) -> list[Block]:
    if not cards:
        return [
            SectionBlock(
                text=md(
                    "No contacts yet. Start your target list with `/infoint log`: "
                    "aim for several people per industry."
                )
            )
        ]
    lines: list[str] = []
    for stage in core.Stage:
        group = [c for c in cards if c.stage is stage]
        if not group:
            continue
        lines.append(f"*{stage.label}* ({len(group)})")
        lines.extend(f"• {contact_line(c)}{_next(c)}" for c in group)
    return fit_lines(
        lines,
        max_blocks,
        more="…and {n} more contacts not shown.",
        is_item=lambda line: line.startswith("• "),
    )


def _next(card: ContactCard) -> str:
    return f" · next: {step_sentence(card.next_step)}" if card.next_step else ""


def pipeline_message(cards: Sequence[ContactCard]) -> dict[str, Any]:
    blocks: list[Block] = [HeaderBlock(text=plain(f"Your pipeline: {len(cards)} contacts", MAX_HEADER_TEXT))]
    blocks += _pipeline_blocks(cards, MAX_MESSAGE_BLOCKS - len(blocks))
    return ephemeral(f"Your pipeline: {len(cards)} contacts", blocks)


def pipeline_modal(cards: Sequence[ContactCard]) -> dict[str, Any]:
    blocks = _pipeline_blocks(cards, MAX_VIEW_BLOCKS)
    return modal("Your pipeline", blocks, close="Close")
