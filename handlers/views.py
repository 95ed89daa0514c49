"""Modal submissions (view_submission)."""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.contacts import contact_message
from bot.blocks.kit import esc
from bot.domain.forms import validate_contact, validate_interview
from bot.domain.ids import ViewId
from bot.interview_service import InterviewService
from bot.services import ActionRefused, Services
from handlers.common import form_values, learn_timezone, team_of
from handlers.events import publish_home
from handlers.interviews import send_confirmation

logger = logging.getLogger(__name__)


def _dm(client: WebClient, services: Services, team_id: str, user_id: str, message: dict) -> None:
    response = client.chat_postMessage(channel=user_id, **message)
    services.remember_user(team_id, user_id, dm_channel=response.get("channel"))


def register(app: App, services: Services) -> None:
    interviews = InterviewService(services.db, services.clock)

    @app.view(ViewId.LOG_CONTACT)
    def log_contact(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        checked = validate_contact(form_values(view), services.clock())
        if isinstance(checked, dict):
            ack(response_action="errors", errors=checked)
            return
        card = services.log_contact(team_id, user_id, checked)
        ack()
        headline = f"📇 Saved *{esc(card.name)}* to your list. What's next?"
        _dm(client, services, team_id, user_id, contact_message(card, headline))
        learn_timezone(services, client, team_id, user_id)
        try:
            publish_home(services, client, team_id, user_id)
        except SlackApiError as error:
            logger.warning("could not refresh the App Home: %s", error.response.get("error"))

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
            info = interviews.schedule(team_id, user_id, contact_id, version, checked)
        except ActionRefused as refusal:
            ack(response_action="errors", errors={"starts_at": str(refusal)[:150]})
            return
        ack()
        channel, ts = metadata.get("channel"), metadata.get("ts")
        if isinstance(channel, str) and isinstance(ts, str):
            card = services.contact_card(team_id, user_id, contact_id)
            booked = f"📅 Interview with *{esc(card.name)}* booked: details below."
            client.chat_update(channel=channel, ts=ts, **contact_message(card, booked))
        name = esc(info.contact_name)
        headline = f"📅 Interview with *{name}* scheduled. Prepare your questions beforehand."
        send_confirmation(client, services, team_id, user_id, info, headline)
