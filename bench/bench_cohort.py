#!/usr/bin/env python
"""Cohort benchmark: how long a 500-student cohort's report, weekly digest (with its chart) and export
take to build, and how much memory they need.

On a database seeded by ``seed_cohort.py`` (PostgreSQL by default; optionally on top of ``seed.py``'s
1× data, ``--background``), each step runs ``--runs`` times in a transaction that is rolled back,
and the median is kept:

* **report**: ``CohortStore.members`` + ``activity_of`` (7 queries) + ``report_rows`` (flags, order)
  + the first page + the CSV file: what ``/infoint cohort report`` needs;
* **digest numbers**: members + activity + rows + ``weekly_counts`` for the chart's weeks and the
  one before (5 queries) + ``digest_numbers``;
* **digest** (what the weekly pass builds before posting): ``bot.queries.cohorts.digest_content``
  (the numbers above, the celebrated placements, who met the targets, who needs attention) + the
  channel's message, its thread and the mentors' attention DM as Block Kit + the chart rendered to
  PNG with matplotlib;
* **report page**: what ``/infoint cohort report`` answers: ``report_of`` + the first page's Block Kit;
* **Monday plan (1 student)**: the cohort lines of one student's weekly plan (their last week, their
  trend, the cohort's median), which the sweep builds for every student of the cohort: with the
  median computed (the plan before the week's digest), and taken from the posted digest;
* **export**: members + ``weekly_counts`` since the cohort opened + ``weekly_csv``;

each with its building blocks, the SQL statements sent and the time spent executing them; Python's
peak allocation (``tracemalloc``, one extra run) and the process's peak RSS; on PostgreSQL the plan
(``EXPLAIN (ANALYZE, BUFFERS)``) of every query, with any sequential scan named.

    python bench/bench_cohort.py                     # PostgreSQL, 500 students × ~40 contacts
    python bench/bench_cohort.py --background        # with seed.py's 1× data in other workspaces
    python bench/bench_cohort.py --url sqlite:////tmp/cohort.db
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for entry in (str(ROOT), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from bench_selection import Capture  # noqa: E402
from seed import (  # noqa: E402
    DEFAULT_PG_URL,
    Spec,
    app_version,
    load_average,
    pg_create_schema,
    pg_drop_schema,
    pg_schema_url,
    seed,
)
from seed_cohort import CohortSpec, seed_cohort  # noqa: E402

from bot.blocks.chart import digest_chart  # noqa: E402
from bot.blocks.cohort_digest import digest_message, digest_thread  # noqa: E402
from bot.blocks.cohort_dms import attention_message  # noqa: E402
from bot.blocks.cohorts import report_message  # noqa: E402
from bot.domain.cohort_digest import digest_numbers, digest_slots  # noqa: E402
from bot.domain.cohort_report import report_csv, report_rows  # noqa: E402
from bot.domain.cohort_weekly import weekly_csv, weeks_back, weeks_between  # noqa: E402
from bot.domain.paging import VIEW_BLOCKS, paginate, rows_per_page  # noqa: E402
from bot.domain.window import zone  # noqa: E402
from bot.queries.cohorts import digest_content, plan_cohorts, report_of  # noqa: E402
from storage.cohorts import CohortStore, schedule_of  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Cohort, CohortDigest  # noqa: E402
from storage.repository import Repository  # noqa: E402

RESULTS = BENCH / "results"
TARGETS = {"report": 1.0, "report page": 1.0, "digest": 2.0}
"""The issue's targets (s): the report under 1 s, the digest with its chart under 2 s."""


