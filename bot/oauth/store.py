"""The installation store: slack_sdk's SQLAlchemy store on the app's database, with every token sealed.

`SealedInstallationStore` wraps slack_sdk's ``SQLAlchemyInstallationStore`` (a decorator, not a
subclass, so that the inner store's own ``save`` → ``save_bot`` never seals twice): tokens are sealed
before they are saved and opened after they are found. The tables are those of migration 0006
(`storage.installs`); nothing here creates a table.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import TypeVar

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.oauth.sealing import Sealer, SealError
from storage.db import Database
from storage.installs import stored_tokens

log = logging.getLogger("bot.oauth")

#: How long an install link's state is good for (slack_sdk's default is ten minutes).
STATE_SECONDS = 600

BOT_TOKENS = ("bot_token", "bot_refresh_token")
ALL_TOKENS = (*BOT_TOKENS, "user_token", "user_refresh_token")
Record = TypeVar("Record", Installation, Bot)


class SealedInstallationStore(InstallationStore):
    """slack_sdk's SQLAlchemy installation store, sealing tokens before a save and opening them after
    a find. Deletions go straight through."""

    def __init__(self, client_id: str, engine: Engine, sealer: Sealer) -> None:
        self.inner = SQLAlchemyInstallationStore(client_id=client_id, engine=engine, logger=log)
        self.client_id = client_id
        self.sealer = sealer

    @property
    def logger(self) -> logging.Logger:
        return log

    def save(self, installation: Installation) -> None:
        self.inner.save(self._with(installation, ALL_TOKENS, self.sealer.seal))

    def save_bot(self, bot: Bot) -> None:
        self.inner.save_bot(self._with(bot, BOT_TOKENS, self.sealer.seal))

    def find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        bot = self.inner.find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return None if bot is None else self._with(bot, BOT_TOKENS, self.sealer.open)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        installation = self.inner.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if installation is None else self._with(installation, ALL_TOKENS, self.sealer.open)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.inner.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    @staticmethod
    def _with(record: Record, fields: tuple[str, ...], change: Callable[[str], str]) -> Record:
        """A copy of ``record`` with each of its ``fields`` that holds a token changed (sealed or
        opened); the caller's record is left as it was."""
        changed = copy.copy(record)
        for field in fields:
            value = getattr(record, field, None)
            if isinstance(value, str) and value:
                setattr(changed, field, change(value))
        return changed


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    """slack_sdk's OAuth state store on the app's database (table ``slack_oauth_states``): each
    install link's state is good once, for `STATE_SECONDS`."""
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine, logger=log)


def check_keys_open_tokens(db: Database, sealer: Sealer) -> int:
    """Start-up: every token stored opens with the keys given (a key dropped too early, or the key of
    another installation, stops the program before it serves anyone). Returns how many were checked;
    raises `SealError` (which never names a token)."""
    with db.session() as session:
        tokens = list(stored_tokens(session))
    for token in tokens:
        sealer.open(token.sealed)
    return len(tokens)


__all__ = ["STATE_SECONDS", "SealError", "SealedInstallationStore", "check_keys_open_tokens", "state_store"]
