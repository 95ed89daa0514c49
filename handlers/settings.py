"""``/infoint settings`` and its modal: working window, follow-up timing, weekly goals."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.modals.settings import settings_modal, settings_saved_modal
from bot.domain.ids import ActionId, ViewId
from bot.domain.preferences import validate_settings
from handlers import effects
from handlers.context import Invocation, services_of, team_of, user_of
from handlers.payloads import settings_values


def settings_command(call: Invocation) -> None:
    call.ack()
    prefs, timezone = call.services.queries.users.preferences(call.team_id, call.user_id)
    call.client.views_open(trigger_id=call.trigger_id, view=settings_modal(prefs, timezone))


def open_settings(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """ "Settings" on the App Home or in help."""
    ack()
    services = services_of(context)
    prefs, timezone = services.queries.users.preferences(team_of(context), user_of(context))
    client.views_open(trigger_id=body["trigger_id"], view=settings_modal(prefs, timezone))


def save_settings(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """Saved, and said so in the form itself; the App Home shows the new goals."""
    checked: dict[str, Any] = validate_settings(settings_values(view))  # {"prefs": …} or {"errors": …}
    if "errors" in checked:
        ack(response_action="errors", errors=checked["errors"])
        return
    services = services_of(context)
    result = services.users.save_settings(team_of(context), user_of(context), checked["prefs"])
    prefs, _ = services.queries.users.preferences(team_of(context), user_of(context))
    ack(response_action="update", view=settings_saved_modal(prefs))
    effects.apply(effects.origin_of(context, client), result.events)


def register(app: App) -> None:
    app.action(ActionId.OPEN_SETTINGS)(open_settings)
    app.view(ViewId.SETTINGS)(save_settings)
