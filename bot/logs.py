"""Log lines: human-readable text by default, one JSON object per line with ``INFOINT_LOG_FORMAT=json``.

Every line, in either format, has Slack tokens (``xoxb-…``, ``xapp-…``…) masked, and so do the records
of slack_sdk's and Bolt's loggers themselves (`keep_tokens_out_of_logs`): one pattern, `TOKEN`, and
one mask, `mask_tokens`, for both. The request line
(`log_request`) names the workspace, the user, the kind of request and what was asked (the
subcommand, the button's ``action_id``, the modal's ``callback_id``, the event's type), the HTTP
status and the time taken, never what anyone typed: a subcommand is logged only when it is one of
ours, an id only when it is one of ours, anything else as ``other``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any

from bot.config import ConfigError

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Slack's tokens, wherever they would appear: bot, user, app-level, refresh, configuration (xoxb-,
#: xoxp-, xapp-, xoxe-, xoxe.xoxp-…).
TOKEN = re.compile(r"x(?:ox[a-z]|app)(?:\.[A-Za-z0-9]+)?-[A-Za-z0-9-]+")
#: The loggers whose records may carry a token (a request's or a response's), masked at the source.
SLACK_LOGGERS = ("slack_sdk", "slack_sdk.web.base_client", "slack_sdk.oauth", "slack_bolt", "infoint.bolt")
SLACK_ID = re.compile(r"[A-Z0-9]{1,20}")
EVENT_TYPE = re.compile(r"[a-z_]{1,60}")
UNPRINTABLE = re.compile(r"[^\x21-\x7e]")
#: What a LogRecord has of its own; anything else on a record came from ``extra=`` (its fields).
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}

log = logging.getLogger("infoint.requests")

StartResponse = Callable[..., Any]


def mask_tokens(text: str) -> str:
    """Every token in ``text`` cut to its kind: ``xoxb-…``, ``xapp-…``, ``xoxe.xoxp-…``."""
    return TOKEN.sub(lambda found: found.group(0).split("-", 1)[0] + "-…", text)


class MaskTokens(logging.Filter):
    """A record's message with its tokens masked, for every handler it reaches (caplog's too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def keep_tokens_out_of_logs() -> None:
    """Once per process (idempotent): slack_sdk no longer logs at DEBUG (its dumps of requests and
    responses, with the bodies and headers that carry tokens), and the records of `SLACK_LOGGERS`
    are masked."""
    sdk = logging.getLogger("slack_sdk")
    if sdk.level < logging.INFO:
        sdk.setLevel(logging.INFO)
    for name in SLACK_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskTokens) for f in logger.filters):
            logger.addFilter(MaskTokens())


class TextFormatter(logging.Formatter):
    """The human-readable line, as before, with tokens masked."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return mask_tokens(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, the
    record's own fields (``extra=``), and ``error`` with the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["error"] = record.exc_text
        return mask_tokens(json.dumps(entry, default=str, ensure_ascii=False))


def log_format(env: Mapping[str, str]) -> str:
    value = (env.get("INFOINT_LOG_FORMAT") or "text").strip().lower() or "text"
    if value not in FORMATS:
        raise ConfigError(
            f"INFOINT_LOG_FORMAT must be text or json (it is '{value[:20]}'): json writes one JSON "
            "object per line, text (the default) a line for people."
        )
    return value


def configure(env: Mapping[str, str]) -> None:
    """Send every log line to stderr in the format ``INFOINT_LOG_FORMAT`` names (INFO and above);
    raises ConfigError for a format that does not exist."""
    chosen = log_format(env)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # the sweep says what it did itself
    logging.captureWarnings(True)  # Python's warnings become log lines too
    if chosen == "json":  # a thread's uncaught error: a line like the others, not a bare traceback
        threading.excepthook = _log_thread_error


def _log_thread_error(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    error = (args.exc_type, args.exc_value, args.exc_traceback) if args.exc_value is not None else None
    logging.getLogger("infoint").error("uncaught error in thread %s", name, exc_info=error)


# The request line ------------------------------------------------------------------------------------


def log_request(
    serve: Callable[[dict[str, Any], StartResponse], Iterable[bytes]],
    environ: dict[str, Any],
    start_response: StartResponse,
    body_key: str,
) -> Iterable[bytes]:
    """Serve one request and log one line about it once it is answered. ``body_key``: where the
    request gate left the parsed Slack body in ``environ`` (absent when it refused the request)."""
    started = time.monotonic()
    answered: list[int] = []

    def recording(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        answered.append(int(status.split(" ", 1)[0]))
        return start_response(status, headers, *exc_info)

    try:
        return serve(environ, recording)
    except Exception:
        answered.append(500)
        raise
    finally:
        path = _printable(environ.get("PATH_INFO", ""), 100)
        status = answered[-1] if answered else 0
        if not (path in ("/healthz", "/readyz") and status == 200):  # a load balancer's probes
            where = {"method": _printable(environ.get("REQUEST_METHOD", ""), 10), "path": path}
            _log_request(where, environ.get(body_key), status, started)


def _printable(value: Any, limit: int) -> str:
    """Anyone can send any path: no control character (a forged line) and no more than ``limit``."""
    return UNPRINTABLE.sub("?", str(value)[:limit])


def _log_request(where: dict[str, str], body: Any, status: int, started: float) -> None:
    fields = {
        **where,
        **request_fields(body),
        "status": status,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    what = " ".join(str(fields[key]) for key in ("kind", "action") if fields.get(key))
    who = ", ".join(str(fields[key]) for key in ("team_id", "user_id") if fields.get(key))
    message = (
        " ".join(where.values())
        + f" {status} in {fields['duration_ms']:.0f} ms"
        + (f": {what}" if what else "")
        + (f" ({who})" if who else "")
    )
    log.info(message, extra=fields)


def socket_mode_handler(app: Any, app_token: str, web_client: Any) -> Any:
    """Bolt's Socket Mode handler, logging the same line per request as `log_request` (``transport``
    ``socket_mode``; ``status``: what Bolt answered)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response

    from bot.ack_first import ARRIVALS

    class LoggedSocketModeHandler(SocketModeHandler):
        def handle(self, client: Any, req: Any) -> None:  # as Bolt's own, plus the line
            started, wall = time.monotonic(), time.time()
            status = 500
            try:
                with ARRIVALS.arriving():  # work after other acks gives way meanwhile (bot/ack_first.py)
                    response = run_bolt_app(self.app, req)
                    status = response.status
                    send_response(client, req, response, wall)
            finally:
                _log_request({"transport": "socket_mode"}, req.payload, status, started)

    return LoggedSocketModeHandler(app, app_token, web_client=web_client)


