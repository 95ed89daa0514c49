"""Cohorts on a real database (SQLite here, PostgreSQL when INFOINT_TEST_DATABASE_URL says so):
scoping by workspace and by cohort, the activity numbers of a hand-built history, the digest's claim
under concurrent claimers, and migration 0004 up and down with data in it."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import event, select, text

from bot.domain import pipeline as core
from bot.domain.cohort_digest import DigestSchedule, digest_slot, digest_slots
from bot.domain.cohort_report import Flag, InterviewDone, WaitingRequest, report_rows
from bot.domain.cohort_weekly import WeekCounts, weeks_back
from bot.domain.cohorts import (
    CohortStatus,
    CohortTargets,
    MemberState,
    Placement,
    Role,
    ShareKind,
    SharingLevel,
)
from bot.domain.stats import compute
from bot.domain.window import WorkingWindow
from storage.cohort_digests import DigestLog, DigestSweep
from storage.cohort_records import CohortRecords
from storage.cohorts import ChannelTaken, CohortStore, schedule_of, targets_of
from storage.db import Database, normalise_url
from storage.models import Cohort, CohortDigest, Contact, Interview, Nudge, User
from storage.repository import Repository
from storage.stats import StatsQueries

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)  # a Thursday; the week began Monday 9 March
BERLIN = ZoneInfo("Europe/Berlin")
DAY = timedelta(days=1)
LEASE = timedelta(minutes=5)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def user(session: Any, team: str, slack_id: str, tz: str | None = "Europe/Berlin") -> User:
    found = Repository(session, team).get_or_create_user(slack_id, NOW - 90 * DAY)
    found.timezone = tz
    session.flush()
    return found


def cohort_with(
    session: Any, team: str = "T1", channel: str = "C1", mentor: str = "UM"
) -> tuple[Cohort, User]:
    boss = user(session, team, mentor)
    return CohortStore(session, team).create(channel, f"Cohort {channel}", boss, NOW - 60 * DAY), boss


# ---- cohorts, mentors, members ----------------------------------------------------------------------


def test_one_cohort_per_channel_and_its_defaults(db: Database) -> None:
    with db.session() as session:
        cohort, mentor = cohort_with(session)
        store = CohortStore(session, "T1")
        with pytest.raises(ChannelTaken):
            store.create("C1", "Again", mentor, NOW)
        assert store.by_channel("C1") is cohort and store.get(cohort.id) is cohort
        assert (cohort.status, cohort.created_by_id) == ("active", mentor.id)
        assert schedule_of(cohort) == DigestSchedule(0, time(9), "Europe/Berlin")
        assert targets_of(cohort) == CohortTargets(3, 1)
        # Created on Sunday 11 January: its first digest is the next Monday 09:00 in Berlin.
        assert cohort.next_digest_at == utc(2026, 1, 12, 8, 0)
        assert store.role_of(cohort, mentor) is Role.MENTOR
        # The same channel id in another workspace is another cohort.
        other, _ = cohort_with(session, team="T2")
        assert other.id != cohort.id


def test_co_mentors_roles_and_my_cohorts(db: Database) -> None:
    with db.session() as session:
        cohort, mentor = cohort_with(session)
        second, _ = cohort_with(session, channel="C2", mentor="UM2")
        store = CohortStore(session, "T1")
        co, student = user(session, "T1", "UCO"), user(session, "T1", "US")
        assert store.add_mentor(cohort, co, NOW, added_by=mentor)
        assert not store.add_mentor(cohort, co, NOW)
        store.join(second, mentor, NOW)  # a mentor of C1 may be a student in C2
        store.join(cohort, student, NOW)
        co.unreachable_since = NOW
        assert [(m.slack_user_id, m.reachable) for m in store.mentors(cohort)] == [
            ("UM", True),
            ("UCO", False),
        ]
        assert (store.role_of(cohort, co), store.role_of(cohort, student)) == (Role.MENTOR, Role.STUDENT)
        assert store.role_of(second, student) is None
        assert [(c.channel_id, r) for c, r in store.cohorts_of(mentor)] == [
            ("C1", Role.MENTOR),
            ("C2", Role.STUDENT),
        ]
        assert store.remove_mentor(cohort, co) and store.role_of(cohort, co) is None


def test_join_state_sharing_leave_and_rejoin(db: Database) -> None:
    with db.session() as session:
        cohort, _ = cohort_with(session)
        store, records = CohortStore(session, "T1"), CohortRecords(session, "T1")
        student, other = user(session, "T1", "US"), user(session, "T1", "UO")
        mine = Repository(session, "T1").add_contact(
            student, {"name": "Ada", "degree": "first"}, core.Stage.TARGET, NOW
        )
        theirs = Repository(session, "T1").add_contact(
            other, {"name": "Bob", "degree": "first"}, core.Stage.TARGET, NOW
        )
        joined = store.join(cohort, student, NOW - 10 * DAY, SharingLevel.STAGES, celebrate=True)
        assert (joined.state, joined.sharing, joined.celebrate) == (
            MemberState.ACTIVE,
            SharingLevel.STAGES,
            True,
        )
        placed = store.set_state(
            cohort,
            student,
            MemberState.PLACED,
            NOW,
            Placement("Analyst at Acme", date(2026, 3, 10), theirs.id),
        )
        # Someone else's contact is not kept as what led to it.
        assert placed is not None and placed.placement == Placement(
            "Analyst at Acme", date(2026, 3, 10), None
        )
        store.set_state(
            cohort, student, MemberState.PLACED, NOW, Placement("Analyst at Acme", date(2026, 3, 10), mine.id)
        )
        assert store.member(cohort, student).placement.contact_id == mine.id  # type: ignore[union-attr]
        assert records.share(cohort, student, ShareKind.CONTACT, mine.id, NOW)
        assert store.leave(cohort, student, NOW)
        assert store.member(cohort, student) is None and store.members(cohort) == []
        assert records.shares(cohort, student) == [] and not store.leave(cohort, student, NOW)
        again = store.join(cohort, student, NOW + DAY)
        assert (again.state, again.sharing, again.placement, again.joined_at) == (
            MemberState.ACTIVE,
            SharingLevel.COUNTS,
            None,
            NOW + DAY,
        )
        assert store.set_state(cohort, other, MemberState.PAUSED, NOW) is None  # not a member


def test_shares_are_the_students_own_items_only(db: Database) -> None:
    with db.session() as session:
        cohort, _ = cohort_with(session)
        store, records, repo = (
            CohortStore(session, "T1"),
            CohortRecords(session, "T1"),
            Repository(session, "T1"),
        )
        student, other = user(session, "T1", "US"), user(session, "T1", "UO")
        store.join(cohort, student, NOW)
        store.join(cohort, other, NOW)
        mine = repo.add_contact(student, {"name": "Ada", "degree": "first"}, core.Stage.SCHEDULED, NOW)
        talk = repo.add_interview(mine, NOW, 30, core.InterviewFormat.VIDEO, "", NOW)
        theirs = repo.add_contact(other, {"name": "Bob", "degree": "first"}, core.Stage.TARGET, NOW)
        assert records.share(cohort, student, ShareKind.CONTACT, mine.id, NOW)
        assert records.share(cohort, student, ShareKind.CONTACT, mine.id, NOW + DAY)  # once, however often
        assert records.share(cohort, student, ShareKind.INTERVIEW, talk.id, NOW)
        assert not records.share(cohort, student, ShareKind.CONTACT, theirs.id, NOW)
        assert not records.share(cohort, other, ShareKind.INTERVIEW, talk.id, NOW)
        shared = records.shares(cohort, student)
        assert [(s.kind, s.contact_id, s.interview_id, s.level) for s in shared] == [
            (ShareKind.CONTACT, mine.id, None, SharingLevel.CONTACT),
            (ShareKind.INTERVIEW, mine.id, talk.id, SharingLevel.TAKEAWAYS),
        ]
        assert records.unshare(cohort, student, ShareKind.CONTACT, mine.id)
        assert [s.kind for s in records.shares(cohort, student)] == [ShareKind.INTERVIEW]


def test_notes_views_and_nudges(db: Database) -> None:
    with db.session() as session:
        cohort, mentor = cohort_with(session)
        store, records = CohortStore(session, "T1"), CohortRecords(session, "T1")
        student = user(session, "T1", "US")
        records.record_view(cohort, mentor, "report", NOW - 5 * DAY)  # before they joined
        store.join(cohort, student, NOW - 4 * DAY)
        records.record_view(cohort, mentor, "report", NOW - 3 * DAY)
        records.record_view(cohort, mentor, "student", NOW - 2 * DAY, student=student)
        records.add_note(cohort, student, mentor, "Exams until the 20th.", NOW - DAY)
        assert [(v.viewer_slack_id, v.what, v.whole_cohort) for v in records.views_of(cohort, student)] == [
            ("UM", "student", False),
            ("UM", "report", True),
        ]
        assert [(n.author_slack_id, n.body) for n in records.notes(cohort, student)] == [
            ("UM", "Exams until the 20th.")
        ]
        records.record_nudge(cohort, mentor, student, utc(2026, 3, 11, 22, 30), BERLIN)  # 23:30 in Berlin
        records.record_nudge(cohort, mentor, student, utc(2026, 3, 11, 23, 30), BERLIN)  # 00:30 next day
        assert records.nudges_on(cohort, student, date(2026, 3, 11)) == [utc(2026, 3, 11, 22, 30)]
        assert records.nudges_on(cohort, student, date(2026, 3, 12)) == [utc(2026, 3, 11, 23, 30)]


def test_closing_keeps_only_counts(db: Database) -> None:
    with db.session() as session:
        cohort, mentor = cohort_with(session)
        store, records = CohortStore(session, "T1"), CohortRecords(session, "T1")
        student = user(session, "T1", "US")
        contact = Repository(session, "T1").add_contact(
            student, {"name": "Ada", "degree": "first"}, core.Stage.TARGET, NOW
        )
        store.join(cohort, student, NOW)
        records.share(cohort, student, ShareKind.CONTACT, contact.id, NOW)
        records.add_note(cohort, student, mentor, "note", NOW)
        records.record_nudge(cohort, mentor, student, NOW, BERLIN)
        records.record_view(cohort, mentor, "report", NOW, student=student)
        store.close(cohort, NOW + DAY)
        assert (cohort.status, cohort.closed_at, cohort.next_digest_at) == ("closed", NOW + DAY, None)
        assert records.shares(cohort, student) == [] and records.notes(cohort, student) == []
        assert records.nudges_on(cohort, student, NOW.date()) == []
        assert len(records.views_of(cohort, student)) == 1 and len(store.members(cohort)) == 1
        assert session.get(Contact, contact.id) is not None  # the student keeps their own data
        slot = digest_slot(date(2026, 3, 16), schedule_of(cohort))
        assert DigestLog(session, "T1").claim_digest(cohort, slot, slot.due_at, LEASE) is None


# ---- scoping ----------------------------------------------------------------------------------------


def test_two_workspaces_never_mix(db: Database) -> None:
    with db.session() as session:
        one, mentor_one = cohort_with(session, "T1")
        two, mentor_two = cohort_with(session, "T2")
        t1, t2 = CohortStore(session, "T1"), CohortStore(session, "T2")
        student_one, student_two = user(session, "T1", "US"), user(session, "T2", "US")
        t1.join(one, student_one, NOW)
        t2.join(two, student_two, NOW)
        CohortRecords(session, "T1").add_note(one, student_one, mentor_one, "T1 only", NOW)
        Repository(session, "T2").add_contact(
            student_two, {"name": "X", "degree": "cold"}, core.Stage.TARGET, NOW
        )

        assert t2.get(one.id) is None and t1.get(two.id) is None
        assert [m.user_id for m in t1.members(one)] == [student_one.id]
        assert t2.members(one) == [] and t2.activity_of(one, NOW, BERLIN) == {}
        assert t1.activity_of(one, NOW, BERLIN)[student_one.id].contacts == 0
        assert t2.role_of(one, mentor_one) is None and t2.member(one, student_one) is None
        assert CohortRecords(session, "T2").notes(one, student_one) == []
        assert t2.cohorts_of(mentor_one) == []
        with pytest.raises(ValueError, match="another workspace"):
            t2.join(one, student_two, NOW)
        with pytest.raises(ValueError, match="another workspace"):
            t1.add_mentor(one, mentor_two, NOW)
        with pytest.raises(ValueError, match="another workspace"):
            DigestLog(session, "T2").claim_digest(
                one, digest_slot(date(2026, 3, 9), DigestSchedule()), NOW, LEASE
            )


def test_a_student_of_cohort_a_is_invisible_to_cohort_b(db: Database) -> None:
    with db.session() as session:
        a, _ = cohort_with(session, channel="CA", mentor="UMA")
        b, mentor_b = cohort_with(session, channel="CB", mentor="UMB")
        store, records = CohortStore(session, "T1"), CohortRecords(session, "T1")
        student = user(session, "T1", "US")
        contact = Repository(session, "T1").add_contact(
            student, {"name": "Ada", "degree": "first"}, core.Stage.TARGET, NOW
        )
        store.join(a, student, NOW)
        records.share(a, student, ShareKind.CONTACT, contact.id, NOW)
        assert store.members(b) == [] and store.member(b, student) is None
        assert store.role_of(b, student) is None and store.activity_of(b, NOW, BERLIN) == {}
        assert store.weekly_counts(b, weeks_back(date(2026, 3, 9), 2), BERLIN) == {}
        assert records.shares(b, student) == [] and records.views_of(b, student) == []
        assert not records.share(b, student, ShareKind.CONTACT, contact.id, NOW)
        assert store.set_state(b, student, MemberState.PAUSED, NOW) is None
        assert store.role_of(b, mentor_b) is Role.MENTOR and store.role_of(a, mentor_b) is None


# ---- activity ---------------------------------------------------------------------------------------


def _contact(session: Any, owner: User, name: str, stage: core.Stage, at: datetime, **values: Any) -> Contact:
    return Repository(session, owner.team_id).add_contact(
        owner, {"name": name, "degree": "first", **values}, stage, at
    )


def _attempt(
    session: Any,
    contact: Contact,
    sent_at: datetime,
    outcome: str = "pending",
    replied: datetime | None = None,
) -> None:
    attempt = Repository(session, contact.team_id).add_attempt(contact, core.OutreachChannel.EMAIL, sent_at)
    attempt.outcome, attempt.outcome_at = outcome, replied


def _done(
    session: Any,
    contact: Contact,
    starts: datetime,
    done_at: datetime | None = None,
    thanked: datetime | None = None,
) -> Interview:
    interview = Repository(session, contact.team_id).add_interview(
        contact, starts, 30, core.InterviewFormat.VIDEO, "", starts
    )
    interview.status, interview.done_at, interview.thank_you_at = "done", done_at, thanked
    return interview


def _nudge(
    session: Any, owner: User, contact: Contact, kind: str, status: str, due: datetime, **values: Any
) -> None:
    key = f"{kind}:{contact.id}:{uuid.uuid4().hex[:6]}"
    session.add(
        Nudge(
            team_id=owner.team_id,
            user_id=owner.id,
            contact_id=contact.id,
            kind=kind,
            key=key,
            due_at=due,
            status=status,
            created_at=due,
            **values,
        )
    )


def build_history(session: Any, student: User) -> dict[str, Contact]:
    """One student's contacts, by what each is there to test (see the expectations below)."""
    c: dict[str, Contact] = {}
    c["waiting"] = _contact(session, student, "Ada", core.Stage.REQUESTED, utc(2026, 3, 10, 8))
    _attempt(session, c["waiting"], utc(2026, 3, 10, 8))  # this week's first request
    c["overdue"] = _contact(session, student, "Bob", core.Stage.REQUESTED, utc(2026, 2, 20, 8))
    _attempt(session, c["overdue"], utc(2026, 2, 20, 8))
    _nudge(
        session, student, c["overdue"], "follow_up", "sent", utc(2026, 2, 27, 8), sent_at=utc(2026, 2, 27, 9)
    )
    c["yes"] = _contact(session, student, "Cy", core.Stage.REQUESTED, utc(2026, 3, 2, 8))
    _attempt(session, c["yes"], utc(2026, 3, 2, 8), "yes", utc(2026, 3, 3, 10))
    c["yes"].stage, c["yes"].stage_changed_at = "agreed", utc(2026, 3, 3, 10)
    c["met"] = _contact(session, student, "Di", core.Stage.INTERVIEWED, utc(2026, 2, 10, 8))
    _attempt(session, c["met"], utc(2026, 2, 10, 8), "yes", utc(2026, 2, 11, 8))
    _done(session, c["met"], utc(2026, 2, 16, 10), thanked=utc(2026, 2, 17, 9))
    c["referred"] = _contact(
        session, student, "Ed", core.Stage.TARGET, utc(2026, 2, 17, 9), introducer_contact_id=c["met"].id
    )
    c["unthanked"] = _contact(session, student, "Fay", core.Stage.INTERVIEWED, utc(2026, 3, 6, 8))
    _done(session, c["unthanked"], utc(2026, 3, 9, 15), done_at=utc(2026, 3, 9, 16))
    c["later"] = _contact(session, student, "Gus", core.Stage.REQUESTED, utc(2026, 3, 1, 8))
    _attempt(session, c["later"], utc(2026, 3, 1, 8), "later", utc(2026, 3, 2, 8))
    c["declined"] = _contact(session, student, "Hal", core.Stage.DECLINED, utc(2026, 2, 1, 8))
    _attempt(session, c["declined"], utc(2026, 2, 1, 8), "no", utc(2026, 2, 2, 8))
    c["snoozed"] = _contact(session, student, "Ivy", core.Stage.REQUESTED, utc(2026, 2, 1, 8))
    _attempt(session, c["snoozed"], utc(2026, 2, 1, 8))
    _nudge(session, student, c["snoozed"], "follow_up", "pending", utc(2026, 3, 15, 8), resolution="snoozed")
    session.flush()
    return c


