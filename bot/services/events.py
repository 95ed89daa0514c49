"""What a service call did, as events: the handlers turn each into its Slack effect (handlers/effects.py).

An event says what happened, with ids only; whoever shows it reads the display model afresh through
:mod:`bot.queries`. ``user`` is always the Slack user id of the user it happened to.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.queries.models import ContactCard, ContactNews, InterviewInfo, PreparedInterview


@dataclass(frozen=True)
class ContactChanged:
    """The user changed a contact from its card: the card shows the news where they acted."""

    contact_id: int
    news: ContactNews


@dataclass(frozen=True)
class ContactCardStale:
    """A click on an out-of-date contact card did nothing: the card is redrawn as things stand."""

    contact_id: int


@dataclass(frozen=True)
class ContactCardOffered:
    """A contact's card, with the news, is worth a new DM (just logged, said yes, interview missed)."""

    contact_id: int
    news: ContactNews


@dataclass(frozen=True)
class ContactRemoved:
    """The user removed a contact: where they did it says so (the name is all that is left of it)."""

    contact_id: int
    name: str


@dataclass(frozen=True)
class RequestRouteAsked:
    """A first request to a 2nd-degree contact was sent, but to whom? The card asks, where it was
    clicked (nothing is recorded until the user says)."""

    contact_id: int


@dataclass(frozen=True)
class NudgeDmChanged:
    """A nudge DM's reminders changed (done, snoozed, out of date…): the DM is redrawn."""

    channel: str
    ts: str
    user: str


@dataclass(frozen=True)
class InterviewBooked:
    """An interview was booked or moved: its confirmation DM and calendar file go out."""

    interview_id: int
    rescheduled: bool = False


@dataclass(frozen=True)
class InterviewCancelled:
    """An interview was cancelled: its DM says so and the calendar gets a cancellation."""

    interview_id: int


@dataclass(frozen=True)
class QuestionsPrepared:
    """An interview's questions were saved: the user gets them in a DM."""

    interview_id: int


@dataclass(frozen=True)
class OutcomeRecorded:
    """What a contact led to was recorded (None: cleared)."""

    contact_id: int
    outcome: str | None


@dataclass(frozen=True)
class SettingsSaved:
    user: str


@dataclass(frozen=True)
class GoalSaved:
    user: str


@dataclass(frozen=True)
class UserSeen:
    """A user acted: their Slack timezone is worth learning if it isn't known yet."""

    user: str


@dataclass(frozen=True)
class HomeStale:
    """The user's App Home no longer shows their records: it is published again."""

    user: str


@dataclass(frozen=True)
class CohortAnnounced:
    """A channel became a cohort: the announcement with its Join button goes to the channel."""

    cohort_id: int


@dataclass(frozen=True)
class CohortClosed:
    """A mentor closed the cohort: the channel is told."""

    cohort_id: int


@dataclass(frozen=True)
class StudentNudged:
    """A mentor nudged a student: a friendly DM from the mentor, with the student's next step."""

    cohort_id: int
    student: str
    mentor: str


Event = (
    ContactChanged
    | ContactCardStale
    | ContactCardOffered
    | ContactRemoved
    | RequestRouteAsked
    | NudgeDmChanged
    | InterviewBooked
    | InterviewCancelled
    | QuestionsPrepared
    | OutcomeRecorded
    | SettingsSaved
    | GoalSaved
    | UserSeen
    | HomeStale
    | CohortAnnounced
    | CohortClosed
    | StudentNudged
)


# Results: the events, and the plain data a caller may need -------------------------------------------


@dataclass(frozen=True)
class Result:
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class ContactResult:
    card: ContactCard
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class InterviewResult:
    info: InterviewInfo
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class QuestionsResult:
    prepared: PreparedInterview
    events: tuple[Event, ...] = ()
