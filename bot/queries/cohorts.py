"""Reading cohorts for the screens: the mentor's report and a student's detail, a student's own row
with their week against their own trend and the cohort's median, the consent preview, who looked,
the sharing form, the App Home's cohort sections, and the Monday plan's cohort lines.

Functions of an open session inside the caller's unit of work (the services check who may read what
and record every mentor view first); they return display models, never records, and no contact
data but what a student shared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain.cohort_digest import DigestSlot, digest_numbers
from bot.domain.cohort_report import (
    ReportRow,
    StudentActivity,
    consent_preview,
    needs_attention,
    report_csv,
    report_row,
    report_rows,
)
from bot.domain.cohort_weekly import (
    CHART_WEEKS,
    WEEK,
    ZERO,
    Measure,
    Progress,
    cohort_median,
    median,
    progress,
    weekly_csv,
    weeks_back,
    weeks_between,
)
from bot.domain.cohorts import CohortStatus, MemberState, ShareKind, SharingLevel
from bot.domain.paging import paginate
from bot.domain.window import week_start, zone
from bot.queries.contacts import card_of
from bot.queries.models import (
    CohortInfo,
    CohortPlan,
    CohortReport,
    ContactCard,
    DigestContent,
    HomeCohort,
    JoinPreview,
    Look,
    MentorNote,
    MyCohortRow,
    ShareChoices,
    SharedItem,
    StepLine,
    StudentDetail,
)
from bot.queries.steps import line_of, next_steps_of
from storage.cohort_activity import CohortActivity
from storage.cohort_digests import DigestLog
from storage.cohort_records import CohortRecords
from storage.cohorts import CohortStore, schedule_of, targets_of
from storage.db import Database
from storage.models import Cohort, Contact, Interview, Note, User
from storage.repository import Repository

REPORT_PAGE = 15
"""Students per page of the report: 15 rows and their buttons stay inside 50 blocks and, however
long their rows (every flag, a placement, stages), Slack's text budget for a message."""
HOME_ROWS = 8
"""The report's top rows on a mentor's App Home, per cohort."""
CHOICES = 100
"""The most options a select offers (Slack's limit)."""


def cohort_zone(cohort: Cohort) -> tzinfo:
    """The cohort's timezone (its digest's): its weeks and days."""
    return zone(cohort.digest_timezone)


def info_of(store: CohortStore, cohort: Cohort) -> CohortInfo:
    return CohortInfo(
        id=cohort.id,
        channel_id=cohort.channel_id,
        name=cohort.name,
        status=CohortStatus(cohort.status),
        targets=targets_of(cohort),
        schedule=schedule_of(cohort),
        mentors=tuple(m.slack_user_id for m in store.mentors(cohort)),
    )


def rows_of(store: CohortStore, cohort: Cohort, now: datetime) -> list[ReportRow]:
    """Every current student's row, who needs attention first."""
    activity = store.activity_of(cohort, now, cohort_zone(cohort))
    return report_rows(store.members(cohort), activity, now)


def report_of(store: CohortStore, cohort: Cohort, now: datetime, page: int) -> CohortReport:
    rows = rows_of(store, cohort, now)
    return CohortReport(
        info_of(store, cohort),
        paginate(rows, page, REPORT_PAGE),
        flagged=sum(1 for r in rows if r.flags),
        states=dict(Counter(r.state for r in rows)),
    )


def report_file(store: CohortStore, cohort: Cohort, now: datetime, tz: tzinfo) -> str:
    """The whole report as CSV, dates in ``tz`` (the mentor's)."""
    return report_csv(rows_of(store, cohort, now), tz)


def export_file(store: CohortStore, cohort: Cohort, now: datetime) -> str:
    """Counts per student per week, from the cohort's first week to its last (or this one)."""
    tz = cohort_zone(cohort)
    last = (cohort.closed_at or now).astimezone(tz).date()
    weeks = weeks_between(cohort.created_at.astimezone(tz).date(), last)
    return weekly_csv(store.members(cohort), store.weekly_counts(cohort, weeks, tz), weeks)


def own_row(store: CohortStore, cohort: Cohort, student: User, now: datetime) -> ReportRow | None:
    """One student's row, from their activity alone."""
    member = store.member(cohort, student)
    if member is None:
        return None
    activity = store.activity_of(cohort, now, cohort_zone(cohort), only=student).get(student.id)
    return report_row(member, activity or StudentActivity(student.id, joined_at=member.joined_at), now)


