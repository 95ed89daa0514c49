"""The service layer: one function per thing a user does. Each is one unit of work on the database.

Handlers call these with plain values; these call the core for decisions and the repository for
records, and return plain values for the handlers to render. No Slack here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.domain import pipeline as core
from bot.domain.forms import ContactInput, Standing
from bot.domain.preferences import current, nudge_settings
from bot.queries.models import ContactCard, DueItem
from storage.db import Database
from storage.models import Contact
from storage.repository import Repository, StaleVersion, snapshot

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class ActionRefused(Exception):
    """The user asked for something that can't be done; the message says why, in their words."""


@dataclass
class Services:
    db: Database
    clock: Clock = system_clock

    # Users -------------------------------------------------------------------------------------------

    def remember_user(
        self, team_id: str, slack_user_id: str, *, timezone: str | None = None, dm_channel: str | None = None
    ) -> None:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user = repo.get_or_create_user(slack_user_id, self.clock())
            changes = {}
            if timezone and user.timezone != timezone:
                changes["timezone"] = timezone
            if dm_channel and user.dm_channel != dm_channel:
                changes["dm_channel"] = dm_channel
            if changes:
                repo.update_user(user, **changes)

    def preferences(self, team_id: str, slack_user_id: str) -> tuple[dict[str, Any], str | None]:
        """The user's preferences with defaults filled in, and their timezone."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            return current(user.preferences if user else None), user.timezone if user else None

    def save_preferences(self, team_id: str, slack_user_id: str, prefs: dict[str, Any]) -> None:
        """Store new preferences; every rule is re-checked at the next sweep with them."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user = repo.get_or_create_user(slack_user_id, now)
            repo.update_user(user, preferences={**(user.preferences or {}), **prefs}, next_check_at=now)
            repo.recheck_contacts(user, now)

    def knows_timezone(self, team_id: str, slack_user_id: str) -> bool:
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            return bool(user and user.timezone)

    # Contacts ----------------------------------------------------------------------------------------

    def log_contact(self, team_id: str, slack_user_id: str, data: ContactInput) -> ContactCard:
        now = self.clock()
        stage = {
            Standing.TARGET: core.Stage.TARGET,
            Standing.REQUEST_SENT: core.Stage.REQUESTED,
            Standing.INTERVIEW_SCHEDULED: core.Stage.SCHEDULED,
        }[data.standing]
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.get_or_create_user(slack_user_id, now)
            contact = repo.add_contact(
                owner,
                {
                    "name": data.name,
                    "company": data.company,
                    "role": data.role,
                    "industry": data.industry,
                    "location": data.location,
                    "email": data.email,
                    "linkedin_url": data.linkedin_url,
                    "phone": data.phone,
                    "degree": data.degree.value,
                    "introducer_name": data.introducer,
                    "source": data.source.value,
                    "learning_goal": data.learning_goal,
                },
                stage,
                now,
            )
            if data.standing is Standing.REQUEST_SENT and data.request_channel:
                repo.add_attempt(contact, data.request_channel, now)
            if data.standing is Standing.INTERVIEW_SCHEDULED and data.interview_at:
                repo.add_interview(contact, data.interview_at, 20, core.InterviewFormat.VIDEO, "", now)
            session.refresh(contact)
            return _card(contact)

    def request_sent(self, team_id: str, slack_user_id: str, contact_id: int, version: int) -> ContactCard:
        """Record one outreach attempt (a request or a follow-up) on the user's own contact."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = self._own_contact(repo, slack_user_id, contact_id)
            if contact.version != version:
                raise ActionRefused(_stale_message(contact))
            attempts = snapshot(contact).attempts
            owner = repo.find_user(slack_user_id)
            rules = nudge_settings(owner.preferences if owner else None, None).pipeline
            try:
                new_stage = core.check_request_sent(core.Stage(contact.stage), attempts, rules)
            except core.TransitionError as refusal:
                raise ActionRefused(str(refusal)) from None
            try:
                repo.advance(contact, version, new_stage, now)
            except StaleVersion:
                raise ActionRefused(_stale_message(contact)) from None
            repo.add_attempt(contact, _preferred_channel(contact), now)
            session.refresh(contact)
            return _card(contact)

    def reply(
        self, team_id: str, slack_user_id: str, contact_id: int, version: int, answer: str
    ) -> ContactCard:
        """They answered the request: yes (to schedule), no (closed politely) or later."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = self._own_contact(repo, slack_user_id, contact_id)
            record_reply(repo, contact, version, answer, now)
            session.refresh(contact)
            return _card(contact)

    def contact_card(self, team_id: str, slack_user_id: str, contact_id: int) -> ContactCard:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            return _card(self._own_contact(repo, slack_user_id, contact_id))

    def pipeline(self, team_id: str, slack_user_id: str) -> list[ContactCard]:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            if owner is None:
                return []
            return [_card(c) for c in repo.contacts_of(owner)]

    def dashboard(self, team_id: str, slack_user_id: str) -> tuple[dict[core.Stage, int], list[DueItem]]:
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            if owner is None:
                return dict.fromkeys(core.Stage, 0), []
            counts = repo.stage_counts(owner)
            rules = nudge_settings(owner.preferences, owner.timezone).pipeline
            steps = core.upcoming_steps((snapshot(c) for c in repo.contacts_of(owner)), now, rules)
        return counts, [DueItem(s.text, s.due_at, s.is_due(now)) for s in steps]

    @staticmethod
    def _own_contact(repo: Repository, slack_user_id: str, contact_id: int) -> Contact:
        owner = repo.find_user(slack_user_id)
        contact = repo.contact_of(owner, contact_id) if owner else None
        if contact is None:
            raise ActionRefused(
                "That contact isn't in your list: it may have been removed, or it isn't yours."
            )
        return contact


