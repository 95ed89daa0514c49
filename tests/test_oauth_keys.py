"""The encryption key of OAuth distribution: its setting checked, a wrong key stopping `infoint run`
with one line, and rotation with `infoint db reseal` (the old key still opens until the reseal,
only the new one is needed after it)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from helpers import clean_env
from oauthworld import CLIENT_ID, CLIENT_SECRET, TEAM_A, TEAM_B, TOKEN_A, TOKEN_B, OAuthWorld, new_key
from slackwire import SIGNING_SECRET
from test_cli import describe, error_line, run_cli

from bot.config import ConfigError, load_config
from bot.fakeslack import FakeSlack
from bot.oauth.sealing import EncryptionKeyError, Sealer, SealError, parse_keys
from storage.db import Database
from storage.installs import bots, installations, stored_tokens

OAUTH_ENV = {
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
}


class TestSetting:
    def test_several_keys_the_first_seals_all_open(self) -> None:
        old, new = Fernet.generate_key(), Fernet.generate_key()
        sealed_by_old = Sealer([old]).seal("xoxb-1")
        both = Sealer([new, old])
        assert both.open(sealed_by_old) == "xoxb-1"
        assert Sealer([new]).open(both.seal("xoxb-2")) == "xoxb-2"
        with pytest.raises(SealError):
            Sealer([old]).open(both.seal("xoxb-2"))

    @pytest.mark.parametrize(
        ("setting", "said"),
        [
            ("not-a-key", "it is not a Fernet key"),
            ("", "is empty"),
            (" , ", "is empty"),
            (f"{Fernet.generate_key().decode()},short", "key 2 of 2 is not a Fernet key"),
            ("A" * 43 + "!", "it is not a Fernet key"),
        ],
    )
    def test_a_malformed_key_is_refused_without_repeating_it(self, setting: str, said: str) -> None:
        with pytest.raises(EncryptionKeyError) as refused:
            parse_keys(setting)
        assert said in str(refused.value) and "generate_key" in str(refused.value)
        for part in setting.split(","):
            if part.strip():
                assert part.strip() not in str(refused.value)

    def test_oauth_needs_all_three_variables(self) -> None:
        env = {**OAUTH_ENV, "INFOINT_ENCRYPTION_KEY": new_key()}
        assert load_config(env).oauth
        for missing in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "INFOINT_ENCRYPTION_KEY"):
            partial = {k: v for k, v in env.items() if k != missing}
            with pytest.raises(ConfigError, match=f"^{missing} is not set"):
                load_config(partial)

    def test_one_token_or_oauth_not_both_and_never_socket_mode(self) -> None:
        env = {**OAUTH_ENV, "INFOINT_ENCRYPTION_KEY": new_key()}
        with pytest.raises(ConfigError, match="both set"):
            load_config({**env, "SLACK_BOT_TOKEN": "xoxb-1"})
        with pytest.raises(ConfigError, match="needs HTTP mode"):
            load_config({**env, "SLACK_APP_TOKEN": "xapp-1"})
        assert not load_config({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": SIGNING_SECRET}).oauth


@pytest.fixture
def installed(db: Database, slack: FakeSlack) -> Iterator[OAuthWorld]:
    """Two workspaces installed, their tokens sealed with the world's key."""
    world = OAuthWorld(db, slack, new_key())
    assert world.install(TEAM_A, TOKEN_A, "Acme").status == 200
    assert world.install(TEAM_B, TOKEN_B, "Bravo").status == 200
    world.close()
    yield world


def env_for(world: OAuthWorld, key: str) -> dict[str, str]:
    return clean_env(
        **OAUTH_ENV,
        INFOINT_ENCRYPTION_KEY=key,
        DATABASE_URL=world.db.url,
        SLACK_API_URL=world.config.slack_api_url,
        PORT=str(free_port()),
    )


