"""What the buttons on a nudge DM do: one unit of work per click.

Every click names a nudge. It acts only when the clicker owns the nudge, the nudge is still
waiting for an answer (status ``sent``), the click comes from the DM that carried it, and the
situation it was about still holds; otherwise nothing the user asked for is done and the refusal says
why. A reminder found out of date is closed all the same (that much is kept), and every refusal on
the user's own reminder asks for its DM to be redrawn, so the DM shows where things stand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import nudges as rules
from bot.domain import pipeline as core
from bot.domain import reminders
from bot.domain.forms import InterviewInput
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.domain.reminders import DoneEffect, Reminder, ReminderStatus, Resolution, SnoozeChoice
from bot.queries.drafts import draft_for
from bot.queries.models import ContactNews, NudgeDraft, WrapUp
from bot.services.clock import Clock, system_clock
from bot.services.contacts import preferred_channel, record_reply
from bot.services.errors import ActionRefused
from bot.services.events import ContactCardOffered, Event, InterviewBooked, NudgeDmChanged, Result
from bot.services.ownership import nudge_contact, nudge_interview, owned_nudge
from storage.db import Database
from storage.models import Contact, Interview, Nudge, User
from storage.repository import Repository, contact_facts

T = TypeVar("T")


@dataclass(frozen=True)
class NotesInput:
    takeaways: str = ""
    advice: str = ""
    action_items: str = ""
    talk_again: str = ""


@dataclass(frozen=True)
class Referral:
    name: str
    company: str = ""
    role: str = ""


@dataclass(frozen=True)
class _Click:
    """A click that may act: the user's own reminder, still waiting, about a situation that holds."""

    session: Session
    repo: Repository
    user: User
    nudge: Nudge
    slack_user: str

    @property
    def dm(self) -> tuple[Event, ...]:
        return _dm_changed(self.nudge, self.slack_user)


def _dm_changed(nudge: Nudge, slack_user: str) -> tuple[Event, ...]:
    if not (nudge.channel and nudge.message_ts):
        return ()
    return (NudgeDmChanged(nudge.channel, nudge.message_ts, slack_user),)


