"""A local fake of the Slack Web API for tests.

`FakeSlack` runs a small HTTP server (stdlib ``ThreadingHTTPServer``) on 127.0.0.1 in a daemon
thread.  Point a ``slack_sdk.WebClient`` at it with ``base_url=fake.api_url``; every request is
recorded as a `Call`, answered like Slack would answer it (including Block Kit validation errors),
and failures (429 / 5xx / ``{"ok": false}``) can be injected for retry tests.  `drop_response_next`
simulates a call Slack carried out whose answer never arrived (the connection is closed instead).

The Block Kit validator is also exposed as pure functions, `validate_message_blocks` and
`validate_view`, so tests can check bodies that the app returns directly in HTTP ack responses.

Only loopback traffic; nothing here talks to slack.com.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import copy
import itertools
import json
import math
import re
import socket
import socketserver
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

__all__ = [
    "MAX_BLOCKS_MESSAGE",
    "MAX_BLOCKS_VIEW",
    "MAX_HISTORY_LIMIT",
    "MESSAGE_TEXT_LIMIT",
    "MSG_BLOCKS_TEXT_LIMIT",
    "Call",
    "FakeSlack",
    "validate_message_blocks",
    "validate_view",
]

# --------------------------------------------------------------------------------------------
# Block Kit validation (pure functions)
# --------------------------------------------------------------------------------------------

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
#: Undocumented: Slack answers ``msg_blocks_too_long`` at about this much block text.
MSG_BLOCKS_TEXT_LIMIT = 13_000
#: Slack truncates message ``text`` above this; it is not an error.
MESSAGE_TEXT_LIMIT = 40_000
MARKDOWN_BLOCKS_TEXT_LIMIT = 12_000
MAX_ID_LENGTH = 255

_TOO_LONG = "msg_blocks_too_long"

_TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})

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

_SELECTS = frozenset(
    {"static_select", "external_select", "users_select", "conversations_select", "channels_select"}
)
_MULTI_SELECTS = frozenset(f"multi_{name}" for name in _SELECTS)
_TEXT_INPUTS = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"}
)
_CHOICES = frozenset({"checkboxes", "radio_buttons"})
_PICKERS = frozenset({"datepicker", "timepicker", "datetimepicker"})

# Deliberately lenient about *where* an interactive element may appear (Slack's docs have changed
# over time); strict about what is certainly wrong (buttons in input blocks, inputs in context...).
_ACTIONS_ELEMENTS = (
    frozenset({"button", "overflow", "workflow_button"})
    | _SELECTS
    | _MULTI_SELECTS
    | _CHOICES
    | _PICKERS
    | _TEXT_INPUTS
)
_ACCESSORY_ELEMENTS = _ACTIONS_ELEMENTS | {"image"}
_INPUT_ELEMENTS = _TEXT_INPUTS | _SELECTS | _MULTI_SELECTS | _CHOICES | _PICKERS | {"file_input"}
_ALL_ELEMENTS = _ACCESSORY_ELEMENTS | _INPUT_ELEMENTS

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Collects Block Kit errors as ``"<message> [json-pointer:<path>]"`` strings (Slack's style)."""

    def __init__(self, surface: str) -> None:
        self.surface = surface  # "message", "modal" or "home"
        self.errors: list[str] = []
        self._block_ids: set[str] = set()

    # -- primitives -----------------------------------------------------------------------------

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{message} [json-pointer:{path or '/'}]")

    def string(
        self,
        value: Any,
        path: str,
        *,
        max_len: int,
        name: str,
        required: bool = False,
    ) -> None:
        if value is None:
            if required:
                self.error(path, f"missing required field: {name}")
            return
        if not isinstance(value, str):
            self.error(path, f"{name} must be a string, got {type(value).__name__}")
            return
        if required and not value:
            self.error(path, f"{name} must not be empty")
        if len(value) > max_len:
            self.error(path, f"{name} must be at most {max_len} characters (got {len(value)})")

    def text(
        self,
        obj: Any,
        path: str,
        *,
        max_len: int,
        name: str,
        plain_only: bool = False,
        required: bool = True,
    ) -> None:
        if obj is None:
            if required:
                self.error(path, f"missing required field: {name}")
            return
        if isinstance(obj, str):
            self.error(
                path, f"{name} must be a text object like {{'type': 'plain_text', 'text': ...}}, not a string"
            )
            return
        if not isinstance(obj, dict):
            self.error(path, f"{name} must be a text object, got {type(obj).__name__}")
            return
        ttype = obj.get("type")
        if ttype not in _TEXT_TYPES:
            self.error(f"{path}/type", f"{name} type must be plain_text or mrkdwn, got {ttype!r}")
        elif plain_only and ttype != "plain_text":
            self.error(f"{path}/type", f"{name} must be plain_text, got {ttype!r}")
        value = obj.get("text")
        if not isinstance(value, str):
            self.error(f"{path}/text", f"{name} needs a string `text`")
        elif not value:
            self.error(f"{path}/text", f"{name} must not be empty")
        elif len(value) > max_len:
            self.error(f"{path}/text", f"{name} must be at most {max_len} characters (got {len(value)})")

    def integer(self, value: Any, path: str, *, name: str, low: int, high: int | None = None) -> None:
        if value is None:
            return
        if not _is_int(value):
            self.error(path, f"{name} must be an integer")
        elif value < low or (high is not None and value > high):
            upper = "" if high is None else f" and at most {high}"
            self.error(path, f"{name} must be at least {low}{upper} (got {value})")

    def sized_list(self, value: Any, path: str, *, name: str, low: int, high: int) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, f"{name} must be an array")
            return []
        if len(value) < low:
            self.error(path, f"{name} must have at least {low} item(s) (got {len(value)})")
        if len(value) > high:
            self.error(path, f"{name} must have at most {high} items (got {len(value)})")
        return value

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
            self.element(accessory, f"{path}/accessory", _ACCESSORY_ELEMENTS, set())

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
            self.element(item, f"{path}/elements/{index}", _ACTIONS_ELEMENTS, action_ids)

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
            self.element(element, f"{path}/element", _INPUT_ELEMENTS, set())
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

    def _image_common(self, obj: dict[str, Any], path: str) -> None:
        if obj.get("image_url") is None and obj.get("slack_file") is None:
            self.error(path, "an image needs `image_url` or `slack_file`")
        self.string(obj.get("image_url"), f"{path}/image_url", max_len=3000, name="image_url")
        self.string(obj.get("alt_text"), f"{path}/alt_text", max_len=2000, name="alt_text", required=True)

    # -- elements ---------------------------------------------------------------------------------

    def element(self, element: Any, path: str, allowed: frozenset[str], action_ids: set[str]) -> None:
        if not isinstance(element, dict):
            self.error(path, f"an element must be an object, got {type(element).__name__}")
            return
        etype = element.get("type")
        if not isinstance(etype, str) or etype not in _ALL_ELEMENTS:
            self.error(f"{path}/type", f"unknown element type {etype!r}")
            return
        if etype not in allowed:
            self.error(f"{path}/type", f"element type {etype!r} is not allowed here")
        action_id = element.get("action_id")
        if action_id is not None:
            self.string(
                action_id, f"{path}/action_id", max_len=MAX_ID_LENGTH, name="action_id", required=True
            )
            if isinstance(action_id, str):
                if action_id in action_ids:
                    self.error(f"{path}/action_id", f"duplicate action_id {action_id!r} in the same block")
                action_ids.add(action_id)
        if element.get("placeholder") is not None:
            self.text(
                element["placeholder"],
                f"{path}/placeholder",
                max_len=150,
                name="placeholder",
                plain_only=True,
            )
        if element.get("confirm") is not None:
            self._confirm(element["confirm"], f"{path}/confirm")
        check = getattr(self, f"_element_{etype}", None)
        if check is not None:
            check(element, path)

    def _element_button(self, element: dict[str, Any], path: str) -> None:
        self.text(element.get("text"), f"{path}/text", max_len=75, name="button text", plain_only=True)
        self.string(element.get("value"), f"{path}/value", max_len=2000, name="button value")
        self.string(element.get("url"), f"{path}/url", max_len=3000, name="button url")
        self.string(
            element.get("accessibility_label"), f"{path}/accessibility_label", max_len=75, name="label"
        )
        style = element.get("style")
        if style is not None and style not in ("primary", "danger"):
            self.error(f"{path}/style", f'button style must be "primary" or "danger", got {style!r}')

    def _element_workflow_button(self, element: dict[str, Any], path: str) -> None:
        self.text(element.get("text"), f"{path}/text", max_len=75, name="button text", plain_only=True)

    def _element_image(self, element: dict[str, Any], path: str) -> None:
        self._image_common(element, path)

    def _select_options(self, element: dict[str, Any], path: str) -> None:
        options, groups = element.get("options"), element.get("option_groups")
        if (options is None) == (groups is None):
            self.error(path, "a static select needs exactly one of `options` or `option_groups`")
        if options is not None:
            items = self.sized_list(options, f"{path}/options", name="options", low=1, high=100)
            for index, option in enumerate(items):
                self.option(option, f"{path}/options/{index}", allow_mrkdwn=False)
        if groups is not None:
            group_list = self.sized_list(
                groups, f"{path}/option_groups", name="option_groups", low=1, high=100
            )
            for gindex, group in enumerate(group_list):
                gpath = f"{path}/option_groups/{gindex}"
                if not isinstance(group, dict):
                    self.error(gpath, "an option group must be an object")
                    continue
                self.text(
                    group.get("label"), f"{gpath}/label", max_len=75, name="group label", plain_only=True
                )
                members = self.sized_list(
                    group.get("options"), f"{gpath}/options", name="options", low=1, high=100
                )
                for index, option in enumerate(members):
                    self.option(option, f"{gpath}/options/{index}", allow_mrkdwn=False)
        self._initial_options(element, path, allow_mrkdwn=False)

    def _initial_options(self, element: dict[str, Any], path: str, *, allow_mrkdwn: bool) -> None:
        if element.get("initial_option") is not None:
            self.option(element["initial_option"], f"{path}/initial_option", allow_mrkdwn=allow_mrkdwn)
        if element.get("initial_options") is not None:
            initial = element["initial_options"]
            if not isinstance(initial, list):
                self.error(f"{path}/initial_options", "initial_options must be an array")
            else:
                for index, option in enumerate(initial):
                    self.option(option, f"{path}/initial_options/{index}", allow_mrkdwn=allow_mrkdwn)

    def _element_static_select(self, element: dict[str, Any], path: str) -> None:
        self._select_options(element, path)

    def _element_multi_static_select(self, element: dict[str, Any], path: str) -> None:
        self._select_options(element, path)
        self.integer(
            element.get("max_selected_items"), f"{path}/max_selected_items", name="max_selected_items", low=1
        )

    def _element_external_select(self, element: dict[str, Any], path: str) -> None:
        self._initial_options(element, path, allow_mrkdwn=False)
        self.integer(
            element.get("min_query_length"), f"{path}/min_query_length", name="min_query_length", low=0
        )

    _element_multi_external_select = _element_external_select

    def _element_overflow(self, element: dict[str, Any], path: str) -> None:
        items = self.sized_list(
            element.get("options"), f"{path}/options", name="overflow options", low=1, high=5
        )
        for index, option in enumerate(items):
            self.option(option, f"{path}/options/{index}", allow_mrkdwn=False, allow_url=True)

    def _element_checkboxes(self, element: dict[str, Any], path: str) -> None:
        items = self.sized_list(element.get("options"), f"{path}/options", name="options", low=1, high=10)
        for index, option in enumerate(items):
            self.option(option, f"{path}/options/{index}", allow_mrkdwn=True)
        self._initial_options(element, path, allow_mrkdwn=True)

    _element_radio_buttons = _element_checkboxes

    def _element_plain_text_input(self, element: dict[str, Any], path: str) -> None:
        max_length, min_length = element.get("max_length"), element.get("min_length")
        self.integer(max_length, f"{path}/max_length", name="max_length", low=1, high=3000)
        self.integer(min_length, f"{path}/min_length", name="min_length", low=0, high=3000)
        if isinstance(max_length, int) and isinstance(min_length, int) and min_length > max_length:
            self.error(f"{path}/min_length", "min_length must not exceed max_length")
        initial = element.get("initial_value")
        if initial is not None and not isinstance(initial, str):
            self.error(f"{path}/initial_value", "initial_value must be a string")
        if "multiline" in element and not isinstance(element["multiline"], bool):
            self.error(f"{path}/multiline", "multiline must be a boolean")

    def _element_number_input(self, element: dict[str, Any], path: str) -> None:
        if not isinstance(element.get("is_decimal_allowed"), bool):
            self.error(f"{path}/is_decimal_allowed", "number_input needs a boolean `is_decimal_allowed`")

    def _element_datepicker(self, element: dict[str, Any], path: str) -> None:
        initial = element.get("initial_date")
        if initial is None:
            return
        valid = isinstance(initial, str) and bool(_DATE_RE.match(initial))
        if valid:
            try:
                date.fromisoformat(initial)
            except ValueError:
                valid = False
        if not valid:
            self.error(f"{path}/initial_date", f"initial_date must be YYYY-MM-DD, got {initial!r}")

    def _element_timepicker(self, element: dict[str, Any], path: str) -> None:
        initial = element.get("initial_time")
        if initial is not None and not (isinstance(initial, str) and _TIME_RE.match(initial)):
            self.error(f"{path}/initial_time", f"initial_time must be HH:mm, got {initial!r}")
        timezone = element.get("timezone")
        if timezone is not None:
            try:
                ZoneInfo(str(timezone))
            except (ValueError, KeyError, OSError):
                self.error(f"{path}/timezone", f"unknown timezone {timezone!r}")

    def _element_datetimepicker(self, element: dict[str, Any], path: str) -> None:
        self.integer(
            element.get("initial_date_time"), f"{path}/initial_date_time", name="initial_date_time", low=0
        )

    def _element_file_input(self, element: dict[str, Any], path: str) -> None:
        self.integer(element.get("max_files"), f"{path}/max_files", name="max_files", low=1, high=10)

    def option(self, option: Any, path: str, *, allow_mrkdwn: bool, allow_url: bool = False) -> None:
        if not isinstance(option, dict):
            self.error(path, "an option must be an object")
            return
        plain_only = not allow_mrkdwn
        self.text(option.get("text"), f"{path}/text", max_len=75, name="option text", plain_only=plain_only)
        self.string(option.get("value"), f"{path}/value", max_len=150, name="option value", required=True)
        if option.get("description") is not None:
            self.text(
                option["description"],
                f"{path}/description",
                max_len=75,
                name="option description",
                plain_only=plain_only,
            )
        if option.get("url") is not None:
            if allow_url:
                self.string(option["url"], f"{path}/url", max_len=3000, name="option url")
            else:
                self.error(f"{path}/url", "`url` is only allowed on overflow options")

    def _confirm(self, confirm: Any, path: str) -> None:
        if not isinstance(confirm, dict):
            self.error(path, "confirm must be an object")
            return
        self.text(confirm.get("title"), f"{path}/title", max_len=100, name="confirm title", plain_only=True)
        self.text(confirm.get("text"), f"{path}/text", max_len=300, name="confirm text")
        self.text(
            confirm.get("confirm"), f"{path}/confirm", max_len=30, name="confirm button", plain_only=True
        )
        self.text(confirm.get("deny"), f"{path}/deny", max_len=30, name="deny button", plain_only=True)
        style = confirm.get("style")
        if style is not None and style not in ("primary", "danger"):
            self.error(f"{path}/style", f'confirm style must be "primary" or "danger", got {style!r}')


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
                f"{_TOO_LONG}: the blocks hold {total} characters of text "
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


