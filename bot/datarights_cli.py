"""``infoint export`` and ``infoint forget``: an admin answering a person's data request, or clearing a
workspace after an uninstall. The work is the same as ``/infoint export`` and ``/infoint forget-me``
(:mod:`bot.queries.datarights`, :mod:`bot.services.datarights`); this module is the command line's
wording, its confirmation, and its argparse wiring (added to ``infoint``'s by :func:`add_commands`)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.blocks.datarights import erasure_lines
from bot.config import ConfigError, load_config
from bot.services import Services

#: Slack's ids: a workspace (T…, or E… for an Enterprise Grid org) and a user (U… or W…).
SLACK_ID = re.compile(r"[A-Z0-9]{2,32}", re.ASCII)


def _slack_id(text: str) -> str:
    if not SLACK_ID.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"a Slack id is capital letters and digits, such as T0123ABCD (got '{text[:40]}')"
        )
    return text


def _services() -> Services:
    from bot.cli import _open_database

    return Services(_open_database(load_config(need_slack=False), migrate_sqlite=True))


def _plain(line: str) -> str:
    return _printable(line.replace("• ", "  "))


def _printable(text: str) -> str:
    """Text a user typed (a cohort's name), safe on an admin's terminal: no control characters."""
    return "".join(c if c.isprintable() else "?" for c in text)


def cmd_export(args: argparse.Namespace) -> int:
    services = _services()
    try:
        file = services.queries.datarights.export(args.team, args.user)
    finally:
        services.db.dispose()
    out = Path(
        args.out or f"infoint-{args.team}-{args.user}-{file.filename.removeprefix('infoint-my-data-')}"
    )
    try:
        out.write_bytes(file.content)
    except OSError as error:
        raise ConfigError(f"could not write {out} ({error.strerror})") from None
    rows = ", ".join(f"{len(t.rows)} {t.name}" for t in file.tables if t.rows) or "no records"
    print(f"infoint: wrote {out} for {args.user} in {args.team} ({rows})")
    return 0


def _confirm(args: argparse.Namespace, question: str, ask: Callable[[str], str]) -> bool:
    """``--yes``, or a "yes" typed at a terminal; never a guess in a run nobody watches."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise ConfigError("nothing deleted: add --yes to confirm (no terminal to ask at).")
    return ask(f"{question} Type 'yes' to delete: ").strip().lower() == "yes"


def cmd_forget(args: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    services = _services()
    try:
        if args.user:
            return _forget_user(services, args, ask)
        return _forget_workspace(services, args, ask)
    finally:
        services.db.dispose()


def _forget_user(services: Services, args: argparse.Namespace, ask: Callable[[str], str]) -> int:
    preview = services.queries.datarights.forget_preview(args.team, args.user)
    if not preview.rows:
        print(f"infoint: nothing to delete: no records of {args.user} in {args.team}")
        return 0
    print(f"infoint: {args.user} in {args.team} has:")
    for line in erasure_lines(preview):
        print(_plain(line))
    for name in preview.closing:
        print(f"  the cohort '{_printable(name)}' closes: they are its only mentor")
    if not _confirm(args, f"Delete all of it for {args.user}?", ask):
        print("infoint: nothing deleted")
        return 1
    erasure = services.datarights.forget_user(args.team, args.user).erasure
    print(f"infoint: deleted {erasure.rows} rows of {args.user} in {args.team}:")
    for line in erasure_lines(erasure):
        print(_plain(line))
    for name in erasure.closing:
        print(f"  closed the cohort '{_printable(name)}' (they were its only mentor)")
    return 0


def _forget_workspace(services: Services, args: argparse.Namespace, ask: Callable[[str], str]) -> int:
    if not _confirm(args, f"Delete every record of the workspace {args.team}, for everyone?", ask):
        print("infoint: nothing deleted")
        return 1
    deleted = services.datarights.forget_workspace(args.team)
    if not deleted:
        print(f"infoint: nothing to delete: no records of the workspace {args.team}")
        return 0
    print(f"infoint: deleted {sum(deleted.values())} rows of the workspace {args.team}:")
    for table, count in deleted.items():
        print(f"  {table}: {count}")
    return 0


def add_commands(sub: Any) -> None:
    """``export`` and ``forget`` on ``infoint``'s subcommand parser."""
    export = sub.add_parser("export", help="write one user's records as a ZIP of CSV files")
    export.add_argument("--team", required=True, type=_slack_id, help="the workspace's id (T…)")
    export.add_argument("--user", required=True, type=_slack_id, help="the user's Slack id (U…)")
    export.add_argument(
        "--out", metavar="FILE.zip", help="where to write it (default: a name in this directory)"
    )
    export.set_defaults(func=cmd_export)
    forget = sub.add_parser(
        "forget", help="delete one user's records in a workspace (--user), or the whole workspace's"
    )
    forget.add_argument("--team", required=True, type=_slack_id, help="the workspace's id (T…)")
    forget.add_argument("--user", type=_slack_id, help="only this user (default: everyone in the workspace)")
    forget.add_argument("--yes", action="store_true", help="don't ask (needed when no terminal can ask)")
    forget.set_defaults(func=cmd_forget)
