"""`InstalledWorkspaces`: the workspaces the sweep serves under OAuth distribution, each with a client
carrying that workspace's bot token (opened from the installation store).

A workspace is served while it has a bot token stored and is not marked uninstalled
(`storage.installs.installed_teams`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.oauth.sealing import SealError
from bot.oauth.store import SealedInstallationStore
from bot.workspaces import Workspace
from storage.db import Database
from storage.installs import installed_teams, uninstalled_teams

log = logging.getLogger("bot.oauth")


@dataclass(frozen=True)
class OpenedToken:
    """An installed workspace's bot token opened from the store: its `Workspace`, or why not (the
    stored token does not open with the keys given; the reason never names the token)."""

    team_id: str
    workspace: Workspace | None
    problem: str | None = None


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
        found: list[Workspace] = []
        for opened in self.opened():
            if opened.workspace is None:
                log.error("workspace %s is skipped: %s", opened.team_id, opened.problem)
                continue
            found.append(opened.workspace)
        return found

    def opened(self) -> list[OpenedToken]:
        """Each installed workspace's token, opened (or why it could not be), by team id."""
        with self.db.session() as session:
            teams = installed_teams(session, self.store.client_id)
        found: list[OpenedToken] = []
        for enterprise_id, team_id in teams:
            try:
                bot = self.store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
            except SealError as error:
                found.append(OpenedToken(team_id, None, str(error)))
                continue
            if bot is None or not bot.bot_token:
                continue
            found.append(OpenedToken(team_id, Workspace(team_id, self.client_for(bot.bot_token))))
        return found

    def uninstalled(self) -> list[str]:
        """The team ids of the workspaces marked uninstalled (no token left to open)."""
        with self.db.session() as session:
            return uninstalled_teams(session)