def shared_items(session: Session, records: CohortRecords, cohort: Cohort, student: User) -> list[SharedItem]:
    """What the student shared in this cohort: a contact's name, company and stage; an interview's
    takeaways (the notes written about it)."""
    items: list[SharedItem] = []
    for share in records.shares(cohort, student):
        contact = session.get(Contact, share.contact_id)
        if contact is None or contact.team_id != cohort.team_id or contact.owner_id != student.id:
            continue
        takeaways: tuple[str, ...] = ()
        if share.kind is ShareKind.INTERVIEW and share.interview_id is not None:
            takeaways = tuple(
                session.scalars(
                    select(Note.body)
                    .where(Note.team_id == cohort.team_id, Note.interview_id == share.interview_id)
                    .order_by(Note.created_at, Note.id)
                )
            )
        item_id = share.interview_id if share.kind is ShareKind.INTERVIEW else share.contact_id
        stage = core.Stage(contact.stage)
        items.append(
            SharedItem(share.kind, contact.name, contact.company, stage, share.at, takeaways, item_id or 0)
        )
    return items


def student_detail(
    session: Session, team_id: str, cohort: Cohort, student: User, now: datetime
) -> StudentDetail | None:
    store, records = CohortStore(session, team_id), CohortRecords(session, team_id)
    row = own_row(store, cohort, student, now)
    if row is None:
        return None
    notes = tuple(MentorNote(n.author_slack_id, n.body, n.at) for n in records.notes(cohort, student))
    shared = tuple(shared_items(session, records, cohort, student))
    return StudentDetail(info_of(store, cohort), row, shared, notes)


PLAN_MEASURES = (Measure.REQUESTS, Measure.INTERVIEWS)
"""What a student's week is measured on against the cohort's targets: requests, conversations."""


def cohort_medians(store: CohortStore, cohort: Cohort, week: date) -> dict[str, float | None]:
    """The cohort's medians of ``week`` (over its active students): as the digest that reported the
    week posted them, else computed (two GROUP BY queries over the cohort)."""
    posted = DigestLog(store.session, store.team_id).reported(cohort, week) or {}
    medians = posted.get("medians")
    if isinstance(medians, dict) and all(m.value in medians for m in PLAN_MEASURES):
        return {m.value: medians[m.value] for m in PLAN_MEASURES}
    names = [m.value for m in PLAN_MEASURES]
    weekly = store.weekly_counts(cohort, [week], cohort_zone(cohort), measures=names)
    active = CohortActivity(store.session, store.team_id, cohort.id).active_ids()
    return {m.value: median(weekly.get(a, {}).get(week, ZERO).of(m) for a in active) for m in PLAN_MEASURES}


def week_progress(store: CohortStore, cohort: Cohort, student: User, now: datetime) -> tuple[Progress, ...]:
    """The student's last complete week (requests, conversations) against the cohort's targets,
    their own previous weeks and the cohort's median: nobody else's numbers. The student's own
    counts come from their rows alone; the median from the week's digest when it went out."""
    tz = cohort_zone(cohort)
    weeks = weeks_back(week_start(now, tz) - WEEK, CHART_WEEKS)
    names = [m.value for m in PLAN_MEASURES]
    own = store.weekly_counts(cohort, weeks, tz, only=student, measures=names).get(student.id, {})
    series = [own.get(w, ZERO) for w in weeks]
    medians = cohort_medians(store, cohort, weeks[-1])
    targets = targets_of(cohort)
    wanted = {Measure.REQUESTS: targets.requests, Measure.INTERVIEWS: targets.conversations}
    return tuple(progress(series, m, wanted[m], medians[m.value]) for m in PLAN_MEASURES)


def my_row(
    session: Session, team_id: str, cohort: Cohort, student: User, now: datetime
) -> MyCohortRow | None:
    store, records = CohortStore(session, team_id), CohortRecords(session, team_id)
    member = store.member(cohort, student)
    row = own_row(store, cohort, student, now)
    if member is None or row is None:
        return None
    return MyCohortRow(
        info_of(store, cohort),
        member,
        row,
        week_progress(store, cohort, student, now),
        tuple(shared_items(session, records, cohort, student)),
    )


def plan_cohorts(session: Session, student: User, now: datetime) -> tuple[CohortPlan, ...]:
    """The active cohorts the student is in, with their targets and the student's last week."""
    store = CohortStore(session, student.team_id)
    return tuple(
        CohortPlan(cohort.name, targets_of(cohort), week_progress(store, cohort, student, now))
        for cohort, role in store.cohorts_of(student)
        if role.value == "student" and cohort.status == CohortStatus.ACTIVE.value
    )


def join_preview(store: CohortStore, cohort: Cohort) -> JoinPreview:
    return JoinPreview(
        info_of(store, cohort), consent_preview(SharingLevel.COUNTS), consent_preview(SharingLevel.STAGES)
    )


def looks_at(records: CohortRecords, cohort: Cohort, student: User) -> tuple[Look, ...]:
    return tuple(
        Look(v.viewer_slack_id, v.what, v.at, v.whole_cohort) for v in records.views_of(cohort, student)
    )


