"""'Draft a message' from a contact's card: the drafts that fit, and 'Sent it' to record the request;
the mail-app link button of every draft modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.drafts import SENT_VIA, contact_drafts_modal
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused
from bot.services.drafts import RouteUnsaid
from handlers import effects
from handlers.context import services_of, team_of, user_of
from handlers.flows import Click, act, opens
from handlers.payloads import (
    DRAFT_BUTTON,
    OUT_OF_DATE,
    ContactMetadata,
    ContactRef,
    contact_metadata,
    form_values,
    message_location,
    parse_route,
)


def open_drafts(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The card's "Draft a message": the drafts that fit where the contact stands."""
    act(ack, body, action, client, context, respond, DRAFT_BUTTON, opens(_drafts_view))


def _drafts_view(click: Click[ContactRef]) -> dict[str, Any]:
    found = click.services.drafts.for_contact(click.team_id, click.user_id, click.ref.contact_id)
    actions = click.body.get("actions") or [{}]
    place, url = effects.place_of(click.body, actions[0])
    metadata = ContactMetadata(found.contact_id, click.ref.version, message_location(click.body), place, url)
    return contact_drafts_modal(found, metadata.dumps())


def sent_it(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """The drafts modal's "Sent it": a request or follow-up is recorded; the card it came from redrawn."""
    metadata = contact_metadata(view.get("private_metadata"))
    if metadata is None:
        ack(response_action="errors", errors={"draft": OUT_OF_DATE})
        return
    drafts = services_of(context).drafts
    # A 2nd-degree target's drafts say whom the request went to.
    route = parse_route(form_values(view).get(SENT_VIA))
    try:
        result = drafts.sent(team_of(context), user_of(context), metadata.contact_id, metadata.version, route)
    except RouteUnsaid as refusal:
        ack(response_action="errors", errors={SENT_VIA: str(refusal)[:150]})
        return
    except ActionRefused as refusal:
        # The modal says why; the card it was opened from stays as it is.
        ack(response_action="errors", errors={"draft": str(refusal)[:150]})
        return
    ack()
    origin = effects.form_origin(context, client, metadata.message, metadata.place, metadata.response_url)
    effects.apply(origin, result.events)


def open_mailto(ack: Ack) -> None:
    ack()  # a link button: Slack opens the URL; the click still needs an answer


def register(app: App) -> None:
    app.action(ActionId.CONTACT_DRAFT)(open_drafts)
    app.view(ViewId.CONTACT_DRAFT)(sent_it)
    app.action(ActionId.OPEN_MAILTO)(open_mailto)
