"""What a calendar file (.ics) says about an interview, and its file name. Pure.

The file itself is built by :mod:`bot.blocks.calendar`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarEntry:
    interview_id: int
    team_id: str
    contact_name: str
    starts_at: datetime
    duration_minutes: int
    company: str = ""
    place: str = ""
    format_label: str = ""
    objective: str = ""
    questions: tuple[str, ...] = ()
    sequence: int = 0
    cancelled: bool = False


def filename(entry: CalendarEntry) -> str:
    """A safe file name such as ``interview-ada-lovelace.ics``."""
    plain = unicodedata.normalize("NFKD", entry.contact_name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or "contact"
    return f"interview-{slug}.ics"
