"""A student's data rights through Slack: ``/infoint export`` (the ZIP the fake Slack received, opened
and read) and ``/infoint forget-me`` (the confirmation modal, its submission, and every table of the
database before and after: nothing of anyone else's, nor of another workspace, is touched)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timedelta
from typing import Any

import pytest
from datarights_world import OTHER_TEAM, TEAM, references, seed_cohort, seed_person, snapshot
from helpers import STUDENT, RunningApp, count, elements, log_contact, nudge_dms, paris, rows, texts
from sqlalchemy import select

from bot.app import make_client
from bot.fakeslack import FakeSlack, validate_view
from bot.sweep import Sweeper
from storage.models import Base, Cohort, CohortMentor, CohortNote, Contact, Interview, Nudge, User

MENTOR = "U0MENTOR"
CO_MENTOR = "U0COMENTOR"
OTHER = "U0OTHER"
CHANNEL = "C0COHORT"
NOW = paris(16, 10)


@pytest.fixture
def world(running_app: RunningApp, slack: FakeSlack) -> RunningApp:
    """STUDENT and OTHER in one cohort of MENTOR and CO_MENTOR (workspace T0001); the same Slack id as
    STUDENT, with records of its own, in another workspace."""
    running_app.clock.set(NOW)
    for user in (STUDENT, OTHER, MENTOR, CO_MENTOR):
        slack.set_user(user, tz="Europe/Paris")
    with running_app.services.db.session() as session:
        student = seed_person(session, TEAM, STUDENT, "mine", NOW)
        other = seed_person(session, TEAM, OTHER, "theirs", NOW)
        mentor = seed_person(session, TEAM, MENTOR, "Mtag", NOW)
        co_mentor = seed_person(session, TEAM, CO_MENTOR, "CMtag", NOW)
        seed_cohort(session, TEAM, CHANNEL, [mentor, co_mentor], [student, other], NOW)
        elsewhere = seed_person(session, OTHER_TEAM, STUDENT, "elsewhere", NOW)
        seed_cohort(session, OTHER_TEAM, CHANNEL, [elsewhere], [elsewhere], NOW)
    return running_app


def command(app: RunningApp, text: str, user: str = STUDENT) -> dict[str, Any]:
    """Type ``/infoint text``: acknowledged at once with nothing; return what the command answered
    through its response_url first (nothing when it answered with a modal)."""
    assert app.slack is not None
    answers = f"response_url:cmd-{user}"
    before = len(app.slack.calls_to(answers))
    reply = app.sender.command(text, user=user, team=TEAM, channel_id="D0DM")
    assert reply.status == 200 and reply.body == b"", (reply.status, reply.body)
    app.settle()
    posted = app.slack.calls_to(answers)[before:]
    return posted[0].args if posted else {}


# Export -----------------------------------------------------------------------------------------------


def exported(slack: FakeSlack) -> dict[str, list[dict[str, str]]]:
    """The one ZIP uploaded: each CSV's rows (as dicts by header), and README.txt's lines."""
    [(file_id, data)] = [(f, d) for f, d in slack.uploads.items() if slack.files[f]["name"].endswith(".zip")]
    record = slack.files[file_id]
    assert record["channels"] and record["channels"][0].startswith("D"), record  # the user's DM
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    tables: dict[str, list[dict[str, str]]] = {}
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8")  # UTF-8, or this raises
        if name.endswith(".csv"):
            reader = csv.DictReader(io.StringIO(text))
            assert reader.fieldnames, name  # a header row, even with no rows
            tables[name.removesuffix(".csv")] = list(reader)
        else:
            tables[name] = [{"line": line} for line in text.splitlines()]
    return tables


def test_export_acks_at_once_and_sends_only_the_callers_rows_as_a_zip(
    world: RunningApp, slack: FakeSlack
) -> None:
    answer = command(world, "export")
    assert "Preparing your export" in texts(answer)
    tables = exported(slack)
    assert {"README.txt", "contacts", "attempts", "interviews", "notes", "referrals", "questions"} <= set(
        tables
    )
    assert {"reminders", "cohorts", "shares", "looks", "mentor_nudges", "profile"} <= set(tables)
    everything = texts([list(r.values()) for t in tables.values() for r in t])
    assert "mine" in everything
    for foreign in ("theirs", "Mtag", "CMtag", "elsewhere", OTHER):
        assert foreign not in everything, foreign

    contacts = {c["name"]: c for c in tables["contacts"]}
    # The formula guard of the cohort CSVs: a cell a spreadsheet would run starts with an apostrophe.
    assert set(contacts) == {"Zoë mine", "Ref mine", "'=HYPERLINK(mine)"}
    assert contacts["'=HYPERLINK(mine)"]["company"] == "'@evil"
    assert contacts["Zoë mine"]["email"] == "zoe.mine@example.com"
    created = datetime.fromisoformat(contacts["Zoë mine"]["created_at"])
    assert created == NOW - timedelta(days=20) and created.utcoffset() == timedelta(0)
    [referral] = tables["referrals"]
    assert (referral["name"], referral["introduced_by"]) == ("Ref mine", "Zoë mine")
    assert referral["introduced_by_contact_id"] == contacts["Zoë mine"]["contact_id"]
    assert sorted(a["channel"] for a in tables["attempts"]) == ["email", "linkedin"]
    [interview] = tables["interviews"]
    assert interview["place"] == "Room mine" and interview["contact"] == "Zoë mine"
    assert [q["question"] for q in tables["questions"]] == ["What surprised you, mine?", "'+1 question"]
    assert sorted(n["note"] for n in tables["notes"]) == ["Note on mine", "Takeaway of mine"]
    assert sorted(r["status"] for r in tables["reminders"]) == ["pending", "sent"]
    [cohort] = tables["cohorts"]
    assert (cohort["cohort"], cohort["role"], cohort["named_when_placed"]) == (
        f"Cohort {CHANNEL}",
        "student",
        "yes",
    )
    assert {s["item"].split(":")[0] for s in tables["shares"]} == {"contact", "interview"}
    assert sorted(v["mentor"] for v in tables["looks"]) == [CO_MENTOR, MENTOR]
    assert sorted(n["mentor"] for n in tables["mentor_nudges"]) == [CO_MENTOR, MENTOR]
    profile = {p["setting"]: p["value"] for p in tables["profile"]}
    assert profile["timezone"] == "Europe/Paris" and profile["preferences.follow_up_days"] == "5"
    readme = [r["line"] for r in tables["README.txt"]]
    assert "contacts.csv: the people in your pipeline (3 rows)" in readme
    # Mentors' private notes are theirs: not in the student's copy.
    assert "Mentor note" not in everything


def test_export_of_someone_infoint_never_met_is_headers_only(world: RunningApp, slack: FakeSlack) -> None:
    before = count(world, User)
    command(world, "export", user="U0STRANGER")
    tables = exported(slack)
    assert all(not rows_ for name, rows_ in tables.items() if name != "README.txt")
    assert count(world, User) == before  # reading creates no user


def test_a_failed_upload_is_said_not_a_500(world: RunningApp, slack: FakeSlack) -> None:
    slack.fail_next("files.getUploadURLExternal", error="internal_error", times=10)
    answer = command(world, "export")
    assert "Preparing" in texts(answer)
    said = texts([c.args for c in slack.calls_to(f"response_url:cmd-{STUDENT}")])
    assert "couldn't send your export" in said


# Forget me ----------------------------------------------------------------------------------------------


def ids_of(app: RunningApp, team: str, slack_id: str) -> dict[str, set[int]]:
    with app.services.db.session() as session:
        user = session.scalar(select(User).where(User.team_id == team, User.slack_user_id == slack_id))
        assert user is not None
        contacts = set(session.scalars(select(Contact.id).where(Contact.owner_id == user.id)))
        interviews = set(session.scalars(select(Interview.id).where(Interview.contact_id.in_(contacts))))
        return {"users": {user.id}, "contacts": contacts, "interviews": interviews}


def forget_me(
    app: RunningApp, slack: FakeSlack, user: str = STUDENT
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``/infoint forget-me``, then Delete everything: the confirmation shown and the final view."""
    before = len(slack.calls_to("views.open"))
    command(app, "forget-me", user=user)
    view = slack.wait_for("views.open", before + 1)[-1].args["view"]
    assert view["callback_id"] == "forget_me", view
    reply = app.sender.submit(
        "forget_me", {}, user=user, team=TEAM, private_metadata=view.get("private_metadata", "")
    )
    app.settle()
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["response_action"] == "update", body
    assert not validate_view(view) and not validate_view(body["view"])
    return view, body["view"]


