"""The referral chain: who introduced whom, back to the first contact. Pure.

A referral is a contact whose ``introducer_contact_id`` points at the contact who introduced them.
Following those links from one contact gives its chain, e.g. "Ada → Linus → Barbara": Ada
introduced Linus, who introduced Barbara. The records may hold a loop (a bad edit) or a very long
line; the walk stops safely at the first repeat and after :data:`MAX_DEPTH` people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# At most this many people in a chain, the contact itself included.
MAX_DEPTH = 20
ARROW = " → "
GAP = "…"

# What the walk needs to know about each contact: its name and who introduced it (a contact id).
Known = Mapping[int, tuple[str, int | None]]


@dataclass(frozen=True)
class Chain:
    """The people from the first known introducer down to the contact (the last one).

    ``complete`` is False when the walk was cut (a loop in the records, or the depth cap) before it
    reached a contact nobody introduced; an introducer that is not known (removed, or someone else's)
    ends the chain as if nobody had introduced that contact.
    """

    ids: tuple[int, ...] = ()
    names: tuple[str, ...] = ()
    complete: bool = True

    def __len__(self) -> int:
        return len(self.ids)


def chain_of(contact_id: int, known: Known, max_depth: int = MAX_DEPTH) -> Chain:
    """The chain of ``contact_id``, first introducer first; empty when the contact is not known."""
    if max_depth < 1:
        raise ValueError("max_depth must be at least 1")
    walked: list[int] = []
    seen: set[int] = set()
    current: int | None = contact_id
    complete = True
    while current is not None and current in known:
        if current in seen:
            complete = False  # a loop: stop before going round again
            break
        if len(walked) == max_depth:
            complete = False
            break
        walked.append(current)
        seen.add(current)
        current = known[current][1]
    walked.reverse()
    return Chain(tuple(walked), tuple(known[i][0] for i in walked), complete)


def render(names: Sequence[str], complete: bool = True, max_chars: int | None = None) -> str:
    """``"Ada → Linus → Barbara"``; a cut chain starts with ``"… → "``.

    With ``max_chars``, people in the middle give way to one ``"…"``: the first person stays (when the
    chain is complete) and as many of the last ones as fit, e.g. ``"Ada → … → Kim → Barbara"``. The
    last person (the contact) is always shown, even alone beyond ``max_chars``. Names are taken as
    given: escape them first for mrkdwn.
    """
    parts = list(names)
    if not parts:
        return ""
    text = ARROW.join(parts if complete else [GAP, *parts])
    if max_chars is None or len(text) <= max_chars:
        return text
    first = parts[:1] if complete else []
    rest = parts[1:] if complete else parts
    for keep in range(len(rest) - 1, 0, -1):
        candidate = ARROW.join([*first, GAP, *rest[-keep:]])
        if len(candidate) <= max_chars:
            return candidate
    return ARROW.join([GAP, parts[-1]])