def test_activity_of_a_hand_built_history(db: Database) -> None:
    with db.session() as session:
        cohort, _ = cohort_with(session)
        store = CohortStore(session, "T1")
        student, idle = user(session, "T1", "US"), user(session, "T1", "UI", tz=None)
        idle.preferences = {"window_days": [1, 2, 3, 4, 5]}
        store.join(cohort, student, NOW - 30 * DAY)
        store.join(cohort, idle, NOW - 2 * DAY)
        c = build_history(session, student)
        # Noise that must not count: a non-member, a student of another cohort, another workspace's
        # student with the same Slack id in a cohort of the same channel id.
        outsider = user(session, "T1", "UX")
        _attempt(session, _contact(session, outsider, "Zed", core.Stage.REQUESTED, NOW), NOW)
        elsewhere, _ = cohort_with(session, channel="C9", mentor="UM9")
        store.join(elsewhere, outsider, NOW - 30 * DAY)
        twin_cohort, _ = cohort_with(session, team="T2")
        twin = user(session, "T2", "US")
        CohortStore(session, "T2").join(twin_cohort, twin, NOW - 30 * DAY)
        build_history(session, twin)
        activity = store.activity_of(cohort, NOW, BERLIN)

        assert set(activity) == {student.id, idle.id}
        mine = activity[student.id]
        assert (mine.contacts, mine.requests, mine.replies, mine.referrals_received) == (9, 8, 5, 1)
        assert mine.requests_this_week == 1
        assert dict(mine.stages) == {
            "requested": 4,
            "agreed": 1,
            "interviewed": 2,
            "target": 1,
            "declined": 1,
        }
        assert mine.last_outreach_at == utc(2026, 3, 10, 8) == mine.last_activity_at
        assert mine.joined_at == NOW - 30 * DAY and mine.timezone == "Europe/Berlin"
        assert mine.interviews == (
            InterviewDone(utc(2026, 2, 16, 10, 30), utc(2026, 2, 17, 9), True),
            InterviewDone(utc(2026, 3, 9, 16), None, False),
        )
        assert mine.waiting == tuple(
            sorted(
                (
                    WaitingRequest(c["waiting"].id, utc(2026, 3, 10, 8)),
                    WaitingRequest(c["overdue"].id, utc(2026, 2, 20, 8), utc(2026, 2, 27, 9)),
                ),
                key=lambda w: w.contact_id,
            )
        )
        assert mine.yes_at == (utc(2026, 3, 3, 10),)
        assert activity[idle.id].window == WorkingWindow(frozenset({1, 2, 3, 4, 5}))
        assert activity[idle.id].contacts == 0 and activity[idle.id].joined_at == NOW - 2 * DAY

        # The same counts as the student's own /infoint stats.
        stats = StatsQueries(session, "T1")
        funnel = compute(
            stats.contacts(student.id), stats.attempts(student.id), stats.interviews(student.id)
        ).funnel
        assert (funnel.targets, funnel.requests, funnel.replies, funnel.referrals) == (9, 8, 5, 1)

        rows = report_rows(store.members(cohort), activity, NOW)
        assert [(r.slack_user_id, r.flags) for r in rows] == [
            ("US", (Flag.YES_NOT_BOOKED, Flag.FOLLOW_UP_OVERDUE, Flag.LATE_THANK_YOU, Flag.NO_REFERRAL_ASK)),
            ("UI", ()),
        ]
        assert (rows[0].interviews, rows[0].thank_yous_on_time, rows[0].referrals_asked) == (2, 1, 1)


