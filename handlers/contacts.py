"""Contacts: ``/infoint log`` and ``/infoint list``, the log form (what applies appears as it is
filled in), and the buttons on a contact wherever it appears (request sent, their reply, schedule an
interview, the list's pages, the App Home's buttons)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.contacts import pipeline_message, pipeline_modal
from bot.blocks.modals.log_contact import LogForm, log_contact_modal
from bot.blocks.modals.schedule import schedule_modal
from bot.domain import pipeline as core
from bot.domain.forms import ContactInput, validate_contact
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused
from bot.services.events import ContactResult
from handlers import effects, whose
from handlers.context import Invocation, checked_first, services_of, team_of, user_of
from handlers.flows import Click, act, open_modal, opens
from handlers.origins import FormMetadata, form_metadata, in_modal, response_url
from handlers.payloads import (
    CARD_BUTTON,
    CARD_MENU,
    OUT_OF_DATE,
    ContactMetadata,
    ContactRef,
    action_value,
    form_values,
    message_location,
    parse_id,
)

log = logging.getLogger(__name__)

# Subcommands -------------------------------------------------------------------------------------


def log_command(call: Invocation) -> None:
    """``/infoint log``: the log form; once saved, the contact is shown where the command was typed."""
    call.ack()
    answer = getattr(call.respond, "response_url", None) if call.respond is not None else None
    metadata = FormMetadata(response_url=answer or "")
    view = whose.keyed(log_contact_modal(metadata.dumps()), call.user_id)
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def list_command(call: Invocation) -> None:
    """``/infoint list``: every contact by stage, with its buttons, a page at a time."""
    call.ack(pipeline_message(call.services.queries.contacts.pipeline(call.team_id, call.user_id)))


# The App Home's buttons, the list's pages ---------------------------------------------------------


def open_log_modal(ack: Ack, body: dict, client: WebClient) -> None:
    """ "Log a contact" on the App Home (or in help): once saved, the Home (or the answer) shows it."""
    ack()
    place = effects.HOME_PLACE if (body.get("view") or {}).get("type") == "home" else ""
    metadata = FormMetadata(place=place, response_url=response_url(body))
    open_modal(client, body, log_contact_modal(metadata.dumps()))


def open_pipeline(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    cards = services_of(context).queries.contacts.pipeline(team_of(context), user_of(context))
    open_modal(client, body, pipeline_modal(cards))


def list_page(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The list's Previous / Next: the same answer (or modal), on another page."""
    ack()
    page = parse_id(action_value(action)) or 1
    cards = services_of(context).queries.contacts.pipeline(team_of(context), user_of(context))
    if in_modal(body):
        whose.update_view(client, user_of(context), body.get("view"), pipeline_modal(cards, page))
    elif response_url(body):
        respond({**pipeline_message(cards, page), "replace_original": True})


# The log form ------------------------------------------------------------------------------------


