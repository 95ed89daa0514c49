"""A click or a form that names someone else's message: the app draws over a message only when it
sent that message to the person acting (their DM with it, or a reminder DM recorded for them). A
forged ``container`` or ``private_metadata`` pointing at another student's DM changes nothing there;
the answer goes to the one who acted instead."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from helpers import RunningApp, buttons, interview_form, log_contact, rows, texts
from sqlalchemy import update

from bot.fakeslack import FakeSlack
from storage.models import Contact, Interview, OutreachAttempt, User

ALICE = "U0ALICE"
BOB = "U0BOB"


def two_students(app: RunningApp, slack: FakeSlack) -> tuple[dict[str, Any], dict[str, Any]]:
    """Alice's and Bob's cards, each in their own DM with the app."""
    slack.set_user(ALICE, tz="UTC")
    slack.set_user(BOB, tz="UTC")
    alice = log_contact(app, slack, user=ALICE, name="Ada")
    bob = log_contact(app, slack, user=BOB, name="Bea")
    assert alice["channel"] != bob["channel"]
    return alice, bob


def untouched(slack: FakeSlack, message: dict[str, Any]) -> None:
    """Bob's message is as the app first posted it, and nothing asked Slack to change it."""
    stored = slack.message(message["channel"], message["ts"])
    assert stored is not None and "Bea" in texts(stored) and "Ada" not in texts(stored)
    assert stored["blocks"] == message["blocks"]
    touched = [
        c
        for c in slack.calls
        if c.method in ("chat.update", "chat.delete") and c.args.get("channel") == message["channel"]
    ]
    assert touched == []


