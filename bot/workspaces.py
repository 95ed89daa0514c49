"""The workspaces the sweep and the weekly digests serve, each with the Web API client to use there.

Slack's rate limits are per workspace, so the sweep sends to each workspace with that workspace's
client (its bot token), concurrently across workspaces (`bot.sweep.dispatch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from slack_sdk import WebClient


@dataclass(frozen=True)
class Workspace:
    team_id: str | None  # None: every team in the database (single-workspace mode)
    client: WebClient


class Workspaces(Protocol):
    def active(self) -> list[Workspace]: ...


@dataclass(frozen=True)
class SingleWorkspace:
    """One bot token (``SLACK_BOT_TOKEN``) for every team in the database."""

    client: WebClient

    def active(self) -> list[Workspace]:
        return [Workspace(None, self.client)]
