"""The Slack effects of cohort events (merged into :data:`handlers.effects.EFFECTS`): the channel's
announcement and closing notice, and the nudge a mentor sends; and a CSV file delivered to the
mentor's DM.

The effects take an :class:`~handlers.effects.Origin` (typed only: this module is imported by
``handlers.effects`` itself).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.blocks.cohort_dms import mentor_nudge_message
from bot.blocks.cohorts import announcement, closed_message
from bot.blocks.kit import notice
from bot.services.cohort_reads import CohortFile
from bot.services.events import CohortAnnounced, CohortClosed, StudentNudged
from bot.sweep import UNREACHABLE

if TYPE_CHECKING:
    from handlers.effects import Origin

log = logging.getLogger(__name__)


def message_of(text: str) -> dict[str, Any]:
    """A short notice (safe mrkdwn) as a message to post: its text and blocks."""
    message = notice(text)
    return {"text": message["text"], "blocks": message["blocks"]}


def tell(origin: Origin, text: str) -> None:
    """An answer only the user who acted sees: through the click's response_url, else by DM."""
    if origin.respond is not None:
        origin.respond(notice(text))
        return
    try:
        origin.client.chat_postMessage(channel=origin.user_id, **message_of(text))
    except SlackApiError as error:
        log.warning("could not answer %s: %s", origin.user_id, error.response.get("error"))


def _announced(origin: Origin, event: CohortAnnounced) -> None:
    info = origin.services.queries.cohorts.info(origin.team_id, event.cohort_id)
    if info is None:
        return
    try:
        origin.client.chat_postMessage(channel=info.channel_id, **announcement(info))
    except SlackApiError as error:
        log.warning("could not announce cohort %s: %s", info.id, error.response.get("error"))
        tell(origin, "I couldn't post the announcement here: add me with `/invite @infoint` and try again.")


def _closed(origin: Origin, event: CohortClosed) -> None:
    info = origin.services.queries.cohorts.info(origin.team_id, event.cohort_id)
    if info is None:
        return
    try:
        origin.client.chat_postMessage(channel=info.channel_id, **closed_message(info, origin.user_id))
    except SlackApiError as error:
        log.warning("could not post the closing of cohort %s: %s", info.id, error.response.get("error"))


def _nudged(origin: Origin, event: StudentNudged) -> None:
    """The mentor's nudge: a DM to the student with their own next step and its buttons."""
    queries = origin.services.queries.cohorts
    info = queries.info(origin.team_id, event.cohort_id)
    if info is None:
        return
    message = mentor_nudge_message(event.mentor, info, queries.next_step(origin.team_id, event.student))
    try:
        origin.client.chat_postMessage(channel=event.student, **message)
    except SlackApiError as error:
        reason = str(error.response.get("error"))
        if reason in UNREACHABLE:
            origin.services.cohorts.unreachable(origin.team_id, event.student, reason)
        tell(origin, f"I couldn't reach <@{event.student}> ({reason}): nothing was sent.")
        return
    tell(origin, f"👋 Nudge sent to <@{event.student}>, with their next step.")


def send_file(origin: Origin, file: CohortFile, what: str) -> None:
    """A CSV file in the user's DM with the app (only they see it)."""
    try:
        posted = origin.client.chat_postMessage(channel=origin.user_id, text=f"{what} ({file.filename}):")
        origin.client.files_upload_v2(
            channel=str(posted["channel"]),
            thread_ts=str(posted["ts"]),
            content=file.content,
            filename=file.filename,
            title=file.filename,
        )
    except SlackApiError as error:
        log.warning("could not send %s: %s", file.filename, error.response.get("error"))
        tell(origin, "I couldn't send the file to your DM. Please try again in a minute.")


COHORT_EFFECTS: dict[type, Callable[[Origin, Any], None]] = {
    CohortAnnounced: _announced,
    CohortClosed: _closed,
    StudentNudged: _nudged,
}
