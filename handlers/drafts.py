"""'Draft a message' from a contact DM: the drafts that fit, and 'Sent it' to record the request."""

from __future__ import annotations

import json

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.drafts import contact_drafts_modal
from bot.blocks.kit import esc, notice
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused, Services
from handlers import effects
from handlers.common import message_location, parse_contact_value, team_of


def register(app: App, services: Services) -> None:
    @app.action(ActionId.CONTACT_DRAFT)
    def open_drafts(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        parsed = parse_contact_value(action.get("value"))
        try:
            if parsed is None:
                raise ActionRefused("That button doesn't carry a contact I can read.")
            found = services.drafts.for_contact(team_id, user_id, parsed[0])
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            return
        metadata: dict[str, object] = {"contact": found.contact_id, "version": parsed[1]}
        where = message_location(body)
        if where:
            metadata |= {"channel": where[0], "ts": where[1]}
        client.views_open(
            trigger_id=body["trigger_id"], view=contact_drafts_modal(found, json.dumps(metadata))
        )

    @app.view(ViewId.CONTACT_DRAFT)
    def sent_it(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
            contact_id, version = int(metadata["contact"]), int(metadata["version"])
        except (ValueError, KeyError, TypeError):
            ack(
                response_action="errors",
                errors={"draft": "This form is out of date. Close it and try again."},
            )
            return
        try:
            result = services.drafts.sent(team_id, user_id, contact_id, version)
        except ActionRefused as refusal:
            # The modal says why; the card it was opened from stays as it is.
            ack(response_action="errors", errors={"draft": str(refusal)[:150]})
            return
        ack()
        channel, ts = metadata.get("channel"), metadata.get("ts")
        where = (channel, ts) if isinstance(channel, str) and isinstance(ts, str) else None
        effects.apply(effects.Origin(client, services, team_id, user_id, where), result.events)
