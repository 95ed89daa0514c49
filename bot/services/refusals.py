"""Moving a contact on, refused in the user's words: a card or menu out of date (the contact changed
since it was drawn), or a move the pipeline doesn't allow from where the contact stands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from bot.domain import pipeline as core
from bot.services.errors import ActionRefused
from storage.models import Contact
from storage.repository import Repository, StaleVersion


def stale_message(contact: Contact) -> str:
    return (
        "Already done: this message was out of date. "
        f"The contact is now at “{core.Stage(contact.stage).label}”."
    )


@contextmanager
def refusing(contact: Contact, stale: Callable[[Contact], str] = stale_message) -> Iterator[None]:
    """Inside: a move the pipeline refuses, or the compare-and-set finding the contact changed
    (``stale`` says so), raises :class:`ActionRefused`."""
    try:
        yield
    except core.TransitionError as refusal:
        raise ActionRefused(str(refusal)) from None
    except StaleVersion:
        raise ActionRefused(stale(contact)) from None


def move_contact(
    repo: Repository,
    contact: Contact,
    version: int,
    new_stage: Callable[[], core.Stage],
    now: datetime,
    stale: Callable[[Contact], str] = stale_message,
) -> None:
    """Move the user's contact on from the ``version`` its button or form was drawn for, to the stage
    ``new_stage`` decides once the version is known to be current."""
    if contact.version != version:
        raise ActionRefused(stale(contact))
    with refusing(contact, stale):
        repo.advance(contact, version, new_stage(), now)
