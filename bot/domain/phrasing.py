"""Putting what the student typed into a sentence: names and salutations, phrases, quotes. Pure.

A value is put in a slot only where the grammar holds: a name without its titles or trailing
punctuation, a learning goal or takeaway lower-cased (its first letter only, unless it starts with
an acronym or "I") and without its final full stop, advice quoted as typed. A value with no letter
or digit in it counts as empty: the draft then shows a visible placeholder instead.
"""

from __future__ import annotations

import re

# Titles a name may carry, by their plain lower-case form, as a salutation writes them.
TITLES: dict[str, str] = {
    "prof": "Prof",
    "professor": "Professor",
    "dr": "Dr",
    "doctor": "Doctor",
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "mx": "Mx",
    "miss": "Miss",
}
# Letters after a surname, never a surname themselves.
SUFFIXES = frozenset({"phd", "dphil", "md", "mba", "jr", "sr", "ii", "iii", "iv", "esq"})
# Punctuation a slot must not start or end with when it sits inside a sentence.
EDGES = " .,;:!?"
_BULLET = re.compile(r"^\s*(?:[-*•·–—]+|\d+[.)])\s+")


def has_text(text: str) -> bool:
    """Whether a value says anything: at least one letter or digit."""
    return any(ch.isalnum() for ch in text)


def short(text: str, limit: int) -> str:
    """Whitespace collapsed, and at most ``limit`` characters (an ellipsis when cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def trimmed(text: str, limit: int) -> str:
    """A value inside a sentence: shortened, without stray punctuation (at its edges, or standing
    alone between words); "" when empty."""
    words = [w for w in text.split() if has_text(w) or not set(w) <= set(EDGES)]
    text = short(" ".join(words), limit).strip(EDGES)
    return text if has_text(text) else ""


def _title(word: str) -> str | None:
    title = TITLES.get(word.rstrip(".").casefold())
    if title is None:
        return None
    return title + "." if word.endswith(".") else title


def _name_parts(name: str) -> tuple[str | None, list[str]]:
    """A name's title (the first one given, as a salutation writes it) and its other words."""
    words = [w.strip(",;:") for w in name.split()]
    words = [w for w in words if has_text(w)]
    title = None
    while words and (found := _title(words[0])) is not None:
        title = title or found
        words.pop(0)
    while len(words) > 1 and words[-1].rstrip(".").casefold() in SUFFIXES:
        words.pop()
    return title, words


def first_name(name: str) -> str:
    """The first name, without titles ("there" when there is none)."""
    _, words = _name_parts(name)
    first = trimmed(words[0], 40) if words else ""
    return first or "there"


def salutation(name: str, greeting: str = "Hi", formal: str = "Dear") -> str:
    """ "Hi Elena," from the first name; "Dear Prof. Alvarez," when the name carries a title."""
    title, words = _name_parts(name)
    if title and words:
        surname = trimmed(words[-1], 60)
        if surname:
            return f"{formal} {title} {surname},"
    return f"{greeting} {first_name(name)},"


def full_name(name: str, limit: int = 100) -> str:
    """A name inside a sentence, its words without stray punctuation ("" when empty)."""
    words = [w.strip(",;:") for w in name.split()]
    return trimmed(" ".join(w for w in words if has_text(w)), limit)


def _keeps_capital(word: str) -> bool:
    """An acronym, a name written with inner capitals (UX, McKinsey, iOS) or "I" starts the phrase."""
    core = word.strip("\"'“”‘’([")
    if core == "I" or core.startswith(("I'", "I’")):
        return True
    return sum(ch.isupper() for ch in core) >= 2


def phrase(text: str, limit: int) -> str:
    """A goal or takeaway inside a sentence: its first line, without a bullet or a final full stop,
    its first letter lower-cased unless it starts with an acronym or "I" ("" when empty)."""
    line = next((ln for ln in text.splitlines() if has_text(ln)), "")
    line = trimmed(_BULLET.sub("", line), limit)
    if not line or _keeps_capital(line.split(" ", 1)[0]):
        return line
    return line[0].lower() + line[1:]


def quoted(text: str, limit: int) -> str:
    """Someone's words, quoted as typed (first line, no final full stop); "" when empty."""
    line = next((ln for ln in text.splitlines() if has_text(ln)), "")
    line = trimmed(_BULLET.sub("", line), limit)
    return f"“{line}”" if line else ""
