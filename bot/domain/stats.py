"""Outcomes and stats: the student's funnel, reply rates, the referral tree's yield, and their
informational-interview-to-offer ratio beside the figure career advisers quote.

Pure code: plain records in, plain numbers out. No Slack, no database, no clock. Every number
handles zero (no division by zero): a rate with nothing to divide is ``None``, shown as "—".

What each count means (a contact is counted once per line, however many attempts or interviews):

- **targets**: every contact on the list.
- **requests**: contacts with at least one recorded request (attempt), or with an interview
  arranged (asking in person is a request too; an interview can be logged straight from a target).
- **replies**: contacts whose answer was recorded (an attempt with outcome yes, no or later), or
  with an interview arranged (that was a yes).
- **interviews**: contacts with at least one interview marked done.
- **referrals**: contacts introduced by another contact (``introducer_contact_id`` set).
- **leads / applications / offers** are cumulative, from the contact's ``outcome``: an offer was
  also an application and a lead, an application was also a lead. So *leads* = "at least a lead",
  *applications* = "at least an application", *offers* = offers.

So every step of the funnel up to interviews is a subset of the one before, and so is the outcome
ladder; referrals stand apart (they come out of interviews, they don't follow from them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain.pipeline import AttemptOutcome, Degree, InterviewStatus, Source

ADVISERS_INTERVIEWS_PER_OFFER = 12
"""About 1 in 12 informational interviews leads to a job offer (METHOD.md, 'Why it matters')."""

REFERRALS_WANTED = 2
"""The method asks for at least two referrals per interview (METHOD.md, section 6)."""

_REPLIED = frozenset({AttemptOutcome.YES.value, AttemptOutcome.NO.value, AttemptOutcome.LATER.value})
_LEAD_OR_BETTER = frozenset({"lead", "application", "offer"})
_APPLICATION_OR_BETTER = frozenset({"application", "offer"})


# Records ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactRecord:
    id: int
    stage: str
    degree: str
    source: str
    introducer_id: int | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class AttemptRecord:
    contact_id: int
    outcome: str


@dataclass(frozen=True)
class InterviewRecord:
    contact_id: int
    status: str


# Results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """``part`` of ``whole``; ``ratio`` is None when ``whole`` is 0."""

    part: int
    whole: int

    @property
    def ratio(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)

    def text(self) -> str:
        """``"3 of 5 (60%)"``, or ``"—"`` when nothing was requested."""
        percent = self.percent
        return "—" if percent is None else f"{self.part} of {self.whole} ({percent}%)"


@dataclass(frozen=True)
class Funnel:
    targets: int = 0
    requests: int = 0
    replies: int = 0
    interviews: int = 0
    referrals: int = 0
    leads: int = 0
    applications: int = 0
    offers: int = 0


@dataclass(frozen=True)
class RateLine:
    """The reply rate of one connection degree or one source. ``key`` is the stored value."""

    key: str
    label: str
    contacts: int
    rate: Rate


@dataclass(frozen=True)
class ReferralYield:
    """What the referral tree gave.

    ``per_interviewed``: referrals from interviewed contacts per interviewed contact (None with no
    interview). ``longest_chain``: introductions in the longest chain (A introduced B, B introduced
    C: 2). ``interviews`` / ``offers``: referred contacts who were interviewed / made an offer.
    """

    interviewed: int = 0
    from_interviewed: int = 0
    per_interviewed: float | None = None
    longest_chain: int = 0
    referred: int = 0
    interviews: int = 0
    offers: int = 0


@dataclass(frozen=True)
class OfferRatio:
    """Informational interviews done (interviews, not people: a second talk counts) against offers."""

    interviews: int
    offers: int

    @property
    def per_offer(self) -> float | None:
        """Interviews per offer; None without an offer."""
        return self.interviews / self.offers if self.offers else None

    def text(self) -> str:
        if self.offers == 0:
            if self.interviews == 0:
                return "No informational interview done yet."
            done = "1 interview" if self.interviews == 1 else f"{self.interviews} interviews"
            return f"No offer yet after {done}."
        if self.interviews == 0:
            offers = "1 offer" if self.offers == 1 else f"{self.offers} offers"
            return f"{offers}, with no informational interview logged."
        per_offer = _number(self.per_offer or 0)
        return f"1 offer per {per_offer} interviews ({self.offers} from {self.interviews})."


def advisers_figure() -> str:
    per_offer = ADVISERS_INTERVIEWS_PER_OFFER
    return f"Career advisers quote about 1 offer per {per_offer} informational interviews."


@dataclass(frozen=True)
class Stats:
    funnel: Funnel
    by_degree: tuple[RateLine, ...]
    by_source: tuple[RateLine, ...]
    referrals: ReferralYield
    offers: OfferRatio
    overall: Rate = field(default_factory=lambda: Rate(0, 0))


def _number(value: float) -> str:
    """1 decimal at most, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def per_interviewed_text(referrals: ReferralYield) -> str:
    if referrals.per_interviewed is None:
        return "—"
    return _number(referrals.per_interviewed)


