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
from bot.domain.cohort_digest import DigestNumbers, DigestSchedule
from bot.domain.cohort_report import ConsentPreview, ReportRow
from bot.domain.cohort_weekly import Progress
from bot.domain.cohorts import CohortStatus, CohortTargets, Member, MemberState, ShareKind, SharingLevel
from bot.domain.drafts import Draft
from bot.domain.nextstep import StepKind
from bot.domain.nudges import NudgeKind
from bot.domain.paging import Page

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


@dataclass(frozen=True)
class NudgeItem:
    """One reminder in a nudge DM, with what it shows; ``resolution`` (safe mrkdwn) replaces its buttons."""

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
    weekly: WeeklySummary | None = None
    questions: tuple[str, ...] = ()
    interview_id: int | None = None


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


# Cohorts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortInfo:
    """A cohort as every cohort screen names it (``name`` is user text: escape it)."""

    id: int
    channel_id: str
    name: str
    status: CohortStatus
    targets: CohortTargets
    schedule: DigestSchedule
    mentors: tuple[str, ...]
    """The mentors' Slack ids."""


@dataclass(frozen=True)
class CohortReport:
    """One page of the mentor's report (rows: who needs attention first)."""

    cohort: CohortInfo
    page: Page[ReportRow]
    flagged: int
    states: dict[MemberState, int]


@dataclass(frozen=True)
class SharedItem:
    """A contact or an interview a student shared with their cohort's mentors."""

    kind: ShareKind
    contact_name: str
    company: str
    stage: core.Stage
    at: datetime
    takeaways: tuple[str, ...] = ()
    item_id: int = 0


@dataclass(frozen=True)
class MentorNote:
    author: str | None
    body: str
    at: datetime


@dataclass(frozen=True)
class StudentDetail:
    """One student as their cohort's mentors see them: their row, what they shared, the notes."""

    cohort: CohortInfo
    row: ReportRow
    shared: tuple[SharedItem, ...] = ()
    notes: tuple[MentorNote, ...] = ()


@dataclass(frozen=True)
class MyCohortRow:
    """A student's own row (``/infoint cohort me``), with their week against their own trend and the
    cohort's median."""

    cohort: CohortInfo
    member: Member
    row: ReportRow
    progress: tuple[Progress, ...] = ()
    shared: tuple[SharedItem, ...] = ()


@dataclass(frozen=True)
class JoinPreview:
    """What a student sees before joining: exactly what the mentor will see, at each level."""

    cohort: CohortInfo
    counts: ConsentPreview
    stages: ConsentPreview


@dataclass(frozen=True)
class Look:
    """One entry of "who looked": a mentor saw the whole report, or this student's row."""

    viewer: str
    what: str
    at: datetime
    whole_cohort: bool


@dataclass(frozen=True)
class ShareChoices:
    """The sharing form: the student's level, and what they may share or have shared."""

    cohort: CohortInfo
    level: SharingLevel
    celebrate: bool
    contacts: tuple[tuple[int, str], ...]
    interviews: tuple[tuple[int, str], ...]
    shared: tuple[SharedItem, ...]


@dataclass(frozen=True)
class HomeCohort:
    """A cohort on a user's App Home: for a mentor, the report's top rows; for a student, their row."""

    cohort: CohortInfo
    mentor: bool
    rows: tuple[ReportRow, ...]
    students: int
    flagged: int


@dataclass(frozen=True)
class DigestContent:
    """The weekly digest: the numbers, placements celebrated by name (only those who agreed), how
    many met the targets, and the students who need attention (for the mentors' DM only)."""

    cohort: CohortInfo
    numbers: DigestNumbers
    celebrated: tuple[tuple[str, str], ...]
    """(Slack id, what they got) of students placed that week who agreed to be named."""
    on_target: int
    active: int
    attention: tuple[ReportRow, ...] = field(default_factory=tuple)
    medians: dict[str, float | None] = field(default_factory=dict)
    """The week's medians over active students, by measure (kept with the digest for the plans)."""
