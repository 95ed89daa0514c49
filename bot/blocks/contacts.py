"""Block Kit for contacts: the message about one contact (with its headline), contacts as rows with their
buttons, and the list a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, HeaderBlock, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.actions import REPLIES, contact_actions, contact_value
from bot.blocks.kit import (
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_VIEW_BLOCKS,
    as_dicts,
    button,
    clip,
    esc,
    md,
    plain,
    plain_sentence,
    slack_date,
)
from bot.blocks.steps import step_sentence
from bot.domain import pipeline as core
from bot.domain.ids import ActionId, Surface, surface_block
from bot.domain.paging import paginate
from bot.queries.models import ContactCard, ContactNews

__all__ = [
    "REPLIES",
    "contact_message",
    "contact_rows",
    "contact_value",
    "headline",
    "pipeline_message",
    "pipeline_modal",
]


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
        ContactNews.MOVED_ON: f"🚪 Closed {name} as no response. It's not personal: on to the next one.",
        ContactNews.SNOOZED: f"⏰ Snoozed the reminder about {name}.",
        ContactNews.EDITED: f"✏️ Saved your changes to {name}.",
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


def _contact_summary(card: ContactCard) -> str:
    lines = [contact_line(card)]
    if card.industry:
        lines.append(f"Industry: {esc(card.industry)}")
    if card.learning_goal:
        lines.append(f"Wants to learn: {esc(clip(card.learning_goal, 500))}")
    return "\n".join(lines)


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
    blocks.append(contact_actions(card, surface_block(Surface.CARD, card.id)))
    return {"text": plain_sentence(headline), "blocks": as_dicts(blocks)}


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
    return {"text": plain_sentence(text), "blocks": as_dicts(blocks)}


# The list ----------------------------------------------------------------------------------------------

# Contacts per page: each is two blocks (its line, its buttons) and up to ~1000 characters, so a page
# stays well inside a message's 50 blocks and Slack's text budget; a modal takes twice as many.
LIST_PAGE_SIZE = 10
LIST_MODAL_PAGE_SIZE = 20
EMPTY_LIST = (
    "No contacts yet. Start your target list with `/infoint log`: aim for several people per industry."
)


def row_text(card: ContactCard) -> str:
    """A contact in a list: who, and what's next (safe mrkdwn)."""
    if card.next_step is None:
        return f"{contact_line(card)}\n_{card.stage.label}_"
    return f"{contact_line(card)} · next: {step_sentence(card.next_step)}"


def contact_rows(cards: Sequence[ContactCard], surface: Surface, *rest: object) -> list[Block]:
    """Each contact as its line and its buttons (two blocks), compact."""
    blocks: list[Block] = []
    for card in cards:
        blocks.append(SectionBlock(text=md(row_text(card), 1500)))
        blocks.append(contact_actions(card, surface_block(surface, card.id, *rest), compact=True))
    return blocks


def _list_blocks(cards: Sequence[ContactCard], page: int, size: int) -> list[Block]:
    if not cards:
        return [SectionBlock(text=md(EMPTY_LIST))]
    ordered = sorted(cards, key=lambda c: list(core.Stage).index(c.stage))
    shown = paginate(ordered, page, size)
    blocks: list[Block] = []
    stage: core.Stage | None = None
    for card in shown.items:
        if card.stage is not stage:
            stage = card.stage
            count = sum(1 for c in cards if c.stage is stage)
            blocks.append(ContextBlock(elements=[md(f"*{stage.label}* ({count})")]))
        blocks += contact_rows([card], Surface.LIST, shown.number)
    if shown.pages > 1:
        blocks.append(
            ContextBlock(elements=[md(f"Page {shown.number} of {shown.pages} · {shown.total} contacts")])
        )
        turns = []
        if shown.has_previous:
            turns.append(button("Previous", ActionId.LIST_PAGE_BACK, str(shown.number - 1)))
        if shown.has_next:
            turns.append(button("Next page", ActionId.LIST_PAGE, str(shown.number + 1)))
        blocks.append(ActionsBlock(block_id="list_pages", elements=turns))
    return blocks


def _list_title(cards: Sequence[ContactCard]) -> str:
    return "Your list: 1 contact" if len(cards) == 1 else f"Your list: {len(cards)} contacts"


def pipeline_message(cards: Sequence[ContactCard], page: int = 1, news: str = "") -> dict[str, Any]:
    """``/infoint list``: every contact by stage, with its buttons, a page at a time (``news``: what
    the student just did, safe mrkdwn)."""
    blocks: list[Block] = [HeaderBlock(text=plain(_list_title(cards), MAX_HEADER_TEXT))]
    if news:
        blocks.append(SectionBlock(text=md(news)))
    blocks += _list_blocks(cards, page, LIST_PAGE_SIZE)
    assert len(blocks) <= MAX_MESSAGE_BLOCKS
    return {
        "response_type": "ephemeral",
        "text": plain_sentence(news) if news else _list_title(cards),
        "blocks": as_dicts(blocks),
    }


def pipeline_modal(cards: Sequence[ContactCard], page: int = 1, news: str = "") -> dict[str, Any]:
    blocks: list[Block] = [SectionBlock(text=md(news))] if news else []
    blocks += _list_blocks(cards, page, LIST_MODAL_PAGE_SIZE)
    assert len(blocks) <= MAX_VIEW_BLOCKS
    return View(type="modal", title=plain("Your list", 24), close=plain("Close", 24), blocks=blocks).to_dict()