def _message_error_code(errors: list[str]) -> str:
    if all(error.startswith(_TOO_LONG) for error in errors):
        return _TOO_LONG
    return "invalid_blocks"


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------

#: Form fields that slack_sdk (and Slack) send as JSON strings; decoded when recorded.
_JSON_FIELDS = frozenset(
    {"attachments", "blocks", "files", "metadata", "unfurls", "user_auth_blocks", "view"}
)

#: ``conversations.history``: default and largest ``limit``.
DEFAULT_HISTORY_LIMIT = 100
MAX_HISTORY_LIMIT = 999
_EVENT_TYPE_RE = re.compile(r"[A-Za-z0-9_]{1,255}")
_CURSOR_PREFIX = "next_ts:"  # Slack's history cursors are base64("next_ts:<ts digits>") too


@dataclass
class Call:
    """One request received by the fake."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]  # lower-cased names
    at: float  # time.monotonic() when the request arrived
    injected: bool = False  # answered by fail_next()
    dropped: bool = False  # processed, but drop_response_next() closed the connection unanswered
    status: int = 200  # HTTP status answered (for a dropped call: the one that would have been)
    response: Any = None  # decoded JSON answered (None for plain-text answers)
    body: bytes = b""  # raw request body


@dataclass
class _Failure:
    status: int
    retry_after: int
    error: str | None
    remaining: int


@dataclass
class _User:
    user_id: str
    tz: str | None = None  # None: FakeSlack.default_tz at lookup time
    deleted: bool = False
    real_name: str | None = None
    exists: bool = True
    is_bot: bool = False


@dataclass
class _Reply:
    status: int
    data: Any = None  # JSON body
    text: str = ""  # plain body when data is None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection instead of answering

    def encode(self) -> tuple[bytes, str]:
        if self.data is not None:
            return json.dumps(self.data).encode("utf-8"), "application/json; charset=utf-8"
        return self.text.encode("utf-8"), "text/plain; charset=utf-8"


class _Bucket:
    """Token bucket: ``capacity`` tokens, refilled at ``rate`` tokens per second."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0.0 if one is available now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


