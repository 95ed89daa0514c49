"""What a student reads about their data: the export's messages, and what forgetting deletes (the
lines the forget-me modal and the admin's command line both show)."""

from __future__ import annotations

from bot.blocks.kit import clip, esc
from bot.domain.datarights import Erasure, Kind

PREPARING = (
    "📦 Preparing your export: a ZIP file of CSV files (your contacts, attempts, interviews, notes, "
    "referrals, questions, reminders, cohorts) is on its way to your DM with me."
)
EXPORT_FAILED = "I couldn't send your export to your DM. Please try again in a minute: nothing was changed."
FORGET_FAILED = "Something went wrong on my side and nothing was deleted. Please try again in a minute."

#: (one, many) for each kind, in the order they are told.
NOUNS: dict[Kind, tuple[str, str]] = {
    Kind.CONTACTS: ("contact", "contacts"),
    Kind.ATTEMPTS: ("request, follow-up or call", "requests, follow-ups and calls"),
    Kind.INTERVIEWS: ("interview", "interviews"),
    Kind.NOTES: ("note", "notes"),
    Kind.REMINDERS: ("reminder", "reminders"),
    Kind.MEMBERSHIPS: ("cohort membership", "cohort memberships"),
    Kind.MENTOR_ROLES: ("mentor role", "mentor roles"),
    Kind.SHARES: ("item shared with mentors", "items shared with mentors"),
    Kind.MENTOR_NOTES: ("mentor's note about you", "mentors' notes about you"),
    Kind.LOOKS: ("record of a mentor's look at your numbers", "records of mentors' looks at your numbers"),
    Kind.MENTOR_NUDGES: ("mentor's nudge", "mentors' nudges"),
    Kind.PROFILE: ("your settings and timezone", "your settings and timezone"),
}


def counted(n: int, kind: Kind) -> str:
    one, many = NOUNS[kind]
    if kind is Kind.PROFILE:
        return one
    return f"{n} {one if n == 1 else many}"


def erasure_lines(erasure: Erasure) -> list[str]:
    """One mrkdwn line per kind with rows (cohort names escaped)."""
    lines = []
    for kind in NOUNS:
        n = erasure.count(kind)
        if not n:
            continue
        line = f"• {counted(n, kind)}"
        referrals = erasure.count(Kind.REFERRALS)
        if kind is Kind.CONTACTS and referrals:
            line += f" ({referrals} of them {'a referral' if referrals == 1 else 'referrals'})"
        if kind is Kind.INTERVIEWS and erasure.count(Kind.QUESTIONS):
            questions = erasure.count(Kind.QUESTIONS)
            line += f", with {questions} prepared question{'' if questions == 1 else 's'}"
        lines.append(line)
    return lines


def cohort_lines(erasure: Erasure, done: bool) -> list[str]:
    """What becomes of the cohorts the user mentors."""
    lines = []
    for name in erasure.staying:
        lines.append(f"• *{clip(esc(name), 80)}* {'goes' if done else 'will go'} on with its other mentors.")
    for name in erasure.closing:
        lines.append(
            f"• *{clip(esc(name), 80)}* {'was' if done else 'will be'} closed: you "
            f"{'were' if done else 'are'} its only mentor. Its students keep their own records; it keeps "
            "only its counts (what students shared with mentors goes)."
        )
    return lines
