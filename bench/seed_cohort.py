#!/usr/bin/env python
"""Build a realistic cohort for the benchmarks: by default 500 students with about 40 contacts each,
twelve weeks into the cohort, in a workspace of its own (optionally on top of ``seed.py``'s 1×
database, so the tables hold other workspaces' rows too).

As of ``now`` (``seed.NOW``, Wednesday 2026-11-25 12:00 UTC), each student:

* joined in the cohort's first week; 85 % active, 8 % paused, 7 % placed (half of them agreed to be
  celebrated); 20 % share stages;
* has 20–60 contacts added over the weeks since, in a funnel like ``seed.py``'s (targets 30 %,
  requested 30 %, agreed 4 %, scheduled 5 %, interviewed 15 %, declined 6 %, no response 10 %),
  with 1–3 outreach attempts a week apart, a scheduled or done interview where the stage says so,
  thank-yous (80 % sent, most within 48 h), referrals from a third of the interviewed contacts;
* 15 % have been quiet for three weeks or more;
* the nudge log holds what the sweep would have logged: follow-ups sent (some still open, some
  snoozed), referral reminders resolved for half the interviews.

Plus mentors, their notes, the view log and the weekly digests already sent. Rows go in with
SQLAlchemy Core ``executemany`` after ``Database(url).upgrade()``.

    python bench/seed_cohort.py --url postgresql://postgres@127.0.0.1:5432/test --schema bench_cohort --keep
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for entry in (str(ROOT), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from seed import DEFAULT_PG_URL, NOW, Spec, pg_create_schema, pg_drop_schema, seed  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bot.domain.cohort_digest import DigestSchedule, digest_slot  # noqa: E402
from bot.domain.window import week_start, zone  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import (  # noqa: E402
    Cohort,
    CohortDigest,
    CohortMember,
    CohortMentor,
    CohortNote,
    CohortView,
    Contact,
    Interview,
    Nudge,
    OutreachAttempt,
    User,
    Workspace,
)

TEAM = "TCOHORT"
TIMEZONES = (None, "Europe/Paris", "Europe/London", "America/New_York", "Asia/Kolkata")
STAGES = {
    "target": 0.30,
    "requested": 0.30,
    "agreed": 0.04,
    "scheduled": 0.05,
    "interviewed": 0.15,
    "declined": 0.06,
    "no_response": 0.10,
}
DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)


@dataclass
class CohortSpec:
    students: int = 500
    contacts: int = 40
    """Contacts per student on average (each gets 20 to 60 around it, scaled)."""
    weeks: int = 12
    mentors: int = 2
    seed: int = 7
    now: datetime = NOW
    timezone: str = "Europe/Paris"


@dataclass
class CohortSeeded:
    team_id: str
    cohort_id: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


class _Ids:
    def __init__(self, start: int) -> None:
        self.next = start

    def take(self) -> int:
        self.next += 1
        return self.next


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = max((end - start).total_seconds(), 1.0)
    return start + timedelta(seconds=rng.uniform(0, span))


def seed_cohort(db: Database, spec: CohortSpec) -> CohortSeeded:
    """Add one cohort and its students' histories to a migrated database."""
    started = time.perf_counter()
    rng = random.Random(spec.seed)
    now = spec.now
    opened = now - spec.weeks * WEEK
    rows: dict[type[Any], list[dict[str, Any]]] = {
        model: []
        for model in (
            Workspace, User, Cohort, CohortMentor, CohortMember, Contact, OutreachAttempt, Interview,
            Nudge, CohortNote, CohortView, CohortDigest,
        )
    }  # fmt: skip
    with db.engine.connect() as conn:
        ids = {
            model: _Ids(conn.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one())
            for model in (User, Contact, OutreachAttempt, Interview, Nudge)
        }
    rows[Workspace].append({"team_id": TEAM, "name": "Cohort benchmark", "created_at": opened})

    def user(slack: str, tz: str | None, unreachable: bool = False) -> int:
        uid = ids[User].take()
        rows[User].append(
            {
                "id": uid, "team_id": TEAM, "slack_user_id": slack, "timezone": tz, "preferences": {},
                "unreachable_since": now - 3 * DAY if unreachable else None,
                "unreachable_reason": "user_disabled" if unreachable else None,
                "next_check_at": now + 5 * DAY, "created_at": opened - 30 * DAY,
            }
        )  # fmt: skip
        return uid

    mentors = [user(f"UMENTOR{n:02d}", spec.timezone) for n in range(spec.mentors)]
    schedule = DigestSchedule(timezone=spec.timezone)
    rows[Cohort].append(
        {
            "id": 1, "team_id": TEAM, "channel_id": "CCOHORT", "name": "Autumn cohort", "created_by_id": mentors[0],
            "status": "active", "status_changed_at": opened, "digest_weekday": 0, "digest_time": "09:00",
            "digest_timezone": spec.timezone, "next_digest_at": digest_slot(week_start(now, zone(spec.timezone))
            + WEEK, schedule).due_at, "target_requests": 3, "target_conversations": 1, "created_at": opened,
        }
    )  # fmt: skip
    for n, mentor in enumerate(mentors):
        rows[CohortMentor].append(
            {"team_id": TEAM, "cohort_id": 1, "user_id": mentor, "added_at": opened + n * DAY}
        )
    first_week = week_start(opened, zone(spec.timezone))
    for weeks in range(1, spec.weeks):
        slot = digest_slot(first_week + WEEK * weeks, schedule)
        if slot.due_at < now:
            rows[CohortDigest].append(
                {
                    "team_id": TEAM, "cohort_id": 1, "week": slot.week, "due_at": slot.due_at, "status": "sent",
                    "delivery_attempts": 1, "sent_at": slot.due_at, "channel": "CCOHORT",
                    "message_ts": f"{slot.due_at.timestamp():.6f}", "totals": {"requests": 0}, "created_at": slot.due_at,
                }
            )  # fmt: skip

    for s in range(spec.students):
        tz = TIMEZONES[s % len(TIMEZONES)]
        student = user(f"USTUDENT{s:04d}", tz, unreachable=rng.random() < 0.01)
        joined = _between(rng, opened, opened + 6 * DAY)
        roll = rng.random()
        state = "active" if roll < 0.85 else "paused" if roll < 0.93 else "placed"
        quiet_since = now - rng.uniform(21, 50) * DAY if rng.random() < 0.15 else now - DAY
        member: dict[str, Any] = {
            "team_id": TEAM, "cohort_id": 1, "user_id": student, "state": state, "state_changed_at": joined,
            "sharing": "stages" if rng.random() < 0.2 else "counts", "celebrate": rng.random() < 0.5,
            "joined_at": joined, "placed_what": None, "placed_on": None,
        }  # fmt: skip
        if state == "placed":
            placed_on: date = _between(rng, now - 8 * WEEK, now - DAY).date()
            member.update(placed_what="Junior analyst at Globex", placed_on=placed_on)
        rows[CohortMember].append(member)
        scale = spec.contacts / 40
        for _ in range(max(1, round(rng.randint(20, 60) * scale))):
            _contact(rng, rows, ids, student, joined, min(quiet_since, now - DAY), now)
        if rng.random() < 0.1:
            rows[CohortNote].append(
                {"team_id": TEAM, "cohort_id": 1, "student_id": student, "author_id": mentors[0],
                 "body": "Exams until the 20th: lighter weeks.", "created_at": _between(rng, joined, now)}
            )  # fmt: skip
    for week in range(spec.weeks):
        for mentor in mentors:
            rows[CohortView].append(
                {"team_id": TEAM, "cohort_id": 1, "viewer_id": mentor, "viewer_slack_id": "UMENTOR",
                 "student_id": None, "what": "report", "viewed_at": opened + week * WEEK + 2 * DAY}
            )  # fmt: skip

    with db.engine.begin() as conn:
        for model, batch in rows.items():
            keys = {key for row in batch for key in row}
            batch = [dict.fromkeys(keys) | row for row in batch]  # one shape per executemany
            for start in range(0, len(batch), 5_000):
                conn.execute(insert(model), batch[start : start + 5_000])
        if db.dialect == "postgresql":
            for model in (User, Cohort, Contact, OutreachAttempt, Interview, Nudge):
                table = model.__tablename__
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
    if db.dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for model in rows:
                conn.exec_driver_sql(f"VACUUM (ANALYZE) {model.__tablename__}")
    return CohortSeeded(
        TEAM, 1, time.perf_counter() - started, {m.__tablename__: len(batch) for m, batch in rows.items()}
    )


