"""Scheduling, the confirmation DM with its calendar file, rescheduling and cancelling, end to end."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers import STUDENT, RunningApp, elements, interview_form, log_contact, sweeper, texts
from icalendar import Calendar
from sqlalchemy import select

from bot.blocks.calendar import ics
from bot.domain.calendar import CalendarEntry, filename
from bot.fakeslack import FakeSlack, validate_message_blocks, validate_view
from storage.models import Contact, Interview

PARIS = ZoneInfo("Europe/Paris")
HOSTILE = "Ada <!channel> & <@U9>"


def calendars(slack: FakeSlack, count: int) -> list[Calendar]:
    slack.wait_for("files.completeUploadExternal", count)
    return [Calendar.from_ical(data) for _, data in sorted(slack.uploads.items())]


def event(calendar: Calendar) -> Any:
    return next(iter(calendar.walk("VEVENT")))


def interview_dm(slack: FakeSlack, n: int = 1, timeout: float = 5.0) -> Any:
    """The n-th interview DM, waiting for it: the DM follows the modal's acknowledgement."""
    deadline = time.monotonic() + timeout
    while True:
        dms = [
            c
            for c in slack.calls_to("chat.postMessage")
            if any(b.get("block_id", "").startswith("interview:") for b in c.args.get("blocks", []))
        ]
        if len(dms) >= n:
            return dms[n - 1]
        if time.monotonic() > deadline:
            raise AssertionError(slack.describe_calls())
        time.sleep(0.02)


@pytest.fixture
def future() -> datetime:
    return (datetime.now(UTC) + timedelta(days=10)).replace(second=0, microsecond=0)


def test_schedule_without_contacts_says_what_to_do(running_app: RunningApp, slack: FakeSlack) -> None:
    body = running_app.answer("schedule")
    assert "Log one first" in texts(body)
    assert slack.calls_to("views.open") == []


def test_schedule_command_books_with_a_calendar_file(
    running_app: RunningApp, slack: FakeSlack, future: datetime
) -> None:
    log_contact(running_app, slack, name=HOSTILE, company="Acme")
    log_contact(running_app, slack, name="Bo")
    assert running_app.sender.command("schedule ada").status == 200
    view = slack.wait_for("views.open")[-1].args["view"]
    assert view["callback_id"] == "schedule_pick" and not validate_view(view)
    picker = view["blocks"][0]["element"]
    assert picker["initial_option"]["text"]["text"].startswith("Ada")
    contact_value = picker["initial_option"]["value"]

    reply = running_app.sender.submit(
        "schedule_pick",
        interview_form(future, duration="45", fmt="in_person", place="Café <b>", contact=contact_value),
    )
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    dm = interview_dm(slack)
    assert not validate_message_blocks(dm.args["blocks"], dm.args["text"])
    shown = texts(dm.args["blocks"])
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown and "Café &lt;b&gt;" in shown
    assert "45 minutes is long" in shown  # the gentle warning
    assert set(elements(dm.args)) == {"prepare_questions", "interview_reschedule", "interview_cancel"}
    assert elements(dm.args)["interview_cancel"]["confirm"]

    [calendar] = calendars(slack, 1)
    vevent = event(calendar)
    assert vevent["summary"] == f"Informational interview with {HOSTILE} (Acme)"
    assert vevent.decoded("dtstart") == future
    assert vevent.decoded("dtend") == future + timedelta(minutes=45)
    assert str(vevent["location"]) == "Café <b>"
    complete = slack.calls_to("files.completeUploadExternal")[-1]
    assert complete.args["channel_id"] == dm.response["channel"]
    with running_app.services.db.session() as session:
        interview = session.scalars(select(Interview)).one()
        assert (interview.duration_minutes, interview.format) == (45, "in_person")
        assert (
            session.scalars(select(Contact.stage).where(Contact.id == interview.contact_id)).one()
            == "scheduled"
        )


