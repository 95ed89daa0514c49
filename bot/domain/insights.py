"""Insights: what several people said about an industry or a company, side by side.

One person's view is one data point (METHOD.md, section 9). This module groups the takeaways a
student noted after their interviews into *themes*: things that several people said in similar
words. Pure code: no Slack, no database, no clock.

How two takeaways are judged similar, step by step (simple on purpose, so it can be explained):

1. A note is cut into points: one per line (list bullets dropped), and a line into sentences.
2. A point becomes a set of *key words*: lower-cased words, minus common English stop words,
   each lightly stemmed (plural ``s``/``ies``, ``ing``, ``ed``, a final ``e``), so that
   "internships" and "internship", "hiring" and "hire" count as one word. Negations ("not", "no",
   "never") are kept: "hiring is hard" and "hiring is not hard" don't say the same thing.
3. Two points are similar when their key-word sets overlap enough: Jaccard similarity (shared words
   divided by all distinct words) of at least :data:`SIMILARITY`, and both or neither are negated.
   Identical points always are.
4. Points are taken in a fixed order (by person, then text) and each joins the theme holding the
   point it is most similar to, if any reaches the threshold; otherwise it starts a new theme.
   The result does not depend on the order the notes came in.

A theme counts *distinct people*: the same person saying a thing twice is still one data point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.keywords import NEGATIONS, jaccard, normalise, points, stem, words
from bot.domain.keywords import key_words as key_words  # re-exported: part of this module's interface

SIMILARITY = 0.4
"""Minimum Jaccard similarity of two points' key words for them to be 'similar things said'."""

MAX_POINTS = 1000
"""At most this many points are grouped (the latest ones); the rest are counted, not grouped."""

NO_INDUSTRY = "No industry given"

_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")


# Records ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Takeaway:
    """One takeaway note: who said it (a contact of the student) and what the student wrote."""

    person: str
    company: str
    industry: str
    text: str
    person_id: int | str | None = None

    @property
    def person_key(self) -> str:
        """Who, for counting distinct people: the contact's id when known, else the name."""
        return f"id:{self.person_id}" if self.person_id is not None else f"name:{normalise(self.person)}"


@dataclass(frozen=True)
class InterviewedPerson:
    """A contact the student has interviewed, with how many interviews are done (for the summary)."""

    person_id: int | str
    person: str
    company: str
    industry: str
    interviews: int


@dataclass(frozen=True)
class Said:
    """One point in a theme."""

    person: str
    company: str
    text: str


@dataclass(frozen=True)
class Theme:
    """Similar things said. ``people`` counts distinct people; ``words`` are the key words shared."""

    said: tuple[Said, ...]
    people: int
    names: tuple[str, ...]
    words: tuple[str, ...]

    @property
    def verdict(self) -> str:
        return verdict(self.people, len(self.said))


def verdict(people: int, points_said: int = 1) -> str:
    if people <= 1:
        again = " (more than once)" if points_said > 1 else ""
        return f"Only one person said this{again}: one data point."
    return f"{people} people said something similar."


# Grouping --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    person_key: str
    person: str
    company: str
    text: str
    words: frozenset[str]
    surface: tuple[tuple[str, str], ...]  # (stem, word as written)


def _points_of(takeaways: Iterable[Takeaway]) -> list[_Point]:
    found = []
    for takeaway in takeaways:
        for text in points(takeaway.text):
            written = words(text)
            found.append(
                _Point(
                    person_key=takeaway.person_key,
                    person=takeaway.person.strip(),
                    company=takeaway.company.strip(),
                    text=text,
                    words=frozenset(stem(w) for w in written),
                    surface=tuple((stem(w), w) for w in written),
                )
            )
    return found


def similar(a: frozenset[str], b: frozenset[str]) -> float:
    """How similar two points are: the Jaccard similarity of their key words, but 0 when one is
    negated ("not", "never"…) and the other isn't."""
    if bool(a & NEGATIONS) != bool(b & NEGATIONS):
        return 0.0
    return jaccard(a, b)


