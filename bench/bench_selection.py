#!/usr/bin/env python
"""Selection benchmark: how long the sweep takes to find what is due, on SQLite and PostgreSQL.

For each backend and size (1× = 10,000 users, 200,000 contacts, 50,000 interviews; 10× = ten times
that), with the same number of due rows at every size (2,000 due contacts = 1 % of 1×, 100 due
users), it measures:

* ``plan``: ``Sweeper(db, None)._plan(session, now, report)`` inside a transaction that is rolled
  back — the selection queries (``SweepStore.contacts_to_check`` + ``users_to_check`` and what they
  load), the nudge rules over the due rows, the ``next_check_at`` updates and the nudge-log insert;
  median of ``--runs`` runs (wall time), with the number of SQL statements and the time spent
  executing them;
* ``contacts_to_check`` / ``users_to_check`` alone (first batch of 500), median of ``--runs``;
* ``dry run``: ``Sweeper(db, None).run(now, dry_run=True)`` (plan + the per-user preview of what would
  be sent), median of 3;
* the query plans of every distinct SELECT the plan step issues (PostgreSQL: ``EXPLAIN (ANALYZE,
  BUFFERS)``; SQLite: ``EXPLAIN QUERY PLAN``) and whether each uses an index, plus the plans of the
  delivery queries (run after planning, with the nudges logged), for reference;
* optionally (``--scaling``) the plan time at later instants, when more rows are due, to show the
  time follows the number of due rows.

Results: printed, and written to ``bench/results/selection.md`` (and ``selection.json``).

    python bench/bench_selection.py                        # both backends, 1× and 10×
    python bench/bench_selection.py --backends sqlite --sizes 1 --runs 3
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
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
    due_counts,
    load_average,
    pg_create_schema,
    pg_drop_schema,
    pg_schema_url,
    remove_sqlite,
    seed,
)
from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bot.sweep import Sweeper, SweepReport  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.repository import SweepStore  # noqa: E402

RESULTS = BENCH / "results"
BASE = {"users": 10_000, "contacts": 200_000, "interviews": 50_000}
DUE_CONTACTS = 2_000  # 1 % of 1×, kept at every size
DUE_USERS = 100


# Capturing and explaining SQL ---------------------------------------------------------------------


@dataclass
class Executed:
    statement: str
    parameters: Any
    many: bool
    seconds: float


class Capture:
    """Every statement the engine sends while active, with its parameters and execution time."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.items: list[Executed] = []
        self.recording = False

    def _before(
        self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        conn.info["bench_t0"] = time.perf_counter()

    def _after(
        self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if self.recording:
            started = conn.info.pop("bench_t0", time.perf_counter())
            self.items.append(Executed(statement, parameters, many, time.perf_counter() - started))

    def __enter__(self) -> Capture:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        self.recording = True
        return self

    def __exit__(self, *exc: Any) -> None:
        self.recording = False
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    @property
    def sql_seconds(self) -> float:
        return sum(item.seconds for item in self.items)


_PARAM = r"(?:\?|%\(\w+\)s|\$\d+|:\w+)(?:::\w+(?: \w+)*)?"
_IN_LIST = re.compile(rf"\(\s*{_PARAM}(?:\s*,\s*{_PARAM})*\s*\)")
_VALUES_LIST = re.compile(r"(\(…\)(?:\s*,\s*\(…\))+)")


def normalise_sql(statement: str) -> str:
    text = re.sub(r"\s+", " ", statement).strip()
    text = _IN_LIST.sub("(…)", text)
    return _VALUES_LIST.sub("(…), …", text)


LABELS: list[tuple[str, str]] = [
    (
        r"SELECT contacts\.id FROM contacts WHERE contacts\.next_check_at <=",
        "contacts_to_check: ids of due contacts",
    ),
    (r"FROM contacts WHERE contacts\.id IN", "contacts_to_check / contacts_by_id: the contacts"),
    (r"FROM outreach_attempts WHERE outreach_attempts\.contact_id IN", "selectinload: their attempts"),
    (r"FROM interviews WHERE interviews\.contact_id IN", "selectinload: their interviews"),
    (r"FROM users WHERE users\.next_check_at <=", "users_to_check"),
    (r"FROM users WHERE users\.id IN", "users_by_id: the owners"),
    (r"introducer_contact_id IN", "referral_counts"),
    (r"^INSERT INTO nudges", "log_nudges (INSERT … ON CONFLICT DO NOTHING)"),
    (r"^UPDATE contacts SET next_check_at", "contacts.next_check_at updates"),
    (r"^UPDATE users SET next_check_at", "users.next_check_at updates"),
    (r"SELECT nudges\.user_id FROM nudges", "users_with_due_nudges"),
    (r"FROM nudges WHERE nudges\.user_id = ", "due_nudges_of(user)"),
    (r"FROM users WHERE users\.id = ", "session.get(User)"),
    (r"SELECT contacts\.name FROM contacts WHERE contacts\.id = ", "_describe: contact name"),
    (r"SELECT contacts\.id FROM contacts WHERE contacts\.team_id = ", "_has_contacts"),
    (r"FROM nudges WHERE nudges\.status = .* claimed_until", "expired_claims"),
]


def label_of(normalised: str) -> str:
    for pattern, label in LABELS:
        if re.search(pattern, normalised):
            return label
    return normalised[:70] + ("…" if len(normalised) > 70 else "")


@dataclass
class QueryPlan:
    label: str
    sql: str
    count: int
    seconds: float
    plan: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    full_scans: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    execution_ms: float | None = None
    rows_removed_by_filter: int = 0
    rows: int | None = None

    @property
    def verdict(self) -> str:
        if self.full_scans:
            return "FULL SCAN: " + ", ".join(self.full_scans)
        if self.indexes:
            return "index: " + ", ".join(dict.fromkeys(self.indexes))
        return "no table access"


def group_statements(items: list[Executed]) -> list[tuple[str, list[Executed]]]:
    groups: dict[str, list[Executed]] = {}
    for item in items:
        groups.setdefault(normalise_sql(item.statement), []).append(item)
    return list(groups.items())


def explain(session: Session, dialect: str, normalised: str, items: list[Executed]) -> QueryPlan:
    first = items[0]
    result = QueryPlan(
        label=label_of(normalised), sql=normalised, count=len(items), seconds=sum(i.seconds for i in items)
    )
    if not normalised.upper().startswith("SELECT"):
        result.notes.append("not a SELECT: not explained")
        return result
    params = first.parameters[0] if first.many else first.parameters
    conn = session.connection()
    if dialect == "postgresql":
        lines = [
            row[0] for row in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + first.statement, params)
        ]
        result.plan = lines
        for line in lines:
            if m := re.search(r"Seq Scan on (\w+)", line):
                result.full_scans.append(m.group(1))
            if m := re.search(
                r"(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)", line
            ):
                result.indexes.append(m.group(2))
            if m := re.search(r"Rows Removed by Filter: (\d+)", line):
                result.rows_removed_by_filter += int(m.group(1))
            if m := re.search(r"Execution Time: ([\d.]+) ms", line):
                result.execution_ms = float(m.group(1))
        if lines and (m := re.search(r"actual time=[\d.]+\.\.[\d.]+ rows=(\d+)", lines[0])):
            result.rows = int(m.group(1))
    else:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + first.statement, params).all()
        depth: dict[int, int] = {0: -1}
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            result.plan.append("  " * depth[node] + detail)
            if m := re.match(
                r"SEARCH (\w+) USING (?:COVERING )?(?:INDEX (\w+)|(INTEGER PRIMARY KEY))", detail
            ):
                result.indexes.append(m.group(2) or f"{m.group(1)} rowid")
            elif m := re.match(r"SCAN (\w+) USING (?:COVERING )?INDEX (\w+)", detail):
                result.full_scans.append(f"{m.group(1)} (whole index {m.group(2)})")
            elif m := re.match(r"SCAN (\w+)$", detail):
                result.full_scans.append(m.group(1))
            if "TEMP B-TREE" in detail:
                result.notes.append(detail)
    return result


