"""Scheduling, rescheduling and cancelling interviews: one unit of work per action."""

from __future__ import annotations

from bot.domain import pipeline as core
from bot.domain.forms import InterviewInput
from bot.queries.interviews import info_of
from bot.queries.models import InterviewInfo
from bot.services.clock import Clock, system_clock
from bot.services.errors import ActionRefused
from bot.services.events import InterviewBooked, InterviewCancelled, InterviewResult
from bot.services.ownership import owned_contact, owned_interview
from bot.services.refusals import refusing
from bot.services.superseded import close_superseded
from storage.db import Database
from storage.models import Contact, Interview
from storage.repository import Repository

CANT_MOVE = "Only a scheduled interview can be moved: this one is over or cancelled."
CANT_CANCEL = "That interview isn't scheduled any more: nothing to cancel."


class InterviewService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def info(self, team_id: str, slack_user: str, interview_id: int) -> InterviewInfo:
        """The user's own interview; refused for anyone else's."""
        with self.db.session() as session:
            return info_of(*owned_interview(Repository(session, team_id), slack_user, interview_id))

    def schedule(
        self, team_id: str, slack_user: str, contact_id: int, version: int | None, data: InterviewInput
    ) -> InterviewResult:
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user, contact_id)
            expected = contact.version if version is None else version
            with refusing(contact):
                stage = core.transition(core.Stage(contact.stage), core.Event.INTERVIEW_SCHEDULED)
                repo.advance(contact, expected, stage, now)
            interview = repo.add_interview(
                contact, data.starts_at, data.duration_minutes, data.format, data.place, now
            )
            session.refresh(contact)
            owner = repo.find_user(slack_user)
            # A reminder to book a time (after a "yes", after a missed interview) has had its answer.
            closed = close_superseded(session, owner, contact, now) if owner else ()
            info = info_of(interview, contact)
        return InterviewResult(info, (InterviewBooked(info.id), *closed))

    def reschedule(
        self, team_id: str, slack_user: str, interview_id: int, data: InterviewInput
    ) -> InterviewResult:
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            interview, contact = _scheduled(repo, slack_user, interview_id, CANT_MOVE)
            interview.starts_at, interview.duration_minutes = data.starts_at, data.duration_minutes
            interview.format, interview.place = data.format.value, data.place
            # The contact is re-checked at the next sweep: reminders for the old time lapse, new ones follow.
            repo.advance(contact, contact.version, core.Stage(contact.stage), now)
            info = info_of(interview, contact)
        return InterviewResult(info, (InterviewBooked(info.id, rescheduled=True),))

    def cancel(self, team_id: str, slack_user: str, interview_id: int) -> InterviewResult:
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            interview, contact = _scheduled(repo, slack_user, interview_id, CANT_CANCEL)
            interview.status = core.InterviewStatus.CANCELLED.value
            session.flush()
            still = [i for i in contact.interviews if i.status == core.InterviewStatus.SCHEDULED.value]
            stage = core.Stage(contact.stage)
            if not still and stage is core.Stage.SCHEDULED:
                stage = core.transition(stage, core.Event.INTERVIEW_CANCELLED)
            repo.advance(contact, contact.version, stage, now)
            info = info_of(interview, contact)
        return InterviewResult(info, (InterviewCancelled(info.id),))


def _scheduled(
    repo: Repository, slack_user: str, interview_id: int, refused: str
) -> tuple[Interview, Contact]:
    """The user's own interview while it is scheduled; ``refused`` says why not otherwise."""
    interview, contact = owned_interview(repo, slack_user, interview_id)
    if interview.status != core.InterviewStatus.SCHEDULED.value:
        raise ActionRefused(refused)
    return interview, contact
