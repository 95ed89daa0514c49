"""Reading interviews: one interview as its DM and calendar file show it, and its prepared questions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.queries.contacts import own_contact
from bot.queries.models import InterviewInfo, PreparedInterview
from storage.db import Database
from storage.models import Contact, Interview
from storage.repository import Repository


def info_of(interview: Interview, contact: Contact) -> InterviewInfo:
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


def prepared_of(interview: Interview, contact: Contact) -> PreparedInterview:
    saved = interview.questions if isinstance(interview.questions, list) else []
    return PreparedInterview(
        interview_id=interview.id,
        contact_name=contact.name,
        starts_at=interview.starts_at,
        questions=tuple(q for q in saved if isinstance(q, str)),
    )


def own_interview(
    session: Session, team_id: str, slack_user_id: str, interview_id: int
) -> tuple[Interview, Contact] | None:
    """The interview and its contact, when both are this user's (in this workspace); else None."""
    repo = Repository(session, team_id)
    interview = session.get(Interview, interview_id)
    if interview is None or interview.team_id != team_id:
        return None
    found = own_contact(repo, slack_user_id, interview.contact_id)
    return (interview, found[1]) if found else None


class InterviewQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def info(self, team_id: str, slack_user_id: str, interview_id: int) -> InterviewInfo | None:
        with self.db.session() as session:
            found = own_interview(session, team_id, slack_user_id, interview_id)
            return info_of(*found) if found else None

    def prepared(self, team_id: str, slack_user_id: str, interview_id: int) -> PreparedInterview | None:
        """The interview's prepared questions, whatever its status; None for anyone else's."""
        with self.db.session() as session:
            found = own_interview(session, team_id, slack_user_id, interview_id)
            return prepared_of(*found) if found else None
