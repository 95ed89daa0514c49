"""The bot scopes infoint asks for: those of ``manifest.yml`` (``oauth_config.scopes.bot``), shipped in
the package so that an installed copy knows them without the project's tree (a test keeps the two
equal). ``infoint doctor`` checks that the token was granted every one of them."""

from __future__ import annotations

BOT_SCOPES: tuple[str, ...] = (
    "commands",
    "chat:write",
    "users:read",
    "im:history",
    "files:write",
    "channels:read",
    "groups:read",
)