def test_schedule_form_errors(running_app: RunningApp, slack: FakeSlack) -> None:
    log_contact(running_app, slack, name="Ada")
    past = datetime.now(UTC) - timedelta(hours=2)
    body = running_app.sender.submit("schedule_pick", interview_form(past, duration="90")).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"starts_at", "duration", "contact"}
    body = running_app.sender.submit("schedule_pick", interview_form(past, contact="99999:1")).json()
    assert set(body["errors"]) == {"starts_at"}


def test_schedule_someone_elses_contact_is_refused(
    running_app: RunningApp, slack: FakeSlack, future: datetime
) -> None:
    log_contact(running_app, slack, name="Ada")
    with running_app.services.db.session() as session:
        contact = session.scalars(select(Contact)).one()
        value = f"{contact.id}:{contact.version}"
    body = running_app.sender.submit(
        "schedule_pick", interview_form(future, contact=value), user="U0INTRUDER"
    ).json()
    assert "isn't in your list" in body["errors"]["contact"]
    with running_app.services.db.session() as session:
        assert session.scalars(select(Interview)).all() == []


def booked(running_app: RunningApp, slack: FakeSlack, when: datetime) -> Any:
    """Ada, logged and booked from her contact DM's button; returns the interview DM."""
    dm = log_contact(running_app, slack, name="Ada", learning_goal="How product teams decide")
    value = elements(dm)["schedule_interview"]["value"]
    running_app.sender.click("schedule_interview", value, channel=dm["channel"], message_ts=dm["ts"])
    view = slack.wait_for("views.open")[-1].args["view"]
    assert running_app.sender.submit(
        "schedule_interview", interview_form(when), private_metadata=view["private_metadata"]
    )
    slack.wait_for("files.completeUploadExternal")
    updated = slack.message(dm["channel"], dm["ts"])
    assert (
        updated is not None and "booked" in texts(updated) and "schedule_interview" not in elements(updated)
    )
    return interview_dm(slack)


