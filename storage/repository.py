"""The repository: the only place that queries the database. Every query is scoped by workspace."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.domain import pipeline as core
from storage.facts import contact_facts
from storage.models import Contact, Interview, Note, Nudge, OutreachAttempt, User, Workspace
from storage.scoped import Scoped

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


class SweepStore:
    """The scheduler's queries. They look across workspaces to find what is due (through indexes on
    ``next_check_at`` and ``(status, due_at)``); every row they return carries its ``team_id``, and
    all work on a row afterwards goes through that workspace's :class:`Repository`."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.locking = session.get_bind().dialect.name == "postgresql"

    def _lock(self, statement: Any) -> Any:
        # PostgreSQL: concurrent sweeps (other processes) skip rows another one holds. SQLite
        # serialises writers (BEGIN IMMEDIATE), which gives the same exclusion.
        return statement.with_for_update(skip_locked=True) if self.locking else statement

    def contacts_to_check(self, now: datetime, limit: int) -> Sequence[Contact]:
        ids = self.session.scalars(
            self._lock(
                select(Contact.id)
                .where(Contact.next_check_at <= now)
                .order_by(Contact.next_check_at)
                .limit(limit)
            )
        ).all()
        if not ids:
            return []
        return self.session.scalars(
            select(Contact)
            .where(Contact.id.in_(ids))
            .options(selectinload(Contact.attempts), selectinload(Contact.interviews))
        ).all()

    def users_to_check(self, now: datetime, limit: int) -> Sequence[User]:
        return self.session.scalars(
            self._lock(
                select(User)
                .where(User.next_check_at <= now, User.unreachable_since.is_(None))
                .order_by(User.next_check_at)
                .limit(limit)
            )
        ).all()

    def users_by_id(self, ids: Iterable[int]) -> dict[int, User]:
        wanted = set(ids)
        if not wanted:
            return {}
        return {u.id: u for u in self.session.scalars(select(User).where(User.id.in_(wanted)))}

    def referral_counts(self, contact_ids: Iterable[int]) -> dict[int, int]:
        wanted = list(set(contact_ids))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(Contact.introducer_contact_id, func.count())
            .where(Contact.introducer_contact_id.in_(wanted))
            .group_by(Contact.introducer_contact_id)
        ).all()
        return {int(contact_id): int(count) for contact_id, count in rows}

    def log_nudges(self, rows: list[dict[str, Any]]) -> int:
        """Insert nudge rows; a key already logged for the user is left as it is. Returns rows added."""
        if not rows:
            return 0
        dialect = self.session.get_bind().dialect.name
        insert_for = pg_insert if dialect == "postgresql" else sqlite_insert
        table = Nudge.__table__
        # One statement compiled once and sent as batched VALUES (executemany); RETURNING counts the
        # rows actually added (rowcount is not reliable for ON CONFLICT DO NOTHING batches).
        statement = (
            insert_for(table)
            .on_conflict_do_nothing(index_elements=["team_id", "user_id", "key"])
            .returning(table.c.id)
        )
        result = self.session.connection().execute(statement, rows)
        return len(result.all())

    def users_with_due_nudges(self, now: datetime, limit: int, after_user_id: int = 0) -> list[int]:
        """Users with pending nudges due, in id order after ``after_user_id`` (keyset paging)."""
        return list(
            self.session.scalars(
                select(Nudge.user_id)
                .where(
                    Nudge.status == "pending",
                    Nudge.due_at <= now,
                    or_(Nudge.retry_at.is_(None), Nudge.retry_at <= now),
                    Nudge.user_id > after_user_id,
                )
                .group_by(Nudge.user_id)
                .order_by(Nudge.user_id)
                .limit(limit)
            )
        )

    def due_nudges_of(self, user_id: int, now: datetime) -> Sequence[Nudge]:
        return self.session.scalars(
            self._lock(
                select(Nudge)
                .where(
                    Nudge.user_id == user_id,
                    Nudge.status == "pending",
                    Nudge.due_at <= now,
                    or_(Nudge.retry_at.is_(None), Nudge.retry_at <= now),
                )
                .order_by(Nudge.due_at, Nudge.id)
            )
        ).all()

    def expired_claims(self, now: datetime, limit: int) -> Sequence[Nudge]:
        return self.session.scalars(
            self._lock(
                select(Nudge)
                .where(Nudge.status == "sending", Nudge.claimed_until <= now)
                .order_by(Nudge.claimed_until)
                .limit(limit)
            )
        ).all()

    def claimed(self, token: str) -> Sequence[Nudge]:
        return self.session.scalars(select(Nudge).where(Nudge.claim_token == token).order_by(Nudge.id)).all()

    def contacts_by_id(self, ids: Iterable[int]) -> dict[int, Contact]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = self.session.scalars(
            select(Contact)
            .where(Contact.id.in_(wanted))
            .options(selectinload(Contact.attempts), selectinload(Contact.interviews))
        )
        return {c.id: c for c in rows}
