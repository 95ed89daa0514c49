"""Reading the App Home: how many contacts per stage, and each contact's next step."""

from __future__ import annotations

from datetime import datetime

from bot.domain import pipeline as core
from bot.queries.models import StepLine
from bot.queries.steps import step_lines
from storage.db import Database
from storage.repository import Repository

# The Home lists at most this many next steps (the most pressing); the list has the rest.
HOME_STEPS = 12


class HomeQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def dashboard(
        self, team_id: str, slack_user_id: str, now: datetime
    ) -> tuple[dict[core.Stage, int], list[StepLine]]:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            if owner is None:
                return dict.fromkeys(core.Stage, 0), []
            counts = repo.stage_counts(owner)
            lines = step_lines(session, owner, repo.contacts_of(owner), now)
        return counts, lines[:HOME_STEPS]
