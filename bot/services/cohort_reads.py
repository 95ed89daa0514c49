"""Cohorts, the reads that need a permission check: the mentor's report (a page, or the CSV file),
one student's detail, the weekly export, the App Home's cohort sections; a student's own row, who
looked at it, the sharing form, and the consent preview before joining.

Every mentor read is recorded in the view log (who saw which cohort or student, when) before it is
returned, so a student can ask who looked.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.cohorts import CohortAction
from bot.domain.window import zone
from bot.queries import cohorts as read
from bot.queries.models import (
    CohortInfo,
    CohortReport,
    HomeCohort,
    JoinPreview,
    Look,
    MyCohortRow,
    ShareChoices,
    StudentDetail,
)
from bot.services.clock import Clock, system_clock
from bot.services.cohorts import Where, acting, student_in
from bot.services.errors import ActionRefused
from storage.cohort_records import CohortRecords
from storage.db import Database
from storage.repository import Repository

NOT_IN_IT = "You're not in this cohort."


@dataclass(frozen=True)
class CohortFile:
    cohort: CohortInfo
    filename: str
    content: str


class CohortReads:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    # Mentors (each read recorded) -------------------------------------------------------------------

    def report(self, team_id: str, slack_user: str, where: Where, page: int = 1) -> CohortReport:
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.REPORT, now) as act:
            act.records.record_view(act.cohort, act.user, "report", now)
            return read.report_of(act.store, act.cohort, now, page)

    def report_file(self, team_id: str, slack_user: str, where: Where) -> CohortFile:
        """The whole report as a CSV file (dates in the mentor's timezone)."""
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.REPORT, now) as act:
            act.records.record_view(act.cohort, act.user, "report_csv", now)
            content = read.report_file(act.store, act.cohort, now, zone(act.user.timezone))
            info = read.info_of(act.store, act.cohort)
        return CohortFile(info, f"cohort-{info.channel_id}-report-{now:%Y-%m-%d}.csv", content)

    def export(self, team_id: str, slack_user: str, where: Where) -> CohortFile:
        """Counts per student per week (also once the cohort is closed: the counts it keeps)."""
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.EXPORT, now) as act:
            act.records.record_view(act.cohort, act.user, "export", now)
            content = read.export_file(act.store, act.cohort, now)
            info = read.info_of(act.store, act.cohort)
        return CohortFile(info, f"cohort-{info.channel_id}-weekly-{now:%Y-%m-%d}.csv", content)

    def student(self, team_id: str, slack_user: str, cohort_id: int, student: str) -> StudentDetail:
        now = self.clock()
        with acting(self.db, team_id, slack_user, cohort_id, CohortAction.SEE_STUDENT, now) as act:
            target = student_in(act.store, act.cohort, student)
            act.records.record_view(act.cohort, act.user, "student", now, target)
            detail = read.student_detail(act.session, team_id, act.cohort, target, now)
            if detail is None:
                raise ActionRefused(NOT_IN_IT)
            return detail

    def home(self, team_id: str, slack_user: str, looking: bool = False) -> list[HomeCohort]:
        """The user's cohorts for their App Home. ``looking``: they opened the tab, so a mentor's look
        at each report is recorded (a Home redrawn in the background is not a look)."""
        now = self.clock()
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user)
            if user is None:
                return []
            records = CohortRecords(session, team_id)
            for cohort in read.mentored(session, team_id, user) if looking else ():
                records.record_view(cohort, user, "home", now)
            return read.home_cohorts(session, team_id, user, now)

    # Students ---------------------------------------------------------------------------------------

    def me(self, team_id: str, slack_user: str, where: Where) -> MyCohortRow:
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.OWN_ROW, now) as act:
            mine = read.my_row(act.session, team_id, act.cohort, act.user, now)
            if mine is None:
                raise ActionRefused(NOT_IN_IT)
            return mine

    def who_looked(self, team_id: str, slack_user: str, where: Where) -> tuple[CohortInfo, tuple[Look, ...]]:
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.OWN_ROW, now) as act:
            return read.info_of(act.store, act.cohort), read.looks_at(act.records, act.cohort, act.user)

    def share_choices(self, team_id: str, slack_user: str, where: Where) -> ShareChoices:
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.OWN_ROW, now) as act:
            choices = read.share_choices(act.session, team_id, act.cohort, act.user)
            if choices is None:
                raise ActionRefused(NOT_IN_IT)
            return choices

    def join_preview(self, team_id: str, slack_user: str, where: Where) -> JoinPreview:
        """What the student will share, before they confirm (refused if they may not join)."""
        with acting(self.db, team_id, slack_user, where, CohortAction.JOIN, self.clock()) as act:
            return read.join_preview(act.store, act.cohort)

    def info(self, team_id: str, slack_user: str, where: Where, action: CohortAction) -> CohortInfo:
        """The cohort, once ``action`` is allowed to the user (a modal about to open)."""
        with acting(self.db, team_id, slack_user, where, action, self.clock()) as act:
            return read.info_of(act.store, act.cohort)
