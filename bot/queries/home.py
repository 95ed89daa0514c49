"""Reading the App Home: the funnel, the week against its goals, the upcoming interviews, and the
contacts whose next step matters most (with what their buttons need)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain.window import day_label, zone
from bot.queries.contacts import card_of
from bot.queries.models import ContactCard, HomeScreen, UpcomingInterview
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
            return _screen(session, team_id, slack_user_id, now)[0]

    def screen_and_card(
        self, team_id: str, slack_user_id: str, now: datetime, contact_id: int
    ) -> tuple[HomeScreen, ContactCard | None]:
        """The App Home and, from the same reading, the user's own contact ``contact_id`` with its
        next step (what :meth:`bot.queries.contacts.ContactQueries.card` reads); None for anyone
        else's, or one that is gone."""
        with self.db.session() as session:
            return _screen(session, team_id, slack_user_id, now, contact_id)


def _screen(
    session: Session, team_id: str, slack_user_id: str, now: datetime, contact_id: int | None = None
) -> tuple[HomeScreen, ContactCard | None]:
    """The Home, with one reading of the contacts and one of their next steps; and the card of
    ``contact_id`` among them."""
    repo = Repository(session, team_id)
    owner = repo.find_user(slack_user_id)
    if owner is None:
        return HomeScreen(dict.fromkeys(core.Stage, 0)), None
    contacts = repo.contacts_of(owner)
    counts = core.stage_counts(core.Stage(c.stage) for c in contacts)  # as repo.stage_counts
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
    week = week_progress(session, owner, now, contacts=contacts) if contacts else None
    screen = HomeScreen(counts, rows, max(0, len(steps) - HOME_STEPS), interviews, week)
    contact = by_id.get(contact_id) if contact_id is not None else None
    if contact is None:
        return screen, None
    step = next((s for s in steps if s.contact_id == contact_id), None)
    return screen, card_of(contact, line_of(step, tz, now) if step is not None else None)
