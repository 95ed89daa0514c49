"""Search (``/infoint find``), outcomes (the ``contact_outcome`` menu) and ``/infoint goal``."""

from __future__ import annotations

from functools import partial

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import lookup as views
from bot.blocks.kit import notice
from bot.domain.forms import clean_text
from bot.domain.ids import ActionId, ViewId
from bot.queries.lookup import MAX_SEARCH
from bot.queries.models import OUTCOMES
from bot.services.lookup import validate_goal
from handlers import effects
from handlers.context import Invocation, services_of, team_of, user_of
from handlers.payloads import BAD_CONTACT_MENU, action_value, form_values, parse_contact_choice


def find_command(call: Invocation) -> None:
    """``/infoint find [text]``: the user's contacts by name, company or industry."""
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


def goal_command(call: Invocation) -> None:
    """``/infoint goal``: the objective and weekly targets modal."""
    call.ack()
    goal = call.services.queries.lookup.goal(call.team_id, call.user_id)
    call.client.views_open(trigger_id=call.trigger_id, view=views.goal_modal(goal))


def contact_outcome(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """A search result's outcome menu: ``"<contact id>:<version>:<outcome>"``."""
    ack()
    ref = parse_contact_choice(action_value(action))
    if ref is None or ref.choice not in OUTCOMES:
        respond(notice(BAD_CONTACT_MENU))
        return
    origin = effects.origin_of(context, client, respond=respond)
    lookup = origin.services.lookup
    act = partial(
        lookup.record_outcome, origin.team_id, origin.user_id, ref.contact_id, ref.version, ref.choice
    )
    effects.settle(origin, act)


def save_goal(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    checked = validate_goal(form_values(view))
    if isinstance(checked, dict):
        ack(response_action="errors", errors=checked)
        return
    services = services_of(context)
    result = services.lookup.save_goal(team_of(context), user_of(context), checked)
    ack(
        response_action="update",
        view=views.goal_saved_modal(services.queries.lookup.goal(team_of(context), user_of(context))),
    )
    effects.apply(effects.origin_of(context, client), result.events)


def register(app: App) -> None:
    app.action(ActionId.CONTACT_OUTCOME)(contact_outcome)
    app.view(ViewId.GOAL)(save_goal)
