#!/usr/bin/env python
"""Dispatch benchmark: the sweep delivering thousands of due nudges through a rate-limited fake Slack.

Each scenario seeds a fresh database whose users each own ``per_user`` due contacts (a request sent
8 days ago: one follow-up nudge each; nudges of one user go out together as one DM) plus background
contacts that are not due, then runs ``Sweeper(db, client).run(now)`` — plan, then deliver — where
``client = bot.app.make_client(config)`` (the app's WebClient with its retry handlers) points at
``bot.fakeslack.FakeSlack`` with ``enforce_rate_limits(...)``. The fake runs in a child process
on 127.0.0.1 so its HTTP server does not share the GIL with the sweep being timed.

Measured: total time, time until the first and between the first and last accepted message, the
429s the fake answered (and the most a single DM got), DMs and nudges delivered, SQL statements per
DM, and the theoretical minimum the limits allow. Checked: every nudge ends ``sent`` exactly once,
in exactly one message, whose channel/ts the nudge records. Also probed, before the run, with the
whole backlog pending: the cost of the per-DM queries (``due_nudges_of`` with the app's indexes and
with a (user_id, status, due_at) index created in a rolled-back transaction; ``referral_counts``
as written and without ``aliased``).

Scenarios (``--scenarios``, comma-separated):

* ``full``: 5,000 users × 1 nudge, 1 msg/s per channel (burst 3), 600/min workspace-wide (burst 600,
  the fake's default) — what the issue asks; about 7.5 minutes at best;
* ``scaled``: the same at 6,000/min (burst 600): the limits ×10, so ~44 s at best, and the app's own
  speed shows;
* ``grouped``: 1,000 users × 5 nudges (1,000 DMs carrying 5,000 nudges) at 600/min;
* ``unlimited``: 5,000 × 1 with no rate limit: the app's own throughput.

Results: printed, and written to ``bench/results/dispatch.md`` (and ``.json``); ``--merge`` adds to
an earlier run's results (e.g. one invocation per backend, each under 15 minutes).

    python bench/bench_dispatch.py --scenarios scaled,grouped,unlimited
    python bench/bench_dispatch.py --scenarios full --merge
    python bench/bench_dispatch.py --backend postgresql --scenarios scaled,unlimited --merge
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for entry in (str(ROOT), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from seed import (  # noqa: E402
    DEFAULT_PG_URL,
    NOW,
    Spec,
    app_version,
    load_average,
    pg_create_schema,
    pg_drop_schema,
    remove_sqlite,
    seed,
)
from sqlalchemy import event, func, select, text  # noqa: E402

from bot.app import make_client  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.sweep import Sweeper, SweepReport  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Contact, Nudge  # noqa: E402
from storage.repository import SweepStore  # noqa: E402

RESULTS = BENCH / "results"
TOKEN = "xoxb-bench-token"
BLOCK_ID = re.compile(r"^nudge:(\d+)$")


@dataclass
class Scenario:
    name: str
    users: int
    per_user: int
    limits: dict[str, Any] | None  # FakeSlack.enforce_rate_limits(**limits); None: no limit
    background_contacts: int = 20_000

    @property
    def nudges(self) -> int:
        return self.users * self.per_user

    def theoretical_seconds(self, dms: int | None = None) -> float:
        """The least time the token buckets allow between the first and the last of ``dms`` messages
        (one DM per user per sweep, so the per-channel bucket never binds unless a user gets more
        than its burst)."""
        dms = self.users if dms is None else dms
        if not self.limits:
            return 0.0
        per_minute = self.limits["workspace_per_minute"]
        burst = self.limits.get("workspace_burst") or int(per_minute)
        workspace = max(0.0, (dms - burst) / (per_minute / 60.0))
        per_channel = max(
            0.0, (1 - self.limits.get("burst", 3)) / self.limits.get("per_channel_per_second", 1.0)
        )
        return max(workspace, per_channel)

    def describe_limits(self) -> str:
        if not self.limits:
            return "none"
        lim = self.limits
        burst = lim.get("workspace_burst") or int(lim["workspace_per_minute"])
        return (
            f"{lim['per_channel_per_second']:g}/s per channel (burst {lim['burst']}), "
            f"{lim['workspace_per_minute']:,.0f}/min workspace (burst {burst:,})"
        )


SLACK_LIKE = {"per_channel_per_second": 1.0, "burst": 3, "workspace_per_minute": 600}
SCENARIOS = {
    "full": Scenario("full", 5_000, 1, dict(SLACK_LIKE)),
    "scaled": Scenario(
        "scaled", 5_000, 1, {**SLACK_LIKE, "workspace_per_minute": 6_000, "workspace_burst": 600}
    ),
    "grouped": Scenario("grouped", 1_000, 5, dict(SLACK_LIKE)),
    "unlimited": Scenario("unlimited", 5_000, 1, None),
    "smoke": Scenario(
        "smoke", 300, 1, {**SLACK_LIKE, "workspace_per_minute": 6_000, "workspace_burst": 100}, 2_000
    ),
}


# The fake Slack, in a child process ---------------------------------------------------------------


def _fake_process(conn: Any, limits: dict[str, Any] | None) -> None:
    from bot.fakeslack import FakeSlack

    fake = FakeSlack(bot_token=TOKEN, default_tz="UTC")
    fake.start()
    if limits:
        fake.enforce_rate_limits(**limits)
    conn.send(fake.api_url)
    while True:
        command = conn.recv()
        if command == "summary":
            conn.send(_summarise(fake))
        elif command == "stop":
            fake.stop()
            conn.send("stopped")
            return


def _claim_of(metadata: Any) -> str | None:
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return None
    if isinstance(metadata, dict):
        claim = (metadata.get("event_payload") or {}).get("claim")
        return str(claim) if claim else None
    return None


def _nudge_ids(blocks: Any) -> list[int]:
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            return []
    ids = []
    for block in blocks or []:
        match = BLOCK_ID.match(str(block.get("block_id", ""))) if isinstance(block, dict) else None
        if match:
            ids.append(int(match.group(1)))
    return ids


def _summarise(fake: Any) -> dict[str, Any]:
    calls = []
    for call in fake.calls:
        item = {"method": call.method, "status": call.status, "at": call.at}
        if call.method == "chat.postMessage":
            item["claim"] = _claim_of(call.args.get("metadata"))
            item["ok"] = bool(isinstance(call.response, dict) and call.response.get("ok"))
            item["error"] = call.response.get("error") if isinstance(call.response, dict) else None
        calls.append(item)
    messages = [
        {
            "channel": channel,
            "ts": ts,
            "claim": _claim_of(message.get("metadata")),
            "nudges": _nudge_ids(message.get("blocks")),
        }
        for (channel, ts), message in fake.messages.items()
    ]
    return {"calls": calls, "messages": messages, "internal_errors": list(fake.internal_errors)}


class FakeSlackProcess:
    def __init__(self, limits: dict[str, Any] | None) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_fake_process, args=(child, limits), daemon=True)
        self.process.start()
        if not self.conn.poll(30):
            self.process.terminate()
            raise RuntimeError("the fake Slack did not start")
        self.api_url: str = self.conn.recv()

    def summary(self) -> dict[str, Any]:
        self.conn.send("summary")
        return self.conn.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            try:
                self.conn.send("stop")
                self.conn.poll(10)
            except (BrokenPipeError, OSError):
                pass
            self.process.join(10)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(5)


# Probing the per-DM queries -----------------------------------------------------------------------


def _median_ms(action: Any, items: list[Any]) -> float:
    times = []
    for item in items:
        started = time.perf_counter()
        action(item)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _explain_call(session: Any, dialect: str, call: Any) -> list[str]:
    """The plan of the last statement ``call()`` sends, with the parameters it sent."""
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        captured.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", grab)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    statement, params = captured[-1]
    conn = session.connection()
    if dialect == "postgresql":
        return [row[0] for row in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)]
    return [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)]


def probe(db: Database, now: datetime, sample: int = 200) -> dict[str, Any]:
    """Per-DM query costs with the whole backlog pending (everything rolled back afterwards)."""
    from sqlalchemy.orm import aliased

    out: dict[str, Any] = {}
    with db.sessions() as session:
        session.begin()
        try:
            Sweeper(db, None)._plan(session, now, SweepReport(at=now))
            store = SweepStore(session)
            out["pending"] = session.scalar(
                select(func.count()).select_from(Nudge).where(Nudge.status == "pending")
            )
            users = store.users_with_due_nudges(now, 100_000)
            step = max(1, len(users) // sample)
            picked = users[::step][:sample]
            out["due_nudges_of_ms"] = _median_ms(lambda u: store.due_nudges_of(u, now), picked)
            out["due_nudges_of_plan"] = _explain_call(
                session, db.dialect, lambda: store.due_nudges_of(picked[0], now)
            )
            session.execute(
                text("CREATE INDEX bench_tmp_nudges_user_status_due ON nudges (user_id, status, due_at)")
            )
            if db.dialect == "postgresql":
                session.execute(text("ANALYZE nudges"))
            out["due_nudges_of_indexed_ms"] = _median_ms(lambda u: store.due_nudges_of(u, now), picked)
            out["due_nudges_of_indexed_plan"] = _explain_call(
                session, db.dialect, lambda: store.due_nudges_of(picked[0], now)
            )
            contact_ids = [c for c in session.scalars(select(Contact.id).limit(sample))]
            out["referral_counts_ms"] = _median_ms(lambda c: store.referral_counts([c]), contact_ids)

            def plain(contact_id: int) -> dict[int, int]:  # the same query without aliased(Contact)
                rows = session.execute(
                    select(Contact.introducer_contact_id, func.count())
                    .where(Contact.introducer_contact_id.in_([contact_id]))
                    .group_by(Contact.introducer_contact_id)
                ).all()
                return {int(c): int(n) for c, n in rows}

            out["referral_counts_plain_ms"] = _median_ms(plain, contact_ids)
            alias_times = []
            for _ in range(50):
                started = time.perf_counter()
                aliased(Contact)
                alias_times.append(time.perf_counter() - started)
            out["aliased_contact_ms"] = statistics.median(alias_times) * 1000
        finally:
            session.rollback()
    return out


# A run --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    scenario: str
    backend: str
    users: int
    per_user: int
    nudges: int
    limits: str
    limits_raw: dict[str, Any] | None
    seed_seconds: float
    probe: dict[str, Any]
    total_seconds: float = 0.0
    plan_seconds: float = 0.0
    deliver_seconds: float = 0.0
    slack_seconds: float = 0.0  # inside chat_postMessage, retry sleeps included
    first_message_after: float = 0.0  # from the start of the run
    send_window_seconds: float = 0.0  # first to last accepted chat.postMessage
    theoretical_seconds: float = 0.0
    post_calls: int = 0
    status_429: int = 0
    max_429_per_dm: int = 0
    dms_with_429: int = 0
    other_errors: int = 0
    dms: int = 0
    items: int = 0
    report: str = ""
    statements: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    capped: bool = False
    app_commit: str = ""
    load_before: str = ""
    load_after: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.checks.get("all_sent_once")) and not self.capped


def run_scenario(scenario: Scenario, args: argparse.Namespace, workdir: Path) -> Outcome:
    schema = f"bench_dispatch_{scenario.name}"
    if args.backend == "postgresql":
        url = pg_create_schema(args.pg_url, schema)
    else:
        path = workdir / f"dispatch_{scenario.name}.db"
        remove_sqlite(path)
        url = f"sqlite:///{path}"
    spec = Spec(
        users=scenario.users,
        contacts=scenario.nudges + scenario.background_contacts,
        interviews=scenario.background_contacts // 4,
        due_count=scenario.nudges,
        due_owners=scenario.users,
        users_due_count=0,
        unreachable_fraction=0.0,
        due_kinds={"follow_up": 1.0},
        timezones=(None,),  # UTC: Wednesday 12:00 is inside the default window
        seed=args.seed,
    )
    fake: FakeSlackProcess | None = None
    try:
        print(
            f"[{scenario.name}] seeding {args.backend}: {scenario.users:,} users × {scenario.per_user} due…",
            flush=True,
        )
        seeded = seed(url, spec)
        print(f"[{scenario.name}] {seeded.describe()}", flush=True)
        db = Database(url)
        print(f"[{scenario.name}] probing the per-DM queries with the backlog pending…", flush=True)
        outcome = Outcome(
            scenario=scenario.name, backend=args.backend, users=scenario.users, per_user=scenario.per_user,
            nudges=scenario.nudges, limits=scenario.describe_limits(), limits_raw=scenario.limits,
            seed_seconds=seeded.seconds, probe=probe(db, NOW),
        )  # fmt: skip
        print(
            f"[{scenario.name}] probe: {json.dumps({k: v for k, v in outcome.probe.items() if not k.endswith('plan')})}",
            flush=True,
        )
        fake = FakeSlackProcess(scenario.limits)
        config = Config(
            bot_token=TOKEN, signing_secret=None, app_token=None, database_url=url,
            slack_api_url=fake.api_url, port=0, sweep_seconds=60,
        )  # fmt: skip
        client = make_client(config)
        slack_time = [0.0]
        post = client.chat_postMessage

        def timed_post(**kwargs: Any) -> Any:  # bench-side instrumentation of this client instance only
            started = time.perf_counter()
            try:
                return post(**kwargs)
            finally:
                slack_time[0] += time.perf_counter() - started

        client.chat_postMessage = timed_post  # type: ignore[method-assign]
        sweeper = Sweeper(db, client)
        phase = {"plan": 0.0}
        plan = sweeper._plan

        def timed_plan(*a: Any, **k: Any) -> bool:
            started = time.perf_counter()
            try:
                return plan(*a, **k)
            finally:
                phase["plan"] += time.perf_counter() - started

        sweeper._plan = timed_plan  # type: ignore[method-assign]
        statements = [0]

        def count(*_: Any) -> None:
            statements[0] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        theoretical = scenario.theoretical_seconds()
        cap = args.cap or min(14 * 60, max(120.0, 2 * theoretical + 240))
        done = threading.Event()

        def watchdog() -> None:
            if not done.wait(cap):
                print(f"[{scenario.name}] CAP of {cap:.0f} s reached: stopping", flush=True)
                if fake is not None:
                    fake.stop()
                os._exit(3)

        threading.Thread(target=watchdog, daemon=True).start()
        print(f"[{scenario.name}] sweeping (limits: {scenario.describe_limits()}; theoretical minimum "
              f"{theoretical:,.0f} s; cap {cap:,.0f} s)…", flush=True)  # fmt: skip
        outcome.app_commit, outcome.load_before = app_version(), load_average()
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started_mono = time.monotonic()
        started = time.perf_counter()
        report = sweeper.run(NOW)
        outcome.total_seconds = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
            write_profile(profiler, args.out.parent / f"dispatch_profile_{args.backend}_{scenario.name}.txt")
        outcome.load_after = load_average()
        done.set()
        event.remove(db.engine, "before_cursor_execute", count)
        outcome.plan_seconds = phase["plan"]
        outcome.deliver_seconds = outcome.total_seconds - outcome.plan_seconds
        outcome.slack_seconds = slack_time[0]
        outcome.statements = statements[0]
        outcome.report = report.summary()
        outcome.dms, outcome.items = report.dms, report.items
        outcome.theoretical_seconds = theoretical
        summary = fake.summary()
        analyse(outcome, summary, started_mono)
        check(outcome, db, summary)
        db.dispose()
        print(f"[{scenario.name}] {outcome.report}", flush=True)
        print(f"[{scenario.name}] total {outcome.total_seconds:,.1f} s (send window {outcome.send_window_seconds:,.1f} s, "
              f"theoretical {theoretical:,.1f} s); 429s {outcome.status_429:,}; checks {outcome.checks}", flush=True)  # fmt: skip
        return outcome
    finally:
        if fake is not None:
            fake.stop()
        if not args.keep:
            if args.backend == "postgresql":
                pg_drop_schema(args.pg_url, schema)
            else:
                remove_sqlite(workdir / f"dispatch_{scenario.name}.db")


def write_profile(profiler: Any, path: Path) -> None:
    """Where the sweep's time went (cProfile, by cumulative time, then by own time): app frames first."""
    import io
    import pstats

    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    buffer.write("# cumulative, app code (bot/, storage/)\n")
    stats.sort_stats("cumulative").print_stats(r"/(bot|storage)/", 40)
    buffer.write("\n# cumulative, everything\n")
    stats.sort_stats("cumulative").print_stats(45)
    buffer.write("\n# own time\n")
    stats.sort_stats("tottime").print_stats(30)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue())
    print(f"profile written to {path}", flush=True)


