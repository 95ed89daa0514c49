"""The nudge engine end to end: records in a real database, `infoint sweep`, DMs in the fake Slack,
buttons clicked with signed requests."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    BOT_TOKEN,
    PARIS,
    STUDENT,
    T0,
    RunningApp,
    clean_env,
    elements,
    interview_form,
    log_contact,
    nudge_dms,
    paris,
    rows,
    submit_modal,
    sweeper,
    text_value,
    texts,
)
from sqlalchemy import func, select, update

from bot.app import make_client
from bot.fakeslack import FakeSlack, validate_message_blocks
from bot.sweep import SweepReport
from storage.models import Contact, Interview, Note, Nudge, OutreachAttempt, User

ROOT = Path(__file__).resolve().parents[1]


class World:
    """A student with a Paris timezone, a running app, a sweeper and a clock the test moves."""

    def __init__(self, app: RunningApp, slack: FakeSlack) -> None:
        self.app, self.slack = app, slack
        slack.set_user(STUDENT, tz=PARIS)
        self.sweeper = sweeper(app)
        self.at(T0)

    def at(self, when: datetime) -> None:
        self.app.clock.set(when)

    def log(self, **fields: Any) -> dict[str, Any]:
        return log_contact(self.app, self.slack, **fields)

    def request_sent(self, dm: dict[str, Any]) -> None:
        before = len(self.slack.calls_to("chat.update"))
        value = elements(dm)["request_sent"]["value"]
        self.app.sender.click("request_sent", value, channel=dm["channel"], message_ts=dm["ts"])
        self.slack.wait_for("chat.update", before + 1)

    def sweep(self, when: datetime, **kwargs: Any) -> Any:
        self.at(when)
        return self.sweeper.run(when, **kwargs)

    def click(self, action_id: str, dm: Any, value: str | None = None, user: str = STUDENT) -> None:
        """Click a nudge DM's button (or the option ``value`` of a menu), wait for what it does."""
        message = {"blocks": dm.args["blocks"]} if hasattr(dm, "args") else dm
        channel, ts = (dm.response["channel"], dm.response["ts"]) if hasattr(dm, "args") else (None, None)
        element = elements(message)[action_id]
        if element["type"] in ("overflow", "static_select"):
            chosen = next(o for o in element["options"] if o["value"].endswith(f":{value}"))
            self.app.sender.choose(
                action_id, chosen["value"], user=user, channel=channel, message_ts=ts, kind=element["type"]
            )
        else:
            self.app.sender.click(action_id, element["value"], user=user, channel=channel, message_ts=ts)
        self.app.settle()


@pytest.fixture
def world(running_app: RunningApp, slack: FakeSlack) -> World:
    return World(running_app, slack)


# The end-to-end path ------------------------------------------------------------------------------


def sweep_env(app: RunningApp, slack: FakeSlack) -> dict[str, str]:
    """The environment of an ``infoint sweep`` subprocess on the app's database and the fake Slack."""
    return clean_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url, DATABASE_URL=app.services.db.url)


