"""A contact's next step: what to do, from when, and whether a reminder about it is waiting.

The one answer to "what's next". It is read off the same rules that plan the reminders
(``bot.domain.nudges``) and the reminders already logged for the contact, so the App Home, the
Monday plan, ``/infoint list``, the contact DM and the reminders themselves always agree:

- a step backed by a reminder is due when that reminder comes (a snooze moves it);
- it is *overdue* only once its reminder was sent and not dealt with;
- a step with no reminder behind it (send the first request, book a time once the reminder about
  it was dealt with) has no due date: it is up to the student, and nothing pretends otherwise.

Pure: facts, ``now`` and settings in; no Slack, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from bot.domain.nudges import ContactFacts, Nudge, NudgeSettings, contact_nudges
from bot.domain.pipeline import InterviewStatus, Stage
from bot.domain.reminders import NudgeKind, ReminderStatus


class StepKind(StrEnum):
    SEND_REQUEST = "send_request"
    FOLLOW_UP = "follow_up"
    INTRO_FOLLOW_UP = "intro_follow_up"
    PHONE_CALL = "phone_call"
    MOVE_ON = "move_on"
    SCHEDULE = "schedule"
    BOOK = "book"
    REBOOK = "rebook"
    PREPARE = "prepare"
    WRAP_UP = "wrap_up"
    THANK_YOU = "thank_you"
    REFERRALS = "referrals"
    THANK_INTRODUCER = "thank_introducer"
    KEEP_IN_TOUCH = "keep_in_touch"


# When two steps fall due at the same instant, the one that matters more for the method comes first.
PRIORITY: tuple[StepKind, ...] = (
    StepKind.THANK_YOU,
    StepKind.WRAP_UP,
    StepKind.PREPARE,
    StepKind.BOOK,
    StepKind.REBOOK,
    StepKind.SCHEDULE,
    StepKind.FOLLOW_UP,
    StepKind.INTRO_FOLLOW_UP,
    StepKind.PHONE_CALL,
    StepKind.MOVE_ON,
    StepKind.REFERRALS,
    StepKind.THANK_INTRODUCER,
    StepKind.KEEP_IN_TOUCH,
    StepKind.SEND_REQUEST,
)


@dataclass(frozen=True)
class NextStep:
    contact_id: int
    name: str
    kind: StepKind
    due_at: datetime | None
    """When its reminder comes (or came); None when no reminder is planned for it."""
    overdue: bool = False
    """Its reminder was sent and the student has not dealt with it yet."""
    interview_at: datetime | None = None
    """The interview the step is about, when it is about one."""
    nudge_key: str | None = None
    after_later: bool = False
    """A follow-up planned because they said "later"."""
    interview_id: int | None = None
    nudge_id: int | None = None
    """The reminder about it, while it waits in the student's DM (sent, not dealt with)."""

    @property
    def dated(self) -> bool:
        return self.due_at is not None

    def sort_key(self) -> tuple[int, datetime, int, str, int]:
        """Overdue first, then by due time, undated last; ties by what matters more."""
        return (
            0 if self.overdue else 1 if self.dated else 2,
            self.due_at or NEVER,
            PRIORITY.index(self.kind),
            self.name.casefold(),
            self.contact_id,
        )


NEVER = datetime.max.replace(tzinfo=UTC)


def _step(
    contact: ContactFacts, nudge: Nudge, due: datetime, overdue: bool, nudge_id: int | None = None
) -> NextStep:
    interview_at = None
    if nudge.interview_id is not None:
        interview_at = next((i.starts_at for i in contact.interviews if i.id == nudge.interview_id), None)
    return NextStep(
        contact_id=contact.id,
        name=contact.name,
        kind=StepKind(nudge.kind.value),
        due_at=due,
        overdue=overdue,
        interview_at=interview_at,
        nudge_key=nudge.key,
        after_later=":later:" in nudge.key,
        interview_id=nudge.interview_id,
        nudge_id=nudge_id if overdue else None,
    )


def open_steps(contact: ContactFacts, now: datetime, settings: NudgeSettings) -> list[NextStep]:
    """Every step still open for the contact, the most pressing first (empty when it is closed)."""
    if contact.stage.is_closed:
        return []
    if contact.stage is Stage.TARGET:
        return [NextStep(contact.id, contact.name, StepKind.SEND_REQUEST, None)]
    by_series: dict[str, NextStep] = {}
    steps: list[NextStep] = []
    for nudge in contact_nudges(contact, settings):
        if nudge.kind is NudgeKind.WEEKLY_PLAN:
            continue
        logged = contact.logged.get(nudge.key)
        if logged is not None and logged.status.is_closed:
            continue  # dealt with
        if nudge.expires_at is not None and nudge.expires_at <= now:
            continue  # its moment passed (preparing, once the interview has begun)
        due = logged.due_at if logged is not None else nudge.due_at
        sent = logged is not None and logged.status is ReminderStatus.SENT
        step = _step(contact, nudge, due, overdue=sent, nudge_id=logged.nudge_id if logged else None)
        if nudge.series is None:
            steps.append(step)
            continue
        # A series (the thank-you: same day, 24 h, 48 h) is one step: due at its first open
        # reminder, overdue once any of them was sent.
        held = by_series.get(nudge.series)
        if held is None:
            by_series[nudge.series] = step
        else:
            by_series[nudge.series] = replace(
                held,
                due_at=min(held.due_at or due, due),
                overdue=held.overdue or step.overdue,
                nudge_id=step.nudge_id or held.nudge_id,
            )
    steps += by_series.values()
    if not steps and contact.stage in (Stage.AGREED, Stage.SCHEDULED):
        upcoming = any(i.status is InterviewStatus.SCHEDULED for i in contact.interviews)
        if not upcoming:
            steps.append(NextStep(contact.id, contact.name, StepKind.SCHEDULE, None))
    return sorted(steps, key=NextStep.sort_key)


def next_step(contact: ContactFacts, now: datetime, settings: NudgeSettings) -> NextStep | None:
    """The one thing to do next about a contact; None when there is nothing (closed, or all done)."""
    steps = open_steps(contact, now, settings)
    return steps[0] if steps else None


def next_steps(contacts: Iterable[ContactFacts], now: datetime, settings: NudgeSettings) -> list[NextStep]:
    """Each contact's next step, the most pressing first."""
    steps = [s for s in (next_step(c, now, settings) for c in contacts) if s is not None]
    return sorted(steps, key=NextStep.sort_key)
