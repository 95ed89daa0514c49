"""Hostile input for the hostile-input suite (`test_hostile.py`): hypothesis strategies for text, ids,
button values, private_metadata and form states, and the checks run on everything the app sent back.

The control sequences the strategies send name marker ids (``U0HOSTILE``, ``C0HOSTILE``,
``S0HOSTILE``, ``evil.example``) that the app itself never writes, so a sequence found in what the
app sent to Slack came from the hostile input, not from the app's own mentions of the people it
addresses. ``<!channel>``, ``<!here>`` and ``<!everyone>`` the app never writes either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from hypothesis import strategies as st

from bot.fakeslack import validate_message_blocks, validate_view

T = TypeVar("T")

# Text ----------------------------------------------------------------------------------------------

#: What Slack delivers, unescaped, when a person types a mention, a channel, a user group or a link.
CONTROL = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0HOSTILE>",
    "<!subteam^S0HOSTILE|@admins>",
    "<@U0HOSTILE>",
    "<@U0HOSTILE|boss>",
    "<#C0HOSTILE>",
    "<#C0HOSTILE|general>",
    "<http://evil.example|click>",
    "<https://evil.example/login>",
)
#: The same, escaped as Slack delivers what a person typed as text in a slash command.
ESCAPED = (
    "&lt;!channel&gt;",
    "&lt;!here&gt;",
    "&lt;@U0HOSTILE&gt;",
    "&lt;http://evil.example|click&gt;",
    "&amp;lt;!channel&amp;gt;",
    "&amp;",
    "&lt;",
    "&gt;",
    "&",
    "<",
    ">",
    "<>",
    "&#60;!here&#62;",
)
ODD = (
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066x\u2069",  # isolate
    "\u200d",  # zero-width joiner
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "e\u0301",  # a combining mark
    "Z" + "\u0336\u0337\u0338\u0300\u0301" * 12,  # a tower of combining marks
    "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # an emoji ZWJ sequence
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\n\n\n\n",
    "\t",
    "\u2028",
    "\U0010ffff",
    "²",
    "١٢٣",  # Arabic-Indic digits
    "𝟘",
    "*bold* _it_ ~gone~ `code` ```block```",
    "> quote",
    ":skull:",
    "%s %(x)s {0} {}",
    "'; DROP TABLE contacts; --",
    '"\\',
    "\u0000\u0001\u001f\u007f\u0085",
)
WORDS = ("Ada Lovelace", "Acme", "UX researcher", "Healthcare", "Lyon", "a", "é", "李雷", "José Núñez")
LONG = (76, 151, 256, 2001, 3001, 12_001, 40_001)

#: Lone surrogates: JSON can carry them (``"\\ud800"``), UTF-8 can't, so only in JSON payloads.
SURROGATES = ("\ud800", "\udfff", "a\udc80b")


def _long(n: int) -> st.SearchStrategy[str]:
    return st.sampled_from(("x", "<!here>", "&", "é", "👩‍👩‍👧‍👦", "\u0301")).map(lambda s: (s * n)[: n * 2])


def hostile_text(*, json_only: bool = False) -> st.SearchStrategy[str]:
    """Text a hostile user types: control sequences, escapes, odd Unicode, over-long runs, plain words."""
    pieces = [
        st.sampled_from(CONTROL),
        st.sampled_from(ESCAPED),
        st.sampled_from(ODD),
        st.sampled_from(WORDS),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    ]
    if json_only:
        pieces.append(st.sampled_from(SURROGATES))
    piece = st.one_of(*pieces)
    short = st.lists(piece, min_size=0, max_size=5).map("".join)
    return st.one_of(short, short, st.sampled_from(LONG).flatmap(_long), st.sampled_from(WORDS))


def slack_escape(typed: str) -> str:
    """Slack's escaping of what a person typed as text in a slash command."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def command_text() -> st.SearchStrategy[str]:
    """A command's text as Slack delivers it: what was typed, escaped, with real mentions, channels,
    links and ``@channel`` as Slack's control sequences; sometimes raw, as a forger would send it."""
    typed = hostile_text().map(slack_escape)
    control = st.sampled_from(CONTROL)
    mixed = st.lists(st.one_of(typed, control), min_size=1, max_size=4).map(" ".join)
    return st.one_of(typed, mixed, hostile_text())


