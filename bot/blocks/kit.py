"""Block Kit primitives every surface uses: escaping, clipping, Slack's limits, text, buttons, modals and
the inputs of their forms.

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
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    InputInteractiveElement,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.drafts import Draft
from bot.domain.forms import LIMITS
from bot.domain.ids import ActionId, ViewId

# Slack's limits (SLACK_FACTS.md).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_CONTEXT_ELEMENTS = 10
MAX_MODAL_TITLE = 24  # a modal's title, and its submit and close buttons
MAX_LABEL = 2000  # an input's label and hint
MAX_PLACEHOLDER = 150
MAX_INPUT_TEXT = 3000  # what a text input holds
MAX_URL = 3000
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


def ephemeral(text: str, blocks: Sequence[Block]) -> dict[str, Any]:
    """An ephemeral answer of ``blocks``; ``text`` is its notification (one plain sentence)."""
    return {"response_type": "ephemeral", "text": plain_sentence(text), "blocks": as_dicts(blocks)}


def text_size(blocks: Sequence[Block]) -> int:
    """The characters of text ``blocks`` carry (what Slack counts toward msg_blocks_too_long)."""

    def count(node: Any) -> int:
        if isinstance(node, dict):
            return sum(len(v) if k == "text" and isinstance(v, str) else count(v) for k, v in node.items())
        if isinstance(node, list):
            return sum(count(item) for item in node)
        return 0

    return count(as_dicts(blocks))


# Modals ----------------------------------------------------------------------------------------------


def modal(
    title: str,
    blocks: Sequence[Block],
    *,
    callback_id: ViewId | None = None,
    submit: str | None = None,
    close: str = "Cancel",
    private_metadata: str | None = None,
) -> dict[str, Any]:
    """A modal: its title and buttons clipped to Slack's limit, ``callback_id`` naming its submission,
    ``private_metadata`` what it is about."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=plain(title, MAX_MODAL_TITLE),
        submit=plain(submit, MAX_MODAL_TITLE) if submit else None,
        close=plain(close, MAX_MODAL_TITLE),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()


# Modal inputs ----------------------------------------------------------------------------------------


def form_input(
    field: str,
    label: str,
    element: Callable[..., InputInteractiveElement],
    *,
    optional: bool | None = None,
    hint: str | None = None,
    **attributes: Any,
) -> InputBlock:
    """A field of a form: its block id and its element's action id are the field (what the submission
    is read by); ``attributes`` go to the element."""
    return InputBlock(
        block_id=field,
        label=plain(label, MAX_LABEL),
        optional=optional,
        hint=plain(hint, MAX_LABEL) if hint else None,
        element=element(action_id=field, **attributes),
    )


def text_input(
    field: str,
    label: str,
    optional: bool = True,
    placeholder: str | None = None,
    multiline: bool = False,
    hint: str | None = None,
    *,
    max_length: int | None = None,
    initial: str | None = None,
) -> InputBlock:
    """A text field; its length limit the domain's for the field unless ``max_length`` says."""
    return form_input(
        field,
        label,
        PlainTextInputElement,
        optional=optional,
        hint=hint,
        max_length=max_length or LIMITS[field],
        multiline=multiline,
        initial_value=initial[: max_length or LIMITS[field]] if initial else None,
        placeholder=plain(placeholder, MAX_PLACEHOLDER) if placeholder else None,
    )


def number_input(field: str, label: str, initial: int, hint: str) -> InputBlock:
    """A small whole number (up to three digits), typed."""
    return form_input(
        field, label, PlainTextInputElement, hint=hint, max_length=3, initial_value=str(initial)
    )


def select(
    field: str, label: str, pairs: list[tuple[str, str]], optional: bool | None, initial: str | None
) -> Block:
    """A drop-down of (value, label) pairs, ``initial`` chosen."""
    choices, chosen = _choices(pairs, initial)
    return form_input(
        field, label, StaticSelectElement, optional=optional, options=choices, initial_option=chosen
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
    choices, chosen = _choices(pairs, initial)
    return InputBlock(
        block_id=field,
        label=plain(label, MAX_LABEL),
        optional=optional,
        dispatch_action=on_change is not None,
        element=RadioButtonsElement(action_id=on_change or field, options=choices, initial_option=chosen),
    )


def _choices(pairs: Iterable[tuple[str, str]], initial: str | None) -> tuple[list[Option], Option | None]:
    choices = options(pairs)
    return choices, next((o for o in choices if o.value == initial), None)


# Drafts ----------------------------------------------------------------------------------------------


def draft_input(field: str, label: str, draft: Draft, hint: str) -> InputBlock:
    """A draft to edit and copy, in full."""
    return form_input(
        field,
        label,
        PlainTextInputElement,
        hint=hint,
        multiline=True,
        max_length=MAX_INPUT_TEXT,
        initial_value=draft.body[:MAX_INPUT_TEXT],
    )


def mail_button(email: str, draft: Draft) -> list[Block]:
    """A button opening the mail app with the draft filled in; none without an address, or when the
    link would be too long for a button."""
    link = mailto(email, draft) if email else ""
    if not link or len(link) > MAX_URL:
        return []
    return [ActionsBlock(elements=[button("Open in my mail app", ActionId.OPEN_MAILTO, url=link)])]


def mailto(email: str, draft: Draft) -> str:
    """A link that opens the mail app with the draft filled in."""
    return f"mailto:{quote(email, safe='@')}?subject={quote(draft.subject)}&body={quote(draft.body)}"
