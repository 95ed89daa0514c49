"""The sweep's side of Slack: post one DM, read the DM's history for a claim. Nothing is retried
inside the client: whether to post again is the sweep's decision (it looks in the DM first)."""

from __future__ import annotations

import copy
import http.client
import logging
import math
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

METADATA_EVENT = "infoint_nudges"
# Slack's answers that mean this user can't get our DMs: stop trying, keep the record.
UNREACHABLE = frozenset(
    {
        "user_not_found",
        "user_disabled",
        "account_inactive",
        "cannot_dm_bot",
        "user_not_visible",
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "messages_tab_disabled",
    }
)
# Slack's answers that mean the workspace's bot token is no longer accepted (the app was
# uninstalled, the token revoked, the workspace deleted): nothing can be sent there, by anyone.
TOKEN_REFUSED = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "team_not_found"}
)
#: How many messages of the DM are read, newest first, to find a claim.
HISTORY_PAGE = 200


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


@dataclass(frozen=True)
class RateLimited:
    retry_after: float


@dataclass(frozen=True)
class Refused:
    """Slack answered and did not post (``ok: false``, or a 4xx)."""

    error: str


@dataclass(frozen=True)
class Unknown:
    """No usable answer (a timeout, a lost connection, a 5xx): the DM may be in Slack, now or later."""

    reason: str


Outcome = Posted | RateLimited | Refused | Unknown


class HistoryUnavailable(Exception):
    """The DM's history could not be read, so whether a claim's DM is there is not known."""


class SweepSlack:
    """Posts and looks through a copy of the given client without retry handlers."""

    def __init__(self, client: Any) -> None:
        if isinstance(client, WebClient):
            client = copy.copy(client)
            client.retry_handlers = []
        self.client = client
        self.timeout = float(getattr(client, "timeout", 30) or 30)

    def post(self, slack_user: str, token: str, message: dict[str, Any]) -> Outcome:
        try:
            response = self.client.chat_postMessage(
                channel=slack_user,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"claim": token}},
                **message,
            )
        except SlackApiError as error:
            status = int(error.response.status_code or 200)
            if status == 429:
                return RateLimited(retry_after(error.response.headers))
            if status >= 500:
                return Unknown(f"HTTP {status}")
            return Refused(str(error.response.get("error") or f"HTTP {status}"))
        except (OSError, http.client.HTTPException) as error:
            return Unknown(f"network: {type(error).__name__}: {error}"[:200])
        return Posted(str(response["channel"]), str(response["ts"]))

    def find(self, channel: str | None, token: str) -> tuple[str, str] | None:
        """The (channel, ts) of the DM that carries this claim, None if the DM's recent history,
        read successfully, does not have it. Raises HistoryUnavailable when it can't tell."""
        if not channel:
            raise HistoryUnavailable("the DM's channel is not known yet")
        try:
            history = self.client.conversations_history(
                channel=channel, include_all_metadata=True, limit=HISTORY_PAGE
            )
        except SlackApiError as error:
            raise HistoryUnavailable(str(error.response.get("error") or error.response.status_code)) from None
        except (OSError, http.client.HTTPException) as error:
            raise HistoryUnavailable(f"network: {error}"[:200]) from None
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and (metadata.get("event_payload") or {}).get("claim") == token
            ):
                return channel, str(message.get("ts"))
        return None


def retry_after(headers: Any) -> float:
    """Retry-After in seconds (Slack sends whole seconds); 1 when missing or unreadable."""
    for name, value in dict(headers or {}).items():
        if str(name).lower() == "retry-after":
            text = value[0] if isinstance(value, list) and value else value
            try:
                seconds = float(str(text).strip())
            except ValueError:
                return 1.0
            return min(max(seconds, 0.0), 3600.0) if math.isfinite(seconds) else 1.0
    return 1.0
