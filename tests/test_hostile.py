"""The hostile-input suite: every `/infoint` subcommand, every button and menu (`ActionId`) and every
modal (`ViewId`) fed hostile input by hypothesis, as signed requests, on SQLite or PostgreSQL.

The input: over-long text, odd Unicode (bidi marks, zero-width joiners, combining marks, emoji ZWJ
sequences, lone surrogates in JSON, NUL and control characters, non-ASCII digits), Slack's control
sequences (``<!channel>``, ``<@U…>``, ``<#C…>``, ``<!subteam^…>``, disguised links) raw and escaped,
dates and times out of range or malformed, ids past 64 bits, negative, zero or empty, forged button
values and private_metadata (someone else's records among them), and the app's own values mixed in
so real records are made and changed.

Each request is checked (`hostile_world.World.exchange`): answered 200, no Block Kit breach in the
acknowledgement or any call to the fake Slack, no hostile control sequence unescaped in any mrkdwn
it sent, no listener failed (no traceback logged), the victim's records unchanged; a logged contact
is refused with a message per field or stored exactly as typed (after the form's clean-up).

``INFOINT_HOSTILE_EXAMPLES`` sets the examples per id (default 3: the whole file in about a minute).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers import BOT_TOKEN, Clock, ListenerPool, RunningApp, contact_form, make_config, texts
from hostile import (
    FORM,
    INJECTED_BUT_MENTIONS,
    command_text,
    forged_value,
    hostile_text,
    metadata,
    pick,
    slack_escape,
)
from hostile_world import ATTACK, CLASS, HOSTILE, PUPIL, VICTIM, VICTIMS, World, empty
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slackwire import TEAM, InProcess, Reply, SlackSender
from sqlalchemy import select

from bot.app import WebApp, create_app
from bot.domain.forms import clean_text
from bot.domain.ids import ActionId, ViewId
from bot.fakeslack import FakeSlack
from bot.services import Services
from handlers import cohorts, commands
from handlers.payloads import BAD_CONTACT_BUTTON
from storage.db import Database
from storage.models import Cohort, CohortNote, Contact, User

EXAMPLES = int(os.environ.get("INFOINT_HOSTILE_EXAMPLES", "3"))
# Shrinking a failure through a whole app can take minutes: off unless asked for (the failing example
# is printed as drawn either way).
SHRINK = os.environ.get("INFOINT_HOSTILE_SHRINK", "") not in ("", "0")
hostile_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[p for p in Phase if SHRINK or p not in (Phase.shrink, Phase.explain)],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def world(migrated_db: Database, fake_slack_server: FakeSlack) -> Iterator[World]:
    """One app, database and fake Slack for the module: hostile input piles up as it would in a
    workspace (hundreds of contacts, modals, cohorts), and the seeding is paid once."""
    empty(migrated_db)
    slack = fake_slack_server
    slack.reset()
    slack.trigger_ttl = 60.0  # a loaded machine must not turn a slow request into an expired trigger
    clock = Clock()
    services = Services(migrated_db, clock=clock)
    config = make_config(slack, migrated_db.url)
    listeners = ListenerPool()
    wsgi = WebApp(create_app(config, services, listener_executor=listeners), services, config.signing_secret)
    transport = InProcess(wsgi)
    sender = SlackSender(transport, slack.response_url(""), slack.trigger_id)
    found = World(RunningApp(transport, services, sender, clock, config, listeners), slack)
    logging.getLogger().addHandler(found.failures)
    try:
        found.seed()
        yield found
    finally:
        logging.getLogger().removeHandler(found.failures)
        listeners.shutdown(wait=True)
        print(f"\nhostile-input suite: {found.examples} hostile requests checked")
        slack.reset()


# What each id gets ----------------------------------------------------------------------------------

Args = Callable[[World], st.SearchStrategy[str]]


def _text(world: World) -> st.SearchStrategy[str]:
    return command_text()


def _names(world: World) -> st.SearchStrategy[str]:
    names = st.sampled_from(["Ada", "Bob Byte", "cy", "Vera Victim", "ada lovelace"])
    return st.one_of(names, command_text())


def _themes(world: World) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["career", "company", "role", "field", "advice", "trends"]), command_text()
    )


def _csv(world: World) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["csv", "CSV", "csv csv"]), command_text())


def _mention(world: World) -> st.SearchStrategy[str]:
    real = st.sampled_from(
        ["<@U0PUPIL>", "<@U0VICTIM|victim>", "<@U0HOSTILE|x>", "<@W0HOSTILE>", "<@U0ATTACK>"]
    )
    return st.one_of(real, st.tuples(real, command_text()).map(" ".join), command_text())


#: Each subcommand's hostile arguments ("cohort" is exercised through its own subcommands below).
SUBCOMMAND_ARGS: dict[str, Args] = {
    "log": _text,
    "list": _text,
    "settings": _text,
    "insights": _names,
    "stats": _text,
    "find": _names,
    "goal": _text,
    "questions": _themes,
    "schedule": _names,
    "cohort": _text,
    "export": _text,
    "forget-me": _text,
}
COHORT_ARGS: dict[str, Args] = {
    "create": _text,
    "join": _text,
    "me": _text,
    "report": _csv,
    "mentor": _mention,
    "settings": _text,
    "export": _text,
    "close": _text,
    "share": _text,
    "pause": _text,
    "resume": _text,
    "looked": _text,
    "leave": _text,
}
#: Each button's or menu's element type, as the app draws it (a forged click sometimes sends another).
ACTION_KINDS: dict[str, str] = {
    ActionId.REQUEST_SENT: "button",
    ActionId.CONTACT_REPLY: "static_select",
    ActionId.CONTACT_DRAFT: "button",
    ActionId.CONTACT_OUTCOME: "static_select",
    ActionId.SCHEDULE_INTERVIEW: "button",
    ActionId.REQUEST_VIA_INTRODUCER: "button",
    ActionId.REQUEST_DIRECT: "button",
    ActionId.CONTACT_INTRODUCED: "button",
    ActionId.CONTACT_MOVE_ON: "button",
    ActionId.CONTACT_MORE: "overflow",
    ActionId.LIST_PAGE: "button",
    ActionId.LIST_PAGE_BACK: "button",
    ActionId.OPEN_LOG_MODAL: "button",
    ActionId.OPEN_PIPELINE: "button",
    ActionId.OPEN_SETTINGS: "button",
    ActionId.LOG_FORM_CHANGED: "radio_buttons",
    ActionId.LOG_ADD_DETAILS: "button",
    ActionId.PLAN_PICK_TARGETS: "button",
    ActionId.PLAN_SKIP_WEEK: "button",
    ActionId.PLAN_PAUSE: "button",
    ActionId.PLAN_RESUME: "button",
    ActionId.OPEN_MAILTO: "button",
    ActionId.NUDGE_DONE: "button",
    ActionId.NUDGE_SNOOZE: "overflow",
    ActionId.NUDGE_MOVE_ON: "button",
    ActionId.NUDGE_REPLY: "static_select",
    ActionId.NUDGE_MISSED: "button",
    ActionId.NUDGE_DRAFT: "button",
    ActionId.NUDGE_NOTES: "button",
    ActionId.NUDGE_RESCHEDULE: "button",
    ActionId.NUDGE_REFERRALS: "button",
    ActionId.NUDGE_SCHEDULE: "button",
    ActionId.NUDGE_INTRODUCED: "button",
    ActionId.PREPARE_QUESTIONS: "button",
    ActionId.INTERVIEW_RESCHEDULE: "button",
    ActionId.INTERVIEW_CANCEL: "button",
    ActionId.COHORT_JOIN: "button",
    ActionId.COHORT_PREVIOUS: "button",
    ActionId.COHORT_NEXT: "button",
    ActionId.COHORT_CSV: "button",
    ActionId.COHORT_OPEN_REPORT: "button",
    ActionId.COHORT_STUDENT: "button",
    ActionId.COHORT_NOTE: "button",
    ActionId.COHORT_NUDGE: "button",
    ActionId.COHORT_NUDGE_AGAIN: "button",
    ActionId.COHORT_STATE: "button",
    ActionId.COHORT_PLACED: "button",
    ActionId.COHORT_SHARING: "button",
    ActionId.COHORT_WHO_LOOKED: "button",
}
#: The fields each modal reads, for a form never drawn yet (otherwise the modal as drawn is filled).
VIEW_FIELDS: dict[str, tuple[str, ...]] = {
    ViewId.LOG_CONTACT: ("name", "company", "role", "degree", "standing", "introducer", "interview_at"),
    ViewId.EDIT_CONTACT: ("name", "company", "role", "degree", "email", "phone", "linkedin_url"),
    ViewId.SETTINGS: ("work_days", "window_start", "window_end", "follow_up_days"),
    ViewId.GOAL: ("target_industries", "target_companies", "target_roles"),
    ViewId.SCHEDULE_INTERVIEW: ("starts_at", "duration", "format", "place"),
    ViewId.SCHEDULE_PICK: ("contact", "starts_at", "duration", "format", "place"),
    ViewId.RESCHEDULE_INTERVIEW: ("starts_at", "duration", "format", "place"),
    ViewId.NUDGE_RESCHEDULE: ("starts_at", "duration", "format", "place"),
    ViewId.NUDGE_SCHEDULE: ("starts_at", "duration", "format", "place"),
    ViewId.CONTACT_DRAFT: ("body", "subject"),
    ViewId.NUDGE_DRAFT: ("body", "subject"),
    ViewId.NOTES: ("notes", "takeaways"),
    ViewId.REFERRALS: ("referrals",),
    ViewId.PREPARE_QUESTIONS: ("questions", "own_questions"),
    ViewId.REMOVE_CONTACT: (),
    ViewId.PLAN_TARGETS: ("targets",),
    ViewId.COHORT_JOIN: ("sharing", "celebrate"),
    ViewId.COHORT_MENTOR: ("mentor",),
    ViewId.COHORT_PLACED: ("what", "on", "contact"),
    ViewId.COHORT_NOTE: ("note",),
    ViewId.COHORT_SETTINGS: ("requests", "conversations", "day", "time", "timezone"),
    ViewId.COHORT_SHARING: ("level", "keep"),
    ViewId.FORGET_ME: ("confirm",),
}


def test_every_subcommand_button_and_modal_has_a_hostile_strategy() -> None:
    """A new subcommand, button or modal can't be missed silently: it needs its line above."""
    assert set(SUBCOMMAND_ARGS) == {entry.name for entry in commands.SUBCOMMANDS}
    assert set(COHORT_ARGS) == {entry.name for entry in cohorts.SUBCOMMANDS}
    assert set(ACTION_KINDS) == set(ActionId)
    assert set(VIEW_FIELDS) == set(ViewId)


