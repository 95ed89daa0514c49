"""Building and signing requests the way Slack sends them to an app, and two ways to deliver them:
`OverHttp` (a real socket to a served app) and `InProcess` (the same bytes handed to the WSGI app)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from wsgiref.validate import validator

from waitress.server import create_server

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0001"
EVENTS_PATH = "/slack/events"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``v0=`` + hex HMAC-SHA256 over ``v0:{timestamp}:{body}``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: bytes, content_type: str, secret: str = SIGNING_SECRET, at: float | None = None
) -> dict:
    timestamp = str(int(time.time() if at is None else at))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(secret, timestamp, body),
    }


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def http_request(
    method: str, url: str, body: bytes | None, headers: Mapping[str, str], timeout: float = 10
) -> Reply:
    request = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.read(), _lower(response.headers.items()))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), _lower(error.headers.items()))


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}


class Transport(Protocol):
    """Delivers one HTTP request to the app and returns its answer."""

    def request(
        self, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> Reply: ...


class OverHttp:
    """A real socket: the request goes to an app served at ``base_url`` (waitress, or `infoint run`)."""

    def __init__(self, base_url: str, timeout: float = 10) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def request(
        self, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> Reply:
        data = body if method in ("POST", "PUT", "PATCH") else None
        return http_request(method, self.base_url + path, data, headers or {}, self.timeout)


class InProcess:
    """No socket: the same request (method, path, headers, body bytes) is handed to the WSGI app in
    this thread, as a WSGI environ like the one waitress builds; the app's own routing and Bolt's
    signature check run as they do when served. PEP 3333 conformance is checked on the way
    (``wsgiref.validate``)."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = validator(app)

    def request(
        self, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> Reply:
        answer: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer["status"], answer["headers"] = status, response_headers
            return lambda data: None  # the legacy write() callable; the app never uses it

        chunks = self.app(environ(method, path, body, headers or {}), start_response)
        try:
            payload = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        return Reply(int(answer["status"].split(" ", 1)[0]), payload, _lower(answer["headers"]))


def environ(method: str, path: str, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """The WSGI environ of one request from 127.0.0.1 (PEP 3333), as a server would build it."""
    path_info, _, query = path.partition("?")
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": urllib.parse.unquote(path_info, "latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body:
        env["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        env[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    return env


class ServedApp:
    """A WSGI app served by waitress (the production server) on 127.0.0.1, in a thread."""

    def __init__(self, wsgi: WsgiApp) -> None:
        # A short loop timeout: close() from another thread takes effect within 0.1 s, not 1 s.
        self.server = create_server(wsgi, host="127.0.0.1", port=0, threads=4, asyncore_loop_timeout=0.1)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with contextlib.suppress(OSError):  # close() from another thread ends the loop with EBADF
            self.server.run()

    def close(self) -> None:
        self.server.close()
        self.thread.join(timeout=5)


class SlackSender:
    """Sends signed slash commands, interactions and events to the app's /slack/events."""

    def __init__(
        self,
        to: str | Transport,
        response_url_base: str,
        trigger_ids: Callable[[], str],
        secret: str = SIGNING_SECRET,
    ) -> None:
        """``to``: the app's events URL (over HTTP), or a `Transport` (its requests go to /slack/events)."""
        if isinstance(to, str):
            parts = urllib.parse.urlsplit(to)
            self.transport: Transport = OverHttp(f"{parts.scheme}://{parts.netloc}")
            self.path = parts.path or EVENTS_PATH
        else:
            self.transport, self.path = to, EVENTS_PATH
        self.response_url_base = response_url_base
        self.secret = secret
        self.trigger_id = trigger_ids

    @property
    def url(self) -> str:
        """The events URL, when the app is served over HTTP."""
        if not isinstance(self.transport, OverHttp):
            raise RuntimeError("this app is dispatched in process: mark the test over_http for a URL")
        return self.transport.base_url + self.path

    def send(self, body: bytes, headers: Mapping[str, str]) -> Reply:
        """POST these bytes with these headers to /slack/events, signed or not."""
        return self.transport.request("POST", self.path, body, headers)

    def send_form(
        self, fields: dict[str, str], *, secret: str | None = None, at: float | None = None
    ) -> Reply:
        body = urllib.parse.urlencode(fields).encode()
        headers = signed_headers(body, "application/x-www-form-urlencoded", secret or self.secret, at)
        return self.send(body, headers)

    def command(self, text: str, user: str = "U0STUDENT", team: str = TEAM, **extra: str) -> Reply:
        fields = {
            "token": "legacy-unused",
            "team_id": team,
            "team_domain": "test",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/infoint",
            "text": text,
            "api_app_id": "A0001",
            "response_url": f"{self.response_url_base}cmd-{user}",
            "trigger_id": self.trigger_id(),
        }
        fields.update(extra)
        return self.send_form(fields)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        return self.send_form({"payload": json.dumps(payload)}, **kwargs)

    def click(
        self,
        action_id: str,
        value: str | None,
        user: str = "U0STUDENT",
        team: str = TEAM,
        channel: str | None = None,
        message_ts: str | None = None,
        *,
        ephemeral: bool = False,
        block_id: str = "b",
        view: dict[str, Any] | None = None,
    ) -> Reply:
        """Click a button: in the message ``channel``/``message_ts`` if given; in ``view`` (the App Home
        or a modal, as Slack stores it: no response_url then) if given; else in an unnamed view."""
        action: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id,
            "text": {"type": "plain_text", "text": "x"},
            "action_ts": f"{time.time():.6f}",
        }
        if value is not None:
            action["value"] = value
        payload = self._block_actions(action, user, team, channel, message_ts, ephemeral, view)
        return self.interaction(payload)

    def choose(
        self,
        action_id: str,
        value: str,
        user: str = "U0STUDENT",
        team: str = TEAM,
        channel: str | None = None,
        message_ts: str | None = None,
        *,
        ephemeral: bool = False,
        kind: str = "overflow",
        response_url: str | None = None,
        block_id: str = "b",
        view: dict[str, Any] | None = None,
    ) -> Reply:
        """Pick the option ``value`` of an overflow menu (or another ``kind`` of select)."""
        action = {
            "type": kind,
            "action_id": action_id,
            "block_id": block_id,
            "selected_option": {"value": value, "text": {"type": "plain_text", "text": "x"}},
            "action_ts": f"{time.time():.6f}",
        }
        payload = self._block_actions(action, user, team, channel, message_ts, ephemeral, view)
        if response_url is not None:
            payload["response_url"] = response_url
        return self.interaction(payload)

    def _block_actions(
        self,
        action: dict[str, Any],
        user: str,
        team: str,
        channel: str | None,
        message_ts: str | None,
        ephemeral: bool,
        view: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        container: dict[str, Any]
        if view is not None:
            container = {"type": "view", "view_id": view.get("id", "V0VIEW")}
        elif channel and message_ts:
            container = {
                "type": "message",
                "channel_id": channel,
                "message_ts": message_ts,
                "is_ephemeral": ephemeral,
            }
        else:
            container = {"type": "view", "view_id": "VHOME"}
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": team, "domain": "test"},
            "user": {"id": user, "team_id": team},
            "api_app_id": "A0001",
            "token": "legacy-unused",
            "container": container,
            "trigger_id": self.trigger_id(),
            "response_url": f"{self.response_url_base}act-{user}",
            "actions": [action],
        }
        if channel:
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["message"] = {"ts": message_ts, "text": "", "blocks": []}
        if view is not None:
            # Slack sends the view clicked (its id, hash, state, metadata) and no response_url.
            payload["view"] = view
            del payload["response_url"]
        return payload

    def submit(
        self,
        callback_id: str,
        values: dict[str, Any],
        user: str = "U0STUDENT",
        team: str = TEAM,
        private_metadata: str = "",
    ) -> Reply:
        payload = {
            "type": "view_submission",
            "team": {"id": team, "domain": "test"},
            "user": {"id": user, "team_id": team},
            "api_app_id": "A0001",
            "token": "legacy-unused",
            "trigger_id": self.trigger_id(),
            "view": {
                "id": "V0MODAL",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "team_id": team,
                "state": {"values": values},
                "hash": "1.abc",
            },
        }
        return self.interaction(payload)

    def event(self, event: dict[str, Any], team: str = TEAM, event_id: str = "Ev0001") -> Reply:
        envelope = {
            "token": "legacy-unused",
            "team_id": team,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
        body = json.dumps(envelope).encode()
        return self.send(body, signed_headers(body, "application/json", self.secret))
