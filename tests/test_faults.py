"""The fault suite: 300 due reminders for 60 students, delivered through a fake Slack that fails on
purpose (429 and 5xx storms, lost answers, posts that hang and land late, an unreadable history),
by sweeps that lose their lease, get SIGKILLed, run side by side (threads and processes) or lose
their PostgreSQL connection. Each test counts, at the fake Slack, the DMs that carry each reminder:
every one exactly once (none lost, none duplicated).

Each test prints one line of numbers (``pytest -s tests/test_faults.py`` shows them)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from helpers import BOT_TOKEN, clean_env
from slack_sdk import WebClient
from sqlalchemy import select
from teams import NOW, Tally, dm_of, seed, student, tally

from bot.fakeslack import FakeSlack
from bot.sweep import Sweeper, SweepReport
from storage.db import Database
from storage.models import Nudge

STUDENTS = 60
PER_STUDENT = 5
REMINDERS = STUDENTS * PER_STUDENT
TEAM = "T0001"
CLI = [sys.executable, "-m", "bot.cli", "sweep"]


def assert_exactly_once(db: Database, slack: FakeSlack, label: str, started: float) -> Tally:
    counted = tally(slack, {dm_of(student(TEAM, n)) for n in range(STUDENTS)})
    with db.session() as session:
        nudges = list(session.scalars(select(Nudge)))
    ids = {n.id for n in nudges}
    lost = [i for i in ids if counted.per_reminder[i] == 0]
    print(
        f"\nfault suite [{label}]: {len(ids)} reminders, {counted.dms} DMs, "
        f"{counted.duplicated} duplicated, {len(lost)} lost, {time.monotonic() - started:.1f} s"
    )
    assert len(ids) == REMINDERS
    assert set(counted.per_reminder) == ids, "a DM carried a reminder the log doesn't have"
    assert not lost, f"{len(lost)} reminder(s) never arrived"
    assert counted.duplicated == 0, f"{counted.duplicated} duplicate(s)"
    assert {n.status for n in nudges} == {"sent"}
    for n in nudges:  # each row points at the DM that carries it
        message = slack.message(n.channel or "", n.message_ts or "")
        assert message is not None and any(b.get("block_id") == f"nudge:{n.id}" for b in message["blocks"])
    assert slack.internal_errors == []
    return counted


def client(slack: FakeSlack, timeout: float = 5) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=slack.api_url, timeout=timeout)


def drain(
    sweepers: list[Sweeper], slack: FakeSlack, start: datetime = NOW, rounds: int = 30
) -> list[SweepReport]:
    """Sweep (taking turns) every 5 minutes from ``start`` until nothing is left to send."""
    reports = []
    for i in range(rounds):
        slack.wait_idle()
        reports.append(sweepers[i % len(sweepers)].run(start + timedelta(minutes=5 * i)))
        if _all_sent(sweepers[0].db):
            return reports
    raise AssertionError(f"not everything was sent after {rounds} sweeps: {reports[-1].summary()}")


def _all_sent(db: Database) -> bool:
    with db.session() as session:
        return set(session.scalars(select(Nudge.status).distinct())) == {"sent"}


@pytest.fixture
def seeded(db: Database, slack: FakeSlack) -> Iterator[Database]:
    """60 students (UTC, working every hour, DM channel known), 5 requests each sent 8 days ago."""
    seed(db, [TEAM], STUDENTS, PER_STUDENT)
    yield db
    slack.wait_idle()


# One sweeper, a faulty Slack ---------------------------------------------------------------------------


def storm_429(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=0, times=80)


def storm_500(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", status=500, times=40)
    slack.fail_next("chat.postMessage", status=503, times=10)


def lost_answers(slack: FakeSlack) -> None:
    slack.drop_response_next("chat.postMessage", times=40)


def hanging_posts(slack: FakeSlack) -> None:
    slack.delay_response_next("chat.postMessage", 0.6, times=6)  # the client gives up at 0.3 s


def unreadable_history(slack: FakeSlack) -> None:
    slack.drop_response_next("chat.postMessage", times=20)
    slack.fail_next("conversations.history", status=500, times=30)


def everything(slack: FakeSlack) -> None:
    slack.delay_response_next("chat.postMessage", 0.6, times=3)
    slack.drop_response_next("chat.postMessage", times=10)
    slack.fail_next("chat.postMessage", status=429, retry_after=0, times=30)
    slack.fail_next("chat.postMessage", status=500, times=10)
    slack.fail_next("conversations.history", status=502, times=10)


FAULTS: dict[str, Callable[[FakeSlack], None]] = {
    "429-storm": storm_429,
    "500-storm": storm_500,
    "lost-answers": lost_answers,
    "hanging-posts": hanging_posts,
    "unreadable-history": unreadable_history,
    "all-at-once": everything,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_faulty_slack(seeded: Database, slack: FakeSlack, fault: str) -> None:
    started = time.monotonic()
    FAULTS[fault](slack)
    reports = drain(
        [Sweeper(seeded, client(slack, timeout=0.3 if "hang" in fault or "all" in fault else 5))], slack
    )
    counted = assert_exactly_once(seeded, slack, fault, started)
    assert counted.dms >= STUDENTS and sum(r.dms + r.recovered // PER_STUDENT for r in reports) >= STUDENTS


# Sweeps against sweeps -----------------------------------------------------------------------------------


def test_an_expired_lease_with_a_slow_holder(seeded: Database, slack: FakeSlack) -> None:
    """Sweep A is rate-limited on its first DM; while it waits, its lease runs out and sweep B takes
    the claim over and delivers everything. A then posts nothing."""
    started = time.monotonic()
    other = Sweeper(seeded, client(slack))
    theirs: list[SweepReport] = []
    holder = Sweeper(
        seeded, client(slack), sleep=lambda _: theirs.append(other.run(NOW + timedelta(minutes=6)))
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    mine = holder.run(NOW)
    assert mine.lost_leases == PER_STUDENT and mine.dms == 0
    assert theirs[0].dms == STUDENTS
    assert_exactly_once(seeded, slack, "expired lease", started)


def test_concurrent_sweeps_in_threads(seeded: Database, slack: FakeSlack) -> None:
    started = time.monotonic()
    slack.drop_response_next("chat.postMessage", times=10)
    slack.fail_next("chat.postMessage", status=429, retry_after=0, times=20)
    barrier = threading.Barrier(4)
    reports: list[SweepReport] = []

    def sweep() -> None:
        own = Sweeper(seeded, client(slack))
        barrier.wait()
        reports.append(own.run(NOW))

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(reports) == 4
    drain([Sweeper(seeded, client(slack))], slack, start=NOW + timedelta(minutes=5))
    assert_exactly_once(seeded, slack, "4 threads", started)


def sweep_env(db: Database, slack: FakeSlack, url: str | None = None) -> dict[str, str]:
    return clean_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url, DATABASE_URL=url or db.url)


def test_concurrent_sweeps_in_processes(seeded: Database, slack: FakeSlack, tmp_path: Path) -> None:
    started = time.monotonic()
    slack.drop_response_next("chat.postMessage", times=5)
    slack.delay_response_next("chat.postMessage", 0.02, times=60)
    env = sweep_env(seeded, slack)
    processes = [
        subprocess.Popen(
            [*CLI, "--at", NOW.isoformat()],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    assert all("Traceback" not in err for _, err in outputs), outputs
    drain([Sweeper(seeded, client(slack))], slack, start=NOW + timedelta(minutes=5))
    assert_exactly_once(seeded, slack, "3 processes", started)


def test_sigkill_mid_dispatch_then_a_rerun(seeded: Database, slack: FakeSlack, tmp_path: Path) -> None:
    """`infoint sweep` killed with SIGKILL while it sends (one post in flight), then run again after
    the lease: the claims it left are found in the DMs or sent, once."""
    started = time.monotonic()
    slack.delay_response_next("chat.postMessage", 0.05, times=STUDENTS)
    env = sweep_env(seeded, slack)
    process = subprocess.Popen(
        [*CLI, "--at", NOW.isoformat()], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        slack.wait_for("chat.postMessage", 15, timeout=60)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    slack.wait_idle()
    with seeded.session() as session:
        left = Counter(session.scalars(select(Nudge.status)))
    assert left["sent"] < REMINDERS and (left["sending"] or left["pending"]), left
    rerun = subprocess.run(
        [*CLI, "--at", (NOW + timedelta(minutes=6)).isoformat()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0 and "Traceback" not in rerun.stderr, rerun.stderr
    label = f"SIGKILL with {left['sent']} sent, {left['sending']} sending, {left['pending']} pending"
    assert_exactly_once(seeded, slack, label, started)


# PostgreSQL connections terminated -------------------------------------------------------------------------


def test_postgres_backends_terminated_mid_sweep(seeded: Database, slack: FakeSlack, tmp_path: Path) -> None:
    """`infoint sweep` keeps going when its connections are terminated (pg_terminate_backend from
    another connection, every 0.8 s) and finishes its pass: exit 0, each reminder once."""
    if seeded.dialect != "postgresql":
        pytest.skip("PostgreSQL only: set INFOINT_TEST_DATABASE_URL=postgresql://…")
    started = time.monotonic()
    name = f"infoint-fault-{os.getpid()}"
    url = seeded.url + f"&application_name={name}"
    slack.delay_response_next("chat.postMessage", 0.04, times=STUDENTS)
    admin_url = "postgresql://" + seeded.url.split("://", 1)[1].split("?", 1)[0]
    process = subprocess.Popen(
        [*CLI, "--at", NOW.isoformat()],
        cwd=tmp_path,
        env=sweep_env(seeded, slack, url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    terminated = 0
    with psycopg.connect(admin_url, autocommit=True) as admin:
        while process.poll() is None:
            time.sleep(0.8)
            terminated += len(
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                    (name,),
                ).fetchall()
            )
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    assert terminated >= 2, f"only {terminated} backend(s) terminated: the sweep was too quick to test"
    assert f"sent {STUDENTS} DM(s) with {REMINDERS} nudge(s)" in out.splitlines()[-1], out
    retried = err.count("the database connection failed")
    assert_exactly_once(seeded, slack, f"{terminated} backends terminated, {retried} units retried", started)
