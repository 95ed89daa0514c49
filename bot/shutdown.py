"""Stopping ``infoint run`` gracefully (SIGTERM or Ctrl-C), within `GRACE` seconds.

In order: /readyz answers 503 and the sweep is asked to stop between two DMs (a DM being posted is
finished and recorded, none is begun); the listening socket is closed (new connections are refused),
the requests being served are answered and idle connections closed; the work listeners do after
their acknowledgement (a DM, the App Home) finishes; the sweep's pass ends, the scheduler stops.
What could not finish in time (Slack hanging) is left as the sweep's claims, which the next sweep
recovers (README, "Exactly once"): a DM is never half-sent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from waitress import wasyncore

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler
    from waitress.server import BaseWSGIServer

    from bot.listeners import ListenerPool
    from bot.sweep import Sweeper

log = logging.getLogger("infoint")

#: From the signal to the exit, at most (an orchestrator usually waits 10 s before SIGKILL).
GRACE = 9.0
#: Of which the requests in flight may take.
REQUESTS_GRACE = 5.0
#: How often the server's loop looks whether it was asked to stop.
POLL_SECONDS = 0.2


class SweepJob:
    """The scheduler's job: one pass of the sweep (as of ``clock()``), then the cohorts' digests.
    `stop` asks the pass to end between two DMs (or two digests) and waits for it."""

    def __init__(self, sweeper: Sweeper, clock: Callable[[], datetime] | None = None) -> None:
        self.sweeper = sweeper
        self.clock = clock
        self._running = 0
        self._changed = threading.Condition()

    def __call__(self) -> None:
        with self._changed:
            if self.sweeper.stopping.is_set():
                return
            self._running += 1
        try:
            self._pass()
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()

    def _pass(self) -> None:
        from bot.digests import send_due_digests

        now = self.clock() if self.clock is not None else datetime.now(UTC)
        report = self.sweeper.run(now)
        if report.dms or report.failed or report.retrying:
            log.info(report.summary())
        if self.sweeper.stopping.is_set():
            return  # the digests wait for the next process
        sweeper = self.sweeper
        digests = send_due_digests(
            sweeper.db, sweeper.workspaces, now, workers=sweeper.workers, stopping=sweeper.stopping
        )
        if digests.sent or digests.paused or digests.retrying:
            log.info(digests.summary())

    def stop(self, timeout: float) -> bool:
        """Ask the pass under way to stop between two DMs; True once no pass is running."""
        self.sweeper.stopping.set()
        with self._changed:
            return self._changed.wait_for(lambda: self._running == 0, timeout)


def stop_scheduler(scheduler: BaseScheduler, timeout: float) -> bool:
    """Stop the sweep (between two DMs, waiting up to ``timeout``) and the scheduler."""
    job = scheduler.get_job("sweep")
    finished = job.func.stop(timeout) if job is not None and isinstance(job.func, SweepJob) else True
    scheduler.shutdown(wait=False)
    if not finished:
        log.warning("the sweep did not finish its DM in time: its claim is recovered by the next sweep")
    return finished


def drain_listeners(pool: ListenerPool, timeout: float) -> bool:
    """Wait until every listener given so far (what it does after its ack) has finished; True if
    they did in time. The pool takes no more work after this."""
    finished = pool.wait_idle(max(timeout, 0.0))
    pool.shutdown(wait=False)
    if not finished:
        log.warning("%d listener(s) still running at shutdown", pool.busy)
    return finished


def serve_until(server: BaseWSGIServer, stop: Stop) -> bool:
    """Run waitress's loop until `Stop` is called; then refuse new connections, answer the requests
    in flight and close idle connections (a keep-alive one takes no new request), for up to
    `REQUESTS_GRACE` seconds. True when every request was answered."""
    use_poll = server.adj.asyncore_use_poll
    while not stop.requested.is_set():
        wasyncore.loop(timeout=POLL_SECONDS, map=server._map, use_poll=use_poll, count=1)
    log.info("stopping: taking no new requests, finishing those under way")
    wasyncore.dispatcher.close(server)  # the listening socket: new connections are refused from now on
    deadline = time.monotonic() + min(REQUESTS_GRACE, stop.left() - 2.0)
    while server.active_channels and time.monotonic() < deadline:
        for channel in list(server.active_channels.values()):
            if not channel.requests and channel.request is None and not channel.total_outbufs_len:
                channel.will_close = True  # idle: closed by the loop, no new request read
        wasyncore.loop(timeout=0.05, map=server._map, use_poll=use_poll, count=1)
    answered = not server.active_channels
    if not answered:
        log.warning("%d connection(s) still busy at shutdown: closed", len(server.active_channels))
    server.task_dispatcher.shutdown(cancel_pending=True, timeout=max(deadline - time.monotonic(), 0.1))
    wasyncore.close_all(server._map)
    return answered


class Stop:
    """What SIGTERM and SIGINT do: set ``events`` (the handler does nothing else; the main thread does
    the rest) and note when, so that everything after can be measured against `GRACE`."""

    def __init__(self, *events: threading.Event) -> None:
        self.requested = threading.Event()
        self.events = list(events)
        self.at: float | None = None

    def __call__(self, _signum: int, _frame: Any) -> None:
        if self.at is None:
            self.at = time.monotonic()
        for event in (self.requested, *self.events):
            event.set()

    def left(self) -> float:
        """Seconds left of `GRACE` since the signal."""
        return GRACE - (time.monotonic() - (self.at if self.at is not None else time.monotonic()))
