#!/usr/bin/env python
"""Build a benchmark database fast: users, contacts, outreach attempts, interviews and the nudge log.

The data looks like what the sweep leaves behind in steady state, as of ``now`` (default: Wednesday
2026-11-25 12:00 UTC, inside everyone's default working window):

* a contact's ``next_check_at`` is what the rules say (``plan_contact(...).next_check``): in the
  future, or NULL when nothing lies ahead (targets, closed contacts…), exactly as the sweep writes
  it; for the *due* contacts (``--due-fraction``, default 1 %) it lies in the past (e.g. a request
  sent 8 days ago whose follow-up fell due yesterday), and the rules really produce a nudge for them;
* nudges that fell due earlier are already in the log (resolved or sent), so the sweep logs only
  what is newly due;
* a user's ``next_check_at`` is next week's plan (next Monday 09:00 local), except for the due ones
  (``--users-due-fraction``) and the unreachable ones (``--unreachable-fraction``: Slack said they
  left; the sweep stops looking at them and never moves their ``next_check_at`` forward, so it is
  stale, in the past).

Rows are written in bulk after ``Database(url).upgrade()``: PostgreSQL with COPY (foreign-key
triggers off while loading, then ``VACUUM ANALYZE``), SQLite with ``executemany`` of pre-formatted
values in large transactions (the same text format SQLAlchemy writes).

Run alone (times the seeding and prints the counts; the database is dropped unless ``--keep``)::

    python bench/seed.py --url postgresql://postgres@127.0.0.1:5432/test --schema bench_1x --keep
    python bench/seed.py --url sqlite:////tmp/bench.db --keep
"""

from __future__ import annotations

import argparse
import json
import math
import queue
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.domain import nudges as rules  # noqa: E402
from bot.domain.nudges import ContactFacts, InterviewFacts  # noqa: E402
from bot.domain.pipeline import Attempt, AttemptOutcome, InterviewStatus, OutreachChannel, Stage  # noqa: E402
from bot.domain.preferences import nudge_settings  # noqa: E402
from bot.domain.window import local_time, week_start, zone  # noqa: E402
from storage.db import Database, normalise_url  # noqa: E402

#: A Wednesday, 12:00 UTC: inside the default window (Mon–Fri 09:00–18:00) for UTC and European users.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_TIMEZONES: tuple[str | None, ...] = (
    None,
    "Europe/Paris",
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
)
#: What makes a due contact due (weights). The rules decide the actual nudges.
DEFAULT_DUE_KINDS = {
    "follow_up": 0.45,
    "move_on": 0.10,
    "prepare": 0.15,
    "thank_you": 0.15,
    "keep_in_touch": 0.15,
}
#: Stages of contacts that are not due (those with an interview are sized by --interviews).
OTHER_STAGES = {"target": 0.45, "requested": 0.30, "agreed": 0.05, "declined": 0.06, "no_response": 0.14}

TABLES = {
    "workspaces": ("team_id", "name", "created_at"),
    "users": (
        "id", "team_id", "slack_user_id", "timezone", "preferences", "dm_channel",
        "unreachable_since", "unreachable_reason", "next_check_at", "created_at",
    ),
    "contacts": (
        "id", "team_id", "owner_id", "name", "company", "role", "industry", "location", "email",
        "linkedin_url", "phone", "degree", "introducer_name", "introducer_contact_id", "source",
        "learning_goal", "stage", "stage_changed_at", "version", "last_touch_at", "next_check_at",
        "created_at", "updated_at",
    ),
    "outreach_attempts": ("id", "team_id", "contact_id", "number", "channel", "sent_at", "outcome", "outcome_at"),
    "interviews": (
        "id", "team_id", "contact_id", "starts_at", "duration_minutes", "format", "place", "status",
        "done_at", "thank_you_at", "introducer_thanked_at", "created_at",
    ),
    "nudges": (
        "id", "team_id", "user_id", "contact_id", "interview_id", "kind", "key", "step", "due_at",
        "expires_at", "status", "retry_at", "delivery_attempts", "claim_token", "claimed_at",
        "claimed_until", "sent_at", "channel", "message_ts", "resolution", "resolved_at", "error",
        "created_at",
    ),
}  # fmt: skip
SERIAL_TABLES = ("users", "contacts", "outreach_attempts", "interviews", "nudges")

