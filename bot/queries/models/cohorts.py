"""Display models of the cohort screens: the report, a student's own row, the join preview, who
looked, sharing, the mentor's Home and the weekly digest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain import pipeline as core
from bot.domain.cohort_digest import DigestNumbers, DigestSchedule
from bot.domain.cohort_report import ConsentPreview, ReportRow
from bot.domain.cohort_weekly import Progress
from bot.domain.cohorts import CohortStatus, CohortTargets, Member, MemberState, ShareKind, SharingLevel
from bot.domain.paging import Page

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
