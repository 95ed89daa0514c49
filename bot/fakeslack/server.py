"""`FakeSlack`: a fake Slack Web API on 127.0.0.1, its configuration and what it recorded."""

from __future__ import annotations

import copy
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

from bot.fakeslack.channels import ChannelMethods
from bot.fakeslack.files import FileMethods
from bot.fakeslack.methods import MessageMethods
from bot.fakeslack.oauth import OAuthMethods
from bot.fakeslack.people import PersonMethods
from bot.fakeslack.routing import LoopbackServer, Router
from bot.fakeslack.socketmode import SocketModeServer
from bot.fakeslack.state import Call, Failure, User
from bot.fakeslack.teams import Limit, RateLimits
from bot.fakeslack.views import ViewMethods


class FakeSlack(
    Router, ChannelMethods, PersonMethods, MessageMethods, ViewMethods, FileMethods, OAuthMethods
):
    """A fake Slack Web API on 127.0.0.1 (see the `bot.fakeslack` package docstring).

    Usage::

        with FakeSlack() as fake:
            client = WebClient(token="xoxb-test-token", base_url=fake.api_url)
            client.chat_postMessage(channel="C1", text="hi")
            assert fake.calls_to("chat.postMessage")[0].args["text"] == "hi"
    """

    def __init__(
        self,
        bot_token: str = "xoxb-test-token",
        *,
        app_token: str = "xapp-1-test-token",
        default_tz: str = "America/New_York",
        trigger_ttl: float = 3.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """``clock`` (epoch seconds): message timestamps follow it (the demo's clock) instead of a
        fixed sequence; they still only go up."""
        self._init_state(bot_token, default_tz, trigger_ttl, clock)
        self.app_token = app_token
        self._server: LoopbackServer | None = None
        self._thread: threading.Thread | None = None
        self._socket_mode: SocketModeServer | None = None
        self._methods = {
            "apps.connections.open": self._m_apps_connections_open,
            "auth.test": self._m_auth_test,
            "auth.revoke": self._m_auth_revoke,
            "chat.postMessage": self._m_chat_post_message,
            "chat.update": self._m_chat_update,
            "chat.delete": self._m_chat_delete,
            "chat.postEphemeral": self._m_chat_post_ephemeral,
            "conversations.open": self._m_conversations_open,
            "conversations.history": self._m_conversations_history,
            "conversations.info": self._m_conversations_info,
            "views.open": self._m_views_open,
            "views.push": self._m_views_push,
            "views.update": self._m_views_update,
            "views.publish": self._m_views_publish,
            "users.info": self._m_users_info,
            "files.getUploadURLExternal": self._m_files_get_upload_url_external,
            "files.completeUploadExternal": self._m_files_complete_upload_external,
        }

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is not None:
            raise RuntimeError("FakeSlack is already running")
        self._server = LoopbackServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeSlack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        socket_mode, self._socket_mode = self._socket_mode, None
        if socket_mode is not None:
            socket_mode.stop()
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """Pass as ``WebClient(base_url=...)``: ``http://127.0.0.1:PORT/api/``."""
        return f"{self.base_url}/api/"

    @property
    def socket_mode(self) -> SocketModeServer:
        """The Socket Mode WebSocket server ``apps.connections.open`` points the app at (started on
        first use): send envelopes with it and read the app's acknowledgements."""
        with self._lock:
            if self._socket_mode is None:
                self._socket_mode = SocketModeServer(self.APP_ID).start()
            return self._socket_mode

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.socket_mode.issue_url()}

    def response_url(self, name: str = "r1") -> str:
        """A response_url; posts to it are recorded as method ``"response_url:<name>"``."""
        return f"{self.base_url}/response/{name}"

    # -- configuration ----------------------------------------------------------------------------

    def set_user(
        self,
        user_id: str,
        *,
        tz: str | None = None,
        deleted: bool = False,
        real_name: str | None = None,
        exists: bool = True,
        is_bot: bool = False,
    ) -> None:
        """Configure what ``users.info`` (and DMs) see for a user; ``exists=False`` -> user_not_found."""
        if tz is not None:
            ZoneInfo(tz)  # fail early on a typo
        with self._lock:
            self._users[user_id] = User(user_id, tz, deleted, real_name, exists, is_bot)

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail (checked after the token).

        * no ``error``: HTTP ``status`` (default 429 with ``Retry-After: retry_after`` and
          ``{"ok": false, "error": "ratelimited"}``; 5xx and others get a plain-text body);
        * ``error`` given: HTTP ``status`` (default 200) with ``{"ok": false, "error": error}``.

        ``method`` may be an API method, ``"response_url:<name>"``, ``"response_url"`` (any
        response_url) or ``"upload"`` (any upload URL).  Queued failures are used in order.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        if status is None:
            status = 200 if error is not None else 429
        with self._lock:
            self._failures.setdefault(method, deque()).append(Failure(status, int(retry_after), error, times))

    def drop_response_next(self, method: str, times: int = 1) -> None:
        """Simulate "Slack did it, but the answer never arrived": the next ``times`` calls to
        ``method`` are processed and recorded as usual (a posted message IS stored; the `Call` has
        ``dropped=True``), then the connection is closed without any HTTP response, so the client
        fails at once (slack_sdk: ``http.client.RemoteDisconnected`` or ``URLError``).

        Applies to whatever the call would have been answered, including errors and failures
        injected with `fail_next`.  ``method`` may also be ``"response_url:<name>"``,
        ``"response_url"``, ``"upload:<file_id>"`` or ``"upload"``.  Note that slack_sdk's default
        retry handler (``ConnectionErrorRetryHandler``) retries such a call once: posting twice.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._drops[method] = self._drops.get(method, 0) + times

    def delay_response_next(self, method: str, seconds: float, times: int = 1, *, team: str = "") -> None:
        """Simulate a call that hangs, then lands: each of the next ``times`` calls to ``method`` is
        held ``seconds`` before the fake carries it out (a posted message appears only then) and
        answers, to a client that may have given up by then (its timeout: ``TimeoutError``).

        ``method`` is an API method; with ``team``, only calls made with that team's bot token are
        held (its holds are used before those of every team). The `Call` is recorded when it is
        carried out, with ``delayed`` set; a held call may also be failed or dropped by `fail_next`
        / `drop_response_next`. `wait_idle` waits until no call is held."""
        if times < 1 or seconds < 0:
            raise ValueError("times must be at least 1 and seconds not negative")
        with self._lock:
            self._delays.setdefault((team, method), deque()).extend([float(seconds)] * times)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until no call is held by `delay_response_next` (every late call has landed)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._in_flight == 0:
                    return
            if time.monotonic() >= deadline:
                raise AssertionError(f"calls still held after {timeout}s")
            time.sleep(0.01)

    def grant_scopes(self, scopes: Iterable[str] | None) -> None:
        """Answer every call made with the bot token with ``x-oauth-scopes: <scopes, comma-separated>``,
        as Slack does (None: no such header, the default)."""
        with self._lock:
            self.granted_scopes = None if scopes is None else tuple(scopes)

    def enforce_rate_limits(
        self,
        per_channel_per_second: float = 1.0,
        burst: int = 3,
        workspace_per_minute: float = 600,
        workspace_burst: int | None = None,
    ) -> None:
        """Rate-limit ``chat.postMessage`` with token buckets: one per channel (``burst`` tokens,
        refilled at ``per_channel_per_second``) and one for the workspace (``workspace_burst``
        tokens, default ``workspace_per_minute``, refilled at ``workspace_per_minute / 60`` per
        second).  Over a limit: HTTP 429, ``Retry-After`` = whole seconds until a token (>= 1).
        The channel bucket is the resolved channel: a user id (``U42``) and its DM (``D42``) share one.
        Every call that passes the token check takes a token, even one then answered with an error."""
        if per_channel_per_second <= 0 or workspace_per_minute <= 0 or burst < 1:
            raise ValueError("rates must be positive and burst at least 1")
        ws_burst = int(workspace_per_minute) if workspace_burst is None else workspace_burst
        with self._lock:
            self._rate_limits.post = (per_channel_per_second, burst, workspace_per_minute, max(1, ws_burst))
            self._rate_limits.buckets.clear()

    def limit_method(
        self, method: str, per_minute: float, burst: int | None = None, *, team: str = ""
    ) -> None:
        """Rate-limit ``method`` per team: a token bucket of ``burst`` tokens (default
        ``per_minute``) refilled at ``per_minute / 60`` per second (Slack's tiers: `TIERS`); over it,
        HTTP 429 with ``Retry-After``. With ``team``, for that team only (over the limit for every
        team). For ``chat.postMessage`` it adds to `enforce_rate_limits`."""
        if per_minute <= 0 or (burst is not None and burst < 1):
            raise ValueError("the rate must be positive and the burst at least 1")
        with self._lock:
            limit = Limit(per_minute, int(per_minute) if burst is None else burst)
            self._rate_limits.methods[(team, method)] = limit
            self._rate_limits.buckets.clear()

    def disable_rate_limits(self) -> None:
        with self._lock:
            self._rate_limits = RateLimits()

    def add_team(self, team_id: str, bot_token: str, name: str | None = None) -> None:
        """Another workspace with the app installed: calls with ``bot_token`` are that team's
        (``auth.test`` answers it, rate limits count per team)."""
        with self._lock:
            self._team_tokens[bot_token] = team_id
            self._team_names[team_id] = name or f"Team {team_id}"
            self._revoked_tokens.pop(bot_token, None)

    def revoke_token(self, bot_token: str, error: str = "invalid_auth") -> None:
        """From now on every call with ``bot_token`` is refused with ``error`` (``invalid_auth``,
        ``account_inactive``, ``token_revoked``...), as when a workspace uninstalls the app."""
        with self._lock:
            self._revoked_tokens[bot_token] = error

    def trigger_id(self, user: str | None = None) -> str:
        """A fresh trigger_id that expires ``trigger_ttl`` seconds from now (others never expire).
        With ``user``, a modal opened with it is that user's (see `modal_stack`)."""
        with self._lock:
            n = next(self._ids)
            trigger = f"{n}.{1_700_000_000 + n}.{n * 2654435761 % 16**32:032x}"
            self._triggers_issued[trigger] = time.monotonic()
            if user is not None:
                self._trigger_users[trigger] = user
            return trigger

    def reset(self) -> None:
        """Back to the state right after construction: forgets calls, queued failures, messages,
        views, uploads, users set with `set_user`, rate limits, and restores ``default_tz`` and
        ``trigger_ttl``.  Only the token, the running server, ``internal_errors`` and the ts
        sequence (ts values keep increasing) survive, so one server can be shared by many tests."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._drops.clear()
            self._delays.clear()
            self._reset_state()

    # -- inspection -------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every recorded call, in the order they were answered."""
        with self._lock:
            return list(self._calls)

    @property
    def uploads(self) -> dict[str, bytes]:
        """file_id -> bytes posted to that file's upload_url."""
        with self._lock:
            return dict(self._uploads)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The current state of a posted (and maybe updated) message."""
        with self._lock:
            stored = self.messages.get((channel, ts))
            return copy.deepcopy(stored) if stored is not None else None

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(msg) for (chan, _), msg in self.messages.items() if chan == channel]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self.home_views.get(user_id)
            return copy.deepcopy(self.views[view_id]) if view_id is not None else None

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least ``count`` calls to ``method`` were recorded; return all of them."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected at least {count} call(s) to {method!r} within {timeout}s, "
                    f"got {len(found)}.\n{self.describe_calls()}"
                )
            time.sleep(0.01)

    def describe_calls(self) -> str:
        calls = self.calls
        if not calls:
            return "No calls were received."
        start = calls[0].at
        lines = [f"Received {len(calls)} call(s):"]
        for call in calls:
            outcome = ""
            if isinstance(call.response, dict):
                outcome = "ok" if call.response.get("ok") else f"error={call.response.get('error')!r}"
            args = repr({k: v for k, v in call.args.items() if k != "token"})
            if len(args) > 160:
                args = args[:157] + "..."
            flag = (" [injected]" if call.injected else "") + (" [dropped]" if call.dropped else "")
            flag += f" [held {call.delayed:g}s]" if call.delayed else ""
            lines.append(f"  +{call.at - start:.3f}s {call.method} -> {call.status} {outcome}{flag} {args}")
        return "\n".join(lines)
