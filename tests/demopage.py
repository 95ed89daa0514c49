"""Helpers for the tests of `infoint demo`: the demo served on a free port, on a clock that starts at
a known working morning, and small HTTP calls to its page's API."""

from __future__ import annotations

import json
import struct
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slack_sdk import WebClient

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


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (a chart, as far as the page is concerned)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x2e\xb6\x7d" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def post_digest(server: DemoServer, channel: str = "C0COHORT") -> None:
    """What a cohort digest could look like: the app posts to a channel and shares a chart and a CSV."""
    client = WebClient(token=server.demo.bot_token, base_url=server.demo.slack.api_url)
    fields = [{"type": "mrkdwn", "text": "*Requests*\n7"}, {"type": "mrkdwn", "text": "*Interviews*\n2"}]
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Weekly digest"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "The cohort this week:"}, "fields": fields},
    ]
    client.chat_postMessage(channel=channel, text="Weekly digest", blocks=blocks)
    client.files_upload_v2(
        channel=channel, content=tiny_png(), filename="chart.png", title="Requests per week"
    )
    client.files_upload_v2(
        channel=channel, content=b"name,requests\nAlex,2\n", filename="report.csv", title="Report"
    )
