"""Cohorts in Slack, end to end: signed commands, clicks and modals into the app, the fake Slack
recording what it posts, a real database. Creating and joining (the consent preview first), the
report (paged, and as CSV, for 500 students), a student's own row, who looked, notes, paused and
placed, sharing, closing and exporting, the channel's events, and every permission case."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from cohortworld import CHANNEL, MENTOR, OTHER, CohortWorld, boxes, radio
from helpers import STUDENT, T0, RunningApp, buttons, elements, rows, texts

from bot.domain import pipeline as core
from bot.domain.cohort_report import REPORT_COLUMNS
from bot.fakeslack import FakeSlack, validate_message_blocks, validate_view
from bot.queries.cohorts import REPORT_PAGE
from storage.cohorts import CohortStore
from storage.models import CohortMember, CohortNote, CohortShare, CohortView
from storage.repository import Repository

DAY = timedelta(days=1)


@pytest.fixture
def world(running_app: RunningApp, slack: FakeSlack) -> CohortWorld:
    found = CohortWorld(running_app, slack)
    found.at(T0)
    return found


# Creating and joining ------------------------------------------------------------------------------


def test_create_announces_with_join_and_joining_shows_what_mentors_see_first(
    world: CohortWorld, slack: FakeSlack
) -> None:
    cohort_id = world.create("Spring <b>cohort</b>")
    [announcement] = [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    assert not validate_message_blocks(announcement.args["blocks"], announcement.args["text"])
    assert buttons(announcement.args) == {"cohort_join": str(cohort_id)}
    shown = texts(announcement.args["blocks"])
    assert f"<@{MENTOR}>" in shown and "Spring &lt;b&gt;cohort&lt;/b&gt;" in shown and "<b>" not in shown

    # The Join button: the consent preview, and nothing joined yet.
    world.click("cohort_join", str(cohort_id), user=STUDENT)
    view = world.last_view()
    assert not validate_view(view)
    preview = texts(view)
    for column in REPORT_COLUMNS[1:]:
        assert column in preview
    assert "never" in preview.lower() and "names, companies, emails" in preview
    assert rows(world.app, CohortMember) == []

    world.submit(
        "cohort_join",
        {"sharing": {"sharing": radio("counts")}, "celebrate": {"celebrate": boxes()}},
        view,
        STUDENT,
    )
    [member] = rows(world.app, CohortMember)
    assert (member.state, member.sharing, member.celebrate) == ("active", "counts", False)
    assert any("You joined" in texts(e) for e in slack.ephemeral_messages)

    # Their own row, exactly as the mentors see it, with their week against their trend and the median.
    me = world.answer("me", STUDENT)
    assert not validate_message_blocks(me["blocks"], me["text"])
    shown = texts(me["blocks"])
    assert "Your row" in shown and "Last week" in shown and "cohort median" in shown
    assert {"cohort_state", "cohort_placed", "cohort_sharing", "cohort_who_looked"} <= set(buttons(me))
    # Joining again is refused, in words.
    assert "already in this cohort" in world.answer("join", STUDENT)["text"]


def test_create_asks_to_be_invited_when_the_app_is_not_in_the_channel(
    world: CohortWorld, slack: FakeSlack
) -> None:
    slack.add_channel("C0NOAPP", "elsewhere", (MENTOR,), bot_member=False)
    slack.add_channel("G0PRIVATE", "secret", (MENTOR,), bot_member=False, is_private=True)
    for channel in ("C0NOAPP", "G0PRIVATE"):
        answer = world.answer("create", channel=channel)
        assert "/invite @infoint" in answer["text"]
    with world.app.services.db.session() as session:
        assert CohortStore(session, "T0001").by_channel("C0NOAPP") is None
    assert not [
        c for c in slack.calls_to("chat.postMessage") if c.args["channel"] in ("C0NOAPP", "G0PRIVATE")
    ]
    # Once invited, it works; and a channel is one cohort.
    slack.set_channel("C0NOAPP", bot_member=True)
    assert "is now the cohort" in world.answer("create", channel="C0NOAPP")["text"]
    assert "already is a cohort" in world.answer("create", channel="C0NOAPP")["text"]


def test_the_command_in_a_dm_or_a_channel_that_is_no_cohort_gets_a_clear_answer(world: CohortWorld) -> None:
    for text in ("report", "join", "me", "close"):
        assert "in the cohort's channel" in world.answer(text, channel="D0MENTOR")["text"]
        assert "isn't a cohort" in world.answer(text, channel=CHANNEL)["text"]
    help_text = texts(world.answer(""))
    assert "/infoint cohort create" in help_text and "/infoint cohort report" in help_text


def test_help_lists_the_cohort_subcommands(world: CohortWorld) -> None:
    shown = texts(world.app.answer("help"))
    for usage in (
        "/infoint cohort create",
        "/infoint cohort join",
        "/infoint cohort me",
        "/infoint cohort report",
    ):
        assert usage in shown


# The report ------------------------------------------------------------------------------------------


def seed_students(world: CohortWorld, count: int) -> None:
    """``count`` students joined (through the storage: fast), a few with requests sent."""
    with world.app.services.db.session() as session:
        store, repo = CohortStore(session, "T0001"), Repository(session, "T0001")
        cohort = store.by_channel(CHANNEL)
        assert cohort is not None
        for n in range(count):
            student = repo.get_or_create_user(f"U{n:05d}S", world.now)
            store.join(cohort, student, world.now - 9 * DAY)
            if n % 10 == 0:
                contact = repo.add_contact(
                    student, {"name": f"Secret {n}", "degree": "first"}, core.Stage.REQUESTED, world.now
                )
                repo.add_attempt(contact, core.OutreachChannel.EMAIL, world.now - DAY)


def test_report_pages_and_csv_for_500_students(world: CohortWorld, slack: FakeSlack) -> None:
    world.create()
    seed_students(world, 500)
    first = world.answer("report")
    assert not validate_message_blocks(first["blocks"], first["text"])
    assert len(first["blocks"]) <= 50
    shown = texts(first["blocks"])
    assert "*500* students" in shown and "page 1 of 34" in shown and "Download CSV" in shown
    assert "Secret" not in shown  # counts, not contacts
    # Who needs attention first: the 450 who never reached out are flagged, before the others.
    assert "No outreach for 7 days" in shown
    nav = buttons(first)
    assert set(nav) == {"cohort_next", "cohort_csv"}
    opens = [b["accessory"]["action_id"] for b in first["blocks"] if "accessory" in b]
    assert opens == ["cohort_student"] * REPORT_PAGE

    # Next: page 2 replaces page 1, inside the limits again; Previous is there now.
    world.click("cohort_next", nav["cohort_next"])
    page = world.responded()[-1].args
    assert page["replace_original"] is True and "page 2 of 34" in texts(page["blocks"])
    assert not validate_message_blocks(page["blocks"], page["text"])
    assert [e["value"] for e in page["blocks"][-1]["elements"]] == ["1:1", "1:3", "1"]

    # The whole report as CSV, in the mentor's DM: 500 rows and the header.
    before = len(slack.calls_to("files.completeUploadExternal"))
    world.answer("report csv")
    slack.wait_for("files.completeUploadExternal", before + 1)
    [(file_id, data)] = [(f, d) for f, d in slack.uploads.items() if slack.files[f]["name"].endswith(".csv")]
    table = list(csv.reader(io.StringIO(data.decode())))
    assert table[0] == list(REPORT_COLUMNS) and len(table) == 501
    assert slack.files[file_id]["channels"] == ["D0MENTOR"]
    # Every look was recorded.
    assert {v.what for v in rows(world.app, CohortView)} == {"report", "report_csv"}


def test_who_looked_lists_each_mentor_look(world: CohortWorld) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    world.answer("report")
    world.click("cohort_student", f"{cohort_id}:{STUDENT}")
    assert not validate_view(world.last_view())
    looked = texts(world.answer("looked", STUDENT)["blocks"])
    assert looked.count(f"<@{MENTOR}>") == 2 and "your row" in looked and "the report" in looked
    world.click("cohort_who_looked", str(cohort_id), user=STUDENT)
    assert f"<@{MENTOR}>" in texts(world.responded(STUDENT)[-1].args)


def test_notes_are_for_that_cohorts_mentors_only(world: CohortWorld) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    world.join(OTHER)
    world.click("cohort_note", f"{cohort_id}:{STUDENT}")
    view = world.last_view()
    assert "only this cohort's mentors" in texts(view)
    bad = world.submit(
        "cohort_note", {"note": {"note": {"type": "plain_text_input", "value": "  "}}}, view, MENTOR
    )
    assert bad.json()["errors"] == {"note": "Write the note first."}
    world.submit(
        "cohort_note",
        {"note": {"note": {"type": "plain_text_input", "value": "Exams <!here>"}}},
        view,
        MENTOR,
    )
    [note] = rows(world.app, CohortNote)
    assert note.body == "Exams <!here>"
    world.click("cohort_student", f"{cohort_id}:{STUDENT}")
    shown = texts(world.last_view())
    assert "Exams &lt;!here&gt;" in shown and "<!here>" not in shown
    # A student can neither open the note form nor submit one.
    world.click("cohort_note", f"{cohort_id}:{OTHER}", user=STUDENT)
    assert "Only this cohort's mentors" in texts(world.responded(STUDENT)[-1].args)
    refused = world.submit(
        "cohort_note", {"note": {"note": {"type": "plain_text_input", "value": "x"}}}, view, STUDENT
    )
    assert "Only this cohort's mentors" in refused.json()["errors"]["note"]
    assert len(rows(world.app, CohortNote)) == 1


def test_paused_and_placed_students_raise_no_flags(world: CohortWorld) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    world.at(T0 + 8 * DAY)
    assert "No outreach for 7 days" in texts(world.answer("report")["blocks"])

    assert "Paused" in world.answer("pause", STUDENT)["text"]
    report = texts(world.answer("report")["blocks"])
    assert "No outreach" not in report and "⏸ Paused" in report

    # Back to active with the button on their row (redrawn), then placed through the modal.
    world.click("cohort_state", f"{cohort_id}:active", user=STUDENT)
    assert "Pause (holiday, exams)" in texts(world.responded(STUDENT)[-1].args)
    world.click("cohort_placed", str(cohort_id), user=STUDENT)
    view = world.last_view()
    assert not validate_view(view)
    future = (T0 + 20 * DAY).date().isoformat()
    state = {
        "what": {"what": {"type": "plain_text_input", "value": "Analyst at Globex"}},
        "on": {"on": {"type": "datepicker", "selected_date": future}},
    }
    assert "still ahead" in world.submit("cohort_placed", state, view, STUDENT).json()["errors"]["on"]
    state["on"]["on"]["selected_date"] = (T0 + 7 * DAY).date().isoformat()
    world.submit("cohort_placed", state, view, STUDENT)
    report = texts(world.answer("report")["blocks"])
    assert "🎓 Placed: Analyst at Globex" in report and "🚩" not in report


def test_sharing_a_contact_shows_it_to_the_mentors_and_unsharing_hides_it(world: CohortWorld) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    [contact_id] = world.student_contacts(STUDENT, 1)
    world.click("cohort_student", f"{cohort_id}:{STUDENT}")
    assert "Secret Person" not in texts(world.last_view()) and "counts only" in texts(world.last_view())

    world.command("share", STUDENT)
    view = world.last_view()
    assert not validate_view(view)
    state = {
        "sharing": {"sharing": radio("stages")},
        "celebrate": {"celebrate": boxes()},
        "share_contact": {
            "share_contact": {"type": "static_select", "selected_option": {"value": str(contact_id)}}
        },
    }
    world.submit("cohort_sharing", state, view, STUDENT)
    world.click("cohort_student", f"{cohort_id}:{STUDENT}")
    shown = texts(world.last_view())
    assert "Secret Person 0 (Hidden Corp): Request sent" in shown or "Secret Person 0 (Hidden Corp)" in shown
    assert "Stages:" in shown

    # Untick it: gone again. Another student's contact can't be shared by forging the form.
    world.command("share", STUDENT)
    view = world.last_view()
    world.submit(
        "cohort_sharing", {"sharing": {"sharing": radio("counts")}, "keep": {"keep": boxes()}}, view, STUDENT
    )
    assert rows(world.app, CohortShare) == []
    [theirs] = world.student_contacts(OTHER, 1)
    world.join(OTHER)
    forged = {
        "sharing": {"sharing": radio("counts")},
        "share_contact": {
            "share_contact": {"type": "static_select", "selected_option": {"value": str(theirs)}}
        },
    }
    refused = world.submit("cohort_sharing", forged, view, STUDENT)
    assert "only share your own" in refused.json()["errors"]["sharing"]
    assert rows(world.app, CohortShare) == []


def test_close_stops_everything_but_the_export(world: CohortWorld, slack: FakeSlack) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    world.student_contacts(STUDENT, 2)
    world.click("cohort_note", f"{cohort_id}:{STUDENT}")
    world.submit(
        "cohort_note",
        {"note": {"note": {"type": "plain_text_input", "value": "ok"}}},
        world.last_view(),
        MENTOR,
    )
    assert "Only this cohort's mentors" in world.answer("close", STUDENT)["text"]
    assert "Closed" in world.answer("close")["text"]
    assert any(
        "closed the cohort" in texts(c.args)
        for c in slack.calls_to("chat.postMessage")
        if c.args["channel"] == CHANNEL
    )
    cohort = world.cohort()
    assert (cohort.status, cohort.next_digest_at) == ("closed", None)
    assert rows(world.app, CohortNote) == []  # the cohort keeps only counts
    assert "closed" in world.answer("report")["text"]
    # The student keeps their own records; the mentor can still export the counts.
    with world.app.services.db.session() as session:
        student = Repository(session, "T0001").find_user(STUDENT)
        assert student is not None and len(Repository(session, "T0001").contacts_of(student)) == 2
    before = len(slack.calls_to("files.completeUploadExternal"))
    world.answer("export")
    slack.wait_for("files.completeUploadExternal", before + 1)
    data = next(d for f, d in slack.uploads.items() if "weekly" in slack.files[f]["name"]).decode()
    table = list(csv.reader(io.StringIO(data)))
    assert table[0][:2] == ["Student", "Week"] and any(r[0] == STUDENT and r[2] == "2" for r in table[1:])
    assert "Only this cohort's mentors" in world.answer("export", STUDENT)["text"]


def test_the_app_removed_or_the_channel_archived_pauses_the_cohort(world: CohortWorld) -> None:
    world.create()
    assert world.cohort().next_digest_at is not None
    for leave, back in (
        (
            {"type": "channel_left", "channel": CHANNEL},
            {"type": "member_joined_channel", "channel": CHANNEL, "user": "UBOT"},
        ),
        ({"type": "channel_archive", "channel": CHANNEL}, {"type": "channel_unarchive", "channel": CHANNEL}),
        (
            {"type": "member_left_channel", "channel": CHANNEL, "user": "UBOT"},
            {"type": "group_unarchive", "channel": CHANNEL},
        ),
    ):
        world.app.sender.event(leave)
        world.app.settle()
        cohort = world.cohort()
        assert (cohort.status, cohort.next_digest_at) == ("paused", None), leave
        world.app.sender.event(back)
        world.app.settle()
        cohort = world.cohort()
        assert cohort.status == "active" and cohort.next_digest_at is not None, back
    # Someone else leaving changes nothing.
    world.app.sender.event({"type": "member_left_channel", "channel": CHANNEL, "user": STUDENT})
    world.app.settle()
    assert world.cohort().status == "active"


# Permissions ----------------------------------------------------------------------------------------------


def test_a_student_cannot_run_the_report(world: CohortWorld) -> None:
    world.create()
    world.join(STUDENT)
    for who in (STUDENT, OTHER):
        answer = world.answer("report", who)
        assert "Only this cohort's mentors can do that." in answer["text"]
        assert answer["response_type"] == "ephemeral"
    assert not any(v.what == "report" for v in rows(world.app, CohortView))


def test_a_student_cannot_add_mentors(world: CohortWorld) -> None:
    world.create()
    world.join(STUDENT)
    assert "Only this cohort's mentors" in world.answer(f"mentor <@{OTHER}|other>", STUDENT)["text"]
    assert "now co-mentors" in world.answer(f"mentor <@{OTHER}|other>")["text"]
    assert "student in this cohort" in world.answer(f"mentor <@{STUDENT}>")["text"]
    cohort = world.cohort()
    with world.app.services.db.session() as session:
        assert [m.slack_user_id for m in CohortStore(session, "T0001").mentors(cohort)] == [MENTOR, OTHER]


def test_a_student_cannot_see_another_students_row(world: CohortWorld) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    world.join(OTHER)
    opened = len(world.slack.calls_to("views.open"))
    world.click("cohort_student", f"{cohort_id}:{OTHER}", user=STUDENT)
    assert "Only this cohort's mentors" in texts(world.responded(STUDENT)[-1].args)
    world.click("cohort_next", f"{cohort_id}:1", user=STUDENT)
    assert "Only this cohort's mentors" in texts(world.responded(STUDENT)[-1].args)
    assert len(world.slack.calls_to("views.open")) == opened
    # Their own row shows only theirs.
    me = texts(world.answer("me", STUDENT)["blocks"])
    assert OTHER not in me


def test_a_non_mentor_cannot_close_a_cohort(world: CohortWorld) -> None:
    world.create()
    world.join(STUDENT)
    for who in (STUDENT, OTHER):
        assert "Only this cohort's mentors" in world.answer("close", who)["text"]
    assert world.cohort().status == "active"


def test_a_student_of_cohort_a_is_invisible_to_cohort_bs_mentor(world: CohortWorld, slack: FakeSlack) -> None:
    a = world.create()
    world.join(STUDENT)
    slack.add_channel("C0OTHERCOHORT", "b", (OTHER,))
    b_answer = world.answer("create Cohort B", OTHER, channel="C0OTHERCOHORT")
    assert "is now the cohort" in b_answer["text"]
    b = world.cohort_id("C0OTHERCOHORT")
    assert STUDENT not in texts(world.answer("report", OTHER, channel="C0OTHERCOHORT")["blocks"])
    world.click("cohort_student", f"{b}:{STUDENT}", user=OTHER)
    assert "aren't a student in this cohort" in texts(world.responded(OTHER)[-1].args)
    world.click("cohort_student", f"{a}:{STUDENT}", user=OTHER)
    assert "Only this cohort's mentors" in texts(world.responded(OTHER)[-1].args)
    world.click("cohort_nudge", f"{b}:{STUDENT}", user=OTHER)
    assert "aren't a student in this cohort" in texts(world.responded(OTHER)[-1].args)
    assert not any(c.args["channel"] == STUDENT for c in slack.calls_to("chat.postMessage"))


def test_another_workspace_sees_nothing(world: CohortWorld) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    for text in ("report", "me", "join", "close"):
        assert "isn't a cohort" in world.answer(text, MENTOR, team="T0OTHER")["text"]
    world.app.sender.click(
        "cohort_student",
        f"{cohort_id}:{STUDENT}",
        user=MENTOR,
        team="T0OTHER",
        channel=CHANNEL,
        message_ts="1.2",
        ephemeral=True,
    )
    world.app.settle()
    shown = texts(world.responded()[-1].args)
    assert "isn't there any more" in shown and "Contacts" not in shown


def test_forged_or_garbled_values_are_answered_not_crashed(world: CohortWorld) -> None:
    cohort_id = world.create()
    for action, value in (
        ("cohort_next", "1:x"),
        ("cohort_student", f"{cohort_id}:not-a-user"),
        ("cohort_csv", "01"),
        ("cohort_state", f"{cohort_id}:placed"),
    ):
        world.click(action, value)
        assert "doesn't carry a cohort" in texts(world.responded()[-1].args)
    refused = world.app.sender.submit("cohort_join", {}, user=STUDENT, private_metadata="{not json")
    world.app.settle()
    assert refused.json()["response_action"] == "errors"


def test_mentors_home_shows_each_cohort_and_records_the_look(world: CohortWorld, slack: FakeSlack) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    world.at(T0 + 8 * DAY)
    world.app.sender.event({"type": "app_home_opened", "user": MENTOR, "tab": "home"})
    world.app.settle()
    home = slack.home_view(MENTOR)
    assert home is not None and not validate_view(home)
    shown = texts(home)
    assert "Your cohorts" in shown and "Spring cohort" in shown and "1 need attention" in shown
    assert buttons(home)["cohort_open_report"] == str(cohort_id)
    assert [v.what for v in rows(world.app, CohortView)] == ["home"]
    world.click("cohort_open_report", str(cohort_id), in_message=False)
    assert "Cohort report" in texts(world.last_view()) and not validate_view(world.last_view())
    # The student's Home shows their own row only.
    world.app.sender.event({"type": "app_home_opened", "user": STUDENT, "tab": "home"})
    world.app.settle()
    student_home = slack.home_view(STUDENT)
    assert student_home is not None and "cohort_open_report" not in elements(student_home)


def test_settings_set_targets_and_the_digest_time(world: CohortWorld) -> None:
    world.create()
    assert "Only this cohort's mentors" in world.answer("settings", STUDENT)["text"]
    world.command("settings")
    view = world.last_view()
    assert not validate_view(view)
    state = {
        "requests": {"requests": {"type": "plain_text_input", "value": "99"}},
        "conversations": {"conversations": {"type": "plain_text_input", "value": "2"}},
        "weekday": {"weekday": {"type": "static_select", "selected_option": {"value": "2"}}},
        "time": {"time": {"type": "timepicker", "selected_time": "17:30"}},
        "timezone": {"timezone": {"type": "plain_text_input", "value": "Mars/Olympus"}},
    }
    errors = world.submit("cohort_settings", state, view, MENTOR).json()["errors"]
    assert set(errors) == {"requests", "timezone"}
    state["requests"]["requests"]["value"] = "5"
    state["timezone"]["timezone"]["value"] = "America/New_York"
    world.submit("cohort_settings", state, view, MENTOR)
    cohort = world.cohort()
    assert (cohort.target_requests, cohort.target_conversations, cohort.digest_weekday) == (5, 2, 2)
    assert (cohort.digest_time, cohort.digest_timezone) == ("17:30", "America/New_York")


def test_leaving(world: CohortWorld) -> None:
    world.create()
    world.join(STUDENT)
    assert "only mentor" in world.answer("leave")["text"]
    assert "You left" in world.answer("leave", STUDENT)["text"]
    cohort = world.cohort()
    with world.app.services.db.session() as session:
        store = CohortStore(session, "T0001")
        assert store.members(cohort) == []
        student = Repository(session, "T0001").find_user(STUDENT)
        assert student is not None
        left = store.membership(cohort, student, current=False)
        assert left is not None and left.left_at is not None


def test_a_co_mentor_picked_in_the_user_picker(world: CohortWorld) -> None:
    world.create()
    world.join(STUDENT)
    before = len(world.slack.calls_to("views.open"))
    world.command("mentor")  # "@name" typed as plain text arrives without an id: the picker opens
    view = world.slack.wait_for("views.open", before + 1)[-1].args["view"]
    assert not validate_view(view)
    picked = {"mentor": {"mentor": {"type": "users_select", "selected_user": STUDENT}}}
    refused = world.submit("cohort_mentor", picked, view, MENTOR)
    assert "student in this cohort" in refused.json()["errors"]["mentor"]
    picked["mentor"]["mentor"]["selected_user"] = OTHER
    assert (
        "Only this cohort's mentors"
        in world.submit("cohort_mentor", picked, view, STUDENT).json()["errors"]["mentor"]
    )
    world.submit("cohort_mentor", picked, view, MENTOR)
    cohort = world.cohort()
    with world.app.services.db.session() as session:
        assert [m.slack_user_id for m in CohortStore(session, "T0001").mentors(cohort)] == [MENTOR, OTHER]
    # The co-mentor sees the report; they are no student of it.
    assert "*1* students" in texts(world.answer("report", OTHER)["blocks"])
