"""``infoint doctor``: is this installation ready to run? One line per check, each ``ok`` or what to fix.

The checks, in order (a check that depends on a failed one is skipped, and says so):

- **configuration**: the variables of the mode in use. One workspace: ``SLACK_BOT_TOKEN`` and
  ``SLACK_SIGNING_SECRET`` (or ``SLACK_APP_TOKEN`` for Socket Mode), checked as ``infoint run`` checks
  them. OAuth installs (``SLACK_CLIENT_ID`` set): ``SLACK_CLIENT_ID``, ``SLACK_CLIENT_SECRET``,
  ``INFOINT_ENCRYPTION_KEY`` and ``SLACK_SIGNING_SECRET`` are present.
- **database**: ``DATABASE_URL`` answers (a SQLite file must exist: the doctor creates nothing).
- **migrations**: the schema is at the newest migration of this version.
- **Slack**: ``auth.test`` through ``SLACK_API_URL`` accepts the bot token. OAuth installs: each
  installed workspace's bot token, opened from the installation store as the sweep opens it, is
  asked about with ``auth.test``: one line per workspace (``workspace T…``), a refused token a
  failure (the workspace must install the app again), a workspace marked uninstalled reported and
  not asked. Slack's 429s are waited out as its ``Retry-After`` asks, within `DEADLINE` in all.
- **scopes**: the token's scopes (Slack's ``x-oauth-scopes`` header) include every bot scope of the
  manifest (`bot.scopes.BOT_SCOPES`) (one workspace only).

No token or secret is ever printed.
"""

from __future__ import annotations

import dataclasses
import http.client
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.config import APPS_PAGE, Config, ConfigError, database_url_from, load_config
from bot.oauth.distribution import Distribution
from bot.oauth.installations import OpenedToken
from bot.scopes import BOT_SCOPES
from bot.sweep.slack import retry_after
from storage.db import Database, normalise_url

OAUTH_VARIABLES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "INFOINT_ENCRYPTION_KEY", "SLACK_SIGNING_SECRET")
TOKEN_REFUSED = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)
#: How long the doctor waits for the database or Slack (each call).
TIMEOUT = 10
#: OAuth installs: how long the doctor asks Slack about the installed workspaces, in all; those not
#: asked by then are reported as not asked, and a 429 whose wait would end later is not waited out.
DEADLINE = 60.0
REINSTALL = "the workspace must install the app again: someone there opens https://YOUR-HOST/slack/install"


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
        migrations = _migrations(db) if db is not None else _skip("migrations", "no database")
        checks.append(migrations)
        if oauth:
            checks += _installed(env, config, db if migrations.status == "ok" else None)
        elif config is None:
            checks += [
                _skip("Slack", "the configuration is incomplete"),
                _skip("scopes", "no token to ask about"),
            ]
        else:
            checks += _slack(config)
    finally:
        if db is not None:
            db.dispose()
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
    client = WebClient(
        token=config.bot_token, base_url=config.slack_api_url, timeout=TIMEOUT, logger=_quiet()
    )
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


def _installed(env: Mapping[str, str], config: Config | None, db: Database | None) -> list[Check]:
    """OAuth installs: the Slack line, one line per workspace (installed, then uninstalled), scopes."""
    scopes = _skip("scopes", "OAuth installs: each workspace grants the scopes its install link asks for")
    if config is None:
        return [_skip("Slack", "the configuration is incomplete"), scopes]
    if db is None:
        return [
            _skip("Slack", "no installed workspaces to read without the database at its newest migration"),
            scopes,
        ]
    config = dataclasses.replace(
        config,
        client_id=(env.get("SLACK_CLIENT_ID") or "").strip(),
        client_secret=(env.get("SLACK_CLIENT_SECRET") or "").strip(),
    )
    deadline = time.monotonic() + DEADLINE
    workspaces = Distribution.of(config, db).workspaces(lambda token: _client(config, token, deadline))
    installed, uninstalled = workspaces.opened(), workspaces.uninstalled()
    lines: list[Check] = []
    unanswered: BaseException | None = None
    for opened in installed:
        name = f"workspace {opened.team_id}"
        if unanswered is not None:
            lines.append(_skip(name, "not asked: Slack did not answer"))
        elif time.monotonic() >= deadline:
            lines.append(_skip(name, f"not asked: the doctor asks Slack for {DEADLINE:.0f} s at most"))
        else:
            check, unanswered = _workspace(opened)
            lines.append(check)
    lines += [
        Check(
            f"workspace {team_id}",
            "skip",
            "uninstalled (the app was removed there, or its bot token revoked): not asked; its reminders "
            "are stopped and its records kept until it installs the app again",
        )
        for team_id in uninstalled
    ]
    if unanswered is not None:
        slack = Check(
            "Slack",
            "FAIL",
            f"Slack does not answer at {config.slack_api_url} ({_reason(unanswered)}): check the network, "
            "or SLACK_API_URL",
        )
    elif not installed and not uninstalled:
        slack = Check(
            "Slack", "ok", "no workspace has installed the app yet (https://YOUR-HOST/slack/install)"
        )
    else:
        also = f"; {len(uninstalled)} uninstalled" if uninstalled else ""
        slack = Check(
            "Slack",
            "ok",
            f"{len(installed)} installed workspace(s), each bot token asked about with auth.test, one line "
            f"each{also}",
        )
    return [slack, *lines, scopes]


def _workspace(opened: OpenedToken) -> tuple[Check, BaseException | None]:
    """One installed workspace's line, and whether Slack failed to answer (then the line is a skip)."""
    name = f"workspace {opened.team_id}"
    if opened.workspace is None:
        return Check(
            name,
            "FAIL",
            f"{opened.problem}: put the key that sealed it back in INFOINT_ENCRYPTION_KEY, or {REINSTALL}",
        ), None
    try:
        response = opened.workspace.client.auth_test()
    except SlackApiError as error:
        reason = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        if reason in TOKEN_REFUSED:
            return Check(name, "FAIL", f"Slack refused its bot token ({reason}): {REINSTALL}"), None
        return Check(name, "FAIL", f"auth.test failed ({reason}): try again later"), None
    except (OSError, http.client.HTTPException) as error:
        return _skip(name, "not asked: Slack did not answer"), error
    who = f"{response.get('user') or '?'} in {response.get('team') or '?'}"
    return Check(name, "ok", f"the bot token is accepted: {who}"), None


class _RetryWithinDeadline(RateLimitErrorRetryHandler):
    """A 429 waited out as Slack's ``Retry-After`` asks (as the app's client does), unless the wait
    would end after the doctor's deadline: then Slack's ``ratelimited`` is the answer."""

    def __init__(self, deadline: float) -> None:
        super().__init__(max_retry_count=3)
        self.deadline = deadline

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        return time.monotonic() + retry_after(response.headers) + 1 < self.deadline


def _client(config: Config, token: str, deadline: float) -> WebClient:
    """A workspace's client for the doctor: its token, `TIMEOUT` per call, 429s and 5xx retried as
    `bot.app.make_client` retries them (429s within the deadline), and no log lines of its own."""
    return WebClient(
        token=token,
        base_url=config.slack_api_url,
        timeout=TIMEOUT,
        logger=_quiet(),
        retry_handlers=[_RetryWithinDeadline(deadline), ServerErrorRetryHandler(max_retry_count=2)],
    )


def _quiet() -> logging.Logger:
    quiet = logging.getLogger("infoint.doctor.slack")  # the check's own line says what went wrong
    quiet.propagate, quiet.disabled = False, True
    return quiet


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