# The checks catch what they look for -------------------------------------------------------------


def test_the_checks_catch_a_block_kit_breach_an_injection_and_harm_to_the_victim(world: World) -> None:
    """The suite's checks can fail: a message over Block Kit's limits, an unescaped ``<!channel>``,
    a failing listener's log and a change to the victim's records are each caught."""
    client = WebClient(token=BOT_TOKEN, base_url=world.slack.api_url)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}

    def post(**args: Any) -> Callable[[], Reply]:
        def send() -> Reply:
            with contextlib.suppress(SlackApiError):  # the fake's refusal is what is checked
                client.chat_postMessage(channel=HOSTILE, **args)
            return Reply(200, b"")

        return send

    with pytest.raises(AssertionError, match="invalid_blocks"):
        world.exchange(post(text="x", blocks=[section] * 51))
    with pytest.raises(AssertionError, match="invalid_blocks"):
        long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
        world.exchange(post(text="x", blocks=[long]))
    with pytest.raises(AssertionError, match="channel"):
        world.exchange(post(text="hi &lt;ok&gt; <!channel>"))
    with pytest.raises(AssertionError, match="evil"):
        world.exchange(
            post(
                text="x", blocks=[{**section, "text": {"type": "mrkdwn", "text": "<http://evil.example|a>"}}]
            )
        )
    with pytest.raises(AssertionError, match="boom"):
        world.exchange(lambda: (logging.getLogger("bot.app").error("boom"), Reply(200, b""))[1])
    with pytest.raises(AssertionError, match="500"):
        world.exchange(lambda: Reply(500, b"oops"))
    # The same message, escaped as the app escapes, passes.
    world.exchange(post(text="hi &lt;!channel&gt;", blocks=[section]))
    with world.app.services.db.session() as session:
        victim = session.scalars(select(Contact).join(User).where(User.slack_user_id == VICTIM)).first()
        assert victim is not None
        saved, victim.name = victim.name, "Changed by someone else"
    try:
        with pytest.raises(AssertionError):
            world.exchange(lambda: Reply(200, b""))
    finally:
        with world.app.services.db.session() as session:
            victim = session.get(Contact, victim.id)
            assert victim is not None
            victim.name = saved


