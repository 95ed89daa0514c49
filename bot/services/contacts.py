"""Contacts: logging one, recording a request or follow-up (and, for a 2nd-degree contact, whom it went
to), recording their reply or the introduction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from bot.domain import pipeline as core
from bot.domain.forms import ContactInput, Standing
from bot.domain.preferences import nudge_settings
from bot.queries.contacts import card_of, with_step
from bot.queries.models import ContactCard, ContactNews
from bot.services.clock import Clock, system_clock
from bot.services.errors import ActionRefused
from bot.services.events import (
    ContactCardOffered,
    ContactCardStale,
    ContactChanged,
    ContactResult,
    HomeStale,
    NudgeDmChanged,
    RequestRouteAsked,
    UserSeen,
)
from bot.services.ownership import owned_contact
from bot.services.refusals import move_contact, refusing, stale_message
from bot.services.superseded import close_superseded
from storage.db import Database
from storage.facts import contact_facts
from storage.models import Contact
from storage.repository import Repository

REPLIES = {"yes": core.Event.REPLIED_YES, "no": core.Event.REPLIED_NO, "later": core.Event.REPLIED_LATER}
REPLY_NEWS = {
    "yes": ContactNews.REPLIED_YES,
    "no": ContactNews.REPLIED_NO,
    "later": ContactNews.REPLIED_LATER,
}


class ContactService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def card(self, team_id: str, slack_user_id: str, contact_id: int) -> ContactCard:
        """The user's own contact's card; refused for anyone else's."""
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user_id, contact_id)
            return self._card(repo, slack_user_id, contact, self.clock())

    @staticmethod
    def _card(repo: Repository, slack_user_id: str, contact: Contact, now: datetime) -> ContactCard:
        owner = repo.find_user(slack_user_id)
        return with_step(repo.session, owner, contact, now) if owner else card_of(contact)

    @staticmethod
    def _close_superseded(
        repo: Repository, slack_user_id: str, contact: Contact, now: datetime
    ) -> tuple[NudgeDmChanged, ...]:
        owner = repo.find_user(slack_user_id)
        return close_superseded(repo.session, owner, contact, now) if owner else ()

    def log_contact(self, team_id: str, slack_user_id: str, data: ContactInput) -> ContactResult:
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
            if data.standing is Standing.REQUEST_SENT:
                # Every request sent is an attempt: the follow-up counts from it.
                repo.add_attempt(contact, data.request_channel or preferred_channel(contact), now)
            if data.standing is Standing.INTERVIEW_SCHEDULED and data.interview_at:
                repo.add_interview(contact, data.interview_at, 20, core.InterviewFormat.VIDEO, "", now)
            session.refresh(contact)
            card = with_step(session, owner, contact, now)
            # Their timezone is worth learning only if it isn't known yet (the row is loaded here).
            seen = () if owner.timezone else (UserSeen(slack_user_id),)
        events = (ContactCardOffered(card.id, ContactNews.SAVED), *seen, HomeStale(slack_user_id))
        return ContactResult(card, events)

    def request_sent(
        self,
        team_id: str,
        slack_user_id: str,
        contact_id: int,
        version: int,
        route: core.RequestRoute | None = None,
    ) -> ContactResult:
        """Record one outreach attempt (a request or a follow-up) on the user's own contact. A first
        request to a 2nd-degree contact says whom it went to (``route``); without it, the user is asked
        and nothing is recorded yet."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user_id, contact_id)
            with _card_as_it_stands(contact_id):
                if contact.version != version:
                    raise ActionRefused(stale_message(contact))
                facts, degree = contact_facts(contact), core.Degree(contact.degree)
                if route is None and core.asks_route(degree, facts.stage, facts.attempts):
                    card = self._card(repo, slack_user_id, contact, now)
                    return ContactResult(card, (RequestRouteAsked(contact_id),))
                calling = _calling(repo, slack_user_id, contact)
                move_contact(
                    repo, contact, version, partial(_request_stage, repo, slack_user_id, contact), now
                )
            channel = core.OutreachChannel.PHONE if calling and route is None else channel_for(contact, route)
            repo.add_attempt(contact, channel, now)
            session.refresh(contact)
            closed = self._close_superseded(repo, slack_user_id, contact, now)
            card = self._card(repo, slack_user_id, contact, now)
        return ContactResult(card, (ContactChanged(card.id, ContactNews.REQUEST_RECORDED), *closed))

    def introduced(self, team_id: str, slack_user_id: str, contact_id: int, version: int) -> ContactResult:
        """The mutual connection introduced them: the request to the contact is next."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user_id, contact_id)
            try:
                record_introduction(repo, contact, version, now)
            except ActionRefused as refusal:
                raise refusal.with_events(ContactCardStale(contact_id)) from None
            session.refresh(contact)
            closed = self._close_superseded(repo, slack_user_id, contact, now)
            card = self._card(repo, slack_user_id, contact, now)
        return ContactResult(card, (ContactChanged(card.id, ContactNews.INTRODUCED), *closed))

    def reply(
        self, team_id: str, slack_user_id: str, contact_id: int, version: int, answer: str
    ) -> ContactResult:
        """They answered the request: yes (to schedule), no (closed politely) or later."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user_id, contact_id)
            with _card_as_it_stands(contact_id):
                record_reply(repo, contact, version, answer, now)
            session.refresh(contact)
            closed = self._close_superseded(repo, slack_user_id, contact, now)
            card = self._card(repo, slack_user_id, contact, now)
        return ContactResult(card, (ContactChanged(card.id, REPLY_NEWS[answer]), *closed))

    def touched(self, team_id: str, slack_user_id: str, contact_id: int, version: int) -> ContactResult:
        """After an interview, a note went out: the thank-you if it was still owed (the 48 h clock
        stops), otherwise a keep-in-touch note. Either way the next check-in counts from now."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user_id, contact_id)
            with _card_as_it_stands(contact_id):
                move_contact(repo, contact, version, partial(_still_interviewed, contact), now)
            owed = [
                i
                for i in contact.interviews
                if i.status == core.InterviewStatus.DONE.value and i.thank_you_at is None
            ]
            if owed:
                max(owed, key=lambda i: i.starts_at).thank_you_at = now
            contact.last_touch_at = now
            session.flush()
            closed = self._close_superseded(repo, slack_user_id, contact, now)
            card = self._card(repo, slack_user_id, contact, now)
        news = ContactNews.THANKS_RECORDED if owed else ContactNews.TOUCH_RECORDED
        return ContactResult(card, (ContactChanged(card.id, news), *closed, HomeStale(slack_user_id)))


