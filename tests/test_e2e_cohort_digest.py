"""The weekly digest end to end: due at the mentor's day and time in their timezone across DST, posted
once however many sweeps run at once, its chart and details in the thread, naming nobody but who
agreed (escaped); the mentor's DM of who needs attention, its nudge (asking first the second time in
a day); deactivated users; the Monday plan's cohort lines; ``infoint sweep`` sends it too."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cohortworld import BERLIN, CHANNEL, MENTOR, NEW_YORK, OTHER, CohortWorld, week
from helpers import BOT_TOKEN, STUDENT, T0, RunningApp, buttons, clean_env, elements, rows, texts

from bot.digests import DigestReport
from bot.domain.cohorts import MemberState, Placement
from bot.fakeslack import FakeSlack, validate_message_blocks
from storage.cohorts import CohortStore
from storage.models import CohortDigest, CohortNudge, CohortView, User
from storage.repository import Repository

DAY = timedelta(days=1)
ROOT = Path(__file__).resolve().parents[1]


def parsed(payload: object) -> str:
    """What Slack parses as mrkdwn (mentions and all): the message's text and its mrkdwn objects;
    plain_text is shown as typed."""
    if isinstance(payload, dict):
        found = (
            [payload["text"]]
            if payload.get("type") == "mrkdwn" and isinstance(payload.get("text"), str)
            else []
        )
        if isinstance(payload.get("text"), str) and "blocks" in payload:
            found.append(payload["text"])
        return " ".join(
            found + [parsed(v) for k, v in payload.items() if k != "text" or not isinstance(v, str)]
        )
    if isinstance(payload, list):
        return " ".join(parsed(v) for v in payload)
    return ""


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def world(running_app: RunningApp, slack: FakeSlack) -> CohortWorld:
    found = CohortWorld(running_app, slack)
    found.at(T0)  # Monday 2 March 2026, 10:00 in Berlin
    return found


def test_the_digest_goes_out_once_across_two_concurrent_sweeps(world: CohortWorld, slack: FakeSlack) -> None:
    world.create()
    world.join(STUDENT)
    world.join(OTHER)
    world.student_contacts(OTHER, 3, sent=T0 + 2 * DAY)
    due = utc(3, 9, 8)  # Monday 9 March, 09:00 in Berlin (CET)
    world.at(due)
    reports: list[DigestReport] = []
    start = threading.Barrier(2)

    def sweep() -> None:
        start.wait()
        reports.append(world.digest(due))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.sent for r in reports) == [0, 1]
    [digest] = world.digests_posted()
    assert digest.args["channel"] == CHANNEL
    assert not validate_message_blocks(digest.args["blocks"], digest.args["text"])
    shown = texts(digest.args["blocks"])
    assert "the week of 2 Mar" in shown and "*Requests sent:* 3" in shown and "▲ 3" in shown
    assert STUDENT not in shown and OTHER not in shown  # nobody named
    # The thread: details and the chart (a PNG), in the digest's thread.
    ts = digest.response["ts"]
    [details] = [c for c in slack.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]
    assert "The funnel so far" in texts(details.args["blocks"]) and STUDENT not in texts(details.args)
    [chart] = [f for f in slack.files.values() if f["name"].endswith(".png")]
    assert chart["channels"] == [CHANNEL] and chart["thread_ts"] == ts
    assert slack.uploads[chart["id"]].startswith(b"\x89PNG")
    [logged] = rows(world.app, CohortDigest)
    assert (logged.status, logged.message_ts, logged.totals["requests"]) == ("sent", ts, 3)
    # Again, later that day, and next week's is not early: nothing more.
    assert world.digest(due + timedelta(hours=5)).sent == 0
    assert world.cohort().next_digest_at == utc(3, 16, 8)
    assert len(world.digests_posted()) == 1


@pytest.mark.parametrize("retry_after", [3, 20 * 60], ids=["short", "past-the-fixed-retry"])
def test_a_rate_limited_digest_is_not_tried_again_before_retry_after(
    world: CohortWorld, slack: FakeSlack, retry_after: int
) -> None:
    """Slack answers the digest's post with 429: the digest stays pending and its cohort is due again
    once Retry-After has passed, not after a fixed delay, nor waited out inside the client (which
    would hold the sweep's thread and the leases of the digests claimed with it)."""
    world.create()
    world.join(STUDENT)
    due = utc(3, 9, 8)
    slack.fail_next("chat.postMessage", status=429, retry_after=retry_after)
    started = time.monotonic()
    first = world.digest(due)
    assert time.monotonic() - started < min(retry_after, 30), "the 429 was waited out"
    assert (first.sent, first.retrying) == (0, 1)
    [logged] = rows(world.app, CohortDigest)
    assert (logged.status, logged.error) == ("pending", "ratelimited")
    again = world.cohort().next_digest_at
    assert again is not None
    assert due + timedelta(seconds=retry_after) <= again < due + timedelta(seconds=retry_after + 30)
    tries = len(slack.calls_to("chat.postMessage"))
    assert world.digest(again - timedelta(seconds=1)).sent == 0
    assert len(slack.calls_to("chat.postMessage")) == tries, "tried again before Retry-After"
    assert world.digest(again).sent == 1
    assert len(world.digests_posted()) == 1


@pytest.mark.parametrize(
    ("tz", "mondays"),
    [
        # Europe/Berlin: CET (UTC+1) until Sunday 29 March 2026, then CEST (UTC+2).
        (BERLIN, [utc(3, 23, 8), utc(3, 30, 7)]),
        # America/New_York: EST (UTC-5) until Sunday 8 March 2026, then EDT (UTC-4).
        (NEW_YORK, [utc(3, 2, 14), utc(3, 9, 13)]),
    ],
)
def test_the_digest_time_is_the_mentors_local_time_across_dst(
    running_app: RunningApp, slack: FakeSlack, tz: str, mondays: list[datetime]
) -> None:
    world = CohortWorld(running_app, slack, mentor_tz=tz)
    world.at(mondays[0] - week(1))
    world.create()
    assert world.cohort().digest_timezone == tz
    for monday in mondays:
        assert world.digest(monday - timedelta(minutes=1)).sent == 0
        assert world.digest(monday).sent == 1, monday
    assert [c.response["ts"] is not None for c in world.digests_posted()] == [True, True]


def test_mentors_dm_lists_who_needs_attention_and_nudges_ask_first_the_second_time(
    world: CohortWorld, slack: FakeSlack
) -> None:
    cohort_id = world.create()
    world.join(STUDENT)  # no outreach: flagged after 7 days
    world.join(OTHER)
    world.student_contacts(OTHER, 1, sent=T0 + 5 * DAY)
    [contact] = world.student_contacts(STUDENT, 1, sent=T0 - 20 * DAY)  # no reply for 20 days
    world.digest(utc(3, 9, 8))
    [dm] = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.args["channel"] == MENTOR and "need a hand" in c.args["text"]
    ]
    assert not validate_message_blocks(dm.args["blocks"], dm.args["text"])
    shown = texts(dm.args["blocks"])
    assert f"<@{STUDENT}>" in shown and f"<@{OTHER}>" not in shown and "Follow-up overdue" in shown
    assert "Secret Person" not in shown
    assert buttons(dm.args) == {
        "cohort_nudge": f"{cohort_id}:{STUDENT}",
        "cohort_note": f"{cohort_id}:{STUDENT}",
    }
    assert "attention" in {v.what for v in rows(world.app, CohortView)}

    # Send a nudge: a DM to the student from the mentor, with their own next step and its buttons.
    world.at(utc(3, 9, 9))
    world.click("cohort_nudge", f"{cohort_id}:{STUDENT}")
    [nudge] = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.args["channel"] == STUDENT and "nudge from your mentor" in texts(c.args)
    ]
    assert not validate_message_blocks(nudge.args["blocks"], nudge.args["text"])
    assert f"<@{MENTOR}>" in texts(nudge.args) and "Secret Person 0" in texts(nudge.args)
    assert "request_sent" in elements(nudge.args) or "contact_reply" in elements(nudge.args)
    assert "Nudge sent" in texts(world.responded()[-1].args)

    # Again the same day: asked first, nothing sent; confirmed: sent.
    world.at(utc(3, 9, 15))
    world.click("cohort_nudge", f"{cohort_id}:{STUDENT}")
    asked = world.responded()[-1].args
    assert "already nudged" in texts(asked) and buttons(asked) == {
        "cohort_nudge_again": f"{cohort_id}:{STUDENT}"
    }
    assert len(rows(world.app, CohortNudge)) == 1
    world.click("cohort_nudge_again", f"{cohort_id}:{STUDENT}")
    assert len(rows(world.app, CohortNudge)) == 2
    # The next day a nudge goes straight out.
    world.at(utc(3, 10, 9))
    world.click("cohort_nudge", f"{cohort_id}:{STUDENT}")
    assert len(rows(world.app, CohortNudge)) == 3
    # A student can't nudge.
    world.click("cohort_nudge", f"{cohort_id}:{OTHER}", user=STUDENT)
    assert "Only this cohort's mentors" in texts(world.responded(STUDENT)[-1].args)
    assert contact