# Slash commands ------------------------------------------------------------------------------------


HOME = {"id": "V0HOME", "type": "home"}
CHANNELS = st.sampled_from([ATTACK, ATTACK, CLASS, VICTIMS, "D0ATTACKDM", "C0NOWHERE"])


@pytest.mark.parametrize("name", ["", "help", "unknown", *SUBCOMMAND_ARGS])
@hostile_settings
@given(data=st.data())
def test_hostile_subcommands(world: World, name: str, data: st.DataObject) -> None:
    if name == "unknown":
        head = data.draw(command_text().map(lambda t: t.split(" ")[0]), "name")
    else:
        head = data.draw(st.sampled_from([name, name.upper(), f"  {name}"]), "name")
    args = data.draw(SUBCOMMAND_ARGS.get(name, _text)(world), "args")
    channel = data.draw(CHANNELS, "channel")
    text = f"{head} {args}"
    world.exchange(lambda: world.command(text, channel), context=f"/infoint {text!r} in {channel}")


@pytest.mark.parametrize("name", ["", "help", "unknown", *COHORT_ARGS])
@hostile_settings
@given(data=st.data())
def test_hostile_cohort_subcommands(world: World, name: str, data: st.DataObject) -> None:
    if name == "unknown":
        name = data.draw(command_text().map(lambda t: t.split(" ")[0]), "name")
    args = data.draw(COHORT_ARGS.get(name, _text)(world), "args")
    channel = data.draw(CHANNELS, "channel")
    text = f"cohort {name} {args}"
    # `cohort mentor @name` names the person it adds: that mention is the point, not an injection.
    pattern = INJECTED_BUT_MENTIONS if name == "mentor" else None
    kwargs = {"pattern": pattern} if pattern else {}
    world.exchange(lambda: world.command(text, channel), context=f"/infoint {text!r} in {channel}", **kwargs)


