"""The question bank and the checks on a student's chosen questions. Pure: no Slack, no database.

Questions are grouped by theme (the student's objective decides which matter most): the person's
career path, the company, the role and its typical day, the field and its trends, their advice.
Each bank question is short enough to be a Slack checkbox option as it is (75 characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.forms import clean_text

MAX_QUESTIONS = 20
"""Questions one interview may carry in all (chosen from the bank plus the student's own)."""
MAX_QUESTION_LENGTH = 300
"""Longest question of the student's own, in characters after cleaning."""
MAX_BANK_QUESTION_LENGTH = 75
OWN = "own"
"""The error key for problems with the student's own questions."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    questions: tuple[Question, ...]
    aliases: tuple[str, ...] = ()


def _theme(key: str, label: str, aliases: Sequence[str], texts: Sequence[str]) -> Theme:
    questions = tuple(Question(f"{key}.{n}", text) for n, text in enumerate(texts, start=1))
    return Theme(key, label, questions, tuple(aliases))


THEMES: tuple[Theme, ...] = (
    _theme(
        "career",
        "Their career path",
        ("path", "career path", "background", "journey", "studies", "history"),
        (
            "How did you first get into this field?",
            "What did you study, and how much has it mattered in your work?",
            "Which jobs led you to the one you have now?",
            "What did you enjoy most along the way?",
            "What was the hardest step in your career so far?",
            "Is there anything you would do differently if you started again?",
            "Which skills or experiences opened the most doors for you?",
        ),
    ),
    _theme(
        "company",
        "The company",
        ("organisation", "organization", "org", "culture", "employer", "workplace", "team"),
        (
            "How would you describe the culture here?",
            "What is it like to work with the managers and leadership?",
            "How are teams organised, and who do you work with most?",
            "How does the company help people learn and grow?",
            "What kind of person tends to do well here?",
            "How has the company changed since you joined?",
            "How does the company usually hire for roles like yours?",
        ),
    ),
    _theme(
        "role",
        "The role and its typical day",
        ("job", "day", "typical day", "day to day", "daily", "position", "skills", "work"),
        (
            "What does a typical day or week look like for you?",
            "Which skills matter most to do this job well?",
            "What do you like most about your role?",
            "What do you like least, or find most draining?",
            "Which problems take up most of your time?",
            "How is success measured in your role?",
            "What do newcomers usually find surprising about this job?",
            "Which tools or methods do you rely on every day?",
        ),
    ),
    _theme(
        "field",
        "The field and its trends",
        ("industry", "trends", "trend", "market", "job market", "sector", "future"),
        (
            "How has this field changed over the past few years?",
            "Which trends will shape it over the next five years?",
            "What does the job market look like for newcomers right now?",
            "Which parts of the field are growing, and which are shrinking?",
            "What is the best way for someone like me to break in?",
            "Which companies or organisations are worth watching?",
            "Which events, groups or publications help you keep up?",
        ),
    ),
    _theme(
        "advice",
        "Their advice",
        ("tips", "tip", "advise", "next steps"),
        (
            "What is your biggest tip for someone starting out?",
            "Given my background, what would you work on first?",
            "What do you wish someone had told you at the start?",
            "Which mistakes should I avoid when looking for work in this field?",
            "What would make my résumé or profile stand out to you?",
            "Who else would you suggest I talk to?",
            "Is there anything I haven't asked that I should have?",
        ),
    ),
)

_BY_ID: dict[str, Question] = {q.id: q for t in THEMES for q in t.questions}
_BY_TEXT: dict[str, Question] = {q.text: q for t in THEMES for q in t.questions}
_THEME_OF: dict[str, Theme] = {q.id: t for t in THEMES for q in t.questions}


# Looking things up --------------------------------------------------------------------------------------


def _normalise(name: str) -> str:
    words = re.sub(r"[^\w]+", " ", name.casefold().replace("'", "")).split()
    while words and words[0] in ("the", "their", "a", "an", "its"):
        words = words[1:]
    return " ".join(words)


def _names(theme: Theme) -> set[str]:
    return {theme.key, _normalise(theme.label), *(_normalise(a) for a in theme.aliases)}


def find_theme(name: str | None) -> Theme | None:
    """The theme a student means: its key (``company``), its label, or a loose name (``trends``,
    ``career path``, ``comp``, ``company culture``). None when nothing, or more than one, fits."""
    wanted = _normalise(name or "")
    if not wanted:
        return None
    for theme in THEMES:
        if wanted in _names(theme):
            return theme

    def unique(matches: Iterable[Theme]) -> Theme | None:
        found = list(dict.fromkeys(matches))
        return found[0] if len(found) == 1 else None

    if len(wanted) >= 3:
        prefixed = unique(t for t in THEMES for n in _names(t) if n.startswith(wanted))
        if prefixed:
            return prefixed
    words = wanted.split()
    return unique(t for t in THEMES for n in _names(t) if n in words)


def question(question_id: str) -> Question | None:
    return _BY_ID.get(question_id)


def theme_of(question_id: str) -> Theme | None:
    return _THEME_OF.get(question_id)


def split_saved(saved: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """A stored list of questions → (ids of the bank questions in it, the student's own ones)."""
    chosen: set[str] = set()
    own: list[str] = []
    for text in saved:
        if not isinstance(text, str):
            continue
        known = _BY_TEXT.get(text)
        if known is None:
            own.append(text)
        else:
            chosen.add(known.id)
    return frozenset(chosen), tuple(own)


# Checking a selection -----------------------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-*•·–]|\d{1,2}[.)])\s+")


def own_questions(raw: str | None) -> tuple[list[str], list[tuple[int, int]]]:
    """The student's own questions, one per line: cleaned, bullets or numbers in front dropped, empty
    lines skipped. Also returns (line number, length) for each line longer than allowed."""
    kept: list[str] = []
    too_long: list[tuple[int, int]] = []
    for number, line in enumerate((raw or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        text = _BULLET.sub("", clean_text(line)).strip()
        if not text:
            continue
        if len(text) > MAX_QUESTION_LENGTH:
            too_long.append((number, len(text)))
            continue
        kept.append(text)
    return kept, too_long


def validate_selection(chosen_ids: Iterable[str], own_text: str | None) -> tuple[str, ...] | dict[str, str]:
    """The questions to save, bank ones first (in bank order), then the student's own (as typed, with
    duplicates dropped); or errors keyed by theme key or :data:`OWN`."""
    ids = [i for i in dict.fromkeys(chosen_ids) if isinstance(i, str)]
    unknown = [i for i in ids if i not in _BY_ID]
    if unknown:
        return {THEMES[0].key: "This form is out of date: close it and open it again."}
    picked = [q for t in THEMES for q in t.questions if q.id in ids]
    own, too_long = own_questions(own_text)
    if too_long:
        line, length = too_long[0]
        more = f" ({len(too_long)} lines are too long.)" if len(too_long) > 1 else ""
        return {
            OWN: f"Line {line} has {length} characters: keep each question to "
            f"{MAX_QUESTION_LENGTH} at most.{more}"
        }
    seen = {q.text.casefold() for q in picked}
    mine: list[str] = []
    for text in own:
        if text.casefold() not in seen:
            seen.add(text.casefold())
            mine.append(text)
    total = len(picked) + len(mine)
    if total > MAX_QUESTIONS:
        message = (
            f"That's {total} questions: keep it to {MAX_QUESTIONS} at most, the ones that matter "
            "most to you. A short interview has room for a handful."
        )
        if mine:
            return {OWN: message}
        return {_THEME_OF[picked[-1].id].key: message}
    return (*(q.text for q in picked), *mine)
