"""The health checks a load balancer or an orchestrator asks: ``GET /healthz`` (the process is
alive and serving: always 200) and ``GET /readyz`` (it can do its work: 200 when the database answers
and its schema is at the newest migration, 503 with the reason otherwise, and from the moment the
process is told to stop; a schema newer than this version knows, which a rolling upgrade leaves for
a moment, counts as ready)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from storage.db import Database

log = logging.getLogger(__name__)

PROBES = ("/healthz", "/readyz")
StartResponse = Callable[..., Any]


class Health:
    def __init__(self, db: Database) -> None:
        self.db = db
        #: Set when the process begins to shut down: /readyz answers 503 from then on.
        self.stopping = threading.Event()
        self._head: str | None = None

    def live(self) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True}

    def ready(self) -> tuple[int, dict[str, Any]]:
        if self.stopping.is_set():
            return 503, {"ok": False, "reason": "shutting down"}
        try:
            current = self.db.current_revision()
        except Exception as error:  # any driver's way of saying it can't connect
            log.warning("/readyz: the database does not answer (%s)", type(error).__name__)
            return 503, {"ok": False, "reason": "the database does not answer"}
        head = self.head()
        if current is not None and current != head and not self.knows(current):
            # A newer version migrated it (a rolling upgrade under way): migrations add, never remove,
            # so this process still works; it stays in service until it is replaced.
            return 200, {
                "ok": True,
                "database": "up",
                "revision": current,
                "note": "schema newer than this version",
            }
        if current != head:
            return 503, {
                "ok": False,
                "reason": f"the database schema is at {current or 'nothing'}, not {head}: "
                "run `infoint db upgrade`",
            }
        return 200, {"ok": True, "database": "up", "revision": head}

    def head(self) -> str | None:
        if self._head is None:
            self._head = self.db.head_revision()
        return self._head

    def knows(self, revision: str) -> bool:
        """Is ``revision`` one of this version's migrations?"""
        try:
            return ScriptDirectory.from_config(self.db.alembic_config()).get_revision(revision) is not None
        except CommandError:
            return False

    def answer(self, path: str, start_response: StartResponse) -> list[bytes]:
        status, body = self.ready() if path == "/readyz" else self.live()
        payload = json.dumps(body).encode()
        phrase = "OK" if status == 200 else "Service Unavailable"
        start_response(
            f"{status} {phrase}",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(payload))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [payload]
