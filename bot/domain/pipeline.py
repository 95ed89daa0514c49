"""The contact pipeline: stages, the events that move a contact between them, and the next step.

Pure code: no Slack, no database, no clock. Every function takes what it needs, ``now`` included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Degree(StrEnum):
    """How the student is connected to a contact."""

    FIRST = "first"
    SECOND = "second"
    COLD = "cold"

    @property
    def label(self) -> str:
        return {"first": "1st degree", "second": "2nd degree", "cold": "Cold"}[self.value]


class Stage(StrEnum):
    """Where a contact stands. The order is the order of the funnel."""

    TARGET = "target"
    REQUESTED = "requested"
    AGREED = "agreed"
    SCHEDULED = "scheduled"
    INTERVIEWED = "interviewed"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self in (Stage.DECLINED, Stage.NO_RESPONSE)


STAGE_LABELS: dict[Stage, str] = {
    Stage.TARGET: "Targets",
    Stage.REQUESTED: "Request sent, waiting for a reply",
    Stage.AGREED: "Said yes, to schedule",
    Stage.SCHEDULED: "Interview scheduled",
    Stage.INTERVIEWED: "Interviewed",
    Stage.DECLINED: "Declined",
    Stage.NO_RESPONSE: "Closed, no response",
}


class OutreachChannel(StrEnum):
    """How a request or follow-up was sent."""

    EMAIL = "email"
    LINKEDIN = "linkedin"
    PHONE = "phone"
    INTRODUCTION = "introduction"

    @property
    def label(self) -> str:
        return {
            "email": "Email",
            "linkedin": "LinkedIn",
            "phone": "Phone call",
            "introduction": "Introduction request",
        }[self.value]


class AttemptOutcome(StrEnum):
    PENDING = "pending"
    YES = "yes"
    NO = "no"
    LATER = "later"
    NO_RESPONSE = "no_response"
    # A request for an introduction that the mutual connection answered by introducing them
    INTRODUCED = "introduced"


class RequestRoute(StrEnum):
    """Whom a first request to a 2nd-degree contact went to: the introducer, or the contact."""

    INTRODUCTION = "introduction"
    DIRECT = "direct"


class InterviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"


class InterviewFormat(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in_person"

    @property
    def label(self) -> str:
        return {"phone": "Phone", "video": "Video call", "in_person": "In person"}[self.value]


class Source(StrEnum):
    """Where a contact came from (METHOD.md, section 2)."""

    FAMILY_FRIENDS = "family_friends"
    FORMER_COLLEAGUE = "former_colleague"
    PROFESSOR = "professor"
    ALUMNI = "alumni"
    ASSOCIATION = "association"
    LINKEDIN = "linkedin"
    COMPANY_WEBSITE = "company_website"
    NEWS = "news"
    REFERRAL = "referral"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS: dict[Source, str] = {
    Source.FAMILY_FRIENDS: "Family and friends",
    Source.FORMER_COLLEAGUE: "Former colleague or employer",
    Source.PROFESSOR: "Professor",
    Source.ALUMNI: "Alumni directory",
    Source.ASSOCIATION: "Professional association",
    Source.LINKEDIN: "LinkedIn",
    Source.COMPANY_WEBSITE: "Company website",
    Source.NEWS: "News about a company",
    Source.REFERRAL: "Referral from an interview",
    Source.OTHER: "Other",
}


class Event(StrEnum):
    """Things that happen to a contact."""

    REQUEST_SENT = "request_sent"
    REPLIED_YES = "replied_yes"
    REPLIED_NO = "replied_no"
    REPLIED_LATER = "replied_later"
    INTERVIEW_SCHEDULED = "interview_scheduled"
    INTERVIEW_CANCELLED = "interview_cancelled"
    INTERVIEW_DONE = "interview_done"
    CLOSED_NO_RESPONSE = "closed_no_response"
    REOPENED = "reopened"
    # The mutual connection introduced them: the direct request is next.
    INTRODUCED = "introduced"


# (stage, event) -> new stage. Anything absent is not allowed.
TRANSITIONS: dict[tuple[Stage, Event], Stage] = {
    (Stage.TARGET, Event.REQUEST_SENT): Stage.REQUESTED,
    (Stage.REQUESTED, Event.REQUEST_SENT): Stage.REQUESTED,
    (Stage.REQUESTED, Event.REPLIED_YES): Stage.AGREED,
    (Stage.REQUESTED, Event.REPLIED_NO): Stage.DECLINED,
    (Stage.REQUESTED, Event.REPLIED_LATER): Stage.REQUESTED,
    (Stage.REQUESTED, Event.CLOSED_NO_RESPONSE): Stage.NO_RESPONSE,
    # Only the introduction was asked for: once made, the request to the contact is still to send.
    (Stage.REQUESTED, Event.INTRODUCED): Stage.TARGET,
    (Stage.TARGET, Event.CLOSED_NO_RESPONSE): Stage.NO_RESPONSE,
    # A 1st-degree contact may say yes on the spot: scheduling straight from a target is allowed.
    (Stage.TARGET, Event.INTERVIEW_SCHEDULED): Stage.SCHEDULED,
    (Stage.REQUESTED, Event.INTERVIEW_SCHEDULED): Stage.SCHEDULED,
    (Stage.AGREED, Event.INTERVIEW_SCHEDULED): Stage.SCHEDULED,
    (Stage.SCHEDULED, Event.INTERVIEW_SCHEDULED): Stage.SCHEDULED,
    (Stage.SCHEDULED, Event.INTERVIEW_CANCELLED): Stage.AGREED,
    (Stage.SCHEDULED, Event.INTERVIEW_DONE): Stage.INTERVIEWED,
    # Talking to someone again (a second conversation) is a new interview with the same contact.
    (Stage.INTERVIEWED, Event.INTERVIEW_SCHEDULED): Stage.SCHEDULED,
    (Stage.DECLINED, Event.REOPENED): Stage.TARGET,
    (Stage.NO_RESPONSE, Event.REOPENED): Stage.TARGET,
}


class TransitionError(ValueError):
    """An event that does not apply to a contact in its current stage. The message is for the user."""

    def __init__(self, stage: Stage, event: Event, message: str) -> None:
        super().__init__(message)
        self.stage = stage
        self.event = event


@dataclass(frozen=True)
class PipelineSettings:
    """The method's numbers (METHOD.md, section 4). Every one can be changed per user."""

    follow_up_after: timedelta = timedelta(days=7)
    max_attempts: int = 3
    keep_in_touch_after: timedelta = timedelta(weeks=6)
    later_follow_up_after: timedelta = timedelta(days=14)
    thank_you_within: timedelta = timedelta(hours=48)
    referrals_wanted: int = 2


