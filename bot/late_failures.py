"""Telling the person when their request fails after it was acknowledged.

Listeners acknowledge first and do the work after (a command's answer, a click's service call and
its effects, a modal's save): Slack has had its 200 by then, so a failure there can no longer be the
HTTP answer. :func:`tell` says it where the person acted instead: the command's or the message's
response_url (only they see it), else a DM from the app (a click on the App Home or in a modal, a
modal's submission, or a response_url that refuses the post). Telling them never raises: when
Slack can't be reached either, the log has it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.blocks.kit import notice

logger = logging.getLogger(__name__)

LATE_SORRY = (
    "Something went wrong on my side and I couldn't finish that, so it may not have been saved. "
    "Please try again in a minute."
)

#: The requests a person made by hand (events such as ``app_home_opened`` are not told).
INTERACTIONS = ("block_actions", "view_submission", "shortcut", "message_action")


def tell(client: WebClient, body: Mapping[str, Any]) -> bool:
    """Tell whoever made the request in ``body`` that it failed after its ack; whether it was said."""
    kind = body.get("type")
    is_command = isinstance(body.get("command"), str)
    if not is_command and kind not in INTERACTIONS:
        return False
    url = body.get("response_url")
    user = _user(body)
    message = notice(LATE_SORRY)
    if isinstance(url, str) and url and kind != "view_submission":
        try:
            if Respond(response_url=url)(message).status_code == 200:
                return True
        except Exception:
            logger.exception("could not tell %s through the response_url", user or "the user")
    if not user:
        return False
    try:  # no response_url (the App Home, a modal), or it refused: a DM
        client.chat_postMessage(channel=user, text=message["text"], blocks=message["blocks"])
        return True
    except Exception:
        logger.exception("could not tell %s that their request failed", user)
    return False


def _user(body: Mapping[str, Any]) -> str:
    user = body.get("user")
    value = user.get("id") if isinstance(user, Mapping) else body.get("user_id")
    return value if isinstance(value, str) else ""
