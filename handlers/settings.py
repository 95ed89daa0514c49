"""The settings modal: working window, follow-up timing, weekly goals."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain.ids import ViewId
from bot.domain.preferences import validate_settings
from bot.services import Services
from handlers import effects
from handlers.common import team_of


def register(app: App, services: Services) -> None:
    @app.view(ViewId.SETTINGS)
    def save_settings(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        state = (view.get("state") or {}).get("values") or {}
        raw: dict[str, object] = {}
        for block_id, elements in state.items():
            for element in elements.values():
                if element.get("type") == "checkboxes":
                    raw[block_id] = [o.get("value") for o in element.get("selected_options") or []]
                elif element.get("type") == "timepicker":
                    raw[block_id] = element.get("selected_time")
                else:
                    raw[block_id] = element.get("value")
        checked = validate_settings(raw)
        if "errors" in checked:
            ack(response_action="errors", errors=checked["errors"])
            return
        result = services.users.save_settings(team_id, user_id, checked["prefs"])
        ack()
        effects.apply(effects.Origin(client, services, team_id, user_id), result.events)