def _contact(
    rng: random.Random,
    rows: dict[type[Any], list[dict[str, Any]]],
    ids: dict[type[Any], _Ids],
    owner: int,
    joined: datetime,
    active_until: datetime,
    now: datetime,
    introducer: int | None = None,
    created: datetime | None = None,
) -> None:
    """One contact with its attempts, interview and logged nudges (and the referrals it gave)."""
    stage = rng.choices(list(STAGES), weights=list(STAGES.values()))[0] if introducer is None else "target"
    created = created or _between(rng, joined, active_until)
    if stage == "no_response":  # three tries a week apart, all before now
        created = max(joined, min(created, now - 23 * DAY))
    cid = ids[Contact].take()
    contact: dict[str, Any] = {
        "id": cid, "team_id": TEAM, "owner_id": owner, "name": "Contact", "company": "Acme", "role": "",
        "industry": "Technology", "location": "", "email": "", "linkedin_url": "", "phone": "",
        "degree": "second" if introducer else "first", "introducer_name": "", "introducer_contact_id": introducer,
        "source": "referral" if introducer else "alumni", "learning_goal": "", "stage": stage,
        "stage_changed_at": created, "version": 1, "next_check_at": None, "created_at": created,
        "updated_at": created,
    }  # fmt: skip
    rows[Contact].append(contact)  # before any referral it gives: they point at it

    def attempt(sent: datetime, outcome: str = "pending", replied: datetime | None = None) -> None:
        rows[OutreachAttempt].append(
            {"id": ids[OutreachAttempt].take(), "team_id": TEAM, "contact_id": cid, "number": next(numbers),
             "channel": "email", "sent_at": sent, "outcome": outcome, "outcome_at": replied}
        )  # fmt: skip
        contact["updated_at"] = max(contact["updated_at"], replied or sent)

    numbers = iter(range(1, 10))
    first = min(created + rng.uniform(0, 3) * DAY, now - DAY)
    if stage == "requested":
        sent = [first + n * WEEK for n in range(rng.choice((1, 1, 1, 2, 3))) if first + n * WEEK < now]
        later = rng.random() < 0.1
        for n, at in enumerate(sent):
            last = n == len(sent) - 1
            attempt(
                at,
                "later" if later and last else "pending",
                min(at + 2 * DAY, now) if later and last else None,
            )
        if not later and sent[-1] + WEEK < now:
            status = rng.choices(("sent", "resolved", "pending"), weights=(0.3, 0.6, 0.1))[0]
            due = sent[-1] + WEEK
            rows[Nudge].append(
                {"id": ids[Nudge].take(), "team_id": TEAM, "user_id": owner, "contact_id": cid, "kind": "follow_up",
                 "key": f"follow_up:{cid}:{len(sent)}", "due_at": due if status != "pending" else now + 2 * DAY,
                 "status": status, "sent_at": due if status != "pending" else None,
                 "resolution": {"sent": None, "resolved": "done", "pending": "snoozed"}[status],
                 "created_at": due, "step": 1, "delivery_attempts": 1}
            )  # fmt: skip
    elif stage in ("agreed", "scheduled", "interviewed", "declined"):
        replied = min(first + rng.uniform(1, 5) * DAY, now - DAY / 2)
        attempt(first, "no" if stage == "declined" else "yes", replied)
        contact["stage_changed_at"] = replied
        if stage in ("scheduled", "interviewed"):
            finished = _interview(rng, rows, ids, owner, cid, replied, now, stage == "interviewed")
            if finished is not None:
                contact["updated_at"] = contact["stage_changed_at"] = finished
                if rng.random() < 0.33:
                    for _ in range(rng.choice((1, 2))):
                        _contact(rng, rows, ids, owner, joined, active_until, now, cid, finished)
    elif stage == "no_response":
        for n in range(3):
            sent_at = first + n * WEEK
            attempt(sent_at, "no_response", sent_at + WEEK if n == 2 else None)
        contact["stage_changed_at"] = first + 3 * WEEK


