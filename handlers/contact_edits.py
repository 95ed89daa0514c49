"""A contact's ⋯ menu (snooze its reminder, schedule, edit, remove), **Close as no response**, and
the edit and remove forms. What was done shows where it was done (handlers/places.py)."""

from __future__ import annotations

from functools import partial

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.actions import MORE_CHOICES, MORE_EDIT, MORE_REMOVE, MORE_SCHEDULE
from bot.blocks.kit import notice
from bot.blocks.modals.log_contact import LogForm, log_contact_modal, removal_modal, said_modal
from bot.domain.forms import validate_contact
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused
from handlers import effects
from handlers.contacts import open_modal, open_schedule
from handlers.context import services_of, team_of, user_of
from handlers.payloads import (
    BAD_CONTACT_BUTTON,
    OUT_OF_DATE,
    ContactMetadata,
    FormMetadata,
    action_value,
    contact_metadata,
    form_metadata,
    form_values,
    message_location,
    parse_contact,
    parse_contact_choice,
)


def contact_more(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The ⋯ menu: ``"<contact id>:<version>:<snooze_1d | snooze_1w | schedule | edit | remove>"``."""
    ack()
    ref = parse_contact_choice(action_value(action))
    if ref is None or ref.choice not in MORE_CHOICES:
        respond(notice(BAD_CONTACT_BUTTON))
        return
    if ref.choice == MORE_SCHEDULE:
        open_schedule(body, action, client, context, respond, ref.contact_id, ref.version)
        return
    origin = effects.click_origin(context, client, body, action, respond)
    if ref.choice not in (MORE_EDIT, MORE_REMOVE):
        effects.settle(
            origin,
            partial(origin.services.edits.snooze, origin.team_id, origin.user_id, ref.contact_id, ref.choice),
        )
        return
    try:
        details = origin.services.edits.details(origin.team_id, origin.user_id, ref.contact_id)
    except ActionRefused as refusal:
        effects.refuse(origin, refusal)
        return
    place, url = effects.place_of(body, action)
    where = message_location(body)
    if ref.choice == MORE_EDIT:
        metadata = FormMetadata(True, details.id, details.version, place, url, where)
        open_modal(client, body, log_contact_modal(metadata.dumps(), LogForm.to_edit(details)))
    else:
        removal = ContactMetadata(details.id, details.version, where, place, url)
        open_modal(client, body, removal_modal(details.name, removal.dumps()))


def contact_move_on(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """**Close as no response**, once the tries are used up."""
    ack()
    ref = parse_contact(action_value(action))
    if ref is None:
        respond(notice(BAD_CONTACT_BUTTON))
        return
    origin = effects.click_origin(context, client, body, action, respond)
    edits = origin.services.edits
    effects.settle(
        origin, partial(edits.move_on, origin.team_id, origin.user_id, ref.contact_id, ref.version)
    )


def save_edit(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """The edit form: checked like the log form, saved only on the version it was opened for (a stale
    form says so)."""
    services = services_of(context)
    metadata = form_metadata(view.get("private_metadata"))
    if metadata is None or metadata.contact_id is None or metadata.version is None:
        ack(response_action="errors", errors={"name": OUT_OF_DATE})
        return
    checked = validate_contact(form_values(view), services.clock())
    if isinstance(checked, dict):
        ack(response_action="errors", errors=checked)
        return
    try:
        result = services.edits.edit(
            team_of(context), user_of(context), metadata.contact_id, metadata.version, checked
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"name": str(refusal)[:150]})
        return
    ack()
    origin = effects.form_origin(context, client, metadata.message, metadata.place, metadata.response_url)
    effects.apply(origin, result.events)


def confirm_remove(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """ "Remove" in the form that asked first."""
    metadata = contact_metadata(view.get("private_metadata"))
    if metadata is None:
        ack(response_action="clear")
        return
    services = services_of(context)
    try:
        result = services.edits.remove(
            team_of(context), user_of(context), metadata.contact_id, metadata.version
        )
    except ActionRefused as refusal:
        ack(response_action="update", view=said_modal("Remove a contact", str(refusal)))
        return
    ack()
    origin = effects.form_origin(context, client, metadata.message, metadata.place, metadata.response_url)
    effects.apply(origin, result.events)


def register(app: App) -> None:
    app.action(ActionId.CONTACT_MORE)(contact_more)
    app.action(ActionId.CONTACT_MOVE_ON)(contact_move_on)
    app.view(ViewId.EDIT_CONTACT)(save_edit)
    app.view(ViewId.REMOVE_CONTACT)(confirm_remove)
