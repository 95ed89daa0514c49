"""Helpers for the tests of `infoint demo`: the demo served on a free port, on a clock that starts at
a known working morning, and small HTTP calls to its page's API."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.demo.serve import DemoServer

TZ = "Europe/Paris"
#: Tuesday 3 March 2026, 10:00 in Paris: inside the default working window.
START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


@dataclass
class Http:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    url: str, data: Any = None, *, headers: dict[str, str] | None = None, raw: bytes | None = None
) -> Http:
    body = raw if raw is not None else (None if data is None else json.dumps(data).encode())
    sent = {"Content-Type": "application/json"} if data is not None else {}
    sent.update(headers or {})
    method = "POST" if body is not None else "GET"
    req = urllib.request.Request(url, data=body, headers=sent, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return Http(response.status, response.read(), {k.lower(): v for k, v in response.headers.items()})
    except urllib.error.HTTPError as error:
        return Http(error.code, error.read(), {k.lower(): v for k, v in error.headers.items()})


def serve(tmp: Path) -> Iterator[DemoServer]:
    with DemoServer(tmp / "demo.db", port=0, tz=TZ, start=START) as server:
        yield server


def texts(node: Any) -> str:
    """Every string inside a payload, joined."""
    if isinstance(node, dict):
        return " ".join(texts(v) for v in node.values())
    if isinstance(node, list):
        return " ".join(texts(v) for v in node)
    return node if isinstance(node, str) else ""
