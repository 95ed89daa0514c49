"""Reading contacts for the screens: one contact's card, the pipeline list, whom to book an interview with."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import pipeline as core
from bot.queries.models import ContactCard, ContactChoice
from storage.db import Database
from storage.models import Contact
from storage.repository import Repository

# The stages an interview can be booked from.
OPEN_STAGES = (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED, core.Stage.INTERVIEWED)


def card_of(contact: Contact) -> ContactCard:
    """A contact's card, from its record (with its attempts and interviews)."""
    upcoming = [i.starts_at for i in contact.interviews if i.status == core.InterviewStatus.SCHEDULED.value]
    return ContactCard(
        id=contact.id,
        version=contact.version,
        name=contact.name,
        stage=core.Stage(contact.stage),
        degree=core.Degree(contact.degree),
        company=contact.company,
        role=contact.role,
        industry=contact.industry,
        introducer=contact.introducer_name,
        learning_goal=contact.learning_goal,
        attempts=len(contact.attempts),
        next_interview=min(upcoming) if upcoming else None,
    )


class ContactQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def card(self, team_id: str, slack_user_id: str, contact_id: int) -> ContactCard | None:
        """The user's own contact; None for anyone else's or one that is gone."""
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            contact = repo.contact_of(owner, contact_id) if owner else None
            return card_of(contact) if contact else None

    def pipeline(self, team_id: str, slack_user_id: str) -> list[ContactCard]:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            if owner is None:
                return []
            return [card_of(c) for c in repo.contacts_of(owner)]

    def choices(self, team_id: str, slack_user_id: str, limit: int = 100) -> list[ContactChoice]:
        """The contacts an interview can be scheduled with, most recently changed first."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
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
