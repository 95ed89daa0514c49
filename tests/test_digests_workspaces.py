"""The cohorts' weekly digests across several workspaces: posted side by side by a bounded pool (the
sweep's, `bot.sweep.dispatch`), each workspace with its own client, so one workspace whose Slack is
slow or failing holds up no other; every digest once; a stop requested is respected between two
digests. Counted at the fake Slack (`teams.digests_posted`) and in the digest log."""

from __future__ import annotations

import threading
import time
from datetime import UTC, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select
from teams import NOW, Listed, channel_of, digests_posted, install, seed, seed_cohorts, team, token_of

from bot.digests import METADATA_EVENT, send_due_digests
from bot.fakeslack import FakeSlack
from bot.workspaces import Workspace
from storage.cohorts import CohortStore
from storage.db import Database
from storage.models import Cohort, CohortDigest, User

TEAMS = [team(n) for n in range(1, 4)]


def _world(db: Database, slack: FakeSlack, teams: list[str]) -> Listed:
    seed(db, teams, students=2)
    workspaces = install(slack, teams, timeout=30)
    seed_cohorts(db, slack, teams)
    return workspaces


def _digest_calls(slack: FakeSlack) -> list[Any]:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if (c.args.get("metadata") or {}).get("event_type") == METADATA_EVENT
    ]