def analyse(outcome: Outcome, summary: dict[str, Any], started_mono: float) -> None:
    posts = [c for c in summary["calls"] if c["method"] == "chat.postMessage"]
    outcome.post_calls = len(posts)
    limited = [c for c in posts if c["status"] == 429]
    outcome.status_429 = len(limited)
    per_dm = Counter(c["claim"] for c in limited)
    outcome.max_429_per_dm = max(per_dm.values(), default=0)
    outcome.dms_with_429 = len(per_dm)
    accepted = [c for c in posts if c["status"] == 200 and c.get("ok")]
    outcome.other_errors = len([c for c in posts if c["status"] == 200 and not c.get("ok")])
    if accepted:
        outcome.first_message_after = accepted[0]["at"] - started_mono
        outcome.send_window_seconds = accepted[-1]["at"] - accepted[0]["at"]
    outcome.checks["internal_errors"] = len(summary["internal_errors"])
    outcome.checks["other_methods"] = dict(
        Counter(c["method"] for c in summary["calls"] if c["method"] != "chat.postMessage")
    )


def check(outcome: Outcome, db: Database, summary: dict[str, Any]) -> None:
    """Every nudge sent exactly once: in the table (status, channel/ts) and in the fake's messages."""
    with db.session() as session:
        statuses = dict(session.execute(select(Nudge.status, func.count()).group_by(Nudge.status)).all())
        rows = session.execute(
            select(Nudge.id, Nudge.channel, Nudge.message_ts, Nudge.delivery_attempts).where(
                Nudge.status == "sent", Nudge.created_at == NOW
            )
        ).all()
    outcome.statuses = {k: int(v) for k, v in statuses.items()}
    seen: Counter[int] = Counter()
    where: dict[int, tuple[str, str]] = {}
    for message in summary["messages"]:
        for nudge_id in message["nudges"]:
            seen[nudge_id] += 1
            where[nudge_id] = (message["channel"], message["ts"])
    sent_now = {r.id: (r.channel, r.message_ts) for r in rows}
    duplicates = [n for n, k in seen.items() if k > 1]
    missing = [n for n in sent_now if n not in seen]
    mismatched = [n for n, place in sent_now.items() if n in where and where[n] != place]
    not_recorded = [n for n in seen if n not in sent_now]
    attempts = Counter(r.delivery_attempts for r in rows)
    outcome.checks.update(
        {
            "sent_this_sweep": len(sent_now),
            "expected": outcome.nudges,
            "messages": len(summary["messages"]),
            "nudges_in_messages": sum(seen.values()),
            "duplicated_in_messages": len(duplicates),
            "sent_but_not_in_a_message": len(missing),
            "in_a_message_but_not_sent": len(not_recorded),
            "channel_ts_mismatch": len(mismatched),
            "delivery_attempts": dict(attempts),
            "all_sent_once": len(sent_now) == outcome.nudges
            and sum(seen.values()) == outcome.nudges
            and not duplicates
            and not missing
            and not mismatched
            and not not_recorded
            and len(summary["messages"]) == outcome.dms,
        }
    )


