"""``infoint doctor``, run as a user runs it (a separate process, in a directory of its own, with the
fake Slack behind SLACK_API_URL): one line per check, exit 0 when everything is ready, 1 otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from alembic import command
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet
from helpers import BOT_TOKEN, clean_env
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slackwire import SIGNING_SECRET
from test_cli import describe, free_port, postgres_schema_url, run_cli  # noqa: F401 (a fixture)

from bot.fakeslack import FakeSlack
from bot.scopes import BOT_SCOPES
from storage.db import Database

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ("configuration", "database", "migrations", "Slack", "scopes")


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN) as server:
        server.grant_scopes(BOT_SCOPES)
        yield server


@pytest.fixture
def upgraded(tmp_path: Path) -> str:
    """A SQLite database at the newest migration, as `infoint db upgrade` leaves it."""
    url = f"sqlite:///{tmp_path / 'infoint.db'}"
    db = Database(url)
    try:
        db.upgrade()
    finally:
        db.dispose()
    return url


def doctor(tmp_path: Path, **env: str) -> tuple[int, dict[str, str], str]:
    """Run ``infoint doctor``: its exit code, each check's line by name, and all it printed."""
    result = run_cli("doctor", cwd=tmp_path, env=clean_env(**env))
    output = result.stdout + result.stderr
    assert "Traceback" not in output, describe(result)
    lines: dict[str, str] = {}
    for line in result.stdout.splitlines():
        status, _, rest = line.partition(" ")
        name = rest.strip().partition(":")[0]
        if status in ("ok", "FAIL", "skip") and name in CHECKS:
            lines[name] = f"{status} {rest.strip()}"
    assert list(lines) == list(CHECKS), describe(result)
    assert result.returncode in (0, 1), describe(result)
    return result.returncode, lines, output


def statuses(lines: dict[str, str]) -> dict[str, str]:
    return {name: line.split(" ", 1)[0] for name, line in lines.items()}


def single_workspace(fake: FakeSlack, database_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database_url,
    }


def test_everything_ready(tmp_path: Path, fake: FakeSlack, upgraded: str) -> None:
    code, lines, output = doctor(tmp_path, **single_workspace(fake, upgraded))
    assert code == 0, output
    assert set(statuses(lines).values()) == {"ok"}, output
    assert "infoint doctor: ready" in output
    assert fake.calls_to("auth.test"), fake.describe_calls()
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output


def test_a_missing_scope_says_to_reinstall(tmp_path: Path, fake: FakeSlack, upgraded: str) -> None:
    fake.grant_scopes(scope for scope in BOT_SCOPES if scope not in ("files:write", "im:history"))
    code, lines, output = doctor(tmp_path, **single_workspace(fake, upgraded))
    assert code == 1, output
    assert statuses(lines) == {**dict.fromkeys(CHECKS, "ok"), "scopes": "FAIL"}, output
    assert "im:history, files:write" in lines["scopes"], output
    assert "reinstall the app" in lines["scopes"], output


def test_a_refused_token(tmp_path: Path, upgraded: str) -> None:
    with FakeSlack(bot_token="xoxb-the-current-token") as other:
        other.grant_scopes(BOT_SCOPES)
        code, lines, output = doctor(tmp_path, **single_workspace(other, upgraded))
        answers = [call.response["error"] for call in other.calls_to("auth.test")]
    assert answers == ["invalid_auth"]
    assert code == 1, output
    assert statuses(lines)["Slack"] == "FAIL" and "invalid_auth" in lines["Slack"], output
    assert "OAuth & Permissions" in lines["Slack"], output
    assert statuses(lines)["scopes"] == "skip", output
    assert BOT_TOKEN not in output


def test_an_unreachable_database(tmp_path: Path, fake: FakeSlack) -> None:
    nobody = f"postgresql://infoint:hunter2secret@127.0.0.1:{free_port()}/infoint"
    code, lines, output = doctor(tmp_path, **single_workspace(fake, nobody))
    assert code == 1, output
    assert statuses(lines) == {
        "configuration": "ok",
        "database": "FAIL",
        "migrations": "skip",
        "Slack": "ok",
        "scopes": "ok",
    }, output
    assert "does not answer" in lines["database"], output
    assert "hunter2secret" not in output, "the database password was printed"


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path, fake: FakeSlack) -> None:
    path = tmp_path / "nothing-here.db"
    code, lines, output = doctor(tmp_path, **single_workspace(fake, f"sqlite:///{path}"))
    assert code == 1 and statuses(lines)["database"] == "FAIL", output
    assert "infoint db upgrade" in lines["database"], output
    assert not path.exists(), "the doctor created a database"