def group(takeaways: Iterable[Takeaway], threshold: float = SIMILARITY) -> list[Theme]:
    """Group takeaways into themes of similar things said; most-agreed themes first."""
    ordered = sorted(
        _points_of(takeaways), key=lambda p: (normalise(p.person), p.person_key, normalise(p.text), p.text)
    )
    members: list[list[int]] = []  # theme -> indexes of its points
    # Points with the same key words (or, without key words, the same text) always share a theme, so
    # each distinct set of key words is compared once. An inverted index (word -> the sets having
    # it) finds the only sets that can be similar: those sharing at least one word.
    theme_of_set: dict[object, int] = {}
    sets: list[frozenset[str]] = []
    by_word: dict[str, list[int]] = {}
    for index, point in enumerate(ordered):
        key: object = point.words or ("text", normalise(point.text))
        theme = theme_of_set.get(key, -1)
        if theme < 0 and point.words:
            shared: Counter[int] = Counter()
            for word in point.words:
                shared.update(by_word.get(word, ()))
            best_score = 0.0
            for other, common in shared.items():
                candidate = sets[other]
                if bool(point.words & NEGATIONS) != bool(candidate & NEGATIONS):
                    continue
                score = common / (len(point.words) + len(candidate) - common)
                other_theme = theme_of_set[candidate]
                if score >= threshold and (
                    score > best_score or (score == best_score and other_theme < theme)
                ):
                    theme, best_score = other_theme, score
        if theme < 0:
            theme = len(members)
            members.append([])
        members[theme].append(index)
        if key not in theme_of_set:
            theme_of_set[key] = theme
            if point.words:
                for word in point.words:
                    by_word.setdefault(word, []).append(len(sets))
                sets.append(point.words)
    themes = [_theme([ordered[i] for i in indexes]) for indexes in members]
    themes.sort(key=lambda t: (-t.people, -len(t.said), normalise(t.said[0].text)))
    return themes


def _theme(group_points: Sequence[_Point]) -> Theme:
    names: list[str] = []
    seen: set[str] = set()
    for point in group_points:
        if point.person_key not in seen:
            seen.add(point.person_key)
            names.append(point.person)
    words: tuple[str, ...] = ()
    if len(group_points) > 1:
        in_points = Counter(word for point in group_points for word in point.words)
        written = Counter(pair for point in group_points for pair in set(point.surface))
        shared = [w for w, n in in_points.items() if n >= 2]
        shared.sort(key=lambda w: (-in_points[w], w))
        words = tuple(_as_written(w, written) for w in shared[:5])
    return Theme(
        said=tuple(Said(p.person, p.company, p.text) for p in group_points),
        people=len(seen),
        names=tuple(names),
        words=words,
    )


def _as_written(word_stem: str, written: Counter[tuple[str, str]]) -> str:
    forms = [(n, form) for (s, form), n in written.items() if s == word_stem]
    forms.sort(key=lambda f: (-f[0], len(f[1]), f[1]))
    return forms[0][1] if forms else word_stem


# Choosing what the student asked about ---------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The takeaways about what the student asked for, and which industries or companies matched."""

    takeaways: tuple[Takeaway, ...]
    industries: tuple[str, ...]
    companies: tuple[str, ...]
    exact: bool


def subject_key(text: str) -> str:
    """How industries and companies are compared: case, spaces and punctuation ignored.

    "Health care", "health-care" and "Healthcare" are one industry.
    """
    return _NOT_ALNUM.sub("", normalise(text))


def select(takeaways: Sequence[Takeaway], query: str) -> Selection:
    """Takeaways whose industry or company is ``query``.

    Compared with :func:`subject_key`. An exact match on an industry or a company wins; only when
    there is none do partial matches count ("health" finds "Healthcare" and "Health Corp").
    """
    wanted = subject_key(query)
    if not wanted:
        return Selection((), (), (), False)

    def exactly(field: str) -> bool:
        return subject_key(field) == wanted

    def partly(field: str) -> bool:
        return wanted in subject_key(field)

    matches = exactly
    if not any(exactly(t.industry) or exactly(t.company) for t in takeaways):
        matches = partly
    chosen = [t for t in takeaways if matches(t.industry) or matches(t.company)]
    industries = _spellings(t.industry for t in chosen if matches(t.industry))
    companies = _spellings(t.company for t in chosen if matches(t.company))
    return Selection(tuple(chosen), industries, companies, matches is exactly and bool(chosen))