def run_cli_sweep(app: RunningApp, slack: FakeSlack, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = sweep_env(app, slack)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "sweep", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_follow_up_end_to_end_through_infoint_sweep(world: World, slack: FakeSlack, tmp_path: Path) -> None:
    dm = world.log(name="Ada <!channel>", company="Acme", email="ada@example.org")
    world.request_sent(dm)
    assert len(rows(world.app, OutreachAttempt)) == 1

    # Seven days later minus a minute: nothing yet.
    early = run_cli_sweep(
        world.app, slack, "--at", (T0 + timedelta(days=7, minutes=-1)).isoformat(), cwd=tmp_path
    )
    assert early.returncode == 0, early.stderr
    # (That Monday morning brings the weekly plan, but no follow-up yet.)
    assert not any("No reply from" in texts(d.args["blocks"]) for d in nudge_dms(slack))
    weekly = len(nudge_dms(slack))

    # Eight days later, 10:00 in Paris: the follow-up DM.
    eight_days = paris(10, 10)
    done = run_cli_sweep(world.app, slack, "--at", eight_days.isoformat(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = done.stdout.splitlines()[-1]
    assert summary.startswith("sweep at 2026-03-10T09:00:00+00:00: sent 1 DM(s) with 1 nudge(s)"), summary
    [nudge_dm] = nudge_dms(slack)[weekly:]
    assert nudge_dm.args["channel"] == STUDENT
    assert not validate_message_blocks(nudge_dm.args["blocks"], nudge_dm.args["text"])
    shown = texts(nudge_dm.args["blocks"])
    assert "No reply from" in shown and "&lt;!channel&gt;" in shown and "<!channel>" not in shown
    assert set(elements(nudge_dm.args)) >= {
        "nudge_done",
        "nudge_draft",
        "nudge_reply",
        "nudge_snooze",
        "nudge_move_on",
    }

    # Done: the follow-up is recorded, and the DM says so without buttons.
    world.at(eight_days)
    world.click("nudge_done", nudge_dm)
    updated = slack.message(nudge_dm.response["channel"], nudge_dm.response["ts"])
    # Done says what happens next (issue 9): a call a week after this second try, in Paris hours.
    assert updated is not None and elements(updated) == {}
    assert (
        "✅ Follow-up logged. If *Ada &lt;!channel&gt;* stays silent I'll suggest a call on Tue 17 Mar."
        in texts(updated)
    )
    attempts = rows(world.app, OutreachAttempt)
    assert [a.number for a in attempts] == [1, 2] and attempts[1].sent_at == eight_days
    [nudge] = rows(world.app, Nudge, kind="follow_up")
    assert (nudge.status, nudge.resolution) == ("resolved", "done")

    # Sweep again: nothing new.
    again = run_cli_sweep(world.app, slack, "--at", eight_days.isoformat(), cwd=tmp_path)
    assert "sent 0 DM(s)" in again.stdout.splitlines()[-1]
    assert len(nudge_dms(slack)) == weekly + 1


def test_dry_run_prints_and_changes_nothing(world: World, slack: FakeSlack, tmp_path: Path) -> None:
    world.request_sent(world.log(name="Ada"))
    result = run_cli_sweep(world.app, slack, "--dry-run", "--at", paris(10, 10).isoformat(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("sweep at 2026-03-10T09:00:00+00:00: would send 1 DM(s) with 1 nudge(s)")
    assert any("follow_up (Ada)" in line for line in lines)
    assert rows(world.app, Nudge) == [] and nudge_dms(slack) == []


# Timing ---------------------------------------------------------------------------------------------------


def test_nobody_is_pinged_at_night(world: World, slack: FakeSlack) -> None:
    world.request_sent(world.log(name="Ada"))
    night = world.sweep(paris(10, 3))
    assert night.dms == 0 and night.waiting == 1
    weekend = world.sweep(paris(14, 11))  # a Saturday
    assert weekend.dms == 0
    morning = world.sweep(paris(16, 9))
    assert morning.dms == 1 and len(nudge_dms(slack)) == 1


def test_several_items_arrive_as_one_dm(world: World, slack: FakeSlack) -> None:
    for name in ("Ada", "Bo", "Cy"):
        world.request_sent(world.log(name=name))
    report = world.sweep(paris(10, 10))
    assert (report.dms, report.items, report.planned) == (1, 3, 3)
    assert world.sweep(paris(10, 11)).planned == 0  # logged once
    [dm] = nudge_dms(slack)
    assert all(name in texts(dm.args["blocks"]) for name in ("Ada", "Bo", "Cy"))


def test_a_user_with_no_timezone_gets_utc_hours(world: World, slack: FakeSlack) -> None:
    world.request_sent(world.log(name="Ada"))
    with world.app.services.db.session() as session:
        session.execute(update(User).values(timezone=None))
    assert world.sweep(datetime(2026, 3, 10, 8, 30, tzinfo=UTC)).dms == 0  # 08:30 UTC
    assert world.sweep(datetime(2026, 3, 10, 9, 0, tzinfo=UTC)).dms == 1


# Exactly once ---------------------------------------------------------------------------------------------


def test_two_sweeps_at_the_same_instant_send_once(world: World, slack: FakeSlack) -> None:
    for name in ("Ada", "Bo"):
        world.request_sent(world.log(name=name))
    when = paris(10, 10)
    world.at(when)
    barrier = threading.Barrier(4)
    reports: list[Any] = []

    def sweep() -> None:
        own = sweeper(world.app)
        barrier.wait()
        reports.append(own.run(when))

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(reports) == 4
    assert sum(r.dms for r in reports) == 1 and sum(r.items for r in reports) == 2
    assert len(nudge_dms(slack)) == 1
    assert {n.status for n in rows(world.app, Nudge)} == {"sent"}


def test_two_processes_sweeping_one_database_send_once(
    world: World, slack: FakeSlack, tmp_path: Path
) -> None:
    for name in ("Ada", "Bo", "Cy"):
        world.request_sent(world.log(name=name))
    # Three students, so there is something to share out.
    for student in ("U0TWO", "U0THREE"):
        slack.set_user(student, tz=PARIS)
        log_contact(world.app, slack, user=student, name=f"Dee {student}")
    contacts = rows(world.app, Contact)
    with world.app.services.db.session() as session:
        for contact in contacts:
            if contact.stage == "target":
                session.execute(update(Contact).where(Contact.id == contact.id).values(stage="requested"))
                session.add(
                    OutreachAttempt(
                        team_id="T0001",
                        contact_id=contact.id,
                        number=1,
                        channel="email",
                        sent_at=T0,
                        outcome="pending",
                    )
                )
    env = sweep_env(world.app, slack)
    command = [sys.executable, "-m", "bot.cli", "sweep", "--at", paris(10, 10).isoformat()]
    processes = [
        subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=90) for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    sent = sum(int(out.splitlines()[-1].split(" sent ")[1].split(" DM")[0]) for out, _ in outputs)
    dms = nudge_dms(slack)
    assert sent == len(dms) == 3
    assert sorted(d.args["channel"] for d in dms) == sorted([STUDENT, "U0TWO", "U0THREE"])


def test_lost_answer_is_not_resent(world: World, slack: FakeSlack) -> None:
    """Slack takes the DM but the answer never arrives: the sweep finds it in the DM history."""
    world.request_sent(world.log(name="Ada"))
    slack.drop_response_next("chat.postMessage")
    report = world.sweep(paris(10, 10))
    assert report.dms == 1 and report.retrying == 0
    posted = [
        c for c in slack.calls_to("chat.postMessage") if (c.args.get("metadata") or {}).get("event_type")
    ]
    assert len(posted) == 1 and posted[0].dropped
    [nudge] = rows(world.app, Nudge)
    assert nudge.status == "sent" and nudge.message_ts == posted[0].response["ts"]
    assert world.sweep(paris(10, 11)).dms == 0
    assert len([c for c in slack.calls_to("chat.postMessage") if c.args.get("metadata")]) == 1


def test_crash_after_sending_is_recovered_without_a_duplicate(world: World, slack: FakeSlack) -> None:
    """A sweep died after Slack took the DM and before recording it: the claim is left 'sending'."""
    world.request_sent(world.log(name="Ada"))
    when = paris(10, 10)
    world.at(when)
    sweeper = world.sweeper
    report = SweepReport(at=when)
    with world.app.services.db.session() as session:
        sweeper._plan(session, when, report)
    with world.app.services.db.session() as session:
        user = session.scalars(select(User)).one()
        for nudge in sweeper._claim(session, user, when, report):
            nudge.status, nudge.claim_token = "sending", "tok-1"
            nudge.claimed_at, nudge.claimed_until = when, when + timedelta(minutes=5)
    # Slack took the DM; the process died before recording it.
    client = make_client(world.app.config)
    client.chat_postMessage(
        channel=STUDENT,
        text="follow up",
        metadata={"event_type": "infoint_nudges", "event_payload": {"claim": "tok-1"}},
    )
    # Before the lease ends, nothing is resent; after it, the sweep finds the DM and records it.
    assert world.sweep(when + timedelta(minutes=1)).dms == 0
    later = world.sweep(when + timedelta(minutes=6))
    assert later.recovered == 1 and later.dms == 0
    [nudge] = rows(world.app, Nudge)
    assert nudge.status == "sent" and nudge.message_ts
    assert len([c for c in slack.calls_to("chat.postMessage") if c.args.get("metadata")]) == 1


def test_crash_before_sending_is_sent_once_later(world: World, slack: FakeSlack) -> None:
    world.request_sent(world.log(name="Ada"))
    when = paris(10, 10)
    world.at(when)
    sweeper = world.sweeper
    report = SweepReport(at=when)
    with world.app.services.db.session() as session:
        sweeper._plan(session, when, report)
        session.flush()
        user = session.scalars(select(User)).one()
        for nudge in sweeper._claim(session, user, when, report):
            nudge.status, nudge.claim_token = "sending", "tok-lost"
            nudge.claimed_at, nudge.claimed_until = when, when + timedelta(minutes=5)
    later = world.sweep(when + timedelta(minutes=6))
    assert later.recovered == 0 and later.dms == 1
    assert len(nudge_dms(slack)) == 1


def test_rate_limited_then_delivered_once(world: World, slack: FakeSlack) -> None:
    world.request_sent(world.log(name="Ada"))
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    report = world.sweep(paris(10, 10))
    assert report.dms == 1
    statuses = [c.status for c in slack.calls_to("chat.postMessage") if c.args.get("metadata")]
    assert statuses == [429, 200]
    assert len(nudge_dms(slack)) == 1


def test_server_errors_are_looked_for_in_the_dm_before_a_resend(world: World, slack: FakeSlack) -> None:
    """A 5xx may come from a Slack that posted anyway: the claim is kept, and only once the DM's
    history, read after a back-off, shows no DM with it is the reminder sent again."""
    world.request_sent(world.log(name="Ada"))
    slack.fail_next("chat.postMessage", status=500, times=2)
    when = paris(10, 10)
    first = world.sweep(when)
    assert (first.dms, first.unconfirmed, first.retrying) == (0, 1, 0)
    [nudge] = rows(world.app, Nudge)
    assert nudge.status == "sending" and nudge.claimed_until is not None
    assert timedelta(minutes=1) <= nudge.claimed_until - when < timedelta(minutes=1, seconds=30)
    assert world.sweep(when + timedelta(seconds=30)).dms == 0  # backing off
    checks = len(slack.calls_to("conversations.history"))
    second = world.sweep(when + timedelta(minutes=2))  # not in the DM: sent again, 500 again
    assert (second.dms, second.unconfirmed) == (0, 1)
    assert len(slack.calls_to("conversations.history")) > checks
    assert world.sweep(when + timedelta(minutes=3)).dms == 0  # the back-off doubled
    assert world.sweep(when + timedelta(minutes=5)).dms == 1
    assert len(nudge_dms(slack)) == 1
    assert [n.status for n in rows(world.app, Nudge)] == ["sent"]


def test_a_user_who_left_is_recorded_and_not_retried(world: World, slack: FakeSlack) -> None:
    world.request_sent(world.log(name="Ada"))
    slack.fail_next("chat.postMessage", status=200, error="user_not_found")
    report = world.sweep(paris(10, 10))
    assert report.failed == 1 and report.dms == 0
    [user] = rows(world.app, User)
    assert user.unreachable_reason == "user_not_found" and user.unreachable_since is not None
    before = len(slack.calls_to("chat.postMessage"))
    assert world.sweep(paris(17, 10)).dms == 0
    assert len(slack.calls_to("chat.postMessage")) == before


# Buttons --------------------------------------------------------------------------------------------------


def follow_up_dm(world: World) -> Any:
    world.request_sent(
        world.log(name="Ada Lovelace", email="ada@example.org", learning_goal="how UX research works")
    )
    world.sweep(paris(10, 10))
    return nudge_dms(world.slack)[-1]


def test_snooze_then_the_old_message_is_stale(world: World, slack: FakeSlack) -> None:
    dm = follow_up_dm(world)
    world.click("nudge_snooze", dm, value="1d")
    updated = slack.message(dm.response["channel"], dm.response["ts"])
    # The snooze names when it really comes back (issue 9): the window's next opening, Paris time.
    assert "⏰ Snoozed: I'll bring it back on Wed 11 Mar at 10:00." in texts(updated)
    assert elements(updated) == {}
    assert world.sweep(paris(10, 15)).dms == 0
    assert world.sweep(paris(11, 10, 30)).dms == 1
    fresh = nudge_dms(slack)[-1]
    assert fresh.response["ts"] != dm.response["ts"]
    # The old message's buttons no longer act.
    before = len(rows(world.app, OutreachAttempt))
    world.app.sender.click(
        "nudge_done",
        elements(dm.args)["nudge_done"]["value"],
        channel=dm.response["channel"],
        message_ts=dm.response["ts"],
    )
    notice = slack.wait_for(f"response_url:act-{STUDENT}")[-1]
    assert "out of date" in texts(notice.args)
    assert len(rows(world.app, OutreachAttempt)) == before


def test_double_click_changes_nothing_the_second_time(world: World, slack: FakeSlack) -> None:
    dm = follow_up_dm(world)
    world.click("nudge_done", dm)
    world.click("nudge_done", dm)
    notice = slack.wait_for(f"response_url:act-{STUDENT}")[-1]
    assert "Nothing changed" in texts(notice.args)
    assert len(rows(world.app, OutreachAttempt)) == 2


def test_only_the_owner_can_click(world: World, slack: FakeSlack) -> None:
    dm = follow_up_dm(world)
    world.click("nudge_done", dm, user="U0INTRUDER")
    notice = slack.wait_for("response_url:act-U0INTRUDER")[-1]
    assert "isn't yours" in texts(notice.args)
    assert len(rows(world.app, OutreachAttempt)) == 1
    assert rows(world.app, Nudge)[0].status == "sent"


def test_move_on_closes_the_contact(world: World, slack: FakeSlack) -> None:
    dm = follow_up_dm(world)
    world.click("nudge_move_on", dm)
    assert rows(world.app, Contact)[0].stage == "no_response"
    assert "Closed as no response" in texts(slack.message(dm.response["channel"], dm.response["ts"]))


@pytest.mark.parametrize(("answer", "stage"), [("yes", "agreed"), ("no", "declined"), ("later", "requested")])
def test_they_replied(world: World, slack: FakeSlack, answer: str, stage: str) -> None:
    dm = follow_up_dm(world)
    world.click("nudge_reply", dm, value=answer)
    [contact] = rows(world.app, Contact)
    assert contact.stage == stage
    assert rows(world.app, OutreachAttempt)[0].outcome == answer
    if answer == "yes":
        # The card to book comes where the click was made (an ephemeral answer), not as a new DM.
        follow = slack.calls_to(f"response_url:act-{STUDENT}")[-1]
        assert "said yes" in texts(follow.args) and "schedule_interview" in elements(follow.args)
        assert follow.args["response_type"] == "ephemeral" and not follow.args["replace_original"]
    if answer == "later":
        assert world.sweep(paris(17, 10)).dms == 0  # not a week later…
        assert world.sweep(paris(24, 10)).dms == 1  # …but two weeks after the reply


def test_show_draft_opens_an_editable_draft_with_a_mail_link(world: World, slack: FakeSlack) -> None:
    dm = follow_up_dm(world)
    world.click("nudge_draft", dm)
    view = slack.wait_for("views.open")[-1].args["view"]
    body = view["blocks"][0]["element"]["initial_value"]
    assert body.startswith("Hi Ada,") and "how UX research works" in body
    link = view["blocks"][1]["elements"][0]["url"]
    assert link.startswith("mailto:ada@example.org?subject=")
    # "Sent it" in the modal counts as done.
    reply = submit_modal(world.app, "nudge_draft", {"draft": {"draft": text_value(body)}}, view)
    assert reply.status == 200
    assert len(rows(world.app, OutreachAttempt)) == 2


def test_after_three_tries_propose_moving_on(world: World, slack: FakeSlack) -> None:
    dm = world.log(name="Ada")
    world.request_sent(dm)
    world.sweep(paris(10, 10))
    world.click("nudge_done", nudge_dms(slack)[-1])  # attempt 2 on the 10th
    world.sweep(paris(17, 10, 5))
    phone = nudge_dms(slack)[-1]
    assert "phone call" in texts(phone.args["blocks"]) and "Called" in texts(phone.args["blocks"])
    world.click("nudge_done", phone)  # attempt 3 on the 17th
    assert [a.channel for a in rows(world.app, OutreachAttempt)][-1] == "phone"
    world.sweep(paris(24, 10, 10))
    close = nudge_dms(slack)[-1]
    assert "3 tries" in texts(close.args["blocks"]) and "nudge_move_on" in elements(close.args)


# The interview path ---------------------------------------------------------------------------------------


def test_interview_prepare_wrap_up_notes_then_thanks_and_referrals(world: World, slack: FakeSlack) -> None:
    # Interview on Thursday 5 March 14:00 Paris, logged on Monday; 2nd degree through Grace.
    start = paris(5, 14)
    world.log(
        name="Ada",
        degree="second",
        introducer="Grace Hopper",
        standing="interview_scheduled",
        interview_at=str(int(start.timestamp())),
        learning_goal="What a UX researcher does all day",
    )
    assert world.sweep(paris(3, 18, 30)).dms == 0  # Tuesday evening: outside the window
    prepare = world.sweep(paris(4, 9, 5))  # Wednesday morning: the working day before
    assert prepare.dms == 1
    prep_dm = nudge_dms(slack)[-1]
    assert "Interview with" in texts(prep_dm.args["blocks"]) and "UX researcher" in texts(
        prep_dm.args["blocks"]
    )
    world.click("nudge_done", prep_dm)

    world.sweep(paris(5, 14, 21))  # the interview's end (20 minutes)
    wrap = nudge_dms(slack)[-1]
    assert "How did it go" in texts(wrap.args["blocks"])
    world.click("nudge_notes", wrap)
    view = slack.wait_for("views.open")[-1].args["view"]
    state = {
        "takeaways": {"takeaways": {"type": "plain_text_input", "value": "research ops is growing fast"}},
        "advice": {"advice": {"type": "plain_text_input", "value": "build a portfolio"}},
        "action_items": {"action_items": {"type": "plain_text_input", "value": "read two case studies"}},
        "talk_again": {"talk_again": {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
    }
    assert submit_modal(world.app, "interview_notes", state, view).status == 200
    [interview] = rows(world.app, Interview)
    assert interview.status == "done"
    assert {n.kind for n in rows(world.app, Note)} == {"takeaway", "advice", "action_item", "talk_again"}

    after = world.sweep(paris(5, 14, 30))
    assert after.dms == 1 and after.items == 3
    thanks = nudge_dms(slack)[-1]
    shown = texts(thanks.args["blocks"])
    assert "thank-you today" in shown and "research ops is growing fast" in shown
    assert "Grace Hopper" in shown and "referrals" in shown

    # Add two referrals: they join the list as 2nd-degree contacts introduced by Ada.
    world.click("nudge_referrals", thanks)
    view = slack.wait_for("views.open")[-1].args["view"]
    state = {"referrals": {"referrals": text_value("Linus, Kernel Co\nBarbara")}}
    assert submit_modal(world.app, "add_referrals", state, view).status == 200
    referred = [c for c in rows(world.app, Contact) if c.source == "referral"]
    assert sorted(c.name for c in referred) == ["Barbara", "Linus"]
    assert all(
        c.degree == "second" and c.introducer_name == "Ada" and c.introducer_contact_id for c in referred
    )

    # No thank-you logged: a reminder at 24 h, then overdue at 48 h.
    world.sweep(paris(6, 14, 35))
    assert "Reminder: thank" in texts(nudge_dms(slack)[-1].args["blocks"])
    world.sweep(paris(9, 9, 0))  # Monday (the 48 h mark fell on the weekend)
    last = nudge_dms(slack)[-1]
    assert "Overdue" in texts(last.args["blocks"])
    world.click("nudge_done", last)
    assert rows(world.app, Interview)[0].thank_you_at is not None

    # Keep in touch six weeks after the last touch.
    assert world.sweep(paris(13, 10, month=4)).dms in (0, 1)  # a weekly plan may come; not keep-in-touch
    assert not any("while since" in texts(d.args["blocks"]) for d in nudge_dms(slack))
    world.sweep(paris(21, 10, month=4))
    assert any("while since" in texts(d.args["blocks"]) for d in nudge_dms(slack))


def test_weekly_plan_on_monday_morning(world: World, slack: FakeSlack) -> None:
    world.log(name="Ada")
    world.log(name="Bo")
    report = world.sweep(paris(9, 9, 1))
    dms = nudge_dms(slack)
    weekly = [d for d in dms if "Your week" in texts(d.args["blocks"])]
    assert report.dms == 1 and len(weekly) == 1
    shown = texts(weekly[0].args["blocks"])
    assert "New requests: *0* of 2" in shown and "Interviews: *0* of 1" in shown
    assert "Send a request to Ada" in shown and "Send a request to Bo" in shown
    # Once per week, and not on Tuesday if Monday was missed.
    assert world.sweep(paris(9, 11)).dms == 0
    assert world.sweep(paris(17, 10)).dms == 0


def test_settings_change_the_window(world: World, slack: FakeSlack) -> None:
    world.request_sent(world.log(name="Ada"))
    world.app.sender.command("settings")
    view = slack.wait_for("views.open")[-1].args["view"]
    assert view["callback_id"] == "settings"
    state = {
        "window_days": {
            "window_days": {"type": "checkboxes", "selected_options": [{"value": "5"}, {"value": "6"}]}
        },
        "window_start": {"window_start": {"type": "timepicker", "selected_time": "10:00"}},
        "window_end": {"window_end": {"type": "timepicker", "selected_time": "12:00"}},
        "follow_up_days": {"follow_up_days": {"type": "plain_text_input", "value": "10"}},
        "keep_in_touch_weeks": {"keep_in_touch_weeks": {"type": "plain_text_input", "value": "8"}},
        "weekly_requests": {"weekly_requests": {"type": "plain_text_input", "value": "3"}},
        "weekly_interviews": {"weekly_interviews": {"type": "plain_text_input", "value": "1"}},
    }
    before = len(slack.calls_to("chat.postMessage"))
    reply = world.app.sender.submit("settings", state)
    # Confirmed in the form itself, not by a DM.
    assert reply.status == 200 and reply.json()["response_action"] == "update"
    assert "Settings saved" in texts(reply.json()["view"])
    world.app.settle()
    assert len(slack.calls_to("chat.postMessage")) == before
    # Follow-up now after 10 days, on weekends 10–12 only.
    assert world.sweep(paris(12, 11)).dms == 0  # Thursday, day 10: not a working day now
    assert world.sweep(paris(14, 9, 30)).dms == 0  # Saturday before 10:00
    assert world.sweep(paris(14, 10, 30)).dms == 1

    bad = dict(state)
    bad["window_end"] = {"window_end": {"type": "timepicker", "selected_time": "09:00"}}
    bad["follow_up_days"] = {"follow_up_days": {"type": "plain_text_input", "value": "-1"}}
    body = world.app.sender.submit("settings", bad).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"window_end", "follow_up_days"}


def test_nudge_rows_never_duplicate_keys(world: World) -> None:
    world.request_sent(world.log(name="Ada"))
    for hour in (10, 11, 12):
        world.sweep(paris(10, hour))
    with world.app.services.db.session() as session:
        counts = session.execute(select(Nudge.key, func.count()).group_by(Nudge.key)).all()
    assert counts and all(count == 1 for _, count in counts)


def test_metadata_carries_the_claim(world: World, slack: FakeSlack) -> None:
    world.request_sent(world.log(name="Ada"))
    world.sweep(paris(10, 10))
    [dm] = nudge_dms(slack)
    claim = dm.args["metadata"]["event_payload"]["claim"]
    [nudge] = rows(world.app, Nudge)
    assert nudge.claim_token == claim and json.dumps(dm.args["metadata"])


def test_wrap_up_rescheduled_moves_the_interview_and_sends_a_new_calendar_file(
    world: World, slack: FakeSlack
) -> None:
    start = paris(5, 14)
    world.log(name="Ada", standing="interview_scheduled", interview_at=str(int(start.timestamp())))
    world.sweep(paris(5, 14, 21))
    wrap = [d for d in nudge_dms(slack) if "How did it go" in texts(d.args["blocks"])][-1]
    world.click("nudge_reschedule", wrap)
    view = slack.wait_for("views.open")[-1].args["view"]
    assert view["callback_id"] == "reschedule_interview"
    moved = paris(12, 15)
    state = interview_form(moved, "30", "phone", place=None)
    reply = world.app.sender.submit("reschedule_interview", state, private_metadata=view["private_metadata"])
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    slack.wait_for("files.completeUploadExternal")
    [ics_bytes] = slack.uploads.values()
    assert f"DTSTART:{moved:%Y%m%dT%H%M%S}Z".encode() in ics_bytes
    [interview] = rows(world.app, Interview)
    assert interview.starts_at == moved and interview.status == "scheduled"
    assert "Rescheduled" in texts(slack.message(wrap.response["channel"], wrap.response["ts"]))
