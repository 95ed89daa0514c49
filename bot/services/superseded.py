"""Reminders overtaken by what the student just did: a reminder still live in a DM whose situation no
longer holds (they replied, the check-in went out another way…) is closed as out of date, and its DM
is redrawn so its buttons stop offering what no longer applies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.nudges import plan_contact
from bot.domain.preferences import nudge_settings
from bot.domain.reminders import ReminderStatus, Resolution
from bot.services.events import NudgeDmChanged
from storage.facts import facts_of
from storage.models import Contact, Nudge, User


def close_superseded(
    session: Session, user: User, contact: Contact, now: datetime
) -> tuple[NudgeDmChanged, ...]:
    """Close the contact's sent reminders that no longer apply; the DMs to redraw."""
    settings = nudge_settings(user.preferences, user.timezone)
    [facts] = facts_of(session, contact.team_id, [contact])
    keys = plan_contact(facts, now, settings).keys
    live = session.scalars(
        select(Nudge).where(
            Nudge.team_id == contact.team_id,
            Nudge.user_id == user.id,
            Nudge.contact_id == contact.id,
            Nudge.status == ReminderStatus.SENT.value,
        )
    ).all()
    redraw: dict[tuple[str, str], NudgeDmChanged] = {}
    for nudge in live:
        if nudge.key in keys:
            continue
        nudge.status, nudge.resolution = ReminderStatus.OBSOLETE.value, Resolution.OBSOLETE.value
        nudge.resolved_at = now
        if nudge.channel and nudge.message_ts:
            where = (nudge.channel, nudge.message_ts)
            redraw[where] = NudgeDmChanged(nudge.channel, nudge.message_ts, user.slack_user_id)
    session.flush()
    return tuple(redraw.values())
