"""`Distribution`: the pieces of OAuth distribution over one database, for the app and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Config, ConfigError
from bot.oauth.flow import InstallFlow, install_flow
from bot.oauth.installations import InstalledWorkspaces
from bot.oauth.revocation import Revocations, register
from bot.oauth.sealing import Sealer, SealError
from bot.oauth.store import SealedInstallationStore, check_keys_open_tokens
from storage.db import Database


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Distribution:
    """The pieces of OAuth distribution over one database."""

    config: Config
    db: Database
    sealer: Sealer
    store: SealedInstallationStore
    clock: Callable[[], datetime]

    @classmethod
    def of(cls, config: Config, db: Database, clock: Callable[[], datetime] = _now) -> Distribution:
        if not (config.client_id and config.client_secret and config.encryption_key):
            raise ConfigError(
                "OAuth distribution needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and INFOINT_ENCRYPTION_KEY."
            )
        sealer = Sealer.from_setting(config.encryption_key)
        return cls(config, db, sealer, SealedInstallationStore(config.client_id, db.engine, sealer), clock)

    def check_keys(self) -> int:
        """Start-up: every stored token opens with the keys given, or a `ConfigError` (one line)."""
        try:
            return check_keys_open_tokens(self.db, self.sealer)
        except SealError as problem:
            raise ConfigError(str(problem)) from None

    def flow(self, client: WebClient) -> InstallFlow:
        assert self.config.client_id and self.config.client_secret
        return install_flow(
            client_id=self.config.client_id,
            client_secret=self.config.client_secret,
            store=self.store,
            db=self.db,
            client=client,
            clock=self.clock,
        )

    def register(self, app: App) -> None:
        register(app, Revocations(self.store, self.db, self.clock))

    def workspaces(self, client_for: Callable[[str], WebClient]) -> InstalledWorkspaces:
        return InstalledWorkspaces(self.db, self.store, client_for)
