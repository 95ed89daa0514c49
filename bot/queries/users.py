"""Reading what we know of a user: preferences, timezone, DM channel, the messages the app sent them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.domain.preferences import current
from storage.db import Database
from storage.models import Nudge
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

    def sent_them(self, team_id: str, slack_user_id: str, channel: str, ts: str) -> bool:
        """Whether the message ``channel``/``ts`` is one the app recorded for this user: their DM
        channel with the app, or a reminder DM the nudge log says went to them."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            if user is None:
                return False
            if user.dm_channel and user.dm_channel == channel:
                return True
            found = session.scalar(
                select(Nudge.id)
                .where(
                    Nudge.team_id == team_id,
                    Nudge.user_id == user.id,
                    Nudge.channel == channel,
                    Nudge.message_ts == ts,
                )
                .limit(1)
            )
            return found is not None
