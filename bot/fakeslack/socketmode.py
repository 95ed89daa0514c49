"""A stand-in for Slack's Socket Mode: a small WebSocket server (RFC 6455, the server side) on
127.0.0.1, whose ``ws://127.0.0.1:PORT/link/?ticket=…`` URL the fake's ``apps.connections.open``
hands out.

Like Slack, it greets each connection with a ``hello``, sends envelopes (`send`: a slash command,
an interaction, an event, each with an ``envelope_id``) and expects the app to acknowledge each one
with a message carrying that ``envelope_id`` (and, for commands and view submissions, the response
payload): `wait_ack` returns it. Pings are answered with pongs; ``disconnect`` asks the app to
reconnect, as Slack does before it closes a connection.

Only the standard library; text frames only (no extensions, no compression).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import socketserver
import struct
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG, CONTINUATION = 0x1, 0x8, 0x9, 0xA, 0x0
MAX_HEAD = 16 * 1024
MAX_MESSAGE = 4 * 1024 * 1024


class ProtocolError(Exception):
    """The peer broke the WebSocket protocol: the connection is closed."""


def accept_key(key: str) -> str:
    """``Sec-WebSocket-Accept`` for a client's ``Sec-WebSocket-Key``."""
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + GUID).digest()).decode("ascii")


def frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked, final frame (server to client)."""
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", 0x80 | opcode, size)
    elif size < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 126, size)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, size)
    return head + payload


class Connection:
    """One app connected over a socket: reads its frames, sends ours (one writer at a time)."""

    def __init__(self, sock: socket.socket, ticket: str) -> None:
        self.sock = sock
        self.ticket = ticket
        self.open = True
        self._write = threading.Lock()

    def send_text(self, message: dict[str, Any]) -> None:
        self.send_frame(frame(TEXT, json.dumps(message).encode("utf-8")))

    def close(self, code: int = 1000, reason: str = "") -> None:
        if self.open:
            with contextlib.suppress(OSError):
                self.send_frame(frame(CLOSE, struct.pack("!H", code) + reason.encode("utf-8")))
        self.open = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def send_frame(self, data: bytes) -> None:
        with self._write:
            self.sock.sendall(data)

    def _read_exactly(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = self.sock.recv(left)
            if not chunk:
                raise ConnectionError("the app closed the connection")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def read_frame(self) -> tuple[bool, int, bytes]:
        """(final, opcode, unmasked payload) of the next frame; a client's frames must be masked."""
        first, second = self._read_exactly(2)
        final, opcode = bool(first & 0x80), first & 0x0F
        if first & 0x70:
            raise ProtocolError("reserved bits set: no extension was negotiated")
        if not second & 0x80:
            raise ProtocolError("a client frame must be masked")
        size = second & 0x7F
        if size == 126:
            (size,) = struct.unpack("!H", self._read_exactly(2))
        elif size == 127:
            (size,) = struct.unpack("!Q", self._read_exactly(8))
        if size > MAX_MESSAGE:
            raise ProtocolError("frame too large")
        mask = self._read_exactly(4)
        data = self._read_exactly(size)
        return final, opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        self.server.owner._serve(self.request)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: SocketModeServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)


