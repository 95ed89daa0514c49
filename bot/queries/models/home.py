"""Display models of the App Home and the Monday plan: the screen, the upcoming interviews, a week
against its goals, the targets to pick from. Re-exported by :mod:`bot.queries.models`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.domain import pipeline as core

if TYPE_CHECKING:
    from bot.queries.models import ContactCard, ContactChoice


@dataclass(frozen=True)
class UpcomingInterview:
    contact_id: int
    name: str
    company: str
    when: str
    """Its local day and time, as a person reads it ("Thu 5 Mar at 14:00")."""


@dataclass(frozen=True)
class HomeScreen:
    """What the App Home shows."""

    counts: dict[core.Stage, int]
    rows: tuple[ContactCard, ...] = ()
    """The contacts whose next step matters most, in that order."""
    more: int = 0
    """Contacts with a next step not shown (the list has them)."""
    interviews: tuple[UpcomingInterview, ...] = ()
    week: WeekProgress | None = None

    @property
    def first_use(self) -> bool:
        return not any(self.counts.values())


@dataclass(frozen=True)
class WeekProgress:
    """A week against the student's weekly goals (the App Home and the Monday plan)."""

    week: str
    """Its Monday, as a person reads it ("Mon 2 Mar")."""
    requests_sent: int
    requests_goal: int
    interviews: int
    interviews_goal: int
    skipped: bool = False
    paused: bool = False
    next_week: str = ""
    current: bool = True
    """Whether it is the week we are in (an old plan's buttons don't change this week)."""


@dataclass(frozen=True)
class PlanTargets:
    """What **Pick this week's targets** offers: the people still on the target list, and those
    already picked."""

    week: str
    choices: tuple[ContactChoice, ...]
    chosen: tuple[int, ...] = ()