def test_a_referral_ask_recorded_on_the_reminder_counts(db: Database) -> None:
    with db.session() as session:
        cohort, _ = cohort_with(session)
        student = user(session, "T1", "US")
        CohortStore(session, "T1").join(cohort, student, NOW)
        contact = _contact(session, student, "Ada", core.Stage.INTERVIEWED, NOW - 5 * DAY)
        talk = _done(session, contact, NOW - 4 * DAY)
        _nudge(
            session,
            student,
            contact,
            "referrals",
            "resolved",
            NOW - 4 * DAY,
            interview_id=talk.id,
            resolution="done",
        )
        session.flush()
        [done] = CohortStore(session, "T1").activity_of(cohort, NOW, BERLIN)[student.id].interviews
        assert done.referrals_asked


def test_activity_takes_the_same_number_of_queries_for_any_cohort_size(db: Database) -> None:
    def statements(students: int, channel: str) -> int:
        with db.session() as session:
            cohort, _ = cohort_with(session, channel=channel, mentor=f"M{channel}")
            store = CohortStore(session, "T1")
            for n in range(students):
                member = user(session, "T1", f"U{channel}{n}")
                store.join(cohort, member, NOW - 30 * DAY)
                build_history(session, member)
            session.flush()
            counted: list[str] = []

            def count(*args: Any) -> None:
                counted.append(args[2])

            event.listen(db.engine, "before_cursor_execute", count)
            try:
                activity = store.activity_of(cohort, NOW, BERLIN)
                weekly = store.weekly_counts(cohort, weeks_back(date(2026, 3, 9), 6), BERLIN)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            assert len(activity) == students and len(weekly) == students
            return len(counted)

    assert statements(1, "CS") == statements(12, "CL") == 10 + 5


