"""A contact's ⋯ menu (snooze its reminder, schedule, edit, remove), **Close as no response**, and
the edit and remove forms. What was done shows where it was done (handlers/places.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.actions import MORE_CHOICES, MORE_EDIT, MORE_REMOVE, MORE_SCHEDULE
from bot.blocks.modals.log_contact import LogForm, log_contact_modal, removal_modal, said_modal
from bot.domain.forms import validate_contact
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused
from bot.services.events import Result
from handlers import effects
from handlers.contacts import schedule_view
from handlers.context import services_of, team_of, user_of
from handlers.effects import Done
from handlers.flows import Click, act, open_modal
from handlers.origins import FormMetadata, form_metadata
from handlers.payloads import (
    BAD_CONTACT_BUTTON,
    CARD_BUTTON,
    OUT_OF_DATE,
    ContactMetadata,
    ContactRef,
    Reading,
    contact_metadata,
    form_values,
    message_location,
    parse_contact_choice,
)


def parse_more(raw: str | None) -> ContactRef | None:
    """The ⋯ menu's ``"<contact id>:<version>:<snooze_1d | snooze_1w | schedule | edit | remove>"``."""
    found = parse_contact_choice(raw)
    return found if found is not None and found.choice in MORE_CHOICES else None


MORE_MENU = Reading(parse_more, BAD_CONTACT_BUTTON)


def contact_more(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The ⋯ menu: snooze the reminder waiting about the contact, or open the schedule, edit or
    remove form."""
    act(ack, body, action, client, context, respond, MORE_MENU, _more, in_place=True)


def _more(click: Click[ContactRef]) -> Done:
    ref = click.ref
    if ref.choice == MORE_SCHEDULE:
        view = schedule_view(click)
    elif ref.choice in (MORE_EDIT, MORE_REMOVE):
        view = _form(click)
    else:
        return click.services.edits.snooze(click.team_id, click.user_id, ref.contact_id, ref.choice)
    open_modal(click.origin.client, click.body, view)
    return Result()


def _form(click: Click[ContactRef]) -> dict[str, Any]:
    """The edit form filled in, or the form asking before a removal (refused for anyone else's)."""
    details = click.services.edits.details(click.team_id, click.user_id, click.ref.contact_id)
    actions = click.body.get("actions") or [{}]
    place, url = effects.place_of(click.body, actions[0])
    where = message_location(click.body)
    if click.ref.choice == MORE_EDIT:
        metadata = FormMetadata(True, details.id, details.version, place, url, where)
        return log_contact_modal(metadata.dumps(), LogForm.to_edit(details))
    removal = ContactMetadata(details.id, details.version, where, place, url)
    return removal_modal(details.name, removal.dumps())


def contact_move_on(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """**Close as no response**, once the tries are used up."""
    act(ack, body, action, client, context, respond, CARD_BUTTON, _move_on, in_place=True)


def _move_on(click: Click[ContactRef]) -> Done:
    ref = click.ref
    return click.services.edits.move_on(click.team_id, click.user_id, ref.contact_id, ref.version)


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
