"""Outcomes (what a contact led to) and the objective/goals: one unit of work per user action.

Checking the goal form is a plain function at the bottom (the reads are in :mod:`bot.queries.lookup`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from bot.domain import pipeline as core
from bot.domain.forms import clean_text
from bot.domain.preferences import RANGES
from bot.queries.models import GOAL_LIMITS, OUTCOMES, Goal
from bot.services.clock import Clock, system_clock
from bot.services.errors import ActionRefused
from bot.services.events import GoalSaved, OutcomeRecorded, Result
from bot.services.ownership import owned_contact
from bot.services.refusals import move_contact
from bot.services.users import store_preferences
from storage.db import Database
from storage.models import Contact
from storage.repository import Repository


class LookupService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def record_outcome(
        self, team_id: str, slack_user_id: str, contact_id: int, version: int, outcome: str
    ) -> Result:
        """What a contact led to (a job lead, an application, an offer; "none" clears it).

        Only on the user's own contact, and only if it has not changed since the menu was drawn.
        """
        if outcome not in OUTCOMES:
            raise ActionRefused("Choose a job lead, an application, an offer, or clear the outcome.")
        stored = None if outcome == "none" else outcome
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            contact = owned_contact(repo, slack_user_id, contact_id)
            move_contact(repo, contact, version, partial(core.Stage, contact.stage), now, stale=_stale)
            contact.outcome = stored
            contact.outcome_at = now if stored else None
            session.flush()
        return Result((OutcomeRecorded(contact_id, stored),))

    def save_goal(self, team_id: str, slack_user_id: str, goal: Goal) -> Result:
        """Store the objective and targets in the user's preferences, merged with what is there."""
        with self.db.session() as session:
            store_preferences(session, team_id, slack_user_id, goal_preferences(goal), self.clock())
        return Result((GoalSaved(slack_user_id),))


def _stale(contact: Contact) -> str:
    return (
        f"Already done, or out of date: {contact.name} changed since this list was drawn. "
        "Search again with `/infoint find` to see where things stand."
    )


# Pure ------------------------------------------------------------------------------------------------

TEXT_FIELDS = ("objective", "target_industries", "target_companies", "target_roles")
NUMBER_FIELDS = ("weekly_requests", "weekly_interviews")


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
        if not (len(value) <= 18 and value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            errors[key] = f"A whole number from {low} to {high}."
        else:
            numbers[key] = int(value)
    if errors:
        return errors
    return Goal(**texts, **numbers)
