"""Building and signing requests the way Slack sends them to an app."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0001"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``v0=`` + hex HMAC-SHA256 over ``v0:{timestamp}:{body}``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: bytes, content_type: str, secret: str = SIGNING_SECRET, at: float | None = None
) -> dict:
    timestamp = str(int(time.time() if at is None else at))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(secret, timestamp, body),
    }


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10) -> Reply:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read())


class SlackSender:
    """Sends signed slash commands, interactions and events to the app's /slack/events."""

    def __init__(
        self,
        url: str,
        response_url_base: str,
        trigger_ids: Callable[[], str],
        secret: str = SIGNING_SECRET,
    ) -> None:
        self.url = url
        self.response_url_base = response_url_base
        self.secret = secret
        self.trigger_id = trigger_ids

    def send_form(
        self, fields: dict[str, str], *, secret: str | None = None, at: float | None = None
    ) -> Reply:
        body = urllib.parse.urlencode(fields).encode()
        headers = signed_headers(body, "application/x-www-form-urlencoded", secret or self.secret, at)
        return post(self.url, body, headers)

    def command(self, text: str, user: str = "U0STUDENT", team: str = TEAM, **extra: str) -> Reply:
        fields = {
            "token": "legacy-unused",
            "team_id": team,
            "team_domain": "test",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/infoint",
            "text": text,
            "api_app_id": "A0001",
            "response_url": f"{self.response_url_base}cmd-{user}",
            "trigger_id": self.trigger_id(),
        }
        fields.update(extra)
        return self.send_form(fields)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        return self.send_form({"payload": json.dumps(payload)}, **kwargs)

    def click(
        self,
        action_id: str,
        value: str | None,
        user: str = "U0STUDENT",
        team: str = TEAM,
        channel: str | None = None,
        message_ts: str | None = None,
    ) -> Reply:
        container: dict[str, Any]
        if channel and message_ts:
            container = {
                "type": "message",
                "channel_id": channel,
                "message_ts": message_ts,
                "is_ephemeral": False,
            }
        else:
            container = {"type": "view", "view_id": "VHOME"}
        action: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "block_id": "b",
            "text": {"type": "plain_text", "text": "x"},
            "action_ts": f"{time.time():.6f}",
        }
        if value is not None:
            action["value"] = value
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": team, "domain": "test"},
            "user": {"id": user, "team_id": team},
            "api_app_id": "A0001",
            "token": "legacy-unused",
            "container": container,
            "trigger_id": self.trigger_id(),
            "response_url": f"{self.response_url_base}act-{user}",
            "actions": [action],
        }
        if channel:
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["message"] = {"ts": message_ts, "text": "", "blocks": []}
        return self.interaction(payload)

    def submit(
        self,
        callback_id: str,
        values: dict[str, dict[str, Any]],
        user: str = "U0STUDENT",
        team: str = TEAM,
        private_metadata: str = "",
    ) -> Reply:
        payload = {
            "type": "view_submission",
            "team": {"id": team, "domain": "test"},
            "user": {"id": user, "team_id": team},
            "api_app_id": "A0001",
            "token": "legacy-unused",
            "trigger_id": self.trigger_id(),
            "view": {
                "id": "V0MODAL",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "team_id": team,
                "state": {"values": values},
                "hash": "1.abc",
            },
        }
        return self.interaction(payload)

    def event(self, event: dict[str, Any], team: str = TEAM, event_id: str = "Ev0001") -> Reply:
        envelope = {
            "token": "legacy-unused",
            "team_id": team,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
        body = json.dumps(envelope).encode()
        return post(self.url, body, signed_headers(body, "application/json", self.secret))


def text_value(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def choice(value: str | None, kind: str = "static_select") -> dict[str, Any]:
    return {"type": kind, "selected_option": None if value is None else {"value": value}}


def contact_form(**fields: Any) -> dict[str, dict[str, Any]]:
    """A 'log a contact' submission: plain fields by name; degree/standing/source/request_channel choices."""
    state: dict[str, dict[str, Any]] = {}
    for name in (
        "name",
        "company",
        "role",
        "industry",
        "location",
        "introducer",
        "email",
        "linkedin_url",
        "phone",
        "learning_goal",
    ):
        state[name] = {name: text_value(fields.get(name))}
    state["degree"] = {"degree": choice(fields.get("degree", "first"), "radio_buttons")}
    state["standing"] = {"standing": choice(fields.get("standing", "target"), "radio_buttons")}
    state["source"] = {"source": choice(fields.get("source"))}
    state["request_channel"] = {"request_channel": choice(fields.get("request_channel"))}
    state["interview_at"] = {
        "interview_at": {"type": "datetimepicker", "selected_date_time": fields.get("interview_at")}
    }
    return state
