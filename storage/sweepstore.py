"""The sweep's queries: what is due across workspaces, and the nudge log's claims and leases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from storage.installs import UNINSTALLED
from storage.models import Contact, Nudge, User

SENDING = "sending"
#: PostgreSQL's advisory lock held by the sweep that is planning (`SweepStore.planning_turn`): this
#: number and the hash of the schema's name, since advisory locks are the whole database's and
#: another schema (another installation, a parallel test run) has sweeps of its own.
PLANNING_LOCK = 0x696E666F


class SweepStore:
    """The scheduler's queries. They look across workspaces to find what is due (through indexes on
    ``next_check_at`` and ``(status, due_at)``); every row they return carries its ``team_id``, and
    all work on a row afterwards goes through that workspace's :class:`Repository`.

    A claim is the rows a sweep marked ``sending`` under one token, with a lease (``claimed_until``).
    The lease is the sweep's for as long as ``claimed_until`` is the value that sweep last wrote and
    has not passed: `hold` extends it on that condition only, and a sweep that takes over an expired
    claim writes its own value, so the first holder can tell it lost it (fencing)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.locking = session.get_bind().dialect.name == "postgresql"

    def _lock(self, statement: Any, *, skip_locked: bool = True) -> Any:
        # PostgreSQL: concurrent sweeps (other processes) skip rows another one holds. SQLite
        # serialises writers (BEGIN IMMEDIATE), which gives the same exclusion.
        return statement.with_for_update(skip_locked=skip_locked) if self.locking else statement

    def planning_turn(self) -> bool:
        """May this transaction plan? On PostgreSQL one sweep plans at a time (a lock held until the
        transaction ends): a sweep that finds another planning goes on to deliver, so the reminders
        of one user that fall due together are logged together and claimed in one DM. SQLite
        serialises writers, which gives the same."""
        if not self.locking:
            return True
        schema = func.hashtext(func.current_schema())
        return bool(self.session.scalar(select(func.pg_try_advisory_xact_lock(PLANNING_LOCK, schema))))

    def user_to_claim(self, user_id: int) -> User | None:
        """The user, locked for a claim of their reminders; None when another sweep is claiming
        them at this moment (it takes them all, in one DM). ``FOR NO KEY UPDATE``: a reminder being
        logged for them meanwhile is not held up."""
        statement = select(User).where(User.id == user_id)
        if self.locking:
            statement = statement.with_for_update(skip_locked=True, key_share=True)
        return self.session.scalars(statement).first()

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

    def users_with_due_nudges(
        self, now: datetime, limit: int, after_user_id: int = 0, team_id: str | None = None
    ) -> list[int]:
        """Users with pending nudges due, in id order after ``after_user_id`` (keyset paging); only
        ``team_id``'s when given; none in a workspace that uninstalled the app (its nudges wait, should
        it install the app again)."""
        return list(
            self.session.scalars(
                _of_team(
                    select(Nudge.user_id).where(
                        Nudge.status == "pending",
                        Nudge.due_at <= now,
                        or_(Nudge.retry_at.is_(None), Nudge.retry_at <= now),
                        Nudge.user_id > after_user_id,
                        Nudge.team_id.not_in(UNINSTALLED),
                    ),
                    team_id,
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

    def expired_claims(self, now: datetime, limit: int, team_id: str | None = None) -> Sequence[Nudge]:
        """Rows left ``sending`` past their lease (only ``team_id``'s when given), locked."""
        return self.session.scalars(
            self._lock(
                _of_team(select(Nudge).where(Nudge.status == SENDING, Nudge.claimed_until <= now), team_id)
                .order_by(Nudge.claimed_until, Nudge.id)
                .limit(limit)
            )
        ).all()

    def claimed(self, token: str) -> Sequence[Nudge]:
        return self.session.scalars(select(Nudge).where(Nudge.claim_token == token).order_by(Nudge.id)).all()

    def sending(self, token: str) -> Sequence[Nudge]:
        """The rows still being sent under ``token`` (locked), whoever holds the lease now."""
        return self.session.scalars(
            self._lock(
                select(Nudge).where(Nudge.claim_token == token, Nudge.status == SENDING).order_by(Nudge.id),
                skip_locked=False,
            )
        ).all()

    def held(self, token: str, held_until: datetime) -> Sequence[Nudge]:
        """The rows of a claim whose lease is still the one this sweep set (locked); none when
        another sweep took the claim over."""
        return self.session.scalars(
            self._lock(
                select(Nudge)
                .where(Nudge.claim_token == token, Nudge.status == SENDING, Nudge.claimed_until == held_until)
                .order_by(Nudge.id),
                skip_locked=False,
            )
        ).all()

    def hold(self, token: str, held_until: datetime, now: datetime, until: datetime) -> bool:
        """Extend a claim's lease to ``until`` if this sweep still holds it: its rows still carry
        ``token``, are still being sent, and their lease is the one this sweep set (``held_until``)
        and has not run out at ``now``. A sweep that gets False must not post."""
        result = self.session.execute(
            update(Nudge)
            .where(
                Nudge.claim_token == token,
                Nudge.status == SENDING,
                Nudge.claimed_until == held_until,
                Nudge.claimed_until > now,
            )
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

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


def _of_team(statement: Any, team_id: str | None) -> Any:
    """The nudges of one workspace (``team_id``), or of every workspace (None)."""
    return statement if team_id is None else statement.where(Nudge.team_id == team_id)
