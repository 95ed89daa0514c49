"""One answer to "what's next", end to end: the App Home, the Monday plan, /infoint list, the contact's
card and the reminders agree, after the moments where they used to contradict each other (a fresh
target, "later", "yes", "Sent it" on a check-in)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from helpers import (
    PARIS,
    STUDENT,
    RunningApp,
    buttons,
    log_contact,
    nudge_dms,
    opened_view,
    paris,
    rows,
    submit_modal,
    sweeper,
    texts,
)
from sqlalchemy import update

from bot.fakeslack import FakeSlack, validate_view
from bot.sweep import Sweeper
from storage.models import Contact, Interview, Nudge


class Student:
    """A student in Paris, the app, its sweep and the clock, as the tests move it."""

    def __init__(self, app: RunningApp, slack: FakeSlack) -> None:
        self.app, self.slack = app, slack
        slack.set_user(STUDENT, tz=PARIS)
        self.sweeper: Sweeper = sweeper(app)

    def at(self, when: datetime) -> None:
        self.app.clock.set(when)

    def log(self, when: datetime, **fields: Any) -> dict[str, Any]:
        self.at(when)
        return log_contact(self.app, self.slack, **fields)

    def home(self, when: datetime) -> list[str]:
        """Open the App Home at ``when``; the lines of its 'What's next' part."""
        self.at(when)
        before = len(self.slack.calls_to("views.publish"))
        reply = self.app.sender.event(
            {"type": "app_home_opened", "user": STUDENT, "tab": "home", "channel": "D0STUDENT"}
        )
        assert reply.status == 200
        self.app.settle()
        view = self.slack.wait_for("views.publish", before + 1)[-1].args["view"]
        assert not validate_view(view) and "What's next" in texts(view)
        return bullets(view)

    def listing(self, when: datetime) -> str:
        self.at(when)
        return texts(self.app.answer("list"))

    def sweep(self, when: datetime) -> list[str]:
        """Run the sweep at ``when``; the texts of the DMs it sent."""
        return [texts(dm["blocks"]) for dm in self.sweep_dms(when)]

    def sweep_dms(self, when: datetime) -> list[dict[str, Any]]:
        self.at(when)
        before = len(nudge_dms(self.slack))
        self.sweeper.run(when)
        return [dm.args for dm in nudge_dms(self.slack)[before:]]

    def plan(self, when: datetime) -> list[str]:
        """Run the sweep at ``when`` (a Monday morning): the lines of the one plan it sent."""
        plans = [dm for dm in self.sweep_dms(when) if "Your week" in texts(dm["blocks"])]
        assert len(plans) == 1
        assert "Overdue" not in texts(plans[0]["blocks"]) or any("Overdue" in b for b in bullets(plans[0]))
        return bullets(plans[0])

    def reply_on_card(self, card: dict[str, Any], answer: str, when: datetime) -> None:
        self.at(when)
        value = buttons(card)["contact_reply"]
        menu = next(
            e
            for b in card["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == "contact_reply"
        )
        chosen = next(o["value"] for o in menu["options"] if o["value"].endswith(f":{answer}"))
        assert chosen.startswith(value.rsplit(":", 1)[0]) or value == ""
        reply = self.app.sender.choose(
            "contact_reply", chosen, channel=card["channel"], message_ts=card["ts"]
        )
        assert reply.status == 200
        self.app.settle()


@pytest.fixture
def student(running_app: RunningApp, slack: FakeSlack) -> Student:
    return Student(running_app, slack)


def bullets(payload: Any) -> list[str]:
    """The bulleted lines of every section text in a view or message, without their bullet."""
    found: list[str] = []
    for block in payload.get("blocks", []) if isinstance(payload, dict) else payload:
        text = (block.get("text") or {}).get("text", "") if block.get("type") == "section" else ""
        found += [line[2:] for line in text.split("\n") if line.startswith("• ")]
    return found


def line_for(shown: list[str], name: str) -> str:
    """The Home/plan line about ``name``."""
    found = [line for line in shown if name in line]
    assert len(found) == 1, f"not one line about {name} in: {shown}"
    return found[0]


def test_a_fresh_target_is_not_overdue_and_has_no_time_of_day(student: Student) -> None:
    logged_at = paris(2, 19, 30)  # Monday evening
    card = student.log(logged_at, name="Ada")
    assert "Next: Send a request to Ada" in texts(card["blocks"])

    home = student.home(logged_at + timedelta(seconds=1))
    assert line_for(home, "Ada") == "Send a request to Ada"  # no time of logging, not overdue
    assert "next: Send a request to Ada" in student.listing(logged_at + timedelta(minutes=1))
    assert line_for(student.plan(paris(9, 9, 1)), "Ada") == "Send a request to Ada"


def test_after_later_home_plan_and_reminder_all_say_the_follow_up_day(student: Student) -> None:
    card = student.log(paris(2, 10), name="Priya", standing="request_sent", request_channel="email")
    student.reply_on_card(card, "later", paris(4, 11))  # Wednesday 4 March: "they said later"

    # Two weeks after the reply: Wednesday 18 March, on every screen.
    assert line_for(student.home(paris(4, 11, 5)), "Priya") == "Follow up with Priya: Wed 18 Mar"
    assert "next: Follow up with Priya on Wed 18 Mar" in student.listing(paris(4, 11, 6))
    assert not any("Priya" in t for t in student.sweep(paris(9, 11)) if "Your week" not in t)

    assert line_for(student.plan(paris(16, 9, 1)), "Priya") == "Follow up with Priya: Wed 18 Mar"
    assert not [t for t in student.sweep(paris(17, 11)) if "Priya" in t]
    reminders = [t for t in student.sweep(paris(18, 11, 1)) if "Priya" in t]
    assert len(reminders) == 1 and "Your week" not in reminders[0]


def test_after_yes_the_step_is_to_book_on_the_day_its_reminder_comes(student: Student) -> None:
    card = student.log(paris(2, 10), name="Priya", standing="request_sent", request_channel="email")
    student.reply_on_card(card, "yes", paris(4, 11))
    # Not booked within two working days (Thursday, Friday): a reminder on Friday at 09:00.
    for week in range(2):
        when = paris(4, 12) + timedelta(weeks=week)
        assert line_for(student.home(when), "Priya") == "Book a time with Priya: Fri 6 Mar"
    assert [t for t in student.sweep(paris(6, 9, 1)) if "said yes" in t]
    assert (
        line_for(student.home(paris(6, 10)), "Priya") == "*Overdue:* Book a time with Priya (since Fri 6 Mar)"
    )
    assert (
        line_for(student.plan(paris(9, 9, 1)), "Priya")
        == "*Overdue:* Book a time with Priya (since Fri 6 Mar)"
    )


def test_sent_it_on_a_check_in_ends_the_overdue_and_counts_the_next_from_now(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    card = student.log(paris(2, 10), name="Priya")
    contact_id = int(buttons(card)["request_sent"].split(":")[0])
    # Priya was interviewed on Tuesday 3 March and thanked; two people she referred are on the list.
    ended = paris(3, 10, 30)
    with running_app.services.db.session() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        session.add(
            Interview(
                team_id=contact.team_id,
                contact_id=contact.id,
                starts_at=ended - timedelta(minutes=30),
                duration_minutes=30,
                format="video",
                place="",
                status="done",
                done_at=ended,
                thank_you_at=ended,
                created_at=ended,
            )
        )
        for name in ("Linus", "Grace"):
            session.add(
                Contact(
                    team_id=contact.team_id,
                    owner_id=contact.owner_id,
                    name=name,
                    degree="second",
                    introducer_name="Priya",
                    introducer_contact_id=contact.id,
                    source="referral",
                    stage="target",
                    stage_changed_at=ended,
                    next_check_at=ended,
                    version=1,
                    created_at=ended,
                    updated_at=ended,
                )
            )
        session.execute(
            update(Contact)
            .where(Contact.id == contact_id)
            .values(stage="interviewed", version=Contact.version + 1, next_check_at=ended)
        )

    # Six weeks after the thank-you: the check-in reminder, and the Home says it is waiting.
    due = ended + timedelta(weeks=6, minutes=1)
    assert line_for(student.home(paris(4, 12)), "Priya") == "Send Priya a progress update: Tue 14 Apr"
    check_ins = [t for t in student.sweep(due) if "Priya" in t]
    assert len(check_ins) == 1
    assert line_for(student.home(due + timedelta(hours=1)), "Priya") == (
        "*Overdue:* Send Priya a progress update (since Tue 14 Apr)"
    )

    # "Sent it" from the contact's drafts.
    sent_at = due + timedelta(hours=2)
    student.at(sent_at)
    fresh = running_app.services.queries.contacts.card("T0001", STUDENT, contact_id)
    assert fresh is not None
    value = f"{contact_id}:{fresh.version}"
    view = opened_view(running_app, slack, lambda: running_app.sender.click("contact_draft", value))
    reply = submit_modal(running_app, "contact_draft", {}, view)
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body

    line = line_for(student.home(sent_at + timedelta(minutes=1)), "Priya")
    assert line == "Send Priya a progress update: Tue 26 May"  # six weeks after Tue 14 Apr
    assert rows(running_app, Contact, id=contact_id)[0].last_touch_at == sent_at
    # The check-in DM's reminder is closed as out of date and the DM redrawn without its buttons.
    [old] = [n for n in rows(running_app, Nudge, contact_id=contact_id) if n.kind == "keep_in_touch"]
    assert old.status == "obsolete"
    redrawn = slack.message(old.channel, old.message_ts)
    assert redrawn is not None and "out of date" in texts(redrawn)
    assert "nudge_done" not in buttons(redrawn)
    assert not [t for t in student.sweep(sent_at + timedelta(days=1)) if "Priya" in t]
