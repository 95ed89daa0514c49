"""Building the Bolt app and the web server around it."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.blocks.kit import notice
from bot.config import Config
from bot.services import Services
from handlers import register_all
from handlers.context import RequestContext

logger = logging.getLogger(__name__)

SORRY = "Something went wrong on my side and nothing was changed. Please try again in a minute."

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


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
        token=config.bot_token, base_url=config.slack_api_url, timeout=10, retry_handlers=handlers
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
) -> App:
    app = App(
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=8, thread_name_prefix="listener"),
        client=client or make_client(config),
        signing_secret=config.signing_secret or "",
        request_verification_enabled=not config.socket_mode,
        token_verification_enabled=False,
        process_before_response=False,
        logger=_bolt_logger(),
    )
    app.use(RequestContext(services))  # services, team_id and user_id in every listener's context
    register_all(app)

    @app.error
    def on_error(error: Exception, body: dict, response: BoltResponse | None) -> BoltResponse | None:
        logger.exception("listener failed: %s", error, exc_info=error)
        if response is None or response.status != 500:
            return None  # already acknowledged: the user saw the result; the log has the details
        if body.get("type") == "view_submission":
            view = {
                "type": "modal",
                "title": {"type": "plain_text", "text": "infoint"},
                "close": {"type": "plain_text", "text": "Close"},
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": SORRY}}],
            }
            payload: dict[str, Any] = {"response_action": "update", "view": view}
        else:
            payload = notice(SORRY)
        return BoltResponse(
            status=200, body=json.dumps(payload), headers={"content-type": "application/json;charset=utf-8"}
        )

    return app


def _bolt_logger() -> logging.Logger:
    bolt_logger = logging.getLogger("infoint.bolt")
    if not any(isinstance(f, _QuietTokenWarning) for f in bolt_logger.filters):
        bolt_logger.addFilter(_QuietTokenWarning())
    return bolt_logger


class WebApp:
    """The WSGI application: Slack's requests at POST /slack/events and a health check at GET /healthz."""

    def __init__(self, app: App, services: Services) -> None:
        self.slack = SlackRequestHandler(app, path="/slack/events")
        self.services = services

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy = self.services.db.ping()
            status = "200 OK" if healthy else "503 Service Unavailable"
            body = json.dumps({"ok": healthy, "database": "up" if healthy else "down"}).encode()
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/slack/events" and method != "POST":
            body = b"POST Slack requests here.\n"
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain"), ("Allow", "POST")])
            return [body]
        return self.slack(environ, start_response)