FIRST = [
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Emma",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kenji",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
]
LAST = [
    "Alvarez",
    "Brown",
    "Chen",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
]
COMPANIES = [f"{w} {s}" for w in ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne")
             for s in ("Labs", "Health", "Capital", "Energy", "Studio", "Logistics")]  # fmt: skip
ROLES = ["Product Manager", "Data Scientist", "UX Researcher", "Software Engineer", "Consultant", "Analyst",
         "Marketing Lead", "Recruiter", "Founder", "Operations Manager"]  # fmt: skip
INDUSTRIES = [
    "Technology",
    "Healthcare",
    "Finance",
    "Energy",
    "Media",
    "Retail",
    "Public sector",
    "Education",
]
CITIES = ["Paris", "London", "New York", "Berlin", "Bangalore", "Toronto", "Lyon", "Boston", "Remote"]
DEGREES = ("first", "second", "cold")
SOURCES = ["family_friends", "former_colleague", "professor", "alumni", "association", "linkedin",
           "company_website", "news", "referral", "other"]  # fmt: skip
GOALS = [
    "How they moved from consulting into product and what they would do differently.",
    "What a typical week looks like and which skills matter most in the first year.",
    "How their team hires juniors, and what made candidates stand out.",
    "Whether a master's degree is worth it for this path.",
]


@dataclass
class Spec:
    users: int = 10_000
    contacts: int = 200_000
    interviews: int = 50_000
    due_fraction: float = 0.01
    due_count: int | None = None  # overrides due_fraction
    users_due_fraction: float = 0.01
    users_due_count: int | None = None  # overrides users_due_fraction
    unreachable_fraction: float = 0.01
    seed: int = 1
    now: datetime = NOW
    due_kinds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DUE_KINDS))
    timezones: tuple[str | None, ...] = DEFAULT_TIMEZONES
    users_per_team: int = 200
    history: bool = True  # nudges that fell due before, already logged
    weekly_history_weeks: int = 4
    due_owners: int | None = None  # distinct users owning the due contacts (default: as many as possible)
    chunk: int = 50_000

    @property
    def due(self) -> int:
        if self.due_count is not None:
            return min(self.due_count, self.contacts)
        return round(self.contacts * self.due_fraction)

    @property
    def unreachable(self) -> int:
        return round(self.users * self.unreachable_fraction)

    @property
    def users_due(self) -> int:
        if self.users_due_count is not None:
            return self.users_due_count
        return round(self.users * self.users_due_fraction)


@dataclass
class Seeded:
    url: str
    dialect: str
    now: datetime
    rows: dict[str, int]
    due_contacts: int
    due_users: int
    unreachable_users: int
    due_by_kind: dict[str, int]
    seconds: float
    vacuum_seconds: float = 0.0

    def describe(self) -> str:
        rows = ", ".join(f"{name} {count:,}" for name, count in self.rows.items())
        kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(self.due_by_kind.items()))
        return (
            f"{self.dialect}: {rows}; due contacts {self.due_contacts:,} ({kinds}); due users "
            f"{self.due_users:,}; unreachable users {self.unreachable_users:,}; seeded in {self.seconds:.1f} s"
            + (f" (+ VACUUM ANALYZE {self.vacuum_seconds:.1f} s)" if self.vacuum_seconds else "")
        )


# Database plumbing ----------------------------------------------------------------------------------


def app_version() -> str:
    """The commit the app code is at, "+dirty" when files outside bench/ differ from it (read-only git)."""
    import subprocess

    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()  # fmt: skip
        changed = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", ".",
                                  ":(exclude)bench"], capture_output=True, text=True, timeout=10).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + ("+dirty" if changed else "")


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in __import__("os").getloadavg())
    except OSError:
        return "?"


