"""The pipeline core: transitions and attempts. Pure functions, tested hardest (a contact's next
step is in tests/test_nextstep.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import pipeline as core
from bot.domain.pipeline import (
    Attempt,
    AttemptOutcome,
    Degree,
    Event,
    OutreachChannel,
    PipelineSettings,
    Stage,
    TransitionError,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


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


def test_labels_exist_for_every_value() -> None:
    for kind in (Stage, Degree, OutreachChannel, core.Source, core.InterviewFormat):
        for member in kind:
            assert member.label


class TestIntroductions:
    """A 2nd-degree contact: the first request may go to the introducer (issue 9)."""

    def asked(self, days: float, outcome: AttemptOutcome = AttemptOutcome.PENDING) -> Attempt:
        return Attempt(T0 + timedelta(days=days), OutreachChannel.INTRODUCTION, outcome)

    def test_awaiting_while_the_latest_request_for_an_introduction_is_unanswered(self) -> None:
        assert core.awaiting_introduction([self.asked(0)])
        assert core.awaiting_introduction([sent(0, AttemptOutcome.LATER), self.asked(3), self.asked(10)])
        assert not core.awaiting_introduction([self.asked(0), sent(7)])
        assert not core.awaiting_introduction([self.asked(0, AttemptOutcome.INTRODUCED)])
        assert not core.awaiting_introduction([])

    def test_only_a_second_degree_target_not_yet_introduced_asks_whom_the_request_went_to(self) -> None:
        assert core.asks_route(Degree.SECOND, Stage.TARGET, [])
        assert not core.asks_route(Degree.SECOND, Stage.TARGET, [self.asked(0, AttemptOutcome.INTRODUCED)])
        assert not core.asks_route(Degree.SECOND, Stage.REQUESTED, [self.asked(0)])
        assert not core.asks_route(Degree.FIRST, Stage.TARGET, [])
        assert not core.asks_route(Degree.COLD, Stage.TARGET, [])

    def test_introduced_puts_the_request_to_the_contact_next(self) -> None:
        assert core.transition(Stage.REQUESTED, Event.INTRODUCED) is Stage.TARGET
        with pytest.raises(TransitionError, match="no request for an introduction"):
            core.transition(Stage.AGREED, Event.INTRODUCED)

    def test_an_introduction_answers_the_request_for_it(self) -> None:
        attempts = [self.asked(0), self.asked(7, AttemptOutcome.INTRODUCED), sent(8)]
        assert core.unanswered_attempts(attempts) == 1
        assert core.check_request_sent(Stage.REQUESTED, attempts) is Stage.REQUESTED
