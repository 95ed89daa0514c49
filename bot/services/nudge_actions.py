"""What the buttons on a nudge DM do: one unit of work per click, checked by
:class:`~bot.services.reminder_clicks.ReminderClicks` (the user's own reminder, still waiting, about a
situation that still holds)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import pipeline as core
from bot.domain import reminders
from bot.domain.forms import InterviewInput
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.domain.reminders import DoneEffect, Resolution, SnoozeChoice
from bot.queries.contacts import next_target
from bot.queries.drafts import draft_for
from bot.queries.models import ContactNews, NudgeDraft, WrapUp
from bot.queries.nudges import thank_you_deadline
from bot.services.contacts import preferred_channel, record_introduction, record_reply
from bot.services.errors import ActionRefused
from bot.services.events import ContactCardOffered, InterviewBooked, Result
from bot.services.refusals import refusing
from bot.services.reminder_clicks import Click, ReminderClicks, reminder_of, store
from storage.models import Contact, Interview
from storage.repository import Repository, contact_facts


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


# Done effects that record an outreach attempt, and how it went (None: the contact's likeliest way).
ATTEMPT_CHANNELS: dict[DoneEffect, core.OutreachChannel | None] = {
    DoneEffect.RECORD_ATTEMPT: None,
    DoneEffect.RECORD_CALL: core.OutreachChannel.PHONE,
    DoneEffect.RECORD_INTRODUCTION_ASK: core.OutreachChannel.INTRODUCTION,
}


class NudgeActions(ReminderClicks):
    """The buttons and modals of nudge DMs."""

    # Buttons ---------------------------------------------------------------------------------------

    def done(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Result:
        now = self.clock()

        def work(click: Click) -> Result:
            repo, user, nudge = click.repo, click.user, click.nudge
            effect = reminders.done_effect(NudgeKind(nudge.kind))
            contact = click.contact if nudge.contact_id else None
            interview = click.session.get(Interview, nudge.interview_id) if nudge.interview_id else None
            if effect in ATTEMPT_CHANNELS and contact is not None:
                stage = core.Stage(contact.stage)
                attempts = contact_facts(contact).attempts
                pipeline_rules = nudge_settings(user.preferences, user.timezone).pipeline
                with refusing(contact):
                    new_stage = core.check_request_sent(stage, attempts, pipeline_rules)
                channel = ATTEMPT_CHANNELS[effect] or preferred_channel(contact)
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
            return self.resolved(click, Resolution.DONE)

        return self.click(team_id, slack_user, nudge_id, ts, work)

    def snooze(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None, choice: str) -> Result:
        chosen = SnoozeChoice.parse(choice)

        def work(click: Click) -> Result:
            assert chosen is not None
            nudge = click.nudge
            store(nudge, reminders.snooze(reminder_of(nudge), chosen, self.clock(), _latest(click)))
            nudge.retry_at = None
            return Result(click.dm)

        refused = None if chosen else "Choose 1 day, 3 days or 1 week."
        return self.click(team_id, slack_user, nudge_id, ts, work, refused=refused)

    def move_on(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Result:
        now = self.clock()

        def work(click: Click) -> Result:
            contact = click.contact
            with refusing(contact):
                stage = core.transition(core.Stage(contact.stage), core.Event.CLOSED_NO_RESPONSE)
            click.repo.advance(contact, contact.version, stage, now)
            for attempt in contact.attempts:
                if attempt.outcome == core.AttemptOutcome.PENDING.value:
                    attempt.outcome, attempt.outcome_at = core.AttemptOutcome.NO_RESPONSE.value, now
            # On to the next one: its card, with what to do about it.
            following = next_target(click.session, contact)
            offered = (ContactCardOffered(following.id, ContactNews.NEXT_TARGET),) if following else ()
            return self.resolved(click, Resolution.MOVED_ON, *offered)

        return self.click(team_id, slack_user, nudge_id, ts, work)

    def reply(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None, answer: str) -> Result:
        now = self.clock()

        def work(click: Click) -> Result:
            contact = click.contact
            record_reply(click.repo, contact, contact.version, answer, now)
            also = (ContactCardOffered(contact.id, ContactNews.REPLIED_YES),) if answer == "yes" else ()
            return self.resolved(click, Resolution(f"replied_{answer}"), *also)

        return self.click(team_id, slack_user, nudge_id, ts, work)

    def introduced(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Result:
        """ "They introduced us": the introduction is recorded and the contact's card offered, for the
        request to them that comes next."""
        now = self.clock()

        def work(click: Click) -> Result:
            contact = click.contact
            record_introduction(click.repo, contact, contact.version, now)
            offered = ContactCardOffered(contact.id, ContactNews.INTRODUCED)
            return self.resolved(click, Resolution.INTRODUCED, offered)

        return self.click(team_id, slack_user, nudge_id, ts, work)

    def missed(self, team_id: str, slack_user: str, nudge_id: int, ts: str | None) -> Result:
        now = self.clock()

        def work(click: Click) -> Result:
            contact = click.contact
            interview = click.interview
            stage = core.transition(core.Stage(contact.stage), core.Event.INTERVIEW_CANCELLED)
            interview.status = core.InterviewStatus.MISSED.value
            click.repo.advance(contact, contact.version, stage, now)
            offered = ContactCardOffered(contact.id, ContactNews.INTERVIEW_MISSED)
            return self.resolved(click, Resolution.MISSED, offered)

        return self.click(team_id, slack_user, nudge_id, ts, work)

    # What the modals need --------------------------------------------------------------------------

    def draft(self, team_id: str, slack_user: str, nudge_id: int) -> NudgeDraft:
        """The draft a reminder offers, with the contact's email for a mail link."""

        def work(click: Click) -> NudgeDraft:
            draft = draft_for(click.session, click.nudge, self.clock())
            if draft is None:
                raise ActionRefused("There is no draft for this reminder.")
            contact = click.contact
            kind = NudgeKind(click.nudge.kind)
            to_introducer = kind in (NudgeKind.THANK_INTRODUCER, NudgeKind.INTRO_FOLLOW_UP)
            email = "" if to_introducer else contact.email
            return NudgeDraft(kind, draft, email)

        return self.click(team_id, slack_user, nudge_id, None, work)

    def booking(self, team_id: str, slack_user: str, nudge_id: int) -> str:
        """The name of the contact a reminder to book a time is about (for the booking modal)."""

        def work(click: Click) -> str:
            if NudgeKind(click.nudge.kind) not in (NudgeKind.BOOK, NudgeKind.REBOOK):
                raise ActionRefused("There is nothing to book from this reminder.")
            return click.contact.name

        return self.click(team_id, slack_user, nudge_id, None, work)

    def wrap_up(self, team_id: str, slack_user: str, nudge_id: int) -> WrapUp:
        """The contact and interview a wrap-up or referrals reminder is about (for the modals)."""

        def work(click: Click) -> WrapUp:
            return WrapUp(click.contact.name, click.interview.id)

        return self.click(team_id, slack_user, nudge_id, None, work)

    # Modal submissions -----------------------------------------------------------------------------

    def notes(self, team_id: str, slack_user: str, nudge_id: int, notes: NotesInput) -> Result:
        now = self.clock()

        def work(click: Click) -> Result:
            repo = click.repo
            contact = click.contact
            interview = click.interview
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
            return self.resolved(click, Resolution.NOTES)

        return self.click(team_id, slack_user, nudge_id, None, work)

    def reschedule(self, team_id: str, slack_user: str, nudge_id: int, data: InterviewInput) -> Result:
        now = self.clock()

        def work(click: Click) -> Result:
            contact = click.contact
            interview = click.interview
            interview.starts_at, interview.duration_minutes = data.starts_at, data.duration_minutes
            interview.format, interview.place = data.format.value, data.place
            click.repo.advance(contact, contact.version, core.Stage(contact.stage), now)
            return self.resolved(
                click, Resolution.RESCHEDULED, InterviewBooked(interview.id, rescheduled=True)
            )

        return self.click(team_id, slack_user, nudge_id, None, work)

    def book(self, team_id: str, slack_user: str, nudge_id: int, data: InterviewInput) -> Result:
        """The interview booked from a reminder to book one: the reminder is done, the booking confirmed."""
        now = self.clock()

        def work(click: Click) -> Result:
            if NudgeKind(click.nudge.kind) not in (NudgeKind.BOOK, NudgeKind.REBOOK):
                raise ActionRefused("There is nothing to book from this reminder.")
            contact = click.contact
            try:
                stage = core.transition(core.Stage(contact.stage), core.Event.INTERVIEW_SCHEDULED)
            except core.TransitionError as refusal:
                raise ActionRefused(str(refusal)) from None
            click.repo.advance(contact, contact.version, stage, now)
            interview = click.repo.add_interview(
                contact, data.starts_at, data.duration_minutes, data.format, data.place, now
            )
            return self.resolved(click, Resolution.BOOKED, InterviewBooked(interview.id))

        return self.click(team_id, slack_user, nudge_id, None, work)

    def referrals(self, team_id: str, slack_user: str, nudge_id: int, people: Sequence[Referral]) -> Result:
        now = self.clock()

        def work(click: Click) -> Result:
            contact = click.contact
            added = []
            for person in people:
                # A referral doesn't inherit the referrer's industry: they may work in another one.
                added.append(
                    click.repo.add_contact(
                        click.user,
                        {
                            "name": person.name,
                            "company": person.company,
                            "role": person.role,
                            "degree": core.Degree.SECOND.value,
                            "introducer_name": contact.name,
                            "introducer_contact_id": contact.id,
                            "source": core.Source.REFERRAL.value,
                        },
                        core.Stage.TARGET,
                        now,
                    )
                )
            click.repo.advance(contact, contact.version, core.Stage(contact.stage), now)
            offered = (ContactCardOffered(c.id, ContactNews.REFERRED) for c in added)
            return self.resolved(click, Resolution.REFERRALS, *offered)

        return self.click(team_id, slack_user, nudge_id, None, work)


def _touched(repo: Repository, contact: Contact, now: datetime, counts_as_touch: bool = True) -> None:
    repo.advance(contact, contact.version, core.Stage(contact.stage), now)
    if counts_as_touch:
        contact.last_touch_at = now


def _latest(click: Click) -> datetime | None:
    """How late a snoozed reminder may come back: a thank-you never past its 48 hours."""
    nudge = click.nudge
    if NudgeKind(nudge.kind) is not NudgeKind.THANK_YOU or nudge.interview_id is None:
        return None
    interview = click.session.get(Interview, nudge.interview_id)
    return thank_you_deadline(interview, click.user) if interview is not None else None
