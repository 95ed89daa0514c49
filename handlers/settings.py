"""The settings modal: working window, follow-up timing, weekly goals."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.kit import notice
from bot.domain.ids import ViewId
from bot.domain.preferences import validate_settings
from bot.domain.window import WEEKDAYS
from bot.services import Services
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
        prefs = checked["prefs"]
        services.save_preferences(team_id, user_id, prefs)
        ack()
        days = ", ".join(WEEKDAYS[d] for d in prefs["window_days"])
        text = (
            f"⚙️ Settings saved. Reminders reach you {days}, {prefs['window_start']}–{prefs['window_end']}; "
            f"follow-ups after {prefs['follow_up_days']} days; "
            f"check-ins every {prefs['keep_in_touch_weeks']} weeks; "
            f"weekly goal {prefs['weekly_requests']} requests and {prefs['weekly_interviews']} interview(s)."
        )
        client.chat_postMessage(channel=user_id, text=text, blocks=notice(text)["blocks"])