class Steps:
    """The steps, each a function of an open session, timed block by block."""

    def __init__(self, db: Database, team_id: str, cohort_id: int, now: Any) -> None:
        self.db, self.team_id, self.cohort_id, self.now = db, team_id, cohort_id, now
        self.blocks: dict[str, float] = {}

    def _time(self, name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        self.blocks[name] = self.blocks.get(name, 0.0) + time.perf_counter() - started
        return result

    def _open(self, session: Any) -> tuple[CohortStore, Cohort, Any]:
        store = CohortStore(session, self.team_id)
        cohort = store.get(self.cohort_id)
        assert cohort is not None
        return store, cohort, zone(cohort.digest_timezone)

    def report(self, session: Any) -> int:
        store, cohort, tz = self._open(session)
        members = self._time("members", lambda: store.members(cohort))
        activity = self._time("activity_of", lambda: store.activity_of(cohort, self.now, tz))
        rows = self._time("report_rows", lambda: report_rows(members, activity, self.now))
        size = rows_per_page(VIEW_BLOCKS, reserved=10, blocks_per_row=2)
        self._time("first page", lambda: paginate(rows, 1, size))
        text = self._time("report CSV", lambda: report_csv(rows, tz))
        return len(text)

    def digest(self, session: Any) -> int:
        store, cohort, tz = self._open(session)
        slot, _ = digest_slots(self.now, schedule_of(cohort))
        members = self._time("members", lambda: store.members(cohort))
        activity = self._time("activity_of", lambda: store.activity_of(cohort, self.now, tz))
        rows = self._time("report_rows", lambda: report_rows(members, activity, self.now))
        weekly = self._time(
            "weekly_counts (7 weeks)", lambda: store.weekly_counts(cohort, weeks_back(slot.covers, 7), tz)
        )
        numbers = self._time("digest_numbers", lambda: digest_numbers(slot, members, weekly, rows))
        return numbers.funnel.students

    def digest_with_chart(self, session: Any) -> int:
        _, cohort, _ = self._open(session)
        slot, _ = digest_slots(self.now, schedule_of(cohort))
        content = self._time(
            "digest_content", lambda: digest_content(session, self.team_id, cohort, slot, self.now)
        )
        self._time(
            "Block Kit (message, thread, DM)",
            lambda: (digest_message(content), digest_thread(content), attention_message(content)),
        )
        png = self._time("chart PNG", lambda: digest_chart(content.numbers, cohort.name))
        return len(png)

    def report_page(self, session: Any) -> int:
        store, cohort, _ = self._open(session)
        report = self._time("report_of", lambda: report_of(store, cohort, self.now, 1))
        message = self._time("Block Kit (page 1)", lambda: report_message(report))
        return len(message["blocks"])

    def plan(self, session: Any) -> int:
        """One student's Monday plan lines for the cohort (their week, their trend, the median)."""
        student = Repository(session, self.team_id).find_user("USTUDENT0001")
        assert student is not None
        return len(self._time("plan_cohorts", lambda: plan_cohorts(session, student, self.now)))

    def plan_posted(self, session: Any) -> int:
        """The same, once this week's digest went out with the medians (the usual Monday path)."""
        _, cohort, _ = self._open(session)
        slot, _ = digest_slots(self.now, schedule_of(cohort))
        session.add(
            CohortDigest(
                team_id=self.team_id, cohort_id=cohort.id, week=slot.week, due_at=slot.due_at, status="sent",
                delivery_attempts=1, totals={"medians": {"requests": 2.0, "interviews": 0.0}}, created_at=self.now,
            )
        )  # fmt: skip
        session.flush()
        return self.plan(session)

    def export(self, session: Any) -> int:
        store, cohort, tz = self._open(session)
        weeks = weeks_between(cohort.created_at.astimezone(tz).date(), self.now.astimezone(tz).date())
        members = self._time("members", lambda: store.members(cohort))
        weekly = self._time(
            f"weekly_counts ({len(weeks)} weeks)", lambda: store.weekly_counts(cohort, weeks, tz)
        )
        text = self._time("weekly CSV", lambda: weekly_csv(members, weekly, weeks))
        return len(text)


WORK = {
    "report": "report",
    "report page": "report_page",
    "digest numbers": "digest",
    "digest": "digest_with_chart",
    "export": "export",
    "Monday plan (1 student)": "plan",
    "Monday plan, median posted": "plan_posted",
}


def rss_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def measure(db: Database, steps: Steps, name: str, runs: int) -> dict[str, Any]:
    work: Callable[[Any], int] = getattr(steps, WORK[name])
    totals: list[float] = []
    blocks: list[dict[str, float]] = []
    capture = Capture(db.engine)
    for run in range(runs):
        steps.blocks = {}
        with db.sessions() as session, capture if run == 0 else nullcontext():
            session.begin()
            started = time.perf_counter()
            size = work(session)
            totals.append(time.perf_counter() - started)
            session.rollback()
        blocks.append(steps.blocks)
    rss_before = rss_mb()
    steps.blocks = {}  # the traced run is slower: keep it out of the timed runs' breakdown
    tracemalloc.start()
    with db.sessions() as session:
        session.begin()
        work(session)
        session.rollback()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = rss_mb()
    return {
        "step": name,
        "median_s": statistics.median(totals),
        "min_s": min(totals),
        "blocks_ms": {k: round(1000 * statistics.median(b[k] for b in blocks), 1) for k in blocks[0]},
        "statements": len(capture.items),
        "sql_ms": round(1000 * capture.sql_seconds, 1),
        "peak_python_mb": round(peak / 2**20, 1),
        "rss_mb": round(rss_after, 0),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "output": size,
        "captured": capture.items,
    }


def explain(db: Database, captured: list[Any]) -> list[dict[str, Any]]:
    """PostgreSQL's plan of each distinct query, with the time it took and any sequential scan."""
    plans: list[dict[str, Any]] = []
    seen: set[str] = set()
    raw = db.engine.raw_connection()
    try:
        for item in captured:
            if not item.statement.lstrip().upper().startswith("SELECT") or item.statement in seen:
                continue
            seen.add(item.statement)
            with raw.cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + item.statement, item.parameters)
                lines = [row[0] for row in cursor.fetchall()]
            executed = next((line for line in lines if line.startswith("Execution Time")), "")
            plans.append(
                {
                    "query": re.sub(r"\s+", " ", item.statement)[:90],
                    "execution": executed.replace("Execution Time: ", ""),
                    "seq_scans": sorted(
                        {m for line in lines for m in re.findall(r"Seq Scan on (\w+)", line)}
                    ),
                }
            )
        raw.rollback()
    finally:
        raw.close()
    return plans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_PG_URL)
    parser.add_argument("--schema", default="bench_cohort")
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--contacts", type=int, default=40)
    parser.add_argument("--background", action="store_true", help="seed.py's 1× data first (~25 s)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="measure an already seeded database")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    pg = args.url.startswith("postgres")
    if not pg:
        url = args.url
    elif args.reuse:
        url = pg_schema_url(args.url, args.schema)
    else:
        url = pg_create_schema(args.url, args.schema)
    db = Database(url)
    spec = CohortSpec(students=args.students, contacts=args.contacts)
    load_before = load_average()
    try:
        seeded_in = 0.0
        if not args.reuse:
            started = time.perf_counter()
            if args.background:
                seed(url, Spec())
            else:
                db.upgrade()
            seeded = seed_cohort(db, spec)
            seeded_in = time.perf_counter() - started
            print(f"seeded in {seeded_in:.1f} s: {seeded.counts}")
        steps = Steps(db, "TCOHORT", 1, spec.now)
        started = time.perf_counter()
        import matplotlib.figure  # noqa: F401  (what the first chart of a process pays once)

        matplotlib_import = time.perf_counter() - started
        names = (
            "report",
            "report page",
            "digest numbers",
            "digest",
            "export",
            "Monday plan (1 student)",
            "Monday plan, median posted",
        )
        results = [measure(db, steps, name, args.runs) for name in names]
        plans = explain(db, [i for r in results for i in r["captured"]]) if pg else []
    finally:
        db.dispose()
        if pg and not args.keep:
            pg_drop_schema(args.url, args.schema)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    header = (
        f"{'PostgreSQL' if pg else 'SQLite'}, {args.students} students × ~{args.contacts} contacts"
        f"{', with 1× background' if args.background else ''}; commit {app_version()}; "
        f"load {load_before} → {load_average()}; seed {seeded_in:.1f} s; median of {args.runs}; "
        f"matplotlib import (once per process) {1000 * matplotlib_import:.0f} ms"
    )
    lines = [f"## Cohort benchmark ({date.today().isoformat()})", "", header, ""]
    lines += [
        "| step | median | target | SQL statements / ms | Python peak | RSS after (growth) | blocks (ms) |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for r in results:
        target = TARGETS.get(r["step"])
        blocks = ", ".join(f"{k} {v}" for k, v in r["blocks_ms"].items())
        lines.append(
            f"| {r['step']} | **{1000 * r['median_s']:.0f} ms** | {f'< {target:.0f} s' if target else '–'} | "
            f"{r['statements']} / {r['sql_ms']} | {r['peak_python_mb']} MB | {r['rss_mb']:.0f} MB ({r['rss_growth_mb']:+.1f}) | {blocks} |"
        )
    lines += ["", f"Process peak RSS: {rss:.0f} MB."]
    if plans:
        lines += ["", "| query (PostgreSQL plan) | execution | sequential scans |", "|---|--:|---|"]
        lines += [
            f"| `{p['query']}` | {p['execution']} | {', '.join(p['seq_scans']) or '–'} |" for p in plans
        ]
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cohort.md").write_text(report, encoding="utf-8")
    for r in results:
        r.pop("captured")
    (RESULTS / "cohort.json").write_text(
        json.dumps({"header": header, "results": results, "plans": plans}, indent=2)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