def _spellings(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct names (case-insensitively), each in its most common spelling, sorted."""
    forms: dict[str, Counter[str]] = {}
    for value in values:
        value = _SPACES.sub(" ", value).strip()
        if value:
            forms.setdefault(subject_key(value), Counter())[value] += 1
    chosen = [max(sorted(c), key=lambda form: c[form]) for c in forms.values()]
    return tuple(sorted(chosen, key=normalise))


# The report ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What ``/infoint insights <industry | company>`` shows."""

    query: str
    selection: Selection
    themes: tuple[Theme, ...]
    people: int
    points: int
    left_out: int = 0

    @property
    def agreed(self) -> int:
        """Themes at least two people agree on."""
        return sum(1 for t in self.themes if t.people >= 2)


def report(takeaways: Sequence[Takeaway], query: str, max_points: int = MAX_POINTS) -> Report:
    selection = select(takeaways, query)
    chosen = list(selection.takeaways)
    every_point = sum(len(points(t.text)) for t in chosen)
    # Very long histories: group the latest points only (callers pass takeaways oldest first).
    kept: list[Takeaway] = []
    budget = max_points
    for takeaway in reversed(chosen):
        size = len(points(takeaway.text))
        if size > budget:
            break
        kept.append(takeaway)
        budget -= size
    themes = group(kept)
    grouped = sum(len(t.said) for t in themes)
    people = len({t.person_key for t in chosen})
    return Report(query.strip(), selection, tuple(themes), people, every_point, every_point - grouped)


@dataclass(frozen=True)
class IndustryLine:
    """One industry in the summary: interviews done, people heard, takeaways noted (points, as in
    :class:`Report`: a note of three lines is three takeaways)."""

    industry: str
    interviews: int
    people: int
    takeaways: int
    companies: tuple[str, ...]

    @property
    def verdict(self) -> str:
        if self.people == 0:
            return "No one interviewed yet."
        if self.people == 1:
            return "One person so far: one data point."
        return f"{self.people} people to compare."


def industry_summary(
    interviewed: Sequence[InterviewedPerson], takeaways: Sequence[Takeaway]
) -> list[IndustryLine]:
    """Per industry (case-insensitive; blank grouped as :data:`NO_INDUSTRY`), most people first."""
    names: dict[str, list[str]] = {}
    people: dict[str, set[str]] = {}
    interviews: Counter[str] = Counter()
    notes: Counter[str] = Counter()
    companies: dict[str, list[str]] = {}

    def key(industry: str) -> str:
        k = subject_key(industry)
        names.setdefault(k, []).append(industry.strip())
        return k

    for person in interviewed:
        k = key(person.industry)
        interviews[k] += person.interviews
        if person.interviews > 0:
            people.setdefault(k, set()).add(f"id:{person.person_id}")
        if person.company.strip():
            companies.setdefault(k, []).append(person.company)
    for takeaway in takeaways:
        k = key(takeaway.industry)
        notes[k] += len(points(takeaway.text))
        people.setdefault(k, set()).add(takeaway.person_key)
        if takeaway.company.strip():
            companies.setdefault(k, []).append(takeaway.company)
    lines = [
        IndustryLine(
            industry=_spellings(names[k])[0] if k else NO_INDUSTRY,
            interviews=interviews[k],
            people=len(people.get(k, ())),
            takeaways=notes[k],
            companies=_spellings(companies.get(k, ())),
        )
        for k in names
    ]
    lines.sort(key=lambda line: (line.industry == NO_INDUSTRY, -line.people, normalise(line.industry)))
    return lines
