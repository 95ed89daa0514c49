"""The App Home: published when its tab opens; opening the Messages tab tells us the DM channel."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from handlers import effects


def app_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
    origin = effects.origin_of(context, client)
    if event.get("tab") == "messages":
        origin.services.users.remember_user(origin.team_id, origin.user_id, dm_channel=event.get("channel"))
    else:
        effects.publish_home(origin, opened=True)
    effects.learn_timezone(origin, origin.user_id)


def register(app: App) -> None:
    app.event("app_home_opened")(app_home_opened)
