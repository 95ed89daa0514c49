"""`InstalledWorkspaces`: the workspaces the sweep serves under OAuth distribution, each with a client
carrying that workspace's bot token (opened from the installation store).

A workspace is served while it has a bot token stored and is not marked uninstalled
(`storage.installs.installed_teams`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.oauth.sealing import SealError
from bot.oauth.store import SealedInstallationStore
from bot.workspaces import Workspace
from storage.db import Database
from storage.installs import installed_teams

log = logging.getLogger("bot.oauth")


class InstalledWorkspaces:
    """`bot.workspaces.Workspaces` over the installation store: one `Workspace` per installed team."""

    def __init__(
        self, db: Database, store: SealedInstallationStore, client_for: Callable[[str], WebClient]
    ) -> None:
        """``client_for(token)``: the Web API client to use with a workspace's bot token."""
        self.db = db
        self.store = store
        self.client_for = client_for

    def active(self) -> list[Workspace]:
        with self.db.session() as session:
            teams = installed_teams(session, self.store.client_id)
        found: list[Workspace] = []
        for enterprise_id, team_id in teams:
            try:
                bot = self.store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
            except SealError as error:
                log.error("workspace %s is skipped: %s", team_id, error)
                continue
            if bot is None or not bot.bot_token:
                continue
            found.append(Workspace(team_id, self.client_for(bot.bot_token)))
        return found