@dataclass
class _RateLimits:
    per_channel_per_second: float
    burst: int
    workspace_per_minute: float
    workspace_burst: int
    channels: dict[str, _Bucket] = field(default_factory=dict)
    workspace: _Bucket | None = None

    def check(self, channel: str, now: float) -> int | None:
        """Take a token from both buckets, or return Retry-After seconds (taking nothing)."""
        bucket = self.channels.get(channel)
        if bucket is None:
            bucket = self.channels[channel] = _Bucket(self.burst, self.per_channel_per_second, now)
        if self.workspace is None:
            self.workspace = _Bucket(self.workspace_burst, self.workspace_per_minute / 60.0, now)
        wait = max(bucket.wait(now), self.workspace.wait(now))
        if wait > 0.0:
            return max(1, math.ceil(wait))
        bucket.take()
        self.workspace.take()
        return None


def _error(error: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error": error, **extra}


def _invalid_arguments(*messages: str) -> dict[str, Any]:
    return _error("invalid_arguments", response_metadata={"messages": [f"[ERROR] {m}" for m in messages]})


def _str_arg(args: dict[str, Any], key: str) -> str | None:
    value = args.get(key)
    if isinstance(value, str) and value:
        return value
    if _is_int(value) or isinstance(value, float):
        return str(value)
    return None


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _parse_metadata(value: Any) -> dict[str, Any] | None:
    """Message ``metadata`` (an object, or its JSON text) -> ``{"event_type", "event_payload"}``;
    None when Slack would answer ``invalid_metadata_format``."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, dict):
        return None
    event_type, payload = value.get("event_type"), value.get("event_payload")
    if not isinstance(event_type, str) or not _EVENT_TYPE_RE.fullmatch(event_type):
        return None
    if not isinstance(payload, dict):
        return None
    return {"event_type": event_type, "event_payload": copy.deepcopy(payload)}


def _parse_ts(value: str) -> Decimal | None:
    """A message timestamp (``"1700000000.000100"``, ``"0"``...) as a comparable number."""
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def _encode_cursor(ts: str) -> str:
    return base64.b64encode(f"{_CURSOR_PREFIX}{ts}".encode()).decode("ascii")


def _decode_cursor(cursor: str) -> Decimal | None:
    try:
        text = base64.b64decode(cursor.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if not text.startswith(_CURSOR_PREFIX):
        return None
    return _parse_ts(text[len(_CURSOR_PREFIX) :])


def _maybe_json(key: str, value: str) -> Any:
    if key in _JSON_FIELDS and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _decode_args(query: str, body: bytes, content_type: str) -> tuple[dict[str, Any], str | None]:
    """Query string + body -> args; second item is a Slack error code when the body is unreadable."""
    args: dict[str, Any] = {
        key: _maybe_json(key, values[-1]) for key, values in parse_qs(query, keep_blank_values=True).items()
    }
    if not body:
        return args, None
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return args, "invalid_json"
        if not isinstance(data, dict):
            return args, "invalid_json"
        args.update(data)
        return args, None
    if media_type in ("application/x-www-form-urlencoded", ""):
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return args, "invalid_form_data"
        for key, values in form.items():
            args[key] = _maybe_json(key, values[-1])
        return args, None
    return args, "invalid_form_data"


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks: list[bytes] = []
        while True:
            size_line = handler.rfile.readline()
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length > 0 else b""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    server: _Server

    def do_POST(self) -> None:
        self.server.fake._serve(self)

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn(), a reverse-DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = int(self.server_address[1])


class FakeSlack:
    """A fake Slack Web API on 127.0.0.1 (see the module docstring).

    Usage::

        with FakeSlack() as fake:
            client = WebClient(token="xoxb-test-token", base_url=fake.api_url)
            client.chat_postMessage(channel="C1", text="hi")
            assert fake.calls_to("chat.postMessage")[0].args["text"] == "hi"
    """

    TEAM_ID = "T0001"
    TEAM_NAME = "Test Team"
    TEAM_URL = "https://test-team.slack.com/"
    BOT_USER_ID = "UBOT"
    BOT_USER_NAME = "testbot"
    BOT_ID = "B0001"
    APP_ID = "A0001"

    def __init__(
        self,
        bot_token: str = "xoxb-test-token",
        *,
        default_tz: str = "America/New_York",
        trigger_ttl: float = 3.0,
    ) -> None:
        self.bot_token = bot_token
        self._initial_settings = (default_tz, trigger_ttl)
        self.default_tz = default_tz
        #: trigger ids issued by `trigger_id()` expire after this many seconds.
        self.trigger_ttl = trigger_ttl
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[Call] = []
        self._failures: dict[str, deque[_Failure]] = {}
        self._drops: dict[str, int] = {}  # method -> how many answers drop_response_next() drops
        self._users: dict[str, _User] = {}
        self._rate_limits: _RateLimits | None = None
        self._ts_counter = itertools.count(1_700_000_000_000_100, 100)  # microseconds
        self._ids = itertools.count(1)
        #: Problems inside the fake itself (answered as HTTP 500); should stay empty.
        self.internal_errors: list[str] = []
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._m_auth_test,
            "chat.postMessage": self._m_chat_post_message,
            "chat.update": self._m_chat_update,
            "chat.delete": self._m_chat_delete,
            "chat.postEphemeral": self._m_chat_post_ephemeral,
            "conversations.open": self._m_conversations_open,
            "conversations.history": self._m_conversations_history,
            "views.open": self._m_views_open,
            "views.push": self._m_views_push,
            "views.update": self._m_views_update,
            "views.publish": self._m_views_publish,
            "users.info": self._m_users_info,
            "files.getUploadURLExternal": self._m_files_get_upload_url_external,
            "files.completeUploadExternal": self._m_files_complete_upload_external,
        }
        self._reset_state()

    def _reset_state(self) -> None:
        self.default_tz, self.trigger_ttl = self._initial_settings
        self._users = {self.BOT_USER_ID: _User(self.BOT_USER_ID, real_name=self.BOT_USER_NAME, is_bot=True)}
        self._rate_limits = None
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        #: Channels a message was posted to (or opened with conversations.open), even if deleted since.
        self._channels_seen: set[str] = set()
        self.ephemeral_messages: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, str] = {}  # user id -> view id
        self._external_ids: dict[str, str] = {}
        self._triggers_issued: dict[str, float] = {}
        self._triggers_used: set[str] = set()
        self._pending_uploads: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, bytes] = {}
        self.files: dict[str, dict[str, Any]] = {}

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is not None:
            raise RuntimeError("FakeSlack is already running")
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeSlack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """Pass as ``WebClient(base_url=...)``: ``http://127.0.0.1:PORT/api/``."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A response_url; posts to it are recorded as method ``"response_url:<name>"``."""
        return f"{self.base_url}/response/{name}"

    # -- configuration ----------------------------------------------------------------------------

    def set_user(
        self,
        user_id: str,
        *,
        tz: str | None = None,
        deleted: bool = False,
        real_name: str | None = None,
        exists: bool = True,
        is_bot: bool = False,
    ) -> None:
        """Configure what ``users.info`` (and DMs) see for a user; ``exists=False`` -> user_not_found."""
        if tz is not None:
            ZoneInfo(tz)  # fail early on a typo
        with self._lock:
            self._users[user_id] = _User(user_id, tz, deleted, real_name, exists, is_bot)

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail (checked after the token).

        * no ``error``: HTTP ``status`` (default 429 with ``Retry-After: retry_after`` and
          ``{"ok": false, "error": "ratelimited"}``; 5xx and others get a plain-text body);
        * ``error`` given: HTTP ``status`` (default 200) with ``{"ok": false, "error": error}``.

        ``method`` may be an API method, ``"response_url:<name>"``, ``"response_url"`` (any
        response_url) or ``"upload"`` (any upload URL).  Queued failures are used in order.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        if status is None:
            status = 200 if error is not None else 429
        with self._lock:
            self._failures.setdefault(method, deque()).append(
                _Failure(status, int(retry_after), error, times)
            )

    def drop_response_next(self, method: str, times: int = 1) -> None:
        """Simulate "Slack did it, but the answer never arrived": the next ``times`` calls to
        ``method`` are processed and recorded as usual (a posted message IS stored; the `Call` has
        ``dropped=True``), then the connection is closed without any HTTP response, so the client
        fails at once (slack_sdk: ``http.client.RemoteDisconnected`` or ``URLError``).

        Applies to whatever the call would have been answered, including errors and failures
        injected with `fail_next`.  ``method`` may also be ``"response_url:<name>"``,
        ``"response_url"``, ``"upload:<file_id>"`` or ``"upload"``.  Note that slack_sdk's default
        retry handler (``ConnectionErrorRetryHandler``) retries such a call once: posting twice.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._drops[method] = self._drops.get(method, 0) + times

    def enforce_rate_limits(
        self,
        per_channel_per_second: float = 1.0,
        burst: int = 3,
        workspace_per_minute: float = 600,
        workspace_burst: int | None = None,
    ) -> None:
        """Rate-limit ``chat.postMessage`` with token buckets: one per channel (``burst`` tokens,
        refilled at ``per_channel_per_second``) and one for the workspace (``workspace_burst``
        tokens, default ``workspace_per_minute``, refilled at ``workspace_per_minute / 60`` per
        second).  Over a limit: HTTP 429, ``Retry-After`` = whole seconds until a token (>= 1).
        The channel bucket is the resolved channel: a user id (``U42``) and its DM (``D42``) share one.
        Every call that passes the token check takes a token, even one then answered with an error."""
        if per_channel_per_second <= 0 or workspace_per_minute <= 0 or burst < 1:
            raise ValueError("rates must be positive and burst at least 1")
        ws_burst = int(workspace_per_minute) if workspace_burst is None else workspace_burst
        with self._lock:
            self._rate_limits = _RateLimits(
                per_channel_per_second, burst, workspace_per_minute, max(1, ws_burst)
            )

    def disable_rate_limits(self) -> None:
        with self._lock:
            self._rate_limits = None

    def trigger_id(self) -> str:
        """A fresh trigger_id that expires ``trigger_ttl`` seconds from now (others never expire)."""
        with self._lock:
            n = next(self._ids)
            trigger = f"{n}.{1_700_000_000 + n}.{n * 2654435761 % 16**32:032x}"
            self._triggers_issued[trigger] = time.monotonic()
            return trigger

    def reset(self) -> None:
        """Back to the state right after construction: forgets calls, queued failures, messages,
        views, uploads, users set with `set_user`, rate limits, and restores ``default_tz`` and
        ``trigger_ttl``.  Only the token, the running server, ``internal_errors`` and the ts
        sequence (ts values keep increasing) survive, so one server can be shared by many tests."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._drops.clear()
            self._reset_state()

    # -- inspection -------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every recorded call, in the order they were answered."""
        with self._lock:
            return list(self._calls)

    @property
    def uploads(self) -> dict[str, bytes]:
        """file_id -> bytes posted to that file's upload_url."""
        with self._lock:
            return dict(self._uploads)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The current state of a posted (and maybe updated) message."""
        with self._lock:
            stored = self.messages.get((channel, ts))
            return copy.deepcopy(stored) if stored is not None else None

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(msg) for (chan, _), msg in self.messages.items() if chan == channel]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self.home_views.get(user_id)
            return copy.deepcopy(self.views[view_id]) if view_id is not None else None

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least ``count`` calls to ``method`` were recorded; return all of them."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected at least {count} call(s) to {method!r} within {timeout}s, "
                    f"got {len(found)}.\n{self.describe_calls()}"
                )
            time.sleep(0.01)

    def describe_calls(self) -> str:
        calls = self.calls
        if not calls:
            return "No calls were received."
        start = calls[0].at
        lines = [f"Received {len(calls)} call(s):"]
        for call in calls:
            outcome = ""
            if isinstance(call.response, dict):
                outcome = "ok" if call.response.get("ok") else f"error={call.response.get('error')!r}"
            args = repr({k: v for k, v in call.args.items() if k != "token"})
            if len(args) > 160:
                args = args[:157] + "..."
            flag = (" [injected]" if call.injected else "") + (" [dropped]" if call.dropped else "")
            lines.append(f"  +{call.at - start:.3f}s {call.method} -> {call.status} {outcome}{flag} {args}")
        return "\n".join(lines)

    # -- HTTP plumbing ----------------------------------------------------------------------------

    def _serve(self, handler: _Handler) -> None:
        arrived = time.monotonic()
        try:
            body = _read_body(handler)
            parts = urlsplit(handler.path)
            headers = {key.lower(): value for key, value in handler.headers.items()}
            path = parts.path
            if path.startswith("/api/"):
                reply = self._api(path[len("/api/") :], parts.query, body, headers, arrived)
            elif path.startswith("/response/"):
                reply = self._response_url(path[len("/response/") :], parts.query, body, headers, arrived)
            elif path.startswith("/upload/"):
                reply = self._upload(path[len("/upload/") :], body, headers, arrived)
            else:
                reply = _Reply(404, text="not found")
        except Exception:  # a bug in the fake: answer 500 and keep the trace for the test
            trace = traceback.format_exc()
            with self._lock:
                self.internal_errors.append(trace)
            reply = _Reply(500, text=f"FakeSlack internal error:\n{trace}")
        if reply.drop:
            # No status line, no headers: close now so the client sees a disconnect, not a timeout.
            handler.close_connection = True
            with contextlib.suppress(OSError):  # the client may have gone already
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        payload, content_type = reply.encode()
        handler.send_response(reply.status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)

    def _record(self, call: Call, reply: _Reply) -> _Reply:
        if self._take_drop(call.method):
            call.dropped = reply.drop = True
        call.status = reply.status
        call.response = reply.data
        self._calls.append(call)
        return reply

    def _take_drop(self, method: str) -> bool:
        for key in dict.fromkeys((method, method.partition(":")[0])):
            left = self._drops.get(key, 0)
            if left > 0:
                if left == 1:
                    del self._drops[key]
                else:
                    self._drops[key] = left - 1
                return True
        return False

    def _take_failure(self, *keys: str) -> _Reply | None:
        for key in keys:
            queue = self._failures.get(key)
            if not queue:
                continue
            failure = queue[0]
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.popleft()
            if failure.error is not None:
                return _Reply(failure.status, data=_error(failure.error))
            if failure.status == 429:
                return _Reply(
                    429, data=_error("ratelimited"), headers={"Retry-After": str(max(0, failure.retry_after))}
                )
            try:
                phrase = HTTPStatus(failure.status).phrase
            except ValueError:
                phrase = "Error"
            return _Reply(failure.status, text=f"{failure.status} {phrase}")
        return None

    def _api(self, method: str, query: str, body: bytes, headers: dict[str, str], arrived: float) -> _Reply:
        args, decode_error = _decode_args(query, body, headers.get("content-type", ""))
        call = Call(method=method, args=args, headers=headers, at=arrived, body=body)
        with self._lock:
            auth = headers.get("authorization", "").strip()
            if not auth:
                return self._record(call, _Reply(200, data=_error("not_authed")))
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or token.strip() != self.bot_token:
                return self._record(call, _Reply(200, data=_error("invalid_auth")))
            injected = self._take_failure(method)
            if injected is not None:
                call.injected = True
                return self._record(call, injected)
            if decode_error is not None:
                return self._record(call, _Reply(200, data=_error(decode_error)))
            implementation = self._methods.get(method)
            if implementation is None:
                return self._record(call, _Reply(200, data=_error("unknown_method", req_method=method)))
            if method == "chat.postMessage" and self._rate_limits is not None:
                channel = _str_arg(args, "channel")
                if channel is not None:
                    retry_after = self._rate_limits.check(self._dm_channel(channel), arrived)
                    if retry_after is not None:
                        reply = _Reply(
                            429, data=_error("ratelimited"), headers={"Retry-After": str(retry_after)}
                        )
                        return self._record(call, reply)
            return self._record(call, _Reply(200, data=implementation(args)))

    def _response_url(
        self, name: str, query: str, body: bytes, headers: dict[str, str], arrived: float
    ) -> _Reply:
        args, decode_error = _decode_args(query, body, headers.get("content-type", "application/json"))
        call = Call(method=f"response_url:{name}", args=args, headers=headers, at=arrived, body=body)
        with self._lock:
            injected = self._take_failure(call.method, "response_url")
            if injected is not None:
                call.injected = True
                return self._record(call, injected)
            if decode_error is not None:
                return self._record(call, _Reply(200, data=_error(decode_error)))
            if _truthy(args.get("delete_original")):
                return self._record(call, _Reply(200, data={"ok": True}))
            if args.get("blocks") is None and not args.get("text") and not args.get("attachments"):
                return self._record(call, _Reply(200, data=_error("no_text")))
            problem = self._check_message(args)
            return self._record(call, _Reply(200, data=problem or {"ok": True}))

    def _upload(self, file_id: str, body: bytes, headers: dict[str, str], arrived: float) -> _Reply:
        call = Call(
            method=f"upload:{file_id}",
            args={"file_id": file_id, "size": len(body)},
            headers=headers,
            at=arrived,
        )
        call.body = body
        with self._lock:
            injected = self._take_failure(call.method, "upload")
            if injected is not None:
                call.injected = True
                return self._record(call, injected)
            if file_id not in self._pending_uploads:
                return self._record(call, _Reply(404, text="unknown upload url"))
            self._uploads[file_id] = body
            return self._record(call, _Reply(200, text=f"OK - {len(body)}"))

    # -- helpers for method implementations -------------------------------------------------------

    def _next_ts(self) -> str:
        micros = next(self._ts_counter)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _user(self, user_id: str) -> _User:
        return self._users.get(user_id) or _User(user_id)

    @staticmethod
    def _dm_channel(channel: str) -> str:
        """A user id (U…/W…) stands for the DM with that user: ``D`` + the rest of the id."""
        if channel[:1] in ("U", "W") and len(channel) > 1:
            return "D" + channel[1:]
        return channel

    @staticmethod
    def _check_message(args: dict[str, Any]) -> dict[str, Any] | None:
        blocks = args.get("blocks")
        if blocks is None:
            return None
        text = args.get("text")
        errors = validate_message_blocks(blocks, text if isinstance(text, str) else None)
        if not errors:
            return None
        return _error(_message_error_code(errors), errors=errors, response_metadata={"messages": errors})

    def _message_echo(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        text = args.get("text")
        message: dict[str, Any] = {
            "type": "message",
            "text": text[:MESSAGE_TEXT_LIMIT] if isinstance(text, str) else "",
            "user": self.BOT_USER_ID,
            "bot_id": self.BOT_ID,
            "app_id": self.APP_ID,
            "team": self.TEAM_ID,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "metadata", "thread_ts"):
            if args.get(key) is not None:
                message[key] = copy.deepcopy(args[key])
        return message

    def _tz_fields(self, tz: str) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(tz))
        offset = now.utcoffset()
        return {
            "tz": tz,
            "tz_label": now.tzname() or tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
        }

    # -- API methods (each takes decoded args, returns the JSON answer) -----------------------------

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": self.TEAM_URL,
            "team": self.TEAM_NAME,
            "user": self.BOT_USER_NAME,
            "team_id": self.TEAM_ID,
            "user_id": self.BOT_USER_ID,
            "bot_id": self.BOT_ID,
            "is_enterprise_install": False,
        }

    def _m_chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = _str_arg(args, "channel")
        if channel is None:
            return _error("channel_not_found")
        if args.get("blocks") is None and not args.get("text") and not args.get("attachments"):
            return _error("no_text")
        problem = self._check_message(args)
        if problem is not None:
            return problem
        metadata = None
        if args.get("metadata") is not None:
            metadata = _parse_metadata(args["metadata"])
            if metadata is None:
                return _error("invalid_metadata_format")
        if channel[:1] in ("U", "W") and not self._user(channel).exists:
            return _error("channel_not_found")
        channel_id = self._dm_channel(channel)
        ts = self._next_ts()
        message = self._message_echo(args, ts)
        if metadata is not None:
            message["metadata"] = metadata
        if "thread_ts" in message and _truthy(args.get("reply_broadcast")):
            message["subtype"] = "thread_broadcast"
        self.messages[(channel_id, ts)] = {**copy.deepcopy(message), "channel": channel_id}
        self._channels_seen.add(channel_id)
        return {"ok": True, "channel": channel_id, "ts": ts, "message": message}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = _str_arg(args, "channel"), _str_arg(args, "ts")
        if channel is None:
            return _error("channel_not_found")
        if ts is None or (channel, ts) not in self.messages:
            # Note: no U… -> D… mapping here; update with the channel id that chat.postMessage returned.
            return _error("message_not_found")
        if args.get("blocks") is None and not args.get("text") and not args.get("attachments"):
            return _error("no_text")
        problem = self._check_message(args)
        if problem is not None:
            return problem
        metadata = None
        if args.get("metadata") is not None:
            metadata = _parse_metadata(args["metadata"])
            if metadata is None:
                return _error("invalid_metadata_format")
        stored = self.messages[(channel, ts)]
        if isinstance(args.get("text"), str):
            stored["text"] = args["text"][:MESSAGE_TEXT_LIMIT]
        for key in ("blocks", "attachments"):
            if key in args:  # omitted: previous value kept; [] removes
                stored[key] = copy.deepcopy(args[key])
        if metadata is not None:  # omitted: previous metadata kept
            stored["metadata"] = metadata
        stored["edited"] = {"user": self.BOT_USER_ID, "ts": self._next_ts()}
        message = {k: copy.deepcopy(v) for k, v in stored.items() if k != "channel"}
        return {"ok": True, "channel": channel, "ts": ts, "text": stored["text"], "message": message}

    def _m_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = _str_arg(args, "channel"), _str_arg(args, "ts")
        if channel is None:
            return _error("channel_not_found")
        if ts is None or self.messages.pop((channel, ts), None) is None:
            return _error("message_not_found")
        return {"ok": True, "channel": channel, "ts": ts}

    def _m_chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, user = _str_arg(args, "channel"), _str_arg(args, "user")
        if channel is None:
            return _error("channel_not_found")
        if user is None or not self._user(user).exists:
            return _error("user_not_found")
        if args.get("blocks") is None and not args.get("text") and not args.get("attachments"):
            return _error("no_text")
        problem = self._check_message(args)
        if problem is not None:
            return problem
        ts = self._next_ts()
        self.ephemeral_messages.append({**self._message_echo(args, ts), "channel": channel, "to_user": user})
        return {"ok": True, "message_ts": ts}

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = _str_arg(args, "channel")
        if channel is not None:
            return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": channel}}
        users_arg = args.get("users")
        if isinstance(users_arg, list):
            users = [str(u).strip() for u in users_arg if str(u).strip()]
        elif isinstance(users_arg, str):
            users = [u.strip() for u in users_arg.split(",") if u.strip()]
        else:
            users = []
        if not users:
            return _error("users_list_not_supplied")
        for user_id in users:
            user = self._user(user_id)
            if not user.exists:
                return _error("user_not_found")
            if user.deleted:
                return _error("user_disabled")
            if user.is_bot and len(users) == 1:
                return _error("cannot_dm_bot")
        if len(users) == 1:
            channel_id = self._dm_channel(users[0])
            info: dict[str, Any] = {"id": channel_id}
            if _truthy(args.get("return_im")):
                info.update({"is_im": True, "user": users[0], "is_open": True})
        else:
            digest = sum(ord(ch) * (i + 1) for i, ch in enumerate(",".join(sorted(users))))
            info = {"id": f"G{digest:09d}"}
        self._channels_seen.add(info["id"])
        return {"ok": True, "channel": info}

    def _known_channel(self, channel: str) -> bool:
        """Posted to (or opened) before, or the DM of a user that exists."""
        if channel in self._channels_seen or any(chan == channel for chan, _ in self.messages):
            return True
        if channel[:1] == "D" and len(channel) > 1:
            return all(self._user(prefix + channel[1:]).exists for prefix in ("U", "W"))
        return False

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = _str_arg(args, "channel")
        if channel is None or not self._known_channel(channel):
            return _error("channel_not_found")
        bounds: dict[str, Decimal | None] = {}
        for key in ("oldest", "latest"):
            raw = _str_arg(args, key)
            bounds[key] = None if raw is None else _parse_ts(raw)
            if raw is not None and bounds[key] is None:
                return _error(f"invalid_ts_{key}")
        oldest, latest = bounds["oldest"], bounds["latest"]
        limit_arg = args.get("limit")
        if limit_arg is None or limit_arg == "":
            limit = DEFAULT_HISTORY_LIMIT
        else:
            try:
                limit = int(str(limit_arg).strip())
            except ValueError:
                return _invalid_arguments("limit must be an integer [json-pointer:/limit]")
            limit = DEFAULT_HISTORY_LIMIT if limit < 1 else min(limit, MAX_HISTORY_LIMIT)
        cursor_arg = _str_arg(args, "cursor")
        cursor = None if cursor_arg is None else _decode_cursor(cursor_arg)
        if cursor_arg is not None and cursor is None:
            return _error("invalid_cursor")
        inclusive = _truthy(args.get("inclusive"))
        with_metadata = _truthy(args.get("include_all_metadata"))

        selected: list[tuple[Decimal, dict[str, Any]]] = []
        for (chan, ts), stored in self.messages.items():
            number = _parse_ts(ts)
            if chan != channel or number is None:
                continue
            thread_ts = stored.get("thread_ts")
            if thread_ts not in (None, ts) and stored.get("subtype") != "thread_broadcast":
                continue  # thread replies are only in conversations.replies
            if oldest is not None and (number < oldest or (number == oldest and not inclusive)):
                continue
            if latest is not None and (number > latest or (number == latest and not inclusive)):
                continue
            if cursor is not None and number > cursor:
                continue
            selected.append((number, stored))
        selected.sort(key=lambda item: item[0], reverse=True)
        page = selected[:limit]
        messages = []
        for _, stored in page:
            message = {k: copy.deepcopy(v) for k, v in stored.items() if k != "channel"}
            if not with_metadata:
                message.pop("metadata", None)
            messages.append(message)
        answer: dict[str, Any] = {
            "ok": True,
            "messages": messages,
            "has_more": len(selected) > limit,
            "pin_count": 0,
        }
        if len(selected) > limit:
            answer["response_metadata"] = {"next_cursor": _encode_cursor(selected[limit][1]["ts"])}
        return answer

    def _view_arg(self, args: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        view = args.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                return None, _invalid_arguments("failed to parse view as JSON [json-pointer:/view]")
        if view is None:
            return None, _invalid_arguments("missing required field: view")
        errors = validate_view(view)
        if errors:
            return None, _invalid_arguments(
                *(e.replace("[json-pointer:", "[json-pointer:/view", 1) for e in errors)
            )
        assert isinstance(view, dict)
        return view, None

    def _use_trigger(self, args: dict[str, Any]) -> dict[str, Any] | None:
        trigger = _str_arg(args, "trigger_id")
        if trigger is None:
            return _invalid_arguments("missing required field: trigger_id")
        if trigger in self._triggers_used:
            return _error("exchanged_trigger_id")
        issued = self._triggers_issued.get(trigger)
        if issued is not None and time.monotonic() - issued > self.trigger_ttl:
            return _error("expired_trigger_id")
        self._triggers_used.add(trigger)
        return None

    def _store_view(
        self,
        view: dict[str, Any],
        *,
        view_id: str | None = None,
        root_view_id: str | None = None,
        previous_view_id: str | None = None,
    ) -> dict[str, Any]:
        view_id = view_id or self._next_id("V")
        record = copy.deepcopy(view)
        record.update(
            {
                "id": view_id,
                "team_id": self.TEAM_ID,
                "state": {"values": {}},
                "hash": f"{int(time.time())}.{next(self._ids):08x}",
                "root_view_id": root_view_id or view_id,
                "previous_view_id": previous_view_id,
                "app_id": self.APP_ID,
                "app_installed_team_id": self.TEAM_ID,
                "bot_id": self.BOT_ID,
            }
        )
        for key in ("private_metadata", "callback_id", "external_id"):
            record.setdefault(key, "")
        if record.get("type") == "modal":
            record.setdefault("clear_on_close", False)
            record.setdefault("notify_on_close", False)
        old = self.views.get(view_id)
        if old is not None and old.get("external_id"):
            self._external_ids.pop(old["external_id"], None)
        if record["external_id"]:
            self._external_ids[record["external_id"]] = view_id
        self.views[view_id] = record
        return copy.deepcopy(record)

    def _open_or_push(self, args: dict[str, Any]) -> dict[str, Any]:
        view, problem = self._view_arg(args)
        if problem is not None:
            return problem
        assert view is not None
        if view.get("type") != "modal":
            return _invalid_arguments('view type must be "modal" [json-pointer:/view/type]')
        external_id = view.get("external_id")
        if external_id and external_id in self._external_ids:
            return _error("duplicate_external_id")
        problem = self._use_trigger(args)
        if problem is not None:
            return problem
        return {"ok": True, "view": self._store_view(view)}

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._open_or_push(args)

    def _m_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._open_or_push(args)

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id, external_id = _str_arg(args, "view_id"), _str_arg(args, "external_id")
        if view_id is None and external_id is None:
            return _invalid_arguments("either view_id or external_id is required")
        view, problem = self._view_arg(args)
        if problem is not None:
            return problem
        assert view is not None
        target = view_id if view_id is not None else self._external_ids.get(external_id or "")
        if target is None or target not in self.views:
            return _error("not_found")
        existing = self.views[target]
        hash_arg = _str_arg(args, "hash")
        if hash_arg is not None and hash_arg != existing["hash"]:
            return _error("hash_conflict")
        new_external = view.get("external_id")
        if new_external and self._external_ids.get(new_external, target) != target:
            return _error("duplicate_external_id")
        record = self._store_view(
            view,
            view_id=target,
            root_view_id=existing.get("root_view_id"),
            previous_view_id=existing.get("previous_view_id"),
        )
        return {"ok": True, "view": record}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = _str_arg(args, "user_id")
        if user_id is None:
            return _invalid_arguments("missing required field: user_id")
        view, problem = self._view_arg(args)
        if problem is not None:
            return problem
        assert view is not None
        if view.get("type") != "home":
            return _invalid_arguments(
                'views.publish only accepts views of type "home" [json-pointer:/view/type]'
            )
        if not self._user(user_id).exists:
            return _error("user_not_found")
        existing_id = self.home_views.get(user_id)
        hash_arg = _str_arg(args, "hash")
        if hash_arg is not None and existing_id is not None and hash_arg != self.views[existing_id]["hash"]:
            return _error("hash_conflict")
        record = self._store_view(view, view_id=existing_id)
        self.home_views[user_id] = record["id"]
        return {"ok": True, "view": record}

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = _str_arg(args, "user")
        if user_id is None:
            return _error("user_not_found")
        user = self._user(user_id)
        if not user.exists:
            return _error("user_not_found")
        real_name = user.real_name or f"User {user_id}"
        name = re.sub(r"\W+", ".", real_name.lower()).strip(".") or user_id.lower()
        profile = {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": name,
            "display_name_normalized": name,
            "team": self.TEAM_ID,
        }
        info: dict[str, Any] = {
            "id": user_id,
            "team_id": self.TEAM_ID,
            "name": name,
            "deleted": user.deleted,
            "real_name": real_name,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "is_admin": False,
            "updated": 1_700_000_000,
            "profile": profile,
        }
        if not user.deleted:  # deactivated accounts come back without tz fields
            info.update(self._tz_fields(user.tz or self.default_tz))
        return {"ok": True, "user": info}

    def _m_files_get_upload_url_external(self, args: dict[str, Any]) -> dict[str, Any]:
        filename = _str_arg(args, "filename")
        length = _str_arg(args, "length")
        if filename is None:
            return _invalid_arguments("missing required field: filename")
        if length is None or not length.isdigit():
            return _invalid_arguments("missing or invalid field: length")
        file_id = self._next_id("F")
        self._pending_uploads[file_id] = {
            "filename": filename,
            "length": int(length),
            "alt_txt": args.get("alt_txt"),
            "snippet_type": args.get("snippet_type"),
        }
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _m_files_complete_upload_external(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        if isinstance(files, str):
            try:
                files = json.loads(files)
            except ValueError:
                return _invalid_arguments("files must be a JSON array [json-pointer:/files]")
        if not isinstance(files, list) or not files:
            return _invalid_arguments("missing required field: files")
        channel = _str_arg(args, "channel_id")
        channels = [channel] if channel else []
        if isinstance(args.get("channels"), str):
            channels += [c for c in args["channels"].split(",") if c]
        completed: list[dict[str, Any]] = []
        for entry in files:
            file_id = entry.get("id") if isinstance(entry, dict) else None
            if file_id not in self._pending_uploads or file_id not in self._uploads:
                return _error("file_not_found")
            pending = self._pending_uploads[file_id]
            name = pending["filename"]
            record = {
                "id": file_id,
                "name": name,
                "title": entry.get("title") or name,
                "filetype": name.rsplit(".", 1)[-1] if "." in name else "binary",
                "size": len(self._uploads[file_id]),
                "user": self.BOT_USER_ID,
                "created": int(time.time()),
                "channels": list(channels),
                "initial_comment": args.get("initial_comment"),
                "thread_ts": args.get("thread_ts"),
            }
            self.files[file_id] = record
            completed.append({k: v for k, v in record.items() if k not in ("initial_comment", "thread_ts")})
        return {"ok": True, "files": completed}
