"""The queries behind ``/infoint stats``: plain records of one student's contacts, requests and
interviews. Every query is scoped by workspace (``team_id``) and by the owning student."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from bot.domain import stats as core
from storage.db import Database
from storage.models import Contact, Interview, OutreachAttempt
from storage.repository import Repository
from storage.scoped import Scoped


class StatsQueries(Scoped):
    """Reads of one workspace for one owner, inside the caller's unit of work."""

    def contacts(self, owner_id: int) -> list[core.ContactRecord]:
        rows = self.session.execute(
            select(
                Contact.id,
                Contact.stage,
                Contact.degree,
                Contact.source,
                Contact.introducer_contact_id,
                Contact.outcome,
            )
            .where(Contact.team_id == self.team_id, Contact.owner_id == owner_id)
            .order_by(Contact.id)
        ).all()
        return [
            core.ContactRecord(
                id=cid, stage=stage, degree=degree, source=source or "", introducer_id=intro, outcome=outcome
            )
            for cid, stage, degree, source, intro, outcome in rows
        ]

    def attempts(self, owner_id: int) -> list[core.AttemptRecord]:
        rows = self._per_contact(OutreachAttempt, OutreachAttempt.outcome, owner_id)
        return [core.AttemptRecord(contact_id=cid, outcome=outcome) for cid, outcome in rows]

    def interviews(self, owner_id: int) -> list[core.InterviewRecord]:
        rows = self._per_contact(Interview, Interview.status, owner_id)
        return [core.InterviewRecord(contact_id=cid, status=status) for cid, status in rows]

    def _per_contact(
        self, table: type[OutreachAttempt | Interview], column: InstrumentedAttribute[str], owner_id: int
    ) -> list[tuple[int, str]]:
        """(contact id, ``column``) of each row of ``table`` about the owner's contacts, oldest first."""
        rows = self.session.execute(
            select(table.contact_id, column)
            .join(Contact, Contact.id == table.contact_id)
            .where(
                table.team_id == self.team_id, Contact.team_id == self.team_id, Contact.owner_id == owner_id
            )
            .order_by(table.id)
        )
        return [(contact_id, value) for contact_id, value in rows]


def read_stats(db: Database, team_id: str, slack_user_id: str) -> core.Stats:
    """One unit of work: the student's records, computed into stats. All zeros for a stranger."""
    with db.session() as session:
        owner = Repository(session, team_id).find_user(slack_user_id)
        if owner is None:
            return core.compute([])
        queries = StatsQueries(session, team_id)
        contacts = queries.contacts(owner.id)
        attempts = queries.attempts(owner.id)
        interviews = queries.interviews(owner.id)
    return core.compute(contacts, attempts, interviews)