# Ids and values -------------------------------------------------------------------------------------
# What the app drew so far grows as the examples run, so a strategy never branches on it: it draws an
# index and takes that item of the pool as it stands (or a fallback). The draws are then the same
# whatever the pool holds, and hypothesis can replay a failing example.

INDEX = st.integers(min_value=0, max_value=2**16)


def pick(pool: Sequence[T], fallback: T) -> st.SearchStrategy[T]:
    """An item of ``pool`` (``fallback`` when it is empty), drawn the same way whatever its size."""
    items = list(pool)
    return INDEX.map(lambda i: items[i % len(items)] if items else fallback)


BAD_IDS = (
    "",
    "0",
    "-1",
    "00",
    "01",
    "+1",
    " 1",
    "1 ",
    "1.0",
    "1e3",
    "0x10",
    "²",
    "١",
    "١٢",
    "𝟙",
    str(2**63 - 1),
    str(2**63),
    str(2**64 + 1),
    "9" * 19,
    "9" * 400,
    "9" * 5000,  # past Python's 4300 digits for int()
    str(2**31),  # past PostgreSQL's INTEGER
    str(2**31 - 1),
    "-" + "9" * 30,
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
)


def bad_id() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(BAD_IDS), st.integers(min_value=-(2**70), max_value=2**70).map(str))


def json_id(real: Sequence[int]) -> st.SearchStrategy[Any]:
    """An id in JSON metadata: real ones, and every wrong type and size."""
    return st.one_of(
        st.integers(min_value=-(2**80), max_value=2**80),
        bad_id(),
        st.sampled_from([None, True, False, 1.5, 1e308, [], {}, [1], {"id": 1}]),
        pick(real, 1),
        pick(real, 1).map(str),
    )


