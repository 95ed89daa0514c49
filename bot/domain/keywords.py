"""Key words of what people said: cutting notes into points, a light stemmer, similarity. Pure.

How they serve to compare takeaways is told in :mod:`bot.domain.insights`.
"""

from __future__ import annotations

import re
import unicodedata

_STOP_TEXT = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each else even ever every few
for from further get gets getting got had has have having he her here hers herself him himself his
how i if in into is it its itself just let lets like lot lots make makes many may me might more
most much must my myself of off on once one only or other our ours ourselves out over own per
quite rather really said same say says she should so some such than that the their theirs them
themselves then there these they thing things this those though through thus to too toward
towards under until up upon us use very was way we well were what when where whether which while
who whom whose why will with within would yet you your yours yourself yourselves s t d ll m re ve
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
"""Common English words that say little on their own. Negations are deliberately not here."""


_BULLET = re.compile(r"^\s*(?:[-*•·–—>]+|\d{1,3}[.)])\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, accents kept, runs of spaces collapsed, surrounding space and quotes dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", text).strip().strip("\"'“”‘’").strip()


def points(note: str) -> list[str]:
    """The separate points of a note: one per line (bullets dropped), each line cut into sentences."""
    found: list[str] = []
    for line in note.replace("\r", "\n").split("\n"):
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        for sentence in _SENTENCE_END.split(line):
            sentence = sentence.strip()
            if sentence:
                found.append(sentence)
    return found


def stem(word: str) -> str:
    """A light English stemmer: enough for plurals and common verb forms to meet."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ied", "ed"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3 and any(c in "aeiouy" for c in base):
            word = base + ("y" if suffix == "ied" else "")
            # "planned" → "plann" → "plan"; but keep "ll", "ss", "zz", "ff" ("called" → "call").
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouylszf":
                word = word[:-1]
            break
    while len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


_NEGATION_TEXT = """
not no never nor none nobody nothing without hardly cannot cant dont doesnt didnt isnt arent wasnt
werent wont shouldnt couldnt wouldnt havent hasnt hadnt aint
"""
NEGATIONS = frozenset(stem(word) for word in _NEGATION_TEXT.split())
"""Words (stemmed) that turn a point around: a negated point is never similar to one that isn't."""


def words(text: str) -> list[str]:
    """The words of a text that say something: case-folded, no possessive 's, no stop words."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    kept = []
    for word in _WORD.findall(text):
        if word.endswith("'s"):
            word = word[:-2]
        word = word.replace("'", "")
        if word and word not in STOP_WORDS:
            kept.append(word)
    return kept


def key_words(text: str) -> frozenset[str]:
    """The stemmed key words of a point (see :mod:`bot.domain.insights`)."""
    return frozenset(stem(word) for word in words(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over all distinct words; 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
