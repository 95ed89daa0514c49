#!/usr/bin/env python
"""Ack latency: how long Slack waits for infoint's HTTP answer, beside a bare Bolt app, and how long
until the person sees the answer.

One command, one table::

    python bench/bench_ack.py --database-url postgresql://postgres@127.0.0.1:5432/test

* The database: a PostgreSQL schema of its own (``--schema``, default ``bench_ack``) seeded by
  ``bench/seed.py`` with 10,000 users and 200,000 contacts, plus one student with 200 contacts (whose
  ``/infoint list`` is measured). The schema is kept and reused by the next run (``--reseed`` builds
  it again).
* infoint: ``infoint run`` in a process of its own (waitress, as in production), against the fake
  Slack (`bot/fakeslack`) running in this process. The bare app (`bench/bare_app.py`: one command, one
  action, one view listener that only ``ack()``) is served the same way, in another process.
* Load: signed requests from this process, ``--requests`` of each kind at each concurrency
  (``--concurrency``, default 1 and 20: N people, each sending the next request once they see the
  answer to the previous one: for infoint when it reaches the fake Slack, for the bare app, which
  answers nothing, its ack), after a warm-up: ``/infoint help``, ``/infoint list`` (200
  contacts), a button click (the list's **Next page**) and a modal submission (the log form, valid).
* Measured: the ack (the HTTP response time) p50/p99, and for infoint the time until the answer is
  visible (it reaches the fake Slack's response_url) p50/p99; the app process's RSS idle (started,
  before any request) and after the run.

Results are printed and written to ``bench/results/ack-<time>.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from seed import Spec, app_version, load_average, pg_create_schema, pg_schema_url, seed  # noqa: E402
from slackwire import http_request, signed_headers  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.domain.forms import validate_contact  # noqa: E402
from bot.domain.ids import ActionId, ViewId  # noqa: E402
from bot.fakeslack import FakeSlack  # noqa: E402
from bot.services import Services  # noqa: E402
from handlers.origins import FormMetadata  # noqa: E402
from storage.db import Database  # noqa: E402

SECRET = "benchacksigningsecret0123456789ab"
TOKEN = "xoxb-bench-ack"
TEAM = "T0000001"  # the first workspace of the seed
STUDENT = "UBENCHLIST"  # the student with 200 contacts
CONTACTS = 200
KINDS = ("help", "list", "click", "submit")
TITLES = {
    "help": "`/infoint help`",
    "list": f"`/infoint list` ({CONTACTS} contacts)",
    "click": "button click (list: Next page)",
    "submit": "modal submission (log a contact)",
}


# The database ---------------------------------------------------------------------------------------


def prepare_database(url: str, schema: str, reseed: bool) -> str:
    """The schema's URL, seeded (10,000 users, 200,000 contacts, the student) unless it already is."""
    schema_url = pg_schema_url(url, schema)
    if not reseed and _seeded(schema_url):
        print(f"reusing the seeded schema {schema} (--reseed to build it again)", flush=True)
        return schema_url
    print(f"seeding schema {schema}: 10,000 users, 200,000 contacts (a few minutes)…", flush=True)
    schema_url = pg_create_schema(url, schema)
    print(seed(schema_url, Spec(users=10_000, contacts=200_000)).describe(), flush=True)
    db = Database(schema_url)
    try:
        services = Services(db)
        now = datetime.now(UTC)
        for n in range(CONTACTS):
            standing = ("target", "request_sent")[n % 2]
            form = {"name": f"Person {n:03d}", "company": f"Company {n % 37}", "role": "Engineer",
                    "degree": "first", "standing": standing}  # fmt: skip
            checked = validate_contact(form, now)
            assert not isinstance(checked, dict), checked
            services.contacts.log_contact(TEAM, STUDENT, checked)
    finally:
        db.dispose()
    return schema_url


def quiet_sweep(schema_url: str) -> None:
    """Nothing due for years: the sweep that ``infoint run`` starts with finds nothing to send, so it
    does not load the machine while acks are measured (the seed's clock is in the past). Only rows
    not yet moved are moved, and the tables are vacuumed after: rows rewritten by every run would
    have PostgreSQL's autovacuum work through them during the next measurement."""
    db = Database(schema_url)
    try:
        with db.engine.begin() as conn:
            for table in ("users", "contacts"):
                conn.execute(
                    text(
                        f"UPDATE {table} SET next_check_at = now() + interval '3650 days' "
                        "WHERE next_check_at < now() + interval '1 day'"
                    )
                )
            conn.execute(text("UPDATE nudges SET status = 'obsolete' WHERE status IN ('pending', 'sending')"))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE users, contacts, nudges"))
    finally:
        db.dispose()


