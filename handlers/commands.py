"""The /infoint slash command."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import blocks
from bot.services import Services
from handlers.common import team_of

COMMAND = "/infoint"


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def infoint(ack: Ack, command: dict, client: WebClient, context: BoltContext) -> None:
        text = (command.get("text") or "").strip()
        sub = text.split(maxsplit=1)[0].lower() if text else ""
        if sub in ("", "help"):
            ack(blocks.help_message())
        elif sub == "log":
            ack()
            client.views_open(trigger_id=command["trigger_id"], view=blocks.log_contact_modal())
        elif sub == "settings":
            ack()
            prefs, timezone = services.preferences(team_of(context), command["user_id"])
            client.views_open(trigger_id=command["trigger_id"], view=blocks.settings_modal(prefs, timezone))
        elif sub == "list":
            cards = services.pipeline(team_of(context), command["user_id"])
            ack(blocks.pipeline_message(cards))
        else:
            ack(blocks.unknown_subcommand_message(text))
