"""Reading what Slack sends back: one parser per payload kind, all through one strict id parser.

A button or menu value names a contact (``"<contact id>:<version>"``, ``+ ":<choice>"`` on a menu), a
reminder (``"<nudge id>"``, ``+ ":<choice>"`` on an overflow) or an interview (``"<interview id>"``);
a modal carries what it is about in its ``private_metadata`` (JSON, one dataclass per kind). Every
parser returns None for anything else, and never raises: the listener then gives the answer below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.domain.ids import MAX_RECORD_ID
from bot.domain.pipeline import RequestRoute
from bot.queries.models import OUTCOMES

R = TypeVar("R")


# What a listener answers when a payload doesn't parse (forged, garbled, or from an older version).
BAD_CONTACT_BUTTON = "That button doesn't carry a contact I can read. Open your list with `/infoint list`."
BAD_CONTACT = "That button doesn't carry a contact I can read."
BAD_CONTACT_MENU = "That menu doesn't carry a contact I can read. Search again with `/infoint find [text]`."
BAD_NUDGE = "That button doesn't carry a reminder I can read."
BAD_INTERVIEW = "That button doesn't carry an interview I can read."
OUT_OF_DATE = "This form is out of date. Close it and try again."
BAD_COHORT = "That button doesn't carry a cohort I can read. Try `/infoint cohort` in the cohort's channel."

# The largest id (:data:`bot.domain.ids.MAX_RECORD_ID`): a forged id past it never reaches a query,
# where PostgreSQL would refuse it.
MAX_ID = MAX_RECORD_ID
MAX_ID_DIGITS = len(str(MAX_ID))
_DIGITS = frozenset("0123456789")


def parse_id(raw: str | None) -> int | None:
    """A positive id written canonically: ASCII digits only (``str.isdigit`` also takes "²" and
    Arabic-Indic digits), no sign, space or leading zero, at most :data:`MAX_ID`."""
    if not isinstance(raw, str) or not 0 < len(raw) <= MAX_ID_DIGITS:
        return None
    if raw[0] == "0" or not _DIGITS.issuperset(raw):
        return None
    found = int(raw)
    return found if found <= MAX_ID else None


def _json_id(value: object) -> int | None:
    """An id in JSON: a number (never a boolean) or a string, held to :func:`parse_id` all the same."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return parse_id(str(value)) if 0 < value <= MAX_ID else None
    return parse_id(value) if isinstance(value, str) else None


# Button and menu values -----------------------------------------------------------------------------


def action_value(action: Mapping[str, Any]) -> str | None:
    """The value a click carries: the chosen option of a menu or overflow, else the button's value."""
    option = action.get("selected_option")
    if isinstance(option, Mapping) and isinstance(option.get("value"), str):
        return option["value"]
    value = action.get("value")
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ContactRef:
    """A contact at the version the button was drawn for, and the choice of a menu ("" on a button)."""

    contact_id: int
    version: int
    choice: str = ""


def parse_contact(raw: str | None) -> ContactRef | None:
    """A button's ``"<contact id>:<version>"``."""
    if not isinstance(raw, str):
        return None
    contact, colon, version = raw.partition(":")
    contact_id, version_no = parse_id(contact), parse_id(version)
    if not colon or contact_id is None or version_no is None:
        return None
    return ContactRef(contact_id, version_no)


def parse_contact_choice(raw: str | None) -> ContactRef | None:
    """A menu option's ``"<contact id>:<version>:<choice>"`` (the choice itself is checked by its service)."""
    if not isinstance(raw, str):
        return None
    value, colon, choice = raw.rpartition(":")
    found = parse_contact(value) if colon else None
    return ContactRef(found.contact_id, found.version, choice) if found else None


@dataclass(frozen=True)
class NudgeRef:
    """A reminder, and the choice of an overflow (None on a button)."""

    nudge_id: int
    choice: str | None = None


def parse_nudge(raw: str | None) -> NudgeRef | None:
    """A button's ``"<nudge id>"`` or an overflow option's ``"<nudge id>:<choice>"``."""
    if not isinstance(raw, str):
        return None
    nudge, colon, choice = raw.partition(":")
    nudge_id = parse_id(nudge)
    if nudge_id is None:
        return None
    return NudgeRef(nudge_id, choice if colon else None)