def free_port() -> int:
    """A port nobody listens on (should `infoint run` wrongly start, it serves there, not on 3000)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sealed_values(db: Database) -> list[str]:
    with db.session() as session:
        return sorted(token.sealed for token in stored_tokens(session))


class TestStartUp:
    def test_a_malformed_key_stops_infoint_run_with_one_line(self, tmp_path: Path) -> None:
        env = clean_env(
            **OAUTH_ENV, INFOINT_ENCRYPTION_KEY="hunter2", DATABASE_URL=f"sqlite:///{tmp_path}/x.db"
        )
        result = run_cli("run", cwd=tmp_path, env=env)
        line = error_line(result, only_line=True)
        assert "INFOINT_ENCRYPTION_KEY is not valid" in line and "hunter2" not in line
        assert not (tmp_path / "x.db").exists()

    def test_a_key_that_can_t_open_the_stored_tokens_stops_infoint_run(
        self, installed: OAuthWorld, tmp_path: Path
    ) -> None:
        other = new_key()
        result = run_cli("run", cwd=tmp_path, env=env_for(installed, other))
        line = error_line(result, only_line=False)
        assert "can't be opened with any key of INFOINT_ENCRYPTION_KEY" in line
        output = result.stdout + result.stderr
        assert TOKEN_A not in output and other not in output and installed.key not in output


class TestRotation:
    def test_reseal_moves_every_token_to_the_first_key(self, installed: OAuthWorld, tmp_path: Path) -> None:
        old, new = installed.key, new_key()
        before = sealed_values(installed.db)
        assert len(before) == 4  # a bot token in each workspace's installation and bot rows
        # Before the reseal the old key still opens everything, next to the new one.
        both = Sealer.from_setting(f"{new},{old}")
        assert {both.open(value) for value in before} == {TOKEN_A, TOKEN_B}

        result = run_cli("db", "reseal", cwd=tmp_path, env=env_for(installed, f"{new},{old}"))
        assert result.returncode == 0, describe(result)
        assert "4 stored token(s) sealed again" in result.stdout

        after = sealed_values(installed.db)
        assert set(after).isdisjoint(before)
        only_new, only_old = Sealer.from_setting(new), Sealer.from_setting(old)
        assert {only_new.open(value) for value in after} == {TOKEN_A, TOKEN_B}
        for value in after:
            with pytest.raises(SealError):
                only_old.open(value)
        # The app needs only the new key now.
        world = OAuthWorld(installed.db, installed.slack, new)
        found = world.distribution.store.find_bot(enterprise_id=None, team_id=TEAM_B)
        assert found is not None and found.bot_token == TOKEN_B
        assert world.distribution.check_keys() == 4
        world.close()

    def test_reseal_with_keys_that_can_t_open_a_token_changes_nothing(
        self, installed: OAuthWorld, tmp_path: Path
    ) -> None:
        before = sealed_values(installed.db)
        result = run_cli("db", "reseal", cwd=tmp_path, env=env_for(installed, new_key()))
        line = error_line(result, only_line=False)
        assert "nothing was changed" in line
        assert sealed_values(installed.db) == before

    def test_reseal_without_a_key_says_what_to_set(self, installed: OAuthWorld, tmp_path: Path) -> None:
        env = clean_env(DATABASE_URL=installed.db.url)
        line = error_line(run_cli("db", "reseal", cwd=tmp_path, env=env), only_line=False)
        assert line.startswith("infoint: INFOINT_ENCRYPTION_KEY is not set")


def test_every_token_column_is_sealed_and_resealed() -> None:
    """`stored_tokens` (what the start-up check, the reseal and the store's sealing cover) lists every
    column of the installation tables that holds a token."""
    from bot.oauth.store import ALL_TOKENS, BOT_TOKENS
    from storage.installs import TOKEN_COLUMNS

    for table in (installations, bots):
        holding = {c.name for c in table.columns if c.name.endswith("_token")}
        assert set(TOKEN_COLUMNS[table]) == holding
    assert set(ALL_TOKENS) == set(TOKEN_COLUMNS[installations])
    assert set(BOT_TOKENS) == set(TOKEN_COLUMNS[bots])
