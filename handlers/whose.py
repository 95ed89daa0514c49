"""Whose message a click or a form names. A payload says which message to draw again (the click's
``container``, a form's ``private_metadata``), but that is only what the request claims: the app
updates a message only when it is one it recorded for the person acting, i.e. a reminder DM the nudge
log says went to them, or a message in their own DM with the app (the DM channel the app recorded for
them, or learnt from ``conversations.open`` for them: never from the payload). Anything else is not
drawn over: the answer then goes where it can't harm anyone (an ephemeral reply, their own DM)."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import Services

log = logging.getLogger(__name__)


def own_message(
    services: Services, client: WebClient, team_id: str, user_id: str, where: tuple[str, str] | None
) -> tuple[str, str] | None:
    """``where`` (a channel and ts) when the app may draw it again for ``user_id``, else None."""
    if where is None:
        return None
    channel, ts = where
    users = services.queries.users
    if users.sent_them(team_id, user_id, channel, ts):
        return where
    if users.dm_channel(team_id, user_id) is None and channel == dm_channel(
        services, client, team_id, user_id
    ):
        return where
    log.warning(
        "not drawing over %s/%s for %s: not a message the app sent them", channel[:32], ts[:32], user_id
    )
    return None


def dm_channel(services: Services, client: WebClient, team_id: str, user_id: str) -> str | None:
    """The user's DM channel with the app, as Slack gives it for them (``conversations.open``), recorded;
    None when Slack won't say."""
    try:
        opened = client.conversations_open(users=user_id)
    except SlackApiError as error:
        log.warning("conversations.open for %s failed: %s", user_id, error.response.get("error"))
        return None
    channel = (opened.get("channel") or {}).get("id")
    if not isinstance(channel, str) or not channel:
        return None
    services.users.remember_user(team_id, user_id, dm_channel=channel)
    return channel


# Modals --------------------------------------------------------------------------------------------
# A modal the app updates after a click in it is opened with an external id naming the user it was
# opened for ("<user id>.<random>"), and updated by that id: a click naming someone else's modal (its
# view id, or an external id not theirs) updates nothing.

VIEW_KEY = re.compile(r"(?P<user>[A-Z0-9]{1,40})\.[0-9a-f]{16}", re.ASCII)


def keyed(view: dict[str, Any], user_id: str) -> dict[str, Any]:
    """``view`` with an external id of its own naming ``user_id``, to be opened for them."""
    return {**view, "external_id": f"{user_id}.{secrets.token_hex(8)}"}


def view_key(user_id: str, view: object) -> str:
    """The external id of a modal the app opened for ``user_id``: from the view a click was made in, or
    as kept in a form's metadata; "" for anything else."""
    key = view.get("external_id") if isinstance(view, Mapping) else view
    found = VIEW_KEY.fullmatch(key) if isinstance(key, str) else None
    return key if found is not None and found["user"] == user_id and isinstance(key, str) else ""


def update_view(
    client: WebClient, user_id: str, view: object, new_view: dict[str, Any], hash: str | None = None
) -> bool:
    """Update the modal ``view`` names (a click's view, or a kept key) to ``new_view``, if the app
    opened it for ``user_id``; False (nothing updated) otherwise."""
    key = view_key(user_id, view)
    if not key:
        log.warning("not updating a modal for %s: not one the app opened for them", user_id)
        return False
    args: dict[str, Any] = {"external_id": key, "view": {**new_view, "external_id": key}}
    if hash is not None:
        args["hash"] = hash
    client.views_update(**args)
    return True