def parse_nudge_button(raw: str | None) -> int | None:
    """A button's ``"<nudge id>"`` alone (no overflow's choice)."""
    return parse_id(raw)


def parse_route(raw: str | None) -> RequestRoute | None:
    """Whom a 2nd-degree contact's first request went to, as a form's choice says."""
    try:
        return RequestRoute(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def parse_interview(raw: str | None) -> int | None:
    """A button's ``"<interview id>"``."""
    return parse_id(raw)


def parse_outcome(raw: str | None) -> ContactRef | None:
    """A search result's outcome menu: ``"<contact id>:<version>:<outcome>"``, one of :data:`OUTCOMES`."""
    found = parse_contact_choice(raw)
    return found if found is not None and found.choice in OUTCOMES else None


@dataclass(frozen=True)
class Reading(Generic[R]):
    """A kind of button or menu value: its parser, and what the listener answers when it doesn't parse."""

    parse: Callable[[str | None], R | None]
    unreadable: str


CARD_BUTTON = Reading(parse_contact, BAD_CONTACT_BUTTON)
CARD_MENU = Reading(parse_contact_choice, BAD_CONTACT_BUTTON)
DRAFT_BUTTON = Reading(parse_contact, BAD_CONTACT)
OUTCOME_MENU = Reading(parse_outcome, BAD_CONTACT_MENU)
REMINDER_CLICK = Reading(parse_nudge, BAD_NUDGE)  # a button, or an overflow with its choice
REMINDER_BUTTON = Reading(parse_nudge_button, BAD_NUDGE)
INTERVIEW_BUTTON = Reading(parse_interview, BAD_INTERVIEW)


# Modal metadata --------------------------------------------------------------------------------------


def _json_object(raw: object) -> dict[str, Any] | None:
    if not isinstance(raw, str) or not raw:
        return None
    try:
        loaded = json.loads(raw)
    except ValueError:  # not JSON, or a number too long to read
        return None
    return loaded if isinstance(loaded, dict) else None


def _id_in(raw: str | None, key: str) -> int | None:
    """The id under ``key`` of metadata naming one record."""
    data = _json_object(raw)
    return _json_id(data.get(key)) if data is not None else None


@dataclass(frozen=True)
class ContactMetadata:
    """A modal about a contact at a version; ``message``: the card it was opened from, to redraw;
    ``place``: the block id of the buttons it was opened from (which surface to draw again);
    ``response_url``: where to answer when that surface is an ephemeral message."""

    contact_id: int
    version: int
    message: tuple[str, str] | None = None
    place: str = ""
    response_url: str = ""

    def dumps(self) -> str:
        data: dict[str, object] = {"contact": self.contact_id, "version": self.version}
        if self.message:
            data |= {"channel": self.message[0], "ts": self.message[1]}
        if self.place:
            data["place"] = self.place
        if self.response_url:
            data["response_url"] = self.response_url
        return json.dumps(data)


def contact_metadata(raw: str | None) -> ContactMetadata | None:
    data = _json_object(raw)
    if data is None:
        return None
    contact_id, version = _json_id(data.get("contact")), _json_id(data.get("version"))
    if contact_id is None or version is None:
        return None
    where = slack_message(data.get("channel"), data.get("ts"))
    return ContactMetadata(
        contact_id, version, where, _text(data.get("place")), _url(data.get("response_url"))
    )


def _text(value: object, limit: int = 255) -> str:
    return value if isinstance(value, str) and len(value) <= limit else ""


def _url(value: object) -> str:
    """A response_url: Slack's own https address (anything else is ignored)."""
    if not isinstance(value, str) or len(value) > 500:
        return ""
    return (
        value
        if value.startswith(("https://hooks.slack.com/", "https://hooks.slack-gov.com/", "http://127.0.0.1:"))
        else ""
    )


@dataclass(frozen=True)
class NudgeMetadata:
    """A modal opened from a reminder (``response_url``: where to show what it added)."""

    nudge_id: int
    response_url: str = ""

    def dumps(self) -> str:
        data: dict[str, object] = {"nudge": self.nudge_id}
        if self.response_url:
            data["response_url"] = self.response_url
        return json.dumps(data)


def nudge_metadata(raw: str | None) -> NudgeMetadata | None:
    data = _json_object(raw)
    nudge_id = _json_id(data.get("nudge")) if data is not None else None
    if data is None or nudge_id is None:
        return None
    return NudgeMetadata(nudge_id, _url(data.get("response_url")))


@dataclass(frozen=True)
class InterviewMetadata:
    """A modal about an interview."""

    interview_id: int

    def dumps(self) -> str:
        return json.dumps({"interview": self.interview_id})


def interview_metadata(raw: str | None) -> InterviewMetadata | None:
    interview_id = _id_in(raw, "interview")
    return InterviewMetadata(interview_id) if interview_id is not None else None


# Where a click came from, and what a modal holds ----------------------------------------------------


# A message's place as Slack writes it: a conversation id and a timestamp. Anything else (a forged
# container: megabytes of text, markup) is no place, so it never reaches a form's metadata or Slack.
_CHANNEL = re.compile(r"[CDG][A-Z0-9]{1,31}", re.ASCII)
_TS = re.compile(r"[0-9]{1,12}\.[0-9]{1,8}", re.ASCII)


def slack_message(channel: object, ts: object) -> tuple[str, str] | None:
    """(channel, ts) when both are written as Slack writes them, else None."""
    if isinstance(channel, str) and isinstance(ts, str) and _CHANNEL.fullmatch(channel) and _TS.fullmatch(ts):
        return channel, ts
    return None


def message_location(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """Where the clicked message is, when it can be updated (a normal message, not an ephemeral one)."""
    container = body.get("container")
    if not isinstance(container, Mapping) or container.get("is_ephemeral"):
        return None  # an ephemeral message (e.g. search results) can't be updated with chat.update
    if container.get("type") == "message":
        return slack_message(container.get("channel_id"), container.get("message_ts"))
    return None


def message_ts(body: Mapping[str, Any]) -> str | None:
    """The timestamp of the message clicked (a nudge DM is checked against it)."""
    container = body.get("container")
    ts = container.get("message_ts") if isinstance(container, Mapping) else None
    return ts if isinstance(ts, str) else None


def form_values(view: Mapping[str, Any]) -> dict[str, str | None]:
    """Flatten a submitted modal's state to ``{block_id: value}`` (one element per input block)."""
    values: dict[str, str | None] = {}
    for block_id, element in _elements(view):
        values[block_id] = _element_value(element)
    return values


def chosen_ids(view: Mapping[str, Any], block_id: str) -> list[int] | None:
    """The ids chosen in a multi-select (None when one of them isn't an id)."""
    for found_id, element in _elements(view):
        if found_id == block_id:
            raw = [o.get("value") for o in element.get("selected_options") or [] if isinstance(o, Mapping)]
            ids = [parse_id(v) for v in raw]
            return None if None in ids else [i for i in ids if i is not None]
    return []


def settings_values(view: Mapping[str, Any]) -> dict[str, object]:
    """The settings modal's state: checkboxes as the list of values ticked, times and texts as typed."""
    raw: dict[str, object] = {}
    for block_id, element in _elements(view):
        if element.get("type") == "checkboxes":
            raw[block_id] = [o.get("value") for o in element.get("selected_options") or []]
        elif element.get("type") == "timepicker":
            raw[block_id] = element.get("selected_time")
        else:
            raw[block_id] = element.get("value")
    return raw


def ticked(view: Mapping[str, Any], block_id: str) -> list[str]:
    """The values ticked in a modal's checkboxes (or chosen in a multi-select)."""
    found: list[str] = []
    for block, element in _elements(view):
        if block == block_id:
            chosen = element.get("selected_options") or []
            found += [
                o["value"] for o in chosen if isinstance(o, Mapping) and isinstance(o.get("value"), str)
            ]
    return found


def _elements(view: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    state = (view.get("state") or {}).get("values") or {}
    return [(block_id, element) for block_id, elements in state.items() for element in elements.values()]


def _element_value(element: Mapping[str, Any]) -> str | None:
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons"):
        option = element.get("selected_option") or {}
        return option.get("value")
    if kind == "datetimepicker":
        stamp = element.get("selected_date_time")
        return None if stamp is None else str(stamp)
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "timepicker":
        return element.get("selected_time")
    if kind == "users_select":
        return element.get("selected_user")
    value = element.get("value")
    return value if isinstance(value, str) else None
