"""The demo page's web server side: the page and its assets, and a small JSON API that plays Slack's
client (`bot.demo.player`), reports what a person sees (`bot.demo.snapshot`), moves the clock and
resets. Served by waitress on 127.0.0.1 only.

Only the demo's people are accepted (anything else is 400 with the reason); requests must name this
server as their Host (no DNS rebinding), and POSTs must be JSON from this page's origin, so another
web site open in the same browser can't drive the demo.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, quote
from zoneinfo import ZoneInfo

from bot.demo.inputs import BadInput
from bot.demo.people import USERS, UnknownUser, demo_user
from bot.demo.player import Player, visible_channels
from bot.demo.runtime import MOVES, ClockMove, Demo
from bot.demo.snapshot import snapshot

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
ASSETS = {
    "index.html": "text/html; charset=utf-8",
    "demo.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "blockkit.js": "text/javascript; charset=utf-8",
    "dom.js": "text/javascript; charset=utf-8",
    "forms.js": "text/javascript; charset=utf-8",
    "modal.js": "text/javascript; charset=utf-8",
    "mrkdwn.js": "text/javascript; charset=utf-8",
}
DOWNLOAD_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "ics": "text/calendar; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
INLINE = frozenset({"png", "jpg", "jpeg", "gif"})
MAX_BODY = 1_000_000
SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
]


class HttpProblem(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


class DemoPage:
    """The WSGI application of the page. `allow_port` once the server's port is known."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.player = Player(demo)
        self.hosts: set[str] = set()

    def allow_port(self, port: int) -> None:
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        try:
            self._check_origin(environ, method)
            if method in ("GET", "HEAD"):
                status, headers, body = self._get(path, parse_qs(environ.get("QUERY_STRING", "")))
            elif method == "POST" and path.startswith("/api/"):
                status, headers, body = self._post(path[len("/api/") :], _read_json(environ))
            else:
                raise HttpProblem("405 Method Not Allowed", "use GET for the page, POST for /api/…")
        except (BadInput, UnknownUser) as problem:
            status, headers, body = _json("400 Bad Request", {"ok": False, "error": str(problem)})
        except HttpProblem as problem:
            status, headers, body = _json(problem.status, {"ok": False, "error": str(problem)})
        except Exception:
            log.exception("the demo page's request %s %s failed", method, path)
            error = "the demo failed to do that; the terminal running it says why"
            status, headers, body = _json("500 Internal Server Error", {"ok": False, "error": error})
        headers = [*headers, *SECURITY_HEADERS, ("Content-Length", str(len(body)))]
        start_response(status, headers)
        return [b"" if method == "HEAD" else body]

    def _check_origin(self, environ: dict[str, Any], method: str) -> None:
        host = environ.get("HTTP_HOST", "")
        if self.hosts and host not in self.hosts:
            raise HttpProblem("421 Misdirected Request", "this demo answers only at 127.0.0.1")
        origin = environ.get("HTTP_ORIGIN")
        if method == "POST" and origin is not None and origin.removeprefix("http://") not in self.hosts:
            raise HttpProblem("403 Forbidden", "the demo's API answers only its own page")

    # GET ------------------------------------------------------------------------------------------------

    def _get(self, path: str, query: dict[str, list[str]]) -> tuple[str, list[tuple[str, str]], bytes]:
        if path == "/favicon.ico":
            return "204 No Content", [], b""
        if path in ("/", "/index.html"):
            return _asset("index.html")
        if path.startswith("/static/"):
            return _asset(path[len("/static/") :])
        if path == "/api/people":
            return _json("200 OK", {"users": [user.as_json() for user in USERS]})
        if path == "/api/state":
            return _json("200 OK", snapshot(self.demo, _one(query, "user")))
        if path == "/api/file":
            return self._file(_one(query, "user"), _one(query, "id"), _one(query, "inline") == "1")
        raise HttpProblem("404 Not Found", f"nothing at {path[:80]}")

    def _file(self, user_id: str, file_id: str, inline: bool) -> tuple[str, list[tuple[str, str]], bytes]:
        user = demo_user(user_id)
        channels = set(visible_channels(self.demo, user))
        for record in self.demo.slack.shared_files():
            if record["id"] == file_id and channels & set(record.get("channels") or []):
                content = self.demo.slack.file_content(file_id) or b""
                name = str(record.get("name") or file_id)
                kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
                content_type = DOWNLOAD_TYPES.get(kind, "application/octet-stream")
                disposition = "inline" if inline and kind in INLINE else "attachment"
                ascii_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:120]
                return (
                    "200 OK",
                    [
                        ("Content-Type", content_type),
                        (
                            "Content-Disposition",
                            f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
                        ),
                        ("Cache-Control", "no-store"),
                    ],
                    content,
                )
        raise BadInput(f"{user.name} has no file {file_id[:40]!r}")

    # POST -----------------------------------------------------------------------------------------------

    def _post(self, verb: str, data: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        player, demo = self.player, self.demo
        if verb == "command":
            outcome = player.type(data.get("user"), data.get("channel"), data.get("text"))
        elif verb == "action":
            outcome = player.use(data.get("user"), data.get("where"), data.get("value"), data.get("values"))
        elif verb == "submit":
            outcome = player.submit(data.get("user"), data.get("view_id"), data.get("values"))
        elif verb == "close":
            outcome = player.close(data.get("user"), data.get("view_id"))
        elif verb == "tab":
            outcome = player.open_tab(data.get("user"), data.get("tab"))
        elif verb == "clock":
            move = data.get("move")
            if move not in MOVES:
                raise BadInput(f"move must be one of {', '.join(MOVES)}")
            moved = demo.move_clock(str(move))
            return _json(
                "200 OK", {"ok": True, "now": moved.now.isoformat(), "message": describe(moved, demo.tz)}
            )
        elif verb == "reset":
            demo.reset(seed=bool(data.get("seed")))
            return _json("200 OK", {"ok": True})
        else:
            raise HttpProblem("404 Not Found", f"no API /api/{verb[:40]}")
        return _json("200 OK", outcome.as_json())


def describe(moved: ClockMove, tz: str) -> str:
    """What a clock move did, in a sentence or three."""
    local = moved.now.astimezone(ZoneInfo(tz))
    report = moved.report
    said = [f"It is now {_when(local)}."]
    if report.dms:
        said.append(f"The sweep sent {_count(report.dms, 'DM')} with {_count(report.items, 'reminder')}.")
    else:
        said.append("The sweep found nothing new to send.")
    if report.waiting:
        said.append(f"{_count(report.waiting, 'reminder')} wait for working hours.")
    return " ".join(said)


def _when(local: datetime) -> str:
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _one(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name)
    return values[-1] if values else ""


def _read_json(environ: dict[str, Any]) -> dict[str, Any]:
    if environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower() != "application/json":
        raise HttpProblem("415 Unsupported Media Type", "send JSON (Content-Type: application/json)")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise HttpProblem("413 Content Too Large", "that request is too large for the demo")
    try:
        data = json.loads(environ["wsgi.input"].read(length) or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BadInput("the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadInput("the body must be a JSON object")
    return data


def _json(status: str, data: Any) -> tuple[str, list[tuple[str, str]], bytes]:
    body = json.dumps(data).encode("utf-8")
    return status, [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")], body


def _asset(name: str) -> tuple[str, list[tuple[str, str]], bytes]:
    if name not in ASSETS:
        raise HttpProblem("404 Not Found", f"no asset {name[:60]}")
    body = resources.files("bot.demo").joinpath("static", name).read_bytes()
    return "200 OK", [("Content-Type", ASSETS[name]), ("Cache-Control", "no-cache")], body
