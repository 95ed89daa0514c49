"""Reading the App Home: how many contacts per stage, and what is due next."""

from __future__ import annotations

from datetime import datetime

from bot.domain import pipeline as core
from bot.domain.preferences import nudge_settings
from bot.queries.models import DueItem
from storage.db import Database
from storage.repository import Repository, snapshot


class HomeQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def dashboard(
        self, team_id: str, slack_user_id: str, now: datetime
    ) -> tuple[dict[core.Stage, int], list[DueItem]]:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            if owner is None:
                return dict.fromkeys(core.Stage, 0), []
            counts = repo.stage_counts(owner)
            rules = nudge_settings(owner.preferences, owner.timezone).pipeline
            steps = core.upcoming_steps((snapshot(c) for c in repo.contacts_of(owner)), now, rules)
        return counts, [DueItem(s.text, s.due_at, s.is_due(now)) for s in steps]