def test_weekly_counts_in_local_weeks(db: Database) -> None:
    with db.session() as session:
        cohort, _ = cohort_with(session)
        student = user(session, "T1", "US")
        CohortStore(session, "T1").join(cohort, student, NOW)
        build_history(session, student)
        late_sunday = _contact(session, student, "Jo", core.Stage.REQUESTED, utc(2026, 3, 8, 22, 30))
        _attempt(session, late_sunday, utc(2026, 3, 8, 22, 30))  # Sunday 23:30 in Berlin: week of 2 March
        weeks = weeks_back(date(2026, 3, 9), 6)
        weekly = CohortStore(session, "T1").weekly_counts(cohort, weeks, BERLIN)[student.id]
        assert weekly == {
            date(2026, 2, 2): WeekCounts(replies=1),  # Hal's "no" on Monday 2 Feb (asked the day before)
            date(2026, 2, 9): WeekCounts(requests=1, replies=1),  # Di
            date(2026, 2, 16): WeekCounts(requests=1, interviews=1, thank_yous=1, referrals=1),  # Bob; Di; Ed
            date(2026, 2, 23): WeekCounts(requests=1),  # Gus, Sunday 1 March
            date(2026, 3, 2): WeekCounts(requests=2, replies=2),  # Cy and Jo; Cy's yes, Gus's "later"
            date(2026, 3, 9): WeekCounts(requests=1, interviews=1),  # Ada; Fay
        }
        with pytest.raises(ValueError):
            CohortStore(session, "T1").weekly_counts(cohort, [date(2026, 3, 9), date(2026, 3, 2)], BERLIN)


