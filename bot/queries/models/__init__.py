"""Display models: what a screen shows, as plain frozen dataclasses.

The reads in :mod:`bot.queries` fill them from the records; :mod:`bot.blocks` renders them. They
carry facts, never Block Kit or wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain import pipeline as core
from bot.domain.calendar import CalendarEntry
from bot.domain.chain import Chain
from bot.domain.cohort_weekly import Progress
from bot.domain.cohorts import CohortTargets
from bot.domain.drafts import Draft
from bot.domain.nextstep import StepKind
from bot.domain.nudges import NudgeKind

# The cohort screens' models live in bot/queries/models/cohorts.py; re-exported here.
from bot.queries.models.cohorts import (
    CohortInfo as CohortInfo,
)
from bot.queries.models.cohorts import (
    CohortReport as CohortReport,
)
from bot.queries.models.cohorts import (
    DigestContent as DigestContent,
)
from bot.queries.models.cohorts import (
    HomeCohort as HomeCohort,
)
from bot.queries.models.cohorts import (
    JoinPreview as JoinPreview,
)
from bot.queries.models.cohorts import (
    Look as Look,
)
from bot.queries.models.cohorts import (
    MentorNote as MentorNote,
)
from bot.queries.models.cohorts import (
    MyCohortRow as MyCohortRow,
)
from bot.queries.models.cohorts import (
    ShareChoices as ShareChoices,
)
from bot.queries.models.cohorts import (
    SharedItem as SharedItem,
)
from bot.queries.models.cohorts import (
    StudentDetail as StudentDetail,
)

# The App Home's and the Monday plan's own models live in bot/queries/models/home.py; re-exported here.
from bot.queries.models.home import (
    HomeScreen as HomeScreen,
)
from bot.queries.models.home import (
    PlanTargets as PlanTargets,
)
from bot.queries.models.home import (
    UpcomingInterview as UpcomingInterview,
)
from bot.queries.models.home import (
    WeekProgress as WeekProgress,
)

# Search: at most this many results in one answer.
FIND_LIMIT = 20
# What a contact led to, as stored in contacts.outcome; "none" clears it.
OUTCOMES: tuple[str, ...] = ("lead", "application", "offer", "none")
# Longest value kept per goal field, in characters (after cleaning).
GOAL_LIMITS: dict[str, int] = {
    "objective": 500,
    "target_industries": 200,
    "target_companies": 200,
    "target_roles": 200,
}


# Contacts --------------------------------------------------------------------------------------------


class ContactNews(StrEnum):
    """What just happened to a contact: the headline its card is shown with."""

    SAVED = "saved"
    REQUEST_RECORDED = "request_recorded"
    REPLIED_YES = "replied_yes"
    REPLIED_NO = "replied_no"
    REPLIED_LATER = "replied_later"
    INTERVIEW_BOOKED = "interview_booked"
    INTERVIEW_MISSED = "interview_missed"
    THANKS_RECORDED = "thanks_recorded"
    TOUCH_RECORDED = "touch_recorded"
    MOVED_ON = "moved_on"
    SNOOZED = "snoozed"
    EDITED = "edited"
    REFERRED = "referred"
    INTRODUCED = "introduced"
    # Offered after closing another contact: who is next on the list
    NEXT_TARGET = "next_target"
    # Nothing done (a click on an out-of-date card): the card as things stand
    AS_IT_STANDS = "as_it_stands"


@dataclass(frozen=True)
class StepLine:
    """A contact's next step as every screen shows it (the App Home, the Monday plan, the list, its
    card): one answer, from :mod:`bot.domain.nextstep`."""

    contact_id: int
    name: str
    kind: StepKind
    day: str | None = None
    """The local day its reminder comes ("Tue 19 Jan"); None when no reminder is planned for it."""
    overdue: bool = False
    """Its reminder was sent and is still waiting for the student."""
    nudge_id: int | None = None
    """That reminder, while it waits in the student's DM."""
    interview_id: int | None = None
    """The interview the step is about, when it is about one."""


@dataclass(frozen=True)
class ContactCard:
    """What a DM about one contact shows."""

    id: int
    version: int
    name: str
    stage: core.Stage
    degree: core.Degree
    company: str = ""
    role: str = ""
    industry: str = ""
    introducer: str = ""
    learning_goal: str = ""
    attempts: int = 0
    next_interview: datetime | None = None
    next_step: StepLine | None = None
    awaiting_introduction: bool = False
    """The latest request went to the introducer, who hasn't introduced them yet."""


@dataclass(frozen=True)
class ContactDetails:
    """Everything the student wrote about a contact, as the edit form shows it."""

    id: int
    version: int
    name: str
    stage: core.Stage
    degree: core.Degree
    company: str = ""
    role: str = ""
    industry: str = ""
    location: str = ""
    email: str = ""
    linkedin_url: str = ""
    phone: str = ""
    introducer: str = ""
    source: core.Source = core.Source.OTHER
    learning_goal: str = ""


@dataclass(frozen=True)
class ContactChoice:
    """A contact an interview can be booked with, as the picker lists it."""

    id: int
    version: int
    label: str


