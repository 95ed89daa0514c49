"""The student's surfaces end to end (issue 9): every contact can be acted on wherever it appears,
They replied… is visible, what the student did is shown where they did it, the log form reveals what
applies, edit and remove, first use and discoverability. Signed requests in process, the fake Slack,
a real database."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import STUDENT, T0, RunningApp, nudge_dms, paris, rows, texts
from student import Student, find_element, state_for

from bot.domain.forms import validate_contact
from bot.fakeslack import FakeSlack, validate_message_blocks, validate_view
from handlers.commands import SUBCOMMANDS
from storage.models import Contact, Nudge, OutreachAttempt

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def student(running_app: RunningApp, slack: FakeSlack) -> Student:
    you = Student(running_app, slack)
    you.at(T0)
    return you


def contact_id(app: RunningApp, name: str) -> int:
    [found] = [c.id for c in rows(app, Contact) if c.name == name]
    return found


def row_prefix(surface: str, app: RunningApp, name: str) -> str:
    return f"{surface}:{contact_id(app, name)}"


# 1. No dead ends: the Home, the list, search results, referral cards ----------------------------------


def test_logged_from_the_home_the_home_says_so_and_each_row_acts_in_place(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    student.open_home()
    assert student.log_from_home(name="Ada", company="Acme").status == 200
    assert student.log_from_home(name="Bo", standing="request_sent", request_channel="linkedin").status == 200
    # No DM: the modal closed, and the Home says what happened, with each contact's buttons.
    assert student.posts() == []
    home = student.home()
    shown = texts(home)
    assert "Saved *Bo* to your list" in shown
    ada = row_prefix("home", running_app, "Ada")
    bo = row_prefix("home", running_app, "Bo")
    assert find_element(home, ada, "request_sent")[1]["text"]["text"] == "Request sent"
    replied = find_element(home, bo, "contact_reply")[1]
    assert replied["type"] == "static_select" and replied["placeholder"]["text"] == "They replied…"

    # "Request sent" on Ada's row: recorded, the Home published again saying so; still no DM.
    student.click({}, ada, "request_sent", view=home)
    assert [
        a.number for a in rows(running_app, OutreachAttempt) if a.contact_id == contact_id(running_app, "Ada")
    ] == [1]
    home = student.home()
    assert "*Ada*: ✅ Request recorded." in texts(home)
    assert "Follow up with Ada: Mon 9 Mar" in texts(home)
    assert find_element(home, ada, "request_sent")[1]["text"]["text"] == "Follow-up sent"
    # They replied… "yes" on Bo's row: the Home says so and offers to book.
    student.click({}, bo, "contact_reply", "yes", view=home)
    home = student.home()
    assert "*Bo* said yes" in texts(home) and find_element(home, bo, "schedule_interview")
    assert student.posts() == [] and slack.calls_to("chat.update") == []


def test_the_list_has_every_contact_with_its_buttons_a_page_at_a_time(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    for n in range(12):
        assert student.log_by_command(name=f"Person {n:02d}").status == 200
    listing = running_app.answer("list")
    assert not validate_message_blocks(listing["blocks"], listing["text"])
    first = [b for b in listing["blocks"] if b["type"] == "actions" and b["block_id"].startswith("list:")]
    assert len(first) == 10 and all(find_element({"blocks": [b]}, "list:", "request_sent") for b in first)
    # The next page replaces the answer in place.
    listing["channel"], listing["ts"] = "D0STUDENT", "1.0"
    student.click(listing, "list_pages", "list_page", ephemeral=True)
    page_two = student.answers()[-1].args
    assert page_two["replace_original"] is True and "Page 2 of 2" in texts(page_two)
    assert len([b for b in page_two["blocks"] if b.get("block_id", "").startswith("list:")]) == 2
    # A row's button: recorded, and the same page drawn again with a line saying so.
    page_two["channel"], page_two["ts"] = "D0STUDENT", "1.0"
    name = "Person 11"
    student.click(page_two, row_prefix("list", running_app, name), "request_sent", ephemeral=True)
    again = student.answers()[-1].args
    assert again["replace_original"] is True and "*Person 11*: ✅ Request recorded." in texts(again)
    assert "Page 2 of 2" in texts(again) and not validate_message_blocks(again["blocks"], again["text"])
    assert student.posts() == []


def test_search_results_carry_the_buttons_and_answer_in_place(
    student: Student, running_app: RunningApp
) -> None:
    student.log_by_command(name="Ada Lovelace", company="Acme")
    found = running_app.answer("find acme")
    prefix = row_prefix("found_actions", running_app, "Ada Lovelace")
    assert find_element(found, prefix, "request_sent") and find_element(found, prefix, "contact_more")
    assert find_element(found, prefix, "contact_outcome")[1]["placeholder"]["text"] == "What it led to…"
    assert "Next: Send a request to Ada Lovelace" in texts(found)
    found["channel"], found["ts"] = "D0STUDENT", "1.0"
    student.click(found, prefix, "request_sent", ephemeral=True)
    card = student.answers()[-1].args
    assert "*Ada Lovelace*: ✅ Request recorded." in texts(card) and card["response_type"] == "ephemeral"
    assert student.posts() == []


# Edit and remove ------------------------------------------------------------------------------------


def test_edit_opens_the_form_filled_in_and_a_stale_form_says_so(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    student.log_by_command(
        name="Ada", company="Acme", degree="second", introducer="Grace", email="ada@example.org"
    )
    card = student.answers()[-1].args
    card["channel"], card["ts"] = "D0STUDENT", "1.0"
    prefix = row_prefix("contact", running_app, "Ada")
    before = student.modals_opened()
    student.click(card, prefix, "contact_more", "edit", ephemeral=True)
    form = student.opened(before)
    assert form["callback_id"] == "edit_contact" and form["title"]["text"] == "Edit Ada"
    filled = {
        b["block_id"]: b["element"].get("initial_value") for b in form["blocks"] if b["type"] == "input"
    }
    assert filled["name"] == "Ada" and filled["company"] == "Acme" and filled["introducer"] == "Grace"
    assert filled["email"] == "ada@example.org" and "standing" not in filled
    fields = {**filled, "degree": "second", "company": "Acme Labs"}
    # Meanwhile the request goes out from the card (asked whom it went to: Grace): the form is now out
    # of date.
    student.click(card, prefix, "request_sent", ephemeral=True)
    question = {**student.answers()[-1].args, "channel": "D0STUDENT", "ts": "1.0"}
    student.click(question, prefix, "request_via_introducer", ephemeral=True)
    stale = student.app.sender.submit(
        "edit_contact", state_for(form, fields), private_metadata=form["private_metadata"]
    )
    assert stale.json()["response_action"] == "errors" and "out of date" in stale.json()["errors"]["name"]
    assert rows(running_app, Contact)[0].company == "Acme"
    # Opened again, it saves, and the card says so in place.
    card = student.answers()[-1].args
    card["channel"], card["ts"] = "D0STUDENT", "1.0"
    before = student.modals_opened()
    student.click(card, prefix, "contact_more", "edit", ephemeral=True)
    form = student.opened(before)
    reply = student.fill_and_save(form, "edit_contact", **fields)
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    [ada] = rows(running_app, Contact)
    assert ada.company == "Acme Labs" and ada.stage == "requested" and ada.introducer_name == "Grace"
    saved = student.answers()[-1].args
    assert "Saved your changes to *Ada*" in texts(saved) and saved["replace_original"] is True
    assert student.posts() == []


def test_remove_asks_first_and_its_reminders_go(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    student.log_by_command(name="Ada", standing="request_sent")
    student.log_by_command(name="Bo", standing="request_sent")
    [dm] = student.sweep(paris(10, 10))  # both follow-ups in one DM
    assert "Ada" in texts(dm.args["blocks"]) and "Bo" in texts(dm.args["blocks"])
    home = student.open_home()
    ada = contact_id(running_app, "Ada")
    prefix = row_prefix("home", running_app, "Ada")
    before = student.modals_opened()
    student.click({}, prefix, "contact_more", "remove", view=home)
    confirm = student.opened(before)
    assert confirm["callback_id"] == "remove_contact" and "Remove *Ada*" in texts(confirm)
    assert (
        student.app.sender.submit("remove_contact", {}, private_metadata=confirm["private_metadata"]).status
        == 200
    )
    student.app.settle()
    assert [c.name for c in rows(running_app, Contact)] == ["Bo"]
    assert [n.kind for n in rows(running_app, Nudge) if n.contact_id is not None] == ["follow_up"]
    assert not [n for n in rows(running_app, Nudge) if n.contact_id == ada]
    # The reminder DM is drawn again without Ada; the Home says she was removed.
    redrawn = slack.message(dm.response["channel"], dm.response["ts"])
    assert redrawn is not None and "Ada" not in texts(redrawn["blocks"]) and "Bo" in texts(redrawn["blocks"])
    assert "Removed *Ada* from your list" in texts(student.home())


def test_close_as_no_response_appears_once_the_tries_are_used_up(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    student.log_by_command(name="Ada", standing="request_sent")
    for day in (10, 17):  # the follow-up, then the phone call
        [dm] = student.sweep(paris(day, 10))
        assert "nudge_move_on" in {
            e["action_id"] for b in dm.args["blocks"] if b["type"] == "actions" for e in b["elements"]
        }
        _, move_on = find_element(dm.args, "nudge_actions", "nudge_move_on")
        assert move_on["confirm"]["confirm"]["text"] == "Close it"  # before the tries are used up: asks first
        student.click({**dm.args, **dm.response}, "nudge_actions", "nudge_done")
    home = student.open_home()
    prefix = row_prefix("home", running_app, "Ada")
    assert find_element(home, prefix, "contact_reply")  # a late reply is still possible
    [dm] = student.sweep(paris(24, 10))
    _, close = find_element(dm.args, "nudge_actions", "nudge_move_on")
    assert "confirm" not in close  # the tries are used up: no need to ask
    home = student.open_home()
    student.click({}, prefix, "contact_move_on", view=home)
    assert rows(running_app, Contact)[0].stage == "no_response"
    assert "Closed *Ada* as no response" in texts(student.home())
    # The move-on reminder in the DM is closed and drawn again without its buttons.
    redrawn = slack.message(dm.response["channel"], dm.response["ts"])
    assert redrawn is not None and "nudge_move_on" not in json.dumps(redrawn["blocks"])


def test_snooze_an_overdue_reminder_from_the_contact(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    student.log_by_command(name="Ada", standing="request_sent")
    [dm] = student.sweep(paris(10, 10))
    student.at(paris(10, 12))
    home = student.open_home()
    prefix = row_prefix("home", running_app, "Ada")
    assert "*Overdue:* Follow up with Ada (since Mon 9 Mar)" in texts(home)
    student.click({}, prefix, "contact_more", "snooze_1d", view=home)
    [nudge] = [n for n in rows(running_app, Nudge) if n.kind == "follow_up"]
    assert nudge.status == "pending" and nudge.due_at == paris(11, 12)
    assert "Snoozed the reminder about *Ada*" in texts(student.home())
    assert "Snoozed: I'll bring it back" in texts(slack.message(dm.response["channel"], dm.response["ts"]))


# 2. They replied… is a visible control on every card and reminder where a reply is possible --------


def test_they_replied_is_labelled_on_the_card_and_the_reminder(
    student: Student, running_app: RunningApp
) -> None:
    student.log_by_command(name="Ada", standing="request_sent")
    card = student.answers()[-1].args
    _, on_card = find_element(card, "contact:", "contact_reply")
    assert on_card["type"] == "static_select" and on_card["placeholder"]["text"] == "They replied…"
    [dm] = student.sweep(paris(10, 10))
    _, on_reminder = find_element(dm.args, "nudge_actions", "nudge_reply")
    assert on_reminder["type"] == "static_select" and on_reminder["placeholder"]["text"] == "They replied…"
    overflows = [
        e
        for b in dm.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "overflow"
    ]
    assert len(overflows) == 1  # the snooze menu alone
    student.click({**dm.args, **dm.response}, "nudge_actions", "nudge_reply", "later")
    assert rows(running_app, Contact)[0].stage == "requested"


# 6. Forms -----------------------------------------------------------------------------------------------


def input_ids(view: dict[str, Any]) -> dict[str, bool]:
    """Input block id -> whether it is labelled optional."""
    return {b["block_id"]: bool(b.get("optional")) for b in view["blocks"] if b["type"] == "input"}


def test_the_log_form_starts_short_and_reveals_what_applies(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    before = student.modals_opened()
    running_app.sender.command("log")
    running_app.settle()
    form = student.opened(before)
    assert input_ids(form) == {
        "name": False,
        "company": True,
        "role": True,
        "degree": False,
        "standing": False,
    }
    fields = {"name": "Ada", "company": "Acme"}
    second = student.in_form(form, "degree", "second", {**fields, "degree": "second"})
    assert input_ids(second)["introducer"] is False  # shown only now, and required
    sent = student.in_form(
        second, "standing", "request_sent", {**fields, "degree": "second", "standing": "request_sent"}
    )
    assert input_ids(sent)["request_channel"] is True and "interview_at" not in input_ids(sent)
    booked = student.in_form(
        sent, "standing", "interview_scheduled", {**fields, "standing": "interview_scheduled"}
    )
    assert input_ids(booked)["interview_at"] is False and "request_channel" not in input_ids(booked)
    detailed = student.in_form(booked, "log_more", None, fields)
    assert set(input_ids(detailed)) >= {
        "industry",
        "email",
        "linkedin_url",
        "phone",
        "learning_goal",
        "source",
    }
    assert not any(b.get("block_id") == "log_more" for b in detailed["blocks"])
    # What was typed is kept in the form drawn again.
    kept = {
        b["block_id"]: b["element"].get("initial_value") for b in detailed["blocks"] if b["type"] == "input"
    }
    assert kept["name"] == "Ada" and kept["company"] == "Acme"
    # A form drawn from an out-of-date view is refused by Slack (the hash).
    stale = {**form, "state": {"values": state_for(form, fields)}}
    running_app.sender.choose("log_form_changed", "cold", kind="radio_buttons", block_id="degree", view=stale)
    running_app.settle()
    assert slack.calls_to("views.update")[-1].response["error"] == "hash_conflict"


@pytest.mark.parametrize("degree", ["first", "second", "cold"])
@pytest.mark.parametrize("standing", ["target", "request_sent", "interview_scheduled"])
@pytest.mark.parametrize("details", [False, True])
def test_a_field_labelled_optional_is_never_required(degree: str, standing: str, details: bool) -> None:
    """Every way the form can look: left empty, an optional field never gets an error, and a field
    not labelled optional does when it is empty."""
    from bot.blocks.modals.log_contact import LogForm, log_contact_modal

    view = log_contact_modal("", LogForm(degree=degree, standing=standing, details=details))
    assert not validate_view(view)
    filled = {"name": "Ada", "degree": degree, "standing": standing, "introducer": "Grace"}
    filled["interview_at"] = str(int((T0 + timedelta(days=3)).timestamp()))
    for block_id, optional in input_ids(view).items():
        values = {k: v for k, v in filled.items() if k in input_ids(view)}
        values.pop(block_id, None)
        checked = validate_contact(values, T0)
        errors = checked if isinstance(checked, dict) else {}
        if optional:
            assert block_id not in errors, (block_id, errors)
        elif block_id not in ("degree", "standing"):  # a radio always has its choice
            assert block_id in errors, block_id


def test_referrals_one_box_compact_cards_in_place(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    start = paris(5, 14)
    student.log_by_command(
        name="Ada", industry="Healthcare", standing="interview_scheduled", interview_at=int(start.timestamp())
    )
    [wrap] = student.sweep(paris(5, 14, 25))
    before = student.modals_opened()
    student.click({**wrap.args, **wrap.response}, "nudge_actions", "nudge_notes")
    notes = student.opened(before)
    student.app.sender.submit(
        "interview_notes",
        {"takeaways": {"takeaways": {"type": "plain_text_input", "value": "Ask Linus"}}},
        private_metadata=notes["private_metadata"],
    )
    student.app.settle()
    [thanks] = student.sweep(paris(5, 14, 40))
    before = student.modals_opened()
    student.click({**thanks.args, **thanks.response}, "nudge_actions", "nudge_referrals")
    box = student.opened(before)
    assert input_ids(box) == {"referrals": False}
    posts = len(student.posts())
    bad = student.app.sender.submit(
        "add_referrals",
        {"referrals": {"referrals": {"type": "plain_text_input", "value": ", Kernel Co"}}},
        private_metadata=box["private_metadata"],
    ).json()
    assert bad["response_action"] == "errors" and "Line 1" in bad["errors"]["referrals"]
    typed = "- Linus Torvalds, Kernel Co, Maintainer\n2. Barbara Liskov\tMIT\tProfessor\n"
    reply = student.app.sender.submit(
        "add_referrals",
        {"referrals": {"referrals": {"type": "plain_text_input", "value": typed}}},
        private_metadata=box["private_metadata"],
    )
    student.app.settle()
    assert reply.status == 200 and reply.body in (b"", b"{}")
    referred = [c for c in rows(running_app, Contact) if c.source == "referral"]
    assert [(c.name, c.company, c.role, c.industry) for c in referred] == [
        ("Linus Torvalds", "Kernel Co", "Maintainer", ""),
        ("Barbara Liskov", "MIT", "Professor", ""),
    ]
    # The people added come back as compact cards where the button was clicked, not as new DMs.
    assert len(student.posts()) == posts
    cards = student.answers()[-1].args
    assert "Added 2 people *Ada* suggested" in texts(cards) and not validate_message_blocks(
        cards["blocks"], cards["text"]
    )
    linus = row_prefix("cards", running_app, "Linus Torvalds")
    cards["channel"], cards["ts"] = "D0STUDENT", "1.0"
    # A referral is a 2nd-degree contact: its card says whom the request went to in one click.
    student.click(cards, linus, "request_direct", ephemeral=True)
    again = student.answers()[-1].args
    assert again["replace_original"] is True and "*Linus Torvalds*: ✅ Request recorded." in texts(again)
    assert find_element(again, row_prefix("cards", running_app, "Barbara Liskov"), "request_via_introducer")


# 7. First use and discoverability ------------------------------------------------------------------------


def test_a_first_visit_gets_a_welcome(student: Student) -> None:
    home = student.open_home()
    shown = texts(home)
    assert "Welcome to infoint" in shown and "Log your first contact" in shown
    assert "Targets" not in shown and ": *0*" not in shown  # no row of zeros


def test_help_lists_every_subcommand_with_buttons_and_the_manifest_too(running_app: RunningApp) -> None:
    body = running_app.answer("help")
    for entry in SUBCOMMANDS:
        for usage, _ in entry.listed or ((entry.usage, ""),):
            assert usage in texts(body)
    assert {e["action_id"] for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]} == {
        "open_log_modal",
        "open_pipeline",
        "open_settings",
    }
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    hint = manifest["features"]["slash_commands"][0]["usage_hint"]
    hinted = {part.replace("…", "") for part in hint.strip("[]").replace(" ", "").split("|")}
    assert hinted == {e.name for e in SUBCOMMANDS} | {"help"}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("lsit", "list"), ("serach", None), ("fnd", "find"), ("sched", "schedule"), ("setings", "settings")],
)
def test_an_unknown_subcommand_gets_did_you_mean(
    running_app: RunningApp, typed: str, meant: str | None
) -> None:
    shown = texts(running_app.answer(f"{typed} x"))
    assert f"I don't know `{typed} x`." in shown
    if meant:
        assert f"Did you mean `/infoint {meant}`?" in shown
    else:
        assert "Did you mean" not in shown


def test_the_home_shows_interviews_the_week_and_the_funnel_without_zeros(
    student: Student, running_app: RunningApp
) -> None:
    student.open_home()
    student.log_from_home(
        name="Ada", company="Acme", standing="interview_scheduled", interview_at=int(paris(5, 14).timestamp())
    )
    student.log_from_home(name="Bo", standing="request_sent")
    home = student.home()
    shown = texts(home)
    assert "📅 Thu 5 Mar at 14:00 · *Ada* (Acme)" in shown
    assert "*This week* (from Mon 2 Mar): ▫️ 1 of 2 new requests · ✅ 1 of 1 interviews" in shown
    assert "*2* contacts\nRequest sent, waiting for a reply: *1* · Interview scheduled: *1*" in shown
    assert "Targets" not in shown and "Declined" not in shown
    # A date in another year says its year.
    student.log_from_home(
        name="Cy",
        standing="interview_scheduled",
        interview_at=int(paris(1, 14, month=2).timestamp()) + 365 * 86400 - 86400 * 0,
    )
    assert "Mon 1 Feb 2027 at 14:00 · *Cy*" in texts(student.home())


def test_settings_from_the_home_are_confirmed_in_the_form(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    home = student.open_home()
    before = student.modals_opened()
    student.click({}, "home_actions", "open_settings", view=home)
    assert student.opened(before)["callback_id"] == "settings"
    assert nudge_dms(slack) == []


def test_a_stale_click_on_the_home_says_why_on_the_home(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    start = paris(5, 14)
    student.log_by_command(name="Ada", standing="interview_scheduled", interview_at=int(start.timestamp()))
    student.log_by_command(name="Bo")
    [wrap] = student.sweep(paris(5, 14, 25))
    home = student.open_home()
    ada, bo = row_prefix("home", running_app, "Ada"), row_prefix("home", running_app, "Bo")
    assert find_element(home, ada, "nudge_notes")  # the wrap-up waiting in the DM, on the Home too
    # Bo's request goes out from the Home; the same (now old) Home's button again changes nothing.
    student.click({}, bo, "request_sent", view=home)
    student.click({}, bo, "request_sent", view=home)
    assert "Already done" in texts(student.home()) and len(rows(running_app, OutreachAttempt)) == 1
    # The notes are added from the DM; the old Home's Add notes then says so, on the Home.
    before = student.modals_opened()
    student.click({**wrap.args, **wrap.response}, "nudge_actions", "nudge_notes")
    notes = student.opened(before)
    state = {"takeaways": {"takeaways": {"type": "plain_text_input", "value": "Research ops grows"}}}
    running_app.sender.submit("interview_notes", state, private_metadata=notes["private_metadata"])
    running_app.settle()
    before = student.modals_opened()
    student.click({}, ada, "nudge_notes", view=home)
    assert student.modals_opened() == before
    assert "Nothing changed: the notes are already saved." in texts(student.home())
    assert slack.calls_to(f"response_url:act-{STUDENT}") == []
