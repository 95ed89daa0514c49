"""What a cohort keeps beside its counts: the items students shared with its mentors, the mentors'
private notes, the view log (who saw which cohort or student, when) and the mentors' nudges.

``CohortRecords(session, team_id)``: every query scoped by workspace and by cohort. Who may read or
write what is the domain's call (``bot.domain.cohorts.check_allowed``); this stores and reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bot.domain.cohorts import ShareKind, SharingLevel, share_key
from storage.cohorts import CohortStore, in_scope, insert_for
from storage.models import (
    Base,
    Cohort,
    CohortNote,
    CohortNudge,
    CohortShare,
    CohortView,
    Contact,
    Interview,
    User,
)
from storage.scoped import Scoped

R = TypeVar("R", bound=Base)


@dataclass(frozen=True)
class ViewRecord:
    viewer_slack_id: str
    what: str
    at: datetime
    whole_cohort: bool
    """The report (every student in it), rather than this student's own row."""


@dataclass(frozen=True)
class NoteRecord:
    id: int
    author_slack_id: str | None
    body: str
    at: datetime


@dataclass(frozen=True)
class ShareRecord:
    kind: ShareKind
    contact_id: int
    interview_id: int | None
    level: SharingLevel
    at: datetime


class CohortRecords(Scoped):
    def __init__(self, session: Session, team_id: str) -> None:
        super().__init__(session, team_id)
        self.cohorts = CohortStore(session, team_id)

    def _record(self, cohort: Cohort, model: type[R], *people: User | None, **values: Any) -> R:
        """A new row of ``cohort`` about ``people`` (refused if one is of another workspace)."""
        in_scope(self.team_id, cohort, *people)
        return self.insert(model(team_id=self.team_id, cohort_id=cohort.id, **values))

    # Shares --------------------------------------------------------------------------------------

    def share(self, cohort: Cohort, user: User, kind: ShareKind, item_id: int, now: datetime) -> bool:
        """Share one of the student's own contacts or interviews with the cohort's mentors. False
        if it is not theirs (or not in this workspace), or they are not a member."""
        in_scope(self.team_id, cohort, user)
        if self.cohorts.membership(cohort, user) is None:
            return False
        if kind is ShareKind.CONTACT:
            contact_id: int | None = item_id if self.cohorts.owns_contact(user, item_id) else None
            interview_id = None
        else:
            contact_id = self.session.scalar(
                select(Interview.contact_id)
                .join(Contact, Contact.id == Interview.contact_id)
                .where(Interview.team_id == self.team_id, Contact.team_id == self.team_id)
                .where(Interview.id == item_id, Contact.owner_id == user.id)
            )
            interview_id = item_id
        if contact_id is None:
            return False
        values: dict[str, Any] = {
            "team_id": self.team_id,
            "cohort_id": cohort.id,
            "user_id": user.id,
            "item": share_key(kind, item_id),
            "contact_id": contact_id,
            "interview_id": interview_id,
            "level": kind.level.value,
            "shared_at": now,
        }
        self.session.execute(
            insert_for(self.session, CohortShare)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["cohort_id", "item"])
        )
        return True

    def unshare(self, cohort: Cohort, user: User, kind: ShareKind, item_id: int) -> bool:
        result = self.session.execute(
            delete(CohortShare).where(
                CohortShare.team_id == self.team_id,
                CohortShare.cohort_id == cohort.id,
                CohortShare.user_id == user.id,
                CohortShare.item == share_key(kind, item_id),
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def shares(self, cohort: Cohort, user: User) -> list[ShareRecord]:
        rows = self.session.scalars(
            select(CohortShare)
            .where(CohortShare.team_id == self.team_id, CohortShare.cohort_id == cohort.id)
            .where(CohortShare.user_id == user.id)
            .order_by(CohortShare.shared_at, CohortShare.id)
        )
        return [
            ShareRecord(
                ShareKind(r.item.split(":")[0]),
                r.contact_id,
                r.interview_id,
                SharingLevel(r.level),
                r.shared_at,
            )
            for r in rows
        ]

    # Notes, views, nudges ------------------------------------------------------------------------

    def add_note(self, cohort: Cohort, student: User, author: User, body: str, now: datetime) -> int:
        note = self._record(
            cohort,
            CohortNote,
            student,
            author,
            student_id=student.id,
            author_id=author.id,
            body=body,
            created_at=now,
        )
        return note.id

    def notes(self, cohort: Cohort, student: User) -> list[NoteRecord]:
        """A student's notes in this cohort, oldest first (for its mentors only: the caller checks)."""
        rows = self.session.execute(
            select(CohortNote, User.slack_user_id)
            .outerjoin(User, User.id == CohortNote.author_id)
            .where(CohortNote.team_id == self.team_id, CohortNote.cohort_id == cohort.id)
            .where(CohortNote.student_id == student.id)
            .order_by(CohortNote.created_at, CohortNote.id)
        ).all()
        return [NoteRecord(n.id, author, n.body, n.created_at) for n, author in rows]

    def record_view(
        self, cohort: Cohort, viewer: User, what: str, now: datetime, student: User | None = None
    ) -> None:
        self._record(
            cohort,
            CohortView,
            viewer,
            student,
            viewer_id=viewer.id,
            viewer_slack_id=viewer.slack_user_id,
            student_id=student.id if student else None,
            what=what,
            viewed_at=now,
        )

    def views_of(self, cohort: Cohort, student: User) -> list[ViewRecord]:
        """Who looked at this student in this cohort: their own row, or the whole report while they
        were in it; newest first."""
        row = self.cohorts.membership(cohort, student, current=False)
        if row is None:
            return []
        until = row.left_at or datetime.max.replace(tzinfo=row.joined_at.tzinfo)
        rows = self.session.execute(
            select(CohortView.viewer_slack_id, CohortView.what, CohortView.viewed_at, CohortView.student_id)
            .where(CohortView.team_id == self.team_id, CohortView.cohort_id == cohort.id)
            .where(
                or_(
                    CohortView.student_id == student.id,
                    CohortView.student_id.is_(None)
                    & (CohortView.viewed_at >= row.joined_at)
                    & (CohortView.viewed_at <= until),
                )
            )
            .order_by(CohortView.viewed_at.desc(), CohortView.id.desc())
        ).all()
        return [ViewRecord(viewer, what, at, whom is None) for viewer, what, at, whom in rows]

    def record_nudge(self, cohort: Cohort, mentor: User, student: User, now: datetime, tz: tzinfo) -> None:
        self._record(
            cohort,
            CohortNudge,
            mentor,
            student,
            student_id=student.id,
            mentor_id=mentor.id,
            day=now.astimezone(tz).date(),
            nudged_at=now,
        )

    def nudges_on(self, cohort: Cohort, student: User, day: date) -> list[datetime]:
        """When the student was nudged by this cohort's mentors on ``day`` (the cohort's local day)."""
        return list(
            self.session.scalars(
                select(CohortNudge.nudged_at)
                .where(CohortNudge.team_id == self.team_id, CohortNudge.cohort_id == cohort.id)
                .where(CohortNudge.student_id == student.id, CohortNudge.day == day)
                .order_by(CohortNudge.nudged_at)
            )
        )
