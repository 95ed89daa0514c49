"""A student's data rights, as plain values: what a copy of their records holds (tables, made into a
ZIP of CSV files) and what forgetting them deletes (counts by kind, in the product's words).

The CSV cells go through :func:`bot.domain.cohorts.csv_text` (the one formula-injection guard); dates
are ISO 8601, instants in UTC. No database, no Slack, no clock: the caller says when.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.domain.cohorts import Cell, csv_text


def iso(value: datetime | date | None) -> str:
    """An instant or a day in ISO 8601 ("" for none); instants as stored, in UTC."""
    return "" if value is None else value.isoformat()


@dataclass(frozen=True)
class Table:
    """One CSV file of the export: its name (without ``.csv``), what it is, its header and rows."""

    name: str
    about: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[Cell]] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def csv(self) -> bytes:
        return csv_text(self.header, self.rows).encode("utf-8")


def readme(tables: Sequence[Table], made_at: datetime) -> str:
    lines = [
        "Your records in infoint, one CSV file per kind (UTF-8, a header row, comma-separated).",
        f"Made {iso(made_at)}. Instants are in UTC (ISO 8601); ids link the files together.",
        "A cell that a spreadsheet would read as a formula starts with an apostrophe.",
        "",
    ]
    lines += [f"{t.filename}: {t.about} ({len(t.rows)} rows)" for t in tables]
    return "\n".join(lines) + "\n"


def export_zip(tables: Sequence[Table], made_at: datetime) -> bytes:
    """The tables as one ZIP: ``README.txt`` and one CSV per table, stamped ``made_at``."""
    stamp = made_at.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [("README.txt", readme(tables, made_at).encode("utf-8"))]
        entries += [(t.filename, t.csv()) for t in tables]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def export_filename(made_at: datetime) -> str:
    return f"infoint-my-data-{made_at:%Y-%m-%d}.zip"


# Forgetting ------------------------------------------------------------------------------------------


class Kind(StrEnum):
    """What forgetting a user deletes, in the order it is told."""

    CONTACTS = "contacts"
    REFERRALS = "referrals"  # contacts who came through another of the user's contacts (part of CONTACTS)
    ATTEMPTS = "attempts"
    INTERVIEWS = "interviews"
    QUESTIONS = "questions"  # prepared for interviews (kept with them)
    NOTES = "notes"
    REMINDERS = "reminders"
    MEMBERSHIPS = "memberships"
    MENTOR_ROLES = "mentor_roles"
    SHARES = "shares"
    MENTOR_NOTES = "mentor_notes"
    LOOKS = "looks"
    MENTOR_NUDGES = "mentor_nudges"
    PROFILE = "profile"


#: Kinds counted inside another kind's rows (not rows of their own).
WITHIN = {Kind.REFERRALS: Kind.CONTACTS, Kind.QUESTIONS: Kind.INTERVIEWS}


@dataclass(frozen=True)
class CohortFate:
    """A cohort the user mentors: ``closes`` when they are its only mentor."""

    cohort_id: int
    name: str
    closes: bool


@dataclass(frozen=True)
class Erasure:
    """What forgetting one user deletes (before), or deleted (after): counts by kind, and what
    happens to the cohorts they mentor."""

    counts: dict[Kind, int] = field(default_factory=dict)
    cohorts: tuple[CohortFate, ...] = ()

    def count(self, kind: Kind) -> int:
        return self.counts.get(kind, 0)

    @property
    def rows(self) -> int:
        """Rows in all (the kinds counted inside others' rows aside)."""
        return sum(n for kind, n in self.counts.items() if kind not in WITHIN)

    @property
    def closing(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.cohorts if c.closes)

    @property
    def closed_ids(self) -> tuple[int, ...]:
        return tuple(c.cohort_id for c in self.cohorts if c.closes)

    @property
    def staying(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.cohorts if not c.closes)
