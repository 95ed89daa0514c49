"""Scheduling, rescheduling and cancelling interviews. Service layer: one unit of work per action."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import pipeline as core
from bot.domain.forms import InterviewInput
from bot.queries.models import ContactChoice, InterviewInfo
from bot.services import ActionRefused, Clock, _stale_message, system_clock
from storage.db import Database
from storage.models import Contact, Interview, User
from storage.repository import Repository, StaleVersion

OPEN_STAGES = (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED, core.Stage.INTERVIEWED)


def _info(interview: Interview, contact: Contact) -> InterviewInfo:
    return InterviewInfo(
        id=interview.id,
        contact_id=contact.id,
        contact_name=contact.name,
        company=contact.company,
        role=contact.role,
        starts_at=interview.starts_at,
        duration_minutes=interview.duration_minutes,
        format=core.InterviewFormat(interview.format),
        place=interview.place,
        status=core.InterviewStatus(interview.status),
        learning_goal=contact.learning_goal,
        questions=tuple(interview.questions or ()),
        created_at=interview.created_at,
    )


class InterviewService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def _own(self, repo: Repository, slack_user: str, interview_id: int) -> tuple[User, Interview, Contact]:
        user = repo.find_user(slack_user)
        interview = repo.session.get(Interview, interview_id)
        contact = repo.contact_of(user, interview.contact_id) if user and interview else None
        if interview is None or contact is None or interview.team_id != repo.team_id:
            raise ActionRefused("That interview isn't in your records, so I left it alone.")
        return user, interview, contact  # type: ignore[return-value]

    def choices(self, team_id: str, slack_user: str, limit: int = 100) -> list[ContactChoice]:
        """The contacts an interview can be scheduled with, most recently changed first."""
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user = repo.find_user(slack_user)
            if user is None:
                return []
            rows = session.scalars(
                select(Contact)
                .where(
                    Contact.team_id == team_id,
                    Contact.owner_id == user.id,
                    Contact.stage.in_([s.value for s in OPEN_STAGES]),
                )
                .order_by(Contact.updated_at.desc(), Contact.id.desc())
                .limit(limit)
            ).all()
            return [
                ContactChoice(c.id, c.version, c.name + (f" ({c.company})" if c.company else ""))
                for c in rows
            ]

    def schedule(
        self, team_id: str, slack_user: str, contact_id: int, version: int | None, data: InterviewInput
    ) -> InterviewInfo:
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user = repo.find_user(slack_user)
            contact = repo.contact_of(user, contact_id) if user else None
            if contact is None:
                raise ActionRefused(
                    "That contact isn't in your list: it may have been removed, or it isn't yours."
                )
            expected = contact.version if version is None else version
            try:
                stage = core.transition(core.Stage(contact.stage), core.Event.INTERVIEW_SCHEDULED)
                repo.advance(contact, expected, stage, now)
            except core.TransitionError as refusal:
                raise ActionRefused(str(refusal)) from None
            except StaleVersion:
                raise ActionRefused(_stale_message(contact)) from None
            interview = repo.add_interview(
                contact, data.starts_at, data.duration_minutes, data.format, data.place, now
            )
            return _info(interview, contact)

    def reschedule(
        self, team_id: str, slack_user: str, interview_id: int, data: InterviewInput
    ) -> InterviewInfo:
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            _, interview, contact = self._own(repo, slack_user, interview_id)
            if interview.status != core.InterviewStatus.SCHEDULED.value:
                raise ActionRefused("Only a scheduled interview can be moved: this one is over or cancelled.")
            interview.starts_at, interview.duration_minutes = data.starts_at, data.duration_minutes
            interview.format, interview.place = data.format.value, data.place
            # The contact is re-checked at the next sweep: reminders for the old time lapse, new ones follow.
            repo.advance(contact, contact.version, core.Stage(contact.stage), now)
            return _info(interview, contact)

    def cancel(self, team_id: str, slack_user: str, interview_id: int) -> InterviewInfo:
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            _, interview, contact = self._own(repo, slack_user, interview_id)
            if interview.status != core.InterviewStatus.SCHEDULED.value:
                raise ActionRefused("That interview isn't scheduled any more: nothing to cancel.")
            interview.status = core.InterviewStatus.CANCELLED.value
            session.flush()
            still = [i for i in contact.interviews if i.status == core.InterviewStatus.SCHEDULED.value]
            stage = core.Stage(contact.stage)
            if not still and stage is core.Stage.SCHEDULED:
                stage = core.transition(stage, core.Event.INTERVIEW_CANCELLED)
            repo.advance(contact, contact.version, stage, now)
            return _info(interview, contact)

    def info(self, team_id: str, slack_user: str, interview_id: int) -> InterviewInfo:
        with self.db.session() as session:
            _, interview, contact = self._own(Repository(session, team_id), slack_user, interview_id)
            return _info(interview, contact)

    def dm_channel(self, team_id: str, slack_user: str) -> str | None:
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user)
            return user.dm_channel if user else None
