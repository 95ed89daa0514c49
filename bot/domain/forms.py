"""Checking what a student typed. Pure: raw strings in, a clean value or per-field errors out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from bot.domain.pipeline import Degree, InterviewFormat, OutreachChannel, Source

# Longest value kept per field, in characters (after cleaning).
LIMITS: dict[str, int] = {
    "name": 100,
    "company": 100,
    "role": 100,
    "industry": 80,
    "location": 100,
    "email": 254,
    "linkedin_url": 300,
    "phone": 40,
    "introducer": 100,
    "learning_goal": 500,
    "place": 300,
}

# Invisible characters that can disguise text: bidi overrides and isolates, zero-width space, BOM.
_HIDDEN = dict.fromkeys(
    [0x200B, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF]
)
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d{1,5})?(?:[/?#][^\s<>\"]*)?$")
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{5,}(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Normalise what a user typed: NFC, no control or hidden characters, no lone surrogates (JSON can
    carry them, UTF-8 and so the database can't), trimmed.

    Single-line values have runs of white space folded to one space; multi-line ones keep newlines
    (at most two in a row).
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value).translate(_HIDDEN)
    kept = []
    for ch in text:
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"):
            kept.append(ch)
    text = "".join(kept)
    if multiline:
        lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
        return text.strip()
    return " ".join(text.split())


class Standing(StrEnum):
    """Where things stand when a contact is logged."""

    TARGET = "target"
    REQUEST_SENT = "request_sent"
    INTERVIEW_SCHEDULED = "interview_scheduled"

    @property
    def label(self) -> str:
        return {
            "target": "A target for now",
            "request_sent": "Request sent today",
            "interview_scheduled": "Interview scheduled",
        }[self.value]


@dataclass(frozen=True)
class ContactInput:
    name: str
    degree: Degree
    company: str = ""
    role: str = ""
    industry: str = ""
    location: str = ""
    email: str = ""
    linkedin_url: str = ""
    phone: str = ""
    introducer: str = ""
    source: Source = Source.OTHER
    learning_goal: str = ""
    standing: Standing = Standing.TARGET
    request_channel: OutreachChannel | None = None
    interview_at: datetime | None = None


@dataclass(frozen=True)
class InterviewInput:
    starts_at: datetime
    duration_minutes: int
    format: InterviewFormat
    place: str = ""


Errors = dict[str, str]
E = TypeVar("E", bound=StrEnum)

MAX_AHEAD = timedelta(days=366)
# 15–30 minutes is the method; longer is allowed (they may offer) with a gentle warning.
DURATIONS = (15, 20, 30, 45, 60)


def _too_long(field: str, value: str) -> str | None:
    limit = LIMITS[field]
    if len(value) > limit:
        return f"Keep it under {limit} characters (this is {len(value)})."
    return None


def _enum(kind: type[E], raw: str | None, default: E | None = None) -> E | None:
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        return None


def check_meeting_time(raw_epoch: str | None, now: datetime) -> tuple[datetime | None, str | None]:
    """A date-time picked in Slack (epoch seconds) that must lie ahead, within a year."""
    if not raw_epoch:
        return None, "Pick the date and time of the interview."
    try:
        when = datetime.fromtimestamp(int(raw_epoch), tz=now.tzinfo)
    except (ValueError, OverflowError, OSError):
        return None, "That date isn't one I can read."
    if when < now - timedelta(minutes=5):
        return None, "That time has already passed. Pick a time ahead."
    if when > now + MAX_AHEAD:
        return None, "That's more than a year ahead. Pick a nearer date."
    return when, None


def validate_contact(raw: Mapping[str, str | None], now: datetime) -> ContactInput | Errors:
    """Check the 'log a contact' form. Returns the clean input, or a message per faulty field."""
    errors: Errors = {}
    values = {
        f: clean_text(raw.get(f), multiline=(f == "learning_goal")) for f in LIMITS if f not in ("place",)
    }
    for f, v in values.items():
        problem = _too_long(f, v)
        if problem:
            errors[f] = problem

    if not values["name"]:
        errors["name"] = "Give the contact's name."
    degree = _enum(Degree, raw.get("degree"))
    if degree is None:
        errors["degree"] = "Choose how you know them: 1st degree, 2nd degree or cold."
    if degree is Degree.SECOND and not values["introducer"]:
        errors["introducer"] = "A 2nd-degree contact comes through someone: who will introduce you?"
    if values["email"] and "email" not in errors and not _EMAIL.match(values["email"]):
        errors["email"] = "That doesn't look like an email address (name@example.org)."
    if values["linkedin_url"] and "linkedin_url" not in errors and not _URL.match(values["linkedin_url"]):
        errors["linkedin_url"] = "Paste a full web address starting with https://"
    if values["phone"] and "phone" not in errors and not _PHONE.match(values["phone"]):
        errors["phone"] = "Use digits, spaces and + ( ) - only, e.g. +1 415 555 0100."

    source = _enum(Source, raw.get("source"), Source.OTHER)
    if source is None:
        errors["source"] = "Choose where this contact came from."
    standing = _enum(Standing, raw.get("standing"), Standing.TARGET)
    if standing is None:
        errors["standing"] = "Choose where things stand."
    channel = _enum(OutreachChannel, raw.get("request_channel"))
    if raw.get("request_channel") and channel is None:
        errors["request_channel"] = "Choose how the request went out."

    interview_at = None
    if standing is Standing.INTERVIEW_SCHEDULED:
        interview_at, problem = check_meeting_time(raw.get("interview_at"), now)
        if problem:
            errors["interview_at"] = problem

    if errors:
        return errors
    assert degree is not None and source is not None and standing is not None
    if standing is Standing.REQUEST_SENT and channel is None:
        channel = OutreachChannel.INTRODUCTION if degree is Degree.SECOND else OutreachChannel.EMAIL
    return ContactInput(
        name=values["name"],
        degree=degree,
        company=values["company"],
        role=values["role"],
        industry=values["industry"],
        location=values["location"],
        email=values["email"],
        linkedin_url=values["linkedin_url"],
        phone=values["phone"],
        introducer=values["introducer"] if degree is Degree.SECOND else "",
        source=source,
        learning_goal=values["learning_goal"],
        standing=standing,
        request_channel=channel if standing is Standing.REQUEST_SENT else None,
        interview_at=interview_at,
    )


def validate_interview(raw: Mapping[str, str | None], now: datetime) -> InterviewInput | Errors:
    """Check the 'schedule an interview' form."""
    errors: Errors = {}
    starts_at, problem = check_meeting_time(raw.get("starts_at"), now)
    if problem:
        errors["starts_at"] = problem
    duration_raw = raw.get("duration") or "20"
    duration = int(duration_raw) if duration_raw.isdigit() else 0
    if duration not in DURATIONS:
        errors["duration"] = "Choose 15, 20, 30, 45 or 60 minutes."
    interview_format = _enum(InterviewFormat, raw.get("format"), InterviewFormat.VIDEO)
    if interview_format is None:
        errors["format"] = "Choose phone, video or in person."
    place = clean_text(raw.get("place"))
    problem = _too_long("place", place)
    if problem:
        errors["place"] = problem
    if errors:
        return errors
    assert starts_at is not None and interview_format is not None
    return InterviewInput(
        starts_at=starts_at, duration_minutes=duration, format=interview_format, place=place
    )


# Referrals: one box, a line per person ("Name, Company, Role") ------------------------------------

MAX_REFERRALS = 10
REFERRALS_FIELD = "referrals"
_LIST_MARK = re.compile(r"^(?:[-*•·]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class ReferralInput:
    name: str
    company: str = ""
    role: str = ""


def parse_referrals(raw: str | None) -> list[ReferralInput] | Errors:
    """The people a contact suggested, one per line: "Name, Company, Role" (a tab works as well as a
    comma; company and role may be left out; list marks such as "- " or "1. " are ignored)."""
    people: list[ReferralInput] = []
    problems: list[str] = []
    lines = [line for line in (raw or "").replace("\r", "").split("\n") if clean_text(line)]
    if len(lines) > MAX_REFERRALS:
        return {REFERRALS_FIELD: f"At most {MAX_REFERRALS} people at a time ({len(lines)} lines here)."}
    for n, line in enumerate(lines, start=1):
        line = _LIST_MARK.sub("", line.strip())
        parts = [clean_text(p) for p in (line.split("\t") if "\t" in line else line.split(","))]
        name, company = parts[0], (parts[1] if len(parts) > 1 else "")
        role = ", ".join(p for p in parts[2:] if p)
        if not name:
            problems.append(f"Line {n}: start with the person's name.")
            continue
        for field, value in (("name", name), ("company", company), ("role", role)):
            if len(value) > LIMITS[field]:
                problems.append(f"Line {n}: keep the {field} under {LIMITS[field]} characters.")
        people.append(ReferralInput(name, company, role))
    if problems:
        return {REFERRALS_FIELD: " ".join(problems)[:300]}
    if not people:
        return {
            REFERRALS_FIELD: "Give at least one name, one person per line: “Ada Lovelace, Acme, Engineer”."
        }
    return people
