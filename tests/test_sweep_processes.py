"""Two processes sweeping one PostgreSQL database, as two `infoint run` behind a load balancer
would: across six workspaces (each with its own bot token and rate limits), with 429s on the
way, every reminder reaches its student once and every cohort's weekly digest is posted
once, counted at the fake Slack."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from helpers import clean_env
from teams import NOW, assert_each_once, digests_posted, install, seed, seed_cohorts, team, token_of

from bot.digests import send_due_digests
from bot.fakeslack import FakeSlack
from bot.sweep import Sweeper
from storage.db import Database

TEAMS = [team(n) for n in range(1, 7)]
STUDENTS, PER_STUDENT = 25, 2
LOOP = Path(__file__).with_name("sweeploop.py")


def test_two_processes_sweeping_several_workspaces_send_each_reminder_and_digest_once(
    db: Database, slack: FakeSlack, tmp_path: Path
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL only (SQLite is one file on one machine): set INFOINT_TEST_DATABASE_URL")
    started = time.monotonic()
    seed(db, TEAMS, STUDENTS, PER_STUDENT)
    seed_cohorts(db, slack, TEAMS)
    workspaces = install(slack, TEAMS)
    slack.limit_method("chat.postMessage", per_minute=240, burst=5)  # every team: 4 a second
    # No lost answers here: a digest whose answer is lost is posted again (the README's stated
    # limit); test_faults.py loses answers to reminders.
    slack.fail_next("chat.postMessage", status=429, retry_after=1, times=6)
    command = [sys.executable, str(LOOP), "--db", db.url, "--api", slack.api_url, "--start", NOW.isoformat()]
    command += [f"--team={t}={token_of(t)}" for t in TEAMS]
    processes = [
        subprocess.Popen(
            [*command, "--workers", "3", "--passes", "8", "--step", "1", "--pause", "1"],
            cwd=tmp_path,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=240) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert all("Traceback" not in err for _, err in outputs), outputs
    sent = [sum(int(n) for n in re.findall(r"sent (\d+) DM", out)) for out, _ in outputs]
    assert all(sent), f"one process sent nothing: {outputs}"
    for minute in (20, 30, 45):  # what the two left (a digest refused by a 429 waits 15 minutes)
        Sweeper(db, workspaces).run(NOW + timedelta(minutes=minute))
        send_due_digests(db, workspaces, NOW + timedelta(minutes=minute))
    counted = assert_each_once(db, slack, expected=len(TEAMS) * STUDENTS * PER_STUDENT)
    assert digests_posted(slack, TEAMS) == dict.fromkeys(TEAMS, 1)
    print(
        f"\ntwo processes, {len(TEAMS)} workspaces: {counted.dms} DMs carrying "
        f"{sum(counted.per_reminder.values())} reminders, 0 lost, 0 duplicated, "
        f"{len(TEAMS)} digests once; DMs sent by each process: {sent}; {time.monotonic() - started:.1f} s"
    )
