"""A claim: the nudge rows a sweep marked ``sending`` under one token, with the lease it holds on
them; and how long an unconfirmed or refused DM waits before it is looked at again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

HOUR = timedelta(hours=1)


@dataclass
class Claim:
    """Rows this sweep marked ``sending`` under ``token``, and the lease it last set on them."""

    token: str
    user_id: int
    slack_user: str
    dm_channel: str | None
    claimed_at: datetime
    held_until: datetime
    size: int
    attempts: int = 1
    message: dict[str, Any] | None = None
    about: dict[str, Any] = field(default_factory=dict)  # its line in the log (`bot.logs.dm_fields`)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))