def pg_schema_url(url: str, schema: str) -> str:
    """The URL of a PostgreSQL database with ``schema`` first on the search path (as tests/conftest.py)."""
    url = normalise_url(url)
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def pg_create_schema(url: str, schema: str) -> str:
    """(Re)create ``schema``; returns the URL that uses it."""
    admin = Database(url)
    try:
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        admin.dispose()
    return pg_schema_url(url, schema)


def pg_drop_schema(url: str, schema: str) -> None:
    admin = Database(url)
    try:
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


class _Writer:
    """Bulk writes in one transaction per chunk: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pg = db.dialect == "postgresql"
        self.conn = db.engine.connect()
        if self.pg:
            self.conn.exec_driver_sql(
                "SET session_replication_role = replica"
            )  # no FK triggers while loading
            self.conn.commit()
        else:
            raw = self.conn.connection.dbapi_connection  # autocommit (isolation_level None): no transaction
            assert raw is not None
            for pragma in ("synchronous=OFF", "cache_size=-1048576", "temp_store=MEMORY"):
                raw.execute(f"PRAGMA {pragma}")
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def ts(self, value: datetime | None) -> Any:
        """A UTC instant as the column stores it (naive UTC; SQLite: SQLAlchemy's text format)."""
        if value is None:
            return None
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        value = value.replace(tzinfo=None)
        return value if self.pg else value.isoformat(" ", "microseconds")

    def start(self) -> None:
        """Write in a thread of its own, so generating the next chunk overlaps writing this one."""
        self.queue: queue.Queue[dict[str, list[tuple[Any, ...]]] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        if not self.pg:
            return
        self.thread = threading.Thread(target=self._drain, name="seed-writer", daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            if self.error is None:
                try:
                    self._write(batch)
                except BaseException as error:  # re-raised in the generating thread
                    self.error = error

    def write(self, batch: dict[str, list[tuple[Any, ...]]]) -> None:
        if not self.pg:  # sqlite3 holds the GIL while binding: a thread would not overlap much
            self._write(batch)
            return
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def stop(self) -> None:
        if not self.pg:
            return
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _write(self, batch: dict[str, list[tuple[Any, ...]]]) -> None:
        with self.conn.begin():
            for table in TABLES:  # parents first
                rows = batch.get(table)
                if not rows:
                    continue
                columns = TABLES[table]
                if self.pg:
                    raw = self.conn.connection.dbapi_connection
                    assert raw is not None
                    with raw.cursor() as cursor:  # type: ignore[attr-defined]
                        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                else:
                    marks = ", ".join("?" * len(columns))
                    self.conn.exec_driver_sql(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                    )
                self.counts[table] += len(rows)

    def finish(self) -> float:
        """Sequences past the ids given; statistics. Returns the seconds VACUUM ANALYZE took."""
        self.stop()
        started = time.perf_counter()
        if self.pg:
            with self.conn.begin():
                self.conn.exec_driver_sql("SET session_replication_role = DEFAULT")
                for table in SERIAL_TABLES:
                    self.conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                    )
            self.conn.close()
            with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for table in TABLES:
                    conn.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
            return time.perf_counter() - started
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        return 0.0


# Data -----------------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, spec: Spec, writer: _Writer) -> None:
        self.spec = spec
        self.w = writer
        self.rng = random.Random(spec.seed)
        self.now = spec.now
        self.settings = {tz: nudge_settings({}, tz) for tz in spec.timezones}
        self.user_tz: list[str | None] = [None]  # index = user id
        self.user_team: list[str] = [""]
        self.user_dm: list[str] = [""]
        self.attempt_id = 0
        self.interview_id = 0
        self.nudge_id = 0
        self.due_by_kind: dict[str, int] = {}

    # helpers
    def days(self, low: float, high: float) -> timedelta:
        return timedelta(seconds=self.rng.uniform(low * 86400, high * 86400))

    def nudge_row(self, n: rules.Nudge, team: str, user_id: int, status: str, dm: str) -> tuple[Any, ...]:
        self.nudge_id += 1
        ts = self.w.ts
        sent = n.due_at + timedelta(minutes=1) if n.due_at + timedelta(minutes=1) <= self.now else self.now
        resolved = min(sent + timedelta(hours=20), self.now) if status == "resolved" else None
        failed = status == "failed"
        return (
            self.nudge_id, team, user_id, n.contact_id, n.interview_id, n.kind.value, n.key, n.step,
            ts(n.due_at), ts(n.expires_at), status, None, 0 if failed else 1, None,
            None if failed else ts(sent), None, None if failed else ts(sent),
            None if failed else dm, None if failed else f"{int(sent.timestamp())}.{self.nudge_id % 1_000_000:06d}",
            "done" if status == "resolved" else None, ts(resolved), "user_not_found" if failed else None,
            ts(n.due_at),
        )  # fmt: skip

    # users
    def users(self) -> tuple[list[int], int]:
        spec, rng, ts, now = self.spec, self.rng, self.w.ts, self.now
        ids = range(1, spec.users + 1)
        unreachable = set(rng.sample(ids, spec.unreachable))
        reachable = [u for u in ids if u not in unreachable]
        due = set(rng.sample(reachable, min(spec.users_due, len(reachable))))
        weekly_next = {tz: rules.plan_weekly(now, s).next_check for tz, s in self.settings.items()}
        teams = math.ceil(spec.users / spec.users_per_team)
        batch: dict[str, list[tuple[Any, ...]]] = {
            "workspaces": [(f"T{t:07d}", f"Workspace {t}", ts(now - timedelta(days=500))) for t in range(1, teams + 1)],
            "users": [],
            "nudges": [],
        }  # fmt: skip
        mondays = [week_start(now, UTC) - timedelta(weeks=w) for w in range(1, spec.weekly_history_weeks + 1)]
        for uid in ids:
            team = f"T{(uid - 1) // spec.users_per_team + 1:07d}"
            tz = spec.timezones[uid % len(spec.timezones)]
            slack_id = f"U{uid:09d}"
            dm = "D" + slack_id[1:]
            self.user_tz.append(tz)
            self.user_team.append(team)
            self.user_dm.append(dm)
            created = now - self.days(60, 500)
            if uid in unreachable:
                next_check = now - self.days(1, 60)  # stale: the sweep skips them and never moves it on
                gone: tuple[Any, Any] = (ts(now - self.days(61, 90)), "user_not_found")
            else:
                next_check = now - self.days(0, 1 / 24) if uid in due else weekly_next[tz]
                gone = (None, None)
            batch["users"].append(
                (uid, team, slack_id, tz, "{}", dm, gone[0], gone[1], ts(next_check), ts(created))
            )
            if spec.history:
                window = self.settings[tz].window
                for monday in mondays:
                    due_at = local_time(monday, window.start, zone(tz))
                    n = rules.Nudge(rules.NudgeKind.WEEKLY_PLAN, f"weekly_plan:{monday.isoformat()}", due_at,
                                    expires_at=local_time(monday, window.end, zone(tz)))  # fmt: skip
                    status = "failed" if uid in unreachable else "sent"
                    batch["nudges"].append(self.nudge_row(n, team, uid, status, dm))
        self.w.write(batch)
        return reachable, len(due)

    # contacts
    def contacts(self, reachable: list[int]) -> int:
        spec, rng = self.spec, self.rng
        total, due_total = spec.contacts, spec.due
        due_ids = sorted(rng.sample(range(1, total + 1), due_total))
        kinds = list(spec.due_kinds)
        due_kinds = rng.choices(kinds, weights=[spec.due_kinds[k] for k in kinds], k=due_total)
        owners_count = min(spec.due_owners or due_total, len(reachable)) or 1
        due_owner_pool = rng.sample(reachable, owners_count) if reachable else [1]
        due_owner_pool.sort()
        due_with_interview = sum(1 for k in due_kinds if k in ("prepare", "thank_you", "keep_in_touch"))
        # Stages of the contacts that are not due: enough with an interview to reach --interviews.
        not_due = total - due_total
        left = max(0, spec.interviews - due_with_interview)
        with_interview = min(round(0.20 * not_due), left)
        scheduled = with_interview // 4
        stages = ["scheduled"] * scheduled + ["interviewed"] * (with_interview - scheduled)
        others = not_due - with_interview
        weights = list(OTHER_STAGES.values())
        counts = [int(others * w / sum(weights)) for w in weights]
        counts[0] += others - sum(counts)
        for stage, count in zip(OTHER_STAGES, counts, strict=True):
            stages += [stage] * count
        rng.shuffle(stages)
        # Interviews beyond one per contact: earlier conversations (or a cancelled booking).
        extra_slots = [i for i, s in enumerate(stages) if s in ("scheduled", "interviewed")]
        extras = left - with_interview
        extra_per: dict[int, int] = {}
        if extra_slots and extras > 0:
            base, rest = divmod(extras, len(extra_slots))
            lucky = set(rng.sample(extra_slots, rest))
            if base:
                extra_per = {i: base + (i in lucky) for i in extra_slots}
            else:
                extra_per = dict.fromkeys(lucky, 1)

        due_iter = iter(zip(due_ids, due_kinds, strict=True))
        next_due = next(due_iter, None)
        stage_iter = iter(enumerate(stages))
        batch: dict[str, list[tuple[Any, ...]]] = {}
        due_index = 0
        last_of_owner: dict[int, int] = {}
        for cid in range(1, total + 1):
            if next_due is not None and next_due[0] == cid:
                owner = due_owner_pool[due_index % owners_count]
                due_index += 1
                self.contact(batch, cid, owner, None, 0, next_due[1], last_of_owner)
                next_due = next(due_iter, None)
            else:
                slot, stage = next(stage_iter)
                owner = rng.randint(1, spec.users)
                self.contact(batch, cid, owner, stage, extra_per.get(slot, 0), None, last_of_owner)
            if cid % spec.chunk == 0:
                self.w.write(batch)
                batch = {}
        self.w.write(batch)
        return due_total

    def contact(
        self,
        batch: dict[str, list[tuple[Any, ...]]],
        cid: int,
        owner: int,
        stage: str | None,
        extra_interviews: int,
        due_kind: str | None,
        last_of_owner: dict[int, int],
    ) -> None:
        rng, now, ts = self.rng, self.now, self.w.ts
        team, tz, dm = self.user_team[owner], self.user_tz[owner], self.user_dm[owner]
        settings = self.settings[tz]
        # Text columns vary with the id (cheaper than drawing each one at random).
        first, last = FIRST[cid * 7 % len(FIRST)], LAST[cid * 13 % len(LAST)]
        introducer_id = last_of_owner.get(owner) if rng.random() < 0.05 else None
        introducer_name = (
            f"{FIRST[cid * 3 % len(FIRST)]} {LAST[cid % len(LAST)]}" if rng.random() < 0.10 else ""
        )
        last_of_owner[owner] = cid
        attempts: list[tuple[datetime, str, str, datetime | None]] = []  # sent, channel, outcome, outcome_at
        interviews: list[tuple[datetime, int, str, datetime | None, datetime | None, datetime | None]] = []
        if due_kind is not None:
            stage, created = self.due_contact(due_kind, tz, attempts, interviews)
        else:
            assert stage is not None
            created = self.other_contact(stage, extra_interviews, attempts, interviews)
        if stage == "scheduled" and not any(i[2] == "scheduled" for i in interviews):
            stage = "agreed"
        facts = ContactFacts(
            id=cid,
            name=f"{first} {last}",
            stage=Stage(stage),
            created_at=created,
            has_introducer=bool(introducer_name or introducer_id),
            attempts=tuple(
                Attempt(a[0], OutreachChannel(a[1]), AttemptOutcome(a[2]), a[3]) for a in attempts
            ),
            interviews=tuple(
                InterviewFacts(self.interview_id + k + 1, i[0], i[1], InterviewStatus(i[2]), i[3], i[4], i[5])
                for k, i in enumerate(interviews)
            ),
        )
        plan = (
            rules.plan_contact(facts, now, settings)
            if stage in ("requested", "scheduled", "interviewed")
            else None
        )
        if due_kind is not None and (
            plan is None or not [n for n in plan.due if n.due_at > now - timedelta(days=2)]
        ):
            # The rules don't make this one due (e.g. "prepare" for a user whose day hasn't started):
            # make it a plain follow-up instead.
            attempts.clear()
            interviews.clear()
            self.contact_due_follow_up(attempts)
            stage, due_kind = "requested", "follow_up"
            facts = ContactFacts(
                id=cid, name=facts.name, stage=Stage.REQUESTED, created_at=created,
                has_introducer=facts.has_introducer,
                attempts=tuple(Attempt(a[0], OutreachChannel(a[1]), AttemptOutcome(a[2]), a[3]) for a in attempts),
            )  # fmt: skip
            plan = rules.plan_contact(facts, now, settings)
        history: Sequence[rules.Nudge] = ()
        if plan is None:
            next_check = None
        elif due_kind is None:
            next_check = plan.next_check
            history = plan.due
        else:
            fresh = [n for n in plan.due if n.due_at > now - timedelta(days=2)]
            history = [n for n in plan.due if n.due_at <= now - timedelta(days=2)]
            next_check = min(n.due_at for n in fresh)
            self.due_by_kind[due_kind] = self.due_by_kind.get(due_kind, 0) + 1
        changed = max([created, *(a[0] for a in attempts), *(i[0] for i in interviews if i[0] <= now)])
        last_touch = None
        batch.setdefault("contacts", []).append(
            (
                cid, team, owner, facts.name, COMPANIES[cid * 31 % len(COMPANIES)], ROLES[cid * 17 % len(ROLES)],
                INDUSTRIES[cid * 11 % len(INDUSTRIES)], CITIES[cid * 5 % len(CITIES)],
                f"{first.lower()}.{last.lower()}{cid}@example.com",
                f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{cid}", "",
                DEGREES[cid % 3], introducer_name, introducer_id, SOURCES[cid * 3 % len(SOURCES)],
                GOALS[cid % len(GOALS)], stage, ts(changed), 1 + len(attempts) + len(interviews), ts(last_touch),
                ts(next_check), ts(created), ts(changed),
            )
        )  # fmt: skip
        for number, (sent, channel, outcome, outcome_at) in enumerate(
            sorted(attempts, key=lambda a: a[0]), start=1
        ):
            self.attempt_id += 1
            batch.setdefault("outreach_attempts", []).append(
                (self.attempt_id, team, cid, number, channel, ts(sent), outcome, ts(outcome_at))
            )
        for starts, minutes, status, done, thanked, intro_thanked in interviews:
            self.interview_id += 1
            batch.setdefault("interviews", []).append(
                (
                    self.interview_id, team, cid, ts(starts), minutes, ("video", "phone", "in_person")[cid % 3],
                    "Zoom" if cid % 10 < 7 else "Café on Main St", status, ts(done), ts(thanked),
                    ts(intro_thanked), ts(min(starts, now) - timedelta(days=3)),
                )
            )  # fmt: skip
        if self.spec.history:
            for n in history:
                status = "resolved" if rng.random() < 0.8 else "sent"
                batch.setdefault("nudges", []).append(self.nudge_row(n, team, owner, status, dm))

    def contact_due_follow_up(self, attempts: list[Any], tries: int = 1) -> None:
        last = self.now - timedelta(days=7) - self.days(1 / 24, 40 / 24)  # follow-up due 1–40 h ago
        for k in range(tries):
            attempts.append((last - timedelta(days=9 * (tries - 1 - k)), "email", "pending", None))

    def due_contact(
        self, kind: str, tz: str | None, attempts: list[Any], interviews: list[Any]
    ) -> tuple[str, datetime]:
        rng, now = self.rng, self.now
        created = now - self.days(30, 120)
        if kind == "follow_up":
            self.contact_due_follow_up(attempts, tries=rng.choice((1, 1, 2)))  # 2 tries: "call them"
            return "requested", created
        if kind == "move_on":
            self.contact_due_follow_up(attempts, tries=3)
            return "requested", created
        attempts.append((now - self.days(20, 30), "linkedin", "yes", now - self.days(15, 19)))
        if kind == "prepare":  # tomorrow 10:00 local: the "prepare" reminder opened this morning
            tomorrow = now.astimezone(zone(tz)).date() + timedelta(days=1)
            starts = local_time(tomorrow, clock(10, 0), zone(tz))
            interviews.append((starts, 30, "scheduled", None, None, None))
            return "scheduled", created
        if kind == "thank_you":  # done yesterday, no thank-you yet
            starts = now - timedelta(hours=26) - self.days(0, 10 / 24)
            interviews.append((starts, 30, "done", starts + timedelta(minutes=30), None, None))
            return "interviewed", created
        # keep_in_touch: six weeks since the last touch, as of 1–40 h ago
        starts = now - timedelta(weeks=6, hours=1, minutes=30) - self.days(1 / 24, 40 / 24)
        ends = starts + timedelta(minutes=30)
        interviews.append((starts, 30, "done", ends, ends + timedelta(hours=1), ends + timedelta(hours=2)))
        return "interviewed", now - self.days(70, 150)

    def other_contact(self, stage: str, extra: int, attempts: list[Any], interviews: list[Any]) -> datetime:
        rng, now = self.rng, self.now
        created = now - self.days(1, 400)
        if stage == "target":
            return created
        if stage == "requested":
            tries = rng.choices((1, 2, 3), weights=(0.6, 0.3, 0.1))[0]
            last = now - self.days(0, 14)
            for k in range(tries):
                sent = last - timedelta(days=8 * (tries - 1 - k))
                later = k == 0 and tries > 1 and rng.random() < 0.1
                attempts.append(
                    (
                        sent,
                        "email",
                        "later" if later else "pending",
                        sent + timedelta(days=1) if later else None,
                    )
                )
            return min(created, attempts[0][0] - timedelta(days=1))
        if stage in ("agreed", "declined"):
            sent = now - self.days(2, 120)
            outcome = "yes" if stage == "agreed" else "no"
            attempts.append((sent, rng.choice(("email", "linkedin")), outcome, sent + self.days(0.5, 4)))
            return min(created, sent - timedelta(days=1))
        if stage == "no_response":
            last = now - self.days(10, 200)
            for k in range(3):
                attempts.append((last - timedelta(days=8 * (2 - k)), "email", "no_response", None))
            return min(created, attempts[0][0] - timedelta(days=1))
        # scheduled / interviewed
        first_contact = now - self.days(30, 300)
        attempts.append(
            (
                first_contact,
                rng.choice(("email", "linkedin", "introduction")),
                "yes",
                first_contact + timedelta(days=2),
            )
        )
        if stage == "scheduled":
            starts = (now + self.days(0.5, 21)).replace(minute=0, second=0, microsecond=0)
            interviews.append((starts, rng.choice((20, 30, 45)), "scheduled", None, None, None))
        else:
            starts = now - self.days(3, 200)
            ends = starts + timedelta(minutes=30)
            thanked = ends + timedelta(hours=3) if rng.random() < 0.9 else None
            interviews.append(
                (starts, 30, "done", ends, thanked, ends + timedelta(hours=5) if thanked else None)
            )
        for k in range(extra):  # an earlier conversation, or a booking that was cancelled
            earlier = first_contact + timedelta(days=3 + k)
            status = "done" if stage == "interviewed" else "cancelled"
            done = earlier + timedelta(minutes=30) if status == "done" else None
            interviews.append((earlier, 30, status, done, done, done))
        interviews.sort()
        return min(created, first_contact - timedelta(days=1))


def seed(url: str, spec: Spec, *, upgrade: bool = True) -> Seeded:
    """Fill an empty database at ``url`` (migrated here unless ``upgrade=False``)."""
    started = time.perf_counter()
    db = Database(url)
    try:
        if upgrade:
            db.upgrade()
        with db.engine.connect() as conn:
            if conn.exec_driver_sql("SELECT count(*) FROM contacts").scalar():
                raise SystemExit(f"refusing to seed a database that already has contacts: {url}")
        writer = _Writer(db)
        writer.start()
        generator = _Generator(spec, writer)
        reachable, due_users = generator.users()
        due = generator.contacts(reachable)
        vacuum = writer.finish()
        return Seeded(
            url=db.url,
            dialect=db.dialect,
            now=spec.now,
            rows=dict(writer.counts),
            due_contacts=due,
            due_users=due_users,
            unreachable_users=spec.unreachable,
            due_by_kind=generator.due_by_kind,
            seconds=time.perf_counter() - started,
            vacuum_seconds=vacuum,
        )
    finally:
        db.dispose()


def due_counts(url: str, now: datetime = NOW) -> dict[str, int]:
    """How many rows the sweep's selection sees as due (a sanity check)."""
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            # A raw bind in the column's stored form (naive UTC; SQLite: SQLAlchemy's text format).
            stamp = now.astimezone(UTC).replace(tzinfo=None)
            value: Any = stamp if db.dialect == "postgresql" else stamp.isoformat(" ", "microseconds")
            contacts = conn.execute(
                text("SELECT count(*) FROM contacts WHERE next_check_at <= :now"), {"now": value}
            ).scalar()
            users = conn.execute(
                text("SELECT count(*) FROM users WHERE next_check_at <= :now AND unreachable_since IS NULL"),
                {"now": value},
            ).scalar()
        return {"contacts": int(contacts or 0), "users": int(users or 0)}
    finally:
        db.dispose()


def parse_timezones(raw: str) -> tuple[str | None, ...]:
    return tuple(
        None if part.strip().lower() in ("", "none", "null", "utc-null") else part.strip()
        for part in raw.split(",")
    )


def add_spec_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--interviews", type=int, default=50_000)
    parser.add_argument(
        "--due-fraction", type=float, default=0.01, help="share of contacts due (default 1 %%)"
    )
    parser.add_argument("--due-count", type=int, help="number of due contacts (overrides --due-fraction)")
    parser.add_argument("--users-due-fraction", type=float, default=0.01)
    parser.add_argument("--users-due-count", type=int)
    parser.add_argument("--unreachable-fraction", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-history", action="store_true", help="don't log the nudges that fell due before")


def spec_from(args: argparse.Namespace) -> Spec:
    return Spec(
        users=args.users,
        contacts=args.contacts,
        interviews=args.interviews,
        due_fraction=args.due_fraction,
        due_count=args.due_count,
        users_due_fraction=args.users_due_fraction,
        users_due_count=args.users_due_count,
        unreachable_fraction=args.unreachable_fraction,
        seed=args.seed,
        history=not args.no_history,
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--url", help="sqlite:///file or postgresql://… (default: a SQLite file in a temp dir)"
    )
    parser.add_argument("--schema", help="PostgreSQL: the schema to (re)create and fill (default bench_seed)")
    parser.add_argument("--keep", action="store_true", help="keep the database (default: drop it at the end)")
    add_spec_arguments(parser)
    args = parser.parse_args(list(argv) if argv is not None else None)
    spec = spec_from(args)
    created_file: Path | None = None
    schema: str | None = None
    url = args.url
    if url is None:
        created_file = Path(tempfile.mkdtemp(prefix="infoint-bench-")) / "seed.db"
        url = f"sqlite:///{created_file}"
    elif url.startswith("postgres"):
        schema = args.schema or "bench_seed"
        url = pg_create_schema(args.url, schema)
    else:
        path = sqlite_path(url)
        if path is not None and not path.exists():
            created_file = path
    try:
        result = seed(url, spec)
        print(result.describe())
        print("selection sees as due:", json.dumps(due_counts(url, spec.now)))
    finally:
        if not args.keep:
            if schema is not None:
                pg_drop_schema(args.url, schema)
            if created_file is not None:
                remove_sqlite(created_file)
                if args.url is None:
                    created_file.parent.rmdir()
        else:
            print("kept:", url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
