"""Exactly once at the edges: a post that hangs and lands late, a DM history that can't be read, a
claim whose holder outlives its lease, 429s waited out inside the lease."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from helpers import (
    PARIS,
    STUDENT,
    RunningApp,
    elements,
    log_contact,
    make_config,
    nudge_dms,
    paris,
    rows,
    texts,
)
from slack_sdk import WebClient
from sqlalchemy import select, text, update

from bot.app import make_client
from bot.domain.pipeline import OutreachChannel, Stage
from bot.fakeslack import FakeSlack
from bot.sweep import Sweeper
from storage.db import Database
from storage.models import Nudge, User
from storage.repository import Repository
from storage.sweepstore import SweepStore

WHEN = paris(10, 10)  # Tuesday 10 March, 10:00 in Paris: a follow-up is due


@pytest.fixture
def due(running_app: RunningApp, slack: FakeSlack) -> RunningApp:
    """A student with one follow-up due at WHEN (and the DM channel known from the contact's DM)."""
    slack.set_user(STUDENT, tz=PARIS)
    running_app.clock.set(paris(2, 10))
    dm = log_contact(running_app, slack, name="Ada")
    running_app.sender.click(
        "request_sent", elements(dm)["request_sent"]["value"], channel=dm["channel"], message_ts=dm["ts"]
    )
    running_app.settle()
    return running_app


def sweeper_for(app: RunningApp, slack: FakeSlack, *, timeout: float = 10, **kwargs: Any) -> Sweeper:
    client = WebClient(token=app.config.bot_token, base_url=slack.api_url, timeout=timeout)
    return Sweeper(app.services.db, client, **kwargs)


def nudge(app: RunningApp) -> Nudge:
    [row] = rows(app, Nudge)
    return row


# A post that hangs -------------------------------------------------------------------------------------


def test_a_post_that_hangs_and_lands_late_is_not_sent_again(due: RunningApp, slack: FakeSlack) -> None:
    sweep = sweeper_for(due, slack, timeout=0.5)
    slack.delay_response_next("chat.postMessage", 1.5)
    first = sweep.run(WHEN)
    assert (first.dms, first.unconfirmed) == (0, 1)
    assert nudge(due).status == "sending"  # the claim is kept, with its token
    slack.wait_idle()  # …and Slack posts it after all
    assert len(nudge_dms(slack)) == 1
    later = sweep.run(WHEN + timedelta(minutes=2))
    assert (later.dms, later.recovered) == (0, 1)
    row = nudge(due)
    assert row.status == "sent" and row.message_ts == nudge_dms(slack)[0].response["ts"]
    assert sweep.run(WHEN + timedelta(hours=1)).dms == 0
    assert len(nudge_dms(slack)) == 1


def test_a_post_that_hangs_and_never_lands_is_sent_after_the_check(due: RunningApp, slack: FakeSlack) -> None:
    sweep = sweeper_for(due, slack, timeout=0.5)
    slack.delay_response_next("chat.postMessage", 1.0)
    slack.fail_next("chat.postMessage", status=503)  # held, then not carried out
    assert sweep.run(WHEN).unconfirmed == 1
    slack.wait_idle()
    assert nudge_dms(slack) == []
    assert sweep.run(WHEN + timedelta(seconds=30)).dms == 0  # still within the back-off
    assert sweep.run(WHEN + timedelta(minutes=2)).dms == 1
    assert len(nudge_dms(slack)) == 1 and nudge(due).status == "sent"


def test_no_resend_while_the_dm_history_cannot_be_read(due: RunningApp, slack: FakeSlack) -> None:
    sweep = sweeper_for(due, slack)
    slack.drop_response_next("chat.postMessage")
    slack.fail_next("conversations.history", status=500, times=3)
    first = sweep.run(WHEN)
    assert (first.dms, first.unconfirmed) == (0, 1)
    for minutes in (2, 5, 10):  # history still failing: looked for again later, never resent
        report = sweep.run(WHEN + timedelta(minutes=minutes))
        assert report.dms == 0
    assert nudge(due).status == "sending"
    found = sweep.run(WHEN + timedelta(minutes=30))
    assert found.recovered == 1 and nudge(due).status == "sent"
    assert len(nudge_dms(slack)) == 1


def test_an_unknown_dm_channel_waits_a_day_then_resends(due: RunningApp, slack: FakeSlack) -> None:
    """The stated limit: with no DM channel to read, a post with no answer is sent again after a day
    (it may then arrive twice) rather than never."""
    with due.services.db.session() as session:
        session.execute(update(User).values(dm_channel=None))
    sweep = sweeper_for(due, slack)
    slack.drop_response_next("chat.postMessage")
    assert sweep.run(WHEN).unconfirmed == 1
    for hours in (1, 6, 23):
        assert sweep.run(WHEN + timedelta(hours=hours)).dms == 0
    assert sweep.run(WHEN + timedelta(hours=25)).dms == 1
    assert len(nudge_dms(slack)) == 2  # the first landed too: the documented duplicate


# Leases -------------------------------------------------------------------------------------------------


def test_a_holder_that_lost_its_lease_does_not_post(due: RunningApp, slack: FakeSlack) -> None:
    """Sweep A is rate-limited; while it waits, its lease runs out and sweep B takes the claim over
    and delivers. A must then not post."""
    other = sweeper_for(due, slack)
    reports: list[Any] = []

    def wait_while_b_runs(seconds: float) -> None:
        assert seconds == 1
        reports.append(other.run(WHEN + timedelta(minutes=6)))

    holder = sweeper_for(due, slack, sleep=wait_while_b_runs)
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    mine = holder.run(WHEN)
    [theirs] = reports
    assert (theirs.recovered, theirs.dms) == (0, 1)  # B found no DM with A's claim, and sent it
    assert (mine.dms, mine.lost_leases) == (0, 1)
    assert len(nudge_dms(slack)) == 1 and nudge(due).status == "sent"


def test_a_429_is_waited_out_by_the_sweep_within_the_lease(due: RunningApp, slack: FakeSlack) -> None:
    waits: list[float] = []
    # make_client adds a RateLimitErrorRetryHandler: the sweep does not let it wait inside the client.
    sweep = Sweeper(
        due.services.db, make_client(make_config(slack, due.config.database_url)), sleep=waits.append
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=7, times=2)
    report = sweep.run(WHEN)
    assert report.dms == 1 and waits == [7.0, 7.0]
    assert len(nudge_dms(slack)) == 1


def test_a_429_longer_than_the_lease_allows_is_deferred(due: RunningApp, slack: FakeSlack) -> None:
    waits: list[float] = []
    sweep = sweeper_for(due, slack, sleep=waits.append)
    slack.fail_next("chat.postMessage", status=429, retry_after=600)
    first = sweep.run(WHEN)
    assert (first.dms, first.deferred, waits) == (0, 1, [])
    row = nudge(due)
    assert row.status == "pending" and row.retry_at is not None
    assert timedelta(minutes=10) <= row.retry_at - WHEN < timedelta(minutes=10, seconds=30)
    assert sweep.run(WHEN + timedelta(minutes=5)).dms == 0
    assert sweep.run(WHEN + timedelta(minutes=11)).dms == 1
    assert len(nudge_dms(slack)) == 1


def test_a_429_storm_gives_up_after_a_few_waits(due: RunningApp, slack: FakeSlack) -> None:
    waits: list[float] = []
    sweep = sweeper_for(due, slack, sleep=waits.append, max_rate_limited=3)
    slack.fail_next("chat.postMessage", status=429, retry_after=0, times=10)
    first = sweep.run(WHEN)
    assert (first.dms, first.deferred, len(waits)) == (0, 1, 3)
    report = sweep.run(WHEN + timedelta(seconds=1))
    assert report.dms == 0  # six 429s left: three waits, deferred again
    assert sweep.run(WHEN + timedelta(seconds=2)).dms == 1
    assert len(nudge_dms(slack)) == 1


# Units of work run twice -----------------------------------------------------------------------------------


def test_a_unit_that_committed_before_its_connection_died_is_safe_to_run_again(
    due: RunningApp, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst case for a retried unit of work: it committed, then the connection died before the
    sweep heard so, and it runs again. Logging, claiming and recording each survive that."""
    db = due.services.db
    real_run = db.run
    doubled: list[str] = []

    def run_twice_once(work: Any, *, attempts: int = 8, what: str = "unit of work") -> Any:
        if what not in doubled:
            doubled.append(what)
            real_run(work, what=what)  # committed; its answer is lost
        return real_run(work, attempts=attempts, what=what)

    monkeypatch.setattr(db, "run", run_twice_once)
    report = sweeper_for(due, slack).run(WHEN)
    assert {"sweep: plan", "sweep: claim", "sweep: record a DM"} <= set(doubled)
    assert (report.dms, report.items) == (1, 1)  # (what the lost run logged isn't counted: planned 0)
    assert len(nudge_dms(slack)) == 1 and nudge(due).status == "sent"


# Workspaces ---------------------------------------------------------------------------------------------


def test_each_dm_carries_one_workspace_s_reminders(db: Database, slack: FakeSlack) -> None:
    """The same Slack user id in two workspaces is two people: two DMs, each with its own reminder."""
    start = WHEN - timedelta(days=9)
    always = {"window_days": list(range(7)), "window_start": "00:00", "window_end": "23:59"}
    for team in ("T1", "T2"):
        with db.session() as session:
            repo = Repository(session, team)
            user = repo.get_or_create_user(STUDENT, start)
            repo.update_user(user, preferences=always, timezone="UTC")
            contact = repo.add_contact(
                user, {"name": f"Ada of {team}", "degree": "first"}, Stage.REQUESTED, start
            )
            repo.add_attempt(contact, OutreachChannel.EMAIL, WHEN - timedelta(days=8))
    report = Sweeper(db, WebClient(token="xoxb-test-token", base_url=slack.api_url)).run(WHEN)
    assert report.dms == 2
    with db.session() as session:
        teams = {n.id: n.team_id for n in session.scalars(select(Nudge))}
    for dm in nudge_dms(slack):
        ids = {
            int(b["block_id"].split(":")[1])
            for b in dm.args["blocks"]
            if b.get("block_id", "").startswith("nudge:")
        }
        [team] = {teams[i] for i in ids}
        assert f"Ada of {team}" in texts(dm.args["blocks"])


# One DM for a user's reminders, with sweeps side by side (PostgreSQL: SQLite serialises writers) --------


@pytest.mark.skipif(
    not os.environ.get("INFOINT_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only: SQLite serialises writers, so no other sweep can hold these locks",
)
def test_a_user_another_sweep_is_claiming_and_planning_another_sweep_is_doing_are_left_to_it(
    due: RunningApp, slack: FakeSlack
) -> None:
    """While another sweep plans, this one plans nothing; while another claims a user's reminders,
    this one leaves that user alone: so a user's reminders due together go in one DM."""
    db = due.services.db
    with db.session() as session:
        [student] = session.scalars(select(User)).all()
    other = db.sessions()
    try:
        other.begin()
        assert SweepStore(other).planning_turn()  # another sweep is planning
        first = sweeper_for(due, slack).run(WHEN)
        assert first.planned == 0 and first.dms == 0 and rows(due, Nudge) == []
        other.rollback()

        other.begin()
        assert SweepStore(other).user_to_claim(student.id) is not None  # another sweep is claiming
        second = sweeper_for(due, slack).run(WHEN)
        assert second.planned == 1 and second.dms == 0 and nudge(due).status == "pending"
        other.rollback()
    finally:
        other.close()

    third = sweeper_for(due, slack).run(WHEN)
    assert third.dms == 1 and nudge(due).status == "sent" and len(nudge_dms(slack)) == 1


@pytest.mark.skipif(
    not os.environ.get("INFOINT_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only: the planning lock is PostgreSQL's",
)
def test_a_sweep_planning_in_another_schema_does_not_stop_this_one(due: RunningApp, slack: FakeSlack) -> None:
    """Advisory locks are the whole database's: a sweep of another installation (its own schema on
    the same server) planning at this moment must not keep this one from planning."""
    db = due.services.db
    schema = f"t_other_{uuid.uuid4().hex[:12]}"
    with db.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    elsewhere = Database(re.sub(r"search_path%3D\w+", f"search_path%3D{schema}", db.url))
    other = elsewhere.sessions()
    try:
        other.begin()
        assert SweepStore(other).planning_turn()  # planning there, now
        swept = sweeper_for(due, slack).run(WHEN)
        assert swept.planned == 1 and swept.dms == 1 and nudge(due).status == "sent"
    finally:
        other.close()
        elsewhere.dispose()
        with db.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
