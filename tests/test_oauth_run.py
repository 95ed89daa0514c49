"""`infoint run` with OAuth distribution, as a process: it checks the stored tokens open, serves the
install page beside /slack/events and /healthz, answers each workspace with its own token, sweeps
each installed workspace with its own token, and never writes a token to its log."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import clean_env
from oauthworld import CLIENT_ID, CLIENT_SECRET, TEAM_A, TOKEN_A, OAuthWorld, new_key
from slackwire import SIGNING_SECRET, SlackSender
from test_cli import CLI, free_port

from bot.domain import pipeline as core
from bot.fakeslack import FakeSlack
from storage.db import Database
from storage.repository import Repository

ALWAYS = {"window_days": list(range(7)), "window_start": "00:00", "window_end": "23:59"}


def _get(url: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def infoint_run(tmp_path: Path, env: dict[str, str]) -> Iterator[Callable[[], str]]:
    """`infoint run` as a process, until /healthz answers; stopped with SIGTERM (exit 0, no
    traceback) after the block. Yields what it has logged so far."""
    port = env["PORT"]
    log_path = tmp_path.parent / f"{tmp_path.name}-oauth-run.log"
    with log_path.open("w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen([*CLI, "run"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)

        def output() -> str:
            log.flush()
            return log_path.read_text(encoding="utf-8", errors="replace")

        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    pytest.fail(f"infoint run exited early with {process.returncode}:\n{output()}")
                try:
                    if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            yield output
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0, output()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        assert "Traceback" not in output(), output()


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


def run_env(db: Database, key: str, slack: FakeSlack) -> dict[str, str]:
    return clean_env(
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        INFOINT_ENCRYPTION_KEY=key,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=db.url,
        PORT=str(free_port()),
        INFOINT_SWEEP_SECONDS="5",
    )


def test_infoint_run_serves_the_install_page_and_each_workspace_with_its_token(
    tmp_path: Path, slack: FakeSlack, installed: tuple[Database, str]
) -> None:
    db, key = installed
    db.dispose()
    env = run_env(db, key, slack)
    base = f"http://127.0.0.1:{env['PORT']}"
    with infoint_run(tmp_path, env) as output:
        status, page = _get(f"{base}/slack/install")
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
        repo = Repository(session, TEAM_A)
        user = repo.get_or_create_user("UALICE001", now)
        repo.update_user(user, preferences=ALWAYS, timezone="UTC", dm_channel="DALICE001")
        contact = repo.add_contact(user, {"name": "Ada", "degree": "first"}, core.Stage.REQUESTED, now)
        repo.add_attempt(contact, core.OutreachChannel.EMAIL, now - timedelta(days=8))
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
