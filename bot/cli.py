"""The ``infoint`` command: run the bot, migrate the database."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Config, ConfigError, load_config, load_dotenv_file
from bot.datarights_cli import add_commands as add_datarights_commands
from bot.logs import configure as configure_logging
from bot.services import Services
from storage.db import Database

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.sweep import Sweeper

log = logging.getLogger("infoint")


def _fail(message: str, code: int = 2) -> int:
    print(f"infoint: {message}", file=sys.stderr)
    return code


def _open_database(config: Config, *, migrate_sqlite: bool) -> Database:
    db = Database(config.database_url)
    if db.dialect == "sqlite" and migrate_sqlite:
        db.upgrade()
    elif db.run(lambda _session: db.current_revision(), what="schema check") != db.head_revision():
        db.dispose()
        raise ConfigError(
            "the database schema is not up to date: run `infoint db upgrade` first "
            "(DATABASE_URL points at it)."
        )
    return db


def check_bot_token(client: WebClient) -> None:
    """Ask Slack who we are (auth.test): a refused token stops here, with a clear line."""
    try:
        identity = client.auth_test()
    except SlackApiError as error:
        reason = error.response.get("error")
        if reason in ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"):
            raise ConfigError(
                f"SLACK_BOT_TOKEN was refused by Slack ({reason}): copy the current Bot User OAuth Token "
                "from 'OAuth & Permissions' at https://api.slack.com/apps."
            ) from None
        log.warning("auth.test failed (%s); starting anyway", reason)
    except OSError as error:
        log.warning("could not reach Slack at SLACK_API_URL (%s); starting anyway", error)
    else:
        log.info("connected to workspace %s as %s", identity.get("team"), identity.get("user"))


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    config = load_config(need_slack=False)
    db = Database(config.database_url)
    try:
        revision = db.upgrade()
    finally:
        db.dispose()
    print(f"infoint: database at revision {revision} ({db.dialect})")
    return 0


def cmd_db_reseal(_args: argparse.Namespace) -> int:
    from bot.oauth.commands import reseal

    config = load_config(need_slack=False)
    db = _open_database(config, migrate_sqlite=True)
    try:
        count = reseal(config, db)
    finally:
        db.dispose()
    print(f"infoint: {count} stored token(s) sealed again with the first key of INFOINT_ENCRYPTION_KEY")
    return 0


def cmd_run(_args: argparse.Namespace) -> int:
    config = load_config()
    db = _open_database(config, migrate_sqlite=True)
    services = Services(db)

    from bot.ack_first import LISTENER_THREADS, favour_acks
    from bot.app import WebApp, create_app, make_client
    from bot.listeners import ListenerPool
    from bot.oauth import commands as oauth
    from bot.shutdown import Stop, drain_listeners, serve_until, stop_scheduler

    client = make_client(config)
    distribution = oauth.start(config, db) if config.oauth else None
    if distribution is None:
        check_bot_token(client)
    listeners = ListenerPool(LISTENER_THREADS)
    app = create_app(config, services, client, listener_executor=listeners, distribution=distribution)
    from bot.sweep import Sweeper

    sweep_target = (
        oauth.sweep_workspaces(config, distribution)
        if distribution
        else make_client(config, retry_connection_errors=False)
    )
    sweeper = Sweeper(db, sweep_target, workers=config.sweep_workers)
    scheduler = start_scheduler(sweeper, config.sweep_seconds)
    # On SIGTERM or Ctrl-C: the sweep stops between two DMs (and /readyz says 503) at once; the rest
    # is done below, outside the handler (see bot/shutdown.py).
    stop = Stop(sweeper.stopping)
    favour_acks()  # everything made at start, the collector needn't walk again
    if config.socket_mode:
        from bot.logs import socket_mode_handler

        assert config.app_token is not None
        handler = socket_mode_handler(app, config.app_token, client)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            handler.connect()
        except SlackApiError as error:
            raise ConfigError(
                f"SLACK_APP_TOKEN was refused by Slack ({error.response.get('error')}): create an app-level "
                "token with connections:write under 'Basic Information' → 'App-Level Tokens'."
            ) from None
        log.info("infoint is running in Socket Mode")
        stop.requested.wait()
        handler.close()
    else:
        from waitress.server import create_server

        web = WebApp(app, services, config.signing_secret)
        stop.events.append(web.health.stopping)
        try:
            server = create_server(web, host="0.0.0.0", port=config.port, threads=8)
        except OSError as error:
            raise ConfigError(
                f"PORT {config.port} can't be used ({error.strerror}): set PORT to a free port."
            ) from None
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        paths = "POST /slack/events, GET /healthz, /readyz" + (", /slack/install" if distribution else "")
        log.info("infoint is listening on port %s: %s", config.port, paths)
        serve_until(server, stop)
    drained = drain_listeners(listeners, stop.left() - 1.0)
    finished = stop_scheduler(scheduler, stop.left()) and drained
    db.dispose()
    log.info(
        "infoint stopped" if finished else "infoint stopped; what was left is picked up on the next start"
    )
    if not finished:  # a thread still waiting on Slack would hold the exit: leave without it
        logging.shutdown()
        os._exit(0)
    return 0


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant; one without an offset is taken as UTC."""
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"--at must be an ISO-8601 date and time such as 2026-03-10T09:30:00+01:00 (got '{text[:60]}')."
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cmd_sweep(args: argparse.Namespace) -> int:
    now = parse_instant(args.at) if args.at else datetime.now(UTC)
    config = load_config(need_slack=not args.dry_run, need_signing=False)
    db = _open_database(config, migrate_sqlite=True)
    try:
        from bot.app import make_client
        from bot.digests import send_due_digests
        from bot.oauth import commands as oauth
        from bot.sweep import Sweeper

        client = None if args.dry_run else make_client(config, retry_connection_errors=False)
        if config.oauth and not args.dry_run:
            client = oauth.sweep_workspaces(config, oauth.start(config, db))
        report = Sweeper(db, client, workers=config.sweep_workers).run(now, dry_run=args.dry_run)
        # None on a dry run (no client); the workspaces side by side, as many at once as the sweep.
        digests = send_due_digests(db, client, now, workers=config.sweep_workers)
    finally:
        db.dispose()
    for line in report.previews:
        print(f"  {line}")
    if digests.sent or digests.paused or digests.retrying:
        print(f"  {digests.summary()}")
    print(report.summary())
    return 0