def test_a_click_naming_someone_elses_dm_does_not_change_it(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    alice, bob = two_students(running_app, slack)
    reply = running_app.sender.click(
        "request_sent",
        buttons(alice)["request_sent"],
        user=ALICE,
        channel=bob["channel"],
        message_ts=bob["ts"],
        block_id=next(b["block_id"] for b in alice["blocks"] if b["type"] == "actions"),
    )
    assert reply.status == 200
    running_app.settle()
    untouched(slack, bob)
    # Alice's click still counts, and she is answered through her click's response_url (which Slack
    # binds to where she really clicked), where only she sees it.
    assert len(rows(running_app, OutreachAttempt)) == 1
    answer = slack.wait_for(f"response_url:act-{ALICE}")[-1]
    assert "Ada" in texts(answer.args) and answer.args["response_type"] == "ephemeral"


def test_a_plan_line_naming_someone_elses_dm_does_not_redraw_it(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    """The Monday plan is redrawn as a reminder DM: a forged one would have been wiped."""
    alice, bob = two_students(running_app, slack)
    contact_id = buttons(alice)["request_sent"].split(":")[0]
    running_app.sender.click(
        "request_sent",
        buttons(alice)["request_sent"],
        user=ALICE,
        channel=bob["channel"],
        message_ts=bob["ts"],
        block_id=f"plan:{contact_id}",
    )
    running_app.settle()
    untouched(slack, bob)
    assert len(rows(running_app, OutreachAttempt)) == 1


def test_a_form_whose_metadata_names_someone_elses_dm_does_not_change_it(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    alice, bob = two_students(running_app, slack)
    contact_id, version = buttons(alice)["schedule_interview"].split(":")
    when = int((datetime.now(UTC) + timedelta(days=5)).timestamp())
    metadata = json.dumps(
        {"contact": int(contact_id), "version": int(version), "channel": bob["channel"], "ts": bob["ts"]}
    )
    reply = running_app.sender.submit(
        "schedule_interview",
        interview_form(when, "30", "phone", "Cafe"),
        user=ALICE,
        private_metadata=metadata,
    )
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    running_app.settle()
    untouched(slack, bob)
    assert len(rows(running_app, Interview)) == 1
    # Her confirmation still reaches her, in her own DM.
    confirmations = [
        c for c in slack.calls_to("chat.postMessage") if c.response.get("channel") == alice["channel"]
    ]
    assert any("Interview with" in texts(c.args) for c in confirmations)


def test_a_cancel_naming_someone_elses_interview_dm_does_not_change_it(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    two_students(running_app, slack)
    when = int((datetime.now(UTC) + timedelta(days=5)).timestamp())
    dms = {}
    for user in (ALICE, BOB):
        contact = rows(running_app, Contact, owner_id=_user_id(running_app, user))[0]
        metadata = json.dumps({"contact": contact.id, "version": contact.version})
        before = len(slack.calls_to("chat.postMessage"))
        running_app.sender.submit(
            "schedule_interview",
            interview_form(when, "30", "phone", "Cafe"),
            user=user,
            private_metadata=metadata,
        )
        running_app.settle()
        post = next(
            c
            for c in slack.wait_for("chat.postMessage", before + 1)[before:]
            if "Interview with" in texts(c.args)
        )
        dms[user] = {**post.args, "channel": post.response["channel"], "ts": post.response["ts"]}
    bob_dm = dms[BOB]
    alices = buttons(dms[ALICE])
    running_app.sender.click(
        "interview_cancel",
        alices["interview_cancel"],
        user=ALICE,
        channel=bob_dm["channel"],
        message_ts=bob_dm["ts"],
    )
    running_app.settle()
    stored = slack.message(bob_dm["channel"], bob_dm["ts"])
    assert stored is not None and stored["blocks"] == bob_dm["blocks"] and "Bea" in texts(stored)
    assert [c for c in slack.calls_to("chat.update") if c.args.get("channel") == bob_dm["channel"]] == []
    # Alice's interview is cancelled all the same, and she is told in her own DM.
    assert {i.status for i in rows(running_app, Interview)} == {"cancelled", "scheduled"}
    told = [
        c for c in slack.calls_to("chat.postMessage") if c.response.get("channel") == dms[ALICE]["channel"]
    ]
    assert "cancel" in texts(told[-1].args).lower()


def test_her_own_card_is_still_updated_in_place(running_app: RunningApp, slack: FakeSlack) -> None:
    alice, _ = two_students(running_app, slack)
    running_app.sender.click(
        "request_sent",
        buttons(alice)["request_sent"],
        user=ALICE,
        channel=alice["channel"],
        message_ts=alice["ts"],
    )
    running_app.settle()
    update = slack.wait_for("chat.update")[-1]
    assert (update.args["channel"], update.args["ts"]) == (alice["channel"], alice["ts"])
    assert "Request recorded" in texts(slack.message(alice["channel"], alice["ts"]))


def test_an_unrecorded_dm_channel_is_asked_of_slack_not_taken_from_the_click(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    """A user whose DM channel was never recorded: Slack (conversations.open) says which it is."""
    alice, bob = two_students(running_app, slack)
    with running_app.services.db.session() as session:
        session.execute(update(User).values(dm_channel=None))
    running_app.sender.click(
        "request_sent",
        buttons(alice)["request_sent"],
        user=ALICE,
        channel=bob["channel"],
        message_ts=bob["ts"],
    )
    running_app.settle()
    untouched(slack, bob)
    opened = slack.calls_to("conversations.open")
    assert opened and opened[-1].args["users"] == ALICE
    assert running_app.services.queries.users.dm_channel("T0001", ALICE) == alice["channel"]
    # Her own card (its button now out of date), the channel known, is drawn again in place.
    running_app.sender.click(
        "request_sent",
        buttons(alice)["request_sent"],
        user=ALICE,
        channel=alice["channel"],
        message_ts=alice["ts"],
    )
    running_app.settle()
    assert "Where things stand with Ada" in texts(slack.message(alice["channel"], alice["ts"]))


def test_the_messages_tab_does_not_take_the_dm_channel_from_the_event(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    slack.set_user(ALICE, tz="UTC")
    running_app.sender.event(
        {"type": "app_home_opened", "user": ALICE, "tab": "messages", "channel": "D0BOB"}
    )
    running_app.settle()
    assert running_app.services.queries.users.dm_channel("T0001", ALICE) == "D0ALICE"


def _user_id(app: RunningApp, slack_user: str) -> int:
    return rows(app, User, slack_user_id=slack_user)[0].id


def opened_for(app: RunningApp, slack: FakeSlack, user: str, action_id: str) -> dict[str, Any]:
    """The modal ``action_id`` opens for ``user`` on their App Home, as Slack stores it."""
    before = len(slack.calls_to("views.open"))
    app.sender.click(action_id, None, user=user, view={"type": "home", "id": f"VHOME{user}"})
    app.settle()
    view = slack.view(slack.wait_for("views.open", before + 1)[-1].response["view"]["id"])
    assert view is not None and view["external_id"].startswith(f"{user}.")
    return view


def test_a_click_naming_someone_elses_modal_does_not_change_it(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    """Bob's list and his log form are open: Alice's clicks naming them (by view id, with Bob's key or
    with hers) update nothing; Bob's own clicks still do."""
    for name in ("Bea", "Ben", "Bo"):
        log_contact(running_app, slack, user=BOB, name=name)
    log_contact(running_app, slack, user=ALICE, name="Ada")
    bobs_list = opened_for(running_app, slack, BOB, "open_pipeline")
    bobs_form = opened_for(running_app, slack, BOB, "open_log_modal")
    forged_views = [
        bobs_list,
        {**bobs_list, "external_id": f"{ALICE}.0123456789abcdef"},
        {key: value for key, value in bobs_list.items() if key != "external_id"},
    ]
    for forged in forged_views:
        running_app.sender.click("list_page", "2", user=ALICE, view=forged)
        running_app.sender.click("log_add_details", None, user=ALICE, view={**bobs_form, "type": "modal"})
        running_app.settle()
    assert all(not c.response.get("ok") for c in slack.calls_to("views.update"))
    assert slack.view(bobs_list["id"]) == bobs_list
    assert slack.view(bobs_form["id"]) == bobs_form
    # Bob's own click on his form is drawn.
    running_app.sender.click("log_add_details", None, user=BOB, view=bobs_form)
    running_app.settle()
    updated = slack.view(bobs_form["id"])
    assert updated is not None and updated["blocks"] != bobs_form["blocks"]
    assert updated["external_id"] == bobs_form["external_id"]
