"""A student's data rights, the write side: forgetting one user of a workspace (``/infoint forget-me``
and ``infoint forget --user``), or a whole workspace (``infoint forget --team``).

The copy of their records and what forgetting would delete are reads: :mod:`bot.queries.datarights`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.domain.datarights import Erasure
from bot.services.clock import Clock, system_clock
from bot.services.events import CohortClosed, Event, HomeStale
from storage.db import Database
from storage.erasure import UserErasure, forget_workspace
from storage.repository import Repository


@dataclass(frozen=True)
class Forgotten:
    """What forgetting the user deleted; ``events``: their App Home, now empty, is drawn again."""

    erasure: Erasure
    events: tuple[Event, ...] = ()


class DataRights:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def forget_user(self, team_id: str, slack_user: str) -> Forgotten:
        """Delete everything of ``slack_user`` in ``team_id`` (nothing of anyone else's, nothing in
        another workspace). A user infoint never met: nothing deleted. Their next request starts
        afresh."""
        now = self.clock()

        def work(session: Session) -> Erasure:
            user = Repository(session, team_id).find_user(slack_user)
            return UserErasure(session, team_id).forget(user, now)

        erasure = self.db.run(work, what="forget a user")
        closed = tuple(CohortClosed(cohort_id) for cohort_id in erasure.closed_ids)
        return Forgotten(erasure, (*closed, HomeStale(slack_user)) if erasure.rows else ())

    def forget_workspace(self, team_id: str) -> dict[str, int]:
        """Delete every row of the workspace: the rows deleted by table."""
        return self.db.run(lambda session: forget_workspace(session, team_id), what="forget a workspace")
