"""OAuth distribution end to end: the install page, Slack's redirect with its state, the token stored
sealed, and each bad installation refused with a clear page and nothing stored.

Everything goes through the app's WSGI app (as `infoint run` serves it) and the fake Slack, which
plays each workspace and answers ``oauth.v2.access`` for the codes a test gives it."""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from oauthworld import CLIENT_ID, TEAM_A, TOKEN_A, OAuthWorld, links, new_key
from sqlalchemy import func, select

from bot.fakeslack import FakeSlack
from bot.oauth.sealing import Sealer
from bot.scopes import BOT_SCOPES
from storage.db import Database
from storage.installs import bots, installations, oauth_states
from storage.models import Workspace

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yml"


@pytest.fixture
def world(db: Database, slack: FakeSlack) -> Iterator[OAuthWorld]:
    world = OAuthWorld(db, slack, new_key())
    yield world
    world.close()


def stored(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in (installations, bots)
        } | {"workspaces": session.scalar(select(func.count()).select_from(Workspace)) or 0}


NOTHING = {"slack_installations": 0, "slack_bots": 0, "workspaces": 0}


def page_text(body: bytes) -> str:
    return body.decode("utf-8")


class TestInstallPage:
    def test_add_to_slack_links_to_slack_with_the_manifest_s_scopes_and_a_fresh_state(
        self, world: OAuthWorld, db: Database
    ) -> None:
        browser = world.browser()
        page, query = world.start(browser)
        assert "Add to Slack" in page_text(page.body)
        assert page.headers["content-type"].startswith("text/html")
        assert query["client_id"] == CLIENT_ID
        manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
        assert set(query["scope"].split(",")) == set(manifest["oauth_config"]["scopes"]["bot"])
        assert set(BOT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])
        # The state is stored (good once) and set in the installer's browser.
        assert browser.cookies["slack-app-oauth-state"] == query["state"]
        with db.session() as session:
            assert session.scalars(select(oauth_states.c.state)).all() == [query["state"]]
        # A second visit gets another state.
        assert world.start(world.browser())[1]["state"] != query["state"]


