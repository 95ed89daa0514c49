"""Hours for tests that run on the real clock (a process like `infoint run` sweeps at the time it is)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from storage.repository import Repository

#: Every day, every hour: the widest working window a student can choose (its end is 23:59, so the
#: last minute of each day is outside it).
ALWAYS = {"window_days": list(range(7)), "window_start": "00:00", "window_end": "23:59"}


def awake_zone(now: datetime) -> str:
    """A timezone where ``now`` falls between 11:00 and 13:00, well inside `ALWAYS`: a student there
    is due a DM at once whenever the test runs (in UTC, a test started at 23:59 would wait a minute for
    the window to open)."""
    offset = 12 - now.astimezone(UTC).hour  # hours ahead of UTC: -11 to +12
    if offset == 0:
        return "UTC"
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"  # POSIX signs: Etc/GMT-12 is UTC+12


def follow_up_due_now(
    session: Session, team_id: str, slack_user_id: str, now: datetime, name: str = "Ada"
) -> None:
    """A student awake at ``now`` (working every hour, DM channel ``D…`` known) who wrote to ``name``
    8 days before ``now`` with no reply: a follow-up is due at once."""
    repo = Repository(session, team_id)
    user = repo.get_or_create_user(slack_user_id, now)
    repo.update_user(user, preferences=ALWAYS, timezone=awake_zone(now), dm_channel="D" + slack_user_id[1:])
    contact = repo.add_contact(user, {"name": name, "degree": "first"}, core.Stage.REQUESTED, now)
    repo.add_attempt(contact, core.OutreachChannel.EMAIL, now - timedelta(days=8))