def _interview(
    rng: random.Random,
    rows: dict[type[Any], list[dict[str, Any]]],
    ids: dict[type[Any], _Ids],
    owner: int,
    contact: int,
    agreed: datetime,
    now: datetime,
    done: bool,
) -> datetime | None:
    """A scheduled interview ahead, or one done (with its thank-you); returns when a done one ended."""
    starts = min(agreed + rng.uniform(2, 8) * DAY, now - DAY) if done else now + rng.uniform(1, 10) * DAY
    iid = ids[Interview].take()
    thanked = None
    if done and rng.random() < 0.8:
        thanked = min(starts + rng.choice((4, 20, 30, 60, 90)) * timedelta(hours=1), now)
    rows[Interview].append(
        {"id": iid, "team_id": TEAM, "contact_id": contact, "starts_at": starts, "duration_minutes": 30,
         "format": "video", "place": "", "status": "done" if done else "scheduled",
         "done_at": starts + timedelta(minutes=45) if done else None, "thank_you_at": thanked, "questions": [],
         "created_at": agreed}
    )  # fmt: skip
    if done and rng.random() < 0.5:
        rows[Nudge].append(
            {"id": ids[Nudge].take(), "team_id": TEAM, "user_id": owner, "contact_id": contact, "interview_id": iid,
             "kind": "referrals", "key": f"referrals:{iid}", "due_at": starts, "status": "resolved",
             "resolution": "done", "resolved_at": starts + DAY, "created_at": starts, "step": 1,
             "delivery_attempts": 1}
        )  # fmt: skip
    return starts + timedelta(minutes=45) if done else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_PG_URL)
    parser.add_argument("--schema", default="bench_cohort", help="PostgreSQL schema (recreated)")
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--contacts", type=int, default=40)
    parser.add_argument("--background", action="store_true", help="seed.py's 1× data first (~25 s)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = pg_create_schema(args.url, args.schema) if args.url.startswith("postgres") else args.url
    db = Database(url)
    try:
        if args.background:
            seed(url, Spec())
        else:
            db.upgrade()
        seeded = seed_cohort(db, CohortSpec(students=args.students, contacts=args.contacts))
        print(f"cohort {seeded.cohort_id} of {seeded.team_id} in {seeded.seconds:.1f} s: {seeded.counts}")
    finally:
        db.dispose()
        if args.url.startswith("postgres") and not args.keep:
            pg_drop_schema(args.url, args.schema)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