def start_scheduler(
    sweeper: Sweeper, seconds: int, clock: Callable[[], datetime] | None = None
) -> BackgroundScheduler:
    """Run the sweep every ``seconds`` in this process, as of ``clock()`` (default: the real now; the
    demo has its own). Each process has its own scheduler and job store; several processes may sweep
    one database: the nudge log's row claims keep DMs unique."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from bot.shutdown import SweepJob

    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        SweepJob(sweeper, clock),
        IntervalTrigger(seconds=seconds),
        id="sweep",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=seconds,
        next_run_time=datetime.now(UTC),
    )
    scheduler.start()
    return scheduler


def cmd_doctor(_args: argparse.Namespace) -> int:
    from bot.doctor import run

    return run(os.environ)


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo.serve import run

    return run(port=args.port, browser=not args.no_browser, seed=args.seed, db=args.db)


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535 (got '{text[:20]}')")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="infoint", description="infoint: the informational-interview method, in Slack."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the bot (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT)")
    run.set_defaults(func=cmd_run)
    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply the database migrations")
    upgrade.set_defaults(func=cmd_db_upgrade)
    doctor = sub.add_parser(
        "doctor", help="check the configuration, the database, its migrations, Slack and the scopes"
    )
    doctor.set_defaults(func=cmd_doctor)
    reseal = db_sub.add_parser(
        "reseal", help="seal every stored token again with the first key of INFOINT_ENCRYPTION_KEY"
    )
    reseal.set_defaults(func=cmd_db_reseal)
    sweep = sub.add_parser("sweep", help="one pass of the nudge sweep: log what is due and DM it")
    sweep.add_argument("--at", metavar="ISO-8601", help="sweep as of this instant (default: now)")
    sweep.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send and save nothing"
    )
    sweep.set_defaults(func=cmd_sweep)
    demo = sub.add_parser(
        "demo", help="try it without Slack: the real app and a local Slack in the browser (no tokens)"
    )
    demo.add_argument("--port", type=_port, default=3000, help="the page's port on 127.0.0.1 (default 3000)")
    demo.add_argument("--no-browser", action="store_true", help="don't open the browser")
    demo.add_argument("--seed", action="store_true", help="start with an example journey")
    demo.add_argument(
        "--db", metavar="PATH", help="keep the demo's SQLite database here (default: a temporary file)"
    )
    demo.set_defaults(func=cmd_demo)
    add_datarights_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    load_dotenv_file()
    try:
        configure_logging(os.environ)  # INFOINT_LOG_FORMAT: text (the default) or json
        return int(args.func(args))
    except ConfigError as problem:
        return _fail(str(problem))
    except SQLAlchemyError as problem:
        reason = str(problem.__cause__ or problem).splitlines()[0]
        return _fail(f"the database at DATABASE_URL could not be used: {reason}", code=1)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
