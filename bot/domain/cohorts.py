"""Cohorts: a mentor's channel of students. Who is in it and in what role, what each may do, the
sharing ladder, the cohort's weekly targets, and the safe CSV every mentor file goes through.

Pure: no Slack, no database, no clock. The report and its flags are in ``bot.domain.cohort_report``,
the weekly numbers and the digest's timing in ``bot.domain.cohort_weekly``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from bot.domain.forms import Errors, clean_text
from bot.domain.ids import MAX_RECORD_ID
from bot.domain.preferences import RANGES, _digits


class Role(StrEnum):
    MENTOR = "mentor"
    STUDENT = "student"


class MemberState(StrEnum):
    """A student's state in a cohort. Paused and placed students raise no flags."""

    ACTIVE = "active"
    PAUSED = "paused"  # a holiday, exams
    PLACED = "placed"  # got a job

    @property
    def label(self) -> str:
        return {"active": "Active", "paused": "Paused", "placed": "Placed"}[self.value]

    @property
    def rank(self) -> int:
        """Report order among rows with equal flags: active students before paused, placed last."""
        return {"active": 0, "paused": 1, "placed": 2}[self.value]


class CohortStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # the app was removed from the channel, or the channel archived
    CLOSED = "closed"  # by a mentor: the digest stops, the cohort keeps only counts


class CohortEvent(StrEnum):
    """What happens to a cohort's channel or to the cohort itself."""

    CHANNEL_ARCHIVED = "channel_archived"
    APP_REMOVED = "app_removed"
    CHANNEL_UNARCHIVED = "channel_unarchived"
    APP_ADDED = "app_added"
    CLOSED = "closed"


_STATUS_AFTER: dict[tuple[CohortStatus, CohortEvent], CohortStatus] = {
    (CohortStatus.ACTIVE, CohortEvent.CHANNEL_ARCHIVED): CohortStatus.PAUSED,
    (CohortStatus.ACTIVE, CohortEvent.APP_REMOVED): CohortStatus.PAUSED,
    (CohortStatus.PAUSED, CohortEvent.CHANNEL_ARCHIVED): CohortStatus.PAUSED,
    (CohortStatus.PAUSED, CohortEvent.APP_REMOVED): CohortStatus.PAUSED,
    (CohortStatus.PAUSED, CohortEvent.CHANNEL_UNARCHIVED): CohortStatus.ACTIVE,
    (CohortStatus.PAUSED, CohortEvent.APP_ADDED): CohortStatus.ACTIVE,
    (CohortStatus.ACTIVE, CohortEvent.CHANNEL_UNARCHIVED): CohortStatus.ACTIVE,
    (CohortStatus.ACTIVE, CohortEvent.APP_ADDED): CohortStatus.ACTIVE,
    (CohortStatus.ACTIVE, CohortEvent.CLOSED): CohortStatus.CLOSED,
    (CohortStatus.PAUSED, CohortEvent.CLOSED): CohortStatus.CLOSED,
}


def status_after(status: CohortStatus, event: CohortEvent) -> CohortStatus:
    """The cohort's status after ``event``. A closed cohort stays closed whatever its channel does."""
    if status is CohortStatus.CLOSED:
        if event is CohortEvent.CLOSED:
            raise CohortRefused("This cohort is already closed.")
        return status
    return _STATUS_AFTER[(status, event)]


class SharingLevel(StrEnum):
    """The sharing ladder. A student's level for the whole cohort is ``counts`` (the default) or
    ``stages``; ``contact`` and ``takeaways`` are the levels of one item a student shares with a
    button (a contact's name, company and stage; one interview's takeaways)."""

    COUNTS = "counts"
    STAGES = "stages"
    CONTACT = "contact"
    TAKEAWAYS = "takeaways"

    @property
    def per_item(self) -> bool:
        return self in (SharingLevel.CONTACT, SharingLevel.TAKEAWAYS)


class ShareKind(StrEnum):
    CONTACT = "contact"
    INTERVIEW = "interview"

    @property
    def level(self) -> SharingLevel:
        """What sharing an item of this kind shows."""
        return SharingLevel.CONTACT if self is ShareKind.CONTACT else SharingLevel.TAKEAWAYS


def share_key(kind: ShareKind, item_id: int) -> str:
    """The one key of a shared item in a cohort (``contact:12``, ``interview:7``)."""
    return f"{kind.value}:{item_id}"


class CohortRefused(Exception):
    """Something a user may not do in a cohort; the message says why, in their words."""


class CohortAction(StrEnum):
    REPORT = "report"  # the report, the App Home's cohort section, the attention DM
    SEE_STUDENT = "see_student"  # one student's row and what they shared
    ADD_MENTOR = "add_mentor"
    SETTINGS = "settings"  # targets, the digest's day and time
    NOTE = "note"  # a mentor's private notes on a student
    NUDGE = "nudge"
    EXPORT = "export"
    CLOSE = "close"
    JOIN = "join"
    LEAVE = "leave"
    OWN_ROW = "own_row"  # /infoint cohort me


MENTOR_ACTIONS = frozenset(
    {
        CohortAction.REPORT,
        CohortAction.SEE_STUDENT,
        CohortAction.ADD_MENTOR,
        CohortAction.SETTINGS,
        CohortAction.NOTE,
        CohortAction.NUDGE,
        CohortAction.EXPORT,
        CohortAction.CLOSE,
    }
)
# What still works once a mentor closed the cohort: the counts it keeps, and leaving it.
AFTER_CLOSE = frozenset({CohortAction.EXPORT, CohortAction.LEAVE})


