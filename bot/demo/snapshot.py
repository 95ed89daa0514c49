"""What one person sees right now, as JSON for the page: the demo's clock, their conversations (the
app's messages, their ephemeral replies, shared files), their App Home and their open modals."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from bot.demo.people import STUDENT, USERS, DemoUser, demo_user
from bot.demo.player import channel_name, visible_channels
from bot.demo.runtime import Demo
from bot.domain.nudges import may_deliver
from bot.domain.preferences import nudge_settings
from bot.fakeslack import FakeSlack

IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
_USAGE = re.compile(r"`(/infoint[^`\n]*)`:?\s*([^\n]*)")


def snapshot(demo: Demo, user_id: Any) -> dict[str, Any]:
    user = demo_user(user_id)
    now = demo.clock()
    home = demo.slack.home_view(user.id)
    return {
        "revision": f"{demo.slack.revision}.{len(demo.notices)}",
        "now": now.isoformat(),
        "epoch": now.timestamp(),
        "tz": demo.tz,
        "me": user.as_json(),
        "users": [u.as_json() for u in USERS],
        "window": _window(demo, user, now),
        "conversations": [
            {
                "id": channel,
                "name": channel_name(demo, user, channel),
                "kind": "dm" if channel == user.dm else "channel",
                "items": _items(demo, user, channel),
            }
            for channel in visible_channels(demo, user)
        ],
        "home": {"id": home["id"], "blocks": home.get("blocks") or []} if home else None,
        "modals": [_modal(view) for view in demo.slack.modal_stack(user.id)],
        "commands": commands(demo),
    }


def _items(demo: Demo, user: DemoUser, channel: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [_message(m, "message") for m in demo.slack.messages_in(channel)]
    items += [
        _message(m, "ephemeral") for m in demo.slack.ephemerals_for(user.id) if m.get("channel") == channel
    ]
    items += [_file(f, user) for f in demo.slack.shared_files() if channel in (f.get("channels") or [])]
    items += [
        {"kind": "notice", "ts": n["ts"], "text": n["text"]}
        for n in list(demo.notices)
        if n["user"] == user.id and n["channel"] == channel
    ]
    items.sort(key=lambda item: _ts_number(item["ts"]))
    return items


def _ts_number(ts: Any) -> Decimal:
    try:
        return Decimal(str(ts))
    except InvalidOperation:
        return Decimal(0)


def _message(message: dict[str, Any], kind: str) -> dict[str, Any]:
    from_app = message.get("bot_id") == FakeSlack.BOT_ID or message.get("user") == FakeSlack.BOT_USER_ID
    return {
        "kind": kind,
        "ts": message.get("ts"),
        "from": "infoint" if from_app else str(message.get("user") or "someone"),
        "text": message.get("text") or "",
        "blocks": message.get("blocks") or [],
        "edited": "edited" in message,
    }


def _file(record: dict[str, Any], user: DemoUser) -> dict[str, Any]:
    filetype = str(record.get("filetype") or "").lower()
    return {
        "kind": "file",
        "ts": record.get("shared_ts"),
        "from": "infoint",
        "file": {
            "id": record["id"],
            "name": record.get("name") or record["id"],
            "title": record.get("title") or record.get("name") or "",
            "size": record.get("size") or 0,
            "filetype": filetype,
            "image": filetype in IMAGE_TYPES,
            "url": "/api/file?" + urlencode({"user": user.id, "id": record["id"]}),
        },
    }


def _modal(view: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "hash", "title", "submit", "close", "blocks", "errors", "callback_id")
    return {key: view.get(key) for key in keep}


def _window(demo: Demo, user: DemoUser, now: datetime) -> dict[str, Any]:
    """Whether reminders may reach the user now (their working window, as the sweep sees it)."""
    prefs, timezone = demo.services.queries.users.preferences(FakeSlack.TEAM_ID, user.id)
    settings = nudge_settings(prefs, timezone or demo.tz)
    return {"open": may_deliver(now, settings), "hours": settings.window.describe()}


def commands(demo: Demo) -> list[list[str]]:
    """``/infoint help`` as the app answers it: [usage, what it does] per subcommand (asked once)."""
    with demo.lock:
        if demo.command_list is None:
            demo.command_list = _ask_help(demo)
        return demo.command_list


def _ask_help(demo: Demo) -> list[list[str]]:
    """The app answers after its ack, at the response_url: one that shows nothing to anyone."""
    name = "demo-help"
    answer = demo.door.command(STUDENT, "help", STUDENT.dm, "infoint", demo.slack.response_url(name), "")
    demo.settle()
    posted = demo.slack.calls_to(f"response_url:{name}")
    body = posted[-1].args if posted else answer.json() if answer.status == 200 else None
    found: dict[str, str] = {}
    for text in _texts(body):
        for usage, what in _USAGE.findall(text):
            found.setdefault(usage.strip(), what.strip())
    return [[usage, what] for usage, what in found.items()] or [["/infoint help", ""]]


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return [node] if isinstance(node, str) else []
