"""The running demo: the real app (the Bolt listeners, services, database and sweep of `infoint run`)
wired to a local Slack stand-in, in one process, all on one clock the page can move."""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import text

from bot.app import WebApp, create_app, make_client
from bot.cli import start_scheduler
from bot.config import Config
from bot.demo.clock import DemoClock, next_monday_morning
from bot.demo.door import SlackDoor
from bot.demo.people import CHANNEL_NAMES, GENERAL, USERS
from bot.digests import send_due_digests
from bot.fakeslack import FakeSlack
from bot.listeners import ListenerPool
from bot.services import Services
from bot.sweep import Sweeper, SweepReport
from storage.db import Database
from storage.models import Base

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from slack_sdk import WebClient

log = logging.getLogger(__name__)

#: What the clock buttons do.
MOVES: dict[str, str] = {"day": "+1 day", "week": "+1 week", "monday": "next Monday 09:00"}


class _DemoSweeper(Sweeper):
    """The production sweep, one pass at a time with the page's actions (a reset can't cut one)."""

    def __init__(self, db: Database, client: WebClient, lock: threading.RLock) -> None:
        super().__init__(db, client)
        self.lock = lock

    def run(self, now: datetime, *, dry_run: bool = False) -> SweepReport:
        with self.lock:
            return super().run(now, dry_run=dry_run)


@dataclass(frozen=True)
class ClockMove:
    now: datetime
    report: SweepReport


class Demo:
    """Start with `start`, stop with `close`. ``tz`` is the demo people's Slack timezone; ``start``
    where the clock starts (default: the real now). Trigger ids last ``trigger_ttl`` seconds (Slack
    gives 3; the tests hold the app to that, the demo is lenient with slow machines)."""

    def __init__(
        self,
        database_url: str,
        *,
        tz: str,
        start: datetime | None = None,
        sweep_seconds: int = 30,
        trigger_ttl: float = 10.0,
    ) -> None:
        self.database_url = database_url
        self.tz = tz
        self.sweep_seconds = sweep_seconds
        self.clock = DemoClock(start)
        #: Held by every page action, clock move, sweep and reset: they happen one at a time.
        self.lock = threading.RLock()
        self.signing_secret = secrets.token_hex(16)
        self.bot_token = f"xoxb-demo-{secrets.token_hex(8)}"
        self.slack = FakeSlack(
            bot_token=self.bot_token, default_tz=tz, trigger_ttl=trigger_ttl, clock=self.clock.epoch
        )
        self.notices: list[dict[str, str]] = []  # what Slack itself says (a command that failed)
        #: ``/infoint help`` as the app answers it ([usage, what it does]); asked the first time.
        self.command_list: list[list[str]] | None = None
        self._started = False

    # Lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> Demo:
        self.slack.start()
        self._add_people()
        self.db = Database(self.database_url)
        self.db.upgrade()
        self.services = Services(self.db, clock=self.clock)
        self.config = Config(
            bot_token=self.bot_token,
            signing_secret=self.signing_secret,
            app_token=None,
            database_url=self.database_url,
            slack_api_url=self.slack.api_url,
            port=0,
            sweep_seconds=self.sweep_seconds,
        )
        self.pool = ListenerPool()
        app = create_app(self.config, self.services, make_client(self.config), listener_executor=self.pool)
        self.web_app = WebApp(app, self.services, self.signing_secret)
        self.door = SlackDoor(self.web_app, self.signing_secret, FakeSlack.TEAM_ID, FakeSlack.APP_ID)
        client = make_client(self.config, retry_connection_errors=False)
        self.sweeper = _DemoSweeper(self.db, client, self.lock)
        self.scheduler: BackgroundScheduler = start_scheduler(self.sweeper, self.sweep_seconds, self.clock)
        self._started = True
        return self

    def close(self) -> None:
        if not self._started:
            self.slack.stop()
            return
        self._started = False
        self.scheduler.shutdown(wait=True)
        self.pool.shutdown(wait=True)
        self.slack.stop()
        self.db.dispose()

    def _add_people(self) -> None:
        for user in USERS:
            self.slack.set_user(user.id, tz=self.tz, real_name=user.name)
        # #general, with everyone and the app in it (a cohort needs the app in its channel).
        self.slack.add_channel(GENERAL, CHANNEL_NAMES[GENERAL], tuple(u.id for u in USERS))

    # What the page's controls do ---------------------------------------------------------------------

    def settle(self, timeout: float = 10.0) -> None:
        """Wait for the listeners that requests so far started (their DMs, modals, App Home)."""
        if not self.pool.wait_idle(timeout):
            log.warning("some listeners were still running after %s s", timeout)

    def sweep(self) -> SweepReport:
        """One pass of the production sweep as of the demo's now, then the cohorts' digests due."""
        with self.lock:
            self.settle()
            now = self.clock()
            report = self.sweeper.run(now)
            send_due_digests(self.db, self.sweeper.client, now, workers=self.sweeper.workers)
            return report

    def move_clock(self, move: str) -> ClockMove:
        """Move the clock (``day``, ``week``, ``monday``: see MOVES) and sweep once, as production
        would have when that time came."""
        with self.lock:
            if move == "day":
                self.clock.advance(timedelta(days=1))
            elif move == "week":
                self.clock.advance(timedelta(weeks=1))
            elif move == "monday":
                self.clock.set(next_monday_morning(self.clock(), self.tz))
            else:
                raise ValueError(f"unknown clock move {move!r}: one of {', '.join(MOVES)}")
            report = self.sweep()
            return ClockMove(self.clock(), report)

    def reset(self, *, seed: bool = False) -> None:
        """Forget everything (the database, the stand-in's messages), back to the clock's start; then
        the example journey when ``seed``."""
        with self.lock:
            self.settle()
            self.slack.reset()
            self._add_people()
            self.notices.clear()
            with self.db.engine.begin() as conn:
                for table in reversed(Base.metadata.sorted_tables):
                    conn.execute(text(f"DELETE FROM {table.name}"))
            self.clock.reset()
            if seed:
                self.seed()

    def seed(self) -> None:
        from bot.demo.seed import seed_journey

        with self.lock:
            seed_journey(self)

    def add_notice(self, user: str, channel: str, text_: str) -> None:
        """A line from Slack itself (not the app) that only ``user`` sees in ``channel``."""
        with self.lock:
            self.notices.append(
                {"user": user, "channel": channel, "ts": f"{self.clock.epoch():.6f}", "text": text_}
            )
