"""Interviews: ``/infoint schedule``, booking from a contact's card, and rescheduling or cancelling from
the interview's DM.

The confirmation DM and its calendar file are effects of the booking (handlers/effects.py).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.interviews import no_contacts_to_schedule, schedule_pick_modal
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.forms import InterviewInput, validate_interview
from bot.domain.ids import ActionId, ViewId
from bot.queries.models import ContactChoice
from bot.services.events import InterviewResult
from handlers import effects
from handlers.context import Invocation, services_of
from handlers.effects import Origin
from handlers.flows import Click, act, finish, interview_form, opens, submit
from handlers.payloads import (
    INTERVIEW_BUTTON,
    ContactMetadata,
    InterviewMetadata,
    contact_metadata,
    form_values,
    interview_metadata,
    parse_contact,
)

# Booking ------------------------------------------------------------------------------------------


def schedule_command(call: Invocation) -> None:
    """``/infoint schedule [name]``: the booking modal with a contact picker (``name`` preselects)."""
    queries = call.services.queries
    choices = queries.contacts.choices(call.team_id, call.user_id)
    if not choices:
        call.ack(no_contacts_to_schedule())
        return
    call.ack()
    preselect = _best_match(choices, call.args)
    _, timezone = queries.users.preferences(call.team_id, call.user_id)
    call.client.views_open(trigger_id=call.trigger_id, view=schedule_pick_modal(choices, preselect, timezone))


def _best_match(choices: list[ContactChoice], text: str) -> int | None:
    wanted = text.casefold().strip()
    if not wanted:
        return None
    for choice in choices:
        if wanted in choice.label.casefold():
            return choice.id
    return None


def schedule_picked(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """The modal of ``/infoint schedule``: a contact picked, and when."""
    services = services_of(context)
    values = form_values(view)
    picked = parse_contact(values.get("contact"))
    checked = validate_interview(values, services.clock())
    errors = dict(checked) if isinstance(checked, dict) else {}
    if picked is None:
        errors["contact"] = "Choose who the interview is with."
    if errors or isinstance(checked, dict) or picked is None:
        ack(response_action="errors", errors=errors)
        return
    origin = effects.origin_of(context, client)
    schedule = services.interviews.schedule
    book = partial(schedule, origin.team_id, origin.user_id, picked.contact_id, picked.version, checked)
    finish(ack, origin, "contact", book)


def booked_from_card(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """The modal of a card's "Schedule interview" button (handlers/contacts.py). Booked from a contact's
    card: the effect redraws that card, then sends the confirmation."""
    submit(ack, view, client, context, contact_metadata, "starts_at", interview_form, _book, in_place=True)


def _book(origin: Origin, about: ContactMetadata, when: InterviewInput) -> InterviewResult:
    interviews = origin.services.interviews
    return interviews.schedule(origin.team_id, origin.user_id, about.contact_id, about.version, when)


# The interview's DM -------------------------------------------------------------------------------


def reschedule(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The interview DM's "Reschedule": the booking modal, for a new time."""
    act(ack, body, action, client, context, respond, INTERVIEW_BUTTON, opens(_reschedule_view))


def _reschedule_view(click: Click[int]) -> dict[str, Any]:
    info = click.services.interviews.info(click.team_id, click.user_id, click.ref)
    metadata = InterviewMetadata(info.id).dumps()
    return schedule_modal(info.contact_name, metadata, callback_id=ViewId.RESCHEDULE_INTERVIEW)


def rescheduled(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    submit(ack, view, client, context, interview_metadata, "starts_at", interview_form, _move)


def _move(origin: Origin, about: InterviewMetadata, when: InterviewInput) -> InterviewResult:
    return origin.services.interviews.reschedule(origin.team_id, origin.user_id, about.interview_id, when)


def cancel(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The interview DM's "Cancel interview": the DM says so, and the calendar gets a cancellation."""
    act(ack, body, action, client, context, respond, INTERVIEW_BUTTON, _cancel, in_place=True)


def _cancel(click: Click[int]) -> InterviewResult:
    return click.services.interviews.cancel(click.team_id, click.user_id, click.ref)


def register(app: App) -> None:
    app.view(ViewId.SCHEDULE_PICK)(schedule_picked)
    app.view(ViewId.SCHEDULE_INTERVIEW)(booked_from_card)
    app.action(ActionId.INTERVIEW_RESCHEDULE)(reschedule)
    app.view(ViewId.RESCHEDULE_INTERVIEW)(rescheduled)
    app.action(ActionId.INTERVIEW_CANCEL)(cancel)