# Buttons and menus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(ActionId))
@hostile_settings
@given(data=st.data())
def test_hostile_clicks(world: World, action: ActionId, data: st.DataObject) -> None:
    value = data.draw(forged_value(world.values(action) or world.all_values(), world.parts()), "value")
    kinds = ["button", "overflow", "static_select", "radio_buttons"]
    kind = data.draw(st.sampled_from([ACTION_KINDS[action]] * 4 + kinds), "kind")
    blocks = sorted(world.drawn.block_ids.get(action, ()))
    block_id = data.draw(st.one_of(pick(blocks, "b"), pick(blocks, "b"), hostile_text()), "block_id")
    place = data.draw(st.sampled_from(["message", "ephemeral", "modal", "home"]), "place")
    where: dict[str, Any] = {"block_id": block_id[:300]}
    if place in ("message", "ephemeral"):
        mine = pick(sorted(world.drawn.messages), ("D0ATTACKDM", "1.2"))
        forged = st.tuples(hostile_text(), st.sampled_from(["1.2", "", "9" * 30, "-1", "１.２"]))
        channel, ts = data.draw(st.one_of(mine, mine, forged), "message")
        where |= {"channel": channel or None, "message_ts": ts or None, "ephemeral": place == "ephemeral"}
    elif place == "modal":
        template: dict[str, Any] = data.draw(pick(world.modal_views(), {}), "view")
        callback = str(template.get("callback_id"))
        form = data.draw(FORM, "form")
        md = data.draw(metadata(world.metadata_of(callback), world.ids()), "private_metadata")
        where["view"] = {
            "type": "modal",
            **template,
            "id": template.get("id", "V0FORGED"),
            "private_metadata": md,
            "state": {"values": form.state(template, VIEW_FIELDS.get(callback, ()))},
        }
    if kind == "button":
        send = lambda: world.app.sender.click(action, value, user=HOSTILE, **where)  # noqa: E731
    else:
        send = lambda: world.app.sender.choose(action, value, user=HOSTILE, kind=kind, **where)  # noqa: E731
    world.exchange(send, context=f"{kind} {action} value={value[:200]!r} {place} block={block_id[:80]!r}")


# Modals --------------------------------------------------------------------------------------------


#: Forgetting the hostile user deletes their records (and closes the cohort they mentor): run last.
LAST = ViewId.FORGET_ME


