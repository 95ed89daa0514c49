"""The repository: the only place that queries the database. Every query is scoped by workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from bot.domain import pipeline as core
from storage.facts import contact_facts
from storage.models import Contact, Interview, Note, Nudge, OutreachAttempt, User, Workspace
from storage.scoped import Scoped
from storage.sweepstore import SweepStore

__all__ = ["Repository", "StaleVersion", "SweepStore", "contact_facts"]


class StaleVersion(Exception):
    """The contact changed since the button or form was drawn."""


class Repository(Scoped):
    """Reads and writes of one workspace, inside the caller's unit of work (session)."""

    # Workspace and users -------------------------------------------------------------------------

    def ensure_workspace(self, now: datetime, name: str | None = None) -> Workspace:
        workspace = self.session.get(Workspace, self.team_id)
        if workspace is not None:
            return workspace
        try:
            with self.session.begin_nested():
                workspace = Workspace(team_id=self.team_id, name=name, created_at=now)
                self.session.add(workspace)
        except IntegrityError:
            workspace = self.session.get(Workspace, self.team_id)
            if workspace is None:
                raise
        return workspace

    def find_user(self, slack_user_id: str) -> User | None:
        return self.session.scalar(
            select(User).where(User.team_id == self.team_id, User.slack_user_id == slack_user_id)
        )

    def get_or_create_user(self, slack_user_id: str, now: datetime) -> User:
        """The user, created on first sight. Two first requests at once: one inserts, the other reads it."""
        user = self.find_user(slack_user_id)
        if user is not None:
            return user
        self.ensure_workspace(now)
        try:
            with self.session.begin_nested():
                user = User(
                    team_id=self.team_id,
                    slack_user_id=slack_user_id,
                    preferences={},
                    created_at=now,
                    next_check_at=now,
                )
                self.session.add(user)
        except IntegrityError:
            user = self.find_user(slack_user_id)
            if user is None:
                raise
        return user

    def update_user(self, user: User, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(user, key, value)
        self.session.flush()

    # Contacts ------------------------------------------------------------------------------------

    def add_contact(self, owner: User, values: dict[str, Any], stage: core.Stage, now: datetime) -> Contact:
        return self.insert(
            Contact(
                team_id=self.team_id,
                owner_id=owner.id,
                stage=stage.value,
                stage_changed_at=now,
                next_check_at=now,
                version=1,
                created_at=now,
                updated_at=now,
                **values,
            )
        )

    def contact_of(self, owner: User, contact_id: int) -> Contact | None:
        """A contact of this workspace that belongs to ``owner``; None for anyone else's."""
        return self.session.scalar(
            select(Contact)
            .where(Contact.team_id == self.team_id, Contact.owner_id == owner.id, Contact.id == contact_id)
            .options(selectinload(Contact.attempts), selectinload(Contact.interviews))
        )

    def contacts_of(self, owner: User) -> Sequence[Contact]:
        return self.session.scalars(
            select(Contact)
            .where(Contact.team_id == self.team_id, Contact.owner_id == owner.id)
            .options(selectinload(Contact.attempts), selectinload(Contact.interviews))
            .order_by(Contact.created_at, Contact.id)
        ).all()

    def remove_contact(self, contact: Contact) -> list[tuple[str, str]]:
        """Delete a contact with its attempts, interviews, notes and reminders; the DMs (channel, ts)
        that carried its reminders, to be drawn again. Contacts it introduced keep its name."""
        dms = self.session.execute(
            select(Nudge.channel, Nudge.message_ts)
            .where(
                Nudge.team_id == self.team_id,
                Nudge.contact_id == contact.id,
                Nudge.channel.is_not(None),
                Nudge.message_ts.is_not(None),
            )
            .distinct()
        ).all()
        self.session.execute(
            delete(Nudge).where(Nudge.team_id == self.team_id, Nudge.contact_id == contact.id)
        )
        self.session.execute(
            update(Contact)
            .where(Contact.team_id == self.team_id, Contact.introducer_contact_id == contact.id)
            .values(introducer_contact_id=None)
            .execution_options(synchronize_session=False)
        )
        self.session.delete(contact)
        self.session.flush()
        return [(channel, ts) for channel, ts in dms]

    def recheck_contacts(self, owner: User, now: datetime) -> None:
        """Have the sweep look at every contact of ``owner`` again (after their settings changed)."""
        self.session.execute(
            update(Contact)
            .where(Contact.team_id == self.team_id, Contact.owner_id == owner.id)
            .values(next_check_at=now)
            .execution_options(synchronize_session=False)
        )

    def stage_counts(self, owner: User) -> dict[core.Stage, int]:
        rows = self.session.execute(
            select(Contact.stage, func.count())
            .where(Contact.team_id == self.team_id, Contact.owner_id == owner.id)
            .group_by(Contact.stage)
        ).all()
        counts = dict.fromkeys(core.Stage, 0)
        for stage, count in rows:
            counts[core.Stage(stage)] = count
        return counts

    def advance(self, contact: Contact, expected_version: int, new_stage: core.Stage, now: datetime) -> None:
        """Move a contact on, only if nobody else did since ``expected_version`` (compare-and-set).

        The conditional UPDATE is atomic on SQLite and PostgreSQL alike: of two clicks racing on one
        button, one wins and the other gets StaleVersion.
        """
        values: dict[str, Any] = {"version": Contact.version + 1, "updated_at": now, "next_check_at": now}
        if new_stage.value != contact.stage:
            values["stage"] = new_stage.value
            values["stage_changed_at"] = now
        result = self.session.execute(
            update(Contact)
            .where(
                Contact.team_id == self.team_id,
                Contact.id == contact.id,
                Contact.owner_id == contact.owner_id,
                Contact.version == expected_version,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleVersion(contact.id)
        self.session.refresh(contact)

    # Attempts, interviews, notes -----------------------------------------------------------------

    def add_attempt(self, contact: Contact, channel: core.OutreachChannel, now: datetime) -> OutreachAttempt:
        number = (
            self.session.scalar(
                select(func.count())
                .select_from(OutreachAttempt)
                .where(OutreachAttempt.team_id == self.team_id, OutreachAttempt.contact_id == contact.id)
            )
            or 0
        ) + 1
        return self.insert(
            OutreachAttempt(
                team_id=self.team_id,
                contact_id=contact.id,
                number=number,
                channel=channel.value,
                sent_at=now,
                outcome=core.AttemptOutcome.PENDING.value,
            )
        )

    def add_interview(
        self,
        contact: Contact,
        starts_at: datetime,
        duration_minutes: int,
        interview_format: core.InterviewFormat,
        place: str,
        now: datetime,
    ) -> Interview:
        return self.insert(
            Interview(
                team_id=self.team_id,
                contact_id=contact.id,
                starts_at=starts_at,
                duration_minutes=duration_minutes,
                format=interview_format.value,
                place=place,
                status=core.InterviewStatus.SCHEDULED.value,
                created_at=now,
            )
        )

    def add_note(
        self,
        contact: Contact,
        body: str,
        now: datetime,
        kind: str = "general",
        interview_id: int | None = None,
    ) -> Note:
        return self.insert(
            Note(
                team_id=self.team_id,
                contact_id=contact.id,
                interview_id=interview_id,
                kind=kind,
                body=body,
                created_at=now,
            )
        )
