"""Helpers the tests share: the app under test, its clock, and waiting for what a request causes.
Sending and signing are in `slackwire`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar

from slackwire import SIGNING_SECRET, SlackSender, Transport

from bot.config import Config
from bot.fakeslack import FakeSlack
from bot.services import Services

BOT_TOKEN = "xoxb-test-token"

P = ParamSpec("P")
T = TypeVar("T")


class Clock:
    """A clock the tests can set and move; defaults to the real time."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or datetime.now(UTC)

    def set(self, when: datetime) -> None:
        self.fixed = when


class ListenerPool(ThreadPoolExecutor):
    """The app's listener executor, which knows when every listener it was given has finished.

    Bolt hands a listener to this pool before it answers Slack, and the listener goes on after its
    ack (a DM, the App Home...). `wait_idle` after a request returns therefore waits for exactly
    what that request caused: no polling for quiet, no race."""

    def __init__(self, max_workers: int = 8) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._busy = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._changed:
            self._busy += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished()
            raise
        future.add_done_callback(lambda _: self._finished())
        return future

    def _finished(self) -> None:
        with self._changed:
            self._busy -= 1
            self._changed.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._busy == 0, timeout):
                raise AssertionError(f"{self._busy} listener(s) still running after {timeout} s")


# The app under test ------------------------------------------------------------------------------------


@dataclass
class RunningApp:
    """The Bolt app wired to a database and the fake Slack, reached through ``sender``: in process
    by default, or behind waitress on 127.0.0.1 for tests marked ``over_http``."""

    transport: Transport
    services: Services
    sender: SlackSender
    clock: Clock
    config: Config
    listeners: ListenerPool
    served_url: str | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` of the served app (tests marked ``over_http`` only)."""
        if self.served_url is None:
            raise RuntimeError("this app is dispatched in process: mark the test over_http for a URL")
        return self.served_url

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the listeners that requests so far started have all finished."""
        self.listeners.wait_idle(timeout)


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
