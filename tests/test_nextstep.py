"""A contact's next step (bot.domain.nextstep): read off the nudge rules and the logged reminders, so
the Home, the Monday plan, the list and the reminders agree. Pure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.nextstep import NextStep, StepKind, next_step, next_steps, open_steps
from bot.domain.nudges import ContactFacts, InterviewFacts, LoggedReminder, NudgeSettings, plan_contact
from bot.domain.pipeline import Attempt, AttemptOutcome, InterviewStatus, OutreachChannel, Stage
from bot.domain.reminders import ReminderStatus
from bot.domain.window import day_label, zone

JAN12 = datetime(2026, 1, 12, 19, 30, tzinfo=UTC)  # a Monday evening: Priya is logged
DAY = timedelta(days=1)
RULES = NudgeSettings(timezone="Europe/London")


def priya(stage: Stage, *attempts: Attempt, **more: object) -> ContactFacts:
    return ContactFacts(7, "Priya", stage, JAN12, attempts=attempts, **more)  # type: ignore[arg-type]


def email(at: datetime, outcome: AttemptOutcome = AttemptOutcome.PENDING, replied: datetime | None = None):
    return Attempt(at, OutreachChannel.EMAIL, outcome, replied)


# The contradictions a new user met, each now one answer -----------------------------------------------


def test_a_fresh_target_has_no_due_time_and_is_not_overdue() -> None:
    step = next_step(priya(Stage.TARGET), JAN12 + timedelta(seconds=1), RULES)
    assert step == NextStep(7, "Priya", StepKind.SEND_REQUEST, None)
    assert not step.overdue and not step.dated


def test_after_later_the_step_is_the_follow_up_the_reminder_will_bring() -> None:
    replied = datetime(2026, 1, 20, 10, tzinfo=UTC)
    facts = priya(Stage.REQUESTED, email(JAN12, AttemptOutcome.LATER, replied))
    step = next_step(facts, replied, RULES)
    assert step is not None
    assert step.kind is StepKind.FOLLOW_UP and step.after_later
    assert step.due_at == datetime(2026, 2, 3, 10, tzinfo=UTC)  # 20 Jan + 14 days, not 19 Jan
    # the sweep plans its reminder for exactly that instant
    assert plan_contact(facts, replied, RULES).next_check == step.due_at
    assert [n.key for n in plan_contact(facts, step.due_at, RULES).due] == [step.nudge_key]


def test_after_yes_the_step_is_to_book_a_time_on_the_day_its_reminder_comes() -> None:
    # "Yes" on Tuesday 13 January evening: the reminder to book comes on Thursday at 09:00 (London).
    facts = priya(Stage.AGREED, email(JAN12, AttemptOutcome.YES, JAN12 + DAY))
    reminder_day = datetime(2026, 1, 15, 9, tzinfo=UTC)
    for weeks in range(6):
        step = next_step(facts, JAN12 + DAY + timedelta(weeks=weeks), RULES)
        assert step is not None
        assert step.kind is StepKind.BOOK and step.due_at == reminder_day and not step.overdue
    assert plan_contact(facts, reminder_day, RULES).due[0].key == step.nudge_key
    # Once that reminder was dealt with, booking is up to the student: no stale date.
    logged = {step.nudge_key: LoggedReminder(ReminderStatus.RESOLVED, reminder_day)}
    after = next_step(ContactFacts(**{**facts.__dict__, "logged": logged}), reminder_day + DAY, RULES)
    assert after is not None and after.kind is StepKind.SCHEDULE and after.due_at is None


def test_a_sent_keep_in_touch_is_overdue_until_dealt_with_and_moves_on_after_a_touch() -> None:
    ended = datetime(2026, 1, 15, 10, tzinfo=UTC)
    done = InterviewFacts(3, ended - timedelta(minutes=20), 20, InterviewStatus.DONE, ended, ended, None)
    facts = priya(Stage.INTERVIEWED, interviews=(done,), referrals=2)
    step = next_step(facts, ended + DAY, RULES)
    assert step is not None and step.kind is StepKind.KEEP_IN_TOUCH
    assert step.due_at == ended + timedelta(weeks=6) and not step.overdue
    sent_row = {step.nudge_key: LoggedReminder(ReminderStatus.SENT, step.due_at)}
    later = step.due_at + DAY
    overdue = next_step(ContactFacts(**{**facts.__dict__, "logged": sent_row}), later, RULES)
    assert overdue is not None and overdue.overdue
    # "Sent it": the touch is recorded; the next check-in counts from it and nothing is overdue
    touched = ContactFacts(**{**facts.__dict__, "logged": sent_row, "last_touch_at": later})
    after = next_step(touched, later, RULES)
    assert after is not None and not after.overdue
    assert after.due_at == later + timedelta(weeks=6)


def test_a_snoozed_reminder_moves_the_step_and_is_not_overdue() -> None:
    facts = priya(Stage.REQUESTED, email(JAN12))
    step = next_step(facts, JAN12, RULES)
    assert step is not None and step.due_at == JAN12 + 7 * DAY
    moved = step.due_at + 3 * DAY
    logged = {step.nudge_key: LoggedReminder(ReminderStatus.PENDING, moved)}
    snoozed = next_step(ContactFacts(**{**facts.__dict__, "logged": logged}), step.due_at + DAY, RULES)
    assert snoozed is not None and snoozed.due_at == moved and not snoozed.overdue


def test_a_request_recorded_without_its_attempt_still_gets_a_follow_up() -> None:
    facts = priya(Stage.REQUESTED)
    step = next_step(facts, JAN12, RULES)
    assert step is not None and step.kind is StepKind.FOLLOW_UP
    assert step.due_at == JAN12 + 7 * DAY
    assert plan_contact(facts, JAN12, RULES).next_check == step.due_at


def test_the_thank_you_series_is_one_step_overdue_once_any_reminder_of_it_was_sent() -> None:
    ended = datetime(2026, 1, 15, 10, tzinfo=UTC)
    done = InterviewFacts(3, ended - timedelta(minutes=20), 20, InterviewStatus.DONE, ended)
    facts = priya(Stage.INTERVIEWED, interviews=(done,), referrals=2)
    steps = open_steps(facts, ended, RULES)
    assert [s.kind for s in steps] == [StepKind.THANK_YOU, StepKind.KEEP_IN_TOUCH]
    assert steps[0].due_at == ended and not steps[0].overdue
    logged = {"thank_you:3:2": LoggedReminder(ReminderStatus.SENT, ended + timedelta(hours=24))}
    again = open_steps(ContactFacts(**{**facts.__dict__, "logged": logged}), ended + 2 * DAY, RULES)
    assert again[0].kind is StepKind.THANK_YOU and again[0].overdue and again[0].due_at == ended


def test_closed_contacts_have_no_step_and_a_closed_reminder_is_no_step() -> None:
    assert next_step(priya(Stage.DECLINED), JAN12, RULES) is None
    assert next_step(priya(Stage.NO_RESPONSE), JAN12, RULES) is None
    facts = priya(Stage.REQUESTED, email(JAN12))
    key = f"follow_up:{facts.id}:1"
    logged = {key: LoggedReminder(ReminderStatus.RESOLVED, JAN12 + 7 * DAY)}
    assert next_step(ContactFacts(**{**facts.__dict__, "logged": logged}), JAN12, RULES) is None


def test_preparing_ends_when_the_interview_begins_then_the_wrap_up_is_next() -> None:
    starts = datetime(2026, 1, 21, 14, tzinfo=UTC)
    booked = InterviewFacts(4, starts, 30, InterviewStatus.SCHEDULED)
    facts = priya(Stage.SCHEDULED, interviews=(booked,))
    before = next_step(facts, JAN12, RULES)
    assert before is not None and before.kind is StepKind.PREPARE and before.interview_at == starts
    during = next_step(facts, starts + timedelta(minutes=1), RULES)
    assert during is not None and during.kind is StepKind.WRAP_UP
    assert during.due_at == starts + timedelta(minutes=30)


def test_steps_sort_overdue_first_then_by_day_then_undated() -> None:
    dated = NextStep(1, "B", StepKind.FOLLOW_UP, JAN12)
    late = NextStep(2, "C", StepKind.FOLLOW_UP, JAN12 + DAY, overdue=True)
    undated = NextStep(3, "A", StepKind.SEND_REQUEST, None)
    assert sorted([undated, dated, late], key=NextStep.sort_key) == [late, dated, undated]
    facts = [priya(Stage.TARGET), ContactFacts(8, "Sofia", Stage.REQUESTED, JAN12, (email(JAN12),))]
    assert [s.name for s in next_steps(facts, JAN12, RULES)] == ["Sofia", "Priya"]


def test_day_labels_are_local_days_with_the_year_only_when_it_differs() -> None:
    late_evening = datetime(2026, 1, 19, 23, 30, tzinfo=UTC)
    assert day_label(late_evening, zone("Europe/London"), date(2026, 1, 1)) == "Mon 19 Jan"
    assert day_label(late_evening, ZoneInfo("Asia/Tokyo"), date(2026, 1, 1)) == "Tue 20 Jan"
    assert day_label(late_evening, UTC, date(2025, 12, 30)) == "Mon 19 Jan 2026"


# Properties: the step and the reminders never disagree --------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 6, 1), timezones=st.just(UTC)
)
outcomes = st.sampled_from(list(AttemptOutcome))


@st.composite
def contacts(draw: st.DrawFn) -> ContactFacts:
    created = draw(instants)
    stage = draw(st.sampled_from(list(Stage)))
    gaps = draw(st.lists(st.integers(1, 20), max_size=4))
    attempts = []
    at = created
    for gap in gaps:
        at += timedelta(days=gap)
        outcome = draw(outcomes)
        replied = at + DAY if outcome is not AttemptOutcome.PENDING else None
        channel = draw(st.sampled_from([OutreachChannel.EMAIL, OutreachChannel.INTRODUCTION]))
        attempts.append(Attempt(at, channel, outcome, replied))
    interviews = []
    for n in range(draw(st.integers(0, 2))):
        starts = created + timedelta(days=draw(st.integers(0, 60)), hours=draw(st.integers(0, 23)))
        status = draw(st.sampled_from(list(InterviewStatus)))
        done = starts + timedelta(minutes=30) if status is InterviewStatus.DONE else None
        thanked = draw(st.sampled_from([None, done]))
        interviews.append(InterviewFacts(n + 1, starts, 20, status, done, thanked))
    return ContactFacts(
        id=draw(st.integers(1, 10_000)),
        name="Sofia",
        stage=stage,
        created_at=created,
        has_introducer=draw(st.booleans()),
        attempts=tuple(attempts),
        interviews=tuple(interviews),
        referrals=draw(st.integers(0, 3)),
    )


@settings(max_examples=400, deadline=None)
@given(contacts(), instants)
def test_a_dated_step_is_the_reminder_the_sweep_sends_at_that_time(
    facts: ContactFacts, now: datetime
) -> None:
    step = next_step(facts, now, RULES)
    if step is None or step.due_at is None:
        return
    assert step.nudge_key is not None
    at = max(step.due_at, now)
    due_then = {n.key for n in plan_contact(facts, at, RULES).due}
    series_then = {n.series for n in plan_contact(facts, at, RULES).due if n.series}
    key_series = step.nudge_key.rsplit(":", 1)[0] if step.kind is StepKind.THANK_YOU else None
    assert step.nudge_key in due_then or key_series in series_then


@settings(max_examples=400, deadline=None)
@given(contacts(), instants)
def test_a_step_is_never_overdue_without_a_sent_reminder_and_open_contacts_always_have_one(
    facts: ContactFacts, now: datetime
) -> None:
    steps = open_steps(facts, now, RULES)
    assert not any(s.overdue for s in steps)  # nothing logged: nothing was sent
    if facts.stage in (Stage.TARGET, Stage.REQUESTED, Stage.AGREED):
        assert steps, f"no action for a contact at {facts.stage}"
    if facts.stage.is_closed:
        assert steps == []
    assert steps == sorted(steps, key=NextStep.sort_key)


@settings(max_examples=200, deadline=None)
@given(contacts(), instants, st.sampled_from(list(ReminderStatus)))
def test_the_status_of_the_logged_reminder_decides_overdue_and_closed(
    facts: ContactFacts, now: datetime, status: ReminderStatus
) -> None:
    step = next_step(facts, now, RULES)
    if step is None or step.nudge_key is None or step.kind is StepKind.THANK_YOU:
        return
    logged = {step.nudge_key: LoggedReminder(status, step.due_at or now)}
    again = open_steps(ContactFacts(**{**facts.__dict__, "logged": logged}), now, RULES)
    same = [s for s in again if s.nudge_key == step.nudge_key]
    if status.is_closed:
        assert same == []
    else:
        assert len(same) == 1 and same[0].overdue == (status is ReminderStatus.SENT)