DEFAULT_SETTINGS = PipelineSettings()


@dataclass(frozen=True)
class Attempt:
    sent_at: datetime
    channel: OutreachChannel
    outcome: AttemptOutcome = AttemptOutcome.PENDING
    replied_at: datetime | None = None


def transition(stage: Stage, event: Event) -> Stage:
    """The stage after ``event``; raises TransitionError with a message the user can read."""
    try:
        return TRANSITIONS[(stage, event)]
    except KeyError:
        raise TransitionError(stage, event, _refusal(stage, event)) from None


def _refusal(stage: Stage, event: Event) -> str:
    if stage.is_closed:
        return f"This contact is closed ({stage.label.lower()}). Reopen it first."
    if event is Event.REQUEST_SENT:
        return f"A request can't be recorded now: the contact is at “{stage.label}”."
    if event is Event.INTERVIEW_DONE:
        return "There is no scheduled interview to mark as done."
    if event is Event.INTRODUCED:
        return "There is no request for an introduction waiting for an answer."
    return f"That doesn't apply to a contact at “{stage.label}”."


def unanswered_attempts(attempts: Iterable[Attempt]) -> int:
    """Attempts since the last reply of any kind."""
    count = 0
    for attempt in sorted(attempts, key=lambda a: a.sent_at):
        count = count + 1 if attempt.outcome is AttemptOutcome.PENDING else 0
    return count


def awaiting_introduction(attempts: Iterable[Attempt]) -> bool:
    """The latest attempt asked the mutual connection for an introduction, still unanswered."""
    latest = max(attempts, key=lambda a: a.sent_at, default=None)
    return (
        latest is not None
        and latest.channel is OutreachChannel.INTRODUCTION
        and latest.outcome is AttemptOutcome.PENDING
    )


def asks_route(degree: Degree, stage: Stage, attempts: Iterable[Attempt]) -> bool:
    """Whether a first request just sent needs saying whom it went to: a 2nd-degree target may have
    asked the introducer for an introduction or written to the contact directly (once introduced,
    the request is direct)."""
    if degree is not Degree.SECOND or stage is not Stage.TARGET:
        return False
    return not any(a.outcome is AttemptOutcome.INTRODUCED for a in attempts)


def check_request_sent(
    stage: Stage, attempts: Sequence[Attempt], settings: PipelineSettings = DEFAULT_SETTINGS
) -> Stage:
    """Validate recording one more outreach attempt; return the stage after it."""
    new_stage = transition(stage, Event.REQUEST_SENT)
    if unanswered_attempts(attempts) >= settings.max_attempts:
        raise TransitionError(
            stage,
            Event.REQUEST_SENT,
            f"{settings.max_attempts} tries already went unanswered: time to close this one and move on.",
        )
    return new_stage


def stage_counts(stages: Iterable[Stage]) -> dict[Stage, int]:
    counts = dict.fromkeys(Stage, 0)
    for stage in stages:
        counts[stage] += 1
    return counts
