"""A listener that fails: what Slack gets, what the user is told, what the log says.

Before its ack, a failing listener's request is answered 200 with an apology (an ephemeral answer, or
the modal saying so). After its ack, Slack gets that ack as it was given: Bolt (its thread runner)
clears a listener's ack when the listener raises afterwards, which turned an acknowledged request
into a 404 (Bolt gave up waiting for an ack it had had) or a 500; :class:`KeptAck` keeps it (every
request gets one, `bot.ack_first.AckFirst`). The user is then told where they can be (the request's
response_url, else, or when that refuses it, a DM for a command, a click or a form), and the failure
is one log record.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.blocks.kit import notice

logger = logging.getLogger("bot.app")

SORRY = "Something went wrong on my side and nothing was changed. Please try again in a minute."
SORRY_AFTER = (
    "Something went wrong on my side, and what you just did may not show yet. "
    "`/infoint list` shows where things stand; if something is missing, try again in a minute."
)
#: Requests a person made by hand, told in a DM when there is no response_url to answer.
PERSONAL = frozenset({"block_actions", "view_submission"})


class KeptAck(Ack):
    """Bolt's ack, whose response, once given, stays: Bolt's runner setting it back to None after a
    listener raised is ignored."""

    @property  # type: ignore[override]
    def response(self) -> BoltResponse | None:
        return self.__dict__.get("_given")

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is not None or self.__dict__.get("_given") is None:
            self.__dict__["_given"] = value


def on_error(
    error: Exception, body: dict, response: BoltResponse | None, client: WebClient, context: BoltContext
) -> BoltResponse | None:
    """Bolt's error handler: one log record, then the user told (see the module's docstring)."""
    logger.exception("listener failed: %s", error, exc_info=error)
    if response is None or response.status != 500:
        _tell_afterwards(body, client, context)
        return None  # already acknowledged: Slack keeps the ack (KeptAck)
    if body.get("type") == "view_submission":
        view = {
            "type": "modal",
            "title": {"type": "plain_text", "text": "infoint"},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": SORRY}}],
        }
        payload: dict[str, Any] = {"response_action": "update", "view": view}
    else:
        payload = notice(SORRY)
    return BoltResponse(
        status=200, body=json.dumps(payload), headers={"content-type": "application/json;charset=utf-8"}
    )


def _tell_afterwards(body: dict, client: WebClient, context: BoltContext) -> None:
    """After the ack: an ephemeral answer through the response_url, else a DM for a click or a form
    (nothing for an event). Never raises: the failure is already in the log."""
    try:
        if isinstance(body.get("response_url"), str) and context.respond is not None:
            if context.respond(notice(SORRY_AFTER)).status_code == 200:
                return
            logger.warning("the response_url refused the apology to %s: sent as a DM", context.user_id)
        elif body.get("type") not in PERSONAL:
            return
        if isinstance(context.user_id, str) and context.user_id:
            client.chat_postMessage(
                channel=context.user_id, text=SORRY_AFTER, blocks=notice(SORRY_AFTER)["blocks"]
            )
    except Exception as failed:  # Slack failing again: the user can't be told
        logger.warning("could not tell %s about the failure: %r", context.user_id, failed)
