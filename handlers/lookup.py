"""Search (``/infoint find``), outcomes (the ``contact_outcome`` menu) and ``/infoint goal``."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import lookup as views
from bot.domain.forms import clean_text
from bot.domain.ids import ActionId, ViewId
from bot.queries.lookup import MAX_SEARCH
from bot.services.events import Result
from bot.services.lookup import validate_goal
from handlers import effects
from handlers.context import Invocation, services_of, team_of, user_of
from handlers.flows import Click, act
from handlers.payloads import OUTCOME_MENU, ContactRef, form_values


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
    act(ack, body, action, client, context, respond, OUTCOME_MENU, _record_outcome)


def _record_outcome(click: Click[ContactRef]) -> Result:
    ref = click.ref
    lookup = click.services.lookup
    return lookup.record_outcome(click.team_id, click.user_id, ref.contact_id, ref.version, ref.choice)


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
