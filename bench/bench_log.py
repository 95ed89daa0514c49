#!/usr/bin/env python
"""The work after a log form is acknowledged: CPU time and SQL statements per logged contact.

Calls ``handlers.contacts.log_contact`` directly (the form already checked, as ``FORMS_CHECKED_FIRST``
leaves it) for a student with ``--contacts`` contacts (targets, requests sent, interviews booked),
from the App Home, so the work is what follows the ack: the contact saved, its card offered, the App
Home read, rendered and published. Slack's Web API is a stub that records the calls (no HTTP), so the
time measured is the app's own. Measured: CPU time (``time.process_time``) per form, median over
``--runs`` forms after a warm-up, and the SQL statements each form sends; ``--profile`` prints a
cProfile of the runs.

    python bench/bench_log.py --url postgresql://postgres@127.0.0.1:5432/test
    python bench/bench_log.py --url sqlite    # a file in a temp dir, deleted at the end

PostgreSQL runs use a schema of their own, dropped at the end unless ``--keep``. A SQLite URL naming
a file must name a new one (the seed would add to what is there).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from seed import pg_create_schema, pg_drop_schema  # noqa: E402
from slack_bolt import BoltContext  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bot.domain.forms import ContactInput, Standing  # noqa: E402
from bot.domain.pipeline import Degree, OutreachChannel  # noqa: E402
from bot.services import Services  # noqa: E402
from handlers import effects  # noqa: E402
from handlers.contacts import log_contact  # noqa: E402
from handlers.context import CHECKED_FIRST, SERVICES, TEAM_ID, USER_ID  # noqa: E402
from handlers.origins import FormMetadata  # noqa: E402
from storage.db import Database  # noqa: E402

TEAM, USER = "T0BENCH", "U0BENCH"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


class StubClient:
    """The Web API calls the listener makes, recorded and answered without HTTP."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def views_publish(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append("views.publish")
        return {"ok": True}

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:  # noqa: N802 - slack_sdk's name
        self.calls.append("chat.postMessage")
        return {"ok": True, "channel": "D0BENCH", "ts": "1.0"}

    def users_info(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append("users.info")
        return {"ok": True, "user": {"tz": "Europe/Paris"}}


def schema_url(url: str, workdir: str) -> tuple[str, str | None]:
    """The URL to run against, and the PostgreSQL schema made for the run."""
    if url == "sqlite":
        return f"sqlite:///{workdir}/bench-log.db", None
    if not url.startswith("postgres"):
        path = url.removeprefix("sqlite:///")
        if path != url and Path(path).exists():
            sys.exit(f"{path} exists: name a new file, or --url sqlite for a temporary one")
        return url, None
    schema = f"bench_log_{uuid.uuid4().hex[:8]}"
    return pg_create_schema(url, schema), schema


def seed(services: Services, contacts: int) -> None:
    services.users.remember_user(TEAM, USER, timezone="Europe/Paris", dm_channel="D0BENCH")
    for n in range(contacts):
        standing = (Standing.TARGET, Standing.REQUEST_SENT, Standing.INTERVIEW_SCHEDULED)[n % 3]
        services.contacts.log_contact(
            TEAM,
            USER,
            ContactInput(
                name=f"Person {n}",
                degree=Degree.FIRST if n % 4 else Degree.SECOND,
                company=f"Company {n % 7}",
                role="Engineer",
                introducer="Someone" if n % 4 == 0 else "",
                standing=standing,
                request_channel=OutreachChannel.EMAIL if standing is Standing.REQUEST_SENT else None,
                interview_at=NOW + timedelta(days=1 + n % 9, hours=n % 5)
                if standing is Standing.INTERVIEW_SCHEDULED
                else None,
            ),
        )


def one_form(services: Services, client: StubClient, n: int) -> None:
    context = BoltContext()
    context[SERVICES] = services
    context[TEAM_ID] = TEAM
    context[USER_ID] = USER
    metadata = FormMetadata(place=effects.HOME_PLACE)
    context[CHECKED_FIRST] = (metadata, ContactInput(name=f"New {n}", degree=Degree.FIRST, company="Acme"))
    log_contact(lambda *a, **k: None, {}, client, context)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--contacts", type=int, default=40)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--sql", action="store_true", help="print the statements of the last form")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="bench-log-")
    url, schema = schema_url(args.url, workdir.name)
    db = Database(url)
    db.upgrade()
    services = Services(db, clock=lambda: NOW)
    statements = [0]
    sent: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements[0] += 1
        sent.append(" ".join(statement.split())[:160])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        seed(services, args.contacts)
        client = StubClient()
        for n in range(5):  # warm-up
            one_form(services, client, n)
        cpu: list[float] = []
        sql: list[int] = []
        profiler = cProfile.Profile() if args.profile else None
        for n in range(args.runs):
            client.calls.clear()
            statements[0] = 0
            sent.clear()
            if profiler:
                profiler.enable()
            start = time.process_time()
            one_form(services, client, 100 + n)
            cpu.append((time.process_time() - start) * 1000)
            if profiler:
                profiler.disable()
            sql.append(statements[0])
        print(
            f"{db.dialect}, {args.contacts}+ contacts, {args.runs} forms: CPU per form median "
            f"{statistics.median(cpu):.1f} ms (min {min(cpu):.1f}); SQL statements per form "
            f"{statistics.median(sql):.0f}; Slack calls per form: {', '.join(client.calls)}"
        )
        if args.sql:
            print("\n".join(sent))
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    finally:
        db.dispose()
        workdir.cleanup()
        if schema and not args.keep:
            pg_drop_schema(args.url, schema)


if __name__ == "__main__":
    main()
