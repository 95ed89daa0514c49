"""Several workspaces under OAuth distribution: each request acts with its own workspace's token and
sees only its own records; uninstalling (or revoking the bot token) deletes the tokens and takes the
workspace out of the sweep, installing again brings it back; no token is ever stored or logged in
clear."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import contact_form, texts
from oauthworld import TEAM_A, TEAM_B, TOKEN_A, TOKEN_B, OAuthWorld, new_key
from sqlalchemy import String, Text, select
from sqlalchemy.engine import make_url

from bot.fakeslack import FakeSlack
from storage.db import Database
from storage.installs import bots, installations
from storage.models import Base, Contact, Workspace

ALICE, BOB = "UALICE001", "UBOB00002"


@pytest.fixture
def world(db: Database, slack: FakeSlack) -> Iterator[OAuthWorld]:
    world = OAuthWorld(db, slack, new_key())
    yield world
    world.close()


@pytest.fixture
def two(world: OAuthWorld) -> OAuthWorld:
    assert world.install(TEAM_A, TOKEN_A, "Acme").status == 200
    assert world.install(TEAM_B, TOKEN_B, "Bravo").status == 200
    return world


def log_in(world: OAuthWorld, slack: FakeSlack, team: str, user: str, name: str) -> None:
    before = len(slack.calls_to("chat.postMessage"))
    reply = world.sender.submit("log_contact", contact_form(name=name), user=user, team=team)
    assert reply.status == 200, reply.body
    world.settle()
    slack.wait_for("chat.postMessage", before + 1)


def listing(world: OAuthWorld, slack: FakeSlack, team: str, user: str) -> str:
    """What ``/infoint list`` answers ``user`` of ``team`` (through the command's response_url)."""
    where = f"response_url:cmd-{user}"
    before = len(slack.calls_to(where))
    assert world.sender.command("list", team=team, user=user).status == 200
    world.settle()
    return texts(slack.wait_for(where, before + 1)[-1].args)


def tokens_used(slack: FakeSlack, method: str) -> list[str]:
    return [call.headers["authorization"] for call in slack.calls_to(method)]


class TestTwoWorkspaces:
    def test_each_command_acts_with_its_own_workspace_s_token(
        self, two: OAuthWorld, slack: FakeSlack
    ) -> None:
        assert two.sender.command("log", team=TEAM_A, user=ALICE).status == 200
        two.settle()
        assert tokens_used(slack, "views.open") == [f"Bearer {TOKEN_A}"]
        assert two.sender.command("log", team=TEAM_B, user=BOB).status == 200
        two.settle()
        assert tokens_used(slack, "views.open") == [f"Bearer {TOKEN_A}", f"Bearer {TOKEN_B}"]
        # Bolt checked each request's token with auth.test, as that workspace's.
        checks = {(c.headers["authorization"], c.response["team_id"]) for c in slack.calls_to("auth.test")}
        assert checks == {(f"Bearer {TOKEN_A}", TEAM_A), (f"Bearer {TOKEN_B}", TEAM_B)}

    def test_records_never_mix(self, two: OAuthWorld, slack: FakeSlack, db: Database) -> None:
        log_in(two, slack, TEAM_A, ALICE, "Ada from Acme")
        log_in(two, slack, TEAM_B, BOB, "Bea from Bravo")
        posts = {
            call.args["channel"]: call.headers["authorization"] for call in slack.calls_to("chat.postMessage")
        }
        assert posts == {ALICE: f"Bearer {TOKEN_A}", BOB: f"Bearer {TOKEN_B}"}
        in_a = listing(two, slack, TEAM_A, ALICE)
        in_b = listing(two, slack, TEAM_B, BOB)
        assert "Ada from Acme" in in_a and "Bea from Bravo" not in in_a
        assert "Bea from Bravo" in in_b and "Ada from Acme" not in in_b
        # The same user id in the other workspace is someone else, with nothing logged.
        assert "Ada from Acme" not in listing(two, slack, TEAM_B, ALICE)
        with db.session() as session:
            assert dict(session.execute(select(Contact.name, Contact.team_id)).all()) == {
                "Ada from Acme": TEAM_A,
                "Bea from Bravo": TEAM_B,
            }

    def test_the_sweep_serves_each_installed_workspace_with_its_own_token(self, two: OAuthWorld) -> None:
        active = two.distribution.workspaces(lambda token: _client(two, token)).active()
        assert [(w.team_id, w.client.token) for w in active] == [(TEAM_A, TOKEN_A), (TEAM_B, TOKEN_B)]


def _client(world: OAuthWorld, token: str) -> object:
    from slack_sdk import WebClient

    return WebClient(token=token, base_url=world.config.slack_api_url)


def active_teams(world: OAuthWorld) -> list[str | None]:
    return [w.team_id for w in world.distribution.workspaces(lambda token: _client(world, token)).active()]


def bot_teams(db: Database) -> list[str]:
    with db.session() as session:
        return sorted({str(team) for team in session.scalars(select(bots.c.team_id))})


class TestUninstall:
    def test_uninstalling_deletes_the_tokens_and_stops_the_reminders_keeping_the_data(
        self, two: OAuthWorld, slack: FakeSlack, db: Database
    ) -> None:
        log_in(two, slack, TEAM_A, ALICE, "Ada from Acme")
        reply = two.sender.event({"type": "app_uninstalled"}, team=TEAM_A, event_id="Ev0UNINSTALL")
        assert reply.status == 200
        two.settle()
        assert bot_teams(db) == [TEAM_B]
        with db.session() as session:
            assert session.scalars(select(installations.c.team_id)).all() == [TEAM_B]
            workspace_a = session.get(Workspace, TEAM_A)
            assert workspace_a is not None and workspace_a.uninstalled_at is not None
            assert session.scalars(select(Contact.name)).all() == ["Ada from Acme"]  # kept
        assert active_teams(two) == [TEAM_B]
        # Installing again brings the workspace back, its records with it.
        assert two.install(TEAM_A, "xoxb-3333-team-a-new-token", "Acme", code="again").status == 200
        with db.session() as session:
            workspace_a = session.get(Workspace, TEAM_A)
            assert workspace_a is not None and workspace_a.uninstalled_at is None
        assert active_teams(two) == [TEAM_A, TEAM_B]
        assert "Ada from Acme" in listing(two, slack, TEAM_A, ALICE)

    def test_a_revoked_bot_token_is_an_uninstall(self, two: OAuthWorld, db: Database) -> None:
        event = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}
        assert two.sender.event(event, team=TEAM_B, event_id="Ev0REVOKE").status == 200
        two.settle()
        assert bot_teams(db) == [TEAM_A] and active_teams(two) == [TEAM_A]

    def test_revoked_user_tokens_leave_the_bot_installed(self, two: OAuthWorld, db: Database) -> None:
        event = {"type": "tokens_revoked", "tokens": {"oauth": ["UINSTALLER"]}}
        assert two.sender.event(event, team=TEAM_B, event_id="Ev0REVOKEU").status == 200
        two.settle()
        assert bot_teams(db) == [TEAM_A, TEAM_B] and active_teams(two) == [TEAM_A, TEAM_B]

    def test_a_request_after_uninstalling_is_told_so(self, two: OAuthWorld, slack: FakeSlack) -> None:
        assert "No contacts yet" in listing(two, slack, TEAM_A, ALICE)
        two.sender.event({"type": "app_uninstalled"}, team=TEAM_A, event_id="Ev0UNINSTALL2")
        two.settle()
        assert two.sender.command("list", team=TEAM_A, user=ALICE).body == b""
        said = slack.wait_for(f"response_url:cmd-{ALICE}", 2)[-1].args["text"]
        assert "not installed in this workspace" in said


