"""Preparing questions for an interview: read and save an interview's list, for its owner only."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain.questions import MAX_QUESTION_LENGTH, MAX_QUESTIONS
from bot.queries.interviews import prepared_of
from bot.queries.models import PreparedInterview
from bot.services.clock import Clock, system_clock
from bot.services.errors import ActionRefused
from bot.services.events import QuestionsPrepared, QuestionsResult
from storage.db import Database
from storage.models import Contact, Interview, User
from storage.repository import Repository

NOT_YOURS = "That interview isn't in your records: it may have been removed, or it isn't yours."


class QuestionService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def load(self, team_id: str, slack_user_id: str, interview_id: int) -> PreparedInterview:
        """The user's own scheduled interview with its questions; refused for anyone else's."""
        with self.db.session() as session:
            interview, contact = self._own_interview(session, team_id, slack_user_id, interview_id)
            return prepared_of(interview, contact)

    def save(
        self, team_id: str, slack_user_id: str, interview_id: int, questions: Sequence[str]
    ) -> QuestionsResult:
        """Replace the interview's questions (already checked by the core) with ``questions``."""
        kept = [q for q in questions if isinstance(q, str) and q.strip()]
        if len(kept) > MAX_QUESTIONS or any(len(q) > MAX_QUESTION_LENGTH for q in kept):
            raise ActionRefused(f"Keep it to {MAX_QUESTIONS} questions of {MAX_QUESTION_LENGTH} characters.")
        with self.db.session() as session:
            interview, contact = self._own_interview(session, team_id, slack_user_id, interview_id)
            interview.questions = list(kept)
            session.flush()
            prepared = prepared_of(interview, contact)
        return QuestionsResult(prepared, (QuestionsPrepared(interview_id),))

    @staticmethod
    def _own_interview(
        session: Session, team_id: str, slack_user_id: str, interview_id: int
    ) -> tuple[Interview, Contact]:
        owner: User | None = Repository(session, team_id).find_user(slack_user_id)
        row = (
            session.execute(
                select(Interview, Contact)
                .join(Contact, Interview.contact_id == Contact.id)
                .where(
                    Interview.id == interview_id,
                    Interview.team_id == team_id,
                    Contact.team_id == team_id,
                    Contact.owner_id == owner.id,
                )
            ).first()
            if owner is not None
            else None
        )
        if row is None:
            raise ActionRefused(NOT_YOURS)
        interview, contact = row
        status = core.InterviewStatus(interview.status)
        if status is core.InterviewStatus.DONE:
            raise ActionRefused(
                f"Your interview with {contact.name} has already happened. "
                "Note what you learned, and prepare questions for your next one."
            )
        if status is not core.InterviewStatus.SCHEDULED:
            raise ActionRefused(
                f"Your interview with {contact.name} isn't scheduled any more. "
                "Book a new time first, then prepare your questions."
            )
        return interview, contact
