"""Block Kit for ``/infoint help``: what infoint does, every command, and buttons to start."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, SectionBlock

from bot.blocks.kit import as_dicts, button, clip, esc, md, plain_sentence
from bot.domain.ids import ActionId


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
        ActionsBlock(
            block_id="help_actions",
            elements=[
                button("Log a contact", ActionId.OPEN_LOG_MODAL, style="primary"),
                button("My list", ActionId.OPEN_PIPELINE),
                button("Settings", ActionId.OPEN_SETTINGS),
            ],
        ),
        SectionBlock(text=md(f"*Commands*\n{lines}")),
        ContextBlock(elements=[md("Your App Home tab shows your dashboard. Buttons in my DMs do the work.")]),
    ]
    text = plain_sentence(intro) if intro else "infoint: log contacts, get nudged, act in one click."
    return {"response_type": "ephemeral", "text": text, "blocks": as_dicts(blocks)}


def unknown_subcommand_message(
    commands: Sequence[tuple[str, str]], typed: str, meant: str | None = None
) -> dict[str, Any]:
    """Help after a subcommand infoint doesn't know; ``meant``: the closest one, e.g. "/infoint list"."""
    shown = esc(clip(typed, 60))
    guess = f" Did you mean `{esc(meant)}`?" if meant else ""
    return help_message(commands, f"I don't know `{shown}`.{guess} Here is what I can do:")
