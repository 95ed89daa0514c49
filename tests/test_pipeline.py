"""The pipeline core: transitions, attempts, next steps. Pure functions, tested hardest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import pipeline as core
from bot.domain.pipeline import (
    Attempt,
    AttemptOutcome,
    ContactSnapshot,
    Degree,
    Event,
    Interview,
    InterviewStatus,
    OutreachChannel,
    PipelineSettings,
    Stage,
    StepKind,
    TransitionError,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def contact(stage: Stage = Stage.TARGET, attempts=(), interviews=(), **kw) -> ContactSnapshot:
    return ContactSnapshot(
        name=kw.pop("name", "Ada"),
        stage=stage,
        degree=kw.pop("degree", Degree.FIRST),
        created_at=kw.pop("created_at", T0),
        attempts=tuple(attempts),
        interviews=tuple(interviews),
        **kw,
    )


def sent(days: float, outcome: AttemptOutcome = AttemptOutcome.PENDING) -> Attempt:
    return Attempt(T0 + timedelta(days=days), OutreachChannel.EMAIL, outcome)


class TestTransitions:
    @pytest.mark.parametrize(
        ("stage", "event", "expected"),
        [
            (Stage.TARGET, Event.REQUEST_SENT, Stage.REQUESTED),
            (Stage.REQUESTED, Event.REQUEST_SENT, Stage.REQUESTED),
            (Stage.REQUESTED, Event.REPLIED_YES, Stage.AGREED),
            (Stage.REQUESTED, Event.REPLIED_NO, Stage.DECLINED),
            (Stage.REQUESTED, Event.REPLIED_LATER, Stage.REQUESTED),
            (Stage.REQUESTED, Event.CLOSED_NO_RESPONSE, Stage.NO_RESPONSE),
            (Stage.TARGET, Event.INTERVIEW_SCHEDULED, Stage.SCHEDULED),
            (Stage.AGREED, Event.INTERVIEW_SCHEDULED, Stage.SCHEDULED),
            (Stage.SCHEDULED, Event.INTERVIEW_DONE, Stage.INTERVIEWED),
            (Stage.SCHEDULED, Event.INTERVIEW_CANCELLED, Stage.AGREED),
            (Stage.INTERVIEWED, Event.INTERVIEW_SCHEDULED, Stage.SCHEDULED),
            (Stage.NO_RESPONSE, Event.REOPENED, Stage.TARGET),
            (Stage.DECLINED, Event.REOPENED, Stage.TARGET),
        ],
    )
    def test_allowed(self, stage: Stage, event: Event, expected: Stage) -> None:
        assert core.transition(stage, event) is expected

    def test_every_pair_is_either_allowed_or_refused_with_a_message(self) -> None:
        for stage in Stage:
            for event in Event:
                if (stage, event) in core.TRANSITIONS:
                    continue
                with pytest.raises(TransitionError) as refused:
                    core.transition(stage, event)
                assert str(refused.value), (stage, event)
                assert refused.value.stage is stage and refused.value.event is event

    def test_closed_contacts_say_reopen(self) -> None:
        with pytest.raises(TransitionError, match="Reopen"):
            core.transition(Stage.NO_RESPONSE, Event.REQUEST_SENT)

    def test_interviewed_contact_cannot_get_a_request(self) -> None:
        with pytest.raises(TransitionError, match="request can't be recorded"):
            core.transition(Stage.INTERVIEWED, Event.REQUEST_SENT)

    def test_done_without_an_interview(self) -> None:
        with pytest.raises(TransitionError, match="no scheduled interview"):
            core.transition(Stage.REQUESTED, Event.INTERVIEW_DONE)

    def test_closed_stages(self) -> None:
        assert {s for s in Stage if s.is_closed} == {Stage.DECLINED, Stage.NO_RESPONSE}


class TestAttempts:
    def test_unanswered_counts_since_last_reply(self) -> None:
        attempts = [sent(0), sent(7, AttemptOutcome.LATER), sent(30), sent(37)]
        assert core.unanswered_attempts(attempts) == 2

    def test_unanswered_sorts_by_time(self) -> None:
        attempts = [sent(37), sent(0, AttemptOutcome.LATER), sent(30)]
        assert core.unanswered_attempts(attempts) == 2

    def test_first_request(self) -> None:
        assert core.check_request_sent(Stage.TARGET, []) is Stage.REQUESTED

    def test_third_attempt_allowed_fourth_refused(self) -> None:
        assert core.check_request_sent(Stage.REQUESTED, [sent(0), sent(7)]) is Stage.REQUESTED
        with pytest.raises(TransitionError, match="3 tries"):
            core.check_request_sent(Stage.REQUESTED, [sent(0), sent(7), sent(14)])

    def test_max_attempts_is_a_setting(self) -> None:
        settings = PipelineSettings(max_attempts=2)
        with pytest.raises(TransitionError, match="2 tries"):
            core.check_request_sent(Stage.REQUESTED, [sent(0), sent(7)], settings)

    def test_a_reply_resets_the_count(self) -> None:
        attempts = [sent(0), sent(7), sent(14, AttemptOutcome.LATER)]
        assert core.check_request_sent(Stage.REQUESTED, attempts) is Stage.REQUESTED


class TestNextStep:
    def test_target_asks_for_a_request_from_creation(self) -> None:
        step = core.next_step(contact(), T0)
        assert step is not None and step.kind is StepKind.SEND_REQUEST and step.due_at == T0
        assert "Ada" in step.text

    def test_follow_up_due_seven_days_after_last_attempt(self) -> None:
        c = contact(Stage.REQUESTED, [sent(0)])
        step = core.next_step(c, T0)
        assert step is not None and step.kind is StepKind.FOLLOW_UP
        assert step.due_at == T0 + timedelta(days=7)
        assert not step.is_due(T0 + timedelta(days=6, hours=23, minutes=59))
        assert step.is_due(T0 + timedelta(days=7))

    def test_after_two_attempts_the_next_is_a_phone_call(self) -> None:
        step = core.next_step(contact(Stage.REQUESTED, [sent(0), sent(7)]), T0)
        assert step is not None and step.kind is StepKind.PHONE_CALL
        assert step.due_at == T0 + timedelta(days=14)

    def test_after_three_attempts_close_it(self) -> None:
        step = core.next_step(contact(Stage.REQUESTED, [sent(0), sent(7), sent(14)]), T0)
        assert step is not None and step.kind is StepKind.CLOSE_NO_RESPONSE
        assert step.due_at == T0 + timedelta(days=21)

    def test_interval_is_a_setting(self) -> None:
        settings = PipelineSettings(follow_up_after=timedelta(days=3))
        step = core.next_step(contact(Stage.REQUESTED, [sent(0)]), T0, settings)
        assert step is not None and step.due_at == T0 + timedelta(days=3)

    def test_agreed_means_book_a_time(self) -> None:
        step = core.next_step(contact(Stage.AGREED, [sent(2, AttemptOutcome.YES)]), T0)
        assert step is not None and step.kind is StepKind.SCHEDULE

    def test_scheduled_points_at_the_earliest_upcoming_interview(self) -> None:
        later = Interview(T0 + timedelta(days=9), 20)
        sooner = Interview(T0 + timedelta(days=3), 30)
        cancelled = Interview(T0 + timedelta(days=1), 20, InterviewStatus.CANCELLED)
        step = core.next_step(contact(Stage.SCHEDULED, interviews=[later, sooner, cancelled]), T0)
        assert step is not None and step.kind is StepKind.INTERVIEW and step.due_at == sooner.starts_at

    def test_keep_in_touch_six_weeks_after_the_interview_ends(self) -> None:
        done = Interview(T0, 30, InterviewStatus.DONE)
        step = core.next_step(contact(Stage.INTERVIEWED, interviews=[done]), T0)
        assert step is not None and step.kind is StepKind.KEEP_IN_TOUCH
        assert step.due_at == T0 + timedelta(minutes=30) + timedelta(weeks=6)

    def test_a_later_touch_restarts_the_clock(self) -> None:
        done = Interview(T0, 30, InterviewStatus.DONE)
        touched = T0 + timedelta(days=20)
        c = contact(Stage.INTERVIEWED, interviews=[done], last_touch_at=touched)
        step = core.next_step(c, T0)
        assert step is not None and step.due_at == touched + timedelta(weeks=6)

    @pytest.mark.parametrize("stage", [Stage.DECLINED, Stage.NO_RESPONSE])
    def test_closed_contacts_have_no_step(self, stage: Stage) -> None:
        assert core.next_step(contact(stage), T0) is None

    def test_upcoming_steps_sorted_and_limited(self) -> None:
        contacts = [
            contact(Stage.REQUESTED, [sent(0)], name="Later"),
            contact(name="Now"),
            contact(Stage.DECLINED, name="Closed"),
        ] + [contact(Stage.REQUESTED, [sent(i)], name=f"N{i}") for i in range(1, 6)]
        steps = core.upcoming_steps(contacts, T0, limit=3)
        assert [s.text for s in steps] == [
            "Send a request to Now",
            "Follow up with Later",
            "Follow up with N1",
        ]

    def test_stage_counts_include_every_stage(self) -> None:
        counts = core.stage_counts([Stage.TARGET, Stage.TARGET, Stage.SCHEDULED])
        assert counts[Stage.TARGET] == 2 and counts[Stage.SCHEDULED] == 1
        assert set(counts) == set(Stage) and sum(counts.values()) == 3


def test_labels_exist_for_every_value() -> None:
    for kind in (Stage, Degree, OutreachChannel, core.Source, core.InterviewFormat):
        for member in kind:
            assert member.label
