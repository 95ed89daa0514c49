"""Engines, sessions and migrations."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, Self, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

log = logging.getLogger(__name__)
T = TypeVar("T")


class Tally(Protocol):
    """What a pass counts (the sweep's report, the digests'), one unit of work's share at a time."""

    def share(self) -> Self:
        """An empty share, for one unit of work to count into."""
        ...

    def add(self, share: Self) -> None: ...


R = TypeVar("R", bound=Tally)


def connection_failed(error: BaseException) -> bool:
    """Might the same unit of work succeed on a fresh connection? The server closed or terminated
    the connection, a network error, a lock wait given up: OperationalError and InterfaceError, and
    any driver error that made SQLAlchemy invalidate the connection."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (OperationalError, InterfaceError))


def normalise_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, open transactions (see _sqlite_begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    """Take SQLite's write lock when a transaction starts, not when it first writes.

    Otherwise two transactions that read and then write (a click racing another) fail with
    "database is locked" instead of waiting their turn; with it, the busy timeout makes them queue.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def run(self, work: Callable[[Session], T], *, attempts: int = 8, what: str = "unit of work") -> T:
        """``work(session)`` as one unit of work, run again from the start on a fresh connection when
        the connection fails (`connection_failed`) before the commit is known to have happened.

        ``work`` must be safe to run twice: the first run may have committed just before its
        connection died. The pool checks connections before use (``pool_pre_ping``), so a retry
        does not pick up another dead one."""
        for attempt in range(1, attempts + 1):
            try:
                with self.session() as session:
                    return work(session)
            except DBAPIError as error:
                if attempt == attempts or not connection_failed(error):
                    raise
                lines = str(error.orig if error.orig is not None else error).strip().splitlines()
                reason = lines[0][:200] if lines else type(error).__name__
                log.warning("%s: the database connection failed (%s); trying again", what, reason)
                time.sleep(min(0.05 * 2**attempt, 2.0))
        raise AssertionError("unreachable")

    def run_counted(self, work: Callable[[Session, R], T], report: R, *, what: str) -> T:
        """`run`, ``work`` counting into a share of ``report`` that is added to it once the unit of
        work has committed: a try rolled back (its connection failed) counts nothing, and what the
        last try counted is counted once."""

        def attempt(session: Session) -> tuple[T, R]:
            share = report.share()
            return work(session, share), share

        result, share = self.run(attempt, what=what)
        report.add(share)
        return result

    def before_each_statement(self, hook: Callable[..., None]) -> None:
        """Call ``hook`` (with SQLAlchemy's ``before_cursor_execute`` arguments) in the thread about
        to run each SQL statement; once, however often it is asked."""
        if not event.contains(self.engine, "before_cursor_execute", hook):
            event.listen(self.engine, "before_cursor_execute", hook)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def alembic_config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["engine"] = self.engine
        return cfg

    def upgrade(self) -> str | None:
        """Bring the schema to the newest migration; returns the revision it is at."""
        command.upgrade(self.alembic_config(), "head")
        return self.current_revision()

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        return ScriptDirectory.from_config(self.alembic_config()).get_current_head()

    def dispose(self) -> None:
        self.engine.dispose()
