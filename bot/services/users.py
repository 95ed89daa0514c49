"""What we keep about a user: their DM channel, timezone and preferences (settings and goals)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.services.clock import Clock, system_clock
from bot.services.events import Result, SettingsSaved
from storage.db import Database
from storage.repository import Repository


def store_preferences(
    session: Session, team_id: str, slack_user_id: str, prefs: dict[str, Any], now: datetime
) -> None:
    """Merge ``prefs`` into the user's preferences; every rule is re-checked at the next sweep with them."""
    repo = Repository(session, team_id)
    user = repo.get_or_create_user(slack_user_id, now)
    repo.update_user(user, preferences={**(user.preferences or {}), **prefs}, next_check_at=now)
    repo.recheck_contacts(user, now)


class UserService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def remember_user(
        self, team_id: str, slack_user_id: str, *, timezone: str | None = None, dm_channel: str | None = None
    ) -> None:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user = repo.get_or_create_user(slack_user_id, self.clock())
            changes = {}
            if timezone and user.timezone != timezone:
                changes["timezone"] = timezone
            if dm_channel and user.dm_channel != dm_channel:
                changes["dm_channel"] = dm_channel
            if changes:
                repo.update_user(user, **changes)

    def save_preferences(self, team_id: str, slack_user_id: str, prefs: dict[str, Any]) -> None:
        """Store new preferences (already checked)."""
        with self.db.session() as session:
            store_preferences(session, team_id, slack_user_id, prefs, self.clock())

    def save_settings(self, team_id: str, slack_user_id: str, prefs: dict[str, Any]) -> Result:
        """The settings form, checked by the domain: stored, and confirmed to the user."""
        self.save_preferences(team_id, slack_user_id, prefs)
        return Result((SettingsSaved(slack_user_id),))
