"""The nudge rules (METHOD.md sections 4–8): which reminder is due when, and under which key. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.nudges import (
    ContactFacts,
    InterviewFacts,
    Nudge,
    NudgeKind,
    NudgeSettings,
    Plan,
    contact_nudges,
    last_touch,
    may_deliver,
    plan,
    plan_contact,
    plan_weekly,
    weekly_plan_nudges,
)
from bot.domain.pipeline import (
    Attempt,
    AttemptOutcome,
    InterviewStatus,
    OutreachChannel,
    PipelineSettings,
    Stage,
)
from bot.domain.window import WorkingWindow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)
DEFAULT = NudgeSettings()
PENDING, LATER = AttemptOutcome.PENDING, AttemptOutcome.LATER


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def sent(at: datetime, outcome: AttemptOutcome = PENDING, replied_at: datetime | None = None) -> Attempt:
    return Attempt(at, OutreachChannel.EMAIL, outcome, replied_at)


def requested(*attempts: Attempt, contact_id: int = 1) -> ContactFacts:
    return ContactFacts(contact_id, "Ada Lovelace", Stage.REQUESTED, T0 - DAY, attempts=attempts)


def interview(
    starts_at: datetime,
    status: InterviewStatus = InterviewStatus.SCHEDULED,
    minutes: int = 30,
    interview_id: int = 10,
    **kw: datetime | None,
) -> InterviewFacts:
    return InterviewFacts(interview_id, starts_at, minutes, status, **kw)


def met(*interviews: InterviewFacts, stage: Stage = Stage.INTERVIEWED, **kw: object) -> ContactFacts:
    facts: dict[str, object] = {"referrals": 2, **kw}
    return ContactFacts(7, "Grace Hopper", stage, T0 - 30 * DAY, interviews=interviews, **facts)  # type: ignore[arg-type]


def of_kind(nudges: Plan | list[Nudge], kind: NudgeKind) -> list[Nudge]:
    items = nudges.due if isinstance(nudges, Plan) else nudges
    return [n for n in items if n.kind is kind]


def due_kinds(p: Plan) -> list[NudgeKind]:
    return [n.kind for n in p.due]


# ---- follow-ups (section 4) -----------------------------------------------------------------------------


class TestFollowUp:
    def test_nothing_due_a_minute_before_seven_days(self) -> None:
        p = plan_contact(requested(sent(T0)), T0 + 7 * DAY - MINUTE, DEFAULT)
        assert p.due == ()
        assert p.next_check == T0 + 7 * DAY
        assert p.keys == {"follow_up:1:1"}

    def test_due_at_exactly_seven_days(self) -> None:
        p = plan_contact(requested(sent(T0)), T0 + 7 * DAY, DEFAULT)
        assert len(p.due) == 1
        nudge = p.due[0]
        assert nudge.kind is NudgeKind.FOLLOW_UP
        assert nudge.due_at == T0 + 7 * DAY
        assert nudge.contact_id == 1
        assert nudge.expires_at is None
        assert p.next_check is None

    def test_still_due_long_after(self) -> None:
        assert due_kinds(plan_contact(requested(sent(T0)), T0 + 60 * DAY, DEFAULT)) == [NudgeKind.FOLLOW_UP]

    def test_key_changes_with_the_number_of_attempts(self) -> None:
        one = contact_nudges(requested(sent(T0)), DEFAULT)
        two = contact_nudges(requested(sent(T0), sent(T0 + 7 * DAY)), DEFAULT)
        assert [n.key for n in one] == ["follow_up:1:1"]
        assert [n.key for n in two] == ["follow_up:1:2"]

    def test_key_names_the_contact(self) -> None:
        assert contact_nudges(requested(sent(T0), contact_id=42), DEFAULT)[0].key == "follow_up:42:1"

    def test_counts_from_the_latest_attempt_whatever_the_order(self) -> None:
        nudges = contact_nudges(requested(sent(T0 + 8 * DAY), sent(T0)), DEFAULT)
        assert [(n.kind, n.due_at) for n in nudges] == [(NudgeKind.PHONE_CALL, T0 + 15 * DAY)]

    def test_two_unanswered_attempts_call_for_a_phone_call(self) -> None:
        contact = requested(sent(T0), sent(T0 + 7 * DAY))
        assert plan_contact(contact, T0 + 14 * DAY - SECOND, DEFAULT).due == ()
        p = plan_contact(contact, T0 + 14 * DAY, DEFAULT)
        assert due_kinds(p) == [NudgeKind.PHONE_CALL]
        assert p.due[0].due_at == T0 + 14 * DAY

    def test_three_unanswered_attempts_mean_move_on_a_week_after_the_third(self) -> None:
        contact = requested(sent(T0), sent(T0 + 7 * DAY), sent(T0 + 14 * DAY))
        before = plan_contact(contact, T0 + 21 * DAY - SECOND, DEFAULT)
        assert before.due == ()
        assert before.next_check == T0 + 21 * DAY
        p = plan_contact(contact, T0 + 21 * DAY, DEFAULT)
        assert due_kinds(p) == [NudgeKind.MOVE_ON]
        assert p.due[0].key == "move_on:1:3"

    def test_more_than_max_attempts_still_move_on(self) -> None:
        contact = requested(*(sent(T0 + i * DAY) for i in range(5)))
        [nudge] = contact_nudges(contact, DEFAULT)
        assert (nudge.kind, nudge.key, nudge.due_at) == (NudgeKind.MOVE_ON, "move_on:1:5", T0 + 11 * DAY)

    def test_later_reply_gives_a_follow_up_fourteen_days_after_the_reply(self) -> None:
        replied = T0 + 2 * DAY + 5 * HOUR
        contact = requested(sent(T0, LATER, replied))
        assert plan_contact(contact, replied + 14 * DAY - SECOND, DEFAULT).due == ()
        assert plan_contact(contact, T0 + 7 * DAY, DEFAULT).due == ()  # not the usual 7 days
        p = plan_contact(contact, replied + 14 * DAY, DEFAULT)
        [nudge] = p.due
        assert nudge.kind is NudgeKind.FOLLOW_UP
        assert nudge.due_at == replied + 14 * DAY
        assert nudge.key == f"follow_up:1:1:later:{int(replied.timestamp())}"

    def test_later_without_a_reply_time_counts_from_the_attempt(self) -> None:
        [nudge] = contact_nudges(requested(sent(T0, LATER)), DEFAULT)
        assert nudge.due_at == T0 + 14 * DAY

    def test_later_uses_the_latest_later_reply(self) -> None:
        contact = requested(sent(T0, LATER, T0 + DAY), sent(T0 + 20 * DAY, LATER, T0 + 21 * DAY))
        [nudge] = contact_nudges(contact, DEFAULT)
        assert nudge.due_at == T0 + 35 * DAY
        assert nudge.key == f"follow_up:1:2:later:{int((T0 + 21 * DAY).timestamp())}"

    def test_a_new_later_reply_gives_a_new_key(self) -> None:
        first = contact_nudges(requested(sent(T0, LATER, T0 + DAY)), DEFAULT)[0]
        again = contact_nudges(requested(sent(T0, LATER, T0 + 16 * DAY)), DEFAULT)[0]
        assert again.due_at == T0 + 30 * DAY
        assert again.key != first.key

    def test_attempts_after_a_later_reply_count_afresh(self) -> None:
        answered = sent(T0, LATER, T0 + DAY)
        one = contact_nudges(requested(answered, sent(T0 + 15 * DAY)), DEFAULT)
        assert [(n.kind, n.due_at, n.key) for n in one] == [
            (NudgeKind.FOLLOW_UP, T0 + 22 * DAY, "follow_up:1:2")
        ]
        two = contact_nudges(requested(answered, sent(T0 + 15 * DAY), sent(T0 + 22 * DAY)), DEFAULT)
        assert [n.kind for n in two] == [NudgeKind.PHONE_CALL]
        three = contact_nudges(
            requested(answered, sent(T0 + 15 * DAY), sent(T0 + 22 * DAY), sent(T0 + 29 * DAY)), DEFAULT
        )
        assert [(n.kind, n.key) for n in three] == [(NudgeKind.MOVE_ON, "move_on:1:4")]

    def test_follow_up_interval_from_settings(self) -> None:
        quick = NudgeSettings(pipeline=PipelineSettings(follow_up_after=timedelta(days=3)))
        contact = requested(sent(T0))
        assert plan_contact(contact, T0 + 3 * DAY - SECOND, quick).due == ()
        assert due_kinds(plan_contact(contact, T0 + 3 * DAY, quick)) == [NudgeKind.FOLLOW_UP]

    def test_later_interval_from_settings(self) -> None:
        rules = NudgeSettings(pipeline=PipelineSettings(later_follow_up_after=timedelta(days=30)))
        [nudge] = contact_nudges(requested(sent(T0, LATER, T0)), rules)
        assert nudge.due_at == T0 + 30 * DAY

    @pytest.mark.parametrize(
        ("max_attempts", "unanswered", "expected"),
        [
            (1, 1, NudgeKind.MOVE_ON),
            (2, 1, NudgeKind.PHONE_CALL),
            (2, 2, NudgeKind.MOVE_ON),
            (5, 3, NudgeKind.FOLLOW_UP),
            (5, 4, NudgeKind.PHONE_CALL),
            (5, 5, NudgeKind.MOVE_ON),
        ],
    )
    def test_max_attempts_from_settings(
        self, max_attempts: int, unanswered: int, expected: NudgeKind
    ) -> None:
        rules = NudgeSettings(pipeline=PipelineSettings(max_attempts=max_attempts))
        contact = requested(*(sent(T0 + i * 7 * DAY) for i in range(unanswered)))
        [nudge] = contact_nudges(contact, rules)
        assert nudge.kind is expected
        assert nudge.due_at == T0 + unanswered * 7 * DAY

    def test_requested_without_a_recorded_attempt_counts_from_when_it_was_logged(self) -> None:
        # An old record: "request sent" logged with no attempt row. It is not left with no action.
        [nudge] = contact_nudges(requested(), DEFAULT)
        assert nudge.kind is NudgeKind.FOLLOW_UP
        assert nudge.key == "follow_up:1:0"
        assert nudge.due_at == T0 - DAY + 7 * DAY

    @pytest.mark.parametrize("stage", [s for s in Stage if s is not Stage.REQUESTED])
    def test_only_for_requested(self, stage: Stage) -> None:
        contact = replace(requested(sent(T0), sent(T0 + DAY), sent(T0 + 2 * DAY)), stage=stage)
        assert contact_nudges(contact, DEFAULT) == []
        assert plan_contact(contact, T0 + 365 * DAY, DEFAULT) == Plan((), None, frozenset())


class TestIntroductionFollowUp:
    """A request for an introduction (2nd degree): the follow-up is to the introducer (issue 9)."""

    def asked(self, *attempts: Attempt) -> ContactFacts:
        return replace(requested(*attempts), has_introducer=True)

    def introduction(self, at: datetime, outcome: AttemptOutcome = PENDING) -> Attempt:
        return Attempt(at, OutreachChannel.INTRODUCTION, outcome)

    def test_a_week_of_silence_brings_a_follow_up_with_the_introducer(self) -> None:
        [nudge] = contact_nudges(self.asked(self.introduction(T0)), DEFAULT)
        assert nudge.kind is NudgeKind.INTRO_FOLLOW_UP and nudge.key == "intro_follow_up:1:1"
        assert nudge.due_at == T0 + 7 * DAY

    def test_no_phone_call_to_the_introducer_and_move_on_after_the_last_try(self) -> None:
        two = self.asked(self.introduction(T0), self.introduction(T0 + 7 * DAY))
        assert [n.kind for n in contact_nudges(two, DEFAULT)] == [NudgeKind.INTRO_FOLLOW_UP]
        three = self.asked(*two.attempts, self.introduction(T0 + 14 * DAY))
        assert [n.key for n in contact_nudges(three, DEFAULT)] == ["move_on:1:3"]

    def test_a_direct_request_after_the_introduction_is_followed_up_with_the_contact(self) -> None:
        facts = self.asked(self.introduction(T0, AttemptOutcome.INTRODUCED), sent(T0 + 2 * DAY))
        [nudge] = contact_nudges(facts, DEFAULT)
        assert nudge.kind is NudgeKind.FOLLOW_UP and nudge.key == "follow_up:1:2"
        assert nudge.due_at == T0 + 9 * DAY

    def test_keys_for_direct_requests_are_unchanged(self) -> None:
        assert [n.key for n in contact_nudges(requested(sent(T0)), DEFAULT)] == ["follow_up:1:1"]


# ---- preparation and wrap-up (sections 5, 6) -----------------------------------------------------------


class TestPrepare:
    def prepare(self, contact: ContactFacts, rules: NudgeSettings = DEFAULT) -> Nudge:
        [nudge] = of_kind(contact_nudges(contact, rules), NudgeKind.PREPARE)
        return nudge

    def test_tuesday_interview_prepares_monday_at_opening(self) -> None:
        start = utc(2026, 3, 3, 10, 0)
        nudge = self.prepare(met(interview(start), stage=Stage.SCHEDULED))
        assert nudge.due_at == utc(2026, 3, 2, 9, 0)
        assert nudge.expires_at == start
        assert (nudge.contact_id, nudge.interview_id) == (7, 10)

    def test_monday_interview_prepares_the_friday_before(self) -> None:
        nudge = self.prepare(met(interview(utc(2026, 3, 9, 10, 0)), stage=Stage.SCHEDULED))
        assert nudge.due_at == utc(2026, 3, 6, 9, 0)

    def test_in_the_users_timezone_across_spring_forward(self) -> None:
        ny = NudgeSettings(timezone="America/New_York")
        # Monday 2026-03-09 10:00 EDT = 14:00 UTC → Friday 09:00 EST = 14:00 UTC.
        assert self.prepare(met(interview(utc(2026, 3, 9, 14, 0)), stage=Stage.SCHEDULED), ny).due_at == utc(
            2026, 3, 6, 14, 0
        )
        # Tuesday 2026-03-10 10:00 EDT → Monday 09:00 EDT = 13:00 UTC.
        assert self.prepare(met(interview(utc(2026, 3, 10, 14, 0)), stage=Stage.SCHEDULED), ny).due_at == utc(
            2026, 3, 9, 13, 0
        )

    def test_local_day_not_utc_day(self) -> None:
        # Tuesday 08:00 in Tokyo = Monday 23:00 UTC → Monday 09:00 JST = Monday 00:00 UTC.
        tokyo = NudgeSettings(timezone="Asia/Tokyo")
        nudge = self.prepare(met(interview(utc(2026, 3, 2, 23, 0)), stage=Stage.SCHEDULED), tokyo)
        assert nudge.due_at == utc(2026, 3, 2, 0, 0)

    def test_custom_window(self) -> None:
        rules = NudgeSettings(window=WorkingWindow(frozenset({1, 3}), time(7, 30), time(12)))
        # Monday interview: the last working day before is Thursday.
        nudge = self.prepare(met(interview(utc(2026, 3, 9, 10, 0)), stage=Stage.SCHEDULED), rules)
        assert nudge.due_at == utc(2026, 3, 5, 7, 30)

    def test_due_then_expires_at_the_start(self) -> None:
        start = utc(2026, 3, 3, 10, 0)
        contact = met(interview(start), stage=Stage.SCHEDULED)
        key = self.prepare(contact).key
        early = plan_contact(contact, utc(2026, 3, 2, 8, 59, 59), DEFAULT)
        assert early.due == ()
        assert early.next_check == utc(2026, 3, 2, 9, 0)
        assert key in early.keys
        assert due_kinds(plan_contact(contact, utc(2026, 3, 2, 9, 0), DEFAULT)) == [NudgeKind.PREPARE]
        assert due_kinds(plan_contact(contact, start - SECOND, DEFAULT)) == [NudgeKind.PREPARE]
        for now in (start, start + MINUTE, start + 29 * MINUTE):
            p = plan_contact(contact, now, DEFAULT)
            assert NudgeKind.PREPARE not in due_kinds(p)
            assert key not in p.keys

    def test_booked_at_short_notice_is_due_at_once(self) -> None:
        start = utc(2026, 3, 3, 10, 0)
        contact = met(interview(start), stage=Stage.SCHEDULED)
        assert due_kinds(plan_contact(contact, start - HOUR, DEFAULT)) == [NudgeKind.PREPARE]

    @pytest.mark.parametrize("status", [InterviewStatus.CANCELLED, InterviewStatus.MISSED])
    def test_cancelled_or_missed_gives_nothing_to_prepare_or_wrap_up(self, status: InterviewStatus) -> None:
        contact = met(
            interview(utc(2026, 3, 3, 10, 0), status), stage=Stage.AGREED, has_introducer=True, referrals=0
        )
        # Only a missed one asks, a few working days on, to find a new time (see TestRebook).
        expected = [NudgeKind.REBOOK] if status is InterviewStatus.MISSED else []
        assert [n.kind for n in contact_nudges(contact, DEFAULT)] == expected

    def test_key_includes_the_start_so_a_reschedule_gives_a_new_key(self) -> None:
        first = self.prepare(met(interview(utc(2026, 3, 3, 10, 0)), stage=Stage.SCHEDULED))
        moved = self.prepare(met(interview(utc(2026, 3, 3, 11, 0)), stage=Stage.SCHEDULED))
        assert first.key == f"prepare:10:{int(utc(2026, 3, 3, 10, 0).timestamp())}"
        assert moved.key != first.key
        assert moved.key.startswith("prepare:10:")


class TestWrapUp:
    def test_due_at_the_scheduled_end(self) -> None:
        start = utc(2026, 3, 3, 10, 0)
        contact = met(interview(start, minutes=25), stage=Stage.SCHEDULED)
        [wrap] = of_kind(contact_nudges(contact, DEFAULT), NudgeKind.WRAP_UP)
        assert wrap.due_at == start + 25 * MINUTE
        assert wrap.interview_id == 10
        assert wrap.key == f"wrap_up:10:{int(start.timestamp())}"
        during = plan_contact(contact, start + 25 * MINUTE - SECOND, DEFAULT)
        assert during.due == ()
        assert during.next_check == start + 25 * MINUTE
        assert due_kinds(plan_contact(contact, start + 25 * MINUTE, DEFAULT)) == [NudgeKind.WRAP_UP]

    def test_two_interviews_give_their_own_nudges(self) -> None:
        contact = met(
            interview(utc(2026, 3, 3, 10, 0)),
            interview(utc(2026, 3, 5, 10, 0), interview_id=11),
            stage=Stage.SCHEDULED,
        )
        nudges = contact_nudges(contact, DEFAULT)
        assert Counter(n.kind for n in nudges) == {NudgeKind.PREPARE: 2, NudgeKind.WRAP_UP: 2}
        assert len({n.key for n in nudges}) == 4


# ---- booking a time after a "yes", and after a missed interview (section 4) ---------------------------


def said_yes(at: datetime, *interviews: InterviewFacts, contact_id: int = 5) -> ContactFacts:
    attempt = sent(at - 3 * DAY, AttemptOutcome.YES, at)
    return ContactFacts(
        contact_id, "Sofia", Stage.AGREED, T0 - 9 * DAY, attempts=(attempt,), interviews=interviews
    )


PARIS = NudgeSettings(timezone="Europe/Paris")


class TestBook:
    def test_due_at_the_opening_of_the_second_working_day_after_the_yes(self) -> None:
        yes = utc(2026, 3, 2, 14, 0)  # Monday afternoon
        [book] = contact_nudges(said_yes(yes), DEFAULT)
        assert book.kind is NudgeKind.BOOK and book.contact_id == 5
        assert book.due_at == utc(2026, 3, 4, 9, 0)  # Wednesday 09:00
        assert book.key == f"book:5:{int(yes.timestamp())}"
        assert due_kinds(plan_contact(said_yes(yes), book.due_at - SECOND, DEFAULT)) == []
        assert due_kinds(plan_contact(said_yes(yes), book.due_at, DEFAULT)) == [NudgeKind.BOOK]

    def test_a_friday_yes_is_reminded_on_tuesday_in_the_students_timezone(self) -> None:
        [book] = contact_nudges(said_yes(utc(2026, 3, 6, 16, 0)), PARIS)
        assert book.due_at == utc(2026, 3, 10, 8, 0)  # Tuesday 09:00 in Paris

    def test_a_new_yes_is_a_new_key(self) -> None:
        first = contact_nudges(said_yes(utc(2026, 3, 2, 14, 0)), DEFAULT)[0].key
        again = contact_nudges(said_yes(utc(2026, 3, 9, 14, 0)), DEFAULT)[0].key
        assert first != again and first.startswith("book:5:") and again.startswith("book:5:")

    def test_gone_once_an_interview_is_booked(self) -> None:
        yes = utc(2026, 3, 2, 14, 0)
        booked = replace(said_yes(yes, interview(utc(2026, 3, 12, 10, 0))), stage=Stage.SCHEDULED)
        assert NudgeKind.BOOK not in [n.kind for n in contact_nudges(booked, DEFAULT)]
        assert f"book:5:{int(yes.timestamp())}" not in plan_contact(booked, utc(2026, 3, 4, 9), DEFAULT).keys

    @pytest.mark.parametrize("stage", [s for s in Stage if s is not Stage.AGREED])
    def test_only_for_a_yes_not_yet_booked(self, stage: Stage) -> None:
        facts = replace(said_yes(utc(2026, 3, 2, 14, 0)), stage=stage)
        assert NudgeKind.BOOK not in [n.kind for n in contact_nudges(facts, DEFAULT)]

    def test_without_a_recorded_yes_nothing_to_date_it_by(self) -> None:
        facts = replace(said_yes(utc(2026, 3, 2, 14, 0)), attempts=())
        assert contact_nudges(facts, DEFAULT) == []


class TestRebook:
    def missed(self, starts: datetime, *more: InterviewFacts) -> ContactFacts:
        gone = interview(starts, InterviewStatus.MISSED, interview_id=11)
        return said_yes(starts - 5 * DAY, gone, *more)

    def test_three_working_days_after_the_missed_interview(self) -> None:
        [rebook] = contact_nudges(self.missed(utc(2026, 3, 5, 14, 0)), DEFAULT)  # Thursday
        assert rebook.kind is NudgeKind.REBOOK and rebook.interview_id == 11
        assert rebook.key == "rebook:11"
        assert rebook.due_at == utc(2026, 3, 10, 9, 0)  # Fri, Mon, Tue: Tuesday 09:00

    def test_gone_once_a_new_interview_is_booked(self) -> None:
        facts = replace(
            self.missed(utc(2026, 3, 5, 14, 0), interview(utc(2026, 3, 12, 14, 0))), stage=Stage.SCHEDULED
        )
        assert [n.kind for n in contact_nudges(facts, DEFAULT)] == [NudgeKind.PREPARE, NudgeKind.WRAP_UP]

    def test_not_after_a_cancellation(self) -> None:
        cancelled = interview(utc(2026, 3, 5, 14, 0), InterviewStatus.CANCELLED)
        assert contact_nudges(said_yes(utc(2026, 3, 1, 14, 0), cancelled), DEFAULT) == []

    def test_the_latest_interview_decides(self) -> None:
        earlier = interview(utc(2026, 3, 1, 14, 0), InterviewStatus.CANCELLED, interview_id=9)
        facts = self.missed(utc(2026, 3, 5, 14, 0), earlier)
        assert [n.key for n in contact_nudges(facts, DEFAULT)] == ["rebook:11"]


# ---- after the interview (sections 6, 7) ---------------------------------------------------------------

START = utc(2026, 3, 3, 10, 0)
END = START + 30 * MINUTE


class TestThankYou:
    contact = met(interview(START, InterviewStatus.DONE))

    def test_three_steps(self) -> None:
        steps = of_kind(contact_nudges(self.contact, DEFAULT), NudgeKind.THANK_YOU)
        assert [(n.step, n.due_at, n.overdue) for n in steps] == [
            (1, END, False),
            (2, END + 24 * HOUR, False),
            (3, END + 48 * HOUR, True),
        ]
        assert {n.series for n in steps} == {"thank_you:10"}
        assert [n.key for n in steps] == ["thank_you:10:1", "thank_you:10:2", "thank_you:10:3"]

    def test_nothing_before_the_finish(self) -> None:
        p = plan_contact(self.contact, END - SECOND, DEFAULT)
        assert p.due == ()
        assert p.next_check == END

    @pytest.mark.parametrize(
        ("after", "step"),
        [
            (timedelta(0), 1),
            (24 * HOUR - SECOND, 1),
            (24 * HOUR, 2),
            (48 * HOUR - SECOND, 2),
            (48 * HOUR, 3),
            (50 * HOUR, 3),
            (30 * DAY, 3),
        ],
    )
    def test_only_the_latest_due_step(self, after: timedelta, step: int) -> None:
        p = plan_contact(self.contact, END + after, DEFAULT)
        [nudge] = of_kind(p, NudgeKind.THANK_YOU)
        assert nudge.step == step
        assert nudge.overdue is (step == 3)
        assert {"thank_you:10:1", "thank_you:10:2", "thank_you:10:3"} <= p.keys

    def test_next_check_points_at_the_next_step(self) -> None:
        assert plan_contact(self.contact, END, DEFAULT).next_check == END + 24 * HOUR
        assert plan_contact(self.contact, END + 25 * HOUR, DEFAULT).next_check == END + 48 * HOUR

    def test_none_once_thanked(self) -> None:
        thanked = met(interview(START, InterviewStatus.DONE, thank_you_at=END + HOUR))
        assert of_kind(contact_nudges(thanked, DEFAULT), NudgeKind.THANK_YOU) == []

    def test_finish_is_marked_done_when_later_than_the_end(self) -> None:
        late = met(interview(START, InterviewStatus.DONE, done_at=END + 3 * HOUR))
        steps = of_kind(contact_nudges(late, DEFAULT), NudgeKind.THANK_YOU)
        assert [n.due_at for n in steps] == [END + 3 * HOUR, END + 27 * HOUR, END + 51 * HOUR]

    def test_finish_is_the_scheduled_end_when_marked_done_early(self) -> None:
        early = met(interview(START, InterviewStatus.DONE, done_at=START + 5 * MINUTE))
        assert of_kind(contact_nudges(early, DEFAULT), NudgeKind.THANK_YOU)[0].due_at == END

    def test_only_thank_you_nudges_are_overdue(self) -> None:
        late = Nudge(NudgeKind.FOLLOW_UP, "k", T0, step=3)
        assert not late.overdue

    def test_no_thank_you_for_a_scheduled_interview(self) -> None:
        contact = met(interview(START), stage=Stage.SCHEDULED)
        assert of_kind(contact_nudges(contact, DEFAULT), NudgeKind.THANK_YOU) == []


class TestReferrals:
    @pytest.mark.parametrize(("referrals", "wanted"), [(0, True), (1, True), (2, False), (5, False)])
    def test_asks_while_fewer_than_two(self, referrals: int, wanted: bool) -> None:
        contact = met(interview(START, InterviewStatus.DONE), referrals=referrals)
        nudges = of_kind(contact_nudges(contact, DEFAULT), NudgeKind.REFERRALS)
        if wanted:
            [nudge] = nudges
            assert (nudge.due_at, nudge.key, nudge.interview_id) == (END, "referrals:10", 10)
        else:
            assert nudges == []

    def test_number_wanted_from_settings(self) -> None:
        rules = NudgeSettings(pipeline=PipelineSettings(referrals_wanted=3))
        contact = met(interview(START, InterviewStatus.DONE), referrals=2)
        assert len(of_kind(contact_nudges(contact, rules), NudgeKind.REFERRALS)) == 1

    def test_not_before_the_interview_is_done(self) -> None:
        contact = met(interview(START), stage=Stage.SCHEDULED, referrals=0)
        assert of_kind(contact_nudges(contact, DEFAULT), NudgeKind.REFERRALS) == []


class TestThankIntroducer:
    def test_due_at_the_finish_when_there_is_an_introducer(self) -> None:
        contact = met(interview(START, InterviewStatus.DONE), has_introducer=True)
        [nudge] = of_kind(contact_nudges(contact, DEFAULT), NudgeKind.THANK_INTRODUCER)
        assert (nudge.due_at, nudge.key) == (END, "thank_introducer:10")
        assert due_kinds(plan_contact(contact, END, DEFAULT)).count(NudgeKind.THANK_INTRODUCER) == 1

    def test_none_without_an_introducer(self) -> None:
        contact = met(interview(START, InterviewStatus.DONE), has_introducer=False)
        assert of_kind(contact_nudges(contact, DEFAULT), NudgeKind.THANK_INTRODUCER) == []

    def test_none_once_thanked(self) -> None:
        contact = met(interview(START, InterviewStatus.DONE, introducer_thanked_at=END), has_introducer=True)
        assert of_kind(contact_nudges(contact, DEFAULT), NudgeKind.THANK_INTRODUCER) == []


# ---- keep in touch (section 8) -------------------------------------------------------------------------


class TestKeepInTouch:
    def keep(self, contact: ContactFacts, rules: NudgeSettings = DEFAULT) -> list[Nudge]:
        return of_kind(contact_nudges(contact, rules), NudgeKind.KEEP_IN_TOUCH)

    def test_six_weeks_after_the_finish(self) -> None:
        contact = met(interview(START, InterviewStatus.DONE))
        [nudge] = self.keep(contact)
        assert nudge.due_at == END + timedelta(weeks=6)
        assert nudge.key == f"keep_in_touch:7:{int(END.timestamp())}"
        assert plan_contact(
            contact, END + timedelta(weeks=6) - SECOND, DEFAULT
        ).next_check == END + timedelta(weeks=6)
        assert NudgeKind.KEEP_IN_TOUCH not in due_kinds(
            plan_contact(contact, END + timedelta(weeks=6) - SECOND, DEFAULT)
        )
        assert NudgeKind.KEEP_IN_TOUCH in due_kinds(plan_contact(contact, END + timedelta(weeks=6), DEFAULT))

    def test_a_thank_you_is_a_touch(self) -> None:
        thanked_at = END + 20 * HOUR
        [nudge] = self.keep(met(interview(START, InterviewStatus.DONE, thank_you_at=thanked_at)))
        assert nudge.due_at == thanked_at + timedelta(weeks=6)

    def test_the_latest_touch_counts_and_changes_the_key(self) -> None:
        base = met(interview(START, InterviewStatus.DONE, thank_you_at=END + HOUR))
        [first] = self.keep(base)
        later_touch = END + 50 * DAY
        [second] = self.keep(replace(base, last_touch_at=later_touch))
        assert second.due_at == later_touch + timedelta(weeks=6)
        assert second.due_at > first.due_at
        assert second.key != first.key
        assert second.key == f"keep_in_touch:7:{int(later_touch.timestamp())}"

    def test_an_older_touch_does_not_count(self) -> None:
        [nudge] = self.keep(met(interview(START, InterviewStatus.DONE), last_touch_at=START - 90 * DAY))
        assert nudge.due_at == END + timedelta(weeks=6)

    def test_interval_from_settings(self) -> None:
        rules = NudgeSettings(pipeline=PipelineSettings(keep_in_touch_after=timedelta(weeks=2)))
        [nudge] = self.keep(met(interview(START, InterviewStatus.DONE)), rules)
        assert nudge.due_at == END + timedelta(weeks=2)

    @pytest.mark.parametrize("stage", [s for s in Stage if s is not Stage.INTERVIEWED])
    def test_only_for_interviewed(self, stage: Stage) -> None:
        contact = met(interview(START, InterviewStatus.DONE), stage=stage, last_touch_at=END)
        assert self.keep(contact) == []

    def test_no_touch_no_nudge(self) -> None:
        assert self.keep(met()) == []
        assert self.keep(met(interview(START, InterviewStatus.CANCELLED))) == []

    def test_last_touch_alone(self) -> None:
        touched = T0 + 3 * DAY
        [nudge] = self.keep(met(last_touch_at=touched))
        assert nudge.due_at == touched + timedelta(weeks=6)


class TestLastTouch:
    def test_none(self) -> None:
        assert last_touch(met()) is None

    def test_ignores_interviews_not_done(self) -> None:
        contact = met(
            interview(START, InterviewStatus.DONE),
            interview(START + 30 * DAY, InterviewStatus.CANCELLED, interview_id=11),
            interview(
                START + 40 * DAY, InterviewStatus.SCHEDULED, interview_id=12, thank_you_at=START + 41 * DAY
            ),
        )
        assert last_touch(contact) == END

    def test_latest_of_finish_thank_you_and_recorded_touch(self) -> None:
        thanked = END + DAY
        assert last_touch(met(interview(START, InterviewStatus.DONE, thank_you_at=thanked))) == thanked
        assert (
            last_touch(met(interview(START, InterviewStatus.DONE), last_touch_at=END + 9 * DAY))
            == END + 9 * DAY
        )
        late_done = met(interview(START, InterviewStatus.DONE, done_at=END + 2 * HOUR))
        assert last_touch(late_done) == END + 2 * HOUR


# ---- the weekly plan -----------------------------------------------------------------------------------


class TestWeeklyPlan:
    def test_due_monday_at_the_opening_until_the_end(self) -> None:
        monday = utc(2026, 3, 2, 9, 0)
        before = plan_weekly(monday - SECOND, DEFAULT)
        assert before.due == ()
        assert before.next_check == monday
        p = plan_weekly(monday, DEFAULT)
        [nudge] = p.due
        assert nudge.kind is NudgeKind.WEEKLY_PLAN
        assert nudge.key == "weekly_plan:2026-03-02"
        assert (nudge.due_at, nudge.expires_at) == (monday, utc(2026, 3, 2, 18, 0))
        assert nudge.contact_id is None
        assert p.next_check == utc(2026, 3, 9, 9, 0)
        assert p.keys == {"weekly_plan:2026-03-02", "weekly_plan:2026-03-09"}

    def test_expires_at_the_end_of_the_window(self) -> None:
        assert len(plan_weekly(utc(2026, 3, 2, 17, 59, 59), DEFAULT).due) == 1
        after = plan_weekly(utc(2026, 3, 2, 18, 0), DEFAULT)
        assert after.due == ()
        assert after.keys == {"weekly_plan:2026-03-09"}
        assert after.next_check == utc(2026, 3, 9, 9, 0)

    def test_later_in_the_week_points_at_next_week(self) -> None:
        p = plan_weekly(utc(2026, 3, 5, 12, 0), DEFAULT)
        assert p.due == ()
        assert p.next_check == utc(2026, 3, 9, 9, 0)

    def test_sunday_evening_points_at_tomorrow(self) -> None:
        p = plan_weekly(utc(2026, 3, 8, 20, 0), DEFAULT)
        assert p.due == ()
        assert p.next_check == utc(2026, 3, 9, 9, 0)

    def test_new_york_across_spring_forward(self) -> None:
        ny = NudgeSettings(timezone="America/New_York")
        assert plan_weekly(utc(2026, 3, 2, 13, 59), ny).next_check == utc(2026, 3, 2, 14, 0)
        [week1] = plan_weekly(utc(2026, 3, 2, 14, 0), ny).due
        assert week1.key == "weekly_plan:2026-03-02"
        assert week1.expires_at == utc(2026, 3, 2, 23, 0)
        p = plan_weekly(utc(2026, 3, 2, 14, 0), ny)
        assert p.next_check == utc(2026, 3, 9, 13, 0)  # an hour earlier in UTC: EDT
        [week2] = plan_weekly(utc(2026, 3, 9, 13, 0), ny).due
        assert week2.key == "weekly_plan:2026-03-09"
        assert plan_weekly(utc(2026, 3, 9, 12, 59, 59), ny).due == ()

    def test_tokyo_monday_starts_on_sunday_in_utc(self) -> None:
        tokyo = NudgeSettings(timezone="Asia/Tokyo")
        # Sunday 2026-03-08 23:30 UTC is Monday 08:30 JST.
        p = plan_weekly(utc(2026, 3, 8, 23, 30), tokyo)
        assert p.due == ()
        assert p.next_check == utc(2026, 3, 9, 0, 0)
        assert "weekly_plan:2026-03-09" in p.keys
        [nudge] = plan_weekly(utc(2026, 3, 9, 0, 0), tokyo).due
        assert nudge.key == "weekly_plan:2026-03-09"

    def test_window_without_monday_uses_the_first_working_day(self) -> None:
        rules = NudgeSettings(window=WorkingWindow(frozenset({1, 2, 3}), time(8, 15), time(16)))
        nudges = weekly_plan_nudges(utc(2026, 3, 2, 12, 0), rules)
        assert [(n.key, n.due_at, n.expires_at) for n in nudges] == [
            ("weekly_plan:2026-03-02", utc(2026, 3, 3, 8, 15), utc(2026, 3, 3, 16, 0)),
            ("weekly_plan:2026-03-09", utc(2026, 3, 10, 8, 15), utc(2026, 3, 10, 16, 0)),
        ]

    def test_weekend_only_window(self) -> None:
        rules = NudgeSettings(window=WorkingWindow(frozenset({5, 6}), time(10), time(12)))
        [nudge] = plan_weekly(utc(2026, 3, 7, 10, 0), rules).due
        assert nudge.key == "weekly_plan:2026-03-02"
        assert nudge.due_at == utc(2026, 3, 7, 10, 0)

    def test_bogus_timezone_uses_utc(self) -> None:
        rules = NudgeSettings(timezone="Not/AZone")
        assert plan_weekly(utc(2026, 3, 2, 9, 0), rules).due[0].due_at == utc(2026, 3, 2, 9, 0)


# ---- plan() --------------------------------------------------------------------------------------------


def nudge(key: str, due: datetime, expires: datetime | None = None, **kw: object) -> Nudge:
    return Nudge(NudgeKind.FOLLOW_UP, key, due, expires_at=expires, **kw)  # type: ignore[arg-type]


class TestPlan:
    def test_empty(self) -> None:
        assert plan([], T0) == Plan((), None, frozenset())

    def test_due_future_and_expired(self) -> None:
        candidates = [
            nudge("past", T0 - DAY),
            nudge("now", T0),
            nudge("soon", T0 + HOUR),
            nudge("later", T0 + DAY),
            nudge("expired", T0 - DAY, expires=T0 - SECOND),
            nudge("expires-now", T0 - DAY, expires=T0),
            nudge("expired-future", T0 + 2 * HOUR, expires=T0),  # would fall due, but already expired
            nudge("live-expiring", T0 - DAY, expires=T0 + SECOND),
        ]
        p = plan(candidates, T0)
        assert [n.key for n in p.due] == ["live-expiring", "past", "now"]  # by time, then key
        assert p.next_check == T0 + HOUR
        assert p.keys == {"past", "now", "soon", "later", "live-expiring"}

    def test_due_sorted_by_time_then_key(self) -> None:
        p = plan([nudge("b", T0), nudge("a", T0), nudge("c", T0 - HOUR)], T0)
        assert [n.key for n in p.due] == ["c", "a", "b"]

    def test_nothing_ahead(self) -> None:
        assert plan([nudge("a", T0)], T0).next_check is None

    def test_series_keeps_only_the_latest_due_step(self) -> None:
        series = [
            Nudge(NudgeKind.THANK_YOU, f"s:{i}", T0 + (i - 3) * HOUR, series="s", step=i)
            for i in (1, 2, 3, 4)
        ]
        other = [Nudge(NudgeKind.THANK_YOU, f"t:{i}", T0 - i * HOUR, series="t", step=i) for i in (1, 2)]
        p = plan([*reversed(series), *other], T0)
        assert [n.key for n in p.due] == ["t:2", "s:3"]
        assert p.next_check == T0 + HOUR
        assert p.keys == {"s:1", "s:2", "s:3", "s:4", "t:1", "t:2"}

    def test_nudges_outside_a_series_are_all_kept(self) -> None:
        p = plan([nudge("a", T0 - HOUR), nudge("b", T0 - HOUR)], T0)
        assert len(p.due) == 2

    def test_whole_contact_plan(self) -> None:
        contact = met(interview(START, InterviewStatus.DONE), has_introducer=True, referrals=0)
        p = plan_contact(contact, END + 25 * HOUR, DEFAULT)
        assert due_kinds(p) == [NudgeKind.REFERRALS, NudgeKind.THANK_INTRODUCER, NudgeKind.THANK_YOU]
        assert of_kind(p, NudgeKind.THANK_YOU)[0].step == 2
        assert p.next_check == END + 48 * HOUR
        assert p.keys == {
            "thank_you:10:1",
            "thank_you:10:2",
            "thank_you:10:3",
            "referrals:10",
            "thank_introducer:10",
            f"keep_in_touch:7:{int(END.timestamp())}",
        }


# ---- delivery ------------------------------------------------------------------------------------------


class TestMayDeliver:
    @pytest.mark.parametrize(
        ("timezone", "now", "expected"),
        [
            (None, utc(2026, 3, 2, 9, 30), True),
            (None, utc(2026, 3, 2, 8, 59), False),
            (None, utc(2026, 3, 7, 12, 0), False),
            ("Asia/Tokyo", utc(2026, 3, 2, 0, 30), True),  # Monday 09:30 JST
            ("Asia/Tokyo", utc(2026, 3, 2, 9, 30), False),  # Monday 18:30 JST
            ("Asia/Tokyo", utc(2026, 3, 8, 23, 30), False),  # Monday 08:30 JST
            ("Asia/Tokyo", utc(2026, 3, 6, 8, 59), True),  # Friday 17:59 JST
            ("Asia/Tokyo", utc(2026, 3, 6, 9, 0), False),  # Friday 18:00 JST
            ("America/New_York", utc(2026, 3, 2, 13, 30), False),  # 08:30 EST
            ("America/New_York", utc(2026, 3, 9, 13, 30), True),  # 09:30 EDT
            ("America/Los_Angeles", utc(2026, 3, 7, 0, 30), True),  # Friday 16:30 PST
            ("America/Los_Angeles", utc(2026, 3, 7, 2, 0), False),  # Friday 18:00 PST
            ("Europe/London", utc(2026, 10, 26, 8, 30), False),  # 08:30 GMT
            ("Europe/London", utc(2026, 10, 23, 8, 30), True),  # 09:30 BST
            ("Asia/Kolkata", utc(2026, 3, 2, 3, 30), True),  # 09:00 IST
            ("Asia/Kolkata", utc(2026, 3, 2, 3, 29), False),  # 08:59 IST
            ("Not/AZone", utc(2026, 3, 2, 9, 30), True),
        ],
    )
    def test_inside_the_window_only(self, timezone: str | None, now: datetime, expected: bool) -> None:
        assert may_deliver(now, NudgeSettings(timezone=timezone)) is expected

    def test_custom_window(self) -> None:
        rules = NudgeSettings(window=WorkingWindow(frozenset({5}), time(6), time(7)), timezone="Asia/Tokyo")
        assert may_deliver(utc(2026, 3, 6, 21, 0), rules)  # Saturday 06:00 JST
        assert not may_deliver(utc(2026, 3, 6, 22, 0), rules)  # Saturday 07:00 JST
        assert not may_deliver(utc(2026, 3, 2, 0, 30), rules)


# ---- properties ----------------------------------------------------------------------------------------

OFFSETS = st.integers(-40 * 24 * 60, 80 * 24 * 60).map(lambda m: T0 + timedelta(minutes=m))


@st.composite
def attempts(draw: st.DrawFn) -> Attempt:
    at = draw(OFFSETS)
    outcome = draw(st.sampled_from([PENDING, PENDING, LATER, AttemptOutcome.YES, AttemptOutcome.INTRODUCED]))
    replied = draw(st.none() | st.integers(0, 10 * 24 * 60).map(lambda m: at + timedelta(minutes=m)))
    channel = draw(st.sampled_from([OutreachChannel.EMAIL, OutreachChannel.INTRODUCTION]))
    return Attempt(at, channel, outcome, replied if outcome is not PENDING else None)


@st.composite
def interviews(draw: st.DrawFn, interview_id: int) -> InterviewFacts:
    start = draw(OFFSETS)
    minutes = draw(st.integers(10, 120))
    status = draw(st.sampled_from(list(InterviewStatus)))
    after = st.none() | st.integers(-60, 5 * 24 * 60).map(lambda m: start + timedelta(minutes=m))
    return InterviewFacts(
        interview_id,
        start,
        minutes,
        status,
        done_at=draw(after),
        thank_you_at=draw(after),
        introducer_thanked_at=draw(after),
    )


@st.composite
def contacts(draw: st.DrawFn) -> ContactFacts:
    count = draw(st.integers(0, 3))
    return ContactFacts(
        id=draw(st.integers(1, 10**6)),
        name="X",
        stage=draw(st.sampled_from(list(Stage))),
        created_at=T0 - 60 * DAY,
        has_introducer=draw(st.booleans()),
        attempts=tuple(draw(st.lists(attempts(), max_size=5))),
        interviews=tuple(draw(interviews(100 + i)) for i in range(count)),
        last_touch_at=draw(st.none() | OFFSETS),
        referrals=draw(st.integers(0, 3)),
    )


RULES = st.builds(
    NudgeSettings,
    timezone=st.sampled_from([None, "America/New_York", "Asia/Tokyo", "Europe/London"]),
    pipeline=st.builds(
        PipelineSettings,
        follow_up_after=st.integers(1, 30).map(lambda d: timedelta(days=d)),
        max_attempts=st.integers(1, 5),
        referrals_wanted=st.integers(0, 3),
    ),
)


@settings(max_examples=150, deadline=None)
@given(contact=contacts(), now=OFFSETS, rules=RULES)
def test_plan_is_consistent(contact: ContactFacts, now: datetime, rules: NudgeSettings) -> None:
    candidates = contact_nudges(contact, rules)
    keys = [n.key for n in candidates]
    assert len(keys) == len(set(keys)), "one key, one situation"
    p = plan_contact(contact, now, rules)
    series = [n.series for n in p.due if n.series is not None]
    assert len(series) == len(set(series)), "never two nudges of one series"
    live = [n for n in candidates if n.expires_at is None or n.expires_at > now]
    assert p.keys == {n.key for n in live}
    for n in p.due:
        assert n.due_at <= now
        assert n.key in p.keys
    ahead = [n.due_at for n in live if n.due_at > now]
    assert p.next_check == (min(ahead) if ahead else None)
    # Every live, due nudge is delivered unless a later step of its series is.
    due_keys = {n.key for n in p.due}
    for n in live:
        if n.due_at <= now and n.key not in due_keys:
            assert n.series is not None
            assert any(d.series == n.series and d.step > n.step for d in p.due)
    assert plan_contact(contact, now, rules) == p


@settings(max_examples=100, deadline=None)
@given(now=OFFSETS, timezone=st.sampled_from([None, "America/New_York", "Asia/Tokyo", "Pacific/Auckland"]))
def test_weekly_plan_always_looks_ahead(now: datetime, timezone: str | None) -> None:
    p = plan_weekly(now, NudgeSettings(timezone=timezone))
    assert len(p.due) <= 1
    assert p.next_check is not None
    assert now < p.next_check <= now + timedelta(days=8)
    for n in p.due:
        assert may_deliver(now, NudgeSettings(timezone=timezone))
        assert n.key in p.keys
