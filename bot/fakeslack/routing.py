"""The fake's HTTP side: the stdlib server, and routing a request to a method, a response_url or an
upload URL; recording it as a `Call`, with injected failures, dropped answers and rate limits."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from bot.fakeslack.methods import check_message
from bot.fakeslack.state import Call, SlackState
from bot.fakeslack.wire import Reply, decode_args, error, read_body, str_arg, truthy

TOKEN_ERRORS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "not_allowed_token_type",
        "token_revoked",
        "account_inactive",
        "token_expired",
    }
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    server: LoopbackServer

    def do_POST(self) -> None:
        self.server.fake._serve(self)

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many clients at once (a sweep's pool of workspaces): socketserver's backlog of 5 would reset
    # connections that arrive together.
    request_queue_size = 128

    def __init__(self, fake: Router) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn(), a reverse-DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = int(self.server_address[1])


class Router(SlackState):
    """Answers one HTTP request to the fake (called by the server's handler threads)."""

    def _serve(self, handler: _Handler) -> None:
        arrived = time.monotonic()
        try:
            body = read_body(handler)
            parts = urlsplit(handler.path)
            headers = {key.lower(): value for key, value in handler.headers.items()}
            path = parts.path
            if path.startswith("/api/"):
                method = path[len("/api/") :]
                held = self._hold(method, headers.get("authorization", ""))
                try:
                    arrived = time.monotonic() if held else arrived
                    reply = self._api(method, parts.query, body, headers, arrived, held)
                    self._add_scopes(reply)
                finally:
                    if held:
                        with self._lock:
                            self._in_flight -= 1
            elif path.startswith("/response/"):
                reply = self._response_url(path[len("/response/") :], parts.query, body, headers, arrived)
            elif path.startswith("/upload/"):
                reply = self._upload(path[len("/upload/") :], body, headers, arrived)
            else:
                reply = Reply(404, text="not found")
        except Exception:  # a bug in the fake: answer 500 and keep the trace for the test
            trace = traceback.format_exc()
            with self._lock:
                self.internal_errors.append(trace)
            reply = Reply(500, text=f"FakeSlack internal error:\n{trace}")
        if reply.drop:
            # No status line, no headers: close now so the client sees a disconnect, not a timeout.
            handler.close_connection = True
            with contextlib.suppress(OSError):  # the client may have gone already
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        payload, content_type = reply.encode()
        with contextlib.suppress(OSError):  # a client that gave up on a held call has gone
            handler.send_response(reply.status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)

    def _add_scopes(self, reply: Reply) -> None:
        """Slack's ``x-oauth-scopes`` header, on every answer to an accepted token."""
        refused = isinstance(reply.data, dict) and reply.data.get("error") in TOKEN_ERRORS
        with self._lock:
            if self.granted_scopes is not None and not refused:
                reply.headers["x-oauth-scopes"] = ",".join(self.granted_scopes)

    def _hold(self, method: str, auth: str) -> float:
        """Hold the call if `delay_response_next` asked for it (for the team of the bearer token in
        ``auth``, or for any): returns the seconds it was held (then it counts as in flight until the
        caller has carried it out), or 0."""
        with self._lock:
            team = self._team_tokens.get(auth.partition(" ")[2].strip(), "")
            queues = (self._delays.get(key) for key in dict.fromkeys(((team, method), ("", method))))
            queue = next((q for q in queues if q), None)
            if not queue:
                return 0.0
            seconds = queue.popleft()
            self._in_flight += 1
        time.sleep(seconds)
        return seconds or 1e-9

    def _record(self, call: Call, reply: Reply) -> Reply:
        if self._take_drop(call.method):
            call.dropped = reply.drop = True
        call.status = reply.status
        call.response = reply.data
        self._calls.append(call)
        self._revision += 1
        return reply

    def _take_drop(self, method: str) -> bool:
        for key in dict.fromkeys((method, method.partition(":")[0])):
            left = self._drops.get(key, 0)
            if left > 0:
                if left == 1:
                    del self._drops[key]
                else:
                    self._drops[key] = left - 1
                return True
        return False

    def _take_failure(self, *keys: str) -> Reply | None:
        for key in keys:
            queue = self._failures.get(key)
            if not queue:
                continue
            failure = queue[0]
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.popleft()
            if failure.error is not None:
                return Reply(failure.status, data=error(failure.error))
            if failure.status == 429:
                return Reply(
                    429, data=error("ratelimited"), headers={"Retry-After": str(max(0, failure.retry_after))}
                )
            try:
                phrase = HTTPStatus(failure.status).phrase
            except ValueError:
                phrase = "Error"
            return Reply(failure.status, text=f"{failure.status} {phrase}")
        return None

    def _api(
        self, method: str, query: str, body: bytes, headers: dict[str, str], arrived: float, held: float = 0.0
    ) -> Reply:
        args, decode_error = decode_args(query, body, headers.get("content-type", ""))
        call = Call(method=method, args=args, headers=headers, at=arrived, body=body, delayed=held)
        with self._lock:
            if method == "oauth.v2.access":  # the app's client id and secret, not a token
                return self._record(call, Reply(200, data=self._m_oauth_v2_access(args, headers)))
            auth = headers.get("authorization", "").strip()
            if not auth:
                return self._record(call, Reply(200, data=error("not_authed")))
            scheme, _, token = auth.partition(" ")
            token = token.strip() if scheme.lower() == "bearer" else ""
            # apps.connections.open takes the app-level token (xapp-), every other method a bot's,
            # each of which belongs to a team (`bot.fakeslack.teams`).
            app_level = method == "apps.connections.open"
            team = None if app_level else self._team_tokens.get(token)
            refusal = None if app_level or token not in self._revoked_tokens else self._revoked_tokens[token]
            if refusal is None and (token != self.app_token if app_level else team is None):
                wrong_kind = token == self.app_token or token in self._team_tokens
                refusal = "not_allowed_token_type" if wrong_kind else "invalid_auth"
            if refusal is not None:
                return self._record(call, Reply(200, data=error(refusal)))
            self._team, self._token = team or self.TEAM_ID, token
            call.team = team or ""
            injected = self._take_failure(method)
            if injected is not None:
                call.injected = True
                return self._record(call, injected)
            if decode_error is not None:
                return self._record(call, Reply(200, data=error(decode_error)))
            implementation = self._methods.get(method)
            if implementation is None:
                return self._record(call, Reply(200, data=error("unknown_method", req_method=method)))
            if self._rate_limits.active:
                channel = str_arg(args, "channel")
                channel = self._dm_channel(channel) if channel is not None else None
                retry_after = self._rate_limits.check(call.team, method, channel, arrived)
                if retry_after is not None:
                    reply = Reply(429, data=error("ratelimited"), headers={"Retry-After": str(retry_after)})
                    return self._record(call, reply)
            return self._record(call, Reply(200, data=implementation(args)))

    def _response_url(
        self, name: str, query: str, body: bytes, headers: dict[str, str], arrived: float
    ) -> Reply:
        args, decode_error = decode_args(query, body, headers.get("content-type", "application/json"))
        call = Call(method=f"response_url:{name}", args=args, headers=headers, at=arrived, body=body)
        with self._lock:
            injected = self._take_failure(call.method, "response_url")
            if injected is not None:
                call.injected = True
                return self._record(call, injected)
            if decode_error is not None:
                return self._record(call, Reply(200, data=error(decode_error)))
            if truthy(args.get("delete_original")):
                self._response_posted(name, args)
                return self._record(call, Reply(200, data={"ok": True}))
            if args.get("blocks") is None and not args.get("text") and not args.get("attachments"):
                return self._record(call, Reply(200, data=error("no_text")))
            problem = check_message(args)
            if problem is None:
                self._response_posted(name, args)
            return self._record(call, Reply(200, data=problem or {"ok": True}))

    def _upload(self, file_id: str, body: bytes, headers: dict[str, str], arrived: float) -> Reply:
        call = Call(
            method=f"upload:{file_id}",
            args={"file_id": file_id, "size": len(body)},
            headers=headers,
            at=arrived,
        )
        call.body = body
        with self._lock:
            injected = self._take_failure(call.method, "upload")
            if injected is not None:
                call.injected = True
                return self._record(call, injected)
            if file_id not in self._pending_uploads:
                return self._record(call, Reply(404, text="unknown upload url"))
            self._uploads[file_id] = body
            return self._record(call, Reply(200, text=f"OK - {len(body)}"))
