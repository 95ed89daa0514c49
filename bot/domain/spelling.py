"""What a mistyped word was probably meant to be. Pure."""

from __future__ import annotations

from collections.abc import Iterable


def distance(a: str, b: str) -> int:
    """The edit distance (insertions, deletions, substitutions and swaps of neighbours) between two words."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, start=1):
        row = [i]
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            best = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, rows[-2][j - 2] + 1)
            row.append(best)
        rows.append(row)
    return rows[-1][-1]


def closest(typed: str, words: Iterable[str]) -> str | None:
    """The word ``typed`` most likely meant: the nearest by edit distance, when it is near enough
    (at most a third of its letters wrong, at least one allowed) or ``typed`` starts it."""
    typed = typed.casefold().strip()
    if not typed:
        return None
    candidates = list(words)
    # A word ``typed`` starts is as far from it as it is longer (the distance of a prefix).
    prefixed = sorted((len(w) - len(typed), n, w) for n, w in enumerate(candidates) if w.startswith(typed))
    if prefixed and len(typed) >= 2:
        return prefixed[0][2]
    # The distance is never less than the difference in length, so a word that much longer or shorter
    # than what was typed is not near enough and is not measured: pasting a page of text costs nothing.
    ranked = sorted(
        (distance(typed, w), n, w)
        for n, w in enumerate(candidates)
        if abs(len(typed) - len(w)) <= _allowed(w)
    )
    if not ranked:
        return None
    best, _, word = ranked[0]
    return word if best <= _allowed(word) else None


def _allowed(word: str) -> int:
    """How many letters of ``word`` may be wrong for it to be what was meant."""
    return max(1, len(word) // 3)
