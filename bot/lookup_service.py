"""Search, outcomes and the objective/goals: one unit of work per user action. No Slack here.

The pure parts (checking the goal form, the texts the weekly plan shows) are plain functions at the
bottom; :class:`LookupService` does the reads and writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain import pipeline as core
from bot.domain.chain import chain_of
from bot.domain.forms import clean_text
from bot.domain.preferences import RANGES, current
from bot.queries.models import (
    FIND_LIMIT,
    GOAL_LIMITS,
    OUTCOMES,
    ContactCard,
    FoundContact,
    Goal,
    SearchResult,
)
from bot.services import ActionRefused, Clock, Services, system_clock
from storage.db import Database
from storage.lookup import LookupStore
from storage.models import Contact
from storage.repository import Repository, StaleVersion

MAX_SEARCH = 100
NOT_YOURS = "That contact isn't in your list: it may have been removed, or it isn't yours."


@dataclass(frozen=True)
class OutcomeRecorded:
    name: str
    outcome: str | None


@dataclass
class LookupService:
    db: Database
    clock: Clock = system_clock

    def find(self, team_id: str, slack_user_id: str, text: str, limit: int = FIND_LIMIT) -> SearchResult:
        """The user's own contacts whose name, company or industry contains ``text``, with their chains."""
        with self.db.session() as session:
            owner = Repository(session, team_id).find_user(slack_user_id)
            if owner is None or not text:
                return SearchResult([], 0)
            store = LookupStore(session, team_id)
            contacts, total = store.search(owner.id, text, limit)
            known = store.chain_records(owner.id, (c.id for c in contacts))
            found = [
                FoundContact(_search_card(c), chain_of(c.id, known), c.outcome or None) for c in contacts
            ]
            return SearchResult(found, total)

    def record_outcome(
        self, team_id: str, slack_user_id: str, contact_id: int, version: int, outcome: str
    ) -> OutcomeRecorded:
        """What a contact led to (a job lead, an application, an offer; "none" clears it).

        Only on the user's own contact, and only if it has not changed since the menu was drawn.
        """
        if outcome not in OUTCOMES:
            raise ActionRefused("Choose a job lead, an application, an offer, or clear the outcome.")
        stored = None if outcome == "none" else outcome
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            contact = repo.contact_of(owner, contact_id) if owner else None
            if contact is None:
                raise ActionRefused(NOT_YOURS)
            if contact.version != version:
                raise ActionRefused(_stale(contact))
            try:
                repo.advance(contact, version, core.Stage(contact.stage), now)
            except StaleVersion:
                raise ActionRefused(_stale(contact)) from None
            contact.outcome = stored
            contact.outcome_at = now if stored else None
            session.flush()
            return OutcomeRecorded(contact.name, stored)

    def goal(self, team_id: str, slack_user_id: str) -> Goal:
        """The user's objective and weekly targets as stored (defaults for anything missing)."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            return goal_from_preferences(user.preferences if user else None)

    def save_goal(self, team_id: str, slack_user_id: str, goal: Goal) -> None:
        """Store the objective and targets in the user's preferences, merged with what is there."""
        Services(self.db, self.clock).save_preferences(team_id, slack_user_id, goal_preferences(goal))


def _search_card(contact: Contact) -> ContactCard:
    """What a search result shows (no attempts or interviews: a result doesn't need them)."""
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
    )


def _stale(contact: Contact) -> str:
    return (
        f"Already done, or out of date: {contact.name} changed since this list was drawn. "
        "Search again with `/infoint find` to see where things stand."
    )


# Pure ------------------------------------------------------------------------------------------------

TEXT_FIELDS = ("objective", "target_industries", "target_companies", "target_roles")
NUMBER_FIELDS = ("weekly_requests", "weekly_interviews")


def _text(prefs: Mapping[str, Any], key: str) -> str:
    value = prefs.get(key)
    return (
        clean_text(value, multiline=key == "objective")[: GOAL_LIMITS[key]] if isinstance(value, str) else ""
    )


def goal_from_preferences(prefs: Mapping[str, Any] | None) -> Goal:
    prefs = prefs or {}
    numbers = current(prefs)
    return Goal(
        objective=_text(prefs, "objective"),
        target_industries=_text(prefs, "target_industries"),
        target_companies=_text(prefs, "target_companies"),
        target_roles=_text(prefs, "target_roles"),
        weekly_requests=numbers["weekly_requests"],
        weekly_interviews=numbers["weekly_interviews"],
    )


def goal_preferences(goal: Goal) -> dict[str, Any]:
    return {key: getattr(goal, key) for key in (*TEXT_FIELDS, *NUMBER_FIELDS)}


def validate_goal(raw: Mapping[str, Any]) -> Goal | dict[str, str]:
    """Check the goal form: a clean :class:`Goal`, or a message per faulty field."""
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for key in TEXT_FIELDS:
        value = raw.get(key)
        texts[key] = clean_text(value if isinstance(value, str) else None, multiline=key == "objective")
        limit = GOAL_LIMITS[key]
        if len(texts[key]) > limit:
            errors[key] = f"Keep it under {limit} characters (this is {len(texts[key])})."
    if not texts["objective"] and "objective" not in errors:
        errors["objective"] = "Say in a sentence what you want to learn: an industry, a company, a role…"
    numbers: dict[str, int] = {}
    for key in NUMBER_FIELDS:
        low, high = RANGES[key]
        value = raw.get(key)
        value = value.strip() if isinstance(value, str) else ""
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            errors[key] = f"A whole number from {low} to {high}."
        else:
            numbers[key] = int(value)
    if errors:
        return errors
    return Goal(**texts, **numbers)


def weekly_goal_texts(prefs: Mapping[str, Any] | None) -> tuple[str, str]:
    """What the weekly plan shows at the top: the objective, and the targets in one line (raw text)."""
    goal = goal_from_preferences(prefs)
    targets = " · ".join(
        f"{label}: {value}"
        for label, value in (
            ("Industries", goal.target_industries),
            ("Companies", goal.target_companies),
            ("Roles", goal.target_roles),
        )
        if value
    )
    return goal.objective, targets