def record_reply(repo: Repository, contact: Contact, version: int, answer: str, now: datetime) -> None:
    """Their answer to the latest request moves the contact on (compare-and-set on ``version``)."""
    if answer not in REPLIES:
        raise ActionRefused("Choose yes, no or later.")
    move_contact(
        repo, contact, version, partial(core.transition, core.Stage(contact.stage), REPLIES[answer]), now
    )
    latest = max(contact.attempts, key=lambda a: a.sent_at, default=None)
    if latest is not None:
        latest.outcome, latest.outcome_at = answer, now
    repo.session.flush()


@contextmanager
def _card_as_it_stands(contact_id: int) -> Iterator[None]:
    """Inside: a refusal also redraws the clicked card as things stand, so its buttons tell the truth."""
    try:
        yield
    except ActionRefused as refusal:
        raise refusal.with_events(ContactCardStale(contact_id)) from None


def _request_stage(repo: Repository, slack_user_id: str, contact: Contact) -> core.Stage:
    """Where one more request or follow-up moves the contact (refused past the tries the user allows)."""
    owner = repo.find_user(slack_user_id)
    rules = nudge_settings(owner.preferences if owner else None, None).pipeline
    return core.check_request_sent(core.Stage(contact.stage), contact_facts(contact).attempts, rules)


def _calling(repo: Repository, slack_user_id: str, contact: Contact) -> bool:
    """Whether this try is the phone call: the last one before moving on (METHOD.md, section 4)."""
    owner = repo.find_user(slack_user_id)
    rules = nudge_settings(owner.preferences if owner else None, None).pipeline
    tries = core.unanswered_attempts(contact_facts(contact).attempts)
    return contact.stage == core.Stage.REQUESTED.value and 0 < tries == rules.max_attempts - 1


def _still_interviewed(contact: Contact) -> core.Stage:
    """A note after an interview records something only while the contact stands there."""
    if contact.stage != core.Stage.INTERVIEWED.value:
        raise ActionRefused(f"Nothing to record: the contact is at “{core.Stage(contact.stage).label}”.")
    return core.Stage.INTERVIEWED


def record_introduction(repo: Repository, contact: Contact, version: int, now: datetime) -> None:
    """The introducer made the introduction the student asked for (compare-and-set on ``version``)."""
    if contact.version != version:
        raise ActionRefused(stale_message(contact))
    if not core.awaiting_introduction(contact_facts(contact).attempts):
        raise ActionRefused(f"There is no request for an introduction to {contact.name} waiting.")
    with refusing(contact):
        repo.advance(contact, version, core.transition(core.Stage(contact.stage), core.Event.INTRODUCED), now)
    latest = max(contact.attempts, key=lambda a: a.sent_at)
    latest.outcome, latest.outcome_at = core.AttemptOutcome.INTRODUCED.value, now
    repo.session.flush()


def channel_for(contact: Contact, route: core.RequestRoute | None) -> core.OutreachChannel:
    """How a request went out: to the introducer, directly, or (not said) the likeliest way."""
    if route is core.RequestRoute.INTRODUCTION:
        return core.OutreachChannel.INTRODUCTION
    if route is core.RequestRoute.DIRECT:
        return direct_channel(contact)
    return preferred_channel(contact)


def preferred_channel(contact: Contact) -> core.OutreachChannel:
    """How the request most likely went out, from what the student knows about the contact: to the
    introducer for a 2nd-degree contact not yet asked (and for a follow-up while the introduction is
    awaited), else the contact's own address."""
    if contact.degree == core.Degree.SECOND.value and not contact.attempts:
        return core.OutreachChannel.INTRODUCTION
    if core.awaiting_introduction(contact_facts(contact).attempts):
        return core.OutreachChannel.INTRODUCTION
    return direct_channel(contact)


def direct_channel(contact: Contact) -> core.OutreachChannel:
    """The contact's own address the student most likely wrote to."""
    if contact.email:
        return core.OutreachChannel.EMAIL
    if contact.linkedin_url:
        return core.OutreachChannel.LINKEDIN
    if contact.phone:
        return core.OutreachChannel.PHONE
    return core.OutreachChannel.EMAIL