def request_fields(body: Any) -> dict[str, str]:
    """``team_id``, ``user_id``, ``kind`` and ``action`` of a parsed Slack body (what is known)."""
    if not isinstance(body, dict):
        return {}
    from slack_bolt.request.internals import extract_team_id, extract_user_id

    fields: dict[str, str] = {}
    for name, extract in (("team_id", extract_team_id), ("user_id", extract_user_id)):
        try:
            value = extract(body)
        except (AttributeError, KeyError, TypeError, IndexError):
            value = None
        if isinstance(value, str) and SLACK_ID.fullmatch(value):
            fields[name] = value
    kind, action = _kind_and_action(body)
    fields["kind"] = kind
    if action:
        fields["action"] = action
    return fields


def _kind_and_action(body: dict[str, Any]) -> tuple[str, str]:
    if "command" in body:
        return "command", _subcommand(body.get("command"), body.get("text"))
    kind = body.get("type")
    kind = kind if isinstance(kind, str) and EVENT_TYPE.fullmatch(kind) else "other"
    if kind in ("block_actions", "block_suggestion"):
        actions = body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else body
        return kind, _our_id(first.get("action_id") if isinstance(first, dict) else None)
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        return kind, _our_id(view.get("callback_id") if isinstance(view, dict) else None)
    if kind == "event_callback":
        event = body.get("event")
        event_type = event.get("type") if isinstance(event, dict) else None
        return "event", event_type if isinstance(event_type, str) and EVENT_TYPE.fullmatch(event_type) else ""
    return kind, ""


def _our_id(value: Any) -> str:
    return value if isinstance(value, str) and value in _known_ids() else "other"


def _subcommand(command: Any, text: Any) -> str:
    """``/infoint list``, ``/infoint cohort report``: the words of ours only (the rest may be anything
    a user typed); ``/infoint other`` for a word that is not a subcommand."""
    from handlers import cohorts, commands

    if command != commands.COMMAND:
        return "other"
    words = str(text or "").split()
    first = words[0].lower() if words else "help"
    if first not in {entry.name for entry in commands.SUBCOMMANDS} | {"help"}:
        return f"{command} other"
    if first == "cohort" and len(words) > 1:
        second = words[1].lower()
        second = second if second in {entry.name for entry in cohorts.SUBCOMMANDS} else "other"
        return f"{command} cohort {second}"
    return f"{command} {first}"


@cache
def _known_ids() -> frozenset[str]:
    from bot.domain.ids import ActionId, ViewId

    return frozenset(str(i.value) for i in ActionId) | frozenset(str(v.value) for v in ViewId)


# The sweep's line per DM ---------------------------------------------------------------------------------

_OUTCOMES = {
    "Posted": "sent",
    "RateLimited": "rate_limited",
    "Refused": "refused",
    "WorkspaceRefused": "refused",  # the workspace's token: its round stops there
    "Unknown": "no_answer",
}


def dm_fields(team_id: str, slack_user: str, nudges: Iterable[Any]) -> dict[str, Any]:
    """What the sweep's line about one DM says of it: the workspace, the user, the reminders in it."""
    rows = list(nudges)
    return {
        "team_id": team_id,
        "user_id": slack_user,
        "nudge_ids": [row.id for row in rows],
        "kinds": sorted({row.kind for row in rows}),
    }


def log_dm(logger: logging.Logger, about: Mapping[str, Any], outcome: Any, seconds: float) -> None:
    """One line per DM the sweep tried: ``outcome`` is what posting it came to (``sent``,
    ``rate_limited``: due again later, ``refused`` with Slack's ``error``, ``no_answer``: looked for
    in the DM, ``lease_lost``: another sweep took it over)."""
    fields = {
        **about,
        "outcome": _OUTCOMES.get(type(outcome).__name__, "lease_lost"),
        "duration_ms": round(seconds * 1000, 1),
    }
    error = (
        getattr(outcome, "error", None) or getattr(outcome, "reason", None)
        if fields["outcome"] == "refused"
        else None
    )
    if isinstance(error, str):
        fields["error"] = error[:100]
    kinds = ", ".join(fields.get("kinds") or ()) or "no reminder"
    message = f"DM to {fields.get('user_id', '?')}: {fields['outcome']} ({kinds}) in {seconds * 1000:.0f} ms"
    logger.info(message, extra=fields)
