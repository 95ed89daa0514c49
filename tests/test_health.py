"""GET /healthz (alive) and GET /readyz (the database answers and its schema is at the newest
migration), as a load balancer asks them: through the app's WSGI application, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from helpers import make_config
from slackwire import OverHttp, ServedApp

from bot.app import WebApp, create_app
from bot.fakeslack import FakeSlack
from bot.services import Services
from storage.db import Database


class Served:
    """The app over its own database, served by waitress on 127.0.0.1."""

    def __init__(self, db: Database, slack: FakeSlack) -> None:
        self.db = db
        services = Services(db)
        self.web = WebApp(create_app(make_config(slack, db.url), services), services)
        self.served = ServedApp(self.web)
        self.http = OverHttp(self.served.url)

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, Any]]:
        reply = self.http.request(method, path)
        return reply.status, json.loads(reply.body) if reply.body else {}

    def close(self) -> None:
        self.served.close()
        self.db.dispose()


@pytest.fixture
def serve(slack: FakeSlack) -> Iterator[Any]:
    opened: list[Served] = []

    def start(db: Database) -> Served:
        opened.append(Served(db, slack))
        return opened[-1]

    yield start
    for served in opened:
        served.close()


def _one_behind(db: Database) -> tuple[str, str]:
    script = ScriptDirectory.from_config(db.alembic_config())
    head = script.get_current_head()
    assert head is not None
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)
    command.upgrade(db.alembic_config(), previous)
    return previous, head


def test_ready_at_head(serve: Any, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'ready.db'}")
    head = db.upgrade()
    app = serve(db)
    assert app.get("/healthz") == (200, {"ok": True})
    assert app.get("/readyz") == (200, {"ok": True, "database": "up", "revision": head})
    assert app.get("/readyz", "HEAD")[0] == 200


def test_not_ready_until_upgraded(serve: Any, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'behind.db'}")
    previous, head = _one_behind(db)
    app = serve(db)
    status, body = app.get("/readyz")
    assert status == 503 and body["ok"] is False, body
    assert previous in body["reason"] and head in body["reason"] and "infoint db upgrade" in body["reason"]
    assert app.get("/healthz")[0] == 200, "alive all the same: restarting would not help"
    db.upgrade()
    assert app.get("/readyz")[0] == 200


def test_not_ready_with_no_schema(serve: Any, tmp_path: Path) -> None:
    app = serve(Database(f"sqlite:///{tmp_path / 'empty.db'}"))
    status, body = app.get("/readyz")
    assert status == 503 and "nothing" in body["reason"] and "infoint db upgrade" in body["reason"], body


def test_not_ready_when_the_database_does_not_answer(serve: Any, tmp_path: Path) -> None:
    app = serve(Database(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}"))
    assert app.get("/readyz") == (503, {"ok": False, "reason": "the database does not answer"})
    assert app.get("/healthz") == (200, {"ok": True})


def test_not_ready_once_stopping(serve: Any, migrated_db: Database) -> None:
    app = serve(Database(migrated_db.url))
    assert app.get("/readyz")[0] == 200
    app.web.health.stopping.set()
    assert app.get("/readyz") == (503, {"ok": False, "reason": "shutting down"})
    assert app.get("/healthz")[0] == 200


def test_ready_on_a_schema_newer_than_this_version(serve: Any, tmp_path: Path) -> None:
    """A rolling upgrade: the new version migrated the database; this older process stays in service."""
    db = Database(f"sqlite:///{tmp_path / 'newer.db'}")
    db.upgrade()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    status, body = serve(db).get("/readyz")
    assert status == 200 and body["revision"] == "9999_from_the_future", body
    assert body["note"] == "schema newer than this version"