def test_a_deactivated_student_or_mentor_does_not_break_the_digest(
    world: CohortWorld, slack: FakeSlack
) -> None:
    world.at(T0 - week(1))
    world.create()
    assert "now co-mentors" in world.answer(f"mentor <@{OTHER}>")["text"]
    slack.set_user("U0GONE", deleted=True)
    world.join(STUDENT)
    world.join("U0GONE")
    with world.app.services.db.session() as session:
        gone = Repository(session, "T0001").find_user("U0GONE")
        assert gone is not None
        gone.unreachable_since = T0
    slack.set_user(MENTOR, deleted=True)  # the first mentor left the company: users.info says deleted
    report = world.digest(utc(3, 9, 8))
    assert (report.sent, report.mentor_dms) == (1, 1)
    assert len(world.digests_posted()) == 1
    dms = [
        c.args["channel"]
        for c in slack.calls_to("chat.postMessage")
        if "need a hand" in c.args.get("text", "")
    ]
    assert dms == [OTHER]
    [mentor] = rows(world.app, User, slack_user_id=MENTOR)
    assert mentor.unreachable_reason == "account_inactive"

    # Next week, a DM that Slack refuses (user_not_found) is skipped the same way.
    slack.fail_next("users.info", error="user_not_found")
    report = world.digest(utc(3, 16, 8))
    assert (report.sent, report.mentor_dms) == (1, 0)
    [co] = rows(world.app, User, slack_user_id=OTHER)
    assert co.unreachable_reason == "user_not_found"