def _seeded(schema_url: str) -> bool:
    db = Database(schema_url)
    try:
        with db.engine.connect() as conn:
            contacts = conn.execute(text("SELECT count(*) FROM contacts")).scalar() or 0
            student = conn.execute(
                text(
                    "SELECT count(*) FROM contacts c JOIN users u ON u.id = c.owner_id "
                    "WHERE u.slack_user_id = :user AND u.team_id = :team"
                ),
                {"user": STUDENT, "team": TEAM},
            ).scalar()
        return contacts >= 200_000 and student == CONTACTS
    except Exception:
        return False
    finally:
        db.dispose()


# The servers ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def rss_mib(self) -> float:
        """The process's resident set size (VmRSS), in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


@contextmanager
def serve(
    name: str, command: list[str], env: dict[str, str], port: int, ready: tuple[str, ...]
) -> Iterator[Served]:
    """Start a server process; wait until its log says each of ``ready``."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-ack-{name}-"))
    log = workdir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
    served = Served(name, f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 60
        while not all(line in log.read_text(errors="replace") for line in ready):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{name} did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def infoint_command(app_source: Path | None) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "INFOINT_", "DATABASE_URL"))}
    if app_source is not None:  # another checkout's code (e.g. the code before a change)
        env["PYTHONPATH"] = str(app_source)
    return [sys.executable, "-m", "bot.cli", "run"], env


# Requests --------------------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    ack: float  # seconds until the HTTP answer
    visible: float | None  # seconds until the answer reached the fake Slack (None: never, or not asked)
    status: int
    body: bytes


class Answers:
    """When each response_url of the fake Slack got its (accepted) post: one thread watches the
    fake's calls; senders wait for theirs."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.seen: dict[str, float] = {}
        self.changed = threading.Condition()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="answers", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        done = 0
        while not self.stopped.wait(0.002):
            calls = self.fake.calls
            fresh = {
                c.method[len("response_url:") :]: c.at
                for c in calls[done:]
                if c.method.startswith("response_url:") and (c.response or {}).get("ok")
            }
            done = len(calls)
            if fresh:
                with self.changed:
                    for name, at in fresh.items():
                        self.seen.setdefault(name, at)
                    self.changed.notify_all()

    def wait(self, name: str, timeout: float) -> float | None:
        with self.changed:
            self.changed.wait_for(lambda: name in self.seen, timeout)
            return self.seen.get(name)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


@dataclass
class Target:
    """Where requests go, and whether a sender waits for each answer at the fake Slack (infoint) or
    takes the ack as the answer (the bare app, which answers nothing)."""

    url: str
    fake: FakeSlack
    answers: Answers | None
    submitter: str
    answer_timeout: float


def _form(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    body = urllib.parse.urlencode(fields).encode()
    return body, signed_headers(body, "application/x-www-form-urlencoded", SECRET)


def request_for(kind: str, fake: FakeSlack, name: str, submitter: str) -> tuple[bytes, dict[str, str]]:
    """A signed request of ``kind`` whose answer goes to the response_url ``name``."""
    url = fake.response_url(name)
    base = {"team": {"id": TEAM, "domain": "bench"}, "api_app_id": "A0001", "token": "unused"}
    if kind in ("help", "list"):
        return _form(
            {"token": "unused", "team_id": TEAM, "team_domain": "bench", "channel_id": "C0BENCH",
             "channel_name": "bench", "user_id": STUDENT, "user_name": "student", "command": "/infoint",
             "text": kind, "api_app_id": "A0001", "response_url": url, "trigger_id": fake.trigger_id()}
        )  # fmt: skip
    if kind == "click":
        action = {"type": "button", "action_id": ActionId.LIST_PAGE.value, "block_id": "pages", "value": "2",
                  "text": {"type": "plain_text", "text": "Next page"}, "action_ts": f"{time.time():.6f}"}  # fmt: skip
        payload = base | {
            "type": "block_actions",
            "user": {"id": STUDENT, "team_id": TEAM},
            "container": {"type": "message", "channel_id": "C0BENCH", "message_ts": "1.000001", "is_ephemeral": True},
            "channel": {"id": "C0BENCH", "name": "bench"},
            "message": {"ts": "1.000001", "text": "", "blocks": []},
            "trigger_id": fake.trigger_id(),
            "response_url": url,
            "actions": [action],
        }  # fmt: skip
        return _form({"payload": json.dumps(payload)})
    values = {
        "name": {"name": {"type": "plain_text_input", "value": f"Bench {name}"}},
        "company": {"company": {"type": "plain_text_input", "value": "Acme"}},
        "role": {"role": {"type": "plain_text_input", "value": "Engineer"}},
        "degree": {"degree": {"type": "radio_buttons", "selected_option": {"value": "first"}}},
        "standing": {"standing": {"type": "radio_buttons", "selected_option": {"value": "target"}}},
    }
    view = {"id": "V0BENCH", "type": "modal", "callback_id": ViewId.LOG_CONTACT.value, "team_id": TEAM,
            "private_metadata": FormMetadata(response_url=url).dumps(), "state": {"values": values}, "hash": "1.a"}  # fmt: skip
    payload = base | {"type": "view_submission", "user": {"id": submitter, "team_id": TEAM}, "view": view,
                      "trigger_id": fake.trigger_id()}  # fmt: skip
    return _form({"payload": json.dumps(payload)})


def send(target: Target, kind: str, name: str) -> Sample:
    """One request; with ``target.answers``, wait until its answer is visible (as a person would)."""
    body, headers = request_for(kind, target.fake, name, target.submitter)
    started = time.monotonic()
    reply = http_request("POST", target.url + "/slack/events", body, headers, timeout=30)
    acked = time.monotonic() - started
    if _answers(reply.body):  # the ack carried the answer (commands before ack-first)
        return Sample(kind, acked, acked, reply.status, reply.body)
    if target.answers is None:
        return Sample(kind, acked, None, reply.status, reply.body)
    at = target.answers.wait(name, target.answer_timeout)
    return Sample(kind, acked, None if at is None else at - started, reply.status, reply.body)


def load(target: Target, kind: str, tag: str, count: int, concurrency: int) -> list[Sample]:
    """``count`` requests of ``kind`` from ``concurrency`` senders, each sending its next request
    once it has the answer to the previous one."""
    numbers = iter(range(count))
    lock = threading.Lock()

    def sender() -> list[Sample]:
        mine: list[Sample] = []
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return mine
            mine.append(send(target, kind, f"{tag}-{kind}-{n}"))

    with collected_between(), ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(sender) for _ in range(concurrency)]
        return [s for f in futures for s in f.result()]


@contextmanager
def collected_between() -> Iterator[None]:
    """This process (the senders and the fake Slack, which keeps every call it gets) collects its
    garbage before a cell and not during it: a pause of its own would land in the times of whichever
    app it measures then, bare or infoint."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _answers(body: bytes) -> bool:
    try:
        parsed = json.loads(body) if body.strip() else None
    except ValueError:
        return False
    return isinstance(parsed, dict) and bool(parsed.get("text") or parsed.get("blocks"))


