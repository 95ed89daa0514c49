"""``/infoint stats`` and ``/infoint insights``: the reads live in storage; here is their door."""

from __future__ import annotations

from bot.domain.stats import Stats
from storage.db import Database
from storage.insights import InsightsData, read_insights
from storage.stats import read_stats


class ReportQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def stats(self, team_id: str, slack_user_id: str) -> Stats:
        return read_stats(self.db, team_id, slack_user_id)

    def insights(self, team_id: str, slack_user_id: str) -> InsightsData:
        return read_insights(self.db, team_id, slack_user_id)