def test_channel_text_is_escaped_and_only_who_agreed_is_named(world: CohortWorld, slack: FakeSlack) -> None:
    slack.set_user(STUDENT, tz="Europe/Paris", real_name="<!channel> Eve")
    cohort_id = world.create("<!here> cohort")
    world.join(STUDENT, celebrate=True)
    world.join(OTHER)
    with world.app.services.db.session() as session:
        store = CohortStore(session, "T0001")
        cohort = store.get(cohort_id)
        assert cohort is not None
        for who, text in ((STUDENT, "<!channel> & <@U0BOSS> at Acme"), (OTHER, "Analyst at Initech")):
            user = Repository(session, "T0001").find_user(who)
            assert user is not None
            store.set_state(cohort, user, MemberState.PLACED, T0, Placement(text, (T0 + DAY).date()))
    world.digest(utc(3, 9, 8))
    channel_posts = [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    assert channel_posts
    for post in channel_posts:
        shown = parsed(post.args)
        for raw in ("<!channel>", "<!here>", "<@U0BOSS>"):
            assert raw not in shown, (raw, shown)
    digest = texts(world.digests_posted()[0].args["blocks"])
    assert "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt; at Acme" in digest and f"<@{STUDENT}>" in digest
    assert "2 student(s) got a job" in digest and OTHER not in digest and "Initech" not in digest


def test_the_monday_plan_shows_the_cohort_targets_and_the_median_not_a_rank(
    world: CohortWorld, slack: FakeSlack
) -> None:
    from helpers import nudge_dms, sweeper

    world.create()
    world.join(STUDENT)
    world.join(OTHER)
    world.student_contacts(STUDENT, 2, sent=T0 + DAY)
    world.student_contacts(OTHER, 4, sent=T0 + DAY)
    monday = utc(3, 9, 8)  # 09:00 in Paris
    world.at(monday)
    sweeper(world.app).run(monday)
    [plan] = [d for d in nudge_dms(slack) if d.args["channel"] == STUDENT]
    shown = texts(plan.args["blocks"])
    assert "Spring cohort* asks 3 requests and 1 conversation a week" in shown
    assert "Last week: *2* requests of 3" in shown and "cohort median 3" in shown
    assert OTHER not in shown and "rank" not in shown.lower()


def test_infoint_sweep_sends_the_digest(world: CohortWorld, slack: FakeSlack, tmp_path: Path) -> None:
    world.create()
    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url, DATABASE_URL=world.app.services.db.url
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "sweep", "--at", utc(3, 9, 8).isoformat()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1].startswith("sweep at 2026-03-09T08:00:00+00:00")
    assert "posted 1 weekly digest(s)" in lines[-2]
    assert len(world.digests_posted()) == 1


