"""What the page sends (which element was used, the raw value typed or picked) turned into what
Slack sends the app: an ``actions[]`` entry of block_actions, or a modal's ``state.values``.

Every element is looked up in the blocks the stand-in stored, never taken from the page, so the page
can only use what the app actually showed; options are the app's own option objects.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo


class BadInput(ValueError):
    """A page request that Slack's client could not have sent: answered 400 with this text."""


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_LOCAL = re.compile(r"(\d{4}-\d{2}-\d{2})T(([01]\d|2[0-3]):[0-5]\d)")
_TEXT_INPUTS = ("plain_text_input", "email_text_input", "url_text_input", "number_input")


def block_id_of(block: dict[str, Any], index: int) -> str:
    """A block's id; Slack gives one to blocks sent without it."""
    block_id = block.get("block_id")
    return block_id if isinstance(block_id, str) and block_id else f"demo-block-{index}"


def locate(blocks: Any, block_index: Any, element_index: Any) -> tuple[str, dict[str, Any]]:
    """(block_id, element) of element ``element_index`` of block ``block_index`` (-1: its accessory;
    0 in an input block: its element)."""
    if not isinstance(blocks, list) or not isinstance(block_index, int) or not isinstance(element_index, int):
        raise BadInput("an action needs the block and element numbers of what was used")
    if not 0 <= block_index < len(blocks) or not isinstance(blocks[block_index], dict):
        raise BadInput(f"there is no block {block_index} there")
    block = blocks[block_index]
    element: Any = None
    if element_index == -1:
        element = block.get("accessory")
    elif block.get("type") == "actions" and isinstance(block.get("elements"), list):
        if 0 <= element_index < len(block["elements"]):
            element = block["elements"][element_index]
    elif block.get("type") == "input" and element_index == 0 and block.get("dispatch_action"):
        element = block.get("element")
    if not isinstance(element, dict) or not element.get("action_id"):
        raise BadInput(f"block {block_index} has no interactive element {element_index}")
    return block_id_of(block, block_index), element


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found += group.get("options") or []
    return [o for o in found if isinstance(o, dict)]


def _option(element: dict[str, Any], value: Any) -> dict[str, Any]:
    for option in _options(element):
        if option.get("value") == value:
            return option
    raise BadInput(f"{element.get('action_id')} has no option {str(value)[:60]!r}")


def _chosen(element: dict[str, Any], raw: Any) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise BadInput(f"{element.get('action_id')} takes a list of option values")
    return [_option(element, value) for value in raw]


def _date(raw: Any) -> str:
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        raise BadInput("a date is YYYY-MM-DD")
    try:
        date.fromisoformat(raw)
    except ValueError:
        raise BadInput(f"{raw} is not a date") from None
    return raw


def _time(raw: Any) -> str:
    if not isinstance(raw, str) or not _TIME.fullmatch(raw):
        raise BadInput("a time is HH:MM")
    return raw


def local_to_epoch(raw: Any, tz: str) -> int:
    """``YYYY-MM-DDTHH:MM``, a wall-clock time in ``tz`` (the user's Slack timezone), as epoch seconds."""
    match = _LOCAL.fullmatch(raw) if isinstance(raw, str) else None
    if match is None:
        raise BadInput("a date and time is YYYY-MM-DDTHH:MM")
    day = date.fromisoformat(_date(match.group(1)))
    hour, minute = map(int, match.group(2).split(":"))
    return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)).timestamp())


def action(element: dict[str, Any], block_id: str, raw: Any, tz: str) -> dict[str, Any]:
    """The ``actions[]`` entry for using ``element`` with the page's ``raw`` value."""
    kind = element.get("type")
    used: dict[str, Any] = {
        "type": kind,
        "action_id": element["action_id"],
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if kind == "button":
        used["text"] = element.get("text")
        for key in ("value", "style", "url"):
            if key in element:
                used[key] = element[key]
    elif kind in ("overflow", "static_select", "radio_buttons"):
        used["selected_option"] = _option(element, raw)
    elif kind in ("checkboxes", "multi_static_select"):
        used["selected_options"] = _chosen(element, raw)
    elif kind == "datepicker":
        used["selected_date"] = _date(raw)
    elif kind == "timepicker":
        used["selected_time"] = _time(raw)
    elif kind == "datetimepicker":
        used["selected_date_time"] = local_to_epoch(raw, tz)
    elif kind in _TEXT_INPUTS:
        used["value"] = raw if isinstance(raw, str) else ""
    else:
        raise BadInput(f"the demo page can't use a {kind} element")
    return used


def state_values(view: dict[str, Any], raw_values: Any, tz: str, *, check_required: bool) -> dict[str, Any]:
    """A modal's ``state.values`` from the page's ``{block_id: raw value}``, element by element."""
    if raw_values is None:
        raw_values = {}
    if not isinstance(raw_values, dict):
        raise BadInput("values must be an object of block_id: value")
    values: dict[str, Any] = {}
    for index, block in enumerate(view.get("blocks") or []):
        if not isinstance(block, dict) or block.get("type") != "input":
            continue
        element = block.get("element") or {}
        block_id = block_id_of(block, index)
        raw = raw_values.get(block_id)
        entry = _state_entry(element, raw, tz)
        if check_required and not block.get("optional") and _empty(entry):
            label = (block.get("label") or {}).get("text") or block_id
            raise BadInput(f"'{label}' is required")
        values[block_id] = {element.get("action_id", "input"): entry}
    return values


def _state_entry(element: dict[str, Any], raw: Any, tz: str) -> dict[str, Any]:
    kind = element.get("type")
    entry: dict[str, Any] = {"type": kind}
    if kind in _TEXT_INPUTS:
        text = raw if isinstance(raw, str) and raw != "" else None
        limit = element.get("max_length")
        if text is not None and isinstance(limit, int) and len(text) > limit:
            raise BadInput(f"{element.get('action_id')} takes at most {limit} characters")
        entry["value"] = text
    elif kind in ("static_select", "radio_buttons"):
        entry["selected_option"] = None if raw in (None, "") else _option(element, raw)
    elif kind in ("checkboxes", "multi_static_select"):
        entry["selected_options"] = _chosen(element, raw)
    elif kind == "datepicker":
        entry["selected_date"] = None if raw in (None, "") else _date(raw)
    elif kind == "timepicker":
        entry["selected_time"] = None if raw in (None, "") else _time(raw)
    elif kind == "datetimepicker":
        entry["selected_date_time"] = None if raw in (None, "") else local_to_epoch(raw, tz)
    else:
        raise BadInput(f"the demo page can't fill a {kind} input")
    return entry


def _empty(entry: dict[str, Any]) -> bool:
    return all(value in (None, [], "") for key, value in entry.items() if key != "type")
