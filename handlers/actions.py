"""Button clicks (block_actions) on a contact's DM and the App Home."""

from __future__ import annotations

import json

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.contacts import pipeline_modal
from bot.blocks.kit import esc, notice
from bot.blocks.modals.log_contact import log_contact_modal
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.ids import ActionId
from bot.services import ActionRefused, Services
from handlers import effects
from handlers.common import message_location, parse_contact_value, team_of

BAD_BUTTON = "That button doesn't carry a contact I can read. Open your list with `/infoint list`."


def register(app: App, services: Services) -> None:
    @app.action(ActionId.REQUEST_SENT)
    def request_sent(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        origin = effects.Origin(client, services, team_id, user_id, message_location(body), respond)
        parsed = parse_contact_value(action.get("value"))
        if parsed is None:
            respond(notice(BAD_BUTTON))
            return
        contact_id, version = parsed
        try:
            result = services.contacts.request_sent(team_id, user_id, contact_id, version)
        except ActionRefused as refusal:
            effects.refuse(origin, refusal)
            return
        effects.apply(origin, result.events)

    @app.action(ActionId.CONTACT_REPLY)
    def contact_reply(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        origin = effects.Origin(client, services, team_id, user_id, message_location(body), respond)
        raw = (action.get("selected_option") or {}).get("value") or ""
        value, _, answer = raw.rpartition(":")
        parsed = parse_contact_value(value)
        if parsed is None:
            respond(notice(BAD_BUTTON))
            return
        try:
            result = services.contacts.reply(team_id, user_id, parsed[0], parsed[1], answer)
        except ActionRefused as refusal:
            effects.refuse(origin, refusal)
            return
        effects.apply(origin, result.events)

    @app.action(ActionId.SCHEDULE_INTERVIEW)
    def schedule_interview(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        parsed = parse_contact_value(action.get("value"))
        if parsed is None:
            respond(notice(BAD_BUTTON))
            return
        contact_id, version = parsed
        try:
            card = services.contacts.card(team_id, user_id, contact_id)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            return
        where = message_location(body)
        metadata = {"contact": contact_id, "version": version}
        if where:
            metadata |= {"channel": where[0], "ts": where[1]}
        client.views_open(trigger_id=body["trigger_id"], view=schedule_modal(card.name, json.dumps(metadata)))

    @app.action(ActionId.OPEN_LOG_MODAL)
    def open_log_modal(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=log_contact_modal())

    @app.action(ActionId.OPEN_PIPELINE)
    def open_pipeline(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        cards = services.queries.contacts.pipeline(team_of(context), body["user"]["id"])
        client.views_open(trigger_id=body["trigger_id"], view=pipeline_modal(cards))
