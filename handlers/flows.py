"""The steps every listener goes through, in one place: a click read (or the user told it can't be),
then acted on, or opening a modal once its check passes; a modal's submission read, checked and run.

A listener names its parts (how its value or metadata is read, its check, its service call); :func:`act`
and :func:`submit` run them in the same order for every listener.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Generic, TypeVar

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.kit import notice
from bot.domain.forms import InterviewInput, validate_interview
from bot.services import ActionRefused, Services
from bot.services.events import Result
from handlers import effects, whose
from handlers.effects import Done, Origin
from handlers.origins import in_modal
from handlers.payloads import (
    OUT_OF_DATE,
    ContactMetadata,
    Reading,
    action_value,
    form_values,
)

R = TypeVar("R")
M = TypeVar("M")
T = TypeVar("T")

# The most of a refusal a modal shows under its field.
ERROR_CHARS = 150


def _cut(text: str) -> str:
    return text[:ERROR_CHARS]


# Clicks -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Click(Generic[R]):
    """A click read: what its value names (``ref``), who acted and where, and the request's body."""

    ref: R
    origin: Origin
    body: Mapping[str, Any]

    @property
    def services(self) -> Services:
        return self.origin.services

    @property
    def team_id(self) -> str:
        return self.origin.team_id

    @property
    def user_id(self) -> str:
        return self.origin.user_id


def act(
    ack: Ack,
    body: dict,
    action: dict,
    client: WebClient,
    context: BoltContext,
    respond: Respond,
    reading: Reading[R],
    run: Callable[[Click[R]], Done],
    *,
    in_place: bool = False,
) -> None:
    """A click: its value read by ``reading`` (else the user is told it can't be), then ``run`` (one
    service call, or :func:`opens`) and its effects, or why it was refused. ``in_place``: the clicked
    message is where the answer goes (a card, an interview's DM), when it can be updated."""
    ack()
    ref = reading.parse(action_value(action))
    if ref is None:
        if isinstance(respond, Respond) and not respond.response_url:  # the App Home, a modal
            effects.answer(effects.click_origin(context, client, body, action, respond), reading.unreadable)
        else:
            respond(notice(reading.unreadable))
        return
    click = Click(ref, effects.click_origin(context, client, body, action, respond, in_place=in_place), body)
    effects.settle(click.origin, partial(run, click))


def opens(make_view: Callable[[Click[R]], dict[str, Any]]) -> Callable[[Click[R]], Done]:
    """A click that opens a modal, for :func:`act`: ``make_view`` checks and reads what it shows, so that
    a stale or foreign record is refused in words instead."""
    return partial(_open, make_view)


def _open(make_view: Callable[[Click[R]], dict[str, Any]], click: Click[R]) -> Result:
    view = make_view(click)  # first: a refusal opens nothing
    open_modal(click.origin.client, click.body, view)
    return Result()


def open_modal(client: WebClient, body: Mapping[str, Any], view: dict[str, Any]) -> None:
    """Open a modal for a click; from inside a modal (the list), on top of it. It carries a key naming
    the user it was opened for, so that it can be updated for them alone (:mod:`handlers.whose`)."""
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, Mapping) else None
    if isinstance(user_id, str):
        view = whose.keyed(view, user_id)
    if in_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


# Modal submissions ------------------------------------------------------------------------------------


def submit(
    ack: Ack,
    view: dict,
    client: WebClient,
    context: BoltContext,
    about: Callable[[str | None], M | None],
    error_block: str,
    check: Callable[[Mapping[str, Any], datetime], T | dict[str, str]],
    run: Callable[[Origin, M, T], Done],
    *,
    in_place: bool = False,
    words: Callable[[str], str] = _cut,
    show_refused: bool = False,
    shown: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    """A modal's submission: what it is about (its ``private_metadata``, read by ``about``), its form
    (``check``: the values, or the errors by block), then ``run``; see :func:`finish`. ``in_place``: the
    card a contact's modal was opened from is where the answer goes."""
    metadata = about(view.get("private_metadata"))
    if metadata is None:
        ack(response_action="errors", errors={error_block: OUT_OF_DATE})
        return
    # Where the modal was opened from (the card, a list page, the cards, the App Home…) is where the
    # answer goes; a reminder's modal may name where to show what it added (its response URL).
    kept = metadata if in_place and isinstance(metadata, ContactMetadata) else None
    message, place = (kept.message, kept.place) if kept else (None, "")
    url = getattr(metadata, "response_url", "")
    origin = effects.form_origin(context, client, message, place, url if isinstance(url, str) else "")
    checked = check(view, origin.services.clock())
    if isinstance(checked, dict):
        ack(response_action="errors", errors=checked)
        return
    finish(ack, origin, error_block, partial(run, origin, metadata, checked), words, show_refused, shown)


def finish(
    ack: Ack,
    origin: Origin,
    error_block: str,
    call: Callable[[], Done],
    words: Callable[[str], str] = _cut,
    show_refused: bool = False,
    shown: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    """A submitted modal's service call: the modal closes (or, with ``shown``, shows what was saved)
    and the effects follow; refused, it stays open saying why (``words``) under ``error_block``, and
    with ``show_refused`` what the refusal still asks to show is shown (a reminder's DM redrawn as it
    stands)."""
    try:
        result = call()
    except ActionRefused as refusal:
        ack(response_action="errors", errors={error_block: words(str(refusal))})
        if show_refused:
            effects.apply(origin, refusal.events)
        return
    if shown is not None:
        ack(response_action="update", view=shown(result))
    else:
        ack()
    effects.apply(origin, result.events)


def interview_form(view: Mapping[str, Any], now: datetime) -> InterviewInput | dict[str, str]:
    """The booking modal's when, how long, how and where, checked."""
    return validate_interview(form_values(view), now)


def no_form(view: Mapping[str, Any], now: datetime) -> bool:
    """A modal with nothing to fill in (a draft to copy)."""
    return True
