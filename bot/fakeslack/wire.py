"""The wire side of the fake: decoding requests, Slack's error answers, timestamps and cursors."""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from bot.fakeslack.elements import is_int

#: Form fields that slack_sdk (and Slack) send as JSON strings; decoded when recorded.
JSON_FIELDS = frozenset({"attachments", "blocks", "files", "metadata", "unfurls", "user_auth_blocks", "view"})

EVENT_TYPE_RE = re.compile(r"[A-Za-z0-9_]{1,255}")
CURSOR_PREFIX = "next_ts:"  # Slack's history cursors are base64("next_ts:<ts digits>") too


@dataclass
class Reply:
    status: int
    data: Any = None  # JSON body
    text: str = ""  # plain body when data is None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection instead of answering

    def encode(self) -> tuple[bytes, str]:
        if self.data is not None:
            return json.dumps(self.data).encode("utf-8"), "application/json; charset=utf-8"
        return self.text.encode("utf-8"), "text/plain; charset=utf-8"


def error(code: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error": code, **extra}


def invalid_arguments(*messages: str) -> dict[str, Any]:
    return error("invalid_arguments", response_metadata={"messages": [f"[ERROR] {m}" for m in messages]})


def str_arg(args: dict[str, Any], key: str) -> str | None:
    value = args.get(key)
    if isinstance(value, str) and value:
        return value
    if is_int(value) or isinstance(value, float):
        return str(value)
    return None


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def parse_metadata(value: Any) -> dict[str, Any] | None:
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
    if not isinstance(event_type, str) or not EVENT_TYPE_RE.fullmatch(event_type):
        return None
    if not isinstance(payload, dict):
        return None
    return {"event_type": event_type, "event_payload": copy.deepcopy(payload)}


def parse_ts(value: str) -> Decimal | None:
    """A message timestamp (``"1700000000.000100"``, ``"0"``...) as a comparable number."""
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def encode_cursor(ts: str) -> str:
    return base64.b64encode(f"{CURSOR_PREFIX}{ts}".encode()).decode("ascii")


def decode_cursor(cursor: str) -> Decimal | None:
    try:
        text = base64.b64decode(cursor.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if not text.startswith(CURSOR_PREFIX):
        return None
    return parse_ts(text[len(CURSOR_PREFIX) :])


def maybe_json(key: str, value: str) -> Any:
    if key in JSON_FIELDS and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def decode_args(query: str, body: bytes, content_type: str) -> tuple[dict[str, Any], str | None]:
    """Query string + body -> args; second item is a Slack error code when the body is unreadable."""
    args: dict[str, Any] = {
        key: maybe_json(key, values[-1]) for key, values in parse_qs(query, keep_blank_values=True).items()
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
            args[key] = maybe_json(key, values[-1])
        return args, None
    return args, "invalid_form_data"


def read_body(handler: BaseHTTPRequestHandler) -> bytes:
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
