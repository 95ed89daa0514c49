"""Block Kit for the people just added after an interview (**Add referrals**): one message, a compact
card each, with the buttons that fit their next step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, SectionBlock

from bot.blocks.contacts import contact_rows
from bot.blocks.kit import MAX_MESSAGE_BLOCKS, as_dicts, clip, esc, md, plain_sentence
from bot.domain.ids import Surface
from bot.queries.models import ContactCard

# A message holds a headline and two blocks per person; the block ids carry every id (255 at most).
MAX_CARDS = 10


def referral_cards_message(cards: Sequence[ContactCard], news: str = "") -> dict[str, Any]:
    """``cards``: people introduced by the same contact; ``news``: what the student just did about one."""
    shown = list(cards)[:MAX_CARDS]
    introducer = next((c.introducer for c in shown if c.introducer), "")
    by = f" *{esc(clip(introducer, 100))}* suggested" if introducer else ""
    people = "1 person" if len(shown) == 1 else f"{len(shown)} people"
    lead = f"🔗 Added {people}{by} to your list, introduced by them. Send each a short request."
    blocks: list[Block] = [SectionBlock(text=md(news or lead))]
    ids = ",".join(str(c.id) for c in shown)
    blocks += contact_rows(shown, Surface.CARDS, ids)
    assert len(blocks) <= MAX_MESSAGE_BLOCKS
    return {"text": plain_sentence(news or lead), "blocks": as_dicts(blocks)}
