"""Acks first: commands, clicks and the forms that allow it are acknowledged before their listener
starts, and the work a listener does after its ack takes turns, so that no ack waits behind it.

Bolt runs each listener in its listener executor and answers Slack as soon as the listener calls
``ack()``; the listener then goes on in the same thread (the command's answer, a click's service
call and its effects, a modal's save). In one Python process those threads share one interpreter
lock: twenty lists being built after their acks would make the twenty-first request's ack wait its
share of the lock each time its thread wakes up. So:

* a slash command or a click is acknowledged before its listener starts, and a form named in
  ``handlers.FORMS_CHECKED_FIRST`` is checked and acknowledged there too (:class:`AckFirst`);
* every ``ack`` a listener gets is a :class:`TurnTakingAck`: it acknowledges, then waits for one of
  :data:`TURNS` turns before the listener goes on (at most :data:`PATIENCE` seconds: a modal still
  opens well within its trigger's 3 s when the work is piled up);
* the listener executor (:class:`TurnExecutor`) is large enough that a new request's listener
  always starts at once, and gives the turn back when the listener ends;
* work after an ack gives way, at each SQL statement, to the requests being answered meanwhile
  (:class:`Arrivals`), and the collector's pauses, which stop every thread, are kept short
  (:func:`favour_acks`).

Only threads of the listener executor wait for a turn: an ack Bolt gives itself (an event) never
waits. The order of turns is not first-come first-served; what is guaranteed is that at most
:data:`TURNS` listeners work after their ack at once while the others' acks go out.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.failures import KeptAck
from handlers.context import CHECKED_FIRST

P = ParamSpec("P")
T = TypeVar("T")

#: How many listeners may work after their ack at once. One: the interpreter lock lets only one
#: thread run Python at a time anyway, and each listener working beside another is one more thread an
#: ack's thread has to win the lock from (at 20 concurrent, two turns gave acks a p99 of 36–91 ms,
#: one turn 24–45 ms; see bench/README.md).
TURNS = 1
#: The longest a listener waits for its turn after its ack (seconds).
PATIENCE = 1.0
#: Threads for listeners: enough that a request's listener never queues behind others' work.
LISTENER_THREADS = 32
#: How often the interpreter lets another thread run (seconds; Python's default is 0.005): an ack's
#: thread waking up gets the lock sooner from a thread building an answer.
SWITCH_INTERVAL = 0.001
#: New objects (allocations less deallocations) before a young collection in a serving process
#: (Python's default is 700; see :func:`favour_acks`).
YOUNG_COLLECTION_AFTER = 10_000
#: The longest work after an ack waits, at one of its SQL statements, for the requests arriving
#: meanwhile to be answered (seconds; see :class:`Arrivals`).
GIVE_WAY = 0.005


class Arrivals:
    """The requests being answered in this process right now, and work after an ack giving way to
    them.

    The interpreter lock is the process's: a listener saving a contact after its ack and a request
    just arrived take turns at it, at best every :data:`SWITCH_INTERVAL`, and a request's way to its
    answer (reading it, checking its signature, Bolt, the ack, the log line, writing the answer) asks
    for the lock again at each step. So each request is counted from the moment the app gets it to
    the moment its answer is handed back (:meth:`arriving`), and a thread working after its ack, at
    each SQL statement it is about to run, waits until no request is being answered, for at most
    :data:`GIVE_WAY` (:func:`give_way`, hooked to the database engine by ``bot.app``). The work after
    acks goes on a little later; the acks, which Slack waits for, don't wait behind it.
    """

    def __init__(self, limit: float = GIVE_WAY) -> None:
        self.limit = limit
        self._count = 0
        self._changed = threading.Condition(threading.Lock())
        self._after_ack = threading.local()

    @property
    def answering(self) -> int:
        """How many requests are being answered now."""
        return self._count

    @contextmanager
    def arriving(self) -> Iterator[None]:
        """Around answering one request."""
        with self._changed:
            self._count += 1
        try:
            yield
        finally:
            with self._changed:
                self._count -= 1
                if not self._count:
                    self._changed.notify_all()

    def give_way(self) -> bool:
        """In work after an ack: wait until no request is being answered (at most :attr:`limit`
        seconds). Anywhere else (a request's own way to its ack, the sweep), nothing. True if it
        waited."""
        if not self._count or not getattr(self._after_ack, "on", False):
            return False
        with self._changed:
            self._changed.wait_for(lambda: not self._count, timeout=self.limit)
        return True

    def mark_after_ack(self, on: bool) -> None:
        """This thread is (or is no longer) a listener's, working after its ack."""
        self._after_ack.on = on


#: This process's arrivals (one interpreter lock, one count).
ARRIVALS = Arrivals()


def give_way(*_: object, **__: object) -> None:
    """SQLAlchemy's ``before_cursor_execute`` hook: see :class:`Arrivals`."""
    ARRIVALS.give_way()


class Turns:
    """The turns after an ack: a bounded semaphore, and which thread holds one."""

    def __init__(self, turns: int = TURNS, patience: float = PATIENCE) -> None:
        self._gate = threading.BoundedSemaphore(turns)
        self._patience = patience
        self._local = threading.local()

    def after_ack(self) -> None:
        """In a listener's thread, right after its ack: wait for a turn (at most the patience)."""
        if not getattr(self._local, "listener", False) or getattr(self._local, "held", False):
            return
        ARRIVALS.mark_after_ack(True)
        self._local.held = self._gate.acquire(timeout=self._patience)

    def run(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        """Run a listener (``fn``) in this thread; its turn, if it took one, is given back after."""
        self._local.listener = True
        try:
            return fn(*args, **kwargs)
        finally:
            self._local.listener = False
            ARRIVALS.mark_after_ack(False)
            if getattr(self._local, "held", False):
                self._local.held = False
                self._gate.release()


class TurnTakingAck(KeptAck):
    """Bolt's ``ack``, kept once given (:class:`~bot.failures.KeptAck`); once it has acknowledged, the
    listener waits for its turn to go on."""

    def __init__(self, turns: Turns) -> None:
        super().__init__()
        self.turns = turns

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        self.turns.after_ack()
        return response


class AckFirst(Middleware):
    """Gives every request a :class:`TurnTakingAck` before Bolt hands it to a listener, and
    acknowledges a slash command or a click (``block_actions``) at once, here in the request's
    thread: their ack never carries anything (a command's answer goes to its response_url), so Slack
    gets its 200 before the listener starts (Bolt, which polls for the ack every 10 ms, finds it
    given). A modal's submission named in ``forms`` is checked here (a pure check of its form, no
    database) and acknowledged with its errors (nothing else runs) or, right, with nothing, the
    checked form left in the context for its listener; other submissions (their ack may carry what
    their listener decides) and a menu's options are acknowledged by their listener."""

    def __init__(
        self,
        turns: Turns,
        forms: Mapping[str, Callable[[Mapping[str, Any], datetime], Any]] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.turns = turns
        self.forms = forms or {}
        self.clock = clock or (lambda: datetime.now(UTC))

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        ack = TurnTakingAck(self.turns)
        req.context["ack"] = ack
        if _carries_nothing(req.body):
            ack()
        elif req.body.get("type") == "view_submission":
            view = req.body.get("view")
            check = self.forms.get(view.get("callback_id")) if isinstance(view, dict) else None
            if check is not None and isinstance(view, dict):
                checked = check(view, self.clock())
                if isinstance(checked, dict):  # refused: the modal shows why, nothing else runs
                    return ack(response_action="errors", errors=checked)
                req.context[CHECKED_FIRST] = checked
                ack()
        return next()


def _carries_nothing(body: Mapping[str, Any]) -> bool:
    """A slash command or a click: what their ack says is never read."""
    return isinstance(body.get("command"), str) or body.get("type") == "block_actions"


class TurnExecutor(Executor):
    """The listener executor: runs each listener through :meth:`Turns.run` on ``inner``."""

    def __init__(self, turns: Turns, inner: Executor | None = None) -> None:
        self.turns = turns
        self.inner = inner or ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener")

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        return self.inner.submit(self.turns.run, fn, args, dict(kwargs))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)


def favour_acks() -> None:
    """For a process serving Slack, once started and before it serves: hand the interpreter lock over
    more often (see the module), and keep the garbage collector's pauses short.

    Every thread stops while the collector runs, acks included. Left as it is, the collector of a
    serving process ran 63–66 full collections of about 70 ms (up to 149 ms) in one benchmark run,
    most of each spent walking the objects made at start (the modules, SQLAlchemy's mappers, Bolt's
    app), which live as long as the process. So those objects are moved out of its sight
    (:func:`gc.freeze`), and a young collection waits for :data:`YOUNG_COLLECTION_AFTER` new objects
    instead of 700: in the same run, about 100 young collections of 3 ms and no full one
    (bench/README.md, "Ack latency"). Garbage is still collected; less often, and what each
    collection walks is what the requests made.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, middle, old)