def check_only_theirs_went(
    before: dict[str, dict[Any, dict[str, Any]]],
    after: dict[str, dict[Any, dict[str, Any]]],
    ids: dict[str, set[int]],
) -> dict[str, int]:
    """Every table, row by row: a row that points at none of ``ids`` is exactly as it was; a row that
    does is gone, or stays with those columns emptied (someone else's record). Returns rows gone by
    table."""
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    gone: dict[str, int] = {}
    for name, rows_before in before.items():
        rows_after = after[name]
        assert set(rows_after) <= set(rows_before), f"{name}: rows appeared"
        for key, row in rows_before.items():
            pointing = references(tables[name], row, ids)
            if not pointing:
                assert rows_after.get(key) == row, f"{name} {key}: someone else's row changed"
            elif key in rows_after:
                kept = rows_after[key]
                assert all(kept[c] is None for c in pointing), f"{name} {key} still points at them"
                assert {c: v for c, v in kept.items() if c not in pointing} == {
                    c: v for c, v in row.items() if c not in pointing
                }, f"{name} {key}: more than the link changed"
            else:
                gone[name] = gone.get(name, 0) + 1
    return gone


def test_forget_me_asks_then_deletes_everything_of_theirs_and_nothing_else(
    world: RunningApp, slack: FakeSlack
) -> None:
    ids = ids_of(world, TEAM, STUDENT)
    before = snapshot(world)
    confirmation, done = forget_me(world, slack)
    asked = texts(confirmation)
    for line in (
        "3 contacts (1 of them a referral)",
        "2 requests, follow-ups and calls",
        "1 interview, with 2 prepared questions",
    ):
        assert line in asked, asked
    assert "2 notes" in asked and "2 reminders" in asked and "1 cohort membership" in asked
    assert "2 items shared with mentors" in asked and "2 mentors' notes about you" in asked
    told = texts(done)
    assert "Done. I deleted" in told and "3 contacts" in told and "/infoint log" in told

    after = snapshot(world)
    gone = check_only_theirs_went(before, after, ids)
    assert gone == {
        "users": 1,
        "contacts": 3,
        "outreach_attempts": 2,
        "interviews": 1,
        "notes": 2,
        "nudges": 2,
        "cohort_members": 1,
        "cohort_shares": 2,
        "cohort_notes": 2,
        "cohort_views": 2,
        "cohort_nudges": 2,
    }
    for table in Base.metadata.sorted_tables:  # nothing anywhere still points at them
        assert not any(references(table, row, ids) for row in after[table.name].values()), table.name
    # The same Slack id in the other workspace is someone else: all theirs is still there.
    assert len(ids_of(world, OTHER_TEAM, STUDENT)["contacts"]) == 3
    # Their (now empty) App Home is drawn again, without bringing their user row back.
    assert slack.home_view(STUDENT) is not None
    assert not rows(world, User, team_id=TEAM, slack_user_id=STUDENT)


