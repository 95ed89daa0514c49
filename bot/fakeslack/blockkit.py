"""Block Kit validation, as pure functions: `validate_message_blocks` and `validate_view`.

Tests can check bodies that the app returns directly in HTTP ack responses with them; the fake Web
API answers with the same problems (``invalid_blocks``, ``msg_blocks_too_long``...).
"""

from __future__ import annotations

from typing import Any

from bot.fakeslack.elements import ACCESSORY_ELEMENTS, ACTIONS_ELEMENTS, INPUT_ELEMENTS, ElementChecker
from bot.fakeslack.limits import (
    MARKDOWN_BLOCKS_TEXT_LIMIT,
    MAX_BLOCKS_MESSAGE,
    MAX_BLOCKS_VIEW,
    MAX_ID_LENGTH,
    MESSAGE_TEXT_LIMIT,
    MSG_BLOCKS_TEXT_LIMIT,
)

__all__ = [
    "MARKDOWN_BLOCKS_TEXT_LIMIT",
    "MAX_BLOCKS_MESSAGE",
    "MAX_BLOCKS_VIEW",
    "MAX_ID_LENGTH",
    "MESSAGE_TEXT_LIMIT",
    "MSG_BLOCKS_TEXT_LIMIT",
    "TOO_LONG",
    "message_error_code",
    "validate_message_blocks",
    "validate_view",
]

TOO_LONG = "msg_blocks_too_long"

_MESSAGE_BLOCKS = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)
_VIEW_BLOCKS = frozenset(
    {"actions", "context", "divider", "header", "image", "input", "rich_text", "section", "video"}
)
_ALL_BLOCKS = _MESSAGE_BLOCKS | _VIEW_BLOCKS


class _Checker(ElementChecker):
    """Adds the blocks themselves to the element checks."""

    # -- blocks -----------------------------------------------------------------------------------

    def blocks(self, blocks: Any, path: str, *, max_blocks: int, allowed: frozenset[str]) -> None:
        if not isinstance(blocks, list):
            self.error(path, f"blocks must be an array, got {type(blocks).__name__}")
            return
        if len(blocks) > max_blocks:
            self.error(path, f"too many blocks: {len(blocks)} (a {self.surface} allows at most {max_blocks})")
        for index, block in enumerate(blocks):
            self.block(block, f"{path}/{index}", allowed)

    def block(self, block: Any, path: str, allowed: frozenset[str]) -> None:
        if not isinstance(block, dict):
            self.error(path, f"a block must be an object, got {type(block).__name__}")
            return
        btype = block.get("type")
        if not isinstance(btype, str) or btype not in _ALL_BLOCKS:
            self.error(f"{path}/type", f"unknown block type {btype!r}")
            return
        if btype not in allowed:
            self.error(f"{path}/type", f"block type {btype!r} is not allowed in a {self.surface}")
        block_id = block.get("block_id")
        if block_id is not None:
            self.string(block_id, f"{path}/block_id", max_len=MAX_ID_LENGTH, name="block_id", required=True)
            if isinstance(block_id, str):
                if block_id in self._block_ids:
                    self.error(f"{path}/block_id", f"duplicate block_id {block_id!r}")
                self._block_ids.add(block_id)
        check = getattr(self, f"_block_{btype}", None)
        if check is not None:
            check(block, path)

    def _block_section(self, block: dict[str, Any], path: str) -> None:
        text, fields = block.get("text"), block.get("fields")
        if text is None and fields is None:
            self.error(path, "a section block needs `text` or `fields`")
        if text is not None:
            self.text(text, f"{path}/text", max_len=3000, name="section text")
        if fields is not None:
            items = self.sized_list(fields, f"{path}/fields", name="section fields", low=1, high=10)
            for index, item in enumerate(items):
                self.text(item, f"{path}/fields/{index}", max_len=2000, name="section field")
        accessory = block.get("accessory")
        if accessory is not None:
            self.element(accessory, f"{path}/accessory", ACCESSORY_ELEMENTS, set())

    def _block_header(self, block: dict[str, Any], path: str) -> None:
        self.text(block.get("text"), f"{path}/text", max_len=150, name="header text", plain_only=True)

    def _block_image(self, block: dict[str, Any], path: str) -> None:
        self._image_common(block, path)
        if block.get("title") is not None:
            self.text(block["title"], f"{path}/title", max_len=2000, name="image title", plain_only=True)

    def _block_actions(self, block: dict[str, Any], path: str) -> None:
        items = self.sized_list(
            block.get("elements"), f"{path}/elements", name="actions elements", low=1, high=25
        )
        action_ids: set[str] = set()
        for index, item in enumerate(items):
            self.element(item, f"{path}/elements/{index}", ACTIONS_ELEMENTS, action_ids)

    def _block_context(self, block: dict[str, Any], path: str) -> None:
        items = self.sized_list(
            block.get("elements"), f"{path}/elements", name="context elements", low=1, high=10
        )
        for index, item in enumerate(items):
            item_path = f"{path}/elements/{index}"
            if isinstance(item, dict) and item.get("type") == "image":
                self._image_common(item, item_path)
            else:
                self.text(item, item_path, max_len=3000, name="context element")

    def _block_input(self, block: dict[str, Any], path: str) -> None:
        self.text(block.get("label"), f"{path}/label", max_len=2000, name="input label", plain_only=True)
        if block.get("hint") is not None:
            self.text(block["hint"], f"{path}/hint", max_len=2000, name="input hint", plain_only=True)
        element = block.get("element")
        if element is None:
            self.error(f"{path}/element", "missing required field: element")
        else:
            self.element(element, f"{path}/element", INPUT_ELEMENTS, set())
        for flag in ("optional", "dispatch_action"):
            if flag in block and not isinstance(block[flag], bool):
                self.error(f"{path}/{flag}", f"{flag} must be a boolean")

    def _block_file(self, block: dict[str, Any], path: str) -> None:
        self.string(
            block.get("external_id"), f"{path}/external_id", max_len=255, name="external_id", required=True
        )
        if block.get("source") != "remote":
            self.error(f"{path}/source", 'file block source must be "remote"')

    def _block_rich_text(self, block: dict[str, Any], path: str) -> None:
        if not isinstance(block.get("elements"), list):
            self.error(f"{path}/elements", "rich_text needs an `elements` array")

    def _block_video(self, block: dict[str, Any], path: str) -> None:
        self.string(block.get("alt_text"), f"{path}/alt_text", max_len=2000, name="alt_text", required=True)
        self.text(block.get("title"), f"{path}/title", max_len=200, name="video title", plain_only=True)
        for key in ("video_url", "thumbnail_url"):
            self.string(block.get(key), f"{path}/{key}", max_len=3000, name=key, required=True)

    def _block_markdown(self, block: dict[str, Any], path: str) -> None:
        self.string(
            block.get("text"),
            f"{path}/text",
            max_len=MARKDOWN_BLOCKS_TEXT_LIMIT,
            name="markdown text",
            required=True,
        )

    def _block_table(self, block: dict[str, Any], path: str) -> None:
        if not isinstance(block.get("rows"), list):
            self.error(f"{path}/rows", "table needs a `rows` array")


