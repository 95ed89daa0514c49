"""The App Home read once after a log form: the week counted from the loaded contacts agrees with the
count by query (on SQLite and PostgreSQL alike), and the Home published after a log from the Home is
the one the plain path builds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from helpers import STUDENT, T0, RunningApp, paris, rows
from slackwire import TEAM
from student import Student

from bot.blocks.contacts import headline
from bot.blocks.home import home_view
from bot.domain import pipeline as core
from bot.domain.window import week_start, zone
from bot.fakeslack import FakeSlack
from bot.queries.models import ContactNews
from bot.queries.plan import week_progress
from storage.db import Database
from storage.models import Contact
from storage.repository import Repository

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)  # a Wednesday
# The week starts at 08:00 UTC and, summer time begun on Sunday 8 March, ends at 07:00 UTC.
TZ = "America/Los_Angeles"
STATUSES = tuple(core.InterviewStatus)


def _seed(db: Database) -> None:
    """A student with contacts whose first requests, follow-ups and interviews (of each status) fall
    just inside and just outside this week, the weeks around it; and a classmate's, counted for
    nobody else."""
    start = week_start(NOW, zone(TZ))
    start_at = datetime.combine(start, datetime.min.time(), tzinfo=zone(TZ))
    edges = [
        start_at - timedelta(days=7),
        start_at - timedelta(microseconds=1),
        start_at,
        start_at + timedelta(seconds=1),
        NOW,
        start_at + timedelta(days=7) - timedelta(microseconds=1),
        start_at + timedelta(days=7),
        start_at + timedelta(days=8),
    ]
    with db.session() as session:
        repo = Repository(session, "T1")
        for slack_id in ("U1", "U2"):
            user = repo.get_or_create_user(slack_id, NOW)
            repo.update_user(user, timezone=TZ)
            for n, when in enumerate(edges):
                contact = repo.add_contact(user, {"name": f"P{n}", "degree": "first"}, core.Stage.TARGET, NOW)
                for k in range(n % 3 + 1):  # a first request, then follow-ups a day apart
                    attempt = repo.add_attempt(contact, core.OutreachChannel.EMAIL, NOW)
                    attempt.sent_at = when + timedelta(days=k)
                for k, status in enumerate(STATUSES):
                    interview = repo.add_interview(
                        contact, when + timedelta(hours=k * (n % 2)), 20, core.InterviewFormat.VIDEO, "", NOW
                    )
                    interview.status = status.value
            repo.add_contact(user, {"name": "Nothing yet", "degree": "second"}, core.Stage.TARGET, NOW)


def test_the_week_counted_from_loaded_contacts_is_the_week_counted_by_query(db: Database) -> None:
    _seed(db)
    this_week = week_start(NOW, zone(TZ))
    with db.session() as session:
        repo = Repository(session, "T1")
        user = repo.find_user("U1")
        assert user is not None
        contacts = repo.contacts_of(user)
        assert all(a.sent_at.tzinfo is not None for c in contacts for a in c.attempts)
        seen = []
        for week in (this_week - timedelta(days=7), this_week, this_week + timedelta(days=7)):
            by_query = week_progress(session, user, NOW, week)
            counted = week_progress(session, user, NOW, week, contacts=contacts)
            assert counted == by_query
            seen.append((by_query.requests_sent, by_query.interviews))
    # This week: the first requests sent at its start, a second in, now and its last microsecond (not
    # the follow-ups, nor the classmate's); an interview booked or held at each of those instants but
    # the last, whose held one is an hour later, next week, as the one held an hour after the week
    # before ended is this week's; never a cancelled or missed one.
    assert seen == [(2, 3), (4, 8), (2, 5)]


def _published(slack: FakeSlack) -> dict[str, Any]:
    view = slack.calls_to("views.publish")[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_the_home_after_a_log_from_the_home_is_the_one_the_plain_path_builds(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    student = Student(running_app, slack)
    student.at(T0)
    student.open_home()
    student.log_from_home(
        name="Ada", company="Acme", standing="interview_scheduled", interview_at=int(paris(5, 14).timestamp())
    )
    student.log_from_home(name="Bo", standing="request_sent", request_channel="linkedin")
    student.log_from_home(name="Cy <&>", company="Initech")
    services = running_app.services
    [cy] = [c.id for c in rows(running_app, Contact) if c.name == "Cy <&>"]
    now = services.clock()
    card = services.queries.contacts.card(TEAM, STUDENT, cy)
    assert card is not None
    screen = services.queries.home.screen(TEAM, STUDENT, now)
    with services.db.session() as session:  # its figures as counted by query
        repo = Repository(session, TEAM)
        owner = repo.find_user(STUDENT)
        assert owner is not None
        assert screen.counts == repo.stage_counts(owner)
        assert screen.week == week_progress(session, owner, now)
    plain = home_view(
        screen,
        headline(ContactNews.SAVED, card),
        services.cohort_reads.home(TEAM, STUDENT, looking=False),
    )
    assert _published(slack)["blocks"] == json.loads(json.dumps(plain["blocks"]))
    assert "Saved *Cy &lt;&amp;&gt;* to your list" in json.dumps(plain["blocks"])
