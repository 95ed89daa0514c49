"""What every store of one workspace shares: the caller's unit of work, and the workspace (``team_id``)
every query it makes is scoped by."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from storage.models import Base

R = TypeVar("R", bound=Base)


class Scoped:
    """Reads and writes of one workspace, inside the caller's unit of work (session)."""

    def __init__(self, session: Session, team_id: str) -> None:
        if not team_id:
            raise ValueError("a workspace (team_id) is required")
        self.session = session
        self.team_id = team_id

    def insert(self, row: R) -> R:
        """Store a new row now (its id is known once this returns)."""
        self.session.add(row)
        self.session.flush()
        return row
