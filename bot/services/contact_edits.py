"""Acting on a contact from wherever it appears: closing it once its tries are used up, snoozing the
reminder waiting about it, editing what was logged (on the version the form was opened for), removing
it with its reminders."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain.forms import ContactInput
from bot.domain.reminders import ReminderStatus, SnoozeChoice
from bot.queries.contacts import with_step
from bot.queries.models import ContactDetails, ContactNews
from bot.queries.steps import step_line_by_contact
from bot.services.clock import Clock, system_clock
from bot.services.contacts import stale_message
from bot.services.errors import ActionRefused
from bot.services.events import (
    ContactCardStale,
    ContactChanged,
    ContactRemoved,
    ContactResult,
    Event,
    HomeStale,
    NudgeDmChanged,
    Result,
)
from bot.services.nudge_actions import NudgeActions
from bot.services.ownership import owned_contact
from bot.services.superseded import close_superseded
from storage.db import Database
from storage.models import Contact, Nudge, User
from storage.repository import Repository, StaleVersion

# The ⋯ menu's snooze choices, as the reminders' own.
SNOOZES = {
    "snooze_1d": SnoozeChoice.ONE_DAY,
    "snooze_3d": SnoozeChoice.THREE_DAYS,
    "snooze_1w": SnoozeChoice.ONE_WEEK,
}


def edit_form_stale(contact: Contact) -> str:
    return (
        f"This form is out of date: {contact.name} changed since you opened it. "
        "Close it and choose Edit details again."
    )


class ContactEdits:
    def __init__(self, db: Database, clock: Clock = system_clock, nudges: NudgeActions | None = None) -> None:
        self.db = db
        self.clock = clock
        self.nudges = nudges or NudgeActions(db, clock)

    def details(self, team_id: str, slack_user: str, contact_id: int) -> ContactDetails:
        """What the edit form shows; refused for anyone else's contact."""
        with self.db.session() as session:
            contact = owned_contact(Repository(session, team_id), slack_user, contact_id)
            return ContactDetails(
                id=contact.id,
                version=contact.version,
                name=contact.name,
                stage=core.Stage(contact.stage),
                degree=core.Degree(contact.degree),
                company=contact.company,
                role=contact.role,
                industry=contact.industry,
                location=contact.location,
                email=contact.email,
                linkedin_url=contact.linkedin_url,
                phone=contact.phone,
                introducer=contact.introducer_name,
                source=core.Source(contact.source),
                learning_goal=contact.learning_goal,
            )

    def move_on(self, team_id: str, slack_user: str, contact_id: int, version: int) -> ContactResult:
        """Close a contact as no response (its tries are used up, or the student decided so)."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user, contact_id)
            try:
                if contact.version != version:
                    raise ActionRefused(stale_message(contact))
                try:
                    stage = core.transition(core.Stage(contact.stage), core.Event.CLOSED_NO_RESPONSE)
                    repo.advance(contact, version, stage, now)
                except core.TransitionError as refusal:
                    raise ActionRefused(str(refusal)) from None
                except StaleVersion:
                    raise ActionRefused(stale_message(contact)) from None
            except ActionRefused as refusal:
                raise refusal.with_events(ContactCardStale(contact_id)) from None
            for attempt in contact.attempts:
                if attempt.outcome == core.AttemptOutcome.PENDING.value:
                    attempt.outcome, attempt.outcome_at = core.AttemptOutcome.NO_RESPONSE.value, now
            session.flush()
            owner = repo.find_user(slack_user)
            assert owner is not None  # the contact is theirs
            closed = close_superseded(session, owner, contact, now)
            card = with_step(session, owner, contact, now)
        events = (ContactChanged(card.id, ContactNews.MOVED_ON), *closed, HomeStale(slack_user))
        return ContactResult(card, events)

    def snooze(self, team_id: str, slack_user: str, contact_id: int, choice: str) -> Result:
        """Snooze the reminder waiting in the DM about the contact's next step."""
        chosen = SNOOZES.get(choice)
        if chosen is None:
            raise ActionRefused("Choose 1 day or 1 week.")
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user, contact_id)
            owner = repo.find_user(slack_user)
            assert owner is not None
            step = step_line_by_contact(session, owner, [contact], now).get(contact.id)
            name = contact.name
        if step is None or step.nudge_id is None:
            raise ActionRefused(
                f"Nothing to snooze: no reminder about {name} is waiting.", (ContactCardStale(contact_id),)
            )
        done = self.nudges.snooze(team_id, slack_user, step.nudge_id, None, chosen.value)
        return Result((ContactChanged(contact_id, ContactNews.SNOOZED), *done.events, HomeStale(slack_user)))

    def edit(
        self, team_id: str, slack_user: str, contact_id: int, version: int, data: ContactInput
    ) -> ContactResult:
        """Save what the edit form holds, only on the version it was opened for."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user, contact_id)
            if contact.version != version:
                raise ActionRefused(edit_form_stale(contact))
            try:
                repo.advance(contact, version, core.Stage(contact.stage), now)
            except StaleVersion:
                raise ActionRefused(edit_form_stale(contact)) from None
            contact.name, contact.company, contact.role = data.name, data.company, data.role
            contact.industry, contact.location, contact.email = data.industry, data.location, data.email
            contact.linkedin_url, contact.phone = data.linkedin_url, data.phone
            contact.degree, contact.introducer_name = data.degree.value, data.introducer
            contact.source, contact.learning_goal = data.source.value, data.learning_goal
            session.flush()
            owner = repo.find_user(slack_user)
            assert owner is not None
            closed = close_superseded(session, owner, contact, now)
            redraw = _live_dms(session, owner, contact, closed)
            card = with_step(session, owner, contact, now)
        events: tuple[Event, ...] = (
            ContactChanged(card.id, ContactNews.EDITED),
            *closed,
            *redraw,
            HomeStale(slack_user),
        )
        return ContactResult(card, events)

    def remove(self, team_id: str, slack_user: str, contact_id: int, version: int) -> Result:
        """Remove the contact, its history and its reminders; the DMs that carried them are redrawn."""
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user, contact_id)
            if contact.version != version:
                raise ActionRefused(
                    f"{contact.name} changed since you chose Remove. "
                    "Look again, then remove them if you still want to."
                )
            name = contact.name
            dms = repo.remove_contact(contact)
        redraw = tuple(NudgeDmChanged(channel, ts, slack_user) for channel, ts in dms)
        return Result((ContactRemoved(contact_id, name), *redraw, HomeStale(slack_user)))


def _live_dms(
    session: Session, owner: User, contact: Contact, already: tuple[NudgeDmChanged, ...]
) -> tuple[NudgeDmChanged, ...]:
    """The DMs still showing a live reminder about the contact (its name or details changed)."""
    rows = session.execute(
        select(Nudge.channel, Nudge.message_ts)
        .where(
            Nudge.team_id == contact.team_id,
            Nudge.user_id == owner.id,
            Nudge.contact_id == contact.id,
            Nudge.status == ReminderStatus.SENT.value,
        )
        .distinct()
    ).all()
    seen = {(e.channel, e.ts) for e in already}
    return tuple(
        NudgeDmChanged(channel, ts, owner.slack_user_id)
        for channel, ts in rows
        if channel and ts and (channel, ts) not in seen
    )
