"""Reading what we know of a user: preferences, timezone, DM channel."""

from __future__ import annotations

from typing import Any

from bot.domain.preferences import current
from storage.db import Database
from storage.repository import Repository


class UserQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def preferences(self, team_id: str, slack_user_id: str) -> tuple[dict[str, Any], str | None]:
        """The user's preferences with defaults filled in, and their timezone."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            return current(user.preferences if user else None), user.timezone if user else None

    def knows_timezone(self, team_id: str, slack_user_id: str) -> bool:
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            return bool(user and user.timezone)

    def dm_channel(self, team_id: str, slack_user_id: str) -> str | None:
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            return user.dm_channel if user else None
