"""The App Home: published when its tab opens; opening the Messages tab is when the DM channel is
learnt."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from handlers import effects, whose


def app_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
    origin = effects.origin_of(context, client)
    if event.get("tab") == "messages":
        # Slack's own word for the DM channel, not the event's (a payload only claims it).
        if origin.services.queries.users.dm_channel(origin.team_id, origin.user_id) is None:
            whose.dm_channel(origin.services, client, origin.team_id, origin.user_id)
    else:
        effects.publish_home(origin, opened=True)
    effects.learn_timezone(origin, origin.user_id)


def register(app: App) -> None:
    app.event("app_home_opened")(app_home_opened)