# Statistics and the table --------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def ms(value: float) -> str:
    return "—" if value != value else f"{value * 1000:.0f}"


@dataclass
class Row:
    kind: str
    concurrency: int
    bare: list[float] = field(default_factory=list)
    ack: list[float] = field(default_factory=list)
    visible: list[float] = field(default_factory=list)
    missing: int = 0
    errors: int = 0
    ack_bodies: int = 0  # acks that carried something (infoint)

    def cells(self) -> list[str]:
        bare50, bare99 = percentile(self.bare, 50), percentile(self.bare, 99)
        ack50, ack99 = percentile(self.ack, 50), percentile(self.ack, 99)
        ratio = ack99 / bare99 if bare99 == bare99 and bare99 > 0 else float("nan")
        notes = []
        if self.missing:
            notes.append(f"{self.missing} answers not seen")
        if self.errors:
            notes.append(f"{self.errors} non-200")
        if self.ack_bodies:
            notes.append(f"{self.ack_bodies} acks with a body")
        return [
            TITLES[self.kind],
            str(self.concurrency),
            f"{ms(bare50)} / {ms(bare99)}",
            f"{ms(ack50)} / {ms(ack99)}",
            f"{ratio:.2f}×" if ratio == ratio else "—",
            f"{ms(percentile(self.visible, 50))} / {ms(percentile(self.visible, 99))}",
            "; ".join(notes),
        ]


HEADER = [
    "interaction",
    "concurrent",
    "bare Bolt ack p50 / p99 (ms)",
    "infoint ack p50 / p99 (ms)",
    "ack p99 ÷ bare",
    "infoint answer visible p50 / p99 (ms)",
    "",
]


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


# The run --------------------------------------------------------------------------------------------


