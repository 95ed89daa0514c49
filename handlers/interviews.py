"""Interviews: ``/infoint schedule``, booking from a contact's card, and rescheduling or cancelling from
the interview's DM.

The confirmation DM and its calendar file are effects of the booking (handlers/effects.py).
"""

from __future__ import annotations

from functools import partial

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.interviews import no_contacts_to_schedule, schedule_pick_modal
from bot.blocks.kit import notice
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.forms import validate_interview
from bot.domain.ids import ActionId, ViewId
from bot.queries.models import ContactChoice
from bot.services import ActionRefused
from handlers import effects
from handlers.context import Invocation, services_of, team_of, user_of
from handlers.payloads import (
    BAD_INTERVIEW,
    OUT_OF_DATE,
    InterviewMetadata,
    action_value,
    contact_metadata,
    form_values,
    interview_metadata,
    message_location,
    parse_contact,
    parse_interview,
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
    try:
        result = services.interviews.schedule(
            team_of(context), user_of(context), picked.contact_id, picked.version, checked
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"contact": str(refusal)[:150]})
        return
    ack()
    effects.apply(effects.origin_of(context, client), result.events)


def booked_from_card(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """The modal of a card's "Schedule interview" button (handlers/contacts.py)."""
    services = services_of(context)
    metadata = contact_metadata(view.get("private_metadata"))
    if metadata is None:
        ack(response_action="errors", errors={"starts_at": OUT_OF_DATE})
        return
    checked = validate_interview(form_values(view), services.clock())
    if isinstance(checked, dict):
        ack(response_action="errors", errors=checked)
        return
    try:
        result = services.interviews.schedule(
            team_of(context), user_of(context), metadata.contact_id, metadata.version, checked
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"starts_at": str(refusal)[:150]})
        return
    ack()
    # Booked from a contact's buttons: the effect shows it there, then sends the confirmation.
    origin = effects.form_origin(context, client, metadata.message, metadata.place, metadata.response_url)
    effects.apply(origin, result.events)


# The interview's DM -------------------------------------------------------------------------------


def reschedule(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The interview DM's "Reschedule": the booking modal, for a new time."""
    ack()
    interview_id = parse_interview(action_value(action))
    if interview_id is None:
        respond(notice(BAD_INTERVIEW))
        return
    origin = effects.origin_of(context, client, respond=respond)
    try:
        info = origin.services.interviews.info(origin.team_id, origin.user_id, interview_id)
    except ActionRefused as refusal:
        effects.refuse(origin, refusal)
        return
    metadata = InterviewMetadata(info.id).dumps()
    view = schedule_modal(info.contact_name, metadata, callback_id=ViewId.RESCHEDULE_INTERVIEW)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def rescheduled(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    services = services_of(context)
    metadata = interview_metadata(view.get("private_metadata"))
    if metadata is None:
        ack(response_action="errors", errors={"starts_at": OUT_OF_DATE})
        return
    checked = validate_interview(form_values(view), services.clock())
    if isinstance(checked, dict):
        ack(response_action="errors", errors=checked)
        return
    try:
        result = services.interviews.reschedule(
            team_of(context), user_of(context), metadata.interview_id, checked
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"starts_at": str(refusal)[:150]})
        return
    ack()
    effects.apply(effects.origin_of(context, client), result.events)


def cancel(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The interview DM's "Cancel interview": the DM says so, and the calendar gets a cancellation."""
    ack()
    interview_id = parse_interview(action_value(action))
    if interview_id is None:
        respond(notice(BAD_INTERVIEW))
        return
    origin = effects.origin_of(context, client, message_location(body), respond)
    interviews = origin.services.interviews
    effects.settle(origin, partial(interviews.cancel, origin.team_id, origin.user_id, interview_id))


def register(app: App) -> None:
    app.view(ViewId.SCHEDULE_PICK)(schedule_picked)
    app.view(ViewId.SCHEDULE_INTERVIEW)(booked_from_card)
    app.action(ActionId.INTERVIEW_RESCHEDULE)(reschedule)
    app.view(ViewId.RESCHEDULE_INTERVIEW)(rescheduled)
    app.action(ActionId.INTERVIEW_CANCEL)(cancel)
