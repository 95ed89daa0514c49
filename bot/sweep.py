"""The sweep: find what is due, log it, and deliver it as DMs, exactly once.

One pass, as of an instant ``now``:
1. Recover: claims left behind by a sweep that died while sending are checked against the DM's
   history (each DM carries its claim in message metadata): delivered ones are recorded as sent,
   the others go back to pending.
2. Plan: contacts and users whose ``next_check_at`` has come are run through the rules; every due
   nudge is logged under its key (a key already logged is left alone: that is what makes a nudge
   go out once however many sweeps run).
3. Deliver: per user inside their working window, the pending nudges are claimed in one
   transaction (rows locked with SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite), sent as
   one DM, and recorded as sent with the message's channel and ts.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.nudges import nudge_message
from bot.domain import nudges as rules
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.queries.nudges import load_items
from storage.db import Database
from storage.models import Contact, Nudge, User
from storage.repository import SweepStore, contact_facts

log = logging.getLogger(__name__)

METADATA_EVENT = "infoint_nudges"
# Slack's answers that mean this user can't get our DMs: stop trying, keep the record.
UNREACHABLE = frozenset(
    {
        "user_not_found",
        "user_disabled",
        "account_inactive",
        "cannot_dm_bot",
        "user_not_visible",
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "messages_tab_disabled",
    }
)


@dataclass
class SweepReport:
    at: datetime
    dry_run: bool = False
    planned: int = 0
    dms: int = 0
    items: int = 0
    waiting: int = 0
    obsolete: int = 0
    expired: int = 0
    failed: int = 0
    retrying: int = 0
    recovered: int = 0
    previews: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        parts = [
            f"sweep at {self.at.isoformat()}: {verb} {self.dms} DM(s) with {self.items} nudge(s)",
            f"{self.planned} newly due",
            f"{self.waiting} waiting for working hours",
        ]
        for label, count in (
            ("out of date", self.obsolete),
            ("expired", self.expired),
            ("unreachable", self.failed),
            ("to retry", self.retrying),
            ("recovered", self.recovered),
        ):
            if count:
                parts.append(f"{count} {label}")
        return "; ".join(parts)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


class Sweeper:
    def __init__(
        self,
        db: Database,
        client: WebClient | None,
        *,
        batch: int = 500,
        lease: timedelta = timedelta(minutes=5),
        max_items_per_dm: int = 8,
    ) -> None:
        self.db = db
        self.client = client
        self.batch = batch
        self.lease = lease
        self.max_items = max_items_per_dm

    # The pass -------------------------------------------------------------------------------------

    def run(self, now: datetime, *, dry_run: bool = False) -> SweepReport:
        report = SweepReport(at=now, dry_run=dry_run)
        if dry_run:
            with self.db.sessions() as session:
                session.begin()
                self._plan(session, now, report)
                self._preview(session, now, report)
                session.rollback()
            return report
        self._recover(now, report)
        while True:
            with self.db.session() as session:
                if not self._plan(session, now, report, one_batch=True):
                    break
        self._deliver(now, report)
        return report

    # 1. Recover ------------------------------------------------------------------------------------

    def _recover(self, now: datetime, report: SweepReport) -> None:
        with self.db.session() as session:
            store = SweepStore(session)
            stale = store.expired_claims(now, self.batch)
            by_claim: dict[str, list[Nudge]] = defaultdict(list)
            for nudge in stale:
                by_claim[nudge.claim_token or ""].append(nudge)
            users = store.users_by_id(n.user_id for n in stale)
            for token, group in by_claim.items():
                user = users[group[0].user_id]
                found = self._find_delivered(user, token)
                for nudge in group:
                    if found:
                        nudge.status, nudge.sent_at = "sent", nudge.claimed_at
                        nudge.channel, nudge.message_ts = found
                    else:
                        nudge.status, nudge.claim_token = "pending", None
                if found:
                    report.recovered += len(group)

    def _find_delivered(self, user: User, token: str) -> tuple[str, str] | None:
        """Did a DM carrying this claim reach Slack? Looks in the DM's recent history."""
        if self.client is None or not user.dm_channel or not token:
            return None
        try:
            history = self.client.conversations_history(
                channel=user.dm_channel, include_all_metadata=True, limit=200
            )
        except SlackApiError as error:
            log.warning(
                "could not read DM history of %s: %s", user.slack_user_id, error.response.get("error")
            )
            return None
        except OSError as error:
            log.warning("could not read DM history of %s: %s", user.slack_user_id, error)
            return None
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and (metadata.get("event_payload") or {}).get("claim") == token
            ):
                return user.dm_channel, str(message.get("ts"))
        return None

    # 2. Plan -------------------------------------------------------------------------------------------

    def _plan(self, session: Session, now: datetime, report: SweepReport, one_batch: bool = False) -> bool:
        """Log what has fallen due. Returns whether there was anything to look at."""
        store = SweepStore(session)
        looked = False
        while True:
            contacts = store.contacts_to_check(now, self.batch)
            users_due = store.users_to_check(now, self.batch)
            if not contacts and not users_due:
                return looked
            looked = True
            owners = store.users_by_id(c.owner_id for c in contacts)
            referrals = store.referral_counts(c.id for c in contacts)
            rows: list[dict[str, Any]] = []
            for contact in contacts:
                owner = owners[contact.owner_id]
                settings = nudge_settings(owner.preferences, owner.timezone)
                plan = rules.plan_contact(contact_facts(contact, referrals.get(contact.id, 0)), now, settings)
                rows += [_row(n, contact.team_id, owner.id, now) for n in plan.due]
                contact.next_check_at = plan.next_check
            for user in users_due:
                plan = rules.plan_weekly(now, nudge_settings(user.preferences, user.timezone))
                rows += [_row(n, user.team_id, user.id, now) for n in plan.due]
                user.next_check_at = plan.next_check
            session.flush()
            report.planned += store.log_nudges(rows)
            if one_batch:
                return True

    # 3. Deliver -----------------------------------------------------------------------------------------

    def _deliver(self, now: datetime, report: SweepReport) -> None:
        after = 0
        while True:
            with self.db.session() as session:
                user_ids = SweepStore(session).users_with_due_nudges(now, self.batch, after_user_id=after)
            if not user_ids:
                return
            for user_id in user_ids:
                self._deliver_to(user_id, now, report)
            after = user_ids[-1]

    def _claim(self, session: Session, user: User, now: datetime, report: SweepReport) -> list[Nudge]:
        """The user's due nudges that still apply, locked; out-of-date and expired ones are closed."""
        store = SweepStore(session)
        due = store.due_nudges_of(user.id, now)
        if user.unreachable_since is not None:
            for nudge in due:
                nudge.status, nudge.error = "failed", user.unreachable_reason
            report.failed += len(due)
            return []
        settings = nudge_settings(user.preferences, user.timezone)
        if not rules.may_deliver(now, settings):
            report.waiting += len(due)
            return []
        contacts = store.contacts_by_id(n.contact_id for n in due if n.contact_id)
        referrals = store.referral_counts(contacts)
        keys: dict[int, frozenset[str]] = {
            cid: rules.plan_contact(contact_facts(c, referrals.get(cid, 0)), now, settings).keys
            for cid, c in contacts.items()
        }
        weekly_keys = rules.plan_weekly(now, settings).keys
        has_contacts = bool(contacts) or _has_contacts(session, user)
        live: list[Nudge] = []
        for nudge in due:
            if nudge.expires_at is not None and nudge.expires_at <= now:
                nudge.status = "expired"
                report.expired += 1
            elif not _still_applies(nudge, keys, weekly_keys, has_contacts):
                nudge.status = "obsolete"
                report.obsolete += 1
            else:
                live.append(nudge)
        return live[: self.max_items]

    def _deliver_to(self, user_id: int, now: datetime, report: SweepReport) -> None:
        token = uuid.uuid4().hex
        with self.db.session() as session:
            user = session.get(User, user_id)
            if user is None:
                return
            claimed = self._claim(session, user, now, report)
            for nudge in claimed:
                nudge.status, nudge.claim_token = "sending", token
                nudge.claimed_at, nudge.claimed_until = now, now + self.lease
                nudge.delivery_attempts += 1
            if not claimed:
                return
            message = nudge_message(load_items(session, user, claimed, now))
            slack_user, team_id = user.slack_user_id, user.team_id
        if self.client is None:
            raise RuntimeError("a sweep that sends needs a Slack client")
        try:
            response = self.client.chat_postMessage(
                channel=slack_user,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"claim": token}},
                **message,
            )
        except SlackApiError as error:
            self._failed(token, now, str(error.response.get("error") or "error"), report)
            return
        except OSError as error:
            # The answer was lost, but the DM may have reached Slack: look before sending it again.
            self._unsure(user_id, token, now, f"network: {error}"[:200], report)
            return
        with self.db.session() as session:
            store = SweepStore(session)
            for nudge in store.claimed(token):
                nudge.status, nudge.sent_at = "sent", now
                nudge.channel, nudge.message_ts = response["channel"], response["ts"]
                nudge.claimed_until = None
            owner = session.get(User, user_id)
            if owner is not None and owner.dm_channel != response["channel"]:
                owner.dm_channel = response["channel"]
        report.dms += 1
        report.items += len(claimed)
        log.info("nudged %s/%s with %d item(s)", team_id, slack_user, len(claimed))

    def _unsure(self, user_id: int, token: str, now: datetime, reason: str, report: SweepReport) -> None:
        with self.db.session() as session:
            user = session.get(User, user_id)
            found = self._find_delivered(user, token) if user is not None else None
            if found is None:
                self._failed(token, now, reason, report, session=session)
                return
            claimed = SweepStore(session).claimed(token)
            for nudge in claimed:
                nudge.status, nudge.sent_at = "sent", now
                nudge.channel, nudge.message_ts = found
                nudge.claimed_until = None
            report.dms += 1
            report.items += len(claimed)

    def _failed(
        self, token: str, now: datetime, reason: str, report: SweepReport, session: Session | None = None
    ) -> None:
        if session is None:
            with self.db.session() as own:
                self._failed(token, now, reason, report, session=own)
            return
        claimed = SweepStore(session).claimed(token)
        if not claimed:
            return
        user = session.get(User, claimed[0].user_id)
        if reason in UNREACHABLE:
            if user is not None:
                user.unreachable_since, user.unreachable_reason = now, reason
            for nudge in claimed:
                nudge.status, nudge.error, nudge.claim_token = "failed", reason, None
            report.failed += len(claimed)
            log.warning("user %s can't be reached (%s): nudges stopped", user and user.slack_user_id, reason)
            return
        for nudge in claimed:
            nudge.status, nudge.claim_token, nudge.error = "pending", None, reason[:200]
            nudge.retry_at = now + _backoff(nudge.delivery_attempts)
        report.retrying += len(claimed)
        log.warning("DM to %s failed (%s); will retry", user and user.slack_user_id, reason)

    # Dry run ---------------------------------------------------------------------------------------------

    def _preview(self, session: Session, now: datetime, report: SweepReport) -> None:
        store = SweepStore(session)
        after = 0
        while True:
            user_ids = store.users_with_due_nudges(now, self.batch, after_user_id=after)
            if not user_ids:
                return
            for user_id in user_ids:
                user = session.get(User, user_id)
                if user is None:
                    continue
                live = self._claim(session, user, now, report)
                if live:
                    report.dms += 1
                    report.items += len(live)
                    kinds = ", ".join(_describe(n, session) for n in live)
                    report.previews.append(f"DM {user.team_id}/{user.slack_user_id}: {kinds}")
            after = user_ids[-1]


