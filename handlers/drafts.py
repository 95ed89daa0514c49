"""'Draft a message' from a contact's card: the drafts that fit, and 'Sent it' to record the request;
the mail-app link button of every draft modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.drafts import contact_drafts_modal
from bot.domain.ids import ActionId, ViewId
from bot.services.events import Result
from handlers.effects import Origin
from handlers.flows import Click, act, no_form, opens, submit
from handlers.payloads import DRAFT_BUTTON, ContactMetadata, ContactRef, contact_metadata, message_location


def open_drafts(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The card's "Draft a message": the drafts that fit where the contact stands."""
    act(ack, body, action, client, context, respond, DRAFT_BUTTON, opens(_drafts_view))


def _drafts_view(click: Click[ContactRef]) -> dict[str, Any]:
    found = click.services.drafts.for_contact(click.team_id, click.user_id, click.ref.contact_id)
    metadata = ContactMetadata(found.contact_id, click.ref.version, message_location(click.body))
    return contact_drafts_modal(found, metadata.dumps())


def sent_it(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """The drafts modal's "Sent it": a request or follow-up is recorded; the card it came from redrawn.
    Refused, the modal says why and the card it was opened from stays as it is."""
    submit(ack, view, client, context, contact_metadata, "draft", no_form, _sent, in_place=True)


def _sent(origin: Origin, about: ContactMetadata, _checked: bool) -> Result:
    return origin.services.drafts.sent(origin.team_id, origin.user_id, about.contact_id, about.version)


def open_mailto(ack: Ack) -> None:
    ack()  # a link button: Slack opens the URL; the click still needs an answer


def register(app: App) -> None:
    app.action(ActionId.CONTACT_DRAFT)(open_drafts)
    app.view(ViewId.CONTACT_DRAFT)(sent_it)
    app.action(ActionId.OPEN_MAILTO)(open_mailto)