class TestInstall:
    def test_installing_stores_the_bot_token_sealed_and_says_where_it_is_installed(
        self, world: OAuthWorld, db: Database, slack: FakeSlack
    ) -> None:
        reply = world.install(TEAM_A, TOKEN_A, "Acme <script>alert(1)</script>")
        assert reply.status == 200, reply.body
        text = page_text(reply.body)
        assert "infoint is installed" in text
        assert "Acme &lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
        # The code was traded for the token with the app's credentials, then checked with auth.test.
        access = slack.calls_to("oauth.v2.access")
        assert len(access) == 1 and access[0].args["code"] == f"code-{TEAM_A}"
        with db.session() as session:
            bot = session.execute(select(bots)).mappings().one()
            installation = session.execute(select(installations)).mappings().one()
            workspace = session.get(Workspace, TEAM_A)
        assert bot["team_id"] == TEAM_A and bot["client_id"] == CLIENT_ID
        for row in (bot, installation):
            assert row["bot_token"] != TOKEN_A and TOKEN_A not in row["bot_token"]
            assert Sealer.from_setting(world.key).open(row["bot_token"]) == TOKEN_A
        assert workspace is not None and workspace.uninstalled_at is None
        found = world.distribution.store.find_bot(enterprise_id=None, team_id=TEAM_A)
        assert found is not None and found.bot_token == TOKEN_A
        # The state was used up: the browser's cookie is cleared, no state is left.
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(oauth_states)) == 0

    def test_a_code_slack_refuses_stores_nothing(self, world: OAuthWorld, db: Database) -> None:
        browser = world.browser()
        _, query = world.start(browser)
        reply = browser.get(f"/slack/oauth_redirect?code=never-issued&state={query['state']}")
        assert reply.status == 400
        assert "Slack did not accept this installation" in page_text(reply.body)
        assert stored(db) == NOTHING

    def test_a_state_with_1970_in_it_is_not_taken_for_a_cleared_cookie(
        self, world: OAuthWorld, db: Database, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # A state is a uuid4; about one in 4,400 holds "1970", the year of a deletion cookie's date.
        # The browser once dropped such a cookie, and the redirect was judged an invalid link.
        state = uuid.UUID("0c1970ab-0000-4000-8000-000000000000")
        monkeypatch.setattr("slack_sdk.oauth.state_store.sqlalchemy.uuid4", lambda: state)
        browser = world.browser()
        _, query = world.start(browser)
        assert query["state"] == str(state)
        assert browser.cookies["slack-app-oauth-state"] == str(state)
        reply = browser.get(f"/slack/oauth_redirect?code=never-issued&state={query['state']}")
        assert "Slack did not accept this installation" in page_text(reply.body)

    def test_a_denied_install_stores_nothing(self, world: OAuthWorld, db: Database, slack: FakeSlack) -> None:
        browser = world.browser()
        _, query = world.start(browser)
        reply = browser.get(f"/slack/oauth_redirect?error=access_denied&state={query['state']}")
        assert reply.status == 200
        text = page_text(reply.body)
        assert "Nothing was installed" in text and "cancelled" in text and 'href="/slack/install"' in text
        assert stored(db) == NOTHING and slack.calls_to("oauth.v2.access") == []

    def test_slack_s_error_is_shown_escaped(self, world: OAuthWorld, db: Database) -> None:
        browser = world.browser()
        _, query = world.start(browser)
        hostile = urllib.parse.quote("<img src=x onerror=alert(1)>")
        reply = browser.get(f"/slack/oauth_redirect?error={hostile}&state={query['state']}")
        assert reply.status == 400
        assert "<img" not in page_text(reply.body) and "&lt;img src=x" in page_text(reply.body)
        assert stored(db) == NOTHING

    def test_a_forged_state_is_refused(self, world: OAuthWorld, db: Database, slack: FakeSlack) -> None:
        world.start(world.browser())  # a real state exists, but the attacker doesn't have it
        slack.add_install_code("attacker-code", _grant())
        forger = world.browser()
        forger.cookies["slack-app-oauth-state"] = "forged-state"
        reply = forger.get("/slack/oauth_redirect?code=attacker-code&state=forged-state")
        assert reply.status == 400
        assert "This installation link is not valid" in page_text(reply.body)
        assert stored(db) == NOTHING and slack.calls_to("oauth.v2.access") == []

    def test_a_state_from_another_browser_is_refused(
        self, world: OAuthWorld, db: Database, slack: FakeSlack
    ) -> None:
        _, query = world.start(world.browser())
        slack.add_install_code("code-x", _grant())
        reply = world.browser().get(f"/slack/oauth_redirect?code=code-x&state={query['state']}")
        assert reply.status == 400
        assert "This installation link is not valid" in page_text(reply.body)
        assert stored(db) == NOTHING and slack.calls_to("oauth.v2.access") == []

    def test_a_replayed_redirect_is_refused(self, world: OAuthWorld, db: Database, slack: FakeSlack) -> None:
        browser = world.browser()
        _, query = world.start(browser)
        state = query["state"]
        slack.add_install_code("code-once", _grant())
        assert browser.get(f"/slack/oauth_redirect?code=code-once&state={state}").status == 200
        before = stored(db)
        # The same redirect again, cookie and all (as someone who captured it would send it).
        slack.add_install_code("code-again", _grant(token="xoxb-9999-replayed-token"))
        browser.cookies["slack-app-oauth-state"] = state
        reply = browser.get(f"/slack/oauth_redirect?code=code-again&state={state}")
        assert reply.status == 400
        assert "expired, was already used" in page_text(reply.body)
        assert stored(db) == before and len(slack.calls_to("oauth.v2.access")) == 1

    def test_an_org_wide_enterprise_install_is_refused_and_its_token_given_back(
        self, world: OAuthWorld, db: Database, slack: FakeSlack
    ) -> None:
        token = "xoxb-5555-org-wide-token"
        reply = world.install(
            "",
            token,
            code="org-code",
            enterprise_id="E0ORG",
            enterprise_name="Org",
            is_enterprise_install=True,
        )
        assert reply.status == 403
        text = page_text(reply.body)
        assert "Install infoint in each workspace" in text and "nothing was installed" in text
        assert stored(db) == NOTHING
        revoked = slack.calls_to("auth.revoke")
        assert len(revoked) == 1 and revoked[0].headers["authorization"] == f"Bearer {token}"
        assert slack.token_team(token) is None

    def test_a_request_from_a_workspace_that_never_installed_gets_a_message_not_an_error(
        self, world: OAuthWorld, slack: FakeSlack
    ) -> None:
        world.install(TEAM_A, TOKEN_A, "Acme")
        reply = world.sender.command("list", team="TNOTHERE1", user="U0STRANGER")
        assert reply.status == 200 and reply.body == b""
        said = slack.wait_for("response_url:cmd-U0STRANGER")[0].args
        assert "infoint is not installed in this workspace" in said["text"]
        assert [c.method for c in slack.calls if c.method.startswith("views.")] == []


def _grant(token: str = "xoxb-7777-some-team-token") -> object:
    from bot.fakeslack.oauth import Grant

    return Grant(team_id=TEAM_A, team_name="Acme", bot_token=token)


def test_the_install_page_is_not_served_without_oauth(running_app: object) -> None:
    from helpers import RunningApp

    assert isinstance(running_app, RunningApp)
    assert running_app.transport.request("GET", "/slack/install").status == 404
    assert running_app.transport.request("GET", "/slack/oauth_redirect?code=x&state=y").status == 404


def test_links_reads_hrefs() -> None:
    assert links(b'<p><a href="/x?a=1&amp;b=2">x</a></p>') == ["/x?a=1&b=2"]


def test_with_one_token_an_uninstall_is_acknowledged_and_logged(
    running_app: object, caplog: pytest.LogCaptureFixture
) -> None:
    from helpers import RunningApp

    assert isinstance(running_app, RunningApp)
    reply = running_app.sender.event({"type": "app_uninstalled"}, event_id="Ev0SINGLE")
    running_app.settle()
    assert reply.status == 200
    assert any("SLACK_BOT_TOKEN no longer works" in r.getMessage() for r in caplog.records)


def test_the_whole_installation_over_http_through_waitress(world: OAuthWorld, slack: FakeSlack) -> None:
    from slackwire import OverHttp, ServedApp

    served = ServedApp(world.wsgi)
    try:
        world.serve(OverHttp(served.url))
        reply = world.install(TEAM_A, TOKEN_A, "Acme")
        assert reply.status == 200 and "infoint is installed" in page_text(reply.body)
        assert world.sender.command("log", team=TEAM_A, user="UALICE001").status == 200
        world.settle()
        assert [c.headers["authorization"] for c in slack.calls_to("views.open")] == [f"Bearer {TOKEN_A}"]
    finally:
        served.close()