# Computing -------------------------------------------------------------------------------------------


def compute(
    contacts: Sequence[ContactRecord],
    attempts: Iterable[AttemptRecord] = (),
    interviews: Iterable[InterviewRecord] = (),
) -> Stats:
    """Every number ``/infoint stats`` shows, from one student's records."""
    ids = {c.id for c in contacts}
    asked: set[int] = set()
    answered: set[int] = set()
    for attempt in attempts:
        if attempt.contact_id not in ids:
            continue
        asked.add(attempt.contact_id)
        if attempt.outcome in _REPLIED:
            answered.add(attempt.contact_id)
    arranged: set[int] = set()
    done: set[int] = set()
    interviews_done = 0
    for interview in interviews:
        if interview.contact_id not in ids:
            continue
        arranged.add(interview.contact_id)
        if interview.status == InterviewStatus.DONE.value:
            done.add(interview.contact_id)
            interviews_done += 1
    requested = asked | arranged
    replied = answered | arranged

    funnel = Funnel(
        targets=len(contacts),
        requests=len(requested),
        replies=len(replied),
        interviews=len(done),
        referrals=sum(1 for c in contacts if c.introducer_id is not None),
        leads=sum(1 for c in contacts if c.outcome in _LEAD_OR_BETTER),
        applications=sum(1 for c in contacts if c.outcome in _APPLICATION_OR_BETTER),
        offers=sum(1 for c in contacts if c.outcome == "offer"),
    )
    return Stats(
        funnel=funnel,
        by_degree=_rates(contacts, requested, replied, "degree", [d.value for d in Degree], _degree_label),
        by_source=_rates(contacts, requested, replied, "source", [], _source_label),
        referrals=referral_yield(contacts, done),
        offers=OfferRatio(interviews_done, funnel.offers),
        overall=Rate(len(replied), len(requested)),
    )


def _rates(
    contacts: Sequence[ContactRecord],
    requested: set[int],
    replied: set[int],
    attribute: str,
    always: list[str],
    label: Callable[[str], str],
) -> tuple[RateLine, ...]:
    """One line per value of ``attribute``: the values in ``always`` first (even with no contact),
    then the others in the order of their labels."""
    groups: dict[str, list[ContactRecord]] = {key: [] for key in always}
    for contact in contacts:
        groups.setdefault(getattr(contact, attribute) or "", []).append(contact)
    order = always + sorted((k for k in groups if k not in always), key=lambda k: (label(k), k))
    lines = []
    for key in order:
        members = groups[key]
        asked = sum(1 for c in members if c.id in requested)
        answered = sum(1 for c in members if c.id in replied)
        lines.append(RateLine(key, label(key), len(members), Rate(answered, asked)))
    return tuple(lines)


def _degree_label(value: str) -> str:
    try:
        return Degree(value).label
    except ValueError:
        return value or "Unknown"


def _source_label(value: str) -> str:
    try:
        return Source(value).label
    except ValueError:
        return value or "Unknown"


def referral_yield(contacts: Sequence[ContactRecord], interviewed: set[int]) -> ReferralYield:
    """The referral tree: who introduced whom among the student's contacts."""
    by_id = {c.id: c for c in contacts}
    referred = [c for c in contacts if c.introducer_id is not None]
    from_interviewed = sum(1 for c in referred if c.introducer_id in interviewed)
    interviewed_count = len(interviewed & by_id.keys())
    return ReferralYield(
        interviewed=interviewed_count,
        from_interviewed=from_interviewed,
        per_interviewed=from_interviewed / interviewed_count if interviewed_count else None,
        longest_chain=longest_chain(contacts),
        referred=len(referred),
        interviews=sum(1 for c in referred if c.id in interviewed),
        offers=sum(1 for c in referred if c.outcome == "offer"),
    )


def longest_chain(contacts: Sequence[ContactRecord]) -> int:
    """The number of introductions in the longest chain (A→B→C→D: 3). 0 with no referral.

    Follows ``introducer_id`` upwards from each contact; an introducer that is not among
    ``contacts`` ends the chain, and a loop (which the app never makes) is cut where it closes.
    """
    introducer = {c.id: c.introducer_id for c in contacts}
    depth: dict[int, int] = {}
    for start in introducer:
        path: list[int] = []
        on_path: set[int] = set()
        node: int | None = start
        while node is not None and node in introducer and node not in depth and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = introducer[node]
        # The top of the path is a root (depth 0) unless it was introduced by a contact already known.
        top = depth[node] + 1 if node is not None and node in depth else 0
        for steps_down, contact_id in enumerate(reversed(path)):
            depth[contact_id] = top + steps_down
    return max(depth.values(), default=0)
