"""Block Kit for ``/infoint help``: what infoint does and every command."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, SectionBlock

from bot.blocks.kit import as_dicts, clip, esc, md


def help_message(commands: Sequence[tuple[str, str]], intro: str | None = None) -> dict[str, Any]:
    """What infoint does and every command: ``commands`` is (usage, what it does) pairs."""
    lines = "\n".join(f"• `{usage}`: {what}" for usage, what in commands)
    about = (
        "*infoint* runs the informational-interview method with you: keep a target list of people "
        "to learn from, send short requests, follow up after a week of silence, prepare questions, "
        "thank people within 48 hours, ask for two referrals, and keep in touch."
    )
    blocks: list[Block] = []
    if intro:
        blocks.append(SectionBlock(text=md(intro)))
    blocks += [
        SectionBlock(text=md(about)),
        SectionBlock(text=md(f"*Commands*\n{lines}")),
        ContextBlock(elements=[md("Your App Home tab shows your dashboard. Buttons in my DMs do the work.")]),
    ]
    text = intro or "infoint: log contacts, get nudged, act in one click."
    return {"response_type": "ephemeral", "text": text, "blocks": as_dicts(blocks)}


def unknown_subcommand_message(commands: Sequence[tuple[str, str]], typed: str) -> dict[str, Any]:
    shown = esc(clip(typed, 60))
    return help_message(commands, f"I don't know `{shown}`. Here is what I can do:")
