"""Several workspaces and installing the app: each bot token belongs to a team, ``oauth.v2.access``
trades a code for a team's bot token, ``auth.revoke`` takes a token back.

A test sets the app's credentials (`set_oauth_client`), then for each installation a code
(`add_install_code`): the code Slack would put in the redirect, with the team and the token it gives.
A code that was not added, or was already used, is refused with ``invalid_code``. Once installed, the
token is the team's: ``auth.test`` answers with that team, and every call records the token it came
with (its ``Authorization`` header, and `Call.team`).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from bot.fakeslack.state import SlackState
from bot.fakeslack.wire import error, str_arg

#: The scopes an installation grants (the manifest's bot scopes).
SCOPES = "commands,chat:write,users:read,im:history,files:write,channels:read,groups:read"


@dataclass(frozen=True)
class Grant:
    """What one code gives: a bot token for a team (or for an Enterprise Grid organization)."""

    team_id: str | None
    team_name: str
    bot_token: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    is_enterprise_install: bool = False
    installer: str = "UINSTALLER"


class OAuthMethods(SlackState):
    """``oauth.v2.access`` and ``auth.revoke`` (a team per bot token: `FakeSlack.add_team`)."""

    def set_oauth_client(self, client_id: str, client_secret: str) -> None:
        with self._lock:
            self._oauth_client = (client_id, client_secret)

    def add_install_code(self, code: str, grant: Grant) -> None:
        """``oauth.v2.access`` with ``code`` (once) gives ``grant``'s token."""
        with self._lock:
            self._install_codes[code] = grant

    def token_team(self, token: str) -> str | None:
        """The team a bot token belongs to (None: not a token Slack knows, or revoked)."""
        with self._lock:
            return None if token in self._revoked_tokens else self._team_tokens.get(token)

    def _m_oauth_v2_access(self, args: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        client = _basic_auth(headers.get("authorization", "")) or (
            str_arg(args, "client_id") or "",
            str_arg(args, "client_secret") or "",
        )
        if self._oauth_client is None or client[0] != self._oauth_client[0]:
            return error("invalid_client_id")
        if client[1] != self._oauth_client[1]:
            return error("bad_client_secret")
        code = str_arg(args, "code")
        grant = self._install_codes.pop(code, None) if code else None
        if grant is None:
            return error("invalid_code")
        self._revoked_tokens.pop(grant.bot_token, None)
        if grant.team_id is not None:
            self._team_tokens[grant.bot_token] = grant.team_id
            self._team_names[grant.team_id] = grant.team_name
        else:
            self._team_tokens[grant.bot_token] = grant.enterprise_id or ""
        enterprise = (
            {"id": grant.enterprise_id, "name": grant.enterprise_name} if grant.enterprise_id else None
        )
        return {
            "ok": True,
            "access_token": grant.bot_token,
            "token_type": "bot",
            "scope": SCOPES,
            "bot_user_id": self.BOT_USER_ID,
            "app_id": self.APP_ID,
            "team": {"id": grant.team_id, "name": grant.team_name} if grant.team_id else None,
            "enterprise": enterprise,
            "is_enterprise_install": grant.is_enterprise_install,
            "authed_user": {"id": grant.installer},
        }

    def _m_auth_revoke(self, args: dict[str, Any]) -> dict[str, Any]:
        self._revoked_tokens[self._token] = "token_revoked"
        return {"ok": True, "revoked": True}


def _basic_auth(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password
