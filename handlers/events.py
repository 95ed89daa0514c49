"""Events API listeners."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services import Services
from handlers import effects
from handlers.common import learn_timezone, team_of


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def app_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), event["user"]
        if event.get("tab") == "messages":
            services.users.remember_user(team_id, user_id, dm_channel=event.get("channel"))
        else:
            effects.publish_home(effects.Origin(client, services, team_id, user_id))
        learn_timezone(services, client, team_id, user_id)
