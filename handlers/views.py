"""Modal submissions: logging a contact, and booking an interview from a contact's card."""

from __future__ import annotations

import json

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain.forms import validate_contact, validate_interview
from bot.domain.ids import ViewId
from bot.services import ActionRefused, Services
from handlers import effects
from handlers.common import form_values, team_of


def register(app: App, services: Services) -> None:
    @app.view(ViewId.LOG_CONTACT)
    def log_contact(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        checked = validate_contact(form_values(view), services.clock())
        if isinstance(checked, dict):
            ack(response_action="errors", errors=checked)
            return
        result = services.contacts.log_contact(team_id, user_id, checked)
        ack()
        effects.apply(effects.Origin(client, services, team_id, user_id), result.events)

    @app.view(ViewId.SCHEDULE_INTERVIEW)
    def schedule_interview(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
            contact_id, version = int(metadata["contact"]), int(metadata["version"])
        except (ValueError, KeyError, TypeError):
            ack(
                response_action="errors",
                errors={"starts_at": "This form is out of date. Close it and try again."},
            )
            return
        checked = validate_interview(form_values(view), services.clock())
        if isinstance(checked, dict):
            ack(response_action="errors", errors=checked)
            return
        try:
            result = services.interviews.schedule(team_id, user_id, contact_id, version, checked)
        except ActionRefused as refusal:
            ack(response_action="errors", errors={"starts_at": str(refusal)[:150]})
            return
        ack()
        # Booked from a contact's card: the effect redraws that card, then sends the confirmation.
        channel, ts = metadata.get("channel"), metadata.get("ts")
        where = (channel, ts) if isinstance(channel, str) and isinstance(ts, str) else None
        effects.apply(effects.Origin(client, services, team_id, user_id, where), result.events)
