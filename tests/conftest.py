"""Shared fixtures: a real database (SQLite, or PostgreSQL via INFOINT_TEST_DATABASE_URL), a fake Slack,
and the app served over HTTP by the same server as production."""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slackwire import SIGNING_SECRET, SlackSender
from sqlalchemy import text
from waitress.server import create_server

from bot.app import WebApp, create_app
from bot.config import Config
from bot.fakeslack import FakeSlack
from bot.services import Services
from storage.db import Database, normalise_url
from storage.models import Base

BOT_TOKEN = "xoxb-test-token"


def pytest_report_header() -> str:
    return f"infoint test database: {_backend()}"


def _backend() -> str:
    url = os.environ.get("INFOINT_TEST_DATABASE_URL", "")
    return "postgresql" if url.startswith("postgres") else "sqlite"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database for this test session."""
    url = os.environ.get("INFOINT_TEST_DATABASE_URL")
    if not url:
        path: Path = tmp_path_factory.mktemp("db") / "infoint-test.db"
        yield f"sqlite:///{path}"
        return
    # PostgreSQL: a schema of our own, so parallel runs against one server never meet.
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(url)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    yield normalise_url(url) + f"{separator}options=-csearch_path%3D{schema}"
    with admin.engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_db(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def db(migrated_db: Database) -> Iterator[Database]:
    """The session's database, emptied before each test."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with migrated_db.engine.begin() as conn:
        if migrated_db.dialect == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
    yield migrated_db


@pytest.fixture(scope="session")
def fake_slack_server() -> Iterator[FakeSlack]:
    server = FakeSlack(bot_token=BOT_TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def slack(fake_slack_server: FakeSlack) -> FakeSlack:
    fake_slack_server.reset()
    return fake_slack_server


class Clock:
    """A clock the tests can set and move; defaults to the real time."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or datetime.now(UTC)

    def set(self, when: datetime) -> None:
        self.fixed = when


class ServedApp:
    """A WSGI app served by waitress (the production server) on 127.0.0.1, in a thread."""

    def __init__(self, wsgi: WebApp) -> None:
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


@dataclass
class RunningApp:
    url: str
    services: Services
    sender: SlackSender
    clock: Clock
    config: Config


def make_config(slack: FakeSlack, database_url: str) -> Config:
    return Config(
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        app_token=None,
        database_url=database_url,
        slack_api_url=slack.api_url,
        port=0,
        sweep_seconds=60,
    )


@pytest.fixture
def running_app(db: Database, slack: FakeSlack) -> Iterator[RunningApp]:
    """The Bolt app behind waitress on 127.0.0.1, talking to the fake Slack."""
    clock = Clock()
    services = Services(db, clock=clock)
    config = make_config(slack, db.url)
    listeners = ThreadPoolExecutor(max_workers=8)
    app = create_app(config, services, listener_executor=listeners)
    served = ServedApp(WebApp(app, services))
    sender = SlackSender(f"{served.url}/slack/events", slack.response_url(""), slack.trigger_id)
    yield RunningApp(served.url, services, sender, clock, config)
    served.close()
    # Let listeners still working after their ack finish, so they can't touch the next test's data.
    listeners.shutdown(wait=True)
