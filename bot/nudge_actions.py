"""What the buttons on a nudge DM do. Service layer: one unit of work per click, no Slack.

Every click names a nudge. It acts only when the clicker owns the nudge, the nudge is still
waiting for an answer (status ``sent``), the click comes from the DM that carried it, and the
situation it was about still holds; otherwise nothing changes and the refusal says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.contacts import contact_message
from bot.blocks.kit import esc
from bot.blocks.nudges import nudge_message
from bot.domain import drafts
from bot.domain import nudges as rules
from bot.domain import pipeline as core
from bot.domain.forms import InterviewInput
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.nudge_views import RESOLUTIONS, draft_for, load_items
from bot.services import ActionRefused, Clock, _card, _preferred_channel, record_reply, system_clock
from storage.db import Database
from storage.models import Contact, Interview, Nudge, User
from storage.repository import Repository, contact_facts

SNOOZE = {"1d": timedelta(days=1), "3d": timedelta(days=3), "1w": timedelta(weeks=1)}


@dataclass
class Outcome:
    """What to show after a click: the DM redrawn, and maybe a follow-up DM about the contact."""

    message: dict[str, Any] | None = None
    channel: str | None = None
    ts: str | None = None
    follow_up: dict[str, Any] | None = None
    # An interview that moved: its confirmation DM and calendar file are sent again.
    rescheduled_interview: int | None = None


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


class NudgeActions:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    # Loading and checking -----------------------------------------------------------------------

    def _open(
        self, session: Session, team_id: str, slack_user: str, nudge_id: int, ts: str | None
    ) -> tuple[Repository, User, Nudge]:
        repo = Repository(session, team_id)
        user = repo.find_user(slack_user)
        nudge = session.get(Nudge, nudge_id)
        if user is None or nudge is None or nudge.team_id != team_id or nudge.user_id != user.id:
            raise ActionRefused("That reminder isn't yours, so I left it alone.")
        if nudge.status != "sent":
            done = RESOLUTIONS.get(nudge.resolution or nudge.status, "it was already handled.")
            if nudge.status == "pending" and nudge.resolution == "snoozed":
                done = "it is snoozed."
            raise ActionRefused(
                f"Nothing changed: {done[0].lower()}{done[1:]}" if done else "Already handled."
            )
        if ts is not None and nudge.message_ts != ts:
            raise ActionRefused(
                "That message is out of date: the reminder was sent again since. Use the newest one."
            )
        if nudge.contact_id is not None:
            contact = repo.contact_of(user, nudge.contact_id)
            if contact is None:
                raise ActionRefused("That contact isn't in your list any more.")
            settings = nudge_settings(user.preferences, user.timezone)
            referrals = _referrals(session, contact)
            keys = rules.plan_contact(contact_facts(contact, referrals), self.clock(), settings).keys
            if nudge.key not in keys:
                nudge.status, nudge.resolution, nudge.resolved_at = "obsolete", "obsolete", self.clock()
                raise ActionRefused(
                    "That reminder is out of date: things moved on since it was sent "
                    f"({core.Stage(contact.stage).label.lower()})."
                )
        return repo, user, nudge

    def _resolve(self, nudge: Nudge, how: str) -> None:
        nudge.status, nudge.resolution, nudge.resolved_at = "resolved", how, self.clock()

    def _redraw(self, session: Session, user: User, nudge: Nudge) -> Outcome:
        session.flush()
        siblings = session.scalars(
            select(Nudge)
            .where(
                Nudge.team_id == nudge.team_id,
                Nudge.user_id == user.id,
                Nudge.channel == nudge.channel,
                Nudge.message_ts == nudge.message_ts,
            )
            .order_by(Nudge.id)
        ).all()
        message = nudge_message(load_items(session, user, siblings, self.clock()))
        return Outcome(message=message, channel=nudge.channel, ts=nudge.message_ts)

    def redraw(self, team_id: str, slack_user: str, nudge_id: int) -> Outcome | None:
        """The DM of a nudge as it stands now (after a refused click), if it is the user's."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user)
            nudge = session.get(Nudge, nudge_id)
            if user is None or nudge is None or nudge.user_id != user.id or nudge.team_id != team_id:
                return None
            if not nudge.message_ts:
                return None
            return self._redraw(session, user, nudge)

    # Buttons ---------------------------------------------------------------------------------------

    def done(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Outcome:
        now = self.clock()
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, ts)
            kind = NudgeKind(nudge.kind)
            contact = repo.contact_of(user, nudge.contact_id) if nudge.contact_id else None
            interview = session.get(Interview, nudge.interview_id) if nudge.interview_id else None
            if kind in (NudgeKind.FOLLOW_UP, NudgeKind.PHONE_CALL) and contact is not None:
                stage = core.Stage(contact.stage)
                attempts = [
                    core.Attempt(a.sent_at, core.OutreachChannel(a.channel), core.AttemptOutcome(a.outcome))
                    for a in contact.attempts
                ]
                rules = nudge_settings(user.preferences, user.timezone).pipeline
                try:
                    new_stage = core.check_request_sent(stage, attempts, rules)
                except core.TransitionError as refusal:
                    raise ActionRefused(str(refusal)) from None
                channel = (
                    core.OutreachChannel.PHONE
                    if kind is NudgeKind.PHONE_CALL
                    else _preferred_channel(contact)
                )
                repo.advance(contact, contact.version, new_stage, now)
                repo.add_attempt(contact, channel, now)
            elif kind is NudgeKind.THANK_YOU and interview is not None and contact is not None:
                interview.thank_you_at = now
                _touched(repo, contact, now)
            elif kind is NudgeKind.THANK_INTRODUCER and interview is not None and contact is not None:
                interview.introducer_thanked_at = now
                _touched(repo, contact, now, counts_as_touch=False)
            elif kind is NudgeKind.KEEP_IN_TOUCH and contact is not None:
                _touched(repo, contact, now)
            self._resolve(nudge, "done")
            return self._redraw(session, user, nudge)

    def snooze(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None, choice: str) -> Outcome:
        delay = SNOOZE.get(choice)
        if delay is None:
            raise ActionRefused("Choose 1 day, 3 days or 1 week.")
        with self.db.session() as session:
            _, user, nudge = self._open(session, team_id, slack_user, nudge_id, ts)
            nudge.status, nudge.resolution = "pending", "snoozed"
            nudge.due_at, nudge.retry_at = self.clock() + delay, None
            outcome = self._redraw(session, user, nudge)
            return outcome

    def move_on(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Outcome:
        now = self.clock()
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, ts)
            contact = _contact(repo, user, nudge)
            try:
                stage = core.transition(core.Stage(contact.stage), core.Event.CLOSED_NO_RESPONSE)
            except core.TransitionError as refusal:
                raise ActionRefused(str(refusal)) from None
            repo.advance(contact, contact.version, stage, now)
            for attempt in contact.attempts:
                if attempt.outcome == core.AttemptOutcome.PENDING.value:
                    attempt.outcome, attempt.outcome_at = core.AttemptOutcome.NO_RESPONSE.value, now
            self._resolve(nudge, "moved_on")
            return self._redraw(session, user, nudge)

    def reply(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None, answer: str) -> Outcome:
        now = self.clock()
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, ts)
            contact = _contact(repo, user, nudge)
            record_reply(repo, contact, contact.version, answer, now)
            self._resolve(nudge, f"replied_{answer}")
            outcome = self._redraw(session, user, nudge)
            if answer == "yes":
                session.refresh(contact)
                outcome.follow_up = contact_message(
                    _card(contact),
                    f"🎉 *{esc(contact.name)}* said yes. Book the slot that suits them.",
                )
            return outcome

    def missed(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Outcome:
        now = self.clock()
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, ts)
            contact = _contact(repo, user, nudge)
            interview = _interview(session, nudge)
            stage = core.transition(core.Stage(contact.stage), core.Event.INTERVIEW_CANCELLED)
            interview.status = core.InterviewStatus.MISSED.value
            repo.advance(contact, contact.version, stage, now)
            self._resolve(nudge, "missed")
            outcome = self._redraw(session, user, nudge)
            session.refresh(contact)
            outcome.follow_up = contact_message(
                _card(contact),
                f"No problem. When you have a new time with *{esc(contact.name)}*, book it here.",
            )
            return outcome

    def draft(self, team_id: str, slack_user: str, nudge_id: int) -> tuple[drafts.Draft, str, str]:
        """The draft for a nudge, the contact's email (for a mailto link) and a title."""
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, None)
            draft = draft_for(session, nudge)
            if draft is None:
                raise ActionRefused("There is no draft for this reminder.")
            contact = _contact(repo, user, nudge)
            email = contact.email if NudgeKind(nudge.kind) is not NudgeKind.THANK_INTRODUCER else ""
            title = "Voicemail script" if nudge.kind == NudgeKind.PHONE_CALL else "Draft"
            return draft, email, title

    def interview_of(self, team_id: str, slack_user: str, nudge_id: int) -> tuple[str, int]:
        """The contact's name and the interview id a wrap-up nudge is about (for the modals)."""
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, None)
            return _contact(repo, user, nudge).name, _interview(session, nudge).id

    # Modal submissions -----------------------------------------------------------------------------------

    def notes(self, team_id: str, slack_user: str, nudge_id: int, notes: NotesInput) -> Outcome:
        now = self.clock()
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, None)
            contact = _contact(repo, user, nudge)
            interview = _interview(session, nudge)
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
            self._resolve(nudge, "notes")
            return self._redraw(session, user, nudge)

    def reschedule(self, team_id: str, slack_user: str, nudge_id: int, data: InterviewInput) -> Outcome:
        now = self.clock()
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, None)
            contact = _contact(repo, user, nudge)
            interview = _interview(session, nudge)
            interview.starts_at, interview.duration_minutes = data.starts_at, data.duration_minutes
            interview.format, interview.place = data.format.value, data.place
            repo.advance(contact, contact.version, core.Stage(contact.stage), now)
            self._resolve(nudge, "rescheduled")
            outcome = self._redraw(session, user, nudge)
            outcome.rescheduled_interview = interview.id
            return outcome

    def referrals(self, team_id: str, slack_user: str, nudge_id: int, people: Sequence[Referral]) -> Outcome:
        now = self.clock()
        with self.db.session() as session:
            repo, user, nudge = self._open(session, team_id, slack_user, nudge_id, None)
            contact = _contact(repo, user, nudge)
            for person in people:
                repo.add_contact(
                    user,
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
            repo.advance(contact, contact.version, core.Stage(contact.stage), now)
            self._resolve(nudge, "referrals")
            return self._redraw(session, user, nudge)


def _contact(repo: Repository, user: User, nudge: Nudge) -> Contact:
    contact = repo.contact_of(user, nudge.contact_id) if nudge.contact_id else None
    if contact is None:
        raise ActionRefused("That contact isn't in your list any more.")
    return contact


def _interview(session: Session, nudge: Nudge) -> Interview:
    interview = session.get(Interview, nudge.interview_id) if nudge.interview_id else None
    if interview is None or interview.team_id != nudge.team_id:
        raise ActionRefused("That interview isn't in your records any more.")
    return interview


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
