"""Payload parsers for the cohort buttons and modals: a cohort, a page of its report, a student, a
choice, sharing levels and items, a mention in a command; over the one strict id parser."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.domain.cohorts import MemberState, ShareKind, SharingLevel
from handlers.payloads import BAD_COHORT, Reading, _json_id, _json_object, parse_id

# A Slack user id as Slack writes it (U… or W…, upper-case letters and digits).
_SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,30}")
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>")


def parse_slack_user(raw: object) -> str | None:
    return raw if isinstance(raw, str) and _SLACK_USER.fullmatch(raw) else None


def mentions(text: str) -> list[str]:
    """The users mentioned in a command's text (``<@U123>`` or ``<@U123|name>``), in order."""
    return _MENTION.findall(text or "")


@dataclass(frozen=True)
class CohortRef:
    """A cohort, and what a button says about it: a student, a page, or a choice."""

    cohort_id: int
    student: str = ""
    page: int = 0
    choice: str = ""


def parse_cohort(raw: str | None) -> CohortRef | None:
    """A button's ``"<cohort id>"``."""
    cohort_id = parse_id(raw)
    return CohortRef(cohort_id) if cohort_id is not None else None


def _cohort_pair(raw: str | None) -> tuple[int, str] | None:
    if not isinstance(raw, str):
        return None
    cohort, colon, rest = raw.partition(":")
    cohort_id = parse_id(cohort)
    return (cohort_id, rest) if colon and cohort_id is not None else None


def parse_cohort_page(raw: str | None) -> CohortRef | None:
    """``"<cohort id>:<page>"``."""
    pair = _cohort_pair(raw)
    page = parse_id(pair[1]) if pair else None
    return CohortRef(pair[0], page=page) if pair and page is not None else None


def parse_cohort_student(raw: str | None) -> CohortRef | None:
    """``"<cohort id>:<student's Slack id>"``."""
    pair = _cohort_pair(raw)
    student = parse_slack_user(pair[1]) if pair else None
    return CohortRef(pair[0], student=student) if pair and student else None


def parse_cohort_choice(raw: str | None, choices: frozenset[str]) -> CohortRef | None:
    """``"<cohort id>:<choice>"``, the choice one of ``choices``."""
    pair = _cohort_pair(raw)
    return CohortRef(pair[0], choice=pair[1]) if pair and pair[1] in choices else None


#: A student's own states: what Pause / Back to active choose.
STATES = frozenset({MemberState.ACTIVE.value, MemberState.PAUSED.value})


def parse_cohort_state(raw: str | None) -> CohortRef | None:
    """``"<cohort id>:<state>"``, the state one of :data:`STATES`."""
    return parse_cohort_choice(raw, STATES)


# What a cohort's buttons carry, for ``handlers.flows.act``.
COHORT_BUTTON = Reading(parse_cohort, BAD_COHORT)
COHORT_PAGE = Reading(parse_cohort_page, BAD_COHORT)
COHORT_STUDENT = Reading(parse_cohort_student, BAD_COHORT)
COHORT_STATE = Reading(parse_cohort_state, BAD_COHORT)


def parse_sharing(raw: str | None) -> SharingLevel | None:
    """A whole cohort's sharing level as a form sends it: counts or stages (items go one by one)."""
    return SharingLevel(raw) if raw in (SharingLevel.COUNTS.value, SharingLevel.STAGES.value) else None


def parse_share_item(raw: str | None) -> tuple[ShareKind, int] | None:
    """A shared item as the sharing form lists it: ``"contact:<id>"`` or ``"interview:<id>"``."""
    if not isinstance(raw, str):
        return None
    kind, _, item = raw.partition(":")
    found = parse_id(item)
    return (ShareKind(kind), found) if kind in ("contact", "interview") and found is not None else None


@dataclass(frozen=True)
class CohortMetadata:
    """A modal about a cohort (and one of its students)."""

    cohort_id: int
    student: str = ""

    def dumps(self) -> str:
        return json.dumps({"cohort": self.cohort_id, "student": self.student})


def cohort_metadata(raw: str | None) -> CohortMetadata | None:
    data = _json_object(raw)
    cohort_id = _json_id(data.get("cohort")) if data is not None else None
    if data is None or cohort_id is None:
        return None
    student = data.get("student") or ""
    if student and parse_slack_user(student) is None:
        return None
    return CohortMetadata(cohort_id, student)