# ---- the digest's claim -----------------------------------------------------------------------------


def test_the_digest_is_claimed_once_by_two_concurrent_claimers(db: Database) -> None:
    with db.session() as session:
        cohort, _ = cohort_with(session)
    slot, _ = digest_slots(NOW, DigestSchedule(0, time(9), "Europe/Berlin"))
    barrier = threading.Barrier(2)
    tokens: list[str | None] = []
    errors: list[BaseException] = []

    def claim() -> None:
        try:
            barrier.wait()
            with db.session() as session:
                tokens.append(DigestLog(session, "T1").claim_digest(cohort, slot, NOW, LEASE))
        except BaseException as error:  # reported below, with the thread's own error
            errors.append(error)

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    [token] = [t for t in tokens if t is not None]
    assert tokens.count(None) == 1

    with db.session() as session:
        log = DigestLog(session, "T1")
        assert log.claim_digest(cohort, slot, NOW + DAY, LEASE) is None  # still held
        assert log.digest_sent(token, NOW, "C1", "123.456", {"requests": 4})
        assert not log.digest_sent(token, NOW, "C1", "123.456")  # once
        [row] = log.digests(cohort)
        assert (row.status, row.week, row.channel, row.totals, row.delivery_attempts) == (
            "sent",
            date(2026, 3, 9),
            "C1",
            {"requests": 4},
            1,
        )
        assert log.claim_digest(cohort, slot, NOW + DAY, LEASE) is None  # sent: never again this week


