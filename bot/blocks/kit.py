"""Block Kit primitives every surface uses: escaping, clipping, Slack's limits, text, buttons, inputs.

Everything a user typed goes through :func:`esc` before it reaches mrkdwn, and every text is clipped
to Slack's limits here, so no caller has to remember them. slack_sdk's model classes validate the
rest of the structure when serialised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)

from bot.domain.drafts import Draft
from bot.domain.forms import LIMITS
from bot.domain.ids import ActionId

# Slack's limits (SLACK_FACTS.md).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_CONTEXT_ELEMENTS = 10
# Slack refuses messages whose blocks carry much more text than this (msg_blocks_too_long).
MAX_MESSAGE_TEXT_BUDGET = 11_000

Blocks = list[dict[str, Any]]


# Text ------------------------------------------------------------------------------------------------


def esc(text: str) -> str:
    """Escape user text for mrkdwn: ``&`` first, then ``<`` and ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when cut; never splits an escape like ``&amp;``."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


# A notification (the ``text`` beside the blocks) is read in a banner: one short sentence.
MAX_NOTIFICATION = 150
_DATE_TOKEN = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_EMPHASIS = re.compile(r"(?<![\w&])[*_~`]+|[*_~`]+(?![\w;])")


def plain_sentence(mrkdwn: str, limit: int = MAX_NOTIFICATION) -> str:
    """A notification text from safe mrkdwn: one line, no emphasis marks or date tokens (their
    fallback), at most ``limit`` characters cut at a word. User text stays escaped, so a name can't
    mention anyone."""
    text = _DATE_TOKEN.sub(lambda m: m.group(1), mrkdwn)
    text = _EMPHASIS.sub("", text)
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = clip(text, limit)[:-1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:·") + "…"


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> PlainTextObject:
    return PlainTextObject(text=clip(text or " ", limit), emoji=True)


def md(text: str, limit: int = MAX_SECTION_TEXT) -> MarkdownTextObject:
    return MarkdownTextObject(text=clip(text or " ", limit))


def slack_date(when: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """A date Slack renders in each reader's own timezone, with a UTC fallback."""
    epoch = int(when.timestamp())
    fallback = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{epoch}^{fmt}|{fallback}>"


def button(
    text: str, action_id: ActionId, value: str = "", style: str | None = None, url: str | None = None
) -> ButtonElement:
    """A button with its label clipped to Slack's limit; ``value`` says what it is about."""
    return ButtonElement(
        text=plain(text, MAX_BUTTON_TEXT), action_id=action_id, value=value or None, style=style, url=url
    )


def options(pairs: Iterable[tuple[str, str]]) -> list[Option]:
    """Menu options from (value, label) pairs."""
    return [Option(value=value, text=plain(label, MAX_OPTION_TEXT)) for value, label in pairs]


def as_dicts(blocks: Sequence[Block]) -> Blocks:
    """The blocks as the JSON Slack takes."""
    return [b.to_dict() for b in blocks]


def fit_lines(
    lines: Sequence[str],
    max_blocks: int,
    max_chars: int = MAX_MESSAGE_TEXT_BUDGET,
    more: str = "…and {n} more not shown.",
    is_item: Callable[[str], bool] = lambda line: True,
) -> list[Block]:
    """Pack mrkdwn lines into as few sections as Slack allows.

    When they don't all fit in ``max_blocks`` blocks and ``max_chars`` characters, the last block says
    how many items (lines for which ``is_item`` holds) were left out.
    """
    sections: list[list[str]] = []
    current: list[str] = []
    used = 0
    shown = 0
    for line in lines:
        line = clip(line, MAX_SECTION_TEXT)
        if current and len("\n".join([*current, line])) > MAX_SECTION_TEXT:
            sections.append(current)
            current = []
        # Keep one block free for the "more" note.
        if len(sections) + 1 > max_blocks - 1 or used + len(line) > max_chars:
            break
        current.append(line)
        used += len(line) + 1
        shown += 1
    if current:
        sections.append(current)
    blocks: list[Block] = [SectionBlock(text=md("\n".join(section))) for section in sections]
    left = sum(1 for line in lines[shown:] if is_item(line))
    if left:
        blocks.append(ContextBlock(elements=[md(more.format(n=left))]))
    return blocks


def notice(text: str) -> dict[str, Any]:
    """A short ephemeral answer; ``text`` is already safe mrkdwn."""
    return {
        "response_type": "ephemeral",
        "replace_original": False,
        "text": plain_sentence(text),
        "blocks": as_dicts([SectionBlock(text=md(text))]),
    }


# Modal inputs ----------------------------------------------------------------------------------------


def text_input(
    field: str,
    label: str,
    optional: bool = True,
    placeholder: str | None = None,
    multiline: bool = False,
    hint: str | None = None,
    initial: str = "",
) -> InputBlock:
    """A text field of a form: its block and action id are the field, its length limit the domain's."""
    return InputBlock(
        block_id=field,
        label=plain(label, 2000),
        optional=optional,
        hint=plain(hint, 2000) if hint else None,
        element=PlainTextInputElement(
            action_id=field,
            max_length=LIMITS[field],
            multiline=multiline,
            placeholder=plain(placeholder, 150) if placeholder else None,
            initial_value=initial[: LIMITS[field]] or None,
        ),
    )


def select(
    field: str, label: str, pairs: list[tuple[str, str]], optional: bool, initial: str | None
) -> Block:
    """A drop-down of (value, label) pairs, ``initial`` chosen."""
    choices = options(pairs)
    chosen = next((o for o in choices if o.value == initial), None)
    return InputBlock(
        block_id=field,
        label=plain(label, 2000),
        optional=optional,
        element=StaticSelectElement(action_id=field, options=choices, initial_option=chosen),
    )


def radio(
    field: str,
    label: str,
    pairs: list[tuple[str, str]],
    initial: str | None,
    optional: bool = False,
    on_change: ActionId | None = None,
) -> Block:
    """Radio buttons of (value, label) pairs, ``initial`` chosen; ``on_change``: the action a choice
    sends at once (``dispatch_action``), so the form can show what applies to it."""
    choices = options(pairs)
    chosen = next((o for o in choices if o.value == initial), None)
    return InputBlock(
        block_id=field,
        label=plain(label, 2000),
        optional=optional,
        dispatch_action=on_change is not None,
        element=RadioButtonsElement(action_id=on_change or field, options=choices, initial_option=chosen),
    )


def mailto(email: str, draft: Draft) -> str:
    """A link that opens the mail app with the draft filled in."""
    return f"mailto:{quote(email, safe='@')}?subject={quote(draft.subject)}&body={quote(draft.body)}"