REPLIES = {"yes": core.Event.REPLIED_YES, "no": core.Event.REPLIED_NO, "later": core.Event.REPLIED_LATER}


def record_reply(repo: Repository, contact: Contact, version: int, answer: str, now: datetime) -> None:
    """Their answer to the latest request moves the contact on (compare-and-set on ``version``)."""
    if answer not in REPLIES:
        raise ActionRefused("Choose yes, no or later.")
    if contact.version != version:
        raise ActionRefused(_stale_message(contact))
    try:
        repo.advance(contact, version, core.transition(core.Stage(contact.stage), REPLIES[answer]), now)
    except core.TransitionError as refusal:
        raise ActionRefused(str(refusal)) from None
    except StaleVersion:
        raise ActionRefused(_stale_message(contact)) from None
    latest = max(contact.attempts, key=lambda a: a.sent_at, default=None)
    if latest is not None:
        latest.outcome, latest.outcome_at = answer, now
    repo.session.flush()


def _stale_message(contact: Contact) -> str:
    return (
        "Already done: this message was out of date. "
        f"The contact is now at “{core.Stage(contact.stage).label}”."
    )


def _preferred_channel(contact: Contact) -> core.OutreachChannel:
    """How the request most likely went out, from what the student knows about the contact."""
    if contact.degree == core.Degree.SECOND.value and not contact.attempts:
        return core.OutreachChannel.INTRODUCTION
    if contact.email:
        return core.OutreachChannel.EMAIL
    if contact.linkedin_url:
        return core.OutreachChannel.LINKEDIN
    if contact.phone:
        return core.OutreachChannel.PHONE
    return core.OutreachChannel.EMAIL


def _card(contact: Contact) -> ContactCard:
    upcoming = [i.starts_at for i in contact.interviews if i.status == core.InterviewStatus.SCHEDULED.value]
    return ContactCard(
        id=contact.id,
        version=contact.version,
        name=contact.name,
        stage=core.Stage(contact.stage),
        degree=core.Degree(contact.degree),
        company=contact.company,
        role=contact.role,
        industry=contact.industry,
        introducer=contact.introducer_name,
        learning_goal=contact.learning_goal,
        attempts=len(contact.attempts),
        next_interview=min(upcoming) if upcoming else None,
    )
