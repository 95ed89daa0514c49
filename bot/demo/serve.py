"""`infoint demo`: the demo page on 127.0.0.1, in front of the real app and the Slack stand-in.

`DemoServer` is the whole thing as an object (the command line, and the tests, use it): `open` binds
the port and starts everything, `run` serves until `close`.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import shutil
import signal
import tempfile
import threading
import webbrowser
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError
from bot.demo.people import USERS, local_timezone
from bot.demo.runtime import Demo
from bot.demo.web import DemoPage

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer, MultiSocketServer

log = logging.getLogger(__name__)


class DemoServer:
    """The demo on ``port`` (0: any free port), its database a SQLite file at ``db_path``."""

    def __init__(
        self,
        db_path: Path,
        *,
        port: int = 3000,
        tz: str | None = None,
        start: datetime | None = None,
        seed: bool = False,
    ) -> None:
        self.db_path = db_path
        self.port = port
        self.seed = seed
        self.demo = Demo(f"sqlite:///{db_path}", tz=tz or local_timezone(), start=start)
        self.page = DemoPage(self.demo)
        self.server: BaseWSGIServer | MultiSocketServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def open(self) -> str:
        """Bind the port (ConfigError, said in one line, when it can't be), start the app and the
        stand-in, seed when asked; return the page's URL."""
        from waitress.server import create_server

        try:
            self.server = create_server(
                self.page, host="127.0.0.1", port=self.port, threads=8, asyncore_loop_timeout=0.2
            )
        except OSError as error:
            self.demo.close()
            if error.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"port {self.port} is already in use: choose another with --port "
                    "(--port 0 takes any free one)."
                ) from None
            raise ConfigError(
                f"port {self.port} can't be used ({error.strerror}): choose another with --port."
            ) from None
        self.port = int(self.server.effective_port)  # type: ignore[union-attr]
        self.page.allow_port(self.port)
        try:
            self.demo.start()
        except SQLAlchemyError as error:
            self.server.close()
            self.demo.close()
            reason = str(error.__cause__ or error).splitlines()[0]
            raise ConfigError(f"the demo's database {self.db_path} can't be used: {reason}") from None
        if self.seed:
            self.demo.seed()
        return self.url

    def run(self) -> None:
        """Serve until `close` (from another thread or a signal handler)."""
        assert self.server is not None, "open() first"
        with contextlib.suppress(OSError):  # the socket closed under the loop by close()
            self.server.run()

    def run_in_thread(self) -> str:
        url = self.open()
        self._thread = threading.Thread(target=self.run, name="demo-page", daemon=True)
        self._thread.start()
        return url

    def stop_serving(self) -> None:
        if self.server is not None:
            self.server.close()

    def close(self) -> None:
        self.stop_serving()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.demo.close()

    def __enter__(self) -> DemoServer:
        self.run_in_thread()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def run(*, port: int, browser: bool, seed: bool, db: str | None) -> int:
    """The ``infoint demo`` command."""
    logging.getLogger().setLevel(logging.WARNING)
    scratch: Path | None = None
    if db:
        db_path = Path(db).expanduser().resolve()
        if not db_path.parent.is_dir():
            raise ConfigError(f"--db: the folder {db_path.parent} does not exist.")
        where = (
            f"{db_path} (kept: the app's records carry over; the Slack stand-in and the clock start afresh)"
        )
    else:
        scratch = Path(tempfile.mkdtemp(prefix="infoint-demo-"))
        db_path = scratch / "infoint-demo.db"
        where = f"{db_path} (temporary, removed on exit; --db PATH keeps one)"
    server = DemoServer(db_path, port=port, seed=seed)
    try:
        url = server.open()
        print(f"infoint demo: open {url} (Ctrl-C stops it)", flush=True)
        print("  the real app on a local stand-in for Slack: no tokens, no network", flush=True)
        print(f"  database: {where}", flush=True)
        people = ", ".join(f"{user.name} ({user.role})" for user in USERS)
        print(f"  you can be {people}; their timezone: {server.demo.tz}", flush=True)

        def _stop(_signum: int, _frame: FrameType | None) -> None:
            server.stop_serving()

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        if browser:
            threading.Timer(0.5, webbrowser.open, [url]).start()
        server.run()
    finally:
        server.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    print("infoint demo: stopped", flush=True)
    return 0
