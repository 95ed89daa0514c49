"""The app's listener executor that knows when every listener it was given has finished.

Bolt hands a listener to its executor before it answers Slack, and the listener goes on after its
ack (a DM, the App Home…). :meth:`ListenerPool.wait_idle` after a request therefore waits for exactly
what that request caused: the demo's page answers once it is done, the tests look at the fake Slack
then. No polling for quiet, no race."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class ListenerPool(ThreadPoolExecutor):
    """A thread pool counting the listeners it runs."""

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

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no listener is running; whether that happened within ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: self._busy == 0, timeout)

    @property
    def busy(self) -> int:
        """How many listeners are running."""
        with self._changed:
            return self._busy