# Report -------------------------------------------------------------------------------------------


def render(outcomes: list[Outcome], started: datetime) -> str:
    lines = [
        "# Dispatch benchmark",
        "",
        f"Run {started:%Y-%m-%d %H:%M %Z} on {os.cpu_count()} CPUs. `Sweeper(db, make_client(config)).run(now)` "
        "against `bot.fakeslack.FakeSlack` (own process, 127.0.0.1) with `enforce_rate_limits(...)`; the client "
        "is the app's (RateLimitErrorRetryHandler(max_retry_count=3): sleeps Retry-After + 0–1 s on a 429). "
        "Theoretical minimum = (DMs − workspace burst) / workspace rate, the time between the first and the last "
        "message that the buckets allow (one DM per user per sweep: the per-channel bucket never binds).",
        "",
        "| backend | scenario | DMs × nudges | limits | total s | plan s | first msg after s | send window s "
        "| theoretical min s | window / min | in Slack calls s | chat.postMessage calls | 429s | DMs with a 429 "
        "| max 429s per DM | SQL per DM | sent once? | app commit | load avg before → after |",
        "|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|---|",
    ]
    for o in outcomes:
        ratio = f"{o.send_window_seconds / o.theoretical_seconds:.2f}×" if o.theoretical_seconds else "–"
        per_dm = o.statements / o.dms if o.dms else 0
        verdict = "✔" if o.ok else ("CAPPED" if o.capped else "✘")
        lines.append(
            f"| {o.backend} | {o.scenario} | {o.dms:,} DMs × {o.items:,} nudges | {o.limits} | **{o.total_seconds:,.1f}** "
            f"| {o.plan_seconds:,.1f} | {o.first_message_after:,.1f} | {o.send_window_seconds:,.1f} "
            f"| {o.theoretical_seconds:,.1f} | {ratio} | {o.slack_seconds:,.1f} | {o.post_calls:,} | **{o.status_429:,}** "
            f"| {o.dms_with_429:,} | {o.max_429_per_dm} | {per_dm:,.1f} | {verdict} | {o.app_commit} "
            f"| {o.load_before} → {o.load_after} |"
        )
    lines += ["", "Sweep reports and checks:", ""]
    for o in outcomes:
        c = o.checks
        lines.append(
            f"* {o.backend} / {o.scenario}: {o.report}. Nudges by status: {o.statuses}. Sent in this sweep "
            f"{c.get('sent_this_sweep', 0):,} of {c.get('expected', 0):,}; fake's messages {c.get('messages', 0):,} "
            f"carrying {c.get('nudges_in_messages', 0):,} nudges; duplicated {c.get('duplicated_in_messages')}, "
            f"sent but in no message {c.get('sent_but_not_in_a_message')}, in a message but not marked sent "
            f"{c.get('in_a_message_but_not_sent')}, channel/ts mismatch {c.get('channel_ts_mismatch')}; "
            f"delivery_attempts {c.get('delivery_attempts')}; other calls {c.get('other_methods')}; "
            f"fake internal errors {c.get('internal_errors')}."
        )
    lines += ["", "## Per-DM query costs with the whole backlog pending (median ms per call)", "",
              "| backend | scenario | app commit | pending nudges | due_nudges_of, as the app runs it "
              "| + a bench-made (user_id, status, due_at) index | referral_counts, as the app runs it "
              "| the same count without an alias | aliased(Contact) alone |",
              "|---|---|---|--:|--:|--:|--:|--:|--:|"]  # fmt: skip
    for o in outcomes:
        p = o.probe
        lines.append(
            f"| {o.backend} | {o.scenario} | {o.app_commit} | {p.get('pending', 0):,} | {p.get('due_nudges_of_ms', 0):.2f} "
            f"| {p.get('due_nudges_of_indexed_ms', 0):.2f} | {p.get('referral_counts_ms', 0):.2f} "
            f"| {p.get('referral_counts_plain_ms', 0):.2f} | {p.get('aliased_contact_ms', 0):.2f} |"
        )
    seen_backends = set()
    for o in outcomes:
        if (o.backend, o.app_commit) in seen_backends or not o.probe.get("due_nudges_of_plan"):
            continue
        seen_backends.add((o.backend, o.app_commit))
        lines += ["", f"`due_nudges_of` plan on {o.backend} ({o.probe.get('pending', 0):,} pending), as the app runs it "
                  f"(commit {o.app_commit}):", "",
                  "```", *o.probe["due_nudges_of_plan"], "```", "", "with a bench-made (user_id, status, due_at) index added:", "",
                  "```", *o.probe["due_nudges_of_indexed_plan"], "```"]  # fmt: skip
    return "\n".join(lines) + "\n"


