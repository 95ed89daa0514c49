"""Events API listeners."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.services import Services
from handlers.common import learn_timezone, team_of


def publish_home(services: Services, client: WebClient, team_id: str, user_id: str) -> None:
    counts, due = services.dashboard(team_id, user_id)
    client.views_publish(user_id=user_id, view=home_view(counts, due))


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def app_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), event["user"]
        if event.get("tab") == "messages":
            services.remember_user(team_id, user_id, dm_channel=event.get("channel"))
        else:
            publish_home(services, client, team_id, user_id)
        learn_timezone(services, client, team_id, user_id)
