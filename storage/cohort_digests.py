"""The weekly digest's log: one row per cohort and week, claimed like the nudge log so that the
digest goes out once however many processes run, and the scheduler's look for cohorts whose digest
is due.

The claim: the row is inserted once (unique per workspace, cohort and week; a second insert does
nothing), then taken by one conditional UPDATE from ``pending`` to ``sending`` with a token and a
lease. Of two processes claiming at once, one gets the token and the other None, on SQLite
(serialised writers) and PostgreSQL (row locks, the condition checked again after the wait) alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.domain.cohort_digest import DigestSlot
from bot.domain.cohorts import CohortStatus
from storage.cohorts import in_scope, insert_for
from storage.models import Cohort, CohortDigest
from storage.scoped import Scoped


class DigestLog(Scoped):
    """The digest rows of one workspace, inside the caller's unit of work."""

    def claim_digest(self, cohort: Cohort, slot: DigestSlot, now: datetime, lease: timedelta) -> str | None:
        """Claim the cohort's digest of ``slot``'s week: the claim token, or None when another
        process holds or sent it, its week is over, or the cohort is not active. The row is logged
        once (a unique key per cohort and week); the claim is one conditional UPDATE."""
        in_scope(self.team_id, cohort)
        if now >= slot.expires_at:
            return None
        self.session.execute(
            insert_for(self.session, CohortDigest)
            .values(
                team_id=self.team_id,
                cohort_id=cohort.id,
                week=slot.week,
                due_at=slot.due_at,
                status="pending",
                delivery_attempts=0,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["team_id", "cohort_id", "week"])
        )
        token = uuid.uuid4().hex
        active = select(Cohort.id).where(
            Cohort.team_id == self.team_id, Cohort.id == cohort.id, Cohort.status == CohortStatus.ACTIVE.value
        )
        result = self.session.execute(
            update(CohortDigest)
            .where(
                CohortDigest.team_id == self.team_id,
                CohortDigest.cohort_id.in_(active),
                CohortDigest.week == slot.week,
                CohortDigest.status == "pending",
            )
            .values(
                status="sending",
                claim_token=token,
                claimed_at=now,
                claimed_until=now + lease,
                delivery_attempts=CohortDigest.delivery_attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        return token if result.rowcount == 1 else None  # type: ignore[attr-defined]

    def _finish(self, token: str, **values: Any) -> bool:
        result = self.session.execute(
            update(CohortDigest)
            .where(
                CohortDigest.team_id == self.team_id,
                CohortDigest.claim_token == token,
                CohortDigest.status == "sending",
            )
            .values(claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def digest_sent(
        self, token: str, now: datetime, channel: str, message_ts: str, totals: dict[str, Any] | None = None
    ) -> bool:
        """Record the claimed digest as posted (``totals``: the numbers it showed). False if the
        claim is not held any more."""
        return self._finish(
            token,
            status="sent",
            sent_at=now,
            channel=channel,
            message_ts=message_ts,
            totals=totals,
            error=None,
        )

    def release_digest(self, token: str, error: str) -> bool:
        """The post failed: back to pending, for another try while its week lasts."""
        return self._finish(token, status="pending", claim_token=None, error=error[:200])

    def digests(self, cohort: Cohort) -> Sequence[CohortDigest]:
        return self.session.scalars(
            select(CohortDigest)
            .where(CohortDigest.team_id == self.team_id, CohortDigest.cohort_id == cohort.id)
            .order_by(CohortDigest.week)
        ).all()

    def reported(self, cohort: Cohort, week: date) -> dict[str, Any] | None:
        """The numbers posted by the digest that reported ``week`` (the one of the week after), once
        it went out."""
        return self.session.scalar(
            select(CohortDigest.totals).where(
                CohortDigest.team_id == self.team_id,
                CohortDigest.cohort_id == cohort.id,
                CohortDigest.week == week + timedelta(weeks=1),
                CohortDigest.status == "sent",
            )
        )

    def schedule_next_digest(self, cohort: Cohort, at: datetime | None) -> None:
        in_scope(self.team_id, cohort)
        cohort.next_digest_at = at
        self.session.flush()


class DigestSweep:
    """The scheduler's look across workspaces; every row carries its ``team_id`` and all work on
    it afterwards goes through that workspace's :class:`CohortStore`."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.locking = session.get_bind().dialect.name == "postgresql"

    def due(self, now: datetime, limit: int, team_id: str | None = None) -> Sequence[Cohort]:
        """Active cohorts whose digest needs a look (rows another sweep holds are skipped); only
        ``team_id``'s when given."""
        query = select(Cohort).where(Cohort.status == CohortStatus.ACTIVE.value, Cohort.next_digest_at <= now)
        if team_id is not None:
            query = query.where(Cohort.team_id == team_id)
        query = query.order_by(Cohort.next_digest_at).limit(limit)
        if self.locking:
            query = query.with_for_update(skip_locked=True)
        return self.session.scalars(query).all()

    def expired_claims(self, now: datetime, limit: int, team_id: str | None = None) -> Sequence[CohortDigest]:
        """Digests left ``sending`` by a process that died (only ``team_id``'s when given)."""
        query = select(CohortDigest).where(
            CohortDigest.status == "sending", CohortDigest.claimed_until <= now
        )
        if team_id is not None:
            query = query.where(CohortDigest.team_id == team_id)
        return self.session.scalars(query.order_by(CohortDigest.claimed_until).limit(limit)).all()