def test_after_forget_me_they_start_afresh(world: RunningApp, slack: FakeSlack) -> None:
    forget_me(world, slack)
    log_contact(world, slack, name="Fresh Start")
    [user] = rows(world, User, team_id=TEAM, slack_user_id=STUDENT)
    assert [c.name for c in rows(world, Contact, owner_id=user.id)] == ["Fresh Start"]
    _, again = forget_me(world, slack)  # and can be forgotten again
    assert "1 contact" in texts(again)


def test_forget_me_of_someone_with_nothing_says_so(world: RunningApp, slack: FakeSlack) -> None:
    before = len(slack.calls_to("views.open"))
    command(world, "forget-me", user="U0STRANGER")
    view = slack.wait_for("views.open", before + 1)[-1].args["view"]
    assert "nothing to delete" in texts(view) and "submit" not in view


def test_a_mentor_forgotten_leaves_the_cohort_to_its_co_mentor(world: RunningApp, slack: FakeSlack) -> None:
    ids = ids_of(world, TEAM, MENTOR)
    before = snapshot(world)
    confirmation, done = forget_me(world, slack, user=MENTOR)
    assert "will go on with its other mentors" in texts(confirmation)
    assert "goes on with its other mentors" in texts(done)
    gone = check_only_theirs_went(before, snapshot(world), ids)
    assert gone["cohort_mentors"] == 1
    [cohort] = rows(world, Cohort, team_id=TEAM)
    assert cohort.status == "active" and cohort.created_by_id is None
    [co_mentor] = rows(world, CohortMentor, team_id=TEAM)
    assert co_mentor.added_by_id is None
    # Their notes about the students stay for the co-mentor, no longer signed.
    notes = rows(world, CohortNote, team_id=TEAM)
    co_mentor_id = ids_of(world, TEAM, CO_MENTOR)["users"].pop()
    assert sorted((n.author_id or 0) for n in notes) == [0, 0, co_mentor_id, co_mentor_id]


