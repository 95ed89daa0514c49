"""A process that sweeps like `infoint run`'s scheduler, over several workspaces each with its own
bot token: ``passes`` sweeps (reminders, then the weekly digests), every ``step`` minutes of the
sweep's clock from ``--start``, ``pause`` real seconds apart (so that two of them keep roughly in
step: their clocks must agree within the lease, as the README says). The multi-process test starts
two of these side by side on one PostgreSQL database (the command line has no installations to read
yet: a workspace per token here is what an installation store gives the sweep)."""

from __future__ import annotations

import argparse
import logging
import time
from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.digests import send_due_digests
from bot.sweep import Sweeper
from bot.workspaces import Workspace
from storage.db import Database


class Listed:
    def __init__(self, workspaces: list[Workspace]) -> None:
        self.workspaces = workspaces

    def active(self) -> list[Workspace]:
        return list(self.workspaces)


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--team", action="append", default=[], metavar="TEAM=TOKEN")
    parser.add_argument("--start", required=True)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--step", type=float, default=1.0, help="minutes of the sweep's clock per pass")
    parser.add_argument("--pause", type=float, default=1.0, help="real seconds between passes")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    workspaces = Listed(
        [
            Workspace(team, WebClient(token=token, base_url=args.api, timeout=2))
            for team, token in (item.split("=", 1) for item in args.team)
        ]
    )
    db = Database(args.db)
    start = datetime.fromisoformat(args.start)
    sweeper = Sweeper(db, workspaces, workers=args.workers)
    try:
        for n in range(args.passes):
            now = start + timedelta(minutes=args.step * n)
            report = sweeper.run(now)
            digests = send_due_digests(db, workspaces, now)
            print(f"pass {n}: {report.summary()}; {digests.summary()}", flush=True)
            time.sleep(args.pause)
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
