"""Search (``/infoint find``), outcomes (the ``contact_outcome`` menu) and ``/infoint goal``."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import lookup as views
from bot.blocks.kit import esc, notice
from bot.domain.forms import clean_text
from bot.domain.ids import ActionId, ViewId
from bot.queries.lookup import MAX_SEARCH
from bot.queries.models import OUTCOMES
from bot.services import ActionRefused, Services
from bot.services.lookup import validate_goal
from handlers import effects
from handlers.commands import Invocation, subcommand
from handlers.common import form_values, parse_contact_value, team_of

BAD_MENU = "That menu doesn't carry a contact I can read. Search again with `/infoint find [text]`."


@subcommand(
    "find",
    "/infoint find [text]",
    "Find your contacts by name, company or industry, with who introduced whom.",
)
def _find(call: Invocation) -> None:
    searched = clean_text(call.args)
    if not searched:
        call.ack(views.find_usage_message())
        return
    if len(searched) > MAX_SEARCH:
        call.ack(views.find_too_long_message(MAX_SEARCH))
        return
    result = call.services.queries.lookup.find(call.team_id, call.user_id, searched)
    if not result.total:
        call.ack(views.find_nothing_message(searched))
        return
    call.ack(views.find_message(searched, result.found, result.total))


@subcommand(
    "goal", "/infoint goal", "What you want to learn (industry, company, role) and your weekly targets."
)
def _goal(call: Invocation) -> None:
    call.ack()
    goal = call.services.queries.lookup.goal(call.team_id, call.user_id)
    call.client.views_open(trigger_id=call.trigger_id, view=views.goal_modal(goal))


def register(app: App, services: Services) -> None:
    @app.action(ActionId.CONTACT_OUTCOME)
    def contact_outcome(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        raw = (action.get("selected_option") or {}).get("value") or ""
        value, _, outcome = raw.rpartition(":")
        parsed = parse_contact_value(value)
        if parsed is None or outcome not in OUTCOMES:
            respond(notice(BAD_MENU))
            return
        try:
            result = services.lookup.record_outcome(team_id, user_id, parsed[0], parsed[1], outcome)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            return
        effects.apply(effects.Origin(client, services, team_id, user_id, respond=respond), result.events)

    @app.view(ViewId.GOAL)
    def save_goal(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        checked = validate_goal(form_values(view))
        if isinstance(checked, dict):
            ack(response_action="errors", errors=checked)
            return
        result = services.lookup.save_goal(team_id, user_id, checked)
        ack()
        effects.apply(effects.Origin(client, services, team_id, user_id), result.events)
