"""The demo's workspace: the people you can be, and the timezone they live in."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class DemoUser:
    id: str
    name: str
    role: str  # what the page says they are

    @property
    def dm(self) -> str:
        """Their DM with the app (the stand-in names it D + the rest of the user id)."""
        return "D" + self.id[1:]

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "role": self.role, "dm": self.dm}


STUDENT = DemoUser("U0DEMOALEX", "Alex Kim", "student")
SECOND_STUDENT = DemoUser("U0DEMOSAM", "Sam Rivera", "student")
MENTOR = DemoUser("U0DEMOMORGAN", "Morgan Lee", "mentor")
USERS: tuple[DemoUser, ...] = (STUDENT, SECOND_STUDENT, MENTOR)
BY_ID = {user.id: user for user in USERS}

#: A channel everyone is in, where commands can be typed too.
GENERAL = "C0DEMOGENERAL"
CHANNEL_NAMES = {GENERAL: "general"}


class UnknownUser(ValueError):
    """A page request for someone who is not one of the demo's people."""


def demo_user(user_id: object) -> DemoUser:
    if isinstance(user_id, str) and user_id in BY_ID:
        return BY_ID[user_id]
    shown = repr(user_id)[:40]
    known = ", ".join(f"{u.id} ({u.name})" for u in USERS)
    raise UnknownUser(f"unknown demo user {shown}: use one of {known}")


def local_timezone() -> str:
    """This machine's IANA timezone (TZ, /etc/localtime, /etc/timezone); UTC when unknown."""
    candidates: list[str] = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name and valid_timezone(name):
            return name
    return "UTC"


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
