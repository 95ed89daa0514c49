"""Reading contacts for the screens: one contact's card, the pipeline list, whom to book an interview with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.domain import pipeline as core
from bot.queries.models import ContactCard, ContactChoice, StepLine
from bot.queries.steps import step_line_by_contact
from storage.db import Database
from storage.facts import contact_facts
from storage.models import Contact, User
from storage.repository import Repository

# The stages an interview can be booked from.
OPEN_STAGES = (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED, core.Stage.INTERVIEWED)


def card_of(contact: Contact, step: StepLine | None = None) -> ContactCard:
    """A contact's card, from its record (with its attempts and interviews)."""
    upcoming = [i.starts_at for i in contact.interviews if i.status == core.InterviewStatus.SCHEDULED.value]
    return replace(
        plain_card(contact),
        attempts=len(contact.attempts),
        next_interview=min(upcoming) if upcoming else None,
        next_step=step,
        awaiting_introduction=core.awaiting_introduction(contact_facts(contact).attempts),
    )


def next_target(session: Session, contact: Contact) -> Contact | None:
    """The owner's next target after closing ``contact``: the earliest logged still waiting for a request."""
    return session.scalar(
        select(Contact)
        .where(
            Contact.team_id == contact.team_id,
            Contact.owner_id == contact.owner_id,
            Contact.stage == core.Stage.TARGET.value,
            Contact.id != contact.id,
        )
        .order_by(Contact.created_at, Contact.id)
        .limit(1)
    )


def plain_card(contact: Contact) -> ContactCard:
    """What a card shows from the contact's own row: no attempts, interviews or next step (a search
    result doesn't need them)."""
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
    )


def own_contact(repo: Repository, slack_user_id: str, contact_id: int) -> tuple[User, Contact] | None:
    """The user and their contact (with its attempts and interviews); None for anyone else's, or one
    that is gone."""
    owner = repo.find_user(slack_user_id)
    contact = repo.contact_of(owner, contact_id) if owner else None
    return (owner, contact) if owner is not None and contact is not None else None


def with_step(session: Session, owner: User, contact: Contact, now: datetime) -> ContactCard:
    """A contact's card with its next step, inside the caller's unit of work."""
    return card_of(contact, step_line_by_contact(session, owner, [contact], now).get(contact.id))


class ContactQueries:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def card(self, team_id: str, slack_user_id: str, contact_id: int) -> ContactCard | None:
        """The user's own contact; None for anyone else's or one that is gone."""
        with self.db.session() as session:
            found = own_contact(Repository(session, team_id), slack_user_id, contact_id)
            return with_step(session, *found, self.clock()) if found else None

    def pipeline(self, team_id: str, slack_user_id: str) -> list[ContactCard]:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            if owner is None:
                return []
            contacts = repo.contacts_of(owner)
            steps = step_line_by_contact(session, owner, contacts, self.clock())
            return [card_of(c, steps.get(c.id)) for c in contacts]

    def cards(self, team_id: str, slack_user_id: str, ids: Sequence[int]) -> list[ContactCard]:
        """The user's own contacts among ``ids``, in that order (others and removed ones left out)."""
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            if owner is None:
                return []
            rows = session.scalars(
                select(Contact)
                .where(Contact.team_id == team_id, Contact.owner_id == owner.id, Contact.id.in_(list(ids)))
                .options(selectinload(Contact.attempts), selectinload(Contact.interviews))
            ).all()
            found = {c.id: c for c in rows}
            contacts = [found[i] for i in ids if i in found]
            steps = step_line_by_contact(session, owner, contacts, self.clock())
            return [card_of(c, steps.get(c.id)) for c in contacts]

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