def test_a_failed_post_is_released_and_claimed_again_within_its_week(db: Database) -> None:
    with db.session() as session:
        cohort, _ = cohort_with(session)
        log = DigestLog(session, "T1")
        slot, following = digest_slots(NOW, schedule_of(cohort))
        token = log.claim_digest(cohort, slot, NOW, LEASE)
        assert token is not None and log.release_digest(token, "ratelimited")
        assert not log.release_digest(token, "twice")
        again = log.claim_digest(cohort, slot, NOW + timedelta(minutes=1), LEASE)
        assert again is not None and again != token
        assert log.digests(cohort)[0].delivery_attempts == 2
        assert log.claim_digest(cohort, slot, slot.expires_at, LEASE) is None  # its week is over
        assert DigestSweep(session).expired_claims(NOW + LEASE, 10) == []
        [left] = DigestSweep(session).expired_claims(NOW + timedelta(minutes=1) + LEASE, 10)
        assert left.claim_token == again
        assert log.claim_digest(cohort, following, following.due_at, LEASE) is not None  # next week's


def test_the_sweep_finds_active_cohorts_that_are_due(db: Database) -> None:
    with db.session() as session:
        due, _ = cohort_with(session, channel="C1")
        later, _ = cohort_with(session, "T2", channel="C2")
        paused, _ = cohort_with(session, channel="C3", mentor="UM3")
        due.next_digest_at, later.next_digest_at, paused.next_digest_at = NOW - DAY, NOW + DAY, NOW - DAY
        CohortStore(session, "T1").set_status(paused, CohortStatus.PAUSED, NOW, "channel_archived")
        paused.next_digest_at = NOW - DAY  # even if a stale time were left
        session.flush()
        assert [c.id for c in DigestSweep(session).due(NOW, 10)] == [due.id]
        CohortStore(session, "T1").set_status(paused, CohortStatus.ACTIVE, NOW, None)
        assert paused.next_digest_at == utc(2026, 3, 16, 8)  # Monday 09:00 in Berlin