class SocketModeServer:
    """Slack's Socket Mode side for one app: hands out URLs, sends envelopes, records acks."""

    def __init__(self, app_id: str = "A0001") -> None:
        self.app_id = app_id
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self._tickets: set[str] = set()
        self._connections: list[Connection] = []
        self._ids = itertools.count(1)
        #: Every message the app sent, in order (acks included).
        self.received: list[dict[str, Any]] = []
        #: envelope_id -> the app's acknowledgement.
        self.acks: dict[str, dict[str, Any]] = {}
        #: How many connections completed the handshake (reconnections included).
        self.connections_made = 0
        #: Problems seen on the wire (a bad handshake, a protocol error); should stay empty.
        self.errors: list[str] = []

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> SocketModeServer:
        if self._server is None:
            self._server = _Server(self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        with self._changed:
            connections = list(self._connections)
        for connection in connections:
            connection.close(1001, "going away")
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the Socket Mode server is not running")
        return int(self._server.server_address[1])

    def issue_url(self) -> str:
        """A new connection URL, as ``apps.connections.open`` returns it."""
        ticket = uuid.uuid4().hex
        with self._changed:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # -- what the tests do ------------------------------------------------------------------------

    def wait_connected(self, count: int = 1, timeout: float = 20.0) -> None:
        """Wait until ``count`` connections have been made and one of them is open."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: self.connections_made >= count and any(c.open for c in self._connections), timeout
            ):
                raise AssertionError(f"no Socket Mode connection within {timeout}s ({self.errors})")

    def send(
        self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False, **extra: Any
    ) -> str:
        """Send an envelope of ``kind`` (``slash_commands``, ``interactive``, ``events_api``) to the
        newest open connection; returns its ``envelope_id``."""
        envelope_id = f"env-{next(self._ids):04d}-{uuid.uuid4().hex[:8]}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
            **extra,
        }
        self._newest().send_text(envelope)
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"envelope {envelope_id} was not acknowledged within {timeout}s")
            return self.acks[envelope_id]

    def disconnect(self, reason: str = "warning") -> None:
        """Ask the app to reconnect (Slack's ``disconnect`` message), as before a refresh."""
        self._newest().send_text({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}})

    def _newest(self) -> Connection:
        with self._changed:
            live = [c for c in self._connections if c.open]
        if not live:
            raise AssertionError("no app is connected over Socket Mode")
        return live[-1]

    # -- the server side --------------------------------------------------------------------------

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(None)
        connection = self._handshake(sock)
        if connection is None:
            return
        try:
            connection.send_text(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fakeslack", "approximate_connection_time": 3600},
                    "connection_info": {"app_id": self.app_id},
                }
            )
            self._read_loop(connection)
        except ProtocolError as problem:
            self._error(f"protocol: {problem}")
            connection.close(1002, str(problem))
        except (ConnectionError, OSError):
            pass  # the app went away
        finally:
            connection.open = False
            with self._changed:
                self._changed.notify_all()

    def _handshake(self, sock: socket.socket) -> Connection | None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk or len(head) > MAX_HEAD:
                return None
            head += chunk
        lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, _, rest = lines[0].partition(" ")
        target = rest.rpartition(" ")[0]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts = urlsplit(target)
        ticket = (parse_qs(parts.query).get("ticket") or [""])[0]
        with self._changed:
            known = ticket in self._tickets
        problem = None
        if method != "GET" or parts.path.rstrip("/") != "/link":
            problem = f"unexpected request {method} {parts.path}"
        elif not known:
            problem = "unknown ticket"
        elif headers.get("upgrade", "").lower() != "websocket" or "upgrade" not in headers.get(
            "connection", ""
        ).lower().replace(" ", "").split(","):
            problem = "not a WebSocket upgrade"
        elif headers.get("sec-websocket-version") != "13" or not headers.get("sec-websocket-key"):
            problem = "missing Sec-WebSocket-Key or version 13"
        if problem is not None:
            self._error(f"handshake: {problem}")
            with contextlib.suppress(OSError):
                sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return None
        accept = accept_key(headers["sec-websocket-key"])
        sock.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode("ascii")
        )
        connection = Connection(sock, ticket)
        with self._changed:
            self._connections.append(connection)
            self.connections_made += 1
            self._changed.notify_all()
        return connection

    def _read_loop(self, connection: Connection) -> None:
        parts: list[bytes] = []
        while connection.open:
            final, opcode, data = connection.read_frame()
            if opcode == PING:
                connection.send_frame(frame(PONG, data))
            elif opcode == PONG:
                continue
            elif opcode == CLOSE:
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1000
                connection.close(code)
                return
            elif opcode in (TEXT, CONTINUATION):
                if opcode == TEXT and parts:
                    raise ProtocolError("a new message began inside a fragmented one")
                parts.append(data)
                if final:
                    self._received(b"".join(parts))
                    parts = []
            else:
                raise ProtocolError(f"unexpected opcode {opcode}")

    def _received(self, data: bytes) -> None:
        try:
            message = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._error(f"not JSON: {data[:80]!r}")
            return
        if not isinstance(message, dict):
            self._error(f"not a JSON object: {data[:80]!r}")
            return
        with self._changed:
            self.received.append(message)
            if isinstance(message.get("envelope_id"), str):
                self.acks.setdefault(message["envelope_id"], message)
            self._changed.notify_all()

    def _error(self, text: str) -> None:
        with self._changed:
            self.errors.append(f"{time.strftime('%H:%M:%S')} {text}")
