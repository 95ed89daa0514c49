"""Contacts: ``/infoint log`` and ``/infoint list``, the log modal, and the buttons on a contact's card
and on the App Home (request sent, their reply, schedule an interview, open the list)."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.contacts import pipeline_message, pipeline_modal
from bot.blocks.modals.log_contact import log_contact_modal
from bot.blocks.modals.schedule import schedule_modal
from bot.domain import pipeline as core
from bot.domain.forms import validate_contact
from bot.domain.ids import ActionId, ViewId
from bot.services.events import ContactResult
from handlers import effects
from handlers.context import Invocation, services_of, team_of, user_of
from handlers.flows import Click, act, opens
from handlers.payloads import (
    CARD_BUTTON,
    CARD_MENU,
    ContactMetadata,
    ContactRef,
    form_values,
    message_location,
)

# Subcommands -------------------------------------------------------------------------------------


def log_command(call: Invocation) -> None:
    """``/infoint log``: the log modal."""
    call.ack()
    call.client.views_open(trigger_id=call.trigger_id, view=log_contact_modal())


def list_command(call: Invocation) -> None:
    """``/infoint list``: the pipeline, grouped by stage."""
    call.ack(pipeline_message(call.services.queries.contacts.pipeline(call.team_id, call.user_id)))


# The App Home's buttons, and the log modal --------------------------------------------------------


def open_log_modal(ack: Ack, body: dict, client: WebClient) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=log_contact_modal())


def open_pipeline(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    cards = services_of(context).queries.contacts.pipeline(team_of(context), user_of(context))
    client.views_open(trigger_id=body["trigger_id"], view=pipeline_modal(cards))


def log_contact(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    services = services_of(context)
    checked = validate_contact(form_values(view), services.clock())
    if isinstance(checked, dict):
        ack(response_action="errors", errors=checked)
        return
    result = services.contacts.log_contact(team_of(context), user_of(context), checked)
    ack()
    effects.apply(effects.origin_of(context, client), result.events)


# A contact's card ---------------------------------------------------------------------------------


def request_sent(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The card's "Request sent" or "Follow-up sent": one attempt, on the version the card was drawn for."""
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
    """Their answer to the request, from the card's menu (``"<contact id>:<version>:<answer>"``)."""
    act(ack, body, action, client, context, respond, CARD_MENU, _reply, in_place=True)


def _reply(click: Click[ContactRef]) -> ContactResult:
    ref = click.ref
    return click.services.contacts.reply(
        click.team_id, click.user_id, ref.contact_id, ref.version, ref.choice
    )


def schedule_interview(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The "Schedule interview" button of a card or a search result: the booking modal (its submission
    is in handlers/interviews.py)."""
    act(ack, body, action, client, context, respond, CARD_BUTTON, opens(_schedule_view))


def _schedule_view(click: Click[ContactRef]) -> dict[str, Any]:
    ref = click.ref
    card = click.services.contacts.card(click.team_id, click.user_id, ref.contact_id)
    metadata = ContactMetadata(ref.contact_id, ref.version, message_location(click.body))
    return schedule_modal(card.name, metadata.dumps())


def register(app: App) -> None:
    app.action(ActionId.OPEN_LOG_MODAL)(open_log_modal)
    app.action(ActionId.OPEN_PIPELINE)(open_pipeline)
    app.view(ViewId.LOG_CONTACT)(log_contact)
    app.action(ActionId.REQUEST_SENT)(request_sent)
    app.action(ActionId.REQUEST_VIA_INTRODUCER)(request_via_introducer)
    app.action(ActionId.REQUEST_DIRECT)(request_direct)
    app.action(ActionId.CONTACT_INTRODUCED)(contact_introduced)
    app.action(ActionId.CONTACT_REPLY)(contact_reply)
    app.action(ActionId.SCHEDULE_INTERVIEW)(schedule_interview)
