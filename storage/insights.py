"""The queries behind ``/infoint insights``: a student's takeaway notes with who said them.

Every query is scoped by workspace (``team_id``, on both the note and the contact) and by the
student who owns the contact: nobody ever reads another student's notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from bot.domain import insights as core
from bot.domain.pipeline import InterviewStatus
from storage.db import Database
from storage.models import Contact, Interview, Note
from storage.repository import Repository
from storage.scoped import Scoped

TAKEAWAY = "takeaway"
MAX_NOTES = 3000
"""At most this many takeaway notes are read (the latest); the grouping looks at fewer still."""


class InsightsQueries(Scoped):
    """Reads of one workspace for one owner, inside the caller's unit of work."""

    def takeaways(self, owner_id: int, limit: int = MAX_NOTES) -> list[core.Takeaway]:
        """The owner's takeaway notes, oldest first (the latest ``limit`` of them)."""
        rows = self.session.execute(
            select(Note.body, Contact.id, Contact.name, Contact.company, Contact.industry)
            .join(Contact, Contact.id == Note.contact_id)
            .where(
                Note.team_id == self.team_id,
                Note.kind == TAKEAWAY,
                Contact.team_id == self.team_id,
                Contact.owner_id == owner_id,
            )
            .order_by(Note.created_at.desc(), Note.id.desc())
            .limit(limit)
        ).all()
        return [
            core.Takeaway(
                person=name, company=company or "", industry=industry or "", text=body, person_id=cid
            )
            for body, cid, name, company, industry in reversed(rows)
        ]

    def interviewed(self, owner_id: int) -> list[core.InterviewedPerson]:
        """The owner's contacts with at least one interview done, and how many."""
        rows = self.session.execute(
            select(Contact.id, Contact.name, Contact.company, Contact.industry, func.count(Interview.id))
            .join(Interview, Interview.contact_id == Contact.id)
            .where(
                Contact.team_id == self.team_id,
                Contact.owner_id == owner_id,
                Interview.team_id == self.team_id,
                Interview.status == InterviewStatus.DONE.value,
            )
            .group_by(Contact.id, Contact.name, Contact.company, Contact.industry)
            .order_by(Contact.id)
        ).all()
        return [
            core.InterviewedPerson(
                person_id=cid, person=name, company=company or "", industry=industry or "", interviews=count
            )
            for cid, name, company, industry, count in rows
        ]


@dataclass(frozen=True)
class InsightsData:
    takeaways: list[core.Takeaway]
    interviewed: list[core.InterviewedPerson]


def read_insights(db: Database, team_id: str, slack_user_id: str) -> InsightsData:
    """One unit of work: the student's takeaways (and interviewed contacts). Nothing for a stranger."""
    with db.session() as session:
        owner = Repository(session, team_id).find_user(slack_user_id)
        if owner is None:
            return InsightsData([], [])
        queries = InsightsQueries(session, team_id)
        return InsightsData(queries.takeaways(owner.id), queries.interviewed(owner.id))
