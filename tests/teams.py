"""Several workspaces in one database and one fake Slack, each with its own bot token: seeding due
reminders across them, the `Workspaces` the sweep is given, and counting, at the fake Slack, which
reminder reached whom through which team's token."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hours import ALWAYS
from slack_sdk import WebClient
from sqlalchemy import select

from bot.domain import pipeline as core
from bot.fakeslack import FakeSlack
from bot.sweep import METADATA_EVENT
from bot.workspaces import Workspace
from storage.db import Database
from storage.models import Contact, Nudge, OutreachAttempt, User
from storage.models import Workspace as WorkspaceRow

#: Tuesday 10 March 2026, 10:00 UTC: every request was sent 8 days before, so a follow-up is due.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def team(n: int) -> str:
    return f"T{n:04d}"


def token_of(team_id: str) -> str:
    return f"xoxb-{team_id.lower()}-token"


def student(team_id: str, n: int) -> str:
    """A Slack user id unique across the teams (the fake keeps one DM channel per user id)."""
    return f"U{team_id[1:]}{n:04d}"


def dm_of(slack_user: str) -> str:
    return "D" + slack_user[1:]


@dataclass(frozen=True)
class Listed:
    """`Workspaces` over a fixed list (what an installation store gives the sweep)."""

    workspaces: tuple[Workspace, ...]

    def active(self) -> list[Workspace]:
        return list(self.workspaces)


def install(slack: FakeSlack, teams: list[str], *, timeout: float = 5) -> Listed:
    """Each team installed in the fake with a token of its own; the sweep's client for each."""
    for team_id in teams:
        slack.add_team(team_id, token_of(team_id))
    return Listed(
        tuple(
            Workspace(team_id, WebClient(token=token_of(team_id), base_url=slack.api_url, timeout=timeout))
            for team_id in teams
        )
    )


def seed(
    db: Database,
    teams: list[str],
    students: int,
    per_student: int = 1,
    *,
    now: datetime = NOW,
    timezone: str = "UTC",
) -> None:
    """In each team, ``students`` students (in ``timezone``, working every hour, DM known) with
    ``per_student`` requests each, sent 8 days before ``now``: one follow-up due per request."""
    start = now - timedelta(days=9)
    with db.session() as session:
        session.add_all(WorkspaceRow(team_id=t, created_at=start) for t in teams)
        session.flush()
        users = [
            User(
                team_id=t,
                slack_user_id=student(t, n),
                timezone=timezone,
                preferences=ALWAYS,
                dm_channel=dm_of(student(t, n)),
                next_check_at=start,
                created_at=start,
            )
            for t in teams
            for n in range(students)
        ]
        session.add_all(users)
        session.flush()
        contacts = [
            Contact(
                team_id=user.team_id,
                owner_id=user.id,
                name=f"Contact {user.slack_user_id}-{k}",
                degree="first",
                stage=core.Stage.REQUESTED.value,
                stage_changed_at=start,
                next_check_at=start,
                version=1,
                created_at=start,
                updated_at=start,
            )
            for user in users
            for k in range(per_student)
        ]
        session.add_all(contacts)
        session.flush()
        session.add_all(
            OutreachAttempt(
                team_id=contact.team_id,
                contact_id=contact.id,
                number=1,
                channel=core.OutreachChannel.EMAIL.value,
                sent_at=now - timedelta(days=8),
                outcome=core.AttemptOutcome.PENDING.value,
            )
            for contact in contacts
        )


@dataclass
class Tally:
    """The sweep's DMs at the fake Slack: how many times each reminder arrived, and through which
    team's token each reminder's DM was posted."""

    dms: int = 0
    per_reminder: Counter[int] = field(default_factory=Counter)
    posted_by: dict[int, set[str]] = field(default_factory=dict)

    @property
    def duplicated(self) -> int:
        return sum(count - 1 for count in self.per_reminder.values() if count > 1)


def tally(slack: FakeSlack, channels: Collection[str] | None = None) -> Tally:
    """What reached the students: the sweep's DMs at the fake Slack (only those in ``channels`` when
    given), and in how many each reminder appears (each item of a DM is a section with block_id
    ``nudge:<id>``)."""
    slack.wait_idle()
    counted = Tally()
    teams_of_posts = {
        (str((c.response or {}).get("channel")), str((c.response or {}).get("ts"))): c.team
        for c in slack.calls_to("chat.postMessage")
        if isinstance(c.response, dict) and c.response.get("ok")
    }
    for (channel, ts), message in slack.messages.items():
        if channels is not None and channel not in channels:
            continue
        if (message.get("metadata") or {}).get("event_type") != METADATA_EVENT:
            continue
        counted.dms += 1
        for block in message.get("blocks") or []:
            block_id = str(block.get("block_id") or "")
            if block_id.startswith("nudge:"):
                nudge = int(block_id.split(":", 1)[1])
                counted.per_reminder[nudge] += 1
                counted.posted_by.setdefault(nudge, set()).add(teams_of_posts.get((channel, ts), "?"))
    return counted


def assert_each_once(db: Database, slack: FakeSlack, expected: int) -> Tally:
    """Every logged reminder reached its student once, through its own team's token; none lost."""
    counted = tally(slack)
    with db.session() as session:
        nudges = list(session.scalars(select(Nudge)))
    assert len(nudges) == expected
    lost = [n.id for n in nudges if counted.per_reminder[n.id] == 0]
    assert not lost, f"{len(lost)} reminder(s) never arrived"
    assert counted.duplicated == 0, f"{counted.duplicated} duplicate(s)"
    assert set(counted.per_reminder) == {n.id for n in nudges}
    assert {n.status for n in nudges} == {"sent"}
    for n in nudges:
        assert counted.posted_by[n.id] == {n.team_id}, (n.id, n.team_id, counted.posted_by[n.id])
    assert slack.internal_errors == []
    return counted


def channel_of(team_id: str) -> str:
    return f"C{team_id[1:]}COHORT"


def seed_cohorts(db: Database, slack: FakeSlack, teams: list[str], *, now: datetime = NOW) -> None:
    """In each team, a cohort in its own channel (the app invited), created 9 days before ``now`` by
    a mentor in UTC, its students members: at `NOW`, this week's digest is due."""
    from storage.cohorts import CohortStore

    created = now - timedelta(days=9)
    with db.session() as session:
        for team_id in teams:
            mentor = User(
                team_id=team_id,
                slack_user_id=f"U{team_id[1:]}MENTOR",
                timezone="UTC",
                preferences=ALWAYS,
                created_at=created,
            )
            session.add(mentor)
            session.flush()
            store = CohortStore(session, team_id)
            cohort = store.create(channel_of(team_id), f"Cohort of {team_id}", mentor, created)
            members = session.scalars(select(User).where(User.team_id == team_id, User.id != mentor.id))
            for user in members:
                store.join(cohort, user, created)
            slack.add_channel(channel_of(team_id), f"cohort-{team_id.lower()}", (mentor.slack_user_id,))


def digests_posted(slack: FakeSlack, teams: list[str]) -> dict[str, int]:
    """How many weekly digests (the channel message carrying its claim) each team's channel got."""
    from bot.digests import METADATA_EVENT as DIGEST_EVENT

    slack.wait_idle()
    return {
        team_id: sum(
            1
            for message in slack.messages_in(channel_of(team_id))
            if (message.get("metadata") or {}).get("event_type") == DIGEST_EVENT
        )
        for team_id in teams
    }
