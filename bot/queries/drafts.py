"""Drafts filled from the records: the one a reminder offers, and those that fit a contact where it stands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import drafts
from bot.domain import pipeline as core
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.domain.window import slot_label, working_day_opening, zone
from bot.queries.contacts import own_contact
from bot.queries.models import ContactDrafts
from storage.db import Database
from storage.facts import contact_facts
from storage.models import Contact, Note, Nudge, User
from storage.repository import Repository

# How many times a reply to a "yes" (or a note after a missed interview) offers.
SLOTS = 3


def _note(session: Session, contact_id: int, kind: str) -> str:
    body = session.scalar(
        select(Note.body)
        .where(Note.contact_id == contact_id, Note.kind == kind)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(1)
    )
    return body or ""


def draft_facts(session: Session, contact: Contact, student_name: str = "") -> drafts.DraftFacts:
    return drafts.DraftFacts(
        contact_name=contact.name,
        company=contact.company,
        role=contact.role,
        learning_goal=contact.learning_goal,
        introducer=contact.introducer_name,
        takeaway=_note(session, contact.id, "takeaway"),
        action_item=_note(session, contact.id, "action_item"),
        student_name=student_name,
        advice=_note(session, contact.id, "advice"),
    )


def slots_for(user: User | None, now: datetime) -> tuple[str, ...]:
    """Times to offer someone: the openings of the student's next working days, in their timezone."""
    settings = nudge_settings(user.preferences if user else None, user.timezone if user else None)
    tz = zone(settings.timezone)
    return tuple(
        slot_label(working_day_opening(now, tz, settings.window, n), tz) for n in range(1, SLOTS + 1)
    )


DRAFTS: dict[NudgeKind, Callable[[drafts.DraftFacts], drafts.Draft]] = {
    NudgeKind.FOLLOW_UP: drafts.follow_up,
    NudgeKind.INTRO_FOLLOW_UP: drafts.introduction_follow_up,
    NudgeKind.PHONE_CALL: drafts.voicemail,
    NudgeKind.MOVE_ON: drafts.follow_up,
    NudgeKind.THANK_YOU: drafts.thank_you,
    NudgeKind.THANK_INTRODUCER: drafts.thank_introducer,
    NudgeKind.KEEP_IN_TOUCH: drafts.keep_in_touch,
}
# Drafts that offer times.
SLOT_DRAFTS: dict[NudgeKind, Callable[[drafts.DraftFacts, Sequence[str]], drafts.Draft]] = {
    NudgeKind.BOOK: drafts.propose_times,
    NudgeKind.REBOOK: drafts.sorry_we_missed,
}


def draft_for(session: Session, nudge: Nudge, now: datetime) -> drafts.Draft | None:
    """The draft a reminder offers, if its kind has one."""
    kind = NudgeKind(nudge.kind)
    contact = session.get(Contact, nudge.contact_id) if nudge.contact_id else None
    if contact is None:
        return None
    facts = draft_facts(session, contact)
    if kind in SLOT_DRAFTS:
        return SLOT_DRAFTS[kind](facts, slots_for(session.get(User, nudge.user_id), now))
    make = DRAFTS.get(kind)
    return make(facts) if make else None


def choose(
    facts: drafts.DraftFacts,
    stage: core.Stage,
    degree: core.Degree,
    tries: int,
    thanked: bool,
    *,
    missed: bool = False,
    slots: Sequence[str] = (),
    introduced: bool = False,
    awaiting_introduction: bool = False,
) -> tuple[tuple[str, str, drafts.Draft], ...]:
    """The drafts for a stage and degree, most useful first (``missed``: their latest interview didn't
    happen; ``slots``: times to offer; ``introduced``: the introducer made the introduction;
    ``awaiting_introduction``: the latest request asked the introducer for it). Pure."""
    if stage is core.Stage.AGREED:
        if missed:
            return (("draft", "Sorry we missed each other", drafts.sorry_we_missed(facts, slots)),)
        return (("draft", "Your reply, with three times", drafts.propose_times(facts, slots)),)
    if stage is core.Stage.TARGET:
        if degree is core.Degree.SECOND and introduced:
            return (("draft", "Your request", drafts.request_after_introduction(facts)),)
        if degree is core.Degree.SECOND:
            return (
                ("draft_intro", "Ask for an introduction", drafts.introduction_ask(facts)),
                ("draft", "Or write to them yourself", drafts.request_via_introducer(facts)),
            )
        make = drafts.request_cold if degree is core.Degree.COLD else drafts.request_first
        return (("draft", "Your request", make(facts)),)
    if stage is core.Stage.REQUESTED:
        if awaiting_introduction:
            made = drafts.introduction_follow_up(facts)
            return (("draft_intro", "Your follow-up to the introducer", made),)
        if tries >= 2:
            return (("draft", "Phone call and voicemail script", drafts.voicemail(facts)),)
        return (("draft", "Your follow-up", drafts.follow_up(facts)),)
    if stage is core.Stage.INTERVIEWED:
        made = drafts.keep_in_touch(facts) if thanked else drafts.thank_you(facts)
        extra: tuple[tuple[str, str, drafts.Draft], ...] = ()
        if facts.introducer:
            extra = (("draft_intro", "Thank the introducer", drafts.thank_introducer(facts)),)
        return (("draft", "Keep in touch" if thanked else "Your thank-you", made), *extra)
    return ()


class DraftQueries:
    def __init__(self, db: Database, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self.clock = clock

    def for_contact(self, team_id: str, slack_user_id: str, contact_id: int) -> ContactDrafts | None:
        """The drafts that fit the user's own contact (none at some stages); None for anyone else's."""
        with self.db.session() as session:
            found = own_contact(Repository(session, team_id), slack_user_id, contact_id)
            if found is None:
                return None
            user, contact = found
            stage, degree = core.Stage(contact.stage), core.Degree(contact.degree)
            attempts = contact_facts(contact).attempts
            tries = core.unanswered_attempts(attempts)
            thanked = any(i.thank_you_at for i in contact.interviews)
            latest = max(contact.interviews, key=lambda i: (i.starts_at, i.id), default=None)
            missed = latest is not None and latest.status == core.InterviewStatus.MISSED.value
            chosen = choose(
                draft_facts(session, contact),
                stage,
                degree,
                tries,
                thanked,
                missed=missed,
                slots=slots_for(user, self.clock()),
                introduced=any(a.outcome is core.AttemptOutcome.INTRODUCED for a in attempts),
                awaiting_introduction=core.awaiting_introduction(attempts),
            )
            return ContactDrafts(
                contact.id,
                contact.version,
                contact.name,
                stage,
                contact.email,
                chosen,
                introducer=contact.introducer_name,
                asks_route=core.asks_route(degree, stage, attempts),
            )
