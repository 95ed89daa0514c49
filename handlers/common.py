"""Small helpers shared by the listeners: reading payloads and learning about users."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import Services

logger = logging.getLogger(__name__)


def team_of(context: BoltContext) -> str:
    """The workspace a request came from (an Enterprise Grid org install has only the enterprise)."""
    team = context.team_id or context.enterprise_id
    if not team:
        raise ValueError("request without a workspace")
    return team


def parse_contact_value(value: str | None) -> tuple[int, int] | None:
    """A button value ``"<contact id>:<version>"``; None when it is not one."""
    if not value:
        return None
    contact, _, version = value.partition(":")
    if not (contact.isdigit() and version.isdigit()) or len(value) > 40:
        return None
    return int(contact), int(version)


def form_values(view: dict[str, Any]) -> dict[str, str | None]:
    """Flatten a submitted modal's state to ``{block_id: value}`` (one element per input block)."""
    values: dict[str, str | None] = {}
    state = (view.get("state") or {}).get("values") or {}
    for block_id, elements in state.items():
        for element in elements.values():
            values[block_id] = _element_value(element)
    return values


def _element_value(element: dict[str, Any]) -> str | None:
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons"):
        option = element.get("selected_option") or {}
        return option.get("value")
    if kind == "datetimepicker":
        stamp = element.get("selected_date_time")
        return None if stamp is None else str(stamp)
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "timepicker":
        return element.get("selected_time")
    value = element.get("value")
    return value if isinstance(value, str) else None


def learn_timezone(services: Services, client: WebClient, team_id: str, user_id: str) -> None:
    """Store the user's Slack timezone (users.info) the first time we meet them. Never raises."""
    try:
        if services.queries.users.knows_timezone(team_id, user_id):
            return
        info = client.users_info(user=user_id)
        tz = (info.get("user") or {}).get("tz")
        services.users.remember_user(team_id, user_id, timezone=tz if isinstance(tz, str) else None)
    except SlackApiError as error:
        logger.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
    except Exception:
        logger.exception("could not learn the timezone of %s", user_id)


def message_location(body: dict) -> tuple[str, str] | None:
    """Where the clicked message is, when it can be updated (a normal message, not an ephemeral one)."""
    container = body.get("container") or {}
    if container.get("is_ephemeral"):
        return None  # an ephemeral message (e.g. search results) can't be updated with chat.update
    if container.get("type") == "message" and container.get("channel_id") and container.get("message_ts"):
        return container["channel_id"], container["message_ts"]
    return None