def share_choices(session: Session, team_id: str, cohort: Cohort, student: User) -> ShareChoices | None:
    store, records = CohortStore(session, team_id), CohortRecords(session, team_id)
    member = store.member(cohort, student)
    if member is None:
        return None
    mine = (Contact.team_id == team_id, Contact.owner_id == student.id)
    contacts = session.execute(
        select(Contact.id, Contact.name, Contact.company)
        .where(*mine)
        .order_by(Contact.name, Contact.id)
        .limit(CHOICES)
    ).all()
    interviews = session.execute(
        select(Interview.id, Contact.name, Interview.starts_at)
        .join(Contact, Contact.id == Interview.contact_id)
        .where(*mine, Interview.team_id == team_id, Interview.status == core.InterviewStatus.DONE.value)
        .order_by(Interview.starts_at.desc(), Interview.id)
        .limit(CHOICES)
    ).all()
    return ShareChoices(
        info_of(store, cohort),
        member.sharing,
        member.celebrate,
        tuple((cid, f"{name} ({company})" if company else name) for cid, name, company in contacts),
        tuple((iid, f"{name}, {starts:%Y-%m-%d}") for iid, name, starts in interviews),
        tuple(shared_items(session, records, cohort, student)),
    )


def home_cohorts(session: Session, team_id: str, user: User, now: datetime) -> list[HomeCohort]:
    """The user's cohorts that are not closed: the report's top rows for a mentor, their own row for
    a student."""
    store = CohortStore(session, team_id)
    found: list[HomeCohort] = []
    for cohort, role in store.cohorts_of(user):
        if cohort.status == CohortStatus.CLOSED.value:
            continue
        info = info_of(store, cohort)
        if role.value == "mentor":
            rows = rows_of(store, cohort, now)
            flagged = sum(1 for r in rows if r.flags)
            found.append(HomeCohort(info, True, tuple(rows[:HOME_ROWS]), len(rows), flagged))
        else:
            row = own_row(store, cohort, user, now)
            if row is not None:
                found.append(HomeCohort(info, False, (row,), 1, int(bool(row.flags))))
    return found


def mentored(session: Session, team_id: str, user: User) -> list[Cohort]:
    """The cohorts ``user`` mentors whose report the App Home shows (not closed)."""
    return [
        c
        for c, role in CohortStore(session, team_id).cohorts_of(user)
        if role.value == "mentor" and c.status != CohortStatus.CLOSED.value
    ]


def digest_content(
    session: Session, team_id: str, cohort: Cohort, slot: DigestSlot, now: datetime
) -> DigestContent:
    """The digest of ``slot``'s week: the last complete week's numbers, the 6 weeks of the chart."""
    store = CohortStore(session, team_id)
    tz = cohort_zone(cohort)
    members = store.members(cohort)
    rows = report_rows(members, store.activity_of(cohort, now, tz), now)
    weekly = store.weekly_counts(cohort, weeks_back(slot.covers, CHART_WEEKS), tz)
    numbers = digest_numbers(slot, members, weekly, rows)
    week, targets = slot.covers, targets_of(cohort)
    celebrated = tuple(
        (m.slack_user_id, m.placement.what)
        for m in members
        if m.celebrate
        and m.placement is not None
        and week <= m.placement.on < week + WEEK
        and m.state is MemberState.PLACED
    )
    active = [m for m in members if m.state is MemberState.ACTIVE]
    done = [weekly.get(m.user_id, {}).get(week, ZERO) for m in active]
    on_target = sum(
        1 for c in done if c.requests >= targets.requests and c.interviews >= targets.conversations
    )
    medians = {m.value: cohort_median(members, weekly, week, m) for m in PLAN_MEASURES}
    attention = tuple(needs_attention(rows))
    return DigestContent(
        info_of(store, cohort), numbers, celebrated, on_target, len(active), attention, medians
    )


def next_step_of(session: Session, student: User, now: datetime) -> tuple[StepLine, ContactCard] | None:
    """The student's most pressing next step and its contact's card (their own data: for their eyes
    only, in the nudge their mentor sends them)."""
    contacts = Repository(session, student.team_id).contacts_of(student)
    steps = next_steps_of(session, student, contacts, now)
    if not steps:
        return None
    line = line_of(steps[0], zone(student.timezone), now)
    contact = next(c for c in contacts if c.id == steps[0].contact_id)
    return line, card_of(contact, line)


class CohortQueries:
    """What the effects of a cohort change show, read afresh (no mentor read here: those go through
    the services, which record them)."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def info(self, team_id: str, cohort_id: int) -> CohortInfo | None:
        with self.db.session() as session:
            store = CohortStore(session, team_id)
            cohort = store.get(cohort_id)
            return info_of(store, cohort) if cohort is not None else None

    def next_step(self, team_id: str, slack_user: str) -> tuple[StepLine, ContactCard] | None:
        """The student's own next step, for the nudge their mentor sends them."""
        with self.db.session() as session:
            student = Repository(session, team_id).find_user(slack_user)
            return next_step_of(session, student, self.clock()) if student is not None else None
