"""Block Kit checks below the block: text objects, strings, sizes, and every kind of element."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.fakeslack.limits import MAX_ID_LENGTH

TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})

SELECTS = frozenset(
    {"static_select", "external_select", "users_select", "conversations_select", "channels_select"}
)
MULTI_SELECTS = frozenset(f"multi_{name}" for name in SELECTS)
TEXT_INPUTS = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"}
)
CHOICES = frozenset({"checkboxes", "radio_buttons"})
PICKERS = frozenset({"datepicker", "timepicker", "datetimepicker"})

# Deliberately lenient about *where* an interactive element may appear (Slack's docs have changed
# over time); strict about what is certainly wrong (buttons in input blocks, inputs in context...).
ACTIONS_ELEMENTS = (
    frozenset({"button", "overflow", "workflow_button"})
    | SELECTS
    | MULTI_SELECTS
    | CHOICES
    | PICKERS
    | TEXT_INPUTS
)
ACCESSORY_ELEMENTS = ACTIONS_ELEMENTS | {"image"}
INPUT_ELEMENTS = TEXT_INPUTS | SELECTS | MULTI_SELECTS | CHOICES | PICKERS | {"file_input"}
ALL_ELEMENTS = ACCESSORY_ELEMENTS | INPUT_ELEMENTS

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class ElementChecker:
    """Collects Block Kit errors as ``"<message> [json-pointer:<path>]"`` strings (Slack's style);
    checks text objects and elements (the blocks are checked by `bot.fakeslack.blockkit`)."""

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
        if ttype not in TEXT_TYPES:
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
        if not is_int(value):
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
        if not isinstance(etype, str) or etype not in ALL_ELEMENTS:
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
        valid = isinstance(initial, str) and bool(DATE_RE.match(initial))
        if valid:
            try:
                date.fromisoformat(initial)
            except ValueError:
                valid = False
        if not valid:
            self.error(f"{path}/initial_date", f"initial_date must be YYYY-MM-DD, got {initial!r}")

    def _element_timepicker(self, element: dict[str, Any], path: str) -> None:
        initial = element.get("initial_time")
        if initial is not None and not (isinstance(initial, str) and TIME_RE.match(initial)):
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