@dataclass(frozen=True)
class ContactDrafts:
    """The drafts that fit a contact where it stands."""

    contact_id: int
    version: int
    name: str
    stage: core.Stage
    email: str
    # (field, label, draft); the field "draft" is the one sent to the contact
    drafts: tuple[tuple[str, str, Draft], ...]
    introducer: str = ""
    asks_route: bool = False
    """A 2nd-degree target: "Sent it" asks whether the introducer or the contact was written to."""

    @property
    def records_a_request(self) -> bool:
        """Whether "Sent it" records a request or follow-up (a contact not yet answering)."""
        return self.stage in (core.Stage.TARGET, core.Stage.REQUESTED)


# Search and goals ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundContact:
    """One search result: the contact, its referral chain and what it led to."""

    card: ContactCard
    chain: Chain = field(default_factory=Chain)
    outcome: str | None = None


@dataclass(frozen=True)
class SearchResult:
    found: list[FoundContact]
    total: int


@dataclass(frozen=True)
class Goal:
    """What the student wants to learn and their weekly targets (users.preferences)."""

    objective: str = ""
    target_industries: str = ""
    target_companies: str = ""
    target_roles: str = ""
    weekly_requests: int = 2
    weekly_interviews: int = 1


# Interviews ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewInfo:
    """One interview as its confirmation DM and calendar file show it."""

    id: int
    contact_id: int
    contact_name: str
    company: str
    role: str
    starts_at: datetime
    duration_minutes: int
    format: core.InterviewFormat
    place: str
    status: core.InterviewStatus
    learning_goal: str
    questions: tuple[str, ...]
    created_at: datetime

    def calendar_entry(self, team_id: str, now: datetime) -> CalendarEntry:
        return CalendarEntry(
            interview_id=self.id,
            team_id=team_id,
            contact_name=self.contact_name,
            starts_at=self.starts_at,
            duration_minutes=self.duration_minutes,
            company=self.company,
            place=self.place,
            format_label=self.format.label,
            objective=self.learning_goal,
            questions=self.questions,
            # Calendar apps apply the update with the highest sequence: seconds since it was made.
            sequence=max(0, int((now - self.created_at).total_seconds())),
            cancelled=self.status is core.InterviewStatus.CANCELLED,
        )


@dataclass(frozen=True)
class PreparedInterview:
    """One interview as the questions form and DM show it."""

    interview_id: int
    contact_name: str
    starts_at: datetime
    questions: tuple[str, ...]


# Nudge DMs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortPlan:
    """A cohort of the student's in their Monday plan: its targets beside their own goal, and their
    last week against their own trend and the cohort's median (never a rank)."""

    name: str
    targets: CohortTargets
    progress: tuple[Progress, ...]


@dataclass(frozen=True)
class WeeklySummary:
    requests_sent: int
    requests_goal: int
    interviews: int
    interviews_goal: int
    targets: int
    due: tuple[StepLine, ...] = ()
    objective: str = ""
    targets_text: str = ""
    cohorts: tuple[CohortPlan, ...] = ()
    progress: WeekProgress | None = None
    cards: tuple[ContactCard, ...] = ()
    """The contacts of ``due``, in the same order, for their buttons."""
    picked: tuple[ContactCard, ...] = ()
    """The targets the student picked for this week."""
    quiet: bool = False
    """Nothing moved for two weeks: the plan offers help instead of the same lines."""
    suggested: tuple[ContactCard, ...] = ()
    """Three people to start with, on a quiet week."""


@dataclass(frozen=True)
class NudgeItem:
    """One reminder in a nudge DM, with what it shows; once ``resolution`` is set, what became of it
    replaces its buttons."""

    nudge_id: int
    kind: NudgeKind
    contact_name: str = ""
    company: str = ""
    role: str = ""
    learning_goal: str = ""
    introducer: str = ""
    attempts: int = 0
    interview_at: datetime | None = None
    interview_minutes: int = 0
    interview_place: str = ""
    draft: Draft | None = None
    step: int = 1
    next_target: str = ""
    resolution: str | None = None
    """What became of it: a ``Resolution`` value ("done", "snoozed"…) or the status that closed it
    ("expired"); None while it waits for the student."""
    weekly: WeeklySummary | None = None
    questions: tuple[str, ...] = ()
    interview_id: int | None = None
    snoozed_until: str = ""
    """Snoozed: when it really comes back, the window's next opening in the student's timezone
    ("Thu 5 Mar at 09:00")."""
    snooze_capped_hours: int = 0
    """Snoozed to the latest a thank-you may wait (these hours after the interview), not the delay chosen."""
    next_step: StepLine | None = None
    """Done: the contact's next step, its day the one its reminder really comes (None: nothing next)."""


@dataclass(frozen=True)
class NudgeDraft:
    """The draft a reminder offers, and the contact's email for a mail link (none for an introducer)."""

    kind: NudgeKind
    draft: Draft
    email: str = ""


@dataclass(frozen=True)
class WrapUp:
    """The interview a wrap-up or referrals reminder is about, for the modals it opens."""

    contact_name: str
    interview_id: int
