"""Slack's side of the door: requests built and signed the way Slack sends them, handed to the app's
WSGI application in this process (the same bytes and headers as over HTTP, so Bolt checks the
signature and routes them exactly as in production)."""

from __future__ import annotations

import io
import itertools
import json
import logging
import re
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.signature import SignatureVerifier

from bot.demo.people import DemoUser

EVENTS_PATH = "/slack/events"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """The app's HTTP answer to one request."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names

    def json(self) -> Any:
        """The body as JSON; a plain-text body as ``{"text": ...}``; None when empty."""
        if not self.body.strip():
            return None
        if "json" in self.headers.get("content-type", ""):
            try:
                return json.loads(self.body)
            except ValueError:
                return None
        return {"text": self.body.decode("utf-8", "replace")}


class SlackDoor:
    """Sends signed slash commands, interactions and events to the app's ``/slack/events``."""

    def __init__(self, app: WsgiApp, signing_secret: str, team_id: str, app_id: str) -> None:
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        self.team_id = team_id
        self.app_id = app_id
        self._event_ids = itertools.count(1)

    # What Slack sends ---------------------------------------------------------------------------------

    def command(
        self, user: DemoUser, text: str, channel: str, channel_name: str, response_url: str, trigger_id: str
    ) -> Answer:
        fields = {
            "token": "demo",
            "team_id": self.team_id,
            "team_domain": "demo",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user.id,
            "user_name": user.name.lower().replace(" ", "."),
            "command": "/infoint",
            "text": slack_escaped(text),
            "api_app_id": self.app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        return self.post(urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> Answer:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any]) -> Answer:
        envelope = {
            "token": "demo",
            "team_id": self.team_id,
            "api_app_id": self.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{next(self._event_ids):010d}",
            "event_time": int(time.time()),
        }
        return self.post(json.dumps(envelope).encode(), "application/json")

    def user_json(self, user: DemoUser) -> dict[str, Any]:
        return {
            "id": user.id,
            "username": user.name.lower().replace(" ", "."),
            "name": user.name.lower().replace(" ", "."),
            "team_id": self.team_id,
        }

    def team_json(self) -> dict[str, Any]:
        return {"id": self.team_id, "domain": "demo"}

    # The wire -----------------------------------------------------------------------------------------

    def post(self, body: bytes, content_type: str) -> Answer:
        """POST ``body`` to /slack/events, signed now with the app's signing secret."""
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": self.verifier.generate_signature(timestamp=timestamp, body=body),
        }
        return self._call("POST", EVENTS_PATH, body, headers)

    def _call(self, method: str, path: str, body: bytes, headers: Mapping[str, str]) -> Answer:
        answer: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer["status"], answer["headers"] = status, response_headers
            return lambda data: None

        chunks = self.app(_environ(method, path, body, headers), start_response)
        try:
            payload = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        status = int(str(answer.get("status", "500")).split(" ", 1)[0])
        names = {name.lower(): value for name, value in answer.get("headers", [])}
        if status >= 400:
            log.warning("the app answered %s to a request from the demo page", status)
        return Answer(status, payload, names)


def _environ(method: str, path: str, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """The WSGI environ (PEP 3333) a server builds for one request from 127.0.0.1."""
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        env[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    return env


#: A user picked in the composer, as Slack writes it in a command's text (kept as it is).
_MENTION = re.compile(r"(<@[UW][A-Z0-9]{2,30}(?:\|[^<>&]*)?>)")


def slack_escaped(text: str) -> str:
    """A command's text as Slack sends it: ``&``, ``<`` and ``>`` escaped, mentions (``<@U…>``) kept."""
    parts = _MENTION.split(text)
    return "".join(
        part if i % 2 else part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for i, part in enumerate(parts)
    )