def test_migrations_behind_then_upgraded(tmp_path: Path, fake: FakeSlack) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url)
    try:
        script = ScriptDirectory.from_config(db.alembic_config())
        head = script.get_current_head()
        assert head is not None
        previous = script.get_revision(head).down_revision
        assert isinstance(previous, str), "the newest migration should follow exactly one"
        command.upgrade(db.alembic_config(), previous)
    finally:
        db.dispose()
    env = single_workspace(fake, url)
    code, lines, output = doctor(tmp_path, **env)
    assert code == 1, output
    assert statuses(lines) == {**dict.fromkeys(CHECKS, "ok"), "migrations": "FAIL"}, output
    assert f"at {previous}" in lines["migrations"] and head in lines["migrations"], output
    assert "infoint db upgrade" in lines["migrations"], output

    upgraded = run_cli("db", "upgrade", cwd=tmp_path, env=clean_env(**env))
    assert upgraded.returncode == 0, describe(upgraded)
    code, lines, output = doctor(tmp_path, **env)
    assert code == 0, output


def test_configuration_problems_name_the_variable(tmp_path: Path, fake: FakeSlack, upgraded: str) -> None:
    env = single_workspace(fake, upgraded)
    del env["SLACK_SIGNING_SECRET"]
    code, lines, output = doctor(tmp_path, **env)
    assert code == 1, output
    assert lines["configuration"].startswith("FAIL configuration: SLACK_SIGNING_SECRET is not set"), output
    assert statuses(lines)["database"] == "ok", "the other checks still run"


def test_oauth_installs_need_their_variables(tmp_path: Path, fake: FakeSlack, upgraded: str) -> None:
    env = {"SLACK_CLIENT_ID": "1234.5678", "DATABASE_URL": upgraded, "SLACK_API_URL": fake.api_url}
    code, lines, output = doctor(tmp_path, **env)
    assert code == 1, output
    for variable in ("SLACK_CLIENT_SECRET", "INFOINT_ENCRYPTION_KEY", "SLACK_SIGNING_SECRET"):
        assert variable in lines["configuration"], output
    assert statuses(lines)["Slack"] == "skip" and statuses(lines)["scopes"] == "skip", output

    secrets = {
        "SLACK_CLIENT_SECRET": "c0ffee" * 5,
        "INFOINT_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    code, lines, output = doctor(tmp_path, **env, **secrets)
    assert code == 0, output
    assert not any(value in output for value in secrets.values()), "a secret was printed"


def test_the_shipped_scopes_are_the_manifests() -> None:
    """The package carries the manifest's bot scopes (an installed copy has no manifest.yml)."""
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert list(BOT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def test_the_fake_sends_the_granted_scopes(fake: FakeSlack) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
    fake.grant_scopes(["commands", "chat:write"])
    headers = {name.lower(): value for name, value in client.auth_test().headers.items()}
    assert headers["x-oauth-scopes"] == "commands,chat:write"
    fake.reset()
    headers = {name.lower(): value for name, value in client.auth_test().headers.items()}
    assert "x-oauth-scopes" not in headers, "reset() forgets the granted scopes"
    fake.grant_scopes(BOT_SCOPES)
    with pytest.raises(SlackApiError) as refused:
        WebClient(token="xoxb-wrong", base_url=fake.api_url).auth_test()
    assert refused.value.response["error"] == "invalid_auth"
    assert not any(name.lower() == "x-oauth-scopes" for name in refused.value.response.headers)


def test_slack_not_answering(tmp_path: Path, upgraded: str) -> None:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/",  # nothing listens there
        "DATABASE_URL": upgraded,
    }
    code, lines, output = doctor(tmp_path, **env)
    assert code == 1, output
    assert lines["Slack"].startswith("FAIL Slack: Slack does not answer at http://127.0.0.1:"), output
    assert statuses(lines)["scopes"] == "skip", output
    assert "slack_sdk" not in output, "the client's own error lines are not the doctor's"


def test_everything_ready_on_postgresql(
    tmp_path: Path,
    fake: FakeSlack,
    postgres_schema_url: str,  # noqa: F811 (test_cli's fixture, imported above)
) -> None:
    env = single_workspace(fake, postgres_schema_url)
    code, lines, output = doctor(tmp_path, **env)
    assert code == 1 and lines["migrations"].startswith("FAIL migrations: the database has no schema"), output
    upgraded = run_cli("db", "upgrade", cwd=tmp_path, env=clean_env(**env))
    assert upgraded.returncode == 0, describe(upgraded)
    code, lines, output = doctor(tmp_path, **env)
    assert code == 0, output
    assert lines["database"].startswith("ok database: postgresql answers"), output
