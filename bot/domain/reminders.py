"""A reminder's life once the rules have logged it: statuses, resolutions, snoozing, and what **Done**
does for each kind. Pure: the caller passes ``now`` and stores the result.

A logged reminder is ``pending`` (waiting for its time or for working hours), ``sending`` (claimed
by a sweep), ``sent`` (in the student's DM, its buttons live), then closed: ``resolved`` (the
student acted, the resolution says how), ``obsolete`` (things moved on another way), ``expired``
(its moment passed, e.g. preparing once the interview began) or ``failed`` (the student can't be
reached).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class NudgeKind(StrEnum):
    """What a reminder is about (the rules that log each are in ``bot.domain.nudges``)."""

    FOLLOW_UP = "follow_up"
    PHONE_CALL = "phone_call"
    MOVE_ON = "move_on"
    PREPARE = "prepare"
    WRAP_UP = "wrap_up"
    THANK_YOU = "thank_you"
    REFERRALS = "referrals"
    THANK_INTRODUCER = "thank_introducer"
    KEEP_IN_TOUCH = "keep_in_touch"
    WEEKLY_PLAN = "weekly_plan"


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RESOLVED = "resolved"
    OBSOLETE = "obsolete"
    EXPIRED = "expired"
    FAILED = "failed"

    @property
    def is_closed(self) -> bool:
        """Dealt with, one way or another: it will not be sent again."""
        return self in (ReminderStatus.RESOLVED, ReminderStatus.OBSOLETE, ReminderStatus.EXPIRED)


class Resolution(StrEnum):
    """How a reminder was dealt with."""

    DONE = "done"
    SNOOZED = "snoozed"
    MOVED_ON = "moved_on"
    REPLIED_YES = "replied_yes"
    REPLIED_NO = "replied_no"
    REPLIED_LATER = "replied_later"
    NOTES = "notes"
    MISSED = "missed"
    RESCHEDULED = "rescheduled"
    REFERRALS = "referrals"
    OBSOLETE = "obsolete"


class SnoozeChoice(StrEnum):
    ONE_DAY = "1d"
    THREE_DAYS = "3d"
    ONE_WEEK = "1w"

    @property
    def delay(self) -> timedelta:
        return {"1d": timedelta(days=1), "3d": timedelta(days=3), "1w": timedelta(weeks=1)}[self.value]

    @property
    def label(self) -> str:
        return {"1d": "1 day", "3d": "3 days", "1w": "1 week"}[self.value]

    @classmethod
    def parse(cls, raw: str) -> SnoozeChoice | None:
        try:
            return cls(raw)
        except ValueError:
            return None


class DoneEffect(StrEnum):
    """What pressing **Done** on a reminder records besides closing it."""

    RECORD_ATTEMPT = "record_attempt"  # a follow-up went out
    RECORD_CALL = "record_call"  # the phone call was made
    THANKED = "thanked"  # the thank-you was sent: a touch, and the 48 h clock stops
    INTRODUCER_THANKED = "introducer_thanked"
    TOUCHED = "touched"  # a keep-in-touch note went out: the next check-in counts from now
    NOTHING = "nothing"


DONE_EFFECTS: dict[NudgeKind, DoneEffect] = {
    NudgeKind.FOLLOW_UP: DoneEffect.RECORD_ATTEMPT,
    NudgeKind.PHONE_CALL: DoneEffect.RECORD_CALL,
    NudgeKind.MOVE_ON: DoneEffect.NOTHING,
    NudgeKind.PREPARE: DoneEffect.NOTHING,
    NudgeKind.WRAP_UP: DoneEffect.NOTHING,
    NudgeKind.THANK_YOU: DoneEffect.THANKED,
    NudgeKind.REFERRALS: DoneEffect.NOTHING,
    NudgeKind.THANK_INTRODUCER: DoneEffect.INTRODUCER_THANKED,
    NudgeKind.KEEP_IN_TOUCH: DoneEffect.TOUCHED,
    NudgeKind.WEEKLY_PLAN: DoneEffect.NOTHING,
}


def done_effect(kind: NudgeKind) -> DoneEffect:
    return DONE_EFFECTS[kind]


@dataclass(frozen=True)
class Reminder:
    """The part of a logged reminder that its transitions read and change."""

    kind: NudgeKind
    status: ReminderStatus
    due_at: datetime
    resolution: Resolution | None = None
    resolved_at: datetime | None = None

    @property
    def snoozed(self) -> bool:
        return self.status is ReminderStatus.PENDING and self.resolution is Resolution.SNOOZED


class ClickRefused(Exception):
    """A click on a reminder that changes nothing; the message says why, for the student."""


CLOSED_WORDS: dict[Resolution | ReminderStatus, str] = {
    Resolution.DONE: "it was already done.",
    Resolution.MOVED_ON: "it was closed as no response.",
    Resolution.REPLIED_YES: "they already said yes.",
    Resolution.REPLIED_NO: "they already said no.",
    Resolution.REPLIED_LATER: "they said they'd get back to you later.",
    Resolution.NOTES: "the notes are already saved.",
    Resolution.MISSED: "it was marked as didn't happen.",
    Resolution.RESCHEDULED: "the interview was rescheduled.",
    Resolution.REFERRALS: "the referrals were already added.",
    Resolution.OBSOLETE: "this reminder is out of date.",
    ReminderStatus.EXPIRED: "its moment has passed.",
    ReminderStatus.FAILED: "it could not be delivered.",
}


def check_clickable(reminder: Reminder) -> None:
    """A button on a reminder works only while the reminder is in the student's DM, unresolved."""
    if reminder.status is ReminderStatus.SENT:
        return
    if reminder.snoozed:
        raise ClickRefused("Nothing changed: it is snoozed.")
    why = CLOSED_WORDS.get(reminder.resolution or reminder.status, "it was already handled.")
    raise ClickRefused(f"Nothing changed: {why}")


def resolve(reminder: Reminder, how: Resolution, now: datetime) -> Reminder:
    check_clickable(reminder)
    if how in (Resolution.SNOOZED, Resolution.OBSOLETE):
        raise ValueError(f"{how} is not a resolution a click gives")
    return replace(reminder, status=ReminderStatus.RESOLVED, resolution=how, resolved_at=now)


def mark_obsolete(reminder: Reminder, now: datetime) -> Reminder:
    """Things moved on another way: the reminder no longer applies."""
    return replace(reminder, status=ReminderStatus.OBSOLETE, resolution=Resolution.OBSOLETE, resolved_at=now)


def snooze_until(choice: SnoozeChoice, now: datetime, latest: datetime | None = None) -> datetime:
    """When a snoozed reminder comes back: after the delay, but never past ``latest`` (if later than now)."""
    until = now + choice.delay
    if latest is not None and latest > now:
        until = min(until, latest)
    return until


def snooze(
    reminder: Reminder, choice: SnoozeChoice, now: datetime, latest: datetime | None = None
) -> Reminder:
    """Back to pending, due again after the delay (capped at ``latest``); it goes out again then."""
    check_clickable(reminder)
    return replace(
        reminder,
        status=ReminderStatus.PENDING,
        resolution=Resolution.SNOOZED,
        due_at=snooze_until(choice, now, latest),
        resolved_at=None,
    )