def test_reschedule_moves_the_interview_its_calendar_entry_and_its_reminders(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    slack.set_user(STUDENT, tz="Europe/Paris")
    first = datetime(2026, 12, 3, 14, 0, tzinfo=PARIS).astimezone(UTC)  # a Thursday
    running_app.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    dm = booked(running_app, slack, first)
    running_app.sender.click("interview_reschedule", elements(dm.args)["interview_reschedule"]["value"])
    view = slack.wait_for("views.open", 2)[-1].args["view"]
    assert view["callback_id"] == "interview_reschedule" and not validate_view(view)
    moved = datetime(2026, 12, 8, 11, 0, tzinfo=PARIS).astimezone(UTC)  # the next Tuesday
    reply = running_app.sender.submit(
        "interview_reschedule",
        interview_form(moved, duration="30"),
        private_metadata=view["private_metadata"],
    )
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    old_cal, new_cal = calendars(slack, 2)
    assert event(new_cal).decoded("dtstart") == moved
    assert event(new_cal)["uid"] == event(old_cal)["uid"]
    assert int(event(new_cal)["sequence"]) >= int(event(old_cal)["sequence"])
    assert "Moved" in texts(interview_dm(slack, 2).args["blocks"])

    sweep = sweeper(running_app)
    before = len(slack.calls_to("chat.postMessage"))
    wednesday = datetime(2026, 12, 2, 9, 30, tzinfo=PARIS).astimezone(UTC)  # the day before the old time
    running_app.clock.set(wednesday)
    sweep.run(wednesday)
    assert not any(
        "Interview with" in texts(c.args.get("blocks")) for c in slack.calls_to("chat.postMessage")[before:]
    )
    monday = datetime(2026, 12, 7, 9, 30, tzinfo=PARIS).astimezone(UTC)  # the day before the new time
    running_app.clock.set(monday)
    assert sweep.run(monday).dms == 1
    prepare = slack.calls_to("chat.postMessage")[-1]
    assert "Interview with" in texts(prepare.args["blocks"]) and f"<!date^{int(moved.timestamp())}^" in texts(
        prepare.args["blocks"]
    )


def test_cancel_stops_the_reminders_and_sends_a_cancellation(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    slack.set_user(STUDENT, tz="Europe/Paris")
    when = datetime(2026, 12, 3, 14, 0, tzinfo=PARIS).astimezone(UTC)
    running_app.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    dm = booked(running_app, slack, when)
    value = elements(dm.args)["interview_cancel"]["value"]

    running_app.sender.click(
        "interview_cancel",
        value,
        user="U0INTRUDER",
        channel=dm.response["channel"],
        message_ts=dm.response["ts"],
    )
    assert "isn't in your records" in texts(slack.wait_for("response_url:act-U0INTRUDER")[-1].args)

    running_app.sender.click(
        "interview_cancel", value, channel=dm.response["channel"], message_ts=dm.response["ts"]
    )
    slack.wait_for("chat.update", 2)
    _, cancellation = calendars(slack, 2)
    assert str(cancellation["method"]) == "CANCEL" and str(event(cancellation)["status"]) == "CANCELLED"
    updated = slack.message(dm.response["channel"], dm.response["ts"])
    assert updated is not None and "Cancelled" in texts(updated) and elements(updated) == {}
    with running_app.services.db.session() as session:
        assert session.scalars(select(Interview.status)).one() == "cancelled"
        assert session.scalars(select(Contact.stage)).one() == "agreed"

    # The reminder for the day before no longer comes.
    sweep = sweeper(running_app)
    wednesday = datetime(2026, 12, 2, 9, 30, tzinfo=PARIS).astimezone(UTC)
    running_app.clock.set(wednesday)
    before = len(slack.calls_to("chat.postMessage"))
    sweep.run(wednesday)
    assert not any(
        "Interview with" in texts(c.args.get("blocks")) for c in slack.calls_to("chat.postMessage")[before:]
    )
    # Cancelling twice says so.
    running_app.sender.click(
        "interview_cancel", value, channel=dm.response["channel"], message_ts=dm.response["ts"]
    )
    assert "nothing to cancel" in texts(slack.wait_for(f"response_url:act-{STUDENT}")[-1].args)


def test_calendar_file_is_well_formed() -> None:
    when = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    entry = CalendarEntry(7, "T1", "Zoë <Ünïcode> Ås", when, 20, company="X" * 500, questions=("Why?",) * 30)
    parsed = Calendar.from_ical(ics(entry, when))
    vevent = event(parsed)
    assert vevent["uid"] == "interview-7-T1@infoint"
    assert vevent.decoded("dtend") - vevent.decoded("dtstart") == timedelta(minutes=20)
    assert str(vevent["description"]).count("- Why?") == 20
    assert filename(entry) == "interview-zoe-unicode-as.ics"
    assert filename(CalendarEntry(1, "T", "李", when, 15)) == "interview-contact.ics"


def test_scheduling_from_an_ephemeral_message_still_confirms(
    running_app: RunningApp, slack: FakeSlack, future: datetime
) -> None:
    """Search results are ephemeral: they can't be updated, but the confirmation DM must still come."""
    dm = log_contact(running_app, slack, name="Ada")
    value = elements(dm)["schedule_interview"]["value"]
    reply = running_app.sender.click(
        "schedule_interview", value, channel="C0GENERAL", message_ts="1.000200", ephemeral=True
    )
    assert reply.status == 200
    view = slack.wait_for("views.open")[-1].args["view"]
    assert "channel" not in json.loads(view["private_metadata"])
    running_app.sender.submit(
        "schedule_interview", interview_form(future), private_metadata=view["private_metadata"]
    )
    assert "scheduled" in texts(interview_dm(slack).args["blocks"])
    assert slack.calls_to("chat.update") == []
