"""`infoint run` with OAuth distribution, as a process: it checks the stored tokens open, serves the
install page beside /slack/events and /healthz, answers each workspace with its own token, sweeps
each installed workspace with its own token, and never writes a token to its log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hours import follow_up_due_now
from oauthworld import TEAM_A, TOKEN_A, OAuthWorld, new_key
from runprocess import http_get, infoint_run, run_env
from slackwire import SlackSender

from bot.fakeslack import FakeSlack
from storage.db import Database


@pytest.fixture
def installed(tmp_path: Path, slack: FakeSlack) -> tuple[Database, str]:
    """A SQLite database here with the app installed in workspace A: (database, encryption key)."""
    db = Database(f"sqlite:///{tmp_path / 'infoint.db'}")
    db.upgrade()
    key = new_key()
    world = OAuthWorld(db, slack, key)
    assert world.install(TEAM_A, TOKEN_A, "Acme").status == 200
    world.close()
    return db, key


def test_infoint_run_serves_the_install_page_and_each_workspace_with_its_token(
    tmp_path: Path, slack: FakeSlack, installed: tuple[Database, str]
) -> None:
    db, key = installed
    db.dispose()
    env = run_env(db, key, slack)
    base = f"http://127.0.0.1:{env['PORT']}"
    with infoint_run(tmp_path, env) as output:
        status, page = http_get(f"{base}/slack/install")
        assert status == 200 and b"Add to Slack" in page, output()
        sender = SlackSender(f"{base}/slack/events", slack.response_url(""), slack.trigger_id)
        assert sender.command("log", team=TEAM_A, user="UALICE001").status == 200
        opened = slack.wait_for("views.open", timeout=10)
        assert opened[0].headers["authorization"] == f"Bearer {TOKEN_A}"
        assert sender.command("help", team="TNOTHERE1").status == 200  # not installed: told so
        slack.wait_for("response_url:cmd-U0STUDENT", timeout=10)
        logged = output()
    assert "GET /slack/install" in logged and "2 stored token(s) open with INFOINT_ENCRYPTION_KEY" in logged
    assert TOKEN_A not in logged and key not in logged


def test_infoint_run_sweeps_each_installed_workspace_with_its_token(
    tmp_path: Path, slack: FakeSlack, installed: tuple[Database, str]
) -> None:
    db, key = installed
    now = datetime.now(UTC)
    with db.session() as session:  # a follow-up due now in workspace A
        follow_up_due_now(session, TEAM_A, "UALICE001", now)
    db.dispose()
    env = run_env(db, key, slack)
    with infoint_run(tmp_path, env) as output:
        posts = slack.wait_for("chat.postMessage", timeout=20)
        assert posts[0].args["channel"] == "UALICE001", output()
        assert posts[0].args["metadata"]["event_type"] == "infoint_nudges"
        assert posts[0].headers["authorization"] == f"Bearer {TOKEN_A}"
        assert "No reply from" in json.dumps(posts[0].args["blocks"])
        logged = output()
    assert TOKEN_A not in logged and key not in logged
