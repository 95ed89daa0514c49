"""Preparing questions for an interview: read and save an interview's list, for its owner only."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import pipeline as core
from bot.domain.questions import MAX_QUESTION_LENGTH, MAX_QUESTIONS
from bot.queries.interviews import prepared_of
from bot.queries.models import PreparedInterview
from bot.services.clock import Clock, system_clock
from bot.services.errors import ActionRefused
from bot.services.events import QuestionsPrepared, QuestionsResult
from bot.services.ownership import owned_interview
from storage.db import Database
from storage.models import Contact, Interview
from storage.repository import Repository


class QuestionService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def load(self, team_id: str, slack_user_id: str, interview_id: int) -> PreparedInterview:
        """The user's own scheduled interview with its questions; refused for anyone else's."""
        with self.db.session() as session:
            interview, contact = _scheduled(Repository(session, team_id), slack_user_id, interview_id)
            return prepared_of(interview, contact)

    def save(
        self, team_id: str, slack_user_id: str, interview_id: int, questions: Sequence[str]
    ) -> QuestionsResult:
        """Replace the interview's questions (already checked by the core) with ``questions``."""
        kept = [q for q in questions if isinstance(q, str) and q.strip()]
        if len(kept) > MAX_QUESTIONS or any(len(q) > MAX_QUESTION_LENGTH for q in kept):
            raise ActionRefused(f"Keep it to {MAX_QUESTIONS} questions of {MAX_QUESTION_LENGTH} characters.")
        with self.db.session() as session:
            interview, contact = _scheduled(Repository(session, team_id), slack_user_id, interview_id)
            interview.questions = list(kept)
            session.flush()
            prepared = prepared_of(interview, contact)
        return QuestionsResult(prepared, (QuestionsPrepared(interview_id),))


def _scheduled(repo: Repository, slack_user_id: str, interview_id: int) -> tuple[Interview, Contact]:
    """The user's own interview, while questions can still be prepared for it."""
    interview, contact = owned_interview(repo, slack_user_id, interview_id)
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
