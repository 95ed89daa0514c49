"""The CLI's work for OAuth distribution (`bot.cli` keeps only the wiring): starting with the
installation store, the workspaces the sweep serves, and ``infoint db reseal``."""

from __future__ import annotations

import dataclasses
import logging

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.app import make_client
from bot.config import Config, ConfigError
from bot.oauth.distribution import Distribution
from bot.oauth.installations import InstalledWorkspaces
from bot.oauth.sealing import VARIABLE, Sealer, SealError
from storage.db import Database
from storage.installs import replace_token, stored_tokens

log = logging.getLogger("infoint")


def start(config: Config, db: Database) -> Distribution:
    """OAuth distribution at start-up: every stored token must open with the keys given (else a
    `ConfigError`, one line: the program stops with exit code 2)."""
    distribution = Distribution.of(config, db)
    checked = distribution.check_keys()
    log.info("OAuth distribution: %d stored token(s) open with %s", checked, VARIABLE)
    return distribution


def sweep_workspaces(config: Config, distribution: Distribution) -> InstalledWorkspaces:
    """Every installed workspace, each with a sweep client (no blind resend) carrying its token."""

    def client_for(token: str) -> WebClient:
        return make_client(dataclasses.replace(config, bot_token=token), retry_connection_errors=False)

    return distribution.workspaces(client_for)


def reseal(config: Config, db: Database) -> int:
    """Seal every stored token again with the first key, in one transaction; returns how many.

    A token none of the keys opens stops it before anything is changed (`ConfigError`)."""
    if config.encryption_key is None:
        raise ConfigError(
            f"{VARIABLE} is not set: put the new key first and the old ones after it, comma-separated."
        )
    sealer = Sealer.from_setting(config.encryption_key)

    def work(session: Session) -> int:
        tokens = list(stored_tokens(session))
        for token in tokens:
            replace_token(session, token, sealer.reseal(token.sealed))
        return len(tokens)

    try:
        return db.run(work, what="reseal")
    except SealError as problem:
        raise ConfigError(f"{problem}; nothing was changed.") from None