def measure(args: argparse.Namespace) -> str:
    schema_url = prepare_database(args.database_url, args.schema, args.reseed)
    quiet_sweep(schema_url)
    fake = FakeSlack(bot_token=TOKEN).start()
    fake.set_user(STUDENT, tz="Europe/Paris")
    tag = f"r{int(time.time())}"
    submitter = f"UBL{tag.upper()}"  # a user of this run who logs contacts (the student's list stays 200)
    fake.set_user(submitter, tz="Europe/Paris")
    app_port, bare_port = free_port(), free_port()
    command, env = infoint_command(args.app_source)
    env |= {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "DATABASE_URL": schema_url,
            "SLACK_API_URL": fake.api_url, "PORT": str(app_port), "INFOINT_SWEEP_SECONDS": "86400"}  # fmt: skip
    bare_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    bare_cmd = [sys.executable, str(ROOT / "bench" / "bare_app.py"), "--port", str(bare_port),
                "--signing-secret", SECRET, "--api-url", fake.api_url, "--token", TOKEN]  # fmt: skip
    load_before = load_average()
    rows = {(k, c): Row(k, c) for c in args.concurrency for k in args.kinds}
    answers = Answers(fake)
    with (
        serve("infoint", command, env, app_port, ("listening on port",)) as app,
        serve("bare", bare_cmd, bare_env, bare_port, ("listening",)) as bare,
    ):
        # The first sweep (started with `infoint run`, nothing due: quiet_sweep) is over by then; its
        # "executed successfully" line is no longer logged since bot.logs configures the logging.
        time.sleep(3)
        idle_rss, bare_idle = app.rss_mib(), bare.rss_mib()
        infoint = Target(app.url, fake, answers, submitter, args.answer_timeout)
        plain = Target(bare.url, fake, None, submitter, args.answer_timeout)
        for kind in args.kinds:  # warm-up: code paths, connection pools, caches
            load(plain, kind, f"{tag}v", 10, 2)
            load(infoint, kind, f"{tag}w", 10, 2)
        for concurrency in args.concurrency:
            for kind in args.kinds:
                row = rows[(kind, concurrency)]
                print(f"{kind} × {args.requests} at {concurrency} concurrent…", flush=True)
                bare_samples = load(plain, kind, f"{tag}b{concurrency}", args.requests, concurrency)
                samples = load(infoint, kind, f"{tag}a{concurrency}", args.requests, concurrency)
                row.bare = [s.ack for s in bare_samples if s.status == 200]
                row.ack = [s.ack for s in samples if s.status == 200]
                row.visible = [s.visible for s in samples if s.visible is not None]
                row.missing = sum(1 for s in samples if s.visible is None)
                row.errors = sum(1 for s in samples + bare_samples if s.status != 200)
                row.ack_bodies = sum(1 for s in samples if s.body.strip() not in (b"", b"{}"))
        after_rss, bare_after = app.rss_mib(), bare.rss_mib()
    answers.stop()
    fake.stop()
    return report(args, list(rows.values()), (idle_rss, after_rss, bare_idle, bare_after), load_before)


def report(args: argparse.Namespace, rows: list[Row], rss: tuple[float, ...], load_before: str) -> str:
    source = f"code from {args.app_source}" if args.app_source else f"app {app_version()}"
    return "\n".join(
        [
            f"ack latency, {args.requests} requests per cell, PostgreSQL (10,000 users, 200,000 contacts); "
            f"{source}; {os.cpu_count()} cores; load average before {load_before}, after {load_average()}",
            "",
            table(rows),
            "",
            f"infoint process RSS: idle {rss[0]:.0f} MiB, after the run {rss[1]:.0f} MiB "
            f"(bare Bolt app: {rss[2]:.0f} → {rss[3]:.0f} MiB)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--schema", default="bench_ack")
    parser.add_argument("--reseed", action="store_true", help="seed the schema again even if it is there")
    parser.add_argument("--requests", type=int, default=200, help="requests per interaction and concurrency")
    parser.add_argument("--concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[1, 20])
    parser.add_argument("--kinds", type=lambda s: s.split(","), default=list(KINDS))
    parser.add_argument("--answer-timeout", type=float, default=120.0, help="seconds to wait for answers")
    parser.add_argument(
        "--app-source", type=Path, help="run infoint from this checkout (e.g. an older commit)"
    )
    parser.add_argument("--out", type=Path, help="also write the table here (default bench/results/ack-*.md)")
    args = parser.parse_args(argv)
    unknown = set(args.kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds {sorted(unknown)}: choose from {', '.join(KINDS)}")
    result = measure(args)
    print("\n" + result)
    out = args.out or ROOT / "bench" / "results" / f"ack-{datetime.now(UTC):%Y%m%dT%H%M%S}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result + "\n")
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
