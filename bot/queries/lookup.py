"""Reading for ``/infoint find`` (contacts with their referral chains) and the objective/goals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.chain import chain_of
from bot.domain.forms import clean_text
from bot.domain.preferences import current
from bot.queries.contacts import plain_card
from bot.queries.models import FIND_LIMIT, GOAL_LIMITS, FoundContact, Goal, SearchResult
from storage.db import Database
from storage.lookup import LookupStore
from storage.repository import Repository

# The longest search text taken, in characters.
MAX_SEARCH = 100


class LookupQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def find(self, team_id: str, slack_user_id: str, text: str, limit: int = FIND_LIMIT) -> SearchResult:
        """The user's own contacts whose name, company or industry contains ``text``, with their chains."""
        with self.db.session() as session:
            owner = Repository(session, team_id).find_user(slack_user_id)
            if owner is None or not text:
                return SearchResult([], 0)
            store = LookupStore(session, team_id)
            contacts, total = store.search(owner.id, text, limit)
            known = store.chain_records(owner.id, (c.id for c in contacts))
            found = [FoundContact(plain_card(c), chain_of(c.id, known), c.outcome or None) for c in contacts]
            return SearchResult(found, total)

    def goal(self, team_id: str, slack_user_id: str) -> Goal:
        """The user's objective and weekly targets as stored (defaults for anything missing)."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            return goal_from_preferences(user.preferences if user else None)


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