def load(path: Path) -> list[Outcome]:
    if not path.exists():
        return []
    return [Outcome(**item) for item in json.loads(path.read_text())]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenarios", default="scaled,grouped,full", help=f"some of: {', '.join(SCENARIOS)}")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--background-contacts", type=int, default=20_000)
    parser.add_argument("--cap", type=float, help="seconds a sweep may take before the run is stopped")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "dispatch.md")
    parser.add_argument("--merge", action="store_true", help="add to the results in --out's .json")
    parser.add_argument("--profile", action="store_true",
                        help="run the sweep under cProfile (slower: don't compare its times) and write "
                             "results/dispatch_profile_<backend>_<scenario>.txt")  # fmt: skip
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="infoint-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        return run_all(args, workdir)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def run_all(args: argparse.Namespace, workdir: Path) -> int:
    json_path = args.out.with_suffix(".json")
    outcomes = load(json_path) if args.merge else []
    started = datetime.now().astimezone()
    report = ""
    for name in [n.strip() for n in args.scenarios.split(",") if n.strip()]:
        scenario = SCENARIOS[name]
        scenario.background_contacts = args.background_contacts
        outcome = run_scenario(scenario, args, workdir)
        if args.profile:  # not comparable with unprofiled runs: kept apart
            outcome.scenario += " (profiled)"
        outcomes = [o for o in outcomes if (o.backend, o.scenario) != (outcome.backend, outcome.scenario)] + [
            outcome
        ]
        order = list(SCENARIOS)
        outcomes.sort(
            key=lambda o: (o.backend != "sqlite", order.index(o.scenario) if o.scenario in order else 99)
        )
        report = render(outcomes, started)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report)
        json_path.write_text(json.dumps([asdict(o) for o in outcomes], indent=1, default=str))
    print()
    print(report)
    print(f"written to {args.out} (and {json_path.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
