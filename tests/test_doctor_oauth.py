"""``infoint doctor`` under OAuth distribution, run as a user runs it: each installed workspace's bot
token, opened from the installation store, is asked about with ``auth.test`` at the fake Slack (one
line each); a refused token fails the doctor and says the workspace must install the app again; a
workspace marked uninstalled is reported, not asked and not a failure; no token is ever printed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from oauthworld import TEAM_A, TEAM_B, TOKEN_A, TOKEN_B, OAuthWorld, new_key
from runprocess import run_env
from test_cli import free_port
from test_doctor import doctor, statuses

from bot.fakeslack import FakeSlack
from storage.db import Database

TEAM_C = "TCCCC0003"
TOKEN_C = "xoxb-3333-team-c-secret-token-cccccccccccc"
TOKENS = (TOKEN_A, TOKEN_B, TOKEN_C)


@pytest.fixture
def world(db: Database, slack: FakeSlack) -> Iterator[OAuthWorld]:
    """The app installed in workspaces A, B and C through the install page."""
    world = OAuthWorld(db, slack, new_key())
    for team, token, name in (
        (TEAM_A, TOKEN_A, "Acme"),
        (TEAM_B, TOKEN_B, "Bravo"),
        (TEAM_C, TOKEN_C, "Cee"),
    ):
        assert world.install(team, token, name).status == 200
    yield world
    world.close()


def run_doctor(
    tmp_path: Path, world: OAuthWorld, **changed: str
) -> tuple[int, dict[str, str], dict[str, str], str]:
    """``infoint doctor`` over the world's database and fake Slack (with the variables ``changed``):
    its exit code, each check's line, each workspace's line by team id, and all it printed (checked to
    hold no token or key)."""
    env = {**run_env(world.db, world.key, world.slack), **changed}
    code, lines, output = doctor(tmp_path, **{name: env[name] for name in env if name != "PORT"})
    workspaces: dict[str, str] = {}
    for line in output.splitlines():
        status, _, rest = line.partition(" ")
        name, _, detail = rest.strip().partition(":")
        if status in ("ok", "FAIL", "skip") and name.startswith("workspace "):
            workspaces[name.removeprefix("workspace ")] = f"{status}{detail}"
    assert not any(token in output for token in TOKENS), "a token was printed"
    assert world.key not in output, "the encryption key was printed"
    return code, lines, workspaces, output


def doctors_calls(slack: FakeSlack, before: int) -> list[tuple[str, int]]:
    """Each auth.test call after the first ``before`` (the app's own): its bearer token, its status."""
    calls = slack.calls_to("auth.test")[before:]
    return [(call.headers["authorization"].removeprefix("Bearer "), call.status) for call in calls]


def test_every_installed_token_accepted(tmp_path: Path, world: OAuthWorld, slack: FakeSlack) -> None:
    before = len(slack.calls_to("auth.test"))
    code, lines, workspaces, output = run_doctor(tmp_path, world)
    assert code == 0, output
    assert statuses(lines) == {
        "configuration": "ok",
        "database": "ok",
        "migrations": "ok",
        "Slack": "ok",
        "scopes": "skip",
    }, output
    assert "3 installed workspace(s)" in lines["Slack"], output
    assert list(workspaces) == [TEAM_A, TEAM_B, TEAM_C], output
    assert all(line.startswith("ok the bot token is accepted") for line in workspaces.values()), output
    assert "in Bravo" in workspaces[TEAM_B], output
    asked = [token for token, _ in doctors_calls(slack, before)]
    assert sorted(asked) == sorted(TOKENS), "each workspace asked with its own token"
    assert output.rstrip().endswith("infoint doctor: ready"), output


@pytest.mark.parametrize("refusal", ["token_revoked", "invalid_auth", "account_inactive"])
def test_a_refused_token_names_the_workspace_and_says_to_reinstall(
    tmp_path: Path, world: OAuthWorld, slack: FakeSlack, refusal: str
) -> None:
    slack.revoke_token(TOKEN_B, refusal)
    code, _, workspaces, output = run_doctor(tmp_path, world)
    assert code == 1, output
    assert workspaces[TEAM_B].startswith(f"FAIL Slack refused its bot token ({refusal})"), output
    assert "must install the app again" in workspaces[TEAM_B], output
    assert "/slack/install" in workspaces[TEAM_B], output
    assert workspaces[TEAM_A].startswith("ok") and workspaces[TEAM_C].startswith("ok"), output
    assert f"infoint doctor: 1 problem(s) to fix (workspace {TEAM_B})" in output, output


def test_an_uninstalled_workspace_is_reported_not_failed(
    tmp_path: Path, world: OAuthWorld, slack: FakeSlack
) -> None:
    assert world.sender.event({"type": "app_uninstalled"}, team=TEAM_B, event_id="Ev0GONE").status == 200
    world.settle()
    before = len(slack.calls_to("auth.test"))
    code, lines, workspaces, output = run_doctor(tmp_path, world)
    assert code == 0, output
    assert list(workspaces) == [TEAM_A, TEAM_C, TEAM_B], "the installed first, then the uninstalled"
    assert workspaces[TEAM_B].startswith("skip uninstalled"), output
    assert "1 uninstalled" in lines["Slack"], output
    asked = [token for token, _ in doctors_calls(slack, before)]
    assert sorted(asked) == [TOKEN_A, TOKEN_C], "an uninstalled workspace is not asked about"


def test_a_429_is_waited_out_as_retry_after_asks(tmp_path: Path, world: OAuthWorld, slack: FakeSlack) -> None:
    before = len(slack.calls_to("auth.test"))
    slack.fail_next("auth.test", retry_after=1)
    code, _, workspaces, output = run_doctor(tmp_path, world)
    assert code == 0, output
    assert all(line.startswith("ok") for line in workspaces.values()), output
    assert doctors_calls(slack, before) == [
        (TOKEN_A, 429),
        (TOKEN_A, 200),
        (TOKEN_B, 200),
        (TOKEN_C, 200),
    ], slack.describe_calls()


def test_a_wait_past_the_deadline_is_not_waited(tmp_path: Path, world: OAuthWorld, slack: FakeSlack) -> None:
    slack.fail_next("auth.test", retry_after=3600)
    started = time.monotonic()
    code, _, workspaces, output = run_doctor(tmp_path, world)
    assert time.monotonic() - started < 30, "the doctor waited out an hour's Retry-After"
    assert code == 1, output
    assert workspaces[TEAM_A].startswith("FAIL auth.test failed (ratelimited)"), output
    assert workspaces[TEAM_B].startswith("ok") and workspaces[TEAM_C].startswith("ok"), output


def test_tokens_that_do_not_open_with_the_key(tmp_path: Path, world: OAuthWorld, slack: FakeSlack) -> None:
    before = len(slack.calls_to("auth.test"))
    code, _, workspaces, output = run_doctor(tmp_path, world, INFOINT_ENCRYPTION_KEY=new_key())
    assert code == 1, output
    assert list(workspaces) == [TEAM_A, TEAM_B, TEAM_C], output
    for line in workspaces.values():
        assert line.startswith("FAIL a stored token can't be opened with any key of INFOINT_ENCRYPTION_KEY")
    assert doctors_calls(slack, before) == [], "nothing to ask Slack with"


def test_slack_not_answering_is_one_failure(tmp_path: Path, world: OAuthWorld) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    code, lines, workspaces, output = run_doctor(tmp_path, world, SLACK_API_URL=nowhere)
    assert code == 1, output
    assert lines["Slack"].startswith(f"FAIL Slack: Slack does not answer at {nowhere}"), output
    assert all(
        line.startswith("skip skipped (not asked: Slack did not answer)") for line in workspaces.values()
    )
    assert "infoint doctor: 1 problem(s) to fix (Slack)" in output, output