def check_allowed(action: CohortAction, role: Role | None, status: CohortStatus) -> None:
    """Refuse (CohortRefused) what ``role`` may not do in a cohort in ``status``.

    ``role`` is None for someone outside the cohort: they may only join it. Mentors run the
    cohort; students see their own row and may leave; nobody sees another student's row but a
    mentor of that very cohort (the caller looks the role up in the cohort being asked about).
    """
    if status is CohortStatus.CLOSED and action not in AFTER_CLOSE:
        raise CohortRefused("This cohort is closed: it keeps only its counts (a mentor can export them).")
    if action in MENTOR_ACTIONS:
        if role is not Role.MENTOR:
            raise CohortRefused("Only this cohort's mentors can do that.")
        return
    if action is CohortAction.JOIN:
        if role is Role.MENTOR:
            raise CohortRefused("You mentor this cohort, so you can't join it as a student.")
        if role is Role.STUDENT:
            raise CohortRefused("You're already in this cohort.")
        if status is not CohortStatus.ACTIVE:
            raise CohortRefused("This cohort isn't taking new members right now.")
        return
    if role is None:
        raise CohortRefused("You're not in this cohort.")
    if action is CohortAction.OWN_ROW and role is Role.MENTOR:
        raise CohortRefused("You mentor this cohort: there's no row of yours in it.")


def check_mentor_leaves(mentors: int) -> None:
    """A cohort always keeps a mentor: the last one closes it instead of leaving."""
    if mentors <= 1:
        raise CohortRefused("You're this cohort's only mentor: add another mentor first, or close it.")


# Members ---------------------------------------------------------------------------------------------

PLACEMENT_LIMIT = 200
NOTE_LIMIT = 2000


@dataclass(frozen=True)
class Placement:
    """What a placed student got, when, and optionally which of their contacts led to it."""

    what: str
    on: date
    contact_id: int | None = None


@dataclass(frozen=True)
class Member:
    """A student in a cohort, as the report and the digest see them (no contact data)."""

    user_id: int
    slack_user_id: str
    joined_at: datetime
    state: MemberState = MemberState.ACTIVE
    sharing: SharingLevel = SharingLevel.COUNTS
    celebrate: bool = False
    """They agreed to be named in the channel when celebrated (a placement)."""
    placement: Placement | None = None
    reachable: bool = True
    """False once Slack said they can't be reached (left, deactivated): kept in the numbers, never DMed."""


def check_state_change(current: MemberState, new: MemberState, placement: Placement | None) -> None:
    if new is current and new is not MemberState.PLACED:
        raise CohortRefused(f"Nothing changed: the state is already {new.label.lower()}.")
    if new is MemberState.PLACED and placement is None:
        raise CohortRefused("Say what the job is and when it was agreed.")
    if new is not MemberState.PLACED and placement is not None:
        raise CohortRefused("Only a placed student has a placement.")


def validate_placement(raw: Mapping[str, str | None], today: date) -> Placement | Errors:
    """The 'placed' form: what (required), when (a Slack date, YYYY-MM-DD, not ahead of ``today``
    by more than a day: the timezones differ), and optionally the contact it came from."""
    errors: Errors = {}
    what = clean_text(raw.get("what"))
    if not what:
        errors["what"] = "Say what the job is (a role, a company)."
    elif len(what) > PLACEMENT_LIMIT:
        errors["what"] = f"Keep it under {PLACEMENT_LIMIT} characters (this is {len(what)})."
    on: date | None = None
    try:
        on = date.fromisoformat(raw.get("on") or "")
    except ValueError:
        errors["on"] = "Pick the date it was agreed."
    if on is not None and on > today + timedelta(days=1):
        errors["on"] = "That date is still ahead: pick the day it was agreed."
    contact_raw = (raw.get("contact_id") or "").strip()
    if contact_raw and not (_digits(contact_raw) and 0 < int(contact_raw) <= MAX_RECORD_ID):
        errors["contact_id"] = "Pick one of your contacts, or none."
    if errors:
        return errors
    assert on is not None
    return Placement(what, on, int(contact_raw) if contact_raw else None)


def validate_note(raw: str | None) -> str | Errors:
    body = clean_text(raw, multiline=True)
    if not body:
        return {"note": "Write the note first."}
    if len(body) > NOTE_LIMIT:
        return {"note": f"Keep it under {NOTE_LIMIT} characters (this is {len(body)})."}
    return body


def ask_before_nudge(earlier: Iterable[datetime], now: datetime, tz: tzinfo) -> bool:
    """Nudging a student again on the same (local) day asks the mentor first."""
    today = now.astimezone(tz).date()
    return any(at.astimezone(tz).date() == today for at in earlier)


# Targets ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortTargets:
    """What the mentor asks of each student a week, shown beside the student's own goal."""

    requests: int = 3
    conversations: int = 1


# The same bounds as a student's own weekly goal.
TARGET_RANGES: dict[str, tuple[int, int]] = {
    "requests": RANGES["weekly_requests"],
    "conversations": RANGES["weekly_interviews"],
}


def validate_targets(raw: Mapping[str, str | None]) -> CohortTargets | Errors:
    """The mentor's targets form: whole numbers in range, with a message per faulty field."""
    errors: Errors = {}
    values: dict[str, int] = {}
    for key, (low, high) in TARGET_RANGES.items():
        text = (raw.get(key) or "").strip()
        if _digits(text) and low <= int(text) <= high:
            values[key] = int(text)
        else:
            errors[key] = f"A whole number from {low} to {high} a week."
    if errors:
        return errors
    if values["requests"] == 0 and values["conversations"] == 0:
        return {"requests": "Ask for at least one request or one conversation a week."}
    return CohortTargets(**values)


# Safe CSV --------------------------------------------------------------------------------------------

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def safe_cell(value: Cell) -> str:
    """A cell as text; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """RFC 4180 CSV (CRLF line ends, quotes where needed), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()