def _count_text(node: Any) -> int:
    """Total length of every string stored under a ``text`` key (text objects, rich text...)."""
    if isinstance(node, dict):
        total = 0
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                total += len(value)
            else:
                total += _count_text(value)
        return total
    if isinstance(node, list):
        return sum(_count_text(item) for item in node)
    return 0


def validate_message_blocks(blocks: Any, text: str | None = None) -> list[str]:
    """Check a message's ``blocks`` (and fallback ``text``) like Slack does.

    Returns human-readable problems, each ending in ``[json-pointer:/blocks/...]``; an empty list
    means valid.  A problem about the total size starts with ``"msg_blocks_too_long"``.  A ``text``
    above 40,000 characters is not a problem (Slack truncates it).
    """
    checker = _Checker("message")
    if text is not None and not isinstance(text, str):
        checker.error("/text", f"text must be a string, got {type(text).__name__}")
    if blocks is None or (isinstance(blocks, list) and not blocks):
        if not text:
            checker.error("/", "no_text: a message needs a non-empty `text` or `blocks`")
        return checker.errors
    checker.blocks(blocks, "/blocks", max_blocks=MAX_BLOCKS_MESSAGE, allowed=_MESSAGE_BLOCKS)
    if isinstance(blocks, list):
        markdown_total = sum(
            len(block["text"])
            for block in blocks
            if isinstance(block, dict)
            and block.get("type") == "markdown"
            and isinstance(block.get("text"), str)
        )
        if markdown_total > MARKDOWN_BLOCKS_TEXT_LIMIT:
            checker.error(
                "/blocks",
                f"markdown blocks hold {markdown_total} characters in total "
                f"(at most {MARKDOWN_BLOCKS_TEXT_LIMIT})",
            )
        total = _count_text(blocks)
        if total > MSG_BLOCKS_TEXT_LIMIT:
            checker.error(
                "/blocks",
                f"{TOO_LONG}: the blocks hold {total} characters of text "
                f"(Slack rejects above about {MSG_BLOCKS_TEXT_LIMIT})",
            )
    return checker.errors


def validate_view(view: Any) -> list[str]:
    """Check a modal or Home tab view like Slack does; an empty list means valid.

    Paths in the messages are relative to the view (``/title/text``, ``/blocks/3/...``).
    """
    if not isinstance(view, dict):
        return [f"a view must be an object, got {type(view).__name__} [json-pointer:/]"]
    vtype = view.get("type")
    checker = _Checker(vtype if vtype in ("modal", "home") else "view")
    if vtype not in ("modal", "home"):
        checker.error("/type", f'view type must be "modal" or "home", got {vtype!r}')
    blocks = view.get("blocks")
    if blocks is None:
        checker.error("/blocks", "missing required field: blocks")
    else:
        checker.blocks(blocks, "/blocks", max_blocks=MAX_BLOCKS_VIEW, allowed=_VIEW_BLOCKS)
    if vtype == "modal":
        checker.text(view.get("title"), "/title", max_len=24, name="modal title", plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                checker.text(view[key], f"/{key}", max_len=24, name=f"modal {key}", plain_only=True)
        has_input = isinstance(blocks, list) and any(
            isinstance(block, dict) and block.get("type") == "input" for block in blocks
        )
        if has_input and view.get("submit") is None:
            checker.error("/submit", "a modal with input blocks must have a `submit` button")
    elif vtype == "home":
        for key in ("submit", "close"):
            if view.get(key) is not None:
                checker.error(f"/{key}", f"a home view cannot have `{key}`")
    checker.string(view.get("private_metadata"), "/private_metadata", max_len=3000, name="private_metadata")
    checker.string(view.get("callback_id"), "/callback_id", max_len=MAX_ID_LENGTH, name="callback_id")
    checker.string(view.get("external_id"), "/external_id", max_len=MAX_ID_LENGTH, name="external_id")
    return checker.errors


def message_error_code(errors: list[str]) -> str:
    if all(error.startswith(TOO_LONG) for error in errors):
        return TOO_LONG
    return "invalid_blocks"
