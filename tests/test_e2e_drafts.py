"""Drafts from a contact DM: the right draft for the stage and degree, escaping, mail link, 'Sent it'."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from helpers import STUDENT, RunningApp, buttons, log_contact, opened_view
from sqlalchemy import select

from bot.domain import drafts
from bot.domain import pipeline as core
from bot.fakeslack import FakeSlack, validate_view
from bot.queries.drafts import choose
from storage.models import OutreachAttempt


def open_drafts(app: RunningApp, slack: FakeSlack, dm: dict[str, Any], user: str = STUDENT) -> dict[str, Any]:
    value = buttons(dm)["contact_draft"]
    in_dm = {"user": user, "channel": dm["channel"], "message_ts": dm["ts"]}
    return opened_view(app, slack, lambda: app.sender.click("contact_draft", value, **in_dm))


def inputs(view: dict[str, Any]) -> dict[str, str]:
    return {
        b["block_id"]: b["element"]["initial_value"]
        for b in view["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "plain_text_input"
    }


FACTS = drafts.DraftFacts("Ada Lovelace", company="Acme", role="Analyst", introducer="Grace Hopper")


@pytest.mark.parametrize(
    ("stage", "degree", "tries", "thanked", "fields", "first_line"),
    [
        (core.Stage.TARGET, core.Degree.FIRST, 0, False, ["draft"], "Hi Ada,"),
        (core.Stage.TARGET, core.Degree.COLD, 0, False, ["draft"], "Hello Ada,"),
        (core.Stage.TARGET, core.Degree.SECOND, 0, False, ["draft_intro", "draft"], "Hi Grace,"),
        (core.Stage.REQUESTED, core.Degree.FIRST, 1, False, ["draft"], "Hi Ada,"),
        (core.Stage.REQUESTED, core.Degree.FIRST, 2, False, ["draft"], "Hello Ada, this is"),
        (core.Stage.INTERVIEWED, core.Degree.SECOND, 0, False, ["draft", "draft_intro"], "Hi Ada,"),
    ],
)
def test_choose_fits_stage_and_degree(stage, degree, tries, thanked, fields, first_line) -> None:  # type: ignore[no-untyped-def]
    chosen = choose(FACTS, stage, degree, tries, thanked)
    assert [field for field, _, _ in chosen] == fields
    assert chosen[0][2].body.startswith(first_line)
    for _, _, draft in chosen:
        assert 0 < len(draft.body) <= 3000 and "Ada" in draft.body + "Grace"


def test_choose_nothing_for_closed_or_booked() -> None:
    for stage in (core.Stage.SCHEDULED, core.Stage.DECLINED, core.Stage.NO_RESPONSE):
        assert choose(FACTS, stage, core.Degree.FIRST, 0, False) == ()


def test_after_a_yes_a_reply_with_times_and_after_a_missed_interview_an_apology() -> None:
    slots = ("Thursday 5 March at 09:00", "Friday 6 March at 09:00", "Monday 9 March at 09:00")
    [(field, label, reply)] = choose(FACTS, core.Stage.AGREED, core.Degree.FIRST, 0, False, slots=slots)
    assert (field, label) == ("draft", "Your reply, with three times")
    assert "Would one of these times suit you?\n\n- Thursday 5 March at 09:00\n" in reply.body
    [(_, label, sorry)] = choose(
        FACTS, core.Stage.AGREED, core.Degree.FIRST, 0, False, missed=True, slots=slots
    )
    assert label == "Sorry we missed each other" and "I'm sorry we missed each other." in sorry.body


def test_request_drafts_mention_the_introducer_and_ask_briefly() -> None:
    via = drafts.request_via_introducer(FACTS)
    ask = drafts.introduction_ask(FACTS)
    cold = drafts.request_cold(drafts.DraftFacts("Bo", company="Zed"))
    assert via.body.startswith("Hi Ada,") and "Grace Hopper suggested" in via.body
    assert "introducing us" in ask.body and "Ada Lovelace at Acme" in ask.body
    assert "15 to 20 minutes" in cold.body and "not asking about jobs" in cold.body and "at Zed" in cold.body
    huge = drafts.DraftFacts("x" * 5000, company="y" * 5000, learning_goal="z" * 5000, introducer="w" * 5000)
    for make in (
        drafts.request_first,
        drafts.request_via_introducer,
        drafts.request_cold,
        drafts.introduction_ask,
    ):
        assert len(make(huge).body) <= 3000 and len(make(huge).subject) <= 150


def test_second_degree_target_gets_both_drafts_and_a_mail_link(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    dm = log_contact(
        running_app,
        slack,
        name="Ada <!channel>",
        degree="second",
        introducer="Grace",
        email="ada@example.org",
        company="Acme & Co",
        learning_goal="how research teams work",
    )
    view = open_drafts(running_app, slack, dm)
    assert view["callback_id"] == "contact_draft" and not validate_view(view)
    assert "&lt;!channel&gt;" in json.dumps(view["blocks"][0])
    texts = inputs(view)
    assert (
        texts["draft_intro"].startswith("Hi Grace,") and "Ada <!channel> at Acme & Co" in texts["draft_intro"]
    )
    assert texts["draft"].startswith("Hi Ada,") and "Grace suggested" in texts["draft"]
    link = next(e["url"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"])
    parsed = urlparse(link)
    assert parsed.scheme == "mailto" and parsed.path == "ada@example.org"
    assert parse_qs(parsed.query)["body"][0] == texts["draft"]
    assert view["submit"]["text"] == "Sent it"

    # 'Sent it' asks which one went out (issue 9): the request to Ada herself here.
    state: dict[str, Any] = {"draft": {"draft": {"type": "plain_text_input", "value": texts["draft"]}}}
    unsaid = running_app.sender.submit(
        "contact_draft", state, private_metadata=view["private_metadata"]
    ).json()
    assert unsaid["response_action"] == "errors" and set(unsaid["errors"]) == {"sent_via"}
    state["sent_via"] = {"sent_via": {"type": "radio_buttons", "selected_option": {"value": "direct"}}}
    reply = running_app.sender.submit("contact_draft", state, private_metadata=view["private_metadata"])
    assert reply.status == 200 and reply.body in (b"", b"{}")
    slack.wait_for("chat.update")
    with running_app.services.db.session() as session:
        assert [a.channel for a in session.scalars(select(OutreachAttempt))] == ["email"]
    # Sending it twice from the same (now stale) form changes nothing and says why.
    body = running_app.sender.submit("contact_draft", state, private_metadata=view["private_metadata"]).json()
    assert body["response_action"] == "errors" and "Already done" in body["errors"]["draft"]


def test_no_mail_link_without_an_email(running_app: RunningApp, slack: FakeSlack) -> None:
    view = open_drafts(
        running_app, slack, log_contact(running_app, slack, name="Bo", degree="cold", company="Zed")
    )
    assert not any(b["type"] == "actions" for b in view["blocks"])
    assert inputs(view)["draft"].startswith("Hello Bo,")


def test_drafts_are_only_for_the_owner(running_app: RunningApp, slack: FakeSlack) -> None:
    dm = log_contact(running_app, slack, name="Ada")
    running_app.sender.click(
        "contact_draft",
        buttons(dm)["contact_draft"],
        user="U0INTRUDER",
        channel=dm["channel"],
        message_ts=dm["ts"],
    )
    assert "isn't in your list" in json.dumps(slack.wait_for("response_url:act-U0INTRUDER")[-1].args)
    assert slack.calls_to("views.open") == []
