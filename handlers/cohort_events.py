"""What a cohort's channel does: the app removed from it or the channel archived pauses the cohort
(its digest stops); the app added back or the channel unarchived resumes it. The domain's
``status_after`` decides; a closed cohort stays closed."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext

from bot.domain.cohorts import CohortEvent
from handlers.context import services_of, workspace_of

log = logging.getLogger(__name__)


def _changed(context: BoltContext, event: dict, what: CohortEvent) -> None:
    team, channel = workspace_of(context), event.get("channel")
    if not team or not isinstance(channel, str) or not channel:
        return
    info = services_of(context).cohorts.channel_changed(team, channel, what)
    if info is not None:
        log.info("cohort %s in %s/%s is now %s (%s)", info.id, team, channel, info.status.value, what.value)


def app_left(event: dict, context: BoltContext) -> None:
    """``channel_left`` / ``group_left``: the app was removed from the channel."""
    _changed(context, event, CohortEvent.APP_REMOVED)


def member_left(event: dict, context: BoltContext) -> None:
    """``member_left_channel``: only the app's own leaving matters here."""
    if event.get("user") and event.get("user") == context.bot_user_id:
        _changed(context, event, CohortEvent.APP_REMOVED)


def member_joined(event: dict, context: BoltContext) -> None:
    """``member_joined_channel``: the app added (back) to a paused cohort's channel resumes it."""
    if event.get("user") and event.get("user") == context.bot_user_id:
        _changed(context, event, CohortEvent.APP_ADDED)


def archived(event: dict, context: BoltContext) -> None:
    _changed(context, event, CohortEvent.CHANNEL_ARCHIVED)


def unarchived(event: dict, context: BoltContext) -> None:
    _changed(context, event, CohortEvent.CHANNEL_UNARCHIVED)


def register(app: App) -> None:
    app.event("channel_left")(app_left)
    app.event("group_left")(app_left)
    app.event("member_left_channel")(member_left)
    app.event("member_joined_channel")(member_joined)
    app.event("channel_archive")(archived)
    app.event("group_archive")(archived)
    app.event("channel_unarchive")(unarchived)
    app.event("group_unarchive")(unarchived)
