"""The one mapper from stored rows to the domain's ``ContactFacts``: what the nudge rules and the next
step read. The sweep, the buttons and every screen build their facts here, so they all decide from
the same facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain.nudges import ContactFacts, InterviewFacts, LoggedReminder
from bot.domain.reminders import ReminderStatus
from storage.models import Contact, Nudge


def contact_facts(
    contact: Contact, referrals: int = 0, logged: Mapping[str, LoggedReminder] | None = None
) -> ContactFacts:
    """What the rules need to know about a stored contact (its attempts and interviews loaded)."""
    return ContactFacts(
        id=contact.id,
        name=contact.name,
        stage=core.Stage(contact.stage),
        created_at=contact.created_at,
        has_introducer=bool(contact.introducer_name or contact.introducer_contact_id),
        attempts=tuple(
            core.Attempt(
                a.sent_at, core.OutreachChannel(a.channel), core.AttemptOutcome(a.outcome), a.outcome_at
            )
            for a in contact.attempts
        ),
        interviews=tuple(
            InterviewFacts(
                id=i.id,
                starts_at=i.starts_at,
                duration_minutes=i.duration_minutes,
                status=core.InterviewStatus(i.status),
                done_at=i.done_at,
                thank_you_at=i.thank_you_at,
                introducer_thanked_at=i.introducer_thanked_at,
            )
            for i in contact.interviews
        ),
        last_touch_at=contact.last_touch_at,
        referrals=referrals,
        logged=logged or {},
    )


def referral_counts(session: Session, team_id: str, contact_ids: Iterable[int]) -> dict[int, int]:
    """How many contacts each of these contacts referred (introduced)."""
    ids = sorted(set(contact_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Contact.introducer_contact_id, func.count())
        .where(Contact.team_id == team_id, Contact.introducer_contact_id.in_(ids))
        .group_by(Contact.introducer_contact_id)
    ).all()
    return {int(referrer): int(count) for referrer, count in rows if referrer is not None}


def logged_reminders(
    session: Session, team_id: str, contact_ids: Iterable[int]
) -> dict[int, dict[str, LoggedReminder]]:
    """The reminders logged for these contacts, by contact and key."""
    ids = sorted(set(contact_ids))
    found: dict[int, dict[str, LoggedReminder]] = defaultdict(dict)
    if not ids:
        return found
    rows = session.execute(
        select(Nudge.contact_id, Nudge.key, Nudge.status, Nudge.due_at, Nudge.id).where(
            Nudge.team_id == team_id, Nudge.contact_id.in_(ids)
        )
    ).all()
    for contact_id, key, status, due_at, nudge_id in rows:
        found[contact_id][key] = LoggedReminder(ReminderStatus(status), due_at, nudge_id)
    return found


def facts_of(session: Session, team_id: str, contacts: Sequence[Contact]) -> list[ContactFacts]:
    """Full facts (referrals and logged reminders included) for contacts of one workspace, in two
    queries whatever their number. The contacts come with their attempts and interviews loaded."""
    ids = [c.id for c in contacts]
    referrals = referral_counts(session, team_id, ids)
    logged = logged_reminders(session, team_id, ids)
    return [contact_facts(c, referrals.get(c.id, 0), logged.get(c.id)) for c in contacts]