def test_a_deactivated_student_stays_in_the_numbers(db: Database) -> None:
    with db.session() as session:
        cohort, _ = cohort_with(session)
        store = CohortStore(session, "T1")
        gone = user(session, "T1", "UGONE")
        store.join(cohort, gone, NOW - 10 * DAY)
        _attempt(session, _contact(session, gone, "Ada", core.Stage.REQUESTED, NOW - 9 * DAY), NOW - 9 * DAY)
        gone.unreachable_since, gone.unreachable_reason = NOW, "user_disabled"
        [member] = store.members(cohort)
        assert not member.reachable
        assert store.activity_of(cohort, NOW, BERLIN)[gone.id].requests == 1


# ---- the migration ----------------------------------------------------------------------------------


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[Database]:
    """An empty database of the backend under test, apart from the session's."""
    url = os.environ.get("INFOINT_TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        fresh = Database(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield fresh
        fresh.dispose()
        return
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = Database(url)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    fresh = Database(normalise_url(url) + f"{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}")
    try:
        yield fresh
    finally:
        fresh.dispose()
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_migration_0004_upgrades_and_downgrades_with_data(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as fresh:
        config = fresh.alembic_config()
        command.upgrade(config, "0003")
        stamp = "2026-01-01 00:00:00"
        with fresh.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO workspaces (team_id, created_at) VALUES ('T1', :at)"), {"at": stamp}
            )
            conn.execute(
                text(
                    "INSERT INTO users (id, team_id, slack_user_id, preferences, created_at)"
                    " VALUES (:id, 'T1', :slack, '{}', :at)"
                ),
                [{"id": n, "slack": s, "at": stamp} for n, s in enumerate(("UM", "UA", "UB"), start=1)],
            )
            conn.execute(
                text(
                    "INSERT INTO cohorts (id, team_id, channel_id, name, mentor_id, created_at)"
                    " VALUES (1, 'T1', 'C1', 'One', 1, :at)"
                ),
                {"at": stamp},
            )
            conn.execute(
                text(
                    "INSERT INTO cohort_members (team_id, cohort_id, user_id, shares_details, joined_at)"
                    " VALUES ('T1', 1, :user, :shares, :at)"
                ),
                [{"user": 2, "shares": True, "at": stamp}, {"user": 3, "shares": False, "at": stamp}],
            )
        command.upgrade(config, "0004")
        assert fresh.current_revision() == "0004"
        with fresh.session() as session:
            cohort = session.get(Cohort, 1)
            assert cohort is not None and (cohort.created_by_id, cohort.status, cohort.digest_time) == (
                1,
                "active",
                "09:00",
            )
            store = CohortStore(session, "T1")
            assert [(m.slack_user_id, m.sharing) for m in store.members(cohort)] == [
                ("UA", SharingLevel.STAGES),
                ("UB", SharingLevel.COUNTS),
            ]
            assert store.role_of(cohort, session.get(User, 1)) is Role.MENTOR  # type: ignore[arg-type]
            session.add(
                CohortDigest(team_id="T1", cohort_id=1, week=date(2026, 1, 5), due_at=NOW, created_at=NOW)
            )
        command.downgrade(config, "0003")
        with fresh.engine.connect() as conn:
            assert conn.execute(text("SELECT id, mentor_id FROM cohorts")).all() == [(1, 1)]
            members = conn.execute(
                text("SELECT user_id, shares_details FROM cohort_members ORDER BY user_id")
            ).all()
            assert [(u, bool(s)) for u, s in members] == [(2, True), (3, False)]
            assert "cohort_digests" not in {
                name for (name,) in conn.execute(text(_TABLES[fresh.dialect])).all()
            }
        command.upgrade(config, "head")
        with fresh.session() as session:
            assert session.scalar(select(Cohort.created_by_id)) == 1


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}
