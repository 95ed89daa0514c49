"""Reading the App Home: the funnel, the week against its goals, the upcoming interviews, and the
contacts whose next step matters most (with what their buttons need)."""

from __future__ import annotations

from datetime import datetime

from bot.domain import pipeline as core
from bot.domain.window import day_label, zone
from bot.queries.contacts import card_of
from bot.queries.models import HomeScreen, UpcomingInterview
from bot.queries.plan import week_progress
from bot.queries.steps import line_of, next_steps_of
from storage.db import Database
from storage.repository import Repository

# The Home lists at most this many next steps (the most pressing); the list has the rest.
HOME_STEPS = 12
HOME_INTERVIEWS = 5


class HomeQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def screen(self, team_id: str, slack_user_id: str, now: datetime) -> HomeScreen:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            owner = repo.find_user(slack_user_id)
            if owner is None:
                return HomeScreen(dict.fromkeys(core.Stage, 0))
            counts = repo.stage_counts(owner)
            contacts = repo.contacts_of(owner)
            tz = zone(owner.timezone)
            today = now.astimezone(tz).date()
            steps = next_steps_of(session, owner, contacts, now)
            by_id = {c.id: c for c in contacts}
            rows = tuple(card_of(by_id[s.contact_id], line_of(s, tz, now)) for s in steps[:HOME_STEPS])
            upcoming = sorted(
                (
                    (i.starts_at, c)
                    for c in contacts
                    for i in c.interviews
                    if i.status == core.InterviewStatus.SCHEDULED.value and i.starts_at > now
                ),
                key=lambda pair: (pair[0], pair[1].id),
            )
            interviews = tuple(
                UpcomingInterview(
                    c.id, c.name, c.company, f"{day_label(when, tz, today)} at {when.astimezone(tz):%H:%M}"
                )
                for when, c in upcoming[:HOME_INTERVIEWS]
            )
            week = week_progress(session, owner, now) if contacts else None
            return HomeScreen(counts, rows, max(0, len(steps) - HOME_STEPS), interviews, week)
