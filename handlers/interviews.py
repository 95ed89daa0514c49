"""Scheduling from /infoint schedule, rescheduling and cancelling an interview from its DM.

The confirmation DM and its calendar file are effects of the booking (handlers/effects.py).
"""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.interviews import no_contacts_to_schedule, schedule_pick_modal
from bot.blocks.kit import esc, notice
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.forms import validate_interview
from bot.domain.ids import ActionId, ViewId
from bot.queries.models import ContactChoice
from bot.services import ActionRefused, Services
from handlers import effects
from handlers.commands import Invocation, subcommand
from handlers.common import form_values, message_location, parse_contact_value, team_of

log = logging.getLogger(__name__)


def _interview_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def _best_match(choices: list[ContactChoice], text: str) -> int | None:
    wanted = text.casefold().strip()
    if not wanted:
        return None
    for choice in choices:
        if wanted in choice.label.casefold():
            return choice.id
    return None


def register(app: App, services: Services) -> None:
    # Added when registered, not imported: /infoint help lists it last.
    @subcommand("schedule", "/infoint schedule [name]", "Book an interview with one of your contacts.")
    def schedule(call: Invocation) -> None:
        queries = services.queries
        choices = queries.contacts.choices(call.team_id, call.user_id)
        if not choices:
            call.ack(no_contacts_to_schedule())
            return
        call.ack()
        preselect = _best_match(choices, call.args)
        _, timezone = queries.users.preferences(call.team_id, call.user_id)
        call.client.views_open(
            trigger_id=call.trigger_id, view=schedule_pick_modal(choices, preselect, timezone)
        )

    @app.view(ViewId.SCHEDULE_PICK)
    def schedule_picked(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        values = form_values(view)
        picked = parse_contact_value(values.get("contact"))
        checked = validate_interview(values, services.clock())
        errors = dict(checked) if isinstance(checked, dict) else {}
        if picked is None:
            errors["contact"] = "Choose who the interview is with."
        if errors or isinstance(checked, dict):
            ack(response_action="errors", errors=errors)
            return
        assert picked is not None
        try:
            result = services.interviews.schedule(team_id, user_id, picked[0], picked[1], checked)
        except ActionRefused as refusal:
            ack(response_action="errors", errors={"contact": str(refusal)[:150]})
            return
        ack()
        effects.apply(effects.Origin(client, services, team_id, user_id), result.events)

    @app.action(ActionId.INTERVIEW_RESCHEDULE)
    def reschedule(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        interview_id = _interview_id(action.get("value"))
        try:
            if interview_id is None:
                raise ActionRefused("That button doesn't carry an interview I can read.")
            info = services.interviews.info(team_id, user_id, interview_id)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            return
        metadata = json.dumps({"interview": info.id})
        client.views_open(
            trigger_id=body["trigger_id"],
            view=schedule_modal(info.contact_name, metadata, callback_id=ViewId.RESCHEDULE_INTERVIEW),
        )

    @app.view(ViewId.RESCHEDULE_INTERVIEW)
    def rescheduled(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        try:
            interview_id = int(json.loads(view.get("private_metadata") or "{}")["interview"])
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
            result = services.interviews.reschedule(team_id, user_id, interview_id, checked)
        except ActionRefused as refusal:
            ack(response_action="errors", errors={"starts_at": str(refusal)[:150]})
            return
        ack()
        effects.apply(effects.Origin(client, services, team_id, user_id), result.events)

    @app.action(ActionId.INTERVIEW_CANCEL)
    def cancel(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        interview_id = _interview_id(action.get("value"))
        try:
            if interview_id is None:
                raise ActionRefused("That button doesn't carry an interview I can read.")
            result = services.interviews.cancel(team_id, user_id, interview_id)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            return
        origin = effects.Origin(client, services, team_id, user_id, message_location(body), respond)
        effects.apply(origin, result.events)
