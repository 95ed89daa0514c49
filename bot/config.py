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
    sweep_workers: int = DEFAULT_SWEEP_WORKERS

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


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
    if need_slack:
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
        if signing_secret is not None and not re.fullmatch(r"[A-Za-z0-9]{16,128}", signing_secret):
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
        sweep_workers=_int(env, "INFOINT_SWEEP_WORKERS", DEFAULT_SWEEP_WORKERS, 1, 256),
    )


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _get(env, name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high} (it is '{raw[:40]}').")
    return int(raw)
