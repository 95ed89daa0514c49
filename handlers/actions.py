"""Button clicks (block_actions)."""

from __future__ import annotations

import json

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.contacts import contact_message, pipeline_modal
from bot.blocks.kit import esc, notice
from bot.blocks.modals.log_contact import log_contact_modal
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.ids import ActionId
from bot.services import ActionRefused, Services
from handlers.common import message_location, parse_contact_value, team_of

BAD_BUTTON = "That button doesn't carry a contact I can read. Open your list with `/infoint list`."


def register(app: App, services: Services) -> None:
    @app.action(ActionId.REQUEST_SENT)
    def request_sent(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        parsed = parse_contact_value(action.get("value"))
        if parsed is None:
            respond(notice(BAD_BUTTON))
            return
        contact_id, version = parsed
        where = message_location(body)
        try:
            card = services.request_sent(team_id, user_id, contact_id, version)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            _refresh(services, client, team_id, user_id, contact_id, where)
            return
        headline = (
            "✅ Request recorded."
            if card.attempts == 1
            else f"✅ Follow-up recorded (attempt {card.attempts})."
        )
        if where:
            client.chat_update(channel=where[0], ts=where[1], **contact_message(card, headline))
        else:
            respond(notice(headline))

    @app.action(ActionId.CONTACT_REPLY)
    def contact_reply(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        raw = (action.get("selected_option") or {}).get("value") or ""
        value, _, answer = raw.rpartition(":")
        parsed = parse_contact_value(value)
        if parsed is None:
            respond(notice(BAD_BUTTON))
            return
        where = message_location(body)
        try:
            card = services.reply(team_id, user_id, parsed[0], parsed[1], answer)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            _refresh(services, client, team_id, user_id, parsed[0], where)
            return
        name = f"*{esc(card.name)}*"
        headline = {
            "yes": f"🎉 {name} said yes. Book the slot that suits them.",
            "no": f"🙏 {name} said no. Closed politely: it's not personal. On to the next one.",
            "later": f"⏳ {name} will get back to you later. I'll remind you in two weeks.",
        }[answer]
        if where:
            client.chat_update(channel=where[0], ts=where[1], **contact_message(card, headline))
        else:
            respond(notice(headline))

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
            card = services.contact_card(team_id, user_id, contact_id)
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
        cards = services.pipeline(team_of(context), body["user"]["id"])
        client.views_open(trigger_id=body["trigger_id"], view=pipeline_modal(cards))


def _refresh(
    services: Services,
    client: WebClient,
    team_id: str,
    user_id: str,
    contact_id: int,
    where: tuple[str, str] | None,
) -> None:
    """Redraw a stale DM with the contact as it is now, so its buttons tell the truth."""
    if where is None:
        return
    try:
        card = services.contact_card(team_id, user_id, contact_id)
    except ActionRefused:
        return
    client.chat_update(
        channel=where[0],
        ts=where[1],
        **contact_message(card, f"Where things stand with {esc(card.name)}:"),
    )