def test_a_channel_the_app_was_removed_from_pauses_the_cohort_at_the_digest(
    world: CohortWorld, slack: FakeSlack
) -> None:
    world.create()
    slack.set_channel(CHANNEL, bot_member=False)
    report = world.digest(utc(3, 9, 8))
    assert (report.sent, report.paused) == (0, 1)
    cohort = world.cohort()
    assert (cohort.status, cohort.status_reason, cohort.next_digest_at) == ("paused", "app_removed", None)
    assert world.digest(utc(3, 9, 9)).sent == 0
    # Invited back (the event): active again; the digest goes out next week.
    slack.set_channel(CHANNEL, bot_member=True)
    world.app.sender.event({"type": "member_joined_channel", "channel": CHANNEL, "user": "UBOT"})
    world.app.settle()
    assert world.cohort().status == "active"
    assert world.digest(utc(3, 16, 8)).sent == 1
    # A transient error leaves it pending, to retry.
    slack.fail_next("chat.postMessage", error="internal_error")
    report = world.digest(utc(3, 23, 8))
    assert (report.sent, report.retrying) == (0, 1)
    assert world.digest(utc(3, 23, 9)).sent == 1


def test_the_plans_median_is_the_one_the_digest_posted(world: CohortWorld, slack: FakeSlack) -> None:
    from helpers import nudge_dms, sweeper

    world.create()
    world.join(STUDENT)
    world.join(OTHER)
    world.student_contacts(STUDENT, 2, sent=T0 + DAY)
    world.student_contacts(OTHER, 4, sent=T0 + DAY)
    world.digest(utc(3, 9, 8))  # the mentor's digest (09:00 in Berlin), then the students' plans
    [logged] = rows(world.app, CohortDigest)
    assert logged.totals["medians"] == {"requests": 3.0, "interviews": 0.0}
    # The plan takes the digest's median (here one set apart, to tell them apart), not a new count.
    with world.app.services.db.session() as session:
        digest = session.get(CohortDigest, logged.id)
        assert digest is not None
        digest.totals = {**digest.totals, "medians": {"requests": 2.5, "interviews": 0.0}}
    monday = utc(3, 9, 8)
    world.at(monday)
    sweeper(world.app).run(monday)
    [plan] = [d for d in nudge_dms(slack) if d.args["channel"] == STUDENT]
    assert "cohort median 2.5" in texts(plan.args["blocks"])
