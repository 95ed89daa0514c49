"""Configuration from the environment (after ``.env`` in the working directory; the environment wins)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.oauth.sealing import GENERATE, VARIABLE, EncryptionKeyError, parse_keys
from storage.db import normalise_url

APPS_PAGE = "https://api.slack.com/apps"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_SWEEP_SECONDS = 60
#: workspaces the sweep delivers to at once (`bot.sweep.dispatch`)
DEFAULT_SWEEP_WORKERS = 64


class ConfigError(Exception):
    """One configuration problem, said in one line that names the variable and where to get it."""


@dataclass(frozen=True)
class Config:
    bot_token: str
    signing_secret: str | None
    app_token: str | None
    database_url: str
    slack_api_url: str
    port: int
    sweep_seconds: int
    #: OAuth distribution (`bot.oauth`): all three set, or none.
    client_id: str | None = None
    client_secret: str | None = None
    encryption_key: str | None = None
    sweep_workers: int = DEFAULT_SWEEP_WORKERS

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @property
    def oauth(self) -> bool:
        """Installed per workspace through /slack/install (else the one SLACK_BOT_TOKEN)."""
        return self.client_id is not None


def load_dotenv_file(directory: Path | None = None) -> None:
    """Read ``.env`` from the working directory without overriding the process environment."""
    path = (directory or Path.cwd()) / ".env"
    if path.is_file():
        load_dotenv(path, override=False)


def default_database_url(directory: Path | None = None) -> str:
    return f"sqlite:///{((directory or Path.cwd()) / 'infoint.db').resolve()}"


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def database_url_from(env: Mapping[str, str]) -> str:
    url = _get(env, "DATABASE_URL") or default_database_url()
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL is not a database URL: use sqlite:///path/to/infoint.db or "
            "postgresql://user@host:5432/dbname (or leave it unset for a SQLite file here)."
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"DATABASE_URL uses '{parsed.get_backend_name()}', which infoint does not support: "
            "use sqlite:/// or postgresql://."
        )
    return url


def load_config(
    env: Mapping[str, str] | None = None, *, need_slack: bool = True, need_signing: bool = True
) -> Config:
    """Read and check every variable; raise ConfigError on the first problem.

    ``need_slack``: a bot token is required (everything but migrations); ``need_signing``: so is a way
    to receive Slack's requests (a signing secret, or an app token for Socket Mode).
    """
    env = os.environ if env is None else env
    bot_token = _get(env, "SLACK_BOT_TOKEN")
    app_token = _get(env, "SLACK_APP_TOKEN")
    signing_secret = _get(env, "SLACK_SIGNING_SECRET")
    oauth = oauth_settings_from(env) if need_slack else None
    encryption_key = _get(env, VARIABLE)
    if encryption_key is not None:
        try:
            parse_keys(encryption_key)
        except EncryptionKeyError as problem:
            raise ConfigError(str(problem)) from None
    if oauth is not None:
        if bot_token is not None:
            raise ConfigError(
                "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: keep SLACK_BOT_TOKEN for one workspace, "
                "or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and INFOINT_ENCRYPTION_KEY to install it in many."
            )
        if app_token is not None:
            raise ConfigError(
                "OAuth distribution (SLACK_CLIENT_ID) needs HTTP mode: unset SLACK_APP_TOKEN and set "
                "SLACK_SIGNING_SECRET."
            )
        if need_signing and signing_secret is None:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your app's "
                f"'Basic Information' page at {APPS_PAGE} into .env (OAuth distribution needs it)."
            )
    if need_slack and oauth is None:
        if bot_token is None:
            raise ConfigError(
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your app's "
                f"'OAuth & Permissions' page at {APPS_PAGE} into .env."
            )
        if not bot_token.startswith("xoxb-"):
            raise ConfigError(
                "SLACK_BOT_TOKEN must be a bot token starting with xoxb- (see 'OAuth & Permissions' at "
                f"{APPS_PAGE})."
            )
        if app_token is not None and not app_token.startswith("xapp-"):
            raise ConfigError(
                "SLACK_APP_TOKEN must be an app-level token starting with xapp- with the connections:write "
                f"scope ('Basic Information' → 'App-Level Tokens' at {APPS_PAGE}); unset it for HTTP mode."
            )
        if need_signing and app_token is None and signing_secret is None:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your app's "
                f"'Basic Information' page at {APPS_PAGE} into .env (or set SLACK_APP_TOKEN for Socket Mode)."
            )
    secret_ok = signing_secret is None or re.fullmatch(r"[A-Za-z0-9]{16,128}", signing_secret)
    if need_slack and not secret_ok:
        raise ConfigError(
            "SLACK_SIGNING_SECRET doesn't look like a signing secret (letters and digits, from 'Basic "
            f"Information' at {APPS_PAGE})."
        )
    api_url = _get(env, "SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if not re.match(r"^https?://[^\s/]+", api_url):
        raise ConfigError(
            f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_SLACK_API_URL} "
            "(leave it unset for Slack)."
        )
    if not api_url.endswith("/"):
        api_url += "/"
    return Config(
        bot_token=bot_token or "",
        signing_secret=signing_secret,
        app_token=app_token,
        database_url=database_url_from(env),
        slack_api_url=api_url,
        port=_int(env, "PORT", DEFAULT_PORT, 1, 65535),
        sweep_seconds=_int(env, "INFOINT_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS, 5, 86400),
        client_id=oauth[0] if oauth else None,
        client_secret=oauth[1] if oauth else None,
        encryption_key=encryption_key,
        sweep_workers=_int(env, "INFOINT_SWEEP_WORKERS", DEFAULT_SWEEP_WORKERS, 1, 256),
    )


def oauth_settings_from(env: Mapping[str, str]) -> tuple[str, str] | None:
    """SLACK_CLIENT_ID and SLACK_CLIENT_SECRET when OAuth distribution is configured (with
    INFOINT_ENCRYPTION_KEY), None when none of the three is set; one missing is a ConfigError."""
    names = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", VARIABLE)
    values = [_get(env, name) for name in names]
    if all(value is None for value in values):
        return None
    for name, value in zip(names, values, strict=True):
        if value is None:
            where = (
                f"generate one with {GENERATE}"
                if name == VARIABLE
                else f"copy it from 'Basic Information' → 'App Credentials' at {APPS_PAGE}"
            )
            raise ConfigError(
                f"{name} is not set (OAuth distribution needs all three of {', '.join(names)}): {where}."
            )
    client_id, client_secret = values[0] or "", values[1] or ""
    if not re.fullmatch(r"[0-9]+\.[0-9]+", client_id):
        raise ConfigError(
            "SLACK_CLIENT_ID doesn't look like a client ID (digits, a dot, digits: 'App Credentials' at "
            f"{APPS_PAGE})."
        )
    if not re.fullmatch(r"[A-Za-z0-9]{16,128}", client_secret):
        raise ConfigError(
            "SLACK_CLIENT_SECRET doesn't look like a client secret (letters and digits: 'App Credentials' "
            f"at {APPS_PAGE})."
        )
    return client_id, client_secret


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _get(env, name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high} (it is '{raw[:40]}').")
    return int(raw)