def value_part(real: Sequence[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        bad_id(), hostile_text(json_only=True), pick(real, "1"), pick(real, "1"), pick(real, "1")
    )


def forged_value(real_values: Sequence[str], real_parts: Sequence[str]) -> st.SearchStrategy[str]:
    """A button or option value: one the app drew (maybe someone else's), one of those bent (a part
    swapped for a hostile one), or parts joined with ``:`` from scratch."""
    joined = st.lists(value_part(real_parts), min_size=1, max_size=4).map(":".join)
    real = pick(real_values, "1:1")
    bent = st.tuples(real, INDEX, value_part(real_parts)).map(_bend)
    return st.one_of(joined, hostile_text(json_only=True), real, real, bent)


def _bend(drawn: tuple[str, int, str]) -> str:
    value, at, part = drawn
    parts = value.split(":")
    at %= len(parts) + 1
    return ":".join([*parts[:at], part, *parts[at + 1 :]])


def metadata(real: Sequence[str], ids: Sequence[int]) -> st.SearchStrategy[str]:
    """A modal's private_metadata: the app's own (maybe for someone else's record), a forged JSON
    object with hostile ids, channels and URLs, or not JSON at all."""
    keys = ("contact", "version", "nudge", "interview", "cohort", "student", "channel", "ts", "place")
    forged = st.dictionaries(
        st.sampled_from((*keys, "response_url")),
        st.one_of(json_id(ids), hostile_text(json_only=True), st.sampled_from(_URLS)),
        max_size=6,
    ).map(json.dumps)
    raw = st.one_of(hostile_text(json_only=True), st.sampled_from(["null", "[]", "1", '"x"', "{", "{}"]))
    own = pick(real, "{}")
    bent = st.tuples(own, INDEX, json_id(ids)).map(_bend_metadata)
    return st.one_of(forged, raw, own, own, own, bent)


_URLS = (
    "https://evil.example/hook",
    "http://127.0.0.1:1/x",
    "https://hooks.slack.com/../../evil.example",
    "javascript:alert(1)",
)


def _bend_metadata(drawn: tuple[str, int, Any]) -> str:
    raw, at, new = drawn
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(data, dict) or not data:
        return raw
    key = sorted(data)[at % len(data)]
    return json.dumps({**data, key: new})


# Form states ----------------------------------------------------------------------------------------

DATES = ("2026-03-03", "1900-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "tomorrow", "", "²⁰²⁶-03-03")
TIMES = ("09:00", "23:59", "00:00", "24:00", "9", "25:61", "09:00:00", "", "٠٩:٠٠")
EPOCHS = (0, -1, 1, 2**31, 2**63, 2**64 + 5, -(2**63) - 1, 253_402_300_800, 1_772_800_000, 1_773_000_000)
USERS = ("U0HOSTILE", "U0VICTIM", "U0ATTACK", "U0PUPIL", "W0", "", "<@U0HOSTILE>")
KINDS = (
    "plain_text_input",
    "number_input",
    "static_select",
    "radio_buttons",
    "checkboxes",
    "datetimepicker",
    "datepicker",
    "timepicker",
    "users_select",
    "multi_static_select",
)


@dataclass(frozen=True)
class Entry:
    """What one input receives, drawn the same way for every kind of input: `fill` makes it the
    state of a given element (its own kind, mostly, with its real options among the choices)."""

    how: int  # 0-5: an own value; 6: hostile text as the value; 7: empty; 8: another kind of element
    text: str
    option: int
    options: tuple[int, ...]
    epoch: Any
    date: str | None
    time: str | None
    number: str
    user: str
    other: str

    def fill(self, kind: str, options: Sequence[str]) -> dict[str, Any] | None:
        if self.how == 7:
            return None
        if self.how == 8:
            kind = self.other
        own = self.how < 6 and bool(options)
        choice = options[self.option % len(options)] if own else self.text
        chosen = [options[i % len(options)] if own else self.text for i in self.options]
        value: dict[str, Any]
        if kind in ("static_select", "radio_buttons"):
            value = {"selected_option": {"value": choice}}
        elif kind in ("checkboxes", "multi_static_select"):
            value = {"selected_options": [{"value": c} for c in chosen]}
        elif kind == "datetimepicker":
            value = {"selected_date_time": self.epoch if self.how < 6 else self.text}
        elif kind == "datepicker":
            value = {"selected_date": self.date if self.how < 6 else self.text}
        elif kind == "timepicker":
            value = {"selected_time": self.time if self.how < 6 else self.text}
        elif kind == "users_select":
            value = {"selected_user": self.user if self.how < 6 else self.text}
        elif kind == "number_input":
            value = {"value": self.number if self.how < 6 else self.text}
        else:
            value = {"value": self.text}
        return {"type": kind, **value}


ENTRY = st.builds(
    Entry,
    how=st.integers(0, 8),
    text=hostile_text(json_only=True),
    option=INDEX,
    options=st.lists(INDEX, max_size=4).map(tuple),
    epoch=st.one_of(st.sampled_from(EPOCHS), st.integers(), st.none()),
    date=st.one_of(st.sampled_from(DATES), st.none()),
    time=st.one_of(st.sampled_from(TIMES), st.none()),
    number=st.one_of(bad_id(), st.sampled_from(["1", "3", "0", "-5", "1e9", "2", "9" * 5000])),
    user=st.sampled_from(USERS),
    other=st.sampled_from(KINDS),
)
#: The most inputs a form is filled in for (the rest are left out, as if never shown).
SLOTS = 16


def inputs_of(view: dict[str, Any] | None) -> list[tuple[str, str, str, list[str]]]:
    """(block_id, action_id, element type, option values) of a view's input blocks."""
    found = []
    for block in (view or {}).get("blocks", []):
        if block.get("type") == "input":
            element = block["element"]
            options = [o["value"] for o in element.get("options") or [] if "value" in o]
            for group in element.get("option_groups") or []:
                options += [o["value"] for o in group.get("options", [])]
            found.append((block.get("block_id", ""), element.get("action_id", ""), element["type"], options))
    return found


@dataclass(frozen=True)
class FormEntries:
    """A form's worth of entries, and stray fields; `state` fills a given modal with them."""

    entries: tuple[Entry, ...]
    stray: tuple[tuple[int, Entry], ...]

    def state(self, view: dict[str, Any] | None, spare_fields: Sequence[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for (block_id, action_id, kind, options), entry in zip(inputs_of(view), self.entries, strict=False):
            filled = entry.fill(kind, options)
            if filled is not None:
                values[block_id] = {action_id or block_id: filled}
        fields = list(spare_fields) or ["name"]
        for at, entry in self.stray:
            field = fields[at % len(fields)]
            filled = entry.fill("plain_text_input", [])
            if filled is not None:
                values[field] = {field: filled}
        return values


FORM = st.builds(
    FormEntries,
    entries=st.lists(ENTRY, min_size=SLOTS, max_size=SLOTS).map(tuple),
    stray=st.lists(st.tuples(INDEX, ENTRY), max_size=3).map(tuple),
)


# What the app sent ------------------------------------------------------------------------------------

#: Control sequences only hostile input can have put there (see the module's docstring).
INJECTED = re.compile(
    r"<(?:!channel|!here|!everyone|!subteam\^S0HOSTILE|@U0HOSTILE|#C0HOSTILE|https?://evil\.example)",
    re.IGNORECASE,
)
#: The same without user mentions: for `/infoint cohort mentor @name`, whose answer names the person.
INJECTED_BUT_MENTIONS = re.compile(
    r"<(?:!channel|!here|!everyone|!subteam\^S0HOSTILE|#C0HOSTILE|https?://evil\.example)", re.IGNORECASE
)
#: Slack's answers to a message or view that breaks Block Kit's rules or limits.
BLOCK_KIT_ERRORS = frozenset(
    {"invalid_blocks", "msg_blocks_too_long", "invalid_arguments", "no_text", "invalid_metadata_format"}
)
#: Where Slack parses mrkdwn (and so mentions and links): a text object that isn't plain_text, a
#: message's own text, a file's comment.
PARSED_KEYS = frozenset({"text", "fallback", "pretext", "initial_comment"})


def parsed_strings(payload: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, string) of every string in a payload that Slack parses as mrkdwn."""
    if isinstance(payload, dict):
        plain = payload.get("type") == "plain_text"
        for key, value in payload.items():
            here = f"{path}/{key}"
            if isinstance(value, str):
                if key in PARSED_KEYS and not plain:
                    yield here, value
            else:
                yield from parsed_strings(value, here)
    elif isinstance(payload, list):
        for index, item in enumerate(payload):
            yield from parsed_strings(item, f"{path}/{index}")


def injections(payload: Any, pattern: re.Pattern[str] = INJECTED) -> list[str]:
    """Every unescaped hostile control sequence in what Slack would parse."""
    return [f"{where}: {text[:300]!r}" for where, text in parsed_strings(payload) if pattern.search(text)]


def ack_problems(body: Any) -> list[str]:
    """What is wrong with an HTTP acknowledgement's body: a message or view breaking Block Kit."""
    if not isinstance(body, dict):
        return []
    problems: list[str] = []
    if "blocks" in body:
        problems += validate_message_blocks(body["blocks"], body.get("text"))
    if body.get("response_action") in ("update", "push"):
        problems += validate_view(body.get("view"))
    errors = body.get("errors")
    if body.get("response_action") == "errors":
        if not isinstance(errors, dict) or not errors:
            problems.append(f"response_action errors without errors: {errors!r}")
        else:
            problems += [f"error on {k}: {v!r}" for k, v in errors.items() if not isinstance(v, str) or not v]
    return problems
