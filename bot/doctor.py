"""``infoint doctor``: is this installation ready to run? One line per check, each ``ok`` or what to fix.

The checks, in order (a check that depends on a failed one is skipped, and says so):

- **configuration**: the variables of the mode in use. One workspace: ``SLACK_BOT_TOKEN`` and
  ``SLACK_SIGNING_SECRET`` (or ``SLACK_APP_TOKEN`` for Socket Mode), checked as ``infoint run`` checks
  them. OAuth installs (``SLACK_CLIENT_ID`` set): ``SLACK_CLIENT_ID``, ``SLACK_CLIENT_SECRET``,
  ``INFOINT_ENCRYPTION_KEY`` and ``SLACK_SIGNING_SECRET`` are present.
- **database**: ``DATABASE_URL`` answers (a SQLite file must exist: the doctor creates nothing).
- **migrations**: the schema is at the newest migration of this version.
- **Slack**: ``auth.test`` through ``SLACK_API_URL`` accepts the bot token (one workspace only).
- **scopes**: the token's scopes (Slack's ``x-oauth-scopes`` header) include every bot scope of the
  manifest (`bot.scopes.BOT_SCOPES`).

No token or secret is ever printed.
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.config import APPS_PAGE, Config, ConfigError, database_url_from, load_config
from bot.scopes import BOT_SCOPES
from storage.db import Database, normalise_url

OAUTH_VARIABLES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "INFOINT_ENCRYPTION_KEY", "SLACK_SIGNING_SECRET")
TOKEN_REFUSED = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)
#: How long the doctor waits for the database or Slack.
TIMEOUT = 10


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "ok", "FAIL" or "skip"
    detail: str  # what was found, or what to do

    def line(self) -> str:
        return f"{self.status:<4} {self.name}: {self.detail}"


def run(env: Mapping[str, str], out: Callable[[str], None] = print) -> int:
    """Print one line per check and a verdict; 0 if nothing failed, 1 otherwise."""
    checks = examine(env)
    for check in checks:
        out(check.line())
    failed = [check.name for check in checks if check.status == "FAIL"]
    if failed:
        out(f"infoint doctor: {len(failed)} problem(s) to fix ({', '.join(failed)})")
        return 1
    out("infoint doctor: ready")
    return 0


def examine(env: Mapping[str, str]) -> list[Check]:
    oauth = bool((env.get("SLACK_CLIENT_ID") or "").strip())
    configuration, config = _configuration(env, oauth)
    checks = [configuration]
    database, db = _database(env)
    checks.append(database)
    try:
        checks.append(_migrations(db) if db is not None else _skip("migrations", "no database"))
    finally:
        if db is not None:
            db.dispose()
    if oauth:
        why = "OAuth installs: each workspace's token is checked when it is used"
        checks += [_skip("Slack", why), _skip("scopes", why)]
    elif config is None:
        checks += [
            _skip("Slack", "the configuration is incomplete"),
            _skip("scopes", "no token to ask about"),
        ]
    else:
        checks += _slack(config)
    return checks


def _skip(name: str, why: str) -> Check:
    return Check(name, "skip", f"skipped ({why})")


def _configuration(env: Mapping[str, str], oauth: bool) -> tuple[Check, Config | None]:
    name = "configuration"
    try:
        config = load_config(env, need_slack=not oauth)
    except ConfigError as problem:
        return Check(name, "FAIL", str(problem)), None
    if oauth:
        missing = [variable for variable in OAUTH_VARIABLES if not (env.get(variable) or "").strip()]
        if missing:
            return Check(
                name,
                "FAIL",
                f"OAuth installs (SLACK_CLIENT_ID is set) also need {', '.join(missing)}: the client "
                f"secret and signing secret are on your app's 'Basic Information' page at {APPS_PAGE}; "
                "INFOINT_ENCRYPTION_KEY holds the Fernet key(s) that seal the stored tokens.",
            ), None
        return Check(name, "ok", "OAuth installs (" + ", ".join(OAUTH_VARIABLES) + " set)"), config
    transport = "Socket Mode (SLACK_APP_TOKEN)" if config.socket_mode else "HTTP (SLACK_SIGNING_SECRET)"
    return Check(name, "ok", f"one workspace (SLACK_BOT_TOKEN), {transport}"), config


def _database(env: Mapping[str, str]) -> tuple[Check, Database | None]:
    name = "database"
    try:
        url = database_url_from(env)
    except ConfigError as problem:
        return Check(name, "FAIL", str(problem)), None
    parsed = make_url(normalise_url(url))
    shown = make_url(url).render_as_string(hide_password=True)  # as the user spelled it
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if path and path != ":memory:" and not Path(path).is_file():
            return Check(
                name,
                "FAIL",
                f"no SQLite file at {path}: `infoint db upgrade` creates it (so does `infoint run`)",
            ), None
        db = Database(url)
    else:
        db = Database(url, connect_args={"connect_timeout": TIMEOUT})
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver's way of saying it can't connect
        db.dispose()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        return Check(
            name,
            "FAIL",
            f"{shown} does not answer ({reason[0][:200] if reason else type(error).__name__}): check "
            "DATABASE_URL and that the server is up and reachable from here",
        ), None
    return Check(name, "ok", f"{db.dialect} answers at {shown}"), db


def _migrations(db: Database) -> Check:
    name = "migrations"
    current, head = db.current_revision(), db.head_revision()
    if current == head:
        return Check(name, "ok", f"the schema is at the newest migration ({head})")
    if current is None:
        return Check(name, "FAIL", f"the database has no schema yet: run `infoint db upgrade` (to {head})")
    try:
        known = ScriptDirectory.from_config(db.alembic_config()).get_revision(current) is not None
    except CommandError:
        known = False
    if not known:
        return Check(
            name,
            "FAIL",
            f"the database is at {current}, which this version of infoint does not know: a newer "
            "version migrated it; run that version (or newer)",
        )
    return Check(
        name, "FAIL", f"the schema is at {current}, this version needs {head}: run `infoint db upgrade`"
    )


def _slack(config: Config) -> list[Check]:
    quiet = logging.getLogger("infoint.doctor.slack")  # the check's own line says what went wrong
    quiet.propagate, quiet.disabled = False, True
    client = WebClient(token=config.bot_token, base_url=config.slack_api_url, timeout=TIMEOUT, logger=quiet)
    try:
        response = client.auth_test()
    except SlackApiError as error:
        reason = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        if reason in TOKEN_REFUSED:
            fix = (
                f"SLACK_BOT_TOKEN was refused by Slack ({reason}): copy the current Bot User OAuth Token "
                f"from 'OAuth & Permissions' at {APPS_PAGE}"
            )
        else:
            fix = f"auth.test failed ({reason}): try again; if it persists, check SLACK_API_URL"
        return [Check("Slack", "FAIL", fix), _skip("scopes", "Slack did not accept the token")]
    except (OSError, http.client.HTTPException) as error:
        return [
            Check(
                "Slack",
                "FAIL",
                f"Slack does not answer at {config.slack_api_url} ({_reason(error)}): check the network, "
                "or SLACK_API_URL",
            ),
            _skip("scopes", "Slack did not answer"),
        ]
    who = f"{response.get('user') or '?'} in {response.get('team') or '?'} ({response.get('team_id') or '?'})"
    return [Check("Slack", "ok", f"the bot token is accepted: {who}"), _scopes(response.headers)]


def _scopes(headers: Mapping[str, Any]) -> Check:
    name = "scopes"
    granted_text = next(
        (str(v) for k, v in (headers or {}).items() if str(k).lower() == "x-oauth-scopes"), None
    )
    if granted_text is None:
        return _skip(name, "Slack did not list the token's scopes (no x-oauth-scopes header)")
    granted = {scope.strip() for scope in granted_text.split(",") if scope.strip()}
    missing = [scope for scope in BOT_SCOPES if scope not in granted]
    if missing:
        return Check(
            name,
            "FAIL",
            f"the token lacks {', '.join(missing)}: add them under 'OAuth & Permissions' (or update the "
            f"app from manifest.yml) at {APPS_PAGE}, then reinstall the app to the workspace",
        )
    extra = sorted(granted - set(BOT_SCOPES))
    return Check(
        name, "ok", "every scope of the manifest" + (f" (and also {', '.join(extra)})" if extra else "")
    )


def _reason(error: BaseException) -> str:
    return (
        str(getattr(error, "reason", None) or error).splitlines()[0][:100]
        if str(error)
        else type(error).__name__
    )
