"""The student's loops closed, end to end (issue 9): signed requests in process, the fake Slack, a real
database, the sweep. A "yes" left unbooked, an interview that didn't happen, moving on, a 2nd-degree
contact's introduction, what a snooze and a Done say will happen next."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from helpers import (
    PARIS,
    STUDENT,
    T0,
    RunningApp,
    buttons,
    elements,
    interview_form,
    log_contact,
    nudge_dms,
    paris,
    rows,
    submit_modal,
    sweeper,
    texts,
)

from bot.fakeslack import Call, FakeSlack, validate_message_blocks, validate_view
from storage.models import Contact, Interview, Nudge, OutreachAttempt


class Student:
    """A student in Paris, the app, the sweep and a clock the test moves."""

    def __init__(self, app: RunningApp, slack: FakeSlack) -> None:
        self.app, self.slack = app, slack
        slack.set_user(STUDENT, tz=PARIS)
        self.sweeper = sweeper(app)
        self.at(T0)

    def at(self, when: datetime) -> None:
        self.app.clock.set(when)

    def log(self, **fields: Any) -> dict[str, Any]:
        return log_contact(self.app, self.slack, **fields)

    def sweep(self, when: datetime) -> list[Call]:
        """Run the sweep at ``when``: the DMs it sent."""
        self.at(when)
        before = len(nudge_dms(self.slack))
        self.sweeper.run(when)
        return nudge_dms(self.slack)[before:]

    def reminder(self, when: datetime, words: str) -> Call:
        """The one DM the sweep at ``when`` sent with ``words`` in it."""
        [dm] = [d for d in self.sweep(when) if words in texts(d.args["blocks"])]
        assert not validate_message_blocks(dm.args["blocks"], dm.args["text"])
        return dm

    def click(
        self, action_id: str, dm: Call | dict[str, Any], value: str | None = None, about: str = ""
    ) -> None:
        """Click a button (or an overflow's option ``value``) of a DM, in the item whose text has
        ``about`` if given; wait for what it does."""
        message = dm.args if isinstance(dm, Call) else dm
        channel, ts = (
            (dm.response["channel"], dm.response["ts"]) if isinstance(dm, Call) else (dm["channel"], dm["ts"])
        )
        element = elements(item_of(message, about) if about else message)[action_id]
        # A card answered in place of a DM is an ephemeral message (see answered_since).
        ephemeral = isinstance(dm, dict) and bool(dm.get("ephemeral"))
        if element["type"] == "overflow" or "options" in element:
            chosen = next(o for o in element["options"] if o["value"].endswith(f":{value}"))
            self.app.sender.choose(
                action_id, chosen["value"], channel=channel, message_ts=ts, ephemeral=ephemeral
            )
        else:
            self.app.sender.click(
                action_id, element["value"], channel=channel, message_ts=ts, ephemeral=ephemeral
            )
        self.app.settle()

    def opened(self, action_id: str, dm: Call | dict[str, Any]) -> dict[str, Any]:
        """Click a button that opens a modal; the modal."""
        before = len(self.slack.calls_to("views.open"))
        self.click(action_id, dm)
        view = self.slack.wait_for("views.open", before + 1)[-1].args["view"]
        assert not validate_view(view)
        return view

    def now_shown(self, dm: Call | dict[str, Any]) -> dict[str, Any]:
        """The DM as it reads now (after updates)."""
        channel, ts = (
            (dm.response["channel"], dm.response["ts"]) if isinstance(dm, Call) else (dm["channel"], dm["ts"])
        )
        message = self.slack.message(channel, ts)
        assert message is not None
        return message

    def home(self, when: datetime) -> str:
        self.at(when)
        before = len(self.slack.calls_to("views.publish"))
        event = {"type": "app_home_opened", "user": STUDENT, "tab": "home", "channel": "D0STUDENT"}
        assert self.app.sender.event(event).status == 200
        self.app.settle()
        return texts(self.slack.wait_for("views.publish", before + 1)[-1].args["view"])

    def posted_since(self, before: int) -> list[dict[str, Any]]:
        return [c.args for c in self.slack.calls_to("chat.postMessage")[before:]]

    def answers(self) -> int:
        return len(self.slack.calls_to(f"response_url:act-{STUDENT}"))

    def answered_since(self, before: int) -> list[dict[str, Any]]:
        """The cards answered where a button was clicked (ephemeral messages, in place of new DMs)."""
        return [
            {**c.args, "channel": "D0STUDENT", "ts": "1.0", "ephemeral": True}
            for c in self.slack.calls_to(f"response_url:act-{STUDENT}")[before:]
        ]


@pytest.fixture
def student(running_app: RunningApp, slack: FakeSlack) -> Student:
    return Student(running_app, slack)


def item_of(message: dict[str, Any], about: str) -> dict[str, Any]:
    """The blocks of one reminder of a nudge DM: the one whose text has ``about``."""
    blocks = message["blocks"]
    for n, block in enumerate(blocks):
        if block.get("block_id", "").startswith("nudge:") and about in texts(block):
            return {"blocks": blocks[n : n + 2]}
    raise AssertionError(f"no reminder about {about!r}")


def draft_body(view: dict[str, Any]) -> str:
    return next(b["element"]["initial_value"] for b in view["blocks"] if b["type"] == "input")


# 2. A "yes" not booked within two working days ----------------------------------------------------------


def test_a_yes_not_booked_in_two_working_days_brings_a_reminder_that_books_it(student: Student) -> None:
    card = student.log(
        name="Ada Lovelace", email="ada@example.org", standing="request_sent", request_channel="email"
    )
    student.at(paris(2, 15))  # Monday afternoon: they said yes
    student.click("contact_reply", card, "yes")
    assert "Book a time with Ada Lovelace: Wed 4 Mar" in student.home(paris(2, 15, 5))

    assert student.sweep(paris(3, 17)) == []  # Tuesday: one working day only
    book = student.reminder(paris(4, 9), "said yes")  # Wednesday at the opening of the window
    assert set(elements(book.args)) == {"nudge_schedule", "nudge_draft", "nudge_snooze"}
    assert "*Overdue:* Book a time with Ada Lovelace (since Wed 4 Mar)" in student.home(paris(4, 9, 5))

    # "Draft a reply": three working-day openings, as plain local times, and a mail link.
    view = student.opened("nudge_draft", book)
    body = draft_body(view)
    assert body.startswith("Hi Ada,\n\nThank you for agreeing to talk with me.")
    assert "\n- Thursday 5 March at 09:00\n- Friday 6 March at 09:00\n- Monday 9 March at 09:00\n" in body
    assert any(e.get("url", "").startswith("mailto:ada@example.org") for e in elements(view).values())

    # "Schedule interview": the booking modal for Ada; booked, the DM says so, the confirmation follows.
    view = student.opened("nudge_schedule", book)
    assert view["callback_id"] == "nudge_schedule_interview"
    assert view["title"]["text"] == "Schedule interview" and "Ada Lovelace" in texts(view)
    before = len(student.slack.calls_to("chat.postMessage"))
    reply = submit_modal(student.app, "nudge_schedule_interview", interview_form(paris(10, 14)), view)
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    [interview] = rows(student.app, Interview)
    assert interview.starts_at == paris(10, 14) and interview.status == "scheduled"
    assert rows(student.app, Contact)[0].stage == "scheduled"
    [nudge] = rows(student.app, Nudge, kind="book")
    assert (nudge.status, nudge.resolution) == ("resolved", "booked")
    shown = student.now_shown(book)
    assert "Interview booked" in texts(shown) and elements(shown) == {}
    assert any("Interview with" in texts(m) for m in student.posted_since(before))
    student.slack.wait_for("files.completeUploadExternal")
    # The reminder is gone from the next steps: preparing is next.
    assert "Book a time with Ada" not in student.home(paris(4, 10))


def test_booking_from_the_card_closes_the_reminder_in_the_dm(student: Student) -> None:
    card = student.log(name="Bo", standing="request_sent", request_channel="email")
    student.at(paris(6, 16))  # Friday: the reminder comes on Tuesday
    student.click("contact_reply", card, "yes")
    monday = student.sweep(paris(9, 10))
    assert not any("said yes" in texts(d.args["blocks"]) for d in monday)  # the weekly plan only
    book = student.reminder(paris(10, 9), "said yes")
    yes_card = {**student.now_shown(card), "channel": card["channel"], "ts": card["ts"]}
    view = student.opened("schedule_interview", yes_card)
    reply = submit_modal(student.app, "schedule_interview", interview_form(paris(12, 11)), view)
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    [nudge] = rows(student.app, Nudge, kind="book")
    assert nudge.status == "obsolete"
    assert "out of date" in texts(student.now_shown(book)) and elements(student.now_shown(book)) == {}


def test_the_yes_reminder_is_in_the_students_working_window(student: Student) -> None:
    card = student.log(name="Cy", standing="request_sent", request_channel="email")
    student.at(paris(2, 19))  # Monday evening
    student.click("contact_reply", card, "yes")
    assert student.sweep(paris(4, 8, 59)) == []  # before the window opens on Wednesday
    [dm] = student.sweep(paris(4, 9, 1))
    assert "said yes" in texts(dm.args["blocks"])
    [nudge] = rows(student.app, Nudge, kind="book")
    assert nudge.due_at == paris(4, 9) and nudge.status == "sent"


# 3. Didn't happen ----------------------------------------------------------------------------------------


def missed_interview(student: Student, name: str = "Ada Lovelace") -> dict[str, Any]:
    """An interview on Thursday 5 March at 14:00 (Paris) that didn't happen: the card offered after."""
    start = paris(5, 14)
    student.log(
        name=name,
        email="ada@example.org",
        standing="interview_scheduled",
        interview_at=str(int(start.timestamp())),
        learning_goal="What a UX researcher does all day.",
    )
    wrap = student.reminder(paris(5, 14, 25), "How did it go")
    before, posts = student.answers(), len(student.slack.calls_to("chat.postMessage"))
    student.click("nudge_missed", wrap)
    assert "Marked as didn't happen" in texts(student.now_shown(wrap))
    # The card comes where the button was clicked, not as a new DM.
    assert len(student.slack.calls_to("chat.postMessage")) == posts
    [offered] = student.answered_since(before)
    return offered


def test_didn_t_happen_offers_a_sorry_draft_and_checks_in_three_working_days_later(student: Student) -> None:
    card = missed_interview(student)
    assert rows(student.app, Interview)[0].status == "missed"
    shown = texts(card["blocks"])
    assert "missed each other" in shown and "Find a new time with Ada Lovelace on Tue 10 Mar" in shown
    assert {"schedule_interview", "contact_draft"} <= set(buttons(card))
    assert not validate_message_blocks(card["blocks"], card["text"])

    # The card's draft: a short apology with three new times (the next working days' openings).
    view = student.opened("contact_draft", card)
    body = draft_body(view)
    assert body.startswith("Hi Ada,\n\nI'm sorry we missed each other.")
    assert "hear about what a UX researcher does all day. Would one of these times work instead?" in body
    assert "- Friday 6 March at 09:00\n- Monday 9 March at 09:00\n- Tuesday 10 March at 09:00" in body
    assert view["submit"]["text"] == "Done"

    # Nothing booked: the check-in comes three working days later (Fri, Mon, Tue) at 09:00.
    assert not [d for d in student.sweep(paris(9, 17)) if "missed each other" in texts(d.args["blocks"])]
    check_in = student.reminder(paris(10, 9), "missed each other")
    assert set(elements(check_in.args)) == {"nudge_schedule", "nudge_draft", "nudge_snooze"}
    assert draft_body(student.opened("nudge_draft", check_in)).startswith("Hi Ada,\n\nI'm sorry we missed")
    # Booked from the reminder: done, and no further check-in.
    view = student.opened("nudge_schedule", check_in)
    assert (
        submit_modal(student.app, "nudge_schedule_interview", interview_form(paris(12, 11)), view).status
        == 200
    )
    assert [i.status for i in rows(student.app, Interview)] == ["missed", "scheduled"]
    assert [(n.status, n.resolution) for n in rows(student.app, Nudge, kind="rebook")] == [
        ("resolved", "booked")
    ]


def test_the_check_in_after_a_missed_interview_is_gone_once_a_new_one_is_booked(student: Student) -> None:
    card = missed_interview(student, "Bo")
    view = student.opened("schedule_interview", card)
    assert submit_modal(student.app, "schedule_interview", interview_form(paris(11, 15)), view).status == 200
    dms = student.sweep(paris(10, 9, 30))
    assert not any("missed each other" in texts(d.args["blocks"]) for d in dms)
    assert rows(student.app, Nudge, kind="rebook") == []


# 4. Move on ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("button", ["nudge_move_on", "close_it"])
def test_move_on_offers_the_next_target_as_a_card_with_its_actions(student: Student, button: str) -> None:
    ada = student.log(name="Ada", standing="request_sent", request_channel="email")
    student.log(name="Bo <!here>", company="Zed", email="bo@example.org")
    student.log(name="Cy")
    if button == "close_it":  # three tries unanswered: "Close it and move on"
        student.at(paris(10, 10))
        student.click("request_sent", student.now_shown(ada) | {"channel": ada["channel"], "ts": ada["ts"]})
        student.at(paris(17, 10))
        student.click("request_sent", student.now_shown(ada) | {"channel": ada["channel"], "ts": ada["ts"]})
        reminder = student.reminder(paris(24, 10, 5), "hasn't answered 3 tries")
        assert "Next on your list: *Bo &lt;!here&gt;*" in texts(reminder.args["blocks"])
    else:
        reminder = student.reminder(paris(9, 10, 5), "No reply from")
    before, posts = student.answers(), len(student.slack.calls_to("chat.postMessage"))
    student.click("nudge_move_on", reminder)
    assert rows(student.app, Contact, name="Ada")[0].stage == "no_response"
    assert "Closed as no response" in texts(student.now_shown(reminder))
    # The next target's card comes where the button was clicked, not as a new DM.
    assert len(student.slack.calls_to("chat.postMessage")) == posts
    [offered] = student.answered_since(before)
    assert not validate_message_blocks(offered["blocks"], offered["text"])
    shown = texts(offered["blocks"])
    assert "On to the next one: *Bo &lt;!here&gt;* is next on your list." in shown and "<!here>" not in shown
    assert "Next: Send a request to Bo &lt;!here&gt;" in shown
    assert set(buttons(offered)) == {"request_sent", "schedule_interview", "contact_draft", "contact_more"}
    # Its buttons act on Bo.
    bo = rows(student.app, Contact, name="Bo <!here>")[0]
    assert buttons(offered)["request_sent"] == f"{bo.id}:{bo.version}"


# 5. 2nd-degree contacts: whom the request went to -------------------------------------------------------


def daniel(student: Student) -> dict[str, Any]:
    return student.log(
        name="Daniel Kim",
        company="Acme",
        degree="second",
        introducer="Prof. Maria Alvarez",
        email="daniel@example.org",
        learning_goal="How product teams decide what to build.",
    )


def asked_which(student: Student, card: dict[str, Any]) -> dict[str, Any]:
    """Press the card's "Request sent": the card asks whom it went to (nothing recorded yet)."""
    student.click("request_sent", card)
    question = student.now_shown(card)
    assert "Which did you send about *Daniel Kim*?" in texts(question)
    assert rows(student.app, OutreachAttempt) == []
    return {**question, "channel": card["channel"], "ts": card["ts"]}


def test_an_introduction_request_is_followed_up_with_the_introducer_until_they_introduce_us(
    student: Student,
) -> None:
    card = daniel(student)
    question = asked_which(student, card)
    labels = {e["action_id"]: e["text"]["text"] for e in elements(question).values()}
    assert labels == {
        "request_via_introducer": "I asked Prof. Maria Alvarez for an introduction",
        "request_direct": "I wrote to Daniel Kim directly",
    }
    student.click("request_via_introducer", question)
    assert [(a.channel, a.outcome) for a in rows(student.app, OutreachAttempt)] == [
        ("introduction", "pending")
    ]
    recorded = student.now_shown(card)
    assert "Request for an introduction to *Prof. Maria Alvarez* recorded." in texts(recorded)
    assert "Introduction requested from Prof. Maria Alvarez, waiting for word." in texts(recorded)
    assert "contact_introduced" in buttons(recorded)

    # A week of silence: the reminder is about the introducer, with a follow-up to them.
    reminder = student.reminder(paris(9, 10, 5), "No word from")
    shown = texts(reminder.args["blocks"])
    assert "No word from *Prof. Maria Alvarez* about an introduction to *Daniel Kim* yet." in shown
    assert {"nudge_done", "nudge_introduced", "nudge_draft", "nudge_snooze"} <= set(elements(reminder.args))
    assert "Follow up on your introduction to Daniel Kim" in student.home(paris(9, 10, 6))
    view = student.opened("nudge_draft", reminder)
    assert draft_body(view).startswith(
        "Dear Prof. Alvarez,\n\nI'm following up on my note about Daniel Kim at Acme, in case it got buried."
    )
    assert not any("url" in e for e in elements(view).values())  # Daniel's address is not the introducer's

    # "They introduced us": recorded, and Daniel's card comes back with the request to send him.
    before = student.answers()
    student.click("nudge_introduced", reminder)
    assert "Introduction recorded" in texts(student.now_shown(reminder))
    [contact] = rows(student.app, Contact)
    assert contact.stage == "target"
    assert [a.outcome for a in rows(student.app, OutreachAttempt)] == ["introduced"]
    [offered] = student.answered_since(before)  # where the button was clicked, not a new DM
    offered_card = {**offered}
    shown = texts(offered["blocks"])
    assert "*Prof. Maria Alvarez* introduced you to *Daniel Kim*" in shown
    assert "Next: Send a request to Daniel Kim" in shown
    assert {"request_sent", "contact_draft"} <= set(buttons(offered_card))
    view = student.opened("contact_draft", offered_card)
    [request] = [b["element"]["initial_value"] for b in view["blocks"] if b["type"] == "input"]
    assert request.startswith("Hi Daniel,\n\nThank you, and thanks to Prof. Maria Alvarez for connecting us.")

    # The request to Daniel himself: recorded straight away (no question now), followed up with him.
    student.at(paris(9, 11))
    student.click("request_sent", offered_card)
    assert [a.channel for a in rows(student.app, OutreachAttempt)] == ["introduction", "email"]
    follow_up = student.reminder(paris(16, 11, 5), "No reply from")
    assert "*Daniel Kim*" in texts(follow_up.args["blocks"])


def test_a_follow_up_to_the_introducer_is_recorded_as_one(student: Student) -> None:
    card = daniel(student)
    student.click("request_via_introducer", asked_which(student, card))
    reminder = student.reminder(paris(9, 10, 5), "No word from")
    student.click("nudge_done", reminder)
    assert [a.channel for a in rows(student.app, OutreachAttempt)] == ["introduction", "introduction"]
    again = student.reminder(paris(16, 10, 10), "No word from")
    assert "nudge_introduced" in elements(again.args)
    # They introduced us, from the card this time (drawn before the follow-up, so out of date: redrawn
    # as things stand first): the reminder in the DM is closed as out of date.
    where = {"channel": card["channel"], "ts": card["ts"]}
    student.click("contact_introduced", student.now_shown(card) | where)
    assert "Where things stand" in texts(student.now_shown(card))
    student.click(
        "contact_introduced", student.now_shown(card) | {"channel": card["channel"], "ts": card["ts"]}
    )
    assert "introduced you to *Daniel Kim*" in texts(student.now_shown(card))
    # (The Monday plan in the same DM keeps its own buttons.)
    shown_again = item_of(student.now_shown(again), "No word from")
    assert "out of date" in texts(shown_again) and elements(shown_again) == {}
    assert rows(student.app, Contact)[0].stage == "target"


def test_a_direct_request_to_a_second_degree_contact_is_followed_up_with_them(student: Student) -> None:
    card = daniel(student)
    student.click("request_direct", asked_which(student, card))
    assert [a.channel for a in rows(student.app, OutreachAttempt)] == ["email"]
    assert "✅ Request recorded." in texts(student.now_shown(card))
    assert "contact_introduced" not in buttons(student.now_shown(card))
    reminder = student.reminder(paris(9, 10, 5), "No reply from")
    assert "No word from" not in texts(reminder.args["blocks"])
    assert [n.key.split(":")[0] for n in rows(student.app, Nudge) if n.contact_id] == ["follow_up"]


def test_sent_it_on_a_second_degree_target_s_drafts_says_whom_it_went_to(student: Student) -> None:
    card = daniel(student)
    view = student.opened("contact_draft", card)
    [which] = [b for b in view["blocks"] if b.get("block_id") == "sent_via"]
    assert [o["text"]["text"] for o in which["element"]["options"]] == [
        "I asked Prof. Maria Alvarez for an introduction",
        "I wrote to Daniel Kim directly",
    ]
    state = {
        "sent_via": {"sent_via": {"type": "radio_buttons", "selected_option": {"value": "introduction"}}}
    }
    assert submit_modal(student.app, "contact_draft", state, view).status == 200
    assert [a.channel for a in rows(student.app, OutreachAttempt)] == ["introduction"]
    assert "Request for an introduction to *Prof. Maria Alvarez* recorded." in texts(student.now_shown(card))
    # Waiting for the introduction, the drafts offer the follow-up to the introducer.
    view = student.opened(
        "contact_draft", {**student.now_shown(card), "channel": card["channel"], "ts": card["ts"]}
    )
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["draft_intro"]
    assert draft_body(view).startswith("Dear Prof. Alvarez,")


def test_a_first_degree_request_is_recorded_without_a_question(student: Student) -> None:
    card = student.log(name="Eve", email="eve@example.org")
    student.click("request_sent", card)
    assert [a.channel for a in rows(student.app, OutreachAttempt)] == ["email"]
    assert "✅ Request recorded." in texts(student.now_shown(card))


# 6. Snoozes say when the reminder will really come -------------------------------------------------------


def test_a_snooze_names_the_window_s_next_opening_and_keeps_its_word(student: Student) -> None:
    student.log(name="Ada", standing="request_sent", request_channel="email")
    reminder = student.reminder(paris(9, 10, 5), "No reply from")
    student.at(paris(9, 19))  # Monday evening: a day later is outside the window
    student.click("nudge_snooze", reminder, "1d")
    shown = item_of(student.now_shown(reminder), "No reply from")  # beside Monday's plan
    assert "⏰ Snoozed: I'll bring it back on Wed 11 Mar at 09:00." in texts(shown)
    assert elements(shown) == {}
    assert not [d for d in student.sweep(paris(10, 19, 30)) if "No reply from" in texts(d.args["blocks"])]
    assert student.reminder(paris(11, 9), "No reply from")


def test_a_thank_you_snooze_says_when_its_48_hours_cap_it(student: Student) -> None:
    start = paris(5, 14)  # Thursday
    student.log(name="Ada", standing="interview_scheduled", interview_at=str(int(start.timestamp())))
    wrap = student.reminder(paris(5, 14, 25), "How did it go")
    view = student.opened("nudge_notes", wrap)
    state = {"takeaways": {"takeaways": {"type": "plain_text_input", "value": "Research ops is growing."}}}
    assert submit_modal(student.app, "interview_notes", state, view).status == 200  # done at 14:25
    thanks = student.reminder(paris(5, 14, 30), "thank-you today")
    student.click("nudge_snooze", thanks, "1w", about="thank-you today")
    # Capped at Saturday 14:25 (48 hours), which the window moves to Monday's opening.
    assert (
        "⏰ Snoozed: I'll bring it back on Mon 9 Mar at 09:00. Not later than that: a thank-you "
        "shouldn't wait more than 48 hours." in texts(student.now_shown(thanks))
    )
    assert [d for d in student.sweep(paris(9, 9)) if "thank" in texts(d.args["blocks"])]


# 7. Each Done says what happens next ---------------------------------------------------------------------


def test_done_on_a_follow_up_names_the_next_reminder_and_its_real_day(student: Student) -> None:
    student.log(name="Sofia", standing="request_sent", request_channel="email")
    reminder = student.reminder(paris(9, 10, 5), "No reply from")
    student.at(paris(13, 19))  # Friday evening: a week later is too, so Monday's opening
    student.click("nudge_done", reminder)
    assert "✅ Follow-up logged. If *Sofia* stays silent I'll suggest a call on Mon 23 Mar." in texts(
        student.now_shown(reminder)
    )
    assert "Call Sofia once" in student.home(paris(13, 19, 5))


def test_done_on_preparing_and_on_an_introduction_follow_up(student: Student) -> None:
    start = paris(5, 14)
    student.log(name="Ada", standing="interview_scheduled", interview_at=str(int(start.timestamp())))
    prepare = student.reminder(paris(4, 9, 5), "Interview with")
    student.click("nudge_done", prepare)
    assert "✅ You're prepared. Good luck! After the interview, on Thu 5 Mar, I'll ask how it went." in texts(
        student.now_shown(prepare)
    )

    card = daniel(student)
    student.at(paris(4, 10))
    student.click("request_via_introducer", asked_which(student, card))
    intro = student.reminder(paris(11, 10, 5), "No word from")
    student.click("nudge_done", intro, about="No word from")
    assert (
        "✅ Follow-up to Prof. Maria Alvarez logged. If there's no word about *Daniel Kim* by Wed 18 Mar, "
        "I'll remind you to follow up." in texts(student.now_shown(intro))
    )


def test_done_after_proposing_times_and_when_nothing_is_next(student: Student) -> None:
    card = student.log(name="Ada", email="ada@example.org", standing="request_sent", request_channel="email")
    student.at(paris(2, 15))
    student.click("contact_reply", card, "yes")
    book = student.reminder(paris(4, 9), "said yes")
    view = student.opened("nudge_draft", book)
    assert submit_modal(student.app, "nudge_draft", {}, view).status == 200  # "Sent it"
    assert "✅ Reply sent. Next: Book a time with Ada." in texts(student.now_shown(book))
