#!/usr/bin/env python
"""Workspaces benchmark: one sweep delivering due DMs in many workspaces at once, each workspace
with its own bot token and its own rate limit at a fake Slack (token buckets per team).

The database holds ``--workspaces`` teams (default 50) of ``--dms`` users each (default 200), every
user with one request sent 8 days before ``now``: one follow-up due, one DM each. The fake Slack
(`bot.fakeslack.FakeSlack`, in a child process so its HTTP server does not share the sweep's GIL)
knows each team's token and limits ``chat.postMessage`` per team with ``limit_method``: ``--per-minute``
a minute with a burst of ``--burst`` (default 20 and 20: Slack's Tier 2, low enough that 200 DMs
take minutes). Timed: ``Sweeper(db, workspaces, workers=N).run(now)`` (plan, then the pool of
couriers), for each ``--workers`` value, each on a fresh database.

Theoretical minimum: the per-workspace bound, ``(dms − burst) / rate``, since the workspaces run in
parallel; sequential sending (one workspace after another, the sweep before `bot.sweep.dispatch`,
or ``--workers 1``) needs ``workspaces ×`` that. Checked after each run: every nudge ``sent``,
carried by exactly one message of the fake, posted with its own team's token.

    python bench/bench_workspaces.py --backend postgresql --workers 50
    python bench/bench_workspaces.py --backend sqlite --workers 50,32 --merge
    python bench/bench_workspaces.py --workspaces 5 --dms 40 --workers 1,5   # a quick look
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for entry in (str(ROOT), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from seed import DEFAULT_PG_URL, app_version, load_average, pg_create_schema, pg_drop_schema, remove_sqlite  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from bot.domain import pipeline as core  # noqa: E402
from bot.sweep import METADATA_EVENT, Sweeper  # noqa: E402
from bot.workspaces import Workspace  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Contact, Nudge, OutreachAttempt, User  # noqa: E402
from storage.models import Workspace as WorkspaceRow  # noqa: E402

RESULTS = BENCH / "results"
#: Tuesday 10 March 2026, 10:00 UTC.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
ALWAYS = {"window_days": list(range(7)), "window_start": "00:00", "window_end": "23:59"}


def team(n: int) -> str:
    return f"T{n:05d}"


def token(team_id: str) -> str:
    return f"xoxb-{team_id.lower()}-bench"


# The fake Slack, in a child process ----------------------------------------------------------------


def _fake(conn: Any, teams: list[str], per_minute: float, burst: int) -> None:
    from bot.fakeslack import FakeSlack

    fake = FakeSlack(default_tz="UTC")
    for team_id in teams:
        fake.add_team(team_id, token(team_id))
    fake.limit_method("chat.postMessage", per_minute=per_minute, burst=burst)
    fake.start()
    conn.send(fake.api_url)
    while True:
        command = conn.recv()
        if command == "summary":
            posts = [
                {
                    "team": c.team,
                    "at": c.at,
                    "status": c.status,
                    "channel": (c.response or {}).get("channel") if isinstance(c.response, dict) else None,
                    "ts": (c.response or {}).get("ts") if isinstance(c.response, dict) else None,
                }
                for c in fake.calls_to("chat.postMessage")
            ]
            messages = []
            for (channel, ts), message in fake.messages.items():
                if (message.get("metadata") or {}).get("event_type") != METADATA_EVENT:
                    continue
                ids = [
                    int(str(b.get("block_id"))[6:])
                    for b in message.get("blocks") or []
                    if str(b.get("block_id", "")).startswith("nudge:")
                ]
                messages.append({"channel": channel, "ts": ts, "nudges": ids})
            conn.send({"posts": posts, "messages": messages, "internal_errors": list(fake.internal_errors)})
        elif command == "stop":
            fake.stop()
            conn.send("stopped")
            return


class FakeProcess:
    def __init__(self, teams: list[str], per_minute: float, burst: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_fake, args=(child, teams, per_minute, burst), daemon=True)
        self.process.start()
        if not self.conn.poll(60):
            self.process.terminate()
            raise RuntimeError("the fake Slack did not start")
        self.api_url: str = self.conn.recv()

    def summary(self) -> dict[str, Any]:
        self.conn.send("summary")
        return self.conn.recv()  # type: ignore[no-any-return]

    def stop(self) -> None:
        if self.process.is_alive():
            self.conn.send("stop")
            self.conn.poll(10)
            self.process.join(10)
            if self.process.is_alive():
                self.process.terminate()


# The database --------------------------------------------------------------------------------------


def seed(db: Database, teams: list[str], dms: int) -> None:
    start = NOW - timedelta(days=9)
    with db.session() as session:
        session.execute(insert(WorkspaceRow), [{"team_id": t, "created_at": start} for t in teams])
        users = [
            {
                "team_id": t,
                "slack_user_id": f"U{t[1:]}{n:05d}",
                "timezone": "UTC",
                "preferences": ALWAYS,
                "dm_channel": f"D{t[1:]}{n:05d}",
                "created_at": start,
            }
            for t in teams
            for n in range(dms)
        ]
        session.execute(insert(User), users)
        owners = session.execute(select(User.id, User.team_id)).all()
        contacts = [
            {
                "team_id": team_id,
                "owner_id": owner,
                "name": f"Contact {owner}",
                "degree": "first",
                "stage": core.Stage.REQUESTED.value,
                "stage_changed_at": start,
                "next_check_at": start,
                "version": 1,
                "created_at": start,
                "updated_at": start,
            }
            for owner, team_id in owners
        ]
        session.execute(insert(Contact), contacts)
        rows = session.execute(select(Contact.id, Contact.team_id)).all()
        session.execute(
            insert(OutreachAttempt),
            [
                {
                    "team_id": team_id,
                    "contact_id": contact,
                    "number": 1,
                    "channel": core.OutreachChannel.EMAIL.value,
                    "sent_at": NOW - timedelta(days=8),
                    "outcome": core.AttemptOutcome.PENDING.value,
                }
                for contact, team_id in rows
            ],
        )


@dataclass(frozen=True)
class Listed:
    workspaces: tuple[Workspace, ...]

    def active(self) -> list[Workspace]:
        return list(self.workspaces)


# A run ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    backend: str
    workspaces: int
    dms_per_workspace: int
    per_minute: float
    burst: int
    workers: int
    seed_seconds: float
    total_seconds: float
    plan_seconds: float
    send_window_seconds: float
    theoretical_seconds: float
    sequential_seconds: float
    ratio: float
    slowest_workspace_seconds: float
    fastest_workspace_seconds: float
    rate_limited: int
    dms_sent: int
    unconfirmed: int
    settled_later: int
    nudges_sent_once: bool
    commit: str
    load_before: str
    load_after: str


def run_one(args: argparse.Namespace, workers: int, workdir: Path) -> Outcome:
    teams = [team(n) for n in range(1, args.workspaces + 1)]
    schema = "bench_workspaces"
    if args.backend == "postgresql":
        url = pg_create_schema(args.pg_url, schema)
    else:
        path = workdir / f"workspaces-{workers}.db"
        remove_sqlite(path)
        url = f"sqlite:///{path}"
    db = Database(url)
    fake: FakeProcess | None = None
    try:
        db.upgrade()
        began = time.monotonic()
        seed(db, teams, args.dms)
        seeded = time.monotonic() - began
        fake = FakeProcess(teams, args.per_minute, args.burst)
        workspaces = Listed(
            tuple(Workspace(t, WebClient(token=token(t), base_url=fake.api_url, timeout=10)) for t in teams)
        )
        load_before = load_average()
        sweeper = Sweeper(db, workspaces, workers=workers)
        started = time.monotonic()
        report = sweeper.run(NOW)
        total = time.monotonic() - started
        load_after = load_average()
        # Untimed: a DM left unconfirmed (a post without an answer) is settled by the next passes.
        later = [Sweeper(db, workspaces, workers=workers).run(NOW + timedelta(minutes=m)) for m in (5, 10)]
        summary = fake.summary()
        with db.session() as session:
            nudges = {n.id: (n.status, n.team_id) for n in session.scalars(select(Nudge))}
    finally:
        if fake is not None:
            fake.stop()
        db.dispose()
        if args.backend == "postgresql" and not args.keep:
            pg_drop_schema(args.pg_url, schema)
    ok_posts = [p for p in summary["posts"] if p["status"] == 200]
    per_team: dict[str, list[float]] = defaultdict(list)
    for post in ok_posts:
        per_team[post["team"]].append(post["at"])
    first = min(p["at"] for p in ok_posts)
    window = max(p["at"] for p in ok_posts) - first
    spans = [max(times) - min(times) for times in per_team.values()]
    carried: Counter[int] = Counter(n for m in summary["messages"] for n in m["nudges"])
    team_of_message = {(p["channel"], p["ts"]): p["team"] for p in ok_posts}
    right_team = all(
        team_of_message.get((m["channel"], m["ts"])) == nudges[n][1]
        for m in summary["messages"]
        for n in m["nudges"]
    )
    once = (
        set(carried) == set(nudges)
        and all(c == 1 for c in carried.values())
        and {s for s, _ in nudges.values()} == {"sent"}
        and right_team
        and not summary["internal_errors"]
    )
    theoretical = max(0.0, (args.dms - args.burst) / (args.per_minute / 60.0))
    return Outcome(
        backend=args.backend,
        workspaces=args.workspaces,
        dms_per_workspace=args.dms,
        per_minute=args.per_minute,
        burst=args.burst,
        workers=workers,
        seed_seconds=round(seeded, 1),
        total_seconds=round(total, 1),
        plan_seconds=round(first - started, 1),
        send_window_seconds=round(window, 1),
        theoretical_seconds=round(theoretical, 1),
        sequential_seconds=round(theoretical * args.workspaces, 1),
        ratio=round(total / theoretical, 3) if theoretical else 0.0,
        slowest_workspace_seconds=round(max(spans), 1),
        fastest_workspace_seconds=round(min(spans), 1),
        rate_limited=sum(1 for p in summary["posts"] if p["status"] == 429),
        dms_sent=report.dms,
        unconfirmed=report.unconfirmed,
        settled_later=sum(r.dms + r.recovered for r in later),
        nudges_sent_once=once,
        commit=app_version(),
        load_before=load_before,
        load_after=load_after,
    )


HEADER = (
    "| backend | workspaces × DMs | limit per workspace | workers | total | send window | "
    "theoretical min | total / min | slowest / fastest workspace | sequential (computed) | 429s | unconfirmed | "
    "sent once | commit, load |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|"
)


def row(o: Outcome) -> str:
    return (
        f"| {o.backend} | {o.workspaces} × {o.dms_per_workspace} | {o.per_minute:g}/min (burst {o.burst}) | "
        f"{o.workers} | {o.total_seconds:.1f} s | {o.send_window_seconds:.1f} s | {o.theoretical_seconds:.1f} s | "
        f"**{o.ratio:.2f}×** | {o.slowest_workspace_seconds:.1f} / {o.fastest_workspace_seconds:.1f} s | "
        f"{o.sequential_seconds / 3600:.1f} h | {o.rate_limited} | {o.unconfirmed} | {'✔' if o.nudges_sent_once else '✘'} | "
        f"{o.commit}, {o.load_before.split()[0]}–{o.load_after.split()[0]} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--workspaces", type=int, default=50)
    parser.add_argument("--dms", type=int, default=200, help="due DMs per workspace")
    parser.add_argument("--per-minute", type=float, default=20.0)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--workers", default="50", help="comma-separated worker counts, one run each")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    parser.add_argument("--merge", action="store_true", help="add to the earlier results")
    parser.add_argument("--out", type=Path, default=RESULTS / "workspaces.md")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    store = args.out.with_suffix(".json")
    outcomes: list[dict[str, Any]] = json.loads(store.read_text()) if args.merge and store.exists() else []
    with tempfile.TemporaryDirectory(prefix="infoint-bench-") as workdir:
        for workers in (int(w) for w in args.workers.split(",")):
            outcome = run_one(args, workers, Path(workdir))
            print(HEADER.splitlines()[0] + "\n" + row(outcome), flush=True)
            outcomes.append(asdict(outcome))
            store.write_text(json.dumps(outcomes, indent=1))
            args.out.write_text(HEADER + "\n" + "\n".join(row(Outcome(**o)) for o in outcomes) + "\n")
    print(f"\nresults: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
