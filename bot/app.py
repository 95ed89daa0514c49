"""Building the Bolt app and the web server around it."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context
from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier

from bot.ack_first import ARRIVALS, AckFirst, TurnExecutor, Turns, give_way
from bot.config import Config
from bot.failures import on_error
from bot.health import PROBES, Health
from bot.logs import keep_tokens_out_of_logs, log_request
from bot.oauth import revocation
from bot.oauth.distribution import Distribution
from bot.services import Services
from bot.shapes import malformed
from handlers import FORMS_CHECKED_FIRST, register_all
from handlers.context import RequestContext

logger = logging.getLogger(__name__)

NOT_INSTALLED = (
    "infoint is not installed in this workspace any more, so nothing was done. Ask a workspace admin to "
    "install it again."
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

#: Slack's timestamp: whole seconds, ASCII digits (letters, a fraction or an empty header: refused).
TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}", re.ASCII)
#: Far above anything Slack sends (a modal's full state is some hundreds of kilobytes at most).
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_FORM_FIELDS = 200
PARSED_BODY = "infoint.slack_body"


def make_client(config: Config, *, retry_connection_errors: bool = True) -> WebClient:
    """The Web API client every Slack call goes through: SLACK_API_URL, with retries on 429 and 5xx.

    The sweep's client does not retry connection errors by itself: a post whose answer was lost may
    have reached Slack, and resending it blindly could DM twice; the sweep checks first.
    """
    handlers: list[RetryHandler] = [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    if retry_connection_errors:
        handlers.insert(0, ConnectionErrorRetryHandler(max_retry_count=2))
    return WebClient(
        token=config.bot_token or None, base_url=config.slack_api_url, timeout=10, retry_handlers=handlers
    )


class _QuietTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is unused when a client is given; the client carries it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def create_app(
    config: Config,
    services: Services,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
    distribution: Distribution | None = None,
) -> App:
    """``distribution``: OAuth distribution (each workspace's token from the installation store, the
    install pages); without it, the one SLACK_BOT_TOKEN."""
    keep_tokens_out_of_logs()
    client = client or make_client(config)
    turns = Turns()  # what listeners do after their ack takes turns: no ack waits behind it
    services.db.before_each_statement(give_way)  # and gives way to the requests being answered
    app = App(
        listener_executor=TurnExecutor(turns, listener_executor),
        client=client,
        oauth_flow=distribution.flow(client) if distribution else None,
        user_facing_authorize_error_message=NOT_INSTALLED,
        signing_secret=config.signing_secret or "",
        request_verification_enabled=not config.socket_mode,
        token_verification_enabled=False,
        process_before_response=False,
        logger=_bolt_logger(),
    )
    # Commands and clicks acknowledged before their listener starts, the forms of FORMS_CHECKED_FIRST
    # checked there; an ack given stays the answer, even if its listener then fails (a KeptAck).
    app.use(AckFirst(turns, FORMS_CHECKED_FIRST, services.clock))
    app.use(RequestContext(services))  # services, team_id and user_id in every listener's context
    register_all(app)
    if distribution:
        distribution.register(app)  # app_uninstalled, tokens_revoked: tokens deleted, reminders stopped
    else:
        revocation.register(app, None)

    app.error(on_error)
    return app


def _bolt_logger() -> logging.Logger:
    bolt_logger = logging.getLogger("infoint.bolt")
    if not any(isinstance(f, _QuietTokenWarning) for f in bolt_logger.filters):
        bolt_logger.addFilter(_QuietTokenWarning())
    return bolt_logger


class SlackGate:
    """Checks a POST to /slack/events before anything parses it: the signature first (v0 HMAC over the
    raw bytes, 5-minute window), then that the body is well-formed for its content type.

    ``check`` answers ``(status, reason, body)``: 401 for a request Slack did not sign, 400 for a signed
    one that is not a form with a JSON-object ``payload``, a form command or a JSON object (UTF-8), and
    200 with the parsed body otherwise; a signed body whose fields are not shaped as Slack sends them
    (`bot.shapes`: a view that is not an object, an action id that is not text, no user…) is a 400 too."""

    def __init__(self, signing_secret: str) -> None:
        self.verifier = RawBodyVerifier(signing_secret)

    def check(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, str, dict[str, Any] | None]:
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not TIMESTAMP.fullmatch(timestamp):
            return 401, "no valid X-Slack-Request-Timestamp", None
        if not SIGNATURE.fullmatch(signature):
            return 401, "no valid X-Slack-Signature", None
        if not self.verifier.is_valid(body, timestamp, signature):
            return 401, "bad signature or timestamp outside the 5-minute window", None
        parsed = parse_slack_body(body, headers.get("content-type", ""))
        if isinstance(parsed, str):
            return 400, parsed, None
        shape = malformed(parsed)  # what Slack always sends, before Bolt's matchers rely on it
        if shape is not None:
            return 400, shape, None
        return 200, "", parsed


class RawBodyVerifier(SignatureVerifier):
    """slack_sdk's verifier (its 5-minute window, its constant-time comparison), computing the HMAC
    over the body's bytes as received: a body that is not UTF-8 is refused, never a crash."""

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        raw = body if isinstance(body, bytes) else body.encode("utf-8")
        base = b"v0:" + timestamp.encode("ascii") + b":" + raw
        return "v0=" + hmac.new(self.signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def parse_slack_body(body: bytes, content_type: str) -> dict[str, Any] | str:
    """The body Slack sent, parsed as Bolt will parse it; a string says why it is malformed.

    Accepted: a form with ``payload`` (a JSON object: interactivity), a form with ``command`` (a
    slash command) or ``ssl_check``, and a JSON object (events). Bolt reads any body that starts with
    ``{`` as JSON and a form with ``payload`` as interactivity, so those are required to agree."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        if not text.startswith("{"):
            return "a JSON body that is not an object"
        return _json_object(text, "the JSON body")
    if media_type != "application/x-www-form-urlencoded":
        return f"unexpected content type {media_type[:60] or '(none)'}"
    if text.startswith("{"):
        return "a JSON body sent as a form"
    try:
        fields = dict(urllib.parse.parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS))
    except ValueError:
        return "a form with too many fields"
    if "payload" in fields:
        return _json_object(fields["payload"], "the form's payload")
    if fields.get("command") or fields.get("ssl_check"):
        return fields
    return "a form with neither payload nor command"


def _json_object(text: str, what: str) -> dict[str, Any] | str:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return f"{what} is not JSON"
    return value if isinstance(value, dict) else f"{what} is not a JSON object"


class _BoltHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, dispatching the body as `SlackGate` parsed it.

    Bolt takes any form body in which the text ``payload`` occurs for an interaction, so a slash
    command such as ``/infoint find payload`` would reach no listener; here Bolt gets the form's
    fields as they are, and the body is parsed once (the gate's parse, not Bolt's again: a form's
    percent-decoding and its JSON payload were a third of a click's ack path). Bolt still verifies the
    signature itself over the raw bytes (a second check)."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            parsed = request.environ.get(PARSED_BODY)
            if isinstance(parsed, dict):  # parsed once, by the gate: Bolt doesn't parse it again
                bolt_request = BoltRequest(body="", query=request.query_string, headers=request.get_headers())
                bolt_request.raw_body = request.get_body()  # what Bolt's signature check reads
                bolt_request.body = parsed
                bolt_request.context = build_context(BoltContext({}), parsed)
            else:
                bolt_request = BoltRequest(
                    body=request.get_body(), query=request.query_string, headers=request.get_headers()
                )
        except Exception as error:  # Bolt reading the ids of an oddly shaped (but signed) body
            logger.warning("refused POST /slack/events: 400, Bolt can't read it (%r)", error)
            return BoltResponse(status=400, body={"error": "malformed request"})
        return self.app.dispatch(bolt_request)


class WebApp:
    """The WSGI application: Slack's requests at POST /slack/events, health checks at GET /healthz and
    /readyz (`bot.health`), and one log line per request (`bot.logs`); with OAuth distribution, bolt's
    adapter also serves GET /slack/install and /slack/oauth_redirect.

    Every POST to /slack/events is verified (`SlackGate`) before it is parsed: 401 unsigned, 400
    malformed, each logged in one line; only then does Bolt see it."""

    def __init__(self, app: App, services: Services, signing_secret: str | None = None) -> None:
        self.slack = _BoltHandler(app, path="/slack/events")
        self.services = services
        # The secret Bolt was built with, unless given: the two checks can't disagree.
        secret = signing_secret if signing_secret is not None else getattr(app, "_signing_secret", "")
        if not secret:
            raise ValueError("WebApp needs the signing secret (SLACK_SIGNING_SECRET) to verify requests")
        self.gate = SlackGate(secret)
        self.health = Health(services.db)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        with ARRIVALS.arriving():  # work after other acks gives way meanwhile (bot/ack_first.py)
            return log_request(self._serve, environ, start_response, PARSED_BODY)

    def _serve(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path in PROBES and method in ("GET", "HEAD"):
            return self.health.answer(path, start_response)
        if path == "/slack/events" and method != "POST":
            body = b"POST Slack requests here.\n"
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain"), ("Allow", "POST")])
            return [body]
        if path == "/slack/events":
            refused = self._check(environ)
            if refused is not None:
                return _answer(start_response, refused)
        return self.slack(environ, start_response)

    def _check(self, environ: dict[str, Any]) -> int | None:
        """Read and check the request: the status it is refused with, or None to let it through to
        Bolt (with the body put back)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return self._refuse(environ, 400, "no usable Content-Length")
        if length > MAX_BODY_BYTES:
            return self._refuse(environ, 400, f"a body of {length} bytes, far more than Slack sends")
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        headers["content-type"] = str(environ.get("CONTENT_TYPE", ""))
        status, reason, parsed = self.gate.check(body, headers)
        if status != 200:
            return self._refuse(environ, status, reason)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ[PARSED_BODY] = parsed
        return None

    @staticmethod
    def _refuse(environ: dict[str, Any], status: int, reason: str) -> int:
        level = logging.WARNING if status == 400 else logging.INFO
        logger.log(
            level,
            "refused POST /slack/events from %s: %d, %s",
            environ.get("REMOTE_ADDR", "?"),
            status,
            reason,
        )
        return status


def _answer(start_response: StartResponse, status: int) -> list[bytes]:
    phrase = "Unauthorized" if status == 401 else "Bad Request"
    error = "invalid request" if status == 401 else "malformed request"
    body = json.dumps({"error": error}).encode()
    start_response(
        f"{status} {phrase}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
