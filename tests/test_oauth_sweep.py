"""The sweep under OAuth distribution: `InstalledWorkspaces` gives it each installed workspace with a
client carrying that workspace's token; an uninstalled workspace gets no reminder until it installs
the app again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from helpers import contact_form, nudge_dms
from oauthworld import TEAM_A, TEAM_B, TOKEN_A, TOKEN_B, OAuthWorld, new_key

from bot.fakeslack import FakeSlack
from bot.oauth.commands import sweep_workspaces
from bot.sweep import Sweeper
from storage.db import Database

ALICE, BOB = "UALICE001", "UBOB00002"
#: Monday 2 March 2026, 09:00 in New York (the fake's default timezone): the requests are sent.
SENT = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
#: Tuesday 10 March, 11:00 in New York: a follow-up is due for each.
LATER = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def world(db: Database, slack: FakeSlack) -> Iterator[OAuthWorld]:
    world = OAuthWorld(db, slack, new_key())
    world.clock.set(SENT)
    yield world
    world.close()


def request_sent(world: OAuthWorld, slack: FakeSlack, team: str, user: str, name: str) -> None:
    before = len(slack.calls_to("chat.postMessage"))
    form = contact_form(name=name, standing="request_sent", request_channel="linkedin")
    assert world.sender.submit("log_contact", form, user=user, team=team).status == 200
    world.settle()
    slack.wait_for("chat.postMessage", before + 1)


def reminded(slack: FakeSlack) -> list[tuple[str, str]]:
    return [(call.args["channel"], call.headers["authorization"]) for call in nudge_dms(slack)]


def sweep_one_at_a_time(world: OAuthWorld, db: Database, now: datetime) -> None:
    """The sweep of each installed workspace, with that workspace's client."""
    for workspace in sweep_workspaces(world.config, world.distribution).active():
        Sweeper(db, workspace.client).run(now)


def test_an_uninstalled_workspace_is_not_reminded_until_it_installs_again(
    world: OAuthWorld, slack: FakeSlack, db: Database
) -> None:
    world.install(TEAM_A, TOKEN_A, "Acme")
    world.install(TEAM_B, TOKEN_B, "Bravo")
    request_sent(world, slack, TEAM_A, ALICE, "Ada")
    request_sent(world, slack, TEAM_B, BOB, "Bea")
    assert world.sender.event({"type": "app_uninstalled"}, team=TEAM_A, event_id="Ev0GONE").status == 200
    world.settle()

    sweep_one_at_a_time(world, db, LATER)
    assert reminded(slack) == [(BOB, f"Bearer {TOKEN_B}")]

    # A installs again (a new token) and B revokes its token: Ada's follow-up, kept waiting, goes
    # out through A's new token; B gets nothing more.
    new_token = "xoxb-3333-team-a-new-token"
    assert world.install(TEAM_A, new_token, "Acme", code="again").status == 200
    revoked = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}
    assert world.sender.event(revoked, team=TEAM_B, event_id="Ev0REVOKED").status == 200
    world.settle()
    sweep_one_at_a_time(world, db, LATER + timedelta(hours=1))
    assert reminded(slack) == [(BOB, f"Bearer {TOKEN_B}"), (ALICE, f"Bearer {new_token}")]


def test_one_sweep_reminds_every_installed_workspace_with_its_own_token(
    world: OAuthWorld, slack: FakeSlack, db: Database
) -> None:
    world.install(TEAM_A, TOKEN_A, "Acme")
    world.install(TEAM_B, TOKEN_B, "Bravo")
    request_sent(world, slack, TEAM_A, ALICE, "Ada")
    request_sent(world, slack, TEAM_B, BOB, "Bea")
    Sweeper(db, sweep_workspaces(world.config, world.distribution)).run(LATER)
    assert sorted(reminded(slack)) == [(ALICE, f"Bearer {TOKEN_A}"), (BOB, f"Bearer {TOKEN_B}")]