@pytest.mark.parametrize("view", [v for v in sorted(ViewId) if v is not LAST])
@hostile_settings
@given(data=st.data())
def test_hostile_forms(world: World, view: ViewId, data: st.DataObject) -> None:
    _hostile_form(world, view, data)


def _hostile_form(world: World, view: ViewId, data: st.DataObject) -> None:
    state = data.draw(FORM, "form").state(world.view(view), VIEW_FIELDS[view])
    md = data.draw(metadata(world.metadata_of(view), world.ids()), "private_metadata")
    before = _contacts(world)
    outcome = world.exchange(
        lambda: world.submit(view, state, md),
        context=f"{view} metadata={md[:200]!r} state={json.dumps(state)[:600]}",
    )
    if view == ViewId.LOG_CONTACT:
        _stored_as_typed_or_refused(world, state, outcome.body, before)


def delivered(typed: str) -> str:
    """What the app reads from a JSON payload: two lone surrogates side by side are one character."""
    return str(json.loads(json.dumps(typed)))


def _contacts(world: World) -> set[int]:
    with world.app.services.db.session() as session:
        return set(session.scalars(select(Contact.id).join(User).where(User.slack_user_id == HOSTILE)))


TEXT_FIELDS = (
    "name",
    "company",
    "role",
    "industry",
    "location",
    "email",
    "linkedin_url",
    "phone",
    "learning_goal",
)


def _typed(state: dict[str, Any], field: str) -> str | None:
    element = next(iter((state.get(field) or {}).values()), {})
    value = element.get("value") if element.get("type") not in ("static_select", "radio_buttons") else None
    return value if isinstance(value, str) else None


def _stored_as_typed_or_refused(world: World, state: dict[str, Any], body: Any, before: set[int]) -> None:
    """A logged contact is refused with a message per field, or stored exactly as typed (cleaned of
    control and hidden characters, white space folded)."""
    added = _contacts(world) - before
    if isinstance(body, dict) and body.get("response_action") == "errors":
        assert not added and all(isinstance(m, str) and m.strip() for m in body["errors"].values()), body
        return
    assert len(added) == 1, (body, added)
    with world.app.services.db.session() as session:
        contact = session.get(Contact, added.pop())
        assert contact is not None
        for field in TEXT_FIELDS:
            typed = _typed(state, field)
            if typed is not None:
                sent = delivered(typed)
                assert getattr(contact, field) == clean_text(sent, multiline=field == "learning_goal"), field


@hostile_settings
@given(
    fields=st.fixed_dictionaries(
        {f: hostile_text(json_only=True) for f in ("name", "company", "role", "industry")}
    )
)
def test_a_logged_contact_is_stored_as_typed_or_refused(world: World, fields: dict[str, str]) -> None:
    """Valid choices and hostile text: the contact is made (and reads back exactly) or each faulty
    field says why."""
    state = contact_form(**fields)
    before = _contacts(world)
    outcome = world.exchange(lambda: world.submit(ViewId.LOG_CONTACT, state), context=repr(fields))
    _stored_as_typed_or_refused(world, state, outcome.body, before)


@hostile_settings
@given(typed=hostile_text(json_only=True))
def test_a_mentors_note_is_stored_as_typed_or_refused(world: World, typed: str) -> None:
    """The hostile user mentors a cohort: their private note on its student is kept exactly as typed
    (control and hidden characters dropped), or refused in words."""
    with world.app.services.db.session() as session:
        cohort_id = session.scalar(select(Cohort.id).where(Cohort.channel_id == ATTACK))
    metadata = json.dumps({"cohort": cohort_id, "student": PUPIL})
    state = {"note": {"note": {"type": "plain_text_input", "value": typed}}}
    before = _notes(world)
    outcome = world.exchange(lambda: world.submit(ViewId.COHORT_NOTE, state, metadata), context=repr(typed))
    added = [body for note_id, body in _notes(world).items() if note_id not in before]
    if added:
        assert added == [clean_text(delivered(typed), multiline=True)]
        return
    body = outcome.body if isinstance(outcome.body, dict) else {}
    shown = body.get("errors") or texts(body.get("view") or {})
    assert shown and all(
        isinstance(m, str) and m.strip() for m in (body.get("errors") or {"": shown}).values()
    )


