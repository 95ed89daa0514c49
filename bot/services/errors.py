"""A refusal: the user asked for something that can't be done."""

from __future__ import annotations

from collections.abc import Iterable

from bot.services.events import Event


class ActionRefused(Exception):
    """The message says why, in the user's words. Nothing the user asked for was done; ``events`` say
    what still needs showing (a reminder found out of date and closed, a card to redraw as it stands)."""

    def __init__(self, message: str, events: Iterable[Event] = ()) -> None:
        super().__init__(message)
        self.events: tuple[Event, ...] = tuple(events)

    def with_events(self, *events: Event) -> ActionRefused:
        """The same refusal, with more to show."""
        return ActionRefused(str(self), (*self.events, *events))
