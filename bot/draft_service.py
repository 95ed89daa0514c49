"""Which drafts fit a contact where it stands, filled from the records."""

from __future__ import annotations

from bot.domain import drafts
from bot.domain import pipeline as core
from bot.nudge_views import draft_facts
from bot.queries.models import ContactDrafts
from bot.services import ActionRefused, Clock, system_clock
from storage.db import Database
from storage.repository import Repository


def choose(facts: drafts.DraftFacts, stage: core.Stage, degree: core.Degree, tries: int, thanked: bool):
    """The drafts for a stage and degree, most useful first. Pure."""
    if stage is core.Stage.TARGET:
        if degree is core.Degree.SECOND:
            return (
                ("draft_intro", "Ask for an introduction", drafts.introduction_ask(facts)),
                ("draft", "Or write to them yourself", drafts.request_via_introducer(facts)),
            )
        make = drafts.request_cold if degree is core.Degree.COLD else drafts.request_first
        return (("draft", "Your request", make(facts)),)
    if stage is core.Stage.REQUESTED:
        if tries >= 2:
            return (("draft", "Phone call and voicemail script", drafts.voicemail(facts)),)
        return (("draft", "Your follow-up", drafts.follow_up(facts)),)
    if stage is core.Stage.INTERVIEWED:
        made = drafts.keep_in_touch(facts) if thanked else drafts.thank_you(facts)
        extra = ()
        if facts.introducer:
            extra = (("draft_intro", "Thank the introducer", drafts.thank_introducer(facts)),)
        return (("draft", "Keep in touch" if thanked else "Your thank-you", made), *extra)
    return ()


class DraftService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def for_contact(self, team_id: str, slack_user: str, contact_id: int) -> ContactDrafts:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user = repo.find_user(slack_user)
            contact = repo.contact_of(user, contact_id) if user else None
            if contact is None:
                raise ActionRefused(
                    "That contact isn't in your list: it may have been removed, or it isn't yours."
                )
            stage = core.Stage(contact.stage)
            tries = core.unanswered_attempts(
                core.Attempt(a.sent_at, core.OutreachChannel(a.channel), core.AttemptOutcome(a.outcome))
                for a in contact.attempts
            )
            thanked = any(i.thank_you_at for i in contact.interviews)
            chosen = choose(draft_facts(session, contact), stage, core.Degree(contact.degree), tries, thanked)
            if not chosen:
                raise ActionRefused(f"No draft for a contact at “{stage.label}”.")
            return ContactDrafts(contact.id, contact.version, contact.name, stage, contact.email, chosen)
