"""``app_uninstalled`` and ``tokens_revoked``: the workspace's tokens go, its reminders stop.

The tokens are deleted from the installation store; the workspace is marked uninstalled
(``workspaces.uninstalled_at``), so the sweep no longer serves it (`bot.oauth.installations`). Its
records are kept until an admin asks for their deletion; installing again clears the mark.

With one ``SLACK_BOT_TOKEN`` (no OAuth) there is nothing to delete: the event is logged, so whoever
runs infoint knows its token stopped working.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.oauth.installation_store import InstallationStore

from storage.db import Database
from storage.installs import mark_uninstalled

log = logging.getLogger("bot.oauth")


class Revocations:
    """The two events' listeners, over the installation store and the database."""

    def __init__(self, store: InstallationStore, db: Database, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.db = db
        self.clock = clock

    def app_uninstalled(self, ack: Ack, context: BoltContext) -> None:
        ack()
        self._forget(context, "the app was uninstalled")

    def tokens_revoked(self, ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
        ack()
        tokens = event.get("tokens") if isinstance(event.get("tokens"), dict) else {}
        if tokens.get("bot"):
            self._forget(context, "its bot token was revoked")
            return
        for user_id in tokens.get("oauth") or []:
            if isinstance(user_id, str):
                self.store.delete_installation(
                    enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
                )

    def _forget(self, context: BoltContext, why: str) -> None:
        team_id = context.team_id
        if not team_id:
            log.warning("%s, but the event names no workspace", why)
            return
        self.store.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
        with self.db.session() as session:
            mark_uninstalled(session, team_id, self.clock())
        log.info("workspace %s: %s; its tokens are deleted and its reminders stopped", team_id, why)


def log_only(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """One workspace, one token: nothing stored to delete; say it in the log."""
    ack()
    kind = (body.get("event") or {}).get("type", "event")
    log.warning(
        "%s in workspace %s: SLACK_BOT_TOKEN no longer works there; install the app again and set the "
        "new token",
        kind,
        context.team_id,
    )


def register(app: App, revocations: Revocations | None) -> None:
    if revocations is None:
        app.event("app_uninstalled")(log_only)
        app.event("tokens_revoked")(log_only)
        return
    app.event("app_uninstalled")(revocations.app_uninstalled)
    app.event("tokens_revoked")(revocations.tokens_revoked)
