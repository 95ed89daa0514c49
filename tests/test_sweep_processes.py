"""Two `infoint run` processes on one PostgreSQL database, as behind a load balancer: six workspaces
installed through OAuth (the fake Slack playing each, with its own bot token and rate limits), many
reminders due across them, 429s on the way. Each process sweeps on its own scheduler, on the real
clock; counted at the fake Slack, every reminder reaches its student once, every cohort's weekly
digest is posted once, both processes send some, each answers slash commands with the workspace's
own token, and both stop with exit 0 on SIGTERM."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hours import awake_zone
from oauthworld import OAuthWorld, new_key
from runprocess import infoint_runs, run_env
from slackwire import SlackSender
from sqlalchemy import Select, func, select, update
from teams import assert_each_once, digests_posted, seed, seed_cohorts, student, team, token_of

from bot.fakeslack import FakeSlack
from storage.db import Database
from storage.models import Cohort, CohortDigest, Nudge

TEAMS = [team(n) for n in range(1, 7)]
STUDENTS, PER_STUDENT = 20, 2
EXPECTED = len(TEAMS) * STUDENTS * PER_STUDENT


def _wait(what: str, done: Callable[[], bool], timeout: float, logs: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() >= deadline:
            pytest.fail(f"{what} not within {timeout} s:\n{logs()}")
        time.sleep(0.25)


def _count(db: Database, query: Select[tuple[int]]) -> int:
    with db.session() as session:
        return int(session.scalar(query) or 0)


def test_two_infoint_run_processes_send_each_reminder_and_digest_once(
    db: Database, slack: FakeSlack, tmp_path: Path
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL only (SQLite is one file on one machine): set INFOINT_TEST_DATABASE_URL")
    started = time.monotonic()
    now = datetime.now(UTC)  # `infoint run` sweeps on the real clock: follow-ups due now
    seed(db, TEAMS, STUDENTS, PER_STUDENT, now=now, timezone=awake_zone(now))
    seed_cohorts(db, slack, TEAMS, now=now)
    with db.session() as session:  # each digest held back until the reminders are out (see below)
        session.execute(
            update(Cohort).values(
                digest_weekday=0, digest_time="00:00", next_digest_at=now + timedelta(days=1)
            )
        )
    key = new_key()
    world = OAuthWorld(db, slack, key)
    for team_id in TEAMS:
        assert world.install(team_id, token_of(team_id), f"Team {team_id}").status == 200
    world.close()
    # Every team: 2 DMs a second (a burst of 3), so that the two processes' passes overlap; and 429s.
    slack.limit_method("chat.postMessage", per_minute=120, burst=3)
    slack.fail_next("chat.postMessage", status=429, retry_after=1, times=6)

    envs = [run_env(db, key, slack) for _ in range(2)]
    with infoint_runs(tmp_path, *envs) as processes:

        def logs() -> str:
            return "\n".join(f"--- process {n}:\n{p.output()}" for n, p in enumerate(processes))

        # Slash commands to each process, from each workspace: answered with that workspace's token.
        expected_token: dict[str, str] = {}
        for process in processes:
            sender = SlackSender(f"{process.base_url}/slack/events", slack.response_url(""), slack.trigger_id)
            for team_id in TEAMS:
                trigger = slack.trigger_id()
                expected_token[trigger] = f"Bearer {token_of(team_id)}"
                reply = sender.command("log", user=student(team_id, 0), team=team_id, trigger_id=trigger)
                assert reply.status == 200, reply.body
        _wait(
            "a modal for each command",
            lambda: (
                len([c for c in slack.calls_to("views.open") if c.args.get("trigger_id") in expected_token])
                >= len(expected_token)
            ),
            20,
            logs,
        )
        opened = [c for c in slack.calls_to("views.open") if c.args.get("trigger_id") in expected_token]
        assert {c.args["trigger_id"]: c.headers["authorization"] for c in opened} == expected_token

        # The follow-ups seeded, and whatever else is due today (on a Monday, each student's plan).
        follow_ups = select(func.count()).select_from(Nudge).where(Nudge.contact_id.is_not(None))
        unsent = select(func.count()).select_from(Nudge).where(Nudge.status != "sent")
        _wait(
            "every reminder sent",
            lambda: _count(db, follow_ups) == EXPECTED and _count(db, unsent) == 0,
            60,
            logs,
        )
        # A digest refused by a 429 is due again once its Retry-After has passed: they go out once the
        # limit is lifted, both processes looking for them on each sweep.
        slack.limit_method("chat.postMessage", per_minute=60_000)
        with db.session() as session:
            session.execute(update(Cohort).values(next_digest_at=datetime.now(UTC) - timedelta(seconds=1)))
        posted = select(func.count()).select_from(CohortDigest).where(CohortDigest.status == "sent")
        _wait("every digest posted", lambda: _count(db, posted) == len(TEAMS), 30, logs)
        time.sleep(6)  # another sweep by each: nothing more to send
        outputs = [p.output() for p in processes]

    counted = assert_each_once(db, slack, expected=_count(db, select(func.count()).select_from(Nudge)))
    assert digests_posted(slack, TEAMS) == dict.fromkeys(TEAMS, 1)
    refused = [c for c in slack.calls_to("chat.postMessage") if c.status == 429]
    assert sum(c.injected for c in refused) == 6, "the injected 429s were not all met"
    dms = [sum(int(n) for n in re.findall(r"sent (\d+) DM", out)) for out in outputs]
    assert all(dms), f"one process sent nothing: {dms}\n{outputs}"
    assert sum(dms) == counted.dms
    assert all(token_of(t) not in out and key not in out for t in TEAMS for out in outputs)
    print(
        f"\ntwo infoint run processes, {len(TEAMS)} workspaces: {counted.dms} DMs carrying "
        f"{sum(counted.per_reminder.values())} reminders, 0 lost, 0 duplicated, {len(TEAMS)} digests "
        f"once; {len(refused)} posts refused with 429; DMs sent by each process: {dms}; "
        f"{time.monotonic() - started:.1f} s"
    )