def _notes(world: World) -> dict[int, str]:
    with world.app.services.db.session() as session:
        return {row.id: row.body for row in session.execute(select(CohortNote.id, CohortNote.body))}


# Found by this suite ----------------------------------------------------------------------------------


def test_an_unreadable_click_on_the_home_or_in_a_modal_is_answered(world: World) -> None:
    """A forged value clicked where there is no response_url (the App Home, a modal) failed the
    listener after its ack; now the Home says why, and a modal changes nothing."""
    before = len(world.slack.calls_to("views.publish"))
    world.exchange(lambda: world.app.sender.click("request_sent", "²:1", user=HOSTILE, view=HOME))
    [published] = world.slack.calls_to("views.publish")[before:]
    assert BAD_CONTACT_BUTTON.split("`")[0] in texts(published.args["view"])
    modal = {
        "id": "V0FORM",
        "type": "modal",
        "callback_id": "log_contact",
        "private_metadata": "",
        "state": {},
    }
    world.exchange(lambda: world.app.sender.click("contact_move_on", "-1:0", user=HOSTILE, view=modal))


def test_a_forged_message_place_never_reaches_a_modal(world: World) -> None:
    """A click's container naming a "channel" of 40,000 characters was kept in the modal's metadata
    (3000 at most): the modal never opened. Now a place not written as Slack writes it is no place."""

    def opens(value: str, channel: str) -> list[Any]:
        before = len(world.slack.calls_to("views.open"))
        world.exchange(
            lambda: world.app.sender.click(
                "schedule_interview", value, user=HOSTILE, channel=channel, message_ts="1.2"
            )
        )
        return world.slack.calls_to("views.open")[before:]

    value = next(v for v in world.values("schedule_interview") if opens(v, "D0ATTACKDM"))
    [opened] = opens(value, "D" + "9" * 40_000)
    assert opened.response["ok"] and "9999" not in opened.args["view"]["private_metadata"]


# Found in parallel (the edges branch fixed them): forged places, odd shapes, command text ------------


def test_a_click_naming_the_victims_message_leaves_it_alone(world: World) -> None:
    """The hostile user's own button, with the victim's DM as its container: the victim's message
    must not be drawn over with the hostile user's card."""
    victims = sorted(world.drawn.victims)
    assert victims
    shown = {where: world.slack.message(*where) for where in victims}
    for value in world.values("request_sent")[:3]:
        for channel, ts in victims:
            world.exchange(
                lambda v=value, c=channel, t=ts: world.app.sender.click(  # type: ignore[misc]
                    "request_sent",
                    v,
                    user=HOSTILE,
                    channel=c,
                    message_ts=t,
                    block_id=f"contact:{v.split(':')[0]}",
                )
            )
    assert {where: world.slack.message(*where) for where in victims} == shown


@pytest.mark.parametrize(
    "view", ["log_contact", 7, None, [], {"callback_id": 7}, {"callback_id": ["log_contact"]}]
)
def test_a_signed_view_submission_of_the_wrong_shape_is_not_a_500(world: World, view: Any) -> None:
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": HOSTILE}, "view": view}
    world.failures.records.clear()
    reply = world.app.sender.interaction(payload)
    world.app.settle()
    assert reply.status in (200, 400), reply.body
    assert not [r.getMessage() for r in world.failures.records]


@hostile_settings
@given(typed=hostile_text().filter(lambda t: clean_text(t) and len(clean_text(t)) <= 80))
def test_a_cohort_name_typed_in_a_command_round_trips(world: World, typed: str) -> None:
    """What a mentor typed after ``cohort create`` (Slack escapes ``&``, ``<``, ``>``) is the name stored."""
    channel = f"C0NAME{world.examples}"
    world.slack.add_channel(channel, "names", (HOSTILE,))
    world.exchange(lambda: world.command(f"cohort create {slack_escape(typed)}", channel))
    with world.app.services.db.session() as session:
        name = session.scalar(select(Cohort.name).where(Cohort.channel_id == channel))
    assert name is None or name == clean_text(typed)


# Last ----------------------------------------------------------------------------------------------


@hostile_settings
@given(data=st.data())
def test_hostile_forget_me_form(world: World, data: st.DataObject) -> None:
    """The confirmation of ``/infoint forget-me``, submitted with forged metadata (the victim's
    among it): only ever the hostile user's own records go."""
    _hostile_form(world, LAST, data)