class NudgeActions:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    # The unit of work --------------------------------------------------------------------------

    def _click(
        self,
        team_id: str,
        slack_user: str,
        nudge_id: int,
        ts: str | None,
        work: Callable[[_Click], T],
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
                dm = _dm_changed(nudge, slack_user)
                if refused:
                    raise ActionRefused(refused)
                why = self._stale(session, repo, user, nudge, ts)
                if why is None:
                    return work(_Click(session, repo, user, nudge, slack_user))
            # Leaving the block normally commits a reminder closed as out of date by _stale.
        except ActionRefused as refusal:
            raise refusal.with_events(*dm) from None
        raise ActionRefused(why, dm)

    def _stale(
        self, session: Session, repo: Repository, user: User, nudge: Nudge, ts: str | None
    ) -> str | None:
        """Why the click can't act on the user's own nudge (None: it can; refused outright when its
        contact is no longer theirs). An out-of-date reminder (the situation it was about no longer
        holds) is closed as obsolete on the way."""
        try:
            reminders.check_clickable(_reminder(nudge))
        except reminders.ClickRefused as refusal:
            return str(refusal)
        if ts is not None and nudge.message_ts != ts:
            return "That message is out of date: the reminder was sent again since. Use the newest one."
        if nudge.contact_id is not None:
            contact = nudge_contact(repo, user, nudge)
            settings = nudge_settings(user.preferences, user.timezone)
            referrals = _referrals(session, contact)
            keys = rules.plan_contact(contact_facts(contact, referrals), self.clock(), settings).keys
            if nudge.key not in keys:
                _store(nudge, reminders.mark_obsolete(_reminder(nudge), self.clock()))
                return (
                    "That reminder is out of date: things moved on since it was sent "
                    f"({core.Stage(contact.stage).label.lower()})."
                )
        return None

    def _resolved(self, click: _Click, how: Resolution, *also: Event) -> Result:
        _store(click.nudge, reminders.resolve(_reminder(click.nudge), how, self.clock()))
        return Result((*click.dm, *also))

    # Buttons ---------------------------------------------------------------------------------------

    def done(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Result:
        now = self.clock()

        def work(click: _Click) -> Result:
            repo, user, nudge = click.repo, click.user, click.nudge
            effect = reminders.done_effect(NudgeKind(nudge.kind))
            contact = nudge_contact(repo, user, nudge) if nudge.contact_id else None
            interview = click.session.get(Interview, nudge.interview_id) if nudge.interview_id else None
            if effect in (DoneEffect.RECORD_ATTEMPT, DoneEffect.RECORD_CALL) and contact is not None:
                stage = core.Stage(contact.stage)
                attempts = contact_facts(contact).attempts
                pipeline_rules = nudge_settings(user.preferences, user.timezone).pipeline
                try:
                    new_stage = core.check_request_sent(stage, attempts, pipeline_rules)
                except core.TransitionError as refusal:
                    raise ActionRefused(str(refusal)) from None
                channel = (
                    core.OutreachChannel.PHONE
                    if effect is DoneEffect.RECORD_CALL
                    else preferred_channel(contact)
                )
                repo.advance(contact, contact.version, new_stage, now)
                repo.add_attempt(contact, channel, now)
            elif effect is DoneEffect.THANKED and interview is not None and contact is not None:
                interview.thank_you_at = now
                _touched(repo, contact, now)
            elif effect is DoneEffect.INTRODUCER_THANKED and interview is not None and contact is not None:
                interview.introducer_thanked_at = now
                _touched(repo, contact, now, counts_as_touch=False)
            elif effect is DoneEffect.TOUCHED and contact is not None:
                _touched(repo, contact, now)
            return self._resolved(click, Resolution.DONE)

        return self._click(team_id, slack_user, nudge_id, ts, work)

    def snooze(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None, choice: str) -> Result:
        chosen = SnoozeChoice.parse(choice)

        def work(click: _Click) -> Result:
            assert chosen is not None
            nudge = click.nudge
            _store(nudge, reminders.snooze(_reminder(nudge), chosen, self.clock(), _latest(click)))
            nudge.retry_at = None
            return Result(click.dm)

        refused = None if chosen else "Choose 1 day, 3 days or 1 week."
        return self._click(team_id, slack_user, nudge_id, ts, work, refused=refused)

    def move_on(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Result:
        now = self.clock()

        def work(click: _Click) -> Result:
            contact = _contact(click)
            try:
                stage = core.transition(core.Stage(contact.stage), core.Event.CLOSED_NO_RESPONSE)
            except core.TransitionError as refusal:
                raise ActionRefused(str(refusal)) from None
            click.repo.advance(contact, contact.version, stage, now)
            for attempt in contact.attempts:
                if attempt.outcome == core.AttemptOutcome.PENDING.value:
                    attempt.outcome, attempt.outcome_at = core.AttemptOutcome.NO_RESPONSE.value, now
            return self._resolved(click, Resolution.MOVED_ON)

        return self._click(team_id, slack_user, nudge_id, ts, work)

    def reply(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None, answer: str) -> Result:
        now = self.clock()

        def work(click: _Click) -> Result:
            contact = _contact(click)
            record_reply(click.repo, contact, contact.version, answer, now)
            also = (ContactCardOffered(contact.id, ContactNews.REPLIED_YES),) if answer == "yes" else ()
            return self._resolved(click, Resolution(f"replied_{answer}"), *also)

        return self._click(team_id, slack_user, nudge_id, ts, work)

    def missed(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Result:
        now = self.clock()

        def work(click: _Click) -> Result:
            contact = _contact(click)
            interview = _interview(click)
            stage = core.transition(core.Stage(contact.stage), core.Event.INTERVIEW_CANCELLED)
            interview.status = core.InterviewStatus.MISSED.value
            click.repo.advance(contact, contact.version, stage, now)
            offered = ContactCardOffered(contact.id, ContactNews.INTERVIEW_MISSED)
            return self._resolved(click, Resolution.MISSED, offered)

        return self._click(team_id, slack_user, nudge_id, ts, work)

    # What the modals need --------------------------------------------------------------------------

    def draft(self, team_id: str, slack_user: str, nudge_id: int) -> NudgeDraft:
        """The draft a reminder offers, with the contact's email for a mail link."""

        def work(click: _Click) -> NudgeDraft:
            draft = draft_for(click.session, click.nudge)
            if draft is None:
                raise ActionRefused("There is no draft for this reminder.")
            contact = _contact(click)
            kind = NudgeKind(click.nudge.kind)
            email = contact.email if kind is not NudgeKind.THANK_INTRODUCER else ""
            return NudgeDraft(kind, draft, email)

        return self._click(team_id, slack_user, nudge_id, None, work)

    def wrap_up(self, team_id: str, slack_user: str, nudge_id: int) -> WrapUp:
        """The contact and interview a wrap-up or referrals reminder is about (for the modals)."""

        def work(click: _Click) -> WrapUp:
            return WrapUp(_contact(click).name, _interview(click).id)

        return self._click(team_id, slack_user, nudge_id, None, work)

    # Modal submissions -----------------------------------------------------------------------------

    def notes(self, team_id: str, slack_user: str, nudge_id: int, notes: NotesInput) -> Result:
        now = self.clock()

        def work(click: _Click) -> Result:
            repo = click.repo
            contact = _contact(click)
            interview = _interview(click)
            stage = core.transition(core.Stage(contact.stage), core.Event.INTERVIEW_DONE)
            for kind, body in (
                ("takeaway", notes.takeaways),
                ("advice", notes.advice),
                ("action_item", notes.action_items),
            ):
                if body:
                    repo.add_note(contact, body, now, kind=kind, interview_id=interview.id)
            if notes.talk_again:
                repo.add_note(contact, notes.talk_again, now, kind="talk_again", interview_id=interview.id)
            interview.status, interview.done_at = core.InterviewStatus.DONE.value, now
            repo.advance(contact, contact.version, stage, now)
            contact.last_touch_at = now
            return self._resolved(click, Resolution.NOTES)

        return self._click(team_id, slack_user, nudge_id, None, work)

    def reschedule(self, team_id: str, slack_user: str, nudge_id: int, data: InterviewInput) -> Result:
        now = self.clock()

        def work(click: _Click) -> Result:
            contact = _contact(click)
            interview = _interview(click)
            interview.starts_at, interview.duration_minutes = data.starts_at, data.duration_minutes
            interview.format, interview.place = data.format.value, data.place
            click.repo.advance(contact, contact.version, core.Stage(contact.stage), now)
            return self._resolved(
                click, Resolution.RESCHEDULED, InterviewBooked(interview.id, rescheduled=True)
            )

        return self._click(team_id, slack_user, nudge_id, None, work)

    def referrals(self, team_id: str, slack_user: str, nudge_id: int, people: Sequence[Referral]) -> Result:
        now = self.clock()

        def work(click: _Click) -> Result:
            contact = _contact(click)
            for person in people:
                click.repo.add_contact(
                    click.user,
                    {
                        "name": person.name,
                        "company": person.company,
                        "role": person.role,
                        "industry": contact.industry,
                        "degree": core.Degree.SECOND.value,
                        "introducer_name": contact.name,
                        "introducer_contact_id": contact.id,
                        "source": core.Source.REFERRAL.value,
                    },
                    core.Stage.TARGET,
                    now,
                )
            click.repo.advance(contact, contact.version, core.Stage(contact.stage), now)
            return self._resolved(click, Resolution.REFERRALS)

        return self._click(team_id, slack_user, nudge_id, None, work)


def _contact(click: _Click) -> Contact:
    return nudge_contact(click.repo, click.user, click.nudge)


def _interview(click: _Click) -> Interview:
    return nudge_interview(click.repo, click.nudge)


def _referrals(session: Session, contact: Contact) -> int:
    return len(
        session.scalars(
            select(Contact.id).where(
                Contact.team_id == contact.team_id, Contact.introducer_contact_id == contact.id
            )
        ).all()
    )


def _touched(repo: Repository, contact: Contact, now: datetime, counts_as_touch: bool = True) -> None:
    repo.advance(contact, contact.version, core.Stage(contact.stage), now)
    if counts_as_touch:
        contact.last_touch_at = now


def _reminder(nudge: Nudge) -> Reminder:
    """The domain's view of a logged reminder."""
    return Reminder(
        NudgeKind(nudge.kind),
        ReminderStatus(nudge.status),
        nudge.due_at,
        Resolution(nudge.resolution) if nudge.resolution else None,
        nudge.resolved_at,
    )


def _store(nudge: Nudge, reminder: Reminder) -> None:
    nudge.status = reminder.status.value
    nudge.resolution = reminder.resolution.value if reminder.resolution else None
    nudge.due_at, nudge.resolved_at = reminder.due_at, reminder.resolved_at


def _latest(click: _Click) -> datetime | None:
    """How late a snoozed reminder may come back: a thank-you never past its 48 hours."""
    nudge = click.nudge
    if NudgeKind(nudge.kind) is not NudgeKind.THANK_YOU or nudge.interview_id is None:
        return None
    interview = click.session.get(Interview, nudge.interview_id)
    if interview is None:
        return None
    ended = interview.starts_at + timedelta(minutes=interview.duration_minutes)
    finished = max(ended, interview.done_at) if interview.done_at else ended
    within = nudge_settings(click.user.preferences, click.user.timezone).pipeline.thank_you_within
    return finished + within
