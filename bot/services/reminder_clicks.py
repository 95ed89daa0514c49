"""The unit of work behind every click on a nudge DM: the reminder is the user's, still waiting for an
answer (status ``sent``), clicked in the DM that carried it, and about a situation that still holds.

Otherwise nothing the user asked for is done and the refusal says why. A reminder found out of date is
closed all the same (that much is kept), and every refusal on the user's own reminder asks for its DM
to be redrawn, so the DM shows where things stand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import nudges as rules
from bot.domain import pipeline as core
from bot.domain import reminders
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.domain.reminders import Reminder, ReminderStatus, Resolution
from bot.services.clock import Clock, system_clock
from bot.services.errors import ActionRefused
from bot.services.events import Event, NudgeDmChanged, Result
from bot.services.ownership import nudge_contact, nudge_interview, owned_nudge
from storage.db import Database
from storage.models import Contact, Interview, Nudge, User
from storage.repository import Repository, contact_facts

T = TypeVar("T")


@dataclass(frozen=True)
class Click:
    """A click that may act: the user's own reminder, still waiting, about a situation that holds."""

    session: Session
    repo: Repository
    user: User
    nudge: Nudge
    slack_user: str

    @property
    def dm(self) -> tuple[Event, ...]:
        return dm_changed(self.nudge, self.slack_user)

    @property
    def contact(self) -> Contact:
        return nudge_contact(self.repo, self.user, self.nudge)

    @property
    def interview(self) -> Interview:
        return nudge_interview(self.repo, self.nudge)


def dm_changed(nudge: Nudge, slack_user: str) -> tuple[Event, ...]:
    if not (nudge.channel and nudge.message_ts):
        return ()
    return (NudgeDmChanged(nudge.channel, nudge.message_ts, slack_user),)


class ReminderClicks:
    """What every button on a reminder shares: the checks, and closing the reminder."""

    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def click(
        self,
        team_id: str,
        slack_user: str,
        nudge_id: int,
        ts: str | None,
        work: Callable[[Click], T],
        refused: str | None = None,
    ) -> T:
        """Run ``work`` on the nudge if the click may act; else refuse (``refused``: refuse anyway)."""
        dm: tuple[Event, ...] = ()
        try:
            with self.db.session() as session:
                repo = Repository(session, team_id)
                try:
                    user, nudge = owned_nudge(repo, slack_user, nudge_id)
                except ActionRefused:
                    if refused:
                        raise ActionRefused(refused) from None
                    raise
                dm = dm_changed(nudge, slack_user)
                if refused:
                    raise ActionRefused(refused)
                why = self.stale(session, repo, user, nudge, ts)
                if why is None:
                    return work(Click(session, repo, user, nudge, slack_user))
            # Leaving the block normally commits a reminder closed as out of date by stale().
        except ActionRefused as refusal:
            raise refusal.with_events(*dm) from None
        raise ActionRefused(why, dm)

    def stale(
        self, session: Session, repo: Repository, user: User, nudge: Nudge, ts: str | None
    ) -> str | None:
        """Why the click can't act on the user's own nudge (None: it can; refused outright when its
        contact is no longer theirs). An out-of-date reminder (the situation it was about no longer
        holds) is closed as obsolete on the way."""
        try:
            reminders.check_clickable(reminder_of(nudge))
        except reminders.ClickRefused as refusal:
            return str(refusal)
        if ts is not None and nudge.message_ts != ts:
            return "That message is out of date: the reminder was sent again since. Use the newest one."
        if nudge.contact_id is not None:
            contact = nudge_contact(repo, user, nudge)
            settings = nudge_settings(user.preferences, user.timezone)
            referrals = referrals_of(session, contact)
            keys = rules.plan_contact(contact_facts(contact, referrals), self.clock(), settings).keys
            if nudge.key not in keys:
                store(nudge, reminders.mark_obsolete(reminder_of(nudge), self.clock()))
                return (
                    "That reminder is out of date: things moved on since it was sent "
                    f"({core.Stage(contact.stage).label.lower()})."
                )
        return None

    def resolved(self, click: Click, how: Resolution, *also: Event) -> Result:
        store(click.nudge, reminders.resolve(reminder_of(click.nudge), how, self.clock()))
        return Result((*click.dm, *also))


def referrals_of(session: Session, contact: Contact) -> int:
    return len(
        session.scalars(
            select(Contact.id).where(
                Contact.team_id == contact.team_id, Contact.introducer_contact_id == contact.id
            )
        ).all()
    )


def reminder_of(nudge: Nudge) -> Reminder:
    """The domain's view of a logged reminder."""
    return Reminder(
        NudgeKind(nudge.kind),
        ReminderStatus(nudge.status),
        nudge.due_at,
        Resolution(nudge.resolution) if nudge.resolution else None,
        nudge.resolved_at,
    )


def store(nudge: Nudge, reminder: Reminder) -> None:
    nudge.status = reminder.status.value
    nudge.resolution = reminder.resolution.value if reminder.resolution else None
    nudge.due_at, nudge.resolved_at = reminder.due_at, reminder.resolved_at
