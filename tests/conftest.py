"""Shared fixtures: a real database (SQLite, or PostgreSQL via INFOINT_TEST_DATABASE_URL), a fake Slack
(a real HTTP server on 127.0.0.1), and the app: its WSGI app called in process, or served over HTTP by
the same server as production for tests marked ``over_http``."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import BOT_TOKEN, Clock, ListenerPool, RunningApp, make_config
from slackwire import InProcess, OverHttp, ServedApp, SlackSender, Transport
from sqlalchemy import text

from bot.app import WebApp, create_app
from bot.fakeslack import FakeSlack
from bot.services import Services
from storage.db import Database, normalise_url
from storage.models import Base


def pytest_report_header() -> str:
    return f"infoint test database: {_backend()}; app transport: {_transport()} (over_http tests: HTTP)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "over_http: serve the app with waitress on 127.0.0.1 and send over a real socket "
        "(the default is in process, through the same WSGI app)",
    )


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


@pytest.fixture
def running_app(request: pytest.FixtureRequest, db: Database, slack: FakeSlack) -> Iterator[RunningApp]:
    """The Bolt app talking to the fake Slack. Signed requests reach its WSGI app in process, or, for
    tests marked ``over_http`` (or every test with INFOINT_TEST_TRANSPORT=http), through waitress on
    127.0.0.1."""
    clock = Clock()
    services = Services(db, clock=clock)
    config = make_config(slack, db.url)
    listeners = ListenerPool()
    wsgi = WebApp(create_app(config, services, listener_executor=listeners), services, config.signing_secret)
    served = ServedApp(wsgi) if _over_http(request) else None
    transport: Transport = OverHttp(served.url) if served else InProcess(wsgi)
    sender = SlackSender(transport, slack.response_url(""), slack.trigger_id)
    yield RunningApp(
        transport, services, sender, clock, config, listeners, served.url if served else None, slack
    )
    if served:
        served.close()
    # Let listeners still working after their ack finish, so they can't touch the next test's data.
    listeners.shutdown(wait=True)


def _over_http(request: pytest.FixtureRequest) -> bool:
    return _transport() == "http" or request.node.get_closest_marker("over_http") is not None


def _transport() -> str:
    return "http" if os.environ.get("INFOINT_TEST_TRANSPORT", "").lower() == "http" else "in-process"