class Phases:
    """Wall time spent in the sweep's building blocks during a block (patched while active, restored
    after; time inside nested patched calls goes to the outermost one). ``log_nudges`` arguments are
    kept, for the insert experiment."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.logged_rows: list[list[dict[str, Any]]] = []
        self._depth = 0
        self._saved: list[tuple[Any, str, Any]] = []

    def _wrap(self, owner: Any, name: str) -> None:
        original = getattr(owner, name)
        phases = self

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if name == "log_nudges":
                phases.logged_rows.append(list(args[-1]))
            if phases._depth:
                return original(*args, **kwargs)
            phases._depth += 1
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases._depth -= 1
                phases.seconds[name] = phases.seconds.get(name, 0.0) + time.perf_counter() - started
                phases.calls[name] = phases.calls.get(name, 0) + 1

        self._saved.append((owner, name, original))
        setattr(owner, name, wrapper)

    def __enter__(self) -> Phases:
        import bot.sweep.plan as sweep_module
        from bot.domain import nudges as rules_module

        for name in ("contacts_to_check", "users_to_check", "users_by_id", "referral_counts", "log_nudges"):
            self._wrap(SweepStore, name)
        self._wrap(Session, "flush")
        self._wrap(sweep_module, "contact_facts")
        self._wrap(sweep_module, "nudge_settings")
        self._wrap(rules_module, "plan_contact")
        self._wrap(rules_module, "plan_weekly")
        return self

    def __exit__(self, *exc: Any) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved.clear()


@contextmanager
def rolled_back(db: Database) -> Iterator[Session]:
    with db.sessions() as session:
        session.begin()
        try:
            yield session
        finally:
            session.rollback()


# Measurements -------------------------------------------------------------------------------------


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


@dataclass
class PlanRun:
    seconds: float
    sql_seconds: float
    statements: int
    planned: int
    phases: Phases


def run_plan(db: Database, now: datetime) -> PlanRun:
    with rolled_back(db) as session, Capture(db.engine) as capture, Phases() as phases:
        report = SweepReport(at=now)
        seconds, _ = timed(lambda: Sweeper(db, None)._plan(session, now, report))
    return PlanRun(seconds, capture.sql_seconds, len(capture.items), report.planned, phases)


def insert_experiment(db: Database, rows_batches: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """The nudge-log insert as the app does it (one multi-row VALUES statement per batch, compiled
    anew each time) against an executemany with RETURNING (compiled once, cached, batched by
    SQLAlchemy's insertmanyvalues), on the same rows, each in a rolled-back transaction."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from storage.models import Nudge

    make = pg_insert if db.dialect == "postgresql" else sqlite_insert
    out: dict[str, Any] = {"batches": len(rows_batches), "rows": sum(len(b) for b in rows_batches)}
    with rolled_back(db) as session:
        store = SweepStore(session)
        started = time.perf_counter()
        counted = sum(store.log_nudges(rows) for rows in rows_batches)
        out["app_ms"] = (time.perf_counter() - started) * 1000
        out["app_reported_inserted"] = counted
    with rolled_back(db) as session:
        statement = (
            make(Nudge)
            .on_conflict_do_nothing(index_elements=["team_id", "user_id", "key"])
            .returning(Nudge.id)
        )
        started = time.perf_counter()
        inserted = sum(len(session.execute(statement, rows).all()) for rows in rows_batches if rows)
        out["orm_executemany_returning_ms"] = (time.perf_counter() - started) * 1000
        out["orm_executemany_inserted"] = inserted
    with rolled_back(db) as session:
        table = Nudge.__table__
        core = (
            make(table)
            .on_conflict_do_nothing(index_elements=["team_id", "user_id", "key"])
            .returning(table.c.id)
        )
        started = time.perf_counter()
        inserted = sum(len(session.connection().execute(core, rows).all()) for rows in rows_batches if rows)
        out["core_executemany_returning_ms"] = (time.perf_counter() - started) * 1000
        out["core_executemany_inserted"] = inserted
    return out


def run_query(db: Database, now: datetime, which: str) -> tuple[float, int]:
    with rolled_back(db) as session:
        store = SweepStore(session)
        query = store.contacts_to_check if which == "contacts" else store.users_to_check
        seconds, rows = timed(lambda: query(now, 500))
    return seconds, len(rows)


def run_dry(db: Database, now: datetime) -> tuple[float, SweepReport]:
    return timed(lambda: Sweeper(db, None).run(now, dry_run=True))


def explain_all(db: Database, now: datetime) -> tuple[list[QueryPlan], list[QueryPlan]]:
    """Plans of the plan step's statements (fresh state) and of the delivery queries (after planning)."""
    with rolled_back(db) as session, Capture(db.engine) as capture:
        Sweeper(db, None)._plan(session, now, SweepReport(at=now))
    with rolled_back(db) as session:
        plan_queries = [
            explain(session, db.dialect, sql, items) for sql, items in group_statements(capture.items)
        ]
    with rolled_back(db) as session:
        sweeper = Sweeper(db, None)
        report = SweepReport(at=now, dry_run=True)
        sweeper._plan(session, now, report)
        with Capture(db.engine) as preview:
            sweeper._preview(session, now, report)
        delivery = [
            explain(session, db.dialect, sql, items) for sql, items in group_statements(preview.items)
        ]
    return plan_queries, delivery


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


@dataclass
class Result:
    backend: str
    size: str
    rows: dict[str, int]
    due_contacts: int
    due_users: int
    unreachable_users: int
    seed_seconds: float
    plan_ms: list[float]
    plan_sql_ms: list[float]
    select_ms: list[float]
    plan_statements: int
    planned_nudges: int
    contacts_query_ms: list[float]
    users_query_ms: list[float]
    dry_run_ms: list[float]
    dry_run_dms: int
    dry_run_items: int
    plan_queries: list[QueryPlan]
    delivery_queries: list[QueryPlan]
    phases_ms: dict[str, float] = field(default_factory=dict)
    phases_total_ms: float = 0.0
    insert_experiment: dict[str, Any] = field(default_factory=dict)
    scaling: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    app_commit: str = ""
    load_before: str = ""
    load_after: str = ""

    @property
    def plan_median_ms(self) -> float:
        return statistics.median(self.plan_ms)


SELECT_PHASES = ("contacts_to_check", "users_to_check")


def measure(db: Database, args: argparse.Namespace, now: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    plan_runs = [run_plan(db, now) for _ in range(args.runs)]
    out["plan_ms"] = [r.seconds * 1000 for r in plan_runs]
    out["plan_sql_ms"] = [r.sql_seconds * 1000 for r in plan_runs]
    out["select_ms"] = [sum(r.phases.seconds.get(p, 0.0) for p in SELECT_PHASES) * 1000 for r in plan_runs]
    out["plan_statements"] = plan_runs[0].statements
    out["planned_nudges"] = plan_runs[0].planned
    names = list(dict.fromkeys(n for r in plan_runs for n in r.phases.seconds))
    out["phases_ms"] = {
        n: statistics.median(r.phases.seconds.get(n, 0.0) for r in plan_runs) * 1000 for n in names
    }
    out["phases_ms"]["other (ORM bookkeeping, Python)"] = (
        statistics.median(r.seconds - sum(r.phases.seconds.values()) for r in plan_runs) * 1000
    )
    out["phases_total_ms"] = statistics.median(out["plan_ms"])
    out["insert_experiment"] = insert_experiment(db, plan_runs[0].phases.logged_rows)
    out["contacts_query_ms"] = [run_query(db, now, "contacts")[0] * 1000 for _ in range(args.runs)]
    out["users_query_ms"] = [run_query(db, now, "users")[0] * 1000 for _ in range(args.runs)]
    dry = [run_dry(db, now) for _ in range(args.dry_runs)]
    out["dry_run_ms"] = [seconds * 1000 for seconds, _ in dry]
    out["dry_run_dms"] = dry[0][1].dms if dry else 0
    out["dry_run_items"] = dry[0][1].items if dry else 0
    out["plan_queries"], out["delivery_queries"] = explain_all(db, now)
    if args.scaling:
        scaling = []
        for hours in args.scaling_hours:
            at = now + timedelta(hours=hours)
            due = due_counts(db.url, at)
            run = run_plan(db, at)
            select = sum(run.phases.seconds.get(p, 0.0) for p in SELECT_PHASES) * 1000
            scaling.append(
                {"now_plus_hours": hours, "due_contacts": due["contacts"], "due_users": due["users"],
                 "plan_ms": run.seconds * 1000, "select_ms": select, "statements": run.statements,
                 "planned": run.planned}
            )  # fmt: skip
        out["scaling"] = scaling
    return out


def spec_for(size: float, backend: str, args: argparse.Namespace) -> tuple[Spec, str]:
    note = ""
    users, interviews = round(BASE["users"] * size), round(BASE["interviews"] * size)
    if size > 1 and backend == "sqlite" and args.sqlite_big == "contacts":
        users, interviews = BASE["users"], BASE["interviews"]
        note = f"SQLite {size:g}×: {size:g}× contacts only (users and interviews at 1×), same due rows"
    spec = Spec(
        users=users,
        contacts=round(BASE["contacts"] * size),
        interviews=interviews,
        due_count=DUE_CONTACTS,
        users_due_count=DUE_USERS,
        unreachable_fraction=0.01,
        seed=args.seed,
    )
    return spec, note


def bench_one(backend: str, size: float, args: argparse.Namespace, workdir: Path) -> Result:
    spec, note = spec_for(size, backend, args)
    size_name = f"{size:g}".replace(".", "_")
    schema = f"bench_{size_name}x"
    if backend == "postgresql":
        url = pg_schema_url(args.pg_url, schema)
        reuse = args.reuse and _pg_has_contacts(url)
        if not reuse:
            url = pg_create_schema(args.pg_url, schema)
    else:
        path = workdir / f"selection_{size_name}x.db"
        url = f"sqlite:///{path}"
        reuse = args.reuse and path.exists()
        if not reuse:
            remove_sqlite(path)
    try:
        if reuse:
            print(f"[{backend} {size:g}×] reusing {url}", flush=True)
            db = Database(url)
            with db.engine.connect() as conn:
                rows = {t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() or 0)
                        for t in ("users", "contacts", "outreach_attempts", "interviews", "nudges")}  # fmt: skip
            seed_seconds = float("nan")
        else:
            print(f"[{backend} {size:g}×] seeding {spec.users:,} users, {spec.contacts:,} contacts, "
                  f"{spec.interviews:,} interviews…", flush=True)  # fmt: skip
            seeded = seed(url, spec)
            print(f"[{backend} {size:g}×] {seeded.describe()}", flush=True)
            rows, seed_seconds = seeded.rows, seeded.seconds
            db = Database(url)
        due = due_counts(url, args.now)
        print(f"[{backend} {size:g}×] due as of {args.now.isoformat()}: {due}", flush=True)
        commit, load_before = app_version(), load_average()
        try:
            measured = measure(db, args, args.now)
        finally:
            db.dispose()
        measured.update(app_commit=commit, load_before=load_before, load_after=load_average())
        result = Result(
            backend=backend, size=f"{size:g}×", rows=rows, due_contacts=due["contacts"], due_users=due["users"],
            unreachable_users=round(spec.users * spec.unreachable_fraction), seed_seconds=seed_seconds,
            note=note, **measured,
        )  # fmt: skip
        print(f"[{backend} {size:g}×] plan median {result.plan_median_ms:.0f} ms "
              f"({result.plan_statements} statements), dry run median {median_ms([x / 1000 for x in result.dry_run_ms]):.0f} ms",
              flush=True)  # fmt: skip
        return result
    finally:
        if not args.keep:
            if backend == "postgresql":
                pg_drop_schema(args.pg_url, schema)
            else:
                remove_sqlite(workdir / f"selection_{size_name}x.db")


def _pg_has_contacts(url: str) -> bool:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return bool(conn.exec_driver_sql("SELECT count(*) FROM contacts").scalar())
    except Exception:
        return False
    finally:
        db.dispose()


# Report -------------------------------------------------------------------------------------------


def fmt_ms(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f}"


def main_queries_verdict(result: Result) -> str:
    wanted = ("contacts_to_check: ids of due contacts", "users_to_check")
    parts = []
    for q in result.plan_queries:
        if q.label in wanted:
            parts.append(f"{q.label.split(':')[0]}: {q.verdict}")
    scans = [q for q in result.plan_queries if q.full_scans]
    parts.append(
        "other plan SELECTs: "
        + ("all use indexes" if not scans else "; ".join(f"{q.label}: {q.verdict}" for q in scans))
    )
    return "<br>".join(parts)


def render(results: list[Result], args: argparse.Namespace, started: datetime) -> str:
    lines = [
        "# Selection benchmark",
        "",
        f"Run {started:%Y-%m-%d %H:%M %Z} on {_machine()}; `now` = {args.now.isoformat()} (a Wednesday); "
        f"{args.runs} runs per measurement, median shown (ms) unless said otherwise.",
        "",
        "* **select**: `SweepStore.contacts_to_check` + `users_to_check`, every batch of 500 (the due ids through "
        "the `next_check_at` indexes, then the rows with their attempts and interviews) — finding what is due;",
        "* **plan**: `Sweeper(db, None)._plan(session, now, report)` in a rolled-back transaction — select, plus "
        "the owners, referral counts, the nudge rules, the `next_check_at` updates and the nudge-log insert;",
        "* **first batch**: one `contacts_to_check(now, 500)` / `users_to_check(now, 500)` call;",
        "* **dry run**: `Sweeper.run(now, dry_run=True)` — plan + the per-user preview of what would be sent.",
        "",
        "| backend | size | users | contacts | attempts | interviews | nudge log | due contacts | due users "
        "| seed s | **select ms** | **plan ms** | plan min–max | plan SQL exec ms | statements | new nudges "
        "| first batch contacts / users ms | dry run ms | would DM | app commit | load avg before → after |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.backend} | {r.size} | {r.rows.get('users', 0):,} | {r.rows.get('contacts', 0):,} "
            f"| {r.rows.get('outreach_attempts', 0):,} | {r.rows.get('interviews', 0):,} | {r.rows.get('nudges', 0):,} "
            f"| {r.due_contacts:,} | {r.due_users:,} | {r.seed_seconds:,.0f} | **{fmt_ms(r.select_ms)}** "
            f"| **{fmt_ms(r.plan_ms)}** | {min(r.plan_ms):,.0f}–{max(r.plan_ms):,.0f} | {fmt_ms(r.plan_sql_ms)} "
            f"| {r.plan_statements} | {r.planned_nudges:,} | {statistics.median(r.contacts_query_ms):,.1f} / "
            f"{statistics.median(r.users_query_ms):,.1f} | {fmt_ms(r.dry_run_ms) if r.dry_run_ms else '–'} "
            f"| {r.dry_run_dms:,} DMs / {r.dry_run_items:,} nudges | {r.app_commit} | {r.load_before} → {r.load_after} |"
        )
    notes = [r.note for r in results if r.note]
    if notes:
        lines += ["", *(f"Note: {n}." for n in dict.fromkeys(notes))]
    lines += ["", "## Index use of the selection queries", ""]
    lines += ["| backend | size | verdict |", "|---|---|---|"]
    for r in results:
        lines.append(f"| {r.backend} | {r.size} | {main_queries_verdict(r)} |")
    lines += ["", "## Where the plan step's time goes (median, ms)", ""]
    names = list(dict.fromkeys(name for r in results for name in r.phases_ms))
    lines += ["| backend | size | plan | " + " | ".join(names) + " |", "|---|---|--:|" + "--:|" * len(names)]
    for r in results:
        cells = " | ".join(f"{r.phases_ms.get(n, 0):,.0f}" for n in names)
        lines.append(f"| {r.backend} | {r.size} | {r.phases_total_ms:,.0f} | {cells} |")
    lines += ["", "(`flush` = the `next_check_at` UPDATEs; time inside a nested measured call counts for the outer one.)",
              "", "### The nudge-log insert, three ways (same rows, each rolled back)", "",
              "App: `insert(Nudge).values(rows).on_conflict_do_nothing(...)` — one multi-row VALUES statement per batch, "
              "compiled anew every time (not cacheable), `rowcount` for the count. ORM / Core executemany: "
              "`session.execute(insert(Nudge).on_conflict_do_nothing(...).returning(Nudge.id), rows)` / the same on "
              "`Nudge.__table__` through `session.connection()` — compiled once, batched by SQLAlchemy's "
              "insertmanyvalues, counted from RETURNING.", "",
              "| backend | size | batches | rows | app ms | app's count | ORM executemany ms | Core executemany ms | inserted |",
              "|---|---|--:|--:|--:|--:|--:|--:|--:|"]  # fmt: skip
    for r in results:
        e = r.insert_experiment
        if e:
            lines.append(
                f"| {r.backend} | {r.size} | {e['batches']} | {e['rows']:,} | {e['app_ms']:,.0f} "
                f"| {e['app_reported_inserted']:,} | {e['orm_executemany_returning_ms']:,.0f} "
                f"| {e['core_executemany_returning_ms']:,.0f} | {e['core_executemany_inserted']:,} |"
            )
    if any(r.scaling for r in results):
        lines += ["", "## Time against the number of due rows (same database, later `now`: more is due)", ""]
        lines += ["| backend | size | now + h | due contacts | due users | new nudges | select ms | plan ms "
                  "| plan ms per 1,000 due |", "|---|---|--:|--:|--:|--:|--:|--:|--:|"]  # fmt: skip
        for r in results:
            base = {"now_plus_hours": 0, "due_contacts": r.due_contacts, "due_users": r.due_users,
                    "plan_ms": statistics.median(r.plan_ms), "select_ms": statistics.median(r.select_ms),
                    "planned": r.planned_nudges}  # fmt: skip
            for sc in [base, *r.scaling]:
                due = sc["due_contacts"] + sc["due_users"]
                per = sc["plan_ms"] / due * 1000 if due else 0
                lines.append(f"| {r.backend} | {r.size} | {sc['now_plus_hours']:g} | {sc['due_contacts']:,} "
                             f"| {sc['due_users']:,} | {sc['planned']:,} | {sc.get('select_ms', 0):,.0f} "
                             f"| {sc['plan_ms']:,.0f} | {per:,.0f} |")  # fmt: skip
    lines += ["", "## Query plans", ""]
    for r in results:
        lines += [f"### {r.backend} {r.size}", ""]
        lines += _plans_table(r.plan_queries, r.backend, "plan step (one run)")
        lines += _plans_table(
            r.delivery_queries, r.backend, "delivery queries (the dry-run preview, after planning)"
        )
        lines += ["<details><summary>plans</summary>", ""]
        for q in [*r.plan_queries, *r.delivery_queries]:
            if not q.plan:
                continue
            lines += [
                f"**{q.label}** (×{q.count})",
                "",
                "```sql",
                q.sql[:600],
                "```",
                "```",
                *q.plan,
                "```",
                "",
            ]
        lines += ["</details>", ""]
    return "\n".join(lines) + "\n"


def _plans_table(queries: list[QueryPlan], backend: str, title: str) -> list[str]:
    out = [f"{title}:", "", "| query | times run | total ms | index use | notes |", "|---|--:|--:|---|---|"]
    for q in queries:
        notes = list(q.notes)
        if backend == "postgresql" and q.execution_ms is not None:
            notes.insert(0, f"EXPLAIN ANALYZE {q.execution_ms:.2f} ms, rows {q.rows}")
            if q.rows_removed_by_filter:
                notes.append(f"rows removed by filter {q.rows_removed_by_filter:,}")
        out.append(f"| {q.label} | {q.count} | {q.seconds * 1000:,.1f} | {q.verdict} | {'; '.join(notes)} |")
    out.append("")
    return out


def _machine() -> str:
    import os
    import platform

    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def load_results(path: Path) -> list[Result]:
    if not path.exists():
        return []
    results = []
    for item in json.loads(path.read_text()):
        item["plan_queries"] = [QueryPlan(**q) for q in item["plan_queries"]]
        item["delivery_queries"] = [QueryPlan(**q) for q in item["delivery_queries"]]
        results.append(Result(**item))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--sizes", default="1,10", help="multiples of 1× (10,000 users, 200,000 contacts, 50,000 interviews)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--dry-runs", type=int, default=1, help="dry runs (plan + preview) to time (slow: ~2,000 DMs)"
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--workdir", type=Path, help="where the SQLite files go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the databases (schemas bench_<n>x / files)")
    parser.add_argument("--reuse", action="store_true", help="reuse databases kept by an earlier --keep run")
    parser.add_argument("--sqlite-big", choices=("full", "contacts"), default="full",
                        help="SQLite above 1×: everything scaled (full) or only the contacts (if seeding is too slow)")  # fmt: skip
    parser.add_argument("--no-scaling", dest="scaling", action="store_false",
                        help="skip timing the plan at later instants (when more is due)")  # fmt: skip
    parser.add_argument("--scaling-hours", default="6,24", help="hours after now for the scaling runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "selection.md")
    parser.add_argument("--merge", action="store_true",
                        help="add to the results already in --out's .json (same backend and size replaced)")  # fmt: skip
    args = parser.parse_args()
    args.now = NOW
    args.scaling_hours = [float(h) for h in args.scaling_hours.split(",") if h]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="infoint-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        return run_all(args, workdir)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def run_all(args: argparse.Namespace, workdir: Path) -> int:
    started_at = datetime.now().astimezone()
    json_path = args.out.with_suffix(".json")
    results: list[Result] = load_results(json_path) if args.merge else []
    report = ""
    for size in [float(s) for s in args.sizes.split(",")]:
        for backend in args.backends.split(","):
            result = bench_one(backend.strip(), size, args, workdir)
            results = [r for r in results if (r.backend, r.size) != (result.backend, result.size)] + [result]
            results.sort(key=lambda r: (float(r.size.rstrip("×")), r.backend != "sqlite"))
            report = render(results, args, started_at)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(report)
            json_path.write_text(json.dumps([asdict(r) for r in results], indent=1, default=str))
    print()
    print(report)
    print(f"written to {args.out} (and {json_path.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
