"""What is due and what still applies: logging due nudges (plan), choosing a user's nudges to send
(select), and the dry run's preview. Database work only, inside the caller's unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import nudges as rules
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.sweep.report import SweepReport
from storage.models import Contact, Nudge, User
from storage.repository import SweepStore, contact_facts


def plan(session: Session, now: datetime, report: SweepReport, batch: int, one_batch: bool = False) -> bool:
    """Log what has fallen due. Returns whether there was anything to look at."""
    store = SweepStore(session)
    if not store.planning_turn():
        return False  # another sweep is planning: what it logs is delivered by whoever claims it
    looked = False
    while True:
        contacts = store.contacts_to_check(now, batch)
        users_due = store.users_to_check(now, batch)
        if not contacts and not users_due:
            return looked
        looked = True
        owners = store.users_by_id(c.owner_id for c in contacts)
        referrals = store.referral_counts(c.id for c in contacts)
        rows: list[dict[str, Any]] = []
        for contact in contacts:
            owner = owners[contact.owner_id]
            settings = nudge_settings(owner.preferences, owner.timezone)
            due = rules.plan_contact(contact_facts(contact, referrals.get(contact.id, 0)), now, settings)
            rows += [_row(n, contact.team_id, owner.id, now) for n in due.due]
            contact.next_check_at = due.next_check
        for user in users_due:
            weekly = rules.plan_weekly(now, nudge_settings(user.preferences, user.timezone))
            rows += [_row(n, user.team_id, user.id, now) for n in weekly.due]
            user.next_check_at = weekly.next_check
        session.flush()
        report.planned += store.log_nudges(rows)
        if one_batch:
            return True


def select_live(session: Session, user: User, now: datetime, report: SweepReport, limit: int) -> list[Nudge]:
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
    return live[:limit]


def preview(session: Session, now: datetime, report: SweepReport, batch: int, limit: int) -> None:
    """The dry run: what each user would get, in ``report.previews`` (the caller rolls back)."""
    store = SweepStore(session)
    after = 0
    while True:
        user_ids = store.users_with_due_nudges(now, batch, after_user_id=after)
        if not user_ids:
            return
        for user_id in user_ids:
            user = session.get(User, user_id)
            if user is None:
                continue
            live = select_live(session, user, now, report, limit)
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