def test_the_only_mentor_forgotten_closes_the_cohort_and_says_so(world: RunningApp, slack: FakeSlack) -> None:
    forget_me(world, slack, user=CO_MENTOR)
    confirmation, done = forget_me(world, slack, user=MENTOR)
    assert "will be closed: you are its only mentor" in texts(confirmation)
    assert "was closed: you were its only mentor" in texts(done)
    [cohort] = rows(world, Cohort, team_id=TEAM)
    assert cohort.status == "closed" and cohort.closed_at is not None
    assert any("closed the cohort" in texts(m) for m in slack.messages_in(CHANNEL))
    # Its students keep their own records.
    assert (
        len(ids_of(world, TEAM, STUDENT)["contacts"]) == 3
        and len(ids_of(world, TEAM, OTHER)["contacts"]) == 3
    )


def test_a_cohort_closed_already_is_left_as_it_is(world: RunningApp, slack: FakeSlack) -> None:
    forget_me(world, slack, user=CO_MENTOR)
    reply = world.sender.command("cohort close", user=MENTOR, team=TEAM, channel_id=CHANNEL)
    world.settle()
    assert reply.status == 200 and "closed" in texts([m for m in slack.messages_in(CHANNEL)])
    [closed] = rows(world, Cohort, team_id=TEAM)
    confirmation, _ = forget_me(world, slack, user=MENTOR)
    assert "1 mentor role" in texts(confirmation) and "only mentor" not in texts(confirmation)
    [cohort] = rows(world, Cohort, team_id=TEAM)
    assert (cohort.status, cohort.closed_at) == ("closed", closed.closed_at)


def test_help_lists_export_and_forget_me(world: RunningApp) -> None:
    shown = texts(command(world, "help"))
    assert "/infoint export" in shown and "/infoint forget-me" in shown


def test_a_forged_submission_forgets_only_the_submitter(world: RunningApp, slack: FakeSlack) -> None:
    other = ids_of(world, TEAM, OTHER)
    reply = world.sender.submit(
        "forget_me", {}, user=STUDENT, team=TEAM, private_metadata='{"user": "U0OTHER"}'
    )
    world.settle()
    assert reply.status == 200
    assert ids_of(world, TEAM, OTHER) == other
    assert not rows(world, User, team_id=TEAM, slack_user_id=STUDENT)


# Reminders a sweep already claimed ------------------------------------------------------------------------


@pytest.fixture
def due(running_app: RunningApp, slack: FakeSlack) -> RunningApp:
    """A student whose follow-up is due on Tuesday 10 March, 10:00 in Paris."""
    slack.set_user(STUDENT, tz="Europe/Paris")
    running_app.clock.set(paris(2, 10))
    dm = log_contact(running_app, slack, name="Ada")
    running_app.sender.click(
        "request_sent", elements(dm)["request_sent"]["value"], channel=dm["channel"], message_ts=dm["ts"]
    )
    running_app.settle()
    return running_app


def test_a_reminder_claimed_before_the_forget_is_not_sent_after_it(due: RunningApp, slack: FakeSlack) -> None:
    when = paris(10, 10)
    forgotten: list[dict[str, Any]] = []

    def forget_while_waiting(_seconds: float) -> None:  # Slack said 429: the sweep waits, holding its claim
        due.clock.set(when)
        forgotten.append(forget_me(due, slack)[1])

    sweep = Sweeper(
        due.services.db, make_client(due.config, retry_connection_errors=False), sleep=forget_while_waiting
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=2)
    report = sweep.run(when)
    assert forgotten and "1 reminder" in texts(forgotten[0])
    assert report.dms == 0 and report.lost_leases == 1
    assert nudge_dms(slack) == [] and count(due, Nudge) == 0
    assert sweep.run(when + timedelta(minutes=10)).dms == 0


def test_a_claim_waiting_for_its_check_is_not_sent_after_the_forget(
    due: RunningApp, slack: FakeSlack
) -> None:
    when = paris(10, 10)
    sweep = Sweeper(due.services.db, make_client(due.config, retry_connection_errors=False))
    slack.fail_next("chat.postMessage", status=500)  # no usable answer: the claim is kept, checked later
    first = sweep.run(when)
    assert (first.dms, first.unconfirmed) == (0, 1)
    assert [n.status for n in rows(due, Nudge)] == ["sending"]
    due.clock.set(when + timedelta(seconds=30))
    forget_me(due, slack)
    later = sweep.run(when + timedelta(minutes=5))
    assert (later.dms, later.recovered) == (0, 0)
    assert nudge_dms(slack) == [] and count(due, Nudge) == 0