def _statuses(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {
            team_id: status
            for team_id, status in session.execute(select(CohortDigest.team_id, CohortDigest.status))
        }


def test_a_slow_workspace_does_not_hold_up_another_s_digest(db: Database, slack: FakeSlack) -> None:
    """The first workspace's Slack takes 4 s to post its digest: the others' digests are posted
    meanwhile, not after it."""
    slow, *others = TEAMS
    workspaces = _world(db, slack, TEAMS)
    slack.delay_response_next("chat.postMessage", 4.0, team=slow)
    started = time.monotonic()
    report = send_due_digests(db, workspaces, NOW)  # the pool's default size
    assert report.sent == 3, report.summary()
    landed = {c.team: c.at - started for c in _digest_calls(slack)}
    assert landed[slow] >= 4.0
    for other in others:
        assert landed[other] < 2.0, f"{other}'s digest waited {landed[other]:.1f} s for the slow workspace"
    assert digests_posted(slack, TEAMS) == dict.fromkeys(TEAMS, 1)
    assert _statuses(db) == dict.fromkeys(TEAMS, "sent")
    again = send_due_digests(db, workspaces, NOW + timedelta(minutes=10))
    assert again.sent == 0 and digests_posted(slack, TEAMS) == dict.fromkeys(TEAMS, 1)


def test_a_rate_limited_workspace_leaves_its_digest_pending_and_the_others_are_posted(
    db: Database, slack: FakeSlack
) -> None:
    """The second workspace has used up its chat.postMessage for the minute: its digest is left
    pending until Retry-After (not waited out), the others' are posted; then it goes out, once. A
    digest's worker, unlike a sweep's courier, does not wait a 429 out in its thread."""
    limited = TEAMS[1]
    workspaces = _world(db, slack, TEAMS)
    slack.limit_method("chat.postMessage", per_minute=1, burst=1, team=limited)
    WebClient(token=token_of(limited), base_url=slack.api_url).chat_postMessage(
        channel=channel_of(limited), text="the minute's one post"
    )
    started = time.monotonic()
    report = send_due_digests(db, workspaces, NOW)
    assert time.monotonic() - started < 10, "Retry-After was waited out"
    assert (report.sent, report.retrying) == (2, 1), report.summary()
    assert _statuses(db) == {t: "pending" if t == limited else "sent" for t in TEAMS}
    slack.disable_rate_limits()
    assert send_due_digests(db, workspaces, NOW + timedelta(seconds=20)).sent == 0
    assert send_due_digests(db, workspaces, NOW + timedelta(minutes=2)).sent == 1
    assert digests_posted(slack, TEAMS) == dict.fromkeys(TEAMS, 1)
    assert _statuses(db) == dict.fromkeys(TEAMS, "sent")


class _Broken(WebClient):
    """A client whose every call raises what the digests do not expect."""

    def api_call(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("this workspace's client is broken")


def test_a_failing_workspace_does_not_stop_the_others(db: Database, slack: FakeSlack) -> None:
    """The first workspace's posting raises: the others' digests are posted all the same, then the
    error is raised; the broken workspace's digest is recovered once its lease has run out."""
    broken, *others = TEAMS
    workspaces = _world(db, slack, TEAMS)
    listed = Listed(
        tuple(
            Workspace(w.team_id, _Broken(token="xoxb-x", base_url=slack.api_url))
            if w.team_id == broken
            else w
            for w in workspaces.workspaces
        )
    )
    with pytest.raises(RuntimeError, match="broken"):
        send_due_digests(db, listed, NOW)
    assert digests_posted(slack, TEAMS) == {broken: 0} | dict.fromkeys(others, 1)
    later = send_due_digests(db, workspaces, NOW + timedelta(minutes=6))
    assert later.recovered == 1 and later.sent == 1, later.summary()
    assert digests_posted(slack, TEAMS) == dict.fromkeys(TEAMS, 1)


def test_a_stop_requested_ends_the_digests_between_two_workspaces(db: Database, slack: FakeSlack) -> None:
    """One worker: the stop comes while the first workspace's digest is being posted; that digest is
    finished and recorded, no other is begun, and theirs are due at the next sweep."""
    first, *others = TEAMS
    workspaces = _world(db, slack, TEAMS)
    slack.delay_response_next("chat.postMessage", 1.5, team=first)
    stopping = threading.Event()
    threading.Timer(0.5, stopping.set).start()
    report = send_due_digests(db, workspaces, NOW, workers=1, stopping=stopping)
    assert report.sent == 1
    assert digests_posted(slack, TEAMS) == {first: 1} | dict.fromkeys(others, 0)
    assert _statuses(db) == {first: "sent"}, "a digest was claimed after the stop"
    assert send_due_digests(db, workspaces, NOW + timedelta(minutes=1), stopping=threading.Event()).sent == 2
    assert digests_posted(slack, TEAMS) == dict.fromkeys(TEAMS, 1)


def test_a_stop_requested_between_two_digests_of_a_workspace_leaves_the_second_due(
    db: Database, slack: FakeSlack
) -> None:
    """A workspace with two cohorts: the stop comes while the first digest is being posted; that one
    is finished, the second, claimed already, goes back to pending and is due at the next sweep."""
    only = TEAMS[0]
    workspaces = _world(db, slack, [only])
    second = f"C{only[1:]}SECOND"
    with db.session() as session:
        mentor = session.scalars(select(User).where(User.slack_user_id == f"U{only[1:]}MENTOR")).one()
        CohortStore(session, only).create(second, "The second cohort", mentor, NOW - timedelta(days=9))
    slack.add_channel(second, "cohort-second", (mentor.slack_user_id,))
    slack.delay_response_next("chat.postMessage", 1.5, team=only)
    stopping = threading.Event()
    threading.Timer(0.5, stopping.set).start()
    report = send_due_digests(db, workspaces, NOW, stopping=stopping)
    assert (report.sent, report.retrying) == (1, 0), report.summary()
    assert len(_digest_calls(slack)) == 1
    with db.session() as session:
        statuses = sorted(session.scalars(select(CohortDigest.status)))
        due = sorted(session.scalars(select(Cohort.next_digest_at)))
    assert statuses == ["pending", "sent"]
    assert due[0] is not None and (due[0] if due[0].tzinfo else due[0].replace(tzinfo=UTC)) == NOW
    assert send_due_digests(db, workspaces, NOW + timedelta(minutes=1)).sent == 1
    assert len(_digest_calls(slack)) == 2