def _describe(nudge: Nudge, session: Session) -> str:
    if nudge.contact_id is None:
        return nudge.kind
    name = session.scalar(select(Contact.name).where(Contact.id == nudge.contact_id)) or "?"
    return f"{nudge.kind} ({name[:40]})"


def _still_applies(
    nudge: Nudge, keys: dict[int, frozenset[str]], weekly_keys: frozenset[str], has_contacts: bool
) -> bool:
    """Is the situation the nudge was logged for still the one the records describe?"""
    if nudge.contact_id is not None:
        return nudge.key in keys.get(nudge.contact_id, frozenset())
    if nudge.kind == NudgeKind.WEEKLY_PLAN:
        return nudge.key in weekly_keys and has_contacts
    return True


def _has_contacts(session: Session, user: User) -> bool:
    return (
        session.scalar(
            select(Contact.id).where(Contact.team_id == user.team_id, Contact.owner_id == user.id).limit(1)
        )
        is not None
    )


def _row(nudge: rules.Nudge, team_id: str, user_id: int, now: datetime) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "user_id": user_id,
        "contact_id": nudge.contact_id,
        "interview_id": nudge.interview_id,
        "kind": nudge.kind.value,
        "key": nudge.key,
        "step": nudge.step,
        "due_at": nudge.due_at,
        "expires_at": nudge.expires_at,
        "status": "pending",
        "delivery_attempts": 0,
        "created_at": now,
    }