class TestNoTokenInClear:
    def test_no_table_holds_a_token_in_clear(self, two: OAuthWorld, slack: FakeSlack, db: Database) -> None:
        log_in(two, slack, TEAM_A, ALICE, "Ada from Acme")
        secrets = (TOKEN_A, TOKEN_B, TOKEN_A[5:], TOKEN_B[5:])
        scanned = 0
        with db.session() as session:
            for table in Base.metadata.sorted_tables:
                columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
                if not columns:
                    continue
                for row in session.execute(select(*columns)).all():
                    for value in row:
                        scanned += 1
                        assert not any(secret in str(value) for secret in secrets), table.name
        assert scanned > 0
        if db.dialect == "sqlite":
            path = Path(str(make_url(db.url).database))
            two.close()
            db.engine.dispose()  # let SQLite write back its journal: every byte is in the files
            files = [p for p in (path, Path(f"{path}-wal")) if p.exists()]
            raw = b"".join(p.read_bytes() for p in files)
            assert b"slack_bots" in raw  # the real file
            assert not any(secret.encode() in raw for secret in secrets)

    def test_no_token_is_logged(
        self, world: OAuthWorld, slack: FakeSlack, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        world.install(TEAM_A, TOKEN_A, "Acme")
        log_in(world, slack, TEAM_A, ALICE, "Ada")
        world.sender.event({"type": "app_uninstalled"}, team=TEAM_A, event_id="Ev0UNINSTALL3")
        world.settle()
        assert caplog.records
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert TOKEN_A not in logged and TOKEN_A[5:] not in logged


@pytest.mark.parametrize(
    "token", ["xoxb-1-2-abc", "xoxp-1-2-3-abc", "xapp-1-A1-2-abc", "xoxe.xoxp-1-abc", "xoxe-1-abc"]
)
def test_any_token_that_reaches_a_log_record_is_redacted(token: str) -> None:
    from bot.logs import MaskTokens

    record = logging.LogRecord(
        "slack_sdk", logging.WARNING, __file__, 1, "sent %s with %s", ("x", token), None
    )
    MaskTokens().filter(record)
    assert token not in record.getMessage() and f"{token.split('-')[0]}-…" in record.getMessage()


def test_forgetting_a_workspace_deletes_its_installation_and_tokens(two: OAuthWorld, db: Database) -> None:
    from storage.erasure import forget_workspace

    with db.session() as session:
        deleted = forget_workspace(session, TEAM_A)
    assert deleted["slack_bots"] == 1 and deleted["slack_installations"] == 1
    assert bot_teams(db) == [TEAM_B] and active_teams(two) == [TEAM_B]