def log_form_changed(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """A radio button of the form changed (how you know them, where things stand): the form shows
    what now applies, keeping what was typed (``views.update`` with the view's hash)."""
    ack()
    _redraw_form(body, client, context, more=False)


def log_add_details(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """ "Add details": the form shows the other fields."""
    ack()
    _redraw_form(body, client, context, more=True)


def _redraw_form(body: dict, client: WebClient, context: BoltContext, more: bool) -> None:
    view = body.get("view")
    metadata = form_metadata(view.get("private_metadata")) if isinstance(view, dict) else None
    if not isinstance(view, dict) or metadata is None:
        return
    if more:
        metadata = FormMetadata(
            True,
            metadata.contact_id,
            metadata.version,
            metadata.place,
            metadata.response_url,
            metadata.message,
        )
    editing = None
    if metadata.contact_id is not None:
        try:
            editing = services_of(context).edits.details(
                team_of(context), user_of(context), metadata.contact_id
            )
        except ActionRefused:
            return
    form = LogForm.of(form_values(view), metadata.details, editing)
    hash = view.get("hash")
    try:
        whose.update_view(
            client,
            user_of(context),
            view,
            log_contact_modal(metadata.dumps(), form),
            hash if isinstance(hash, str) else None,
        )
    except SlackApiError as error:
        # hash_conflict: the form changed again meanwhile; the later change draws it.
        log.info("the log form was not redrawn: %s", error.response.get("error"))


def log_form(view: Mapping[str, Any], now: datetime) -> tuple[FormMetadata, ContactInput] | dict[str, str]:
    """The log form as submitted: where it was opened from and the contact, or the errors by field.
    Pure, no database: the app checks it before the listener starts (``FORMS_CHECKED_FIRST``)."""
    metadata = form_metadata(view.get("private_metadata"))
    if metadata is None:
        return {"name": OUT_OF_DATE}
    checked = validate_contact(form_values(view), now)
    return checked if isinstance(checked, dict) else (metadata, checked)


def log_contact(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    services = services_of(context)
    form = checked_first(context) or log_form(view, services.clock())
    if isinstance(form, dict):
        ack(response_action="errors", errors=form)
        return
    ack()  # the form is right: it closes now, the contact is saved after (nothing for the ack to carry)
    metadata, checked = form
    result = services.contacts.log_contact(team_of(context), user_of(context), checked)
    origin = effects.form_origin(context, client, metadata.message, metadata.place, metadata.response_url)
    effects.apply(origin, result.events)


# A contact's card ---------------------------------------------------------------------------------


def request_sent(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """ "Request sent", "Follow-up sent" or "Called them": one attempt, on the version the buttons were
    drawn for."""
    act(ack, body, action, client, context, respond, CARD_BUTTON, _request_sent, in_place=True)


def _request_sent(click: Click[ContactRef]) -> ContactResult:
    return _routed(None, click)


def _routed(route: core.RequestRoute | None, click: Click[ContactRef]) -> ContactResult:
    ref = click.ref
    contacts = click.services.contacts
    return contacts.request_sent(click.team_id, click.user_id, ref.contact_id, ref.version, route)


def request_via_introducer(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """A 2nd-degree contact's card, asked whom the request went to: "I asked … for an introduction"."""
    run = partial(_routed, core.RequestRoute.INTRODUCTION)
    act(ack, body, action, client, context, respond, CARD_BUTTON, run, in_place=True)


def request_direct(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """A 2nd-degree contact's card, asked whom the request went to: "I wrote to … directly"."""
    run = partial(_routed, core.RequestRoute.DIRECT)
    act(ack, body, action, client, context, respond, CARD_BUTTON, run, in_place=True)


def contact_introduced(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The card's "They introduced us": the request to the contact comes next."""
    act(ack, body, action, client, context, respond, CARD_BUTTON, _introduced, in_place=True)


def _introduced(click: Click[ContactRef]) -> ContactResult:
    ref = click.ref
    return click.services.contacts.introduced(click.team_id, click.user_id, ref.contact_id, ref.version)


def contact_reply(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """Their answer to the request, from **They replied…** (``"<contact id>:<version>:<answer>"``)."""
    act(ack, body, action, client, context, respond, CARD_MENU, _reply, in_place=True)


def _reply(click: Click[ContactRef]) -> ContactResult:
    ref = click.ref
    return click.services.contacts.reply(
        click.team_id, click.user_id, ref.contact_id, ref.version, ref.choice
    )


def schedule_interview(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """ "Schedule interview" wherever a contact appears: the booking modal (its submission is in
    handlers/interviews.py)."""
    act(ack, body, action, client, context, respond, CARD_BUTTON, opens(schedule_view))


def schedule_view(click: Click[ContactRef]) -> dict[str, Any]:
    """The booking modal, keeping where it was opened from (to show the booking there)."""
    ref = click.ref
    card = click.services.contacts.card(click.team_id, click.user_id, ref.contact_id)
    place, url = effects.place_of(click.body, _action(click))
    metadata = ContactMetadata(ref.contact_id, ref.version, message_location(click.body), place, url)
    return schedule_modal(card.name, metadata.dumps())


def _action(click: Click[Any]) -> dict[str, Any]:
    actions = click.body.get("actions")
    return actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}


def register(app: App) -> None:
    app.action(ActionId.OPEN_LOG_MODAL)(open_log_modal)
    app.action(ActionId.OPEN_PIPELINE)(open_pipeline)
    app.action(ActionId.LIST_PAGE)(list_page)
    app.action(ActionId.LIST_PAGE_BACK)(list_page)
    app.action(ActionId.LOG_FORM_CHANGED)(log_form_changed)
    app.action(ActionId.LOG_ADD_DETAILS)(log_add_details)
    app.view(ViewId.LOG_CONTACT)(log_contact)
    app.action(ActionId.REQUEST_SENT)(request_sent)
    app.action(ActionId.REQUEST_VIA_INTRODUCER)(request_via_introducer)
    app.action(ActionId.REQUEST_DIRECT)(request_direct)
    app.action(ActionId.CONTACT_INTRODUCED)(contact_introduced)
    app.action(ActionId.CONTACT_REPLY)(contact_reply)
    app.action(ActionId.SCHEDULE_INTERVIEW)(schedule_interview)
