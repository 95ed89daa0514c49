"""The sweep across several workspaces, each with its own bot token and rate limits: a bounded pool
sends to them concurrently, every reminder once and through its own workspace's token; a workspace
under a 429 storm does not hold up another; a workspace whose token Slack refuses is reported and
the others are served. Counted at the fake Slack (`teams.tally`)."""

from __future__ import annotations

import itertools
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from teams import NOW, assert_each_once, install, seed, team, token_of

from bot.config import ConfigError, load_config
from bot.digests import send_due_digests
from bot.fakeslack import FakeSlack
from bot.sweep import Sweeper
from storage.db import Database
from storage.models import Nudge, User

TEAMS = [team(n) for n in range(1, 5)]


def test_the_pool_delivers_each_reminder_once_through_its_own_workspace(
    db: Database, slack: FakeSlack
) -> None:
    seed(db, TEAMS, students=12, per_student=2)
    workspaces = install(slack, TEAMS)
    slack.drop_response_next("chat.postMessage", times=3)
    slack.fail_next("chat.postMessage", status=429, retry_after=0, times=4)
    report = Sweeper(db, workspaces, workers=4).run(NOW)
    later = Sweeper(db, workspaces, workers=4).run(NOW + timedelta(minutes=6))  # the unanswered ones
    assert report.dms + later.dms + (later.recovered // 2) == 48, (report.summary(), later.summary())
    counted = assert_each_once(db, slack, expected=96)
    assert counted.dms == 48
    assert report.refused_workspaces == []


def test_workspaces_are_sent_to_at_once(db: Database, slack: FakeSlack) -> None:
    """Each workspace at 120 DMs a minute (burst 1): 4 × 6 DMs take ~2.5 s side by side; one after
    another they would take ~10 s."""
    seed(db, TEAMS, students=6)
    workspaces = install(slack, TEAMS)
    slack.limit_method("chat.postMessage", per_minute=120, burst=1)
    started = time.monotonic()
    report = Sweeper(db, workspaces, workers=4).run(NOW)
    took = time.monotonic() - started
    assert report.dms == 24
    assert_each_once(db, slack, expected=24)
    teams_in_order = [c.team for c in slack.calls_to("chat.postMessage") if c.status == 200]
    switches = sum(1 for a, b in itertools.pairwise(teams_in_order) if a != b)
    assert switches >= 12, teams_in_order  # interleaved, not one workspace after another
    assert took < 8, f"{took:.1f} s: the workspaces were not sent to concurrently"


def test_a_429_storm_in_one_workspace_does_not_stall_another(db: Database, slack: FakeSlack) -> None:
    """The first workspace may post once every 30 s: its worker waits out Retry-After while the
    second workspace's 20 DMs all go out."""
    stormy, calm = team(1), team(2)
    seed(db, [stormy, calm], students=20)
    workspaces = install(slack, [stormy, calm])
    slack.limit_method("chat.postMessage", per_minute=2, burst=1, team=stormy)
    waits: list[tuple[float, int]] = []

    def calm_delivered() -> int:
        return sum(1 for c in slack.calls_to("chat.postMessage") if c.team == calm and c.status == 200)

    def sleep(seconds: float) -> None:  # only the stormy workspace is told to wait
        deadline = time.monotonic() + 20
        while calm_delivered() < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        waits.append((seconds, calm_delivered()))

    report = Sweeper(db, workspaces, workers=2, sleep=sleep, max_rate_limited=2).run(NOW)
    assert waits and all(seconds >= 20 for seconds, _ in waits), waits
    assert waits[0][1] == 20, "the calm workspace was held up while the stormy one waited"
    with db.session() as session:
        rows = list(session.execute(select(Nudge.team_id, Nudge.status, Nudge.retry_at)))
    assert sorted(s for t, s, _ in rows if t == calm) == ["sent"] * 20
    stormy_rows = [(s, r) for t, s, r in rows if t == stormy]
    assert sum(1 for s, _ in stormy_rows if s == "sent") == 1
    assert report.deferred >= 1 and all(s in ("sent", "pending") for s, _ in stormy_rows)
    slack.disable_rate_limits()
    for minute in range(1, 40):  # the stormy workspace's rest goes out once its Retry-After passed
        Sweeper(db, workspaces, workers=2).run(NOW + timedelta(minutes=minute))
        with db.session() as session:
            if set(session.scalars(select(Nudge.status))) == {"sent"}:
                break
    assert_each_once(db, slack, expected=40)


@pytest.mark.parametrize("refusal", ["invalid_auth", "account_inactive", "token_revoked"])
def test_a_revoked_token_is_reported_and_the_other_workspaces_are_served(
    db: Database, slack: FakeSlack, refusal: str
) -> None:
    seed(db, TEAMS, students=5)
    workspaces = install(slack, TEAMS)
    gone = TEAMS[1]
    slack.revoke_token(token_of(gone), refusal)
    report = Sweeper(db, workspaces, workers=4).run(NOW)
    assert report.refused_workspaces == [f"{gone} ({refusal})"]
    assert f"1 workspace(s) refused our token: {gone} ({refusal})" in report.summary()
    assert report.dms == 15 and report.failed == 0
    refused = [c for c in slack.calls_to("chat.postMessage") if c.response.get("error") == refusal]
    assert len(refused) == 1, "the workspace went on posting after its token was refused"
    with db.session() as session:
        statuses = {(t, s) for t, s in session.execute(select(Nudge.team_id, Nudge.status))}
        students_of_gone = list(session.scalars(select(User).where(User.team_id == gone)))
    assert (gone, "pending") in statuses and (gone, "sent") not in statuses
    assert {(t, "sent") for t in TEAMS if t != gone} <= statuses
    assert all(u.unreachable_since is None for u in students_of_gone), "its students were marked unreachable"
    slack.add_team(gone, token_of(gone))  # installed again: its reminders go out, once
    for minute in (1, 3, 6, 11):
        Sweeper(db, workspaces, workers=4).run(NOW + timedelta(minutes=minute))
    assert_each_once(db, slack, expected=20)


def test_one_worker_sends_the_workspaces_one_after_another(db: Database, slack: FakeSlack) -> None:
    seed(db, TEAMS[:3], students=4)
    workspaces = install(slack, TEAMS[:3])
    report = Sweeper(db, workspaces, workers=1).run(NOW)
    assert report.dms == 12
    teams_in_order = [c.team for c in slack.calls_to("chat.postMessage")]
    assert teams_in_order == sorted(teams_in_order), "one worker interleaved the workspaces"
    assert_each_once(db, slack, expected=12)


def test_digests_take_workspaces_and_a_workspace_sees_only_its_team(db: Database, slack: FakeSlack) -> None:
    """No cohort anywhere: nothing is posted, with a client per workspace or without one."""
    workspaces = install(slack, TEAMS[:2])
    assert send_due_digests(db, workspaces, NOW).sent == 0
    assert send_due_digests(db, None, NOW).sent == 0
    assert slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("raw", "ok"), [("1", True), ("64", True), ("0", False), ("many", False), ("999", False)]
)
def test_infoint_sweep_workers_is_read_and_checked(raw: str, ok: bool) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "a" * 32, "INFOINT_SWEEP_WORKERS": raw}
    if ok:
        assert load_config(env).sweep_workers == int(raw)
    else:
        with pytest.raises(ConfigError, match=r"^INFOINT_SWEEP_WORKERS must be a whole number from 1 to 256"):
            load_config(env)
    assert load_config({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "a" * 32}).sweep_workers == 64
