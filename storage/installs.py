"""The tables of OAuth distribution, and which workspaces are installed.

``slack_installations``, ``slack_bots`` and ``slack_oauth_states`` are the tables of slack_sdk's
SQLAlchemy installation store and OAuth state store (`bot.oauth.store` uses those stores on them),
written out here so that migration 0006 creates them and `Base.metadata` knows them. They mirror the
stores' own definitions column for column, but the token columns are ``Text``: they hold tokens
sealed with Fernet (`bot.oauth.sealing`), longer than the tokens themselves.

Uninstalling marks the workspace (``workspaces.uninstalled_at``): its reminders stop, its data is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.orm import Session

from storage.models import Base, Workspace

#: The team ids of the workspaces marked uninstalled (`mark_uninstalled`): nothing is sent there.
UNINSTALLED = select(Workspace.team_id).where(Workspace.uninstalled_at.is_not(None))

installations = Table(
    "slack_installations",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", Text),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", Text),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", Text),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", Text),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

bots = Table(
    "slack_bots",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", Text),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", Text),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, nullable=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

oauth_states = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)

#: Every column that holds a (sealed) token, per table.
TOKEN_COLUMNS: dict[Table, tuple[str, ...]] = {
    installations: ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    bots: ("bot_token", "bot_refresh_token"),
}


@dataclass(frozen=True)
class StoredToken:
    table: Table
    row_id: int
    column: str
    sealed: str


def stored_tokens(session: Session) -> Iterator[StoredToken]:
    """Every token stored, sealed as it is, whatever app (client id) it belongs to."""
    for table, columns in TOKEN_COLUMNS.items():
        for row in session.execute(select(table.c.id, *(table.c[name] for name in columns))).mappings():
            for name in columns:
                if row[name] is not None:
                    yield StoredToken(table, int(row["id"]), name, str(row[name]))


def replace_token(session: Session, token: StoredToken, sealed: str) -> None:
    table = token.table
    session.execute(update(table).where(table.c.id == token.row_id).values({token.column: sealed}))


def installed_teams(session: Session, client_id: str) -> list[tuple[str | None, str]]:
    """(enterprise id, team id) of each workspace where this app has a bot token and that is not
    marked uninstalled, by team id."""
    statement = (
        select(bots.c.enterprise_id, bots.c.team_id)
        .where(
            bots.c.client_id == client_id,
            bots.c.bot_token.is_not(None),
            bots.c.team_id.is_not(None),
            bots.c.team_id.not_in(UNINSTALLED),
        )
        .group_by(bots.c.enterprise_id, bots.c.team_id)
        .order_by(bots.c.team_id)
    )
    return [(enterprise, str(team)) for enterprise, team in session.execute(statement)]


def uninstalled_teams(session: Session) -> list[str]:
    """The team id of each workspace marked uninstalled (its tokens deleted), by team id."""
    return [str(team) for team in session.scalars(UNINSTALLED.order_by(Workspace.team_id))]


def mark_installed(session: Session, team_id: str, name: str | None, now: datetime) -> None:
    """The workspace (re)installed: it exists, under its current name, and is no longer uninstalled."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        session.add(Workspace(team_id=team_id, name=name, created_at=now, uninstalled_at=None))
        return
    workspace.uninstalled_at = None
    if name:
        workspace.name = name


def mark_uninstalled(session: Session, team_id: str, now: datetime) -> None:
    """The app was removed from the workspace: no more reminders there (the data stays)."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        session.add(Workspace(team_id=team_id, name=None, created_at=now, uninstalled_at=now))
    elif workspace.uninstalled_at is None:
        workspace.uninstalled_at = now


def is_uninstalled(session: Session, team_id: str) -> bool:
    workspace = session.get(Workspace, team_id)
    return workspace is not None and workspace.uninstalled_at is not None
