"""The Web API's messaging methods: auth.test, chat.*, conversations.open / history, users.info.

Each ``_m_<method>`` takes the decoded arguments and returns the JSON answer. `FakeSlack`'s method
table maps ``/api/<method>`` to them (with those of `bot.fakeslack.views` and `bot.fakeslack.files`);
`bot.fakeslack.routing` calls them under the fake's lock.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.fakeslack.blockkit import message_error_code, validate_message_blocks
from bot.fakeslack.limits import DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, MESSAGE_TEXT_LIMIT
from bot.fakeslack.state import SlackState
from bot.fakeslack.wire import (
    decode_cursor,
    encode_cursor,
    error,
    invalid_arguments,
    parse_metadata,
    parse_ts,
    str_arg,
    truthy,
)


def check_message(args: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to a message whose blocks are invalid; None when they are fine."""
    blocks = args.get("blocks")
    if blocks is None:
        return None
    text = args.get("text")
    errors = validate_message_blocks(blocks, text if isinstance(text, str) else None)
    if not errors:
        return None
    return error(message_error_code(errors), errors=errors, response_metadata={"messages": errors})


class MessageMethods(SlackState):
    """auth.test, chat.postMessage / update / delete / postEphemeral, conversations.open / history,
    users.info."""

    def _message_echo(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        text = args.get("text")
        message: dict[str, Any] = {
            "type": "message",
            "text": text[:MESSAGE_TEXT_LIMIT] if isinstance(text, str) else "",
            "user": self.BOT_USER_ID,
            "bot_id": self.BOT_ID,
            "app_id": self.APP_ID,
            "team": self._team,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "metadata", "thread_ts"):
            if args.get(key) is not None:
                message[key] = copy.deepcopy(args[key])
        return message

    def _tz_fields(self, tz: str) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(tz))
        offset = now.utcoffset()
        return {
            "tz": tz,
            "tz_label": now.tzname() or tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
        }

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": self.TEAM_URL,
            "team": self._team_names.get(self._team, self.TEAM_NAME),
            "user": self.BOT_USER_NAME,
            "team_id": self._team,
            "user_id": self.BOT_USER_ID,
            "bot_id": self.BOT_ID,
            "is_enterprise_install": False,
        }

    def _m_chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str_arg(args, "channel")
        if channel is None:
            return error("channel_not_found")
        if args.get("blocks") is None and not args.get("text") and not args.get("attachments"):
            return error("no_text")
        problem = check_message(args)
        if problem is not None:
            return problem
        metadata = None
        if args.get("metadata") is not None:
            metadata = parse_metadata(args["metadata"])
            if metadata is None:
                return error("invalid_metadata_format")
        if channel[:1] in ("U", "W") and not self._user(channel).exists:
            return error("channel_not_found")
        if (refusal := self._channel_refusal(channel)) is not None:
            return refusal
        channel_id = self._dm_channel(channel)
        ts = self._next_ts()
        message = self._message_echo(args, ts)
        if metadata is not None:
            message["metadata"] = metadata
        if "thread_ts" in message and truthy(args.get("reply_broadcast")):
            message["subtype"] = "thread_broadcast"
        self.messages[(channel_id, ts)] = {**copy.deepcopy(message), "channel": channel_id}
        self._channels_seen.add(channel_id)
        return {"ok": True, "channel": channel_id, "ts": ts, "message": message}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str_arg(args, "channel"), str_arg(args, "ts")
        if channel is None:
            return error("channel_not_found")
        if ts is None or (channel, ts) not in self.messages:
            # Note: no U… -> D… mapping here; update with the channel id that chat.postMessage returned.
            return error("message_not_found")
        if args.get("blocks") is None and not args.get("text") and not args.get("attachments"):
            return error("no_text")
        problem = check_message(args)
        if problem is not None:
            return problem
        metadata = None
        if args.get("metadata") is not None:
            metadata = parse_metadata(args["metadata"])
            if metadata is None:
                return error("invalid_metadata_format")
        stored = self.messages[(channel, ts)]
        if isinstance(args.get("text"), str):
            stored["text"] = args["text"][:MESSAGE_TEXT_LIMIT]
        for key in ("blocks", "attachments"):
            if key in args:  # omitted: previous value kept; [] removes
                stored[key] = copy.deepcopy(args[key])
        if metadata is not None:  # omitted: previous metadata kept
            stored["metadata"] = metadata
        stored["edited"] = {"user": self.BOT_USER_ID, "ts": self._next_ts()}
        message = {k: copy.deepcopy(v) for k, v in stored.items() if k != "channel"}
        return {"ok": True, "channel": channel, "ts": ts, "text": stored["text"], "message": message}

    def _m_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str_arg(args, "channel"), str_arg(args, "ts")
        if channel is None:
            return error("channel_not_found")
        if ts is None or self.messages.pop((channel, ts), None) is None:
            return error("message_not_found")
        return {"ok": True, "channel": channel, "ts": ts}

    def _m_chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, user = str_arg(args, "channel"), str_arg(args, "user")
        if channel is None:
            return error("channel_not_found")
        if user is None or not self._user(user).exists:
            return error("user_not_found")
        if args.get("blocks") is None and not args.get("text") and not args.get("attachments"):
            return error("no_text")
        problem = check_message(args)
        if problem is not None:
            return problem
        ts = self._next_ts()
        self.ephemeral_messages.append({**self._message_echo(args, ts), "channel": channel, "to_user": user})
        return {"ok": True, "message_ts": ts}

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str_arg(args, "channel")
        if channel is not None:
            return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": channel}}
        users_arg = args.get("users")
        if isinstance(users_arg, list):
            users = [str(u).strip() for u in users_arg if str(u).strip()]
        elif isinstance(users_arg, str):
            users = [u.strip() for u in users_arg.split(",") if u.strip()]
        else:
            users = []
        if not users:
            return error("users_list_not_supplied")
        for user_id in users:
            user = self._user(user_id)
            if not user.exists:
                return error("user_not_found")
            if user.deleted:
                return error("user_disabled")
            if user.is_bot and len(users) == 1:
                return error("cannot_dm_bot")
        if len(users) == 1:
            channel_id = self._dm_channel(users[0])
            info: dict[str, Any] = {"id": channel_id}
            if truthy(args.get("return_im")):
                info.update({"is_im": True, "user": users[0], "is_open": True})
        else:
            digest = sum(ord(ch) * (i + 1) for i, ch in enumerate(",".join(sorted(users))))
            info = {"id": f"G{digest:09d}"}
        self._channels_seen.add(info["id"])
        return {"ok": True, "channel": info}

    def _known_channel(self, channel: str) -> bool:
        """Posted to (or opened) before, or the DM of a user that exists."""
        if channel in self._channels_seen or any(chan == channel for chan, _ in self.messages):
            return True
        if channel[:1] == "D" and len(channel) > 1:
            return all(self._user(prefix + channel[1:]).exists for prefix in ("U", "W"))
        return False

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str_arg(args, "channel")
        if channel is None or not self._known_channel(channel):
            return error("channel_not_found")
        bounds: dict[str, Decimal | None] = {}
        for key in ("oldest", "latest"):
            raw = str_arg(args, key)
            bounds[key] = None if raw is None else parse_ts(raw)
            if raw is not None and bounds[key] is None:
                return error(f"invalid_ts_{key}")
        oldest, latest = bounds["oldest"], bounds["latest"]
        limit_arg = args.get("limit")
        if limit_arg is None or limit_arg == "":
            limit = DEFAULT_HISTORY_LIMIT
        else:
            try:
                limit = int(str(limit_arg).strip())
            except ValueError:
                return invalid_arguments("limit must be an integer [json-pointer:/limit]")
            limit = DEFAULT_HISTORY_LIMIT if limit < 1 else min(limit, MAX_HISTORY_LIMIT)
        cursor_arg = str_arg(args, "cursor")
        cursor = None if cursor_arg is None else decode_cursor(cursor_arg)
        if cursor_arg is not None and cursor is None:
            return error("invalid_cursor")
        inclusive = truthy(args.get("inclusive"))
        with_metadata = truthy(args.get("include_all_metadata"))

        selected: list[tuple[Decimal, dict[str, Any]]] = []
        for (chan, ts), stored in self.messages.items():
            number = parse_ts(ts)
            if chan != channel or number is None:
                continue
            thread_ts = stored.get("thread_ts")
            if thread_ts not in (None, ts) and stored.get("subtype") != "thread_broadcast":
                continue  # thread replies are only in conversations.replies
            if oldest is not None and (number < oldest or (number == oldest and not inclusive)):
                continue
            if latest is not None and (number > latest or (number == latest and not inclusive)):
                continue
            if cursor is not None and number > cursor:
                continue
            selected.append((number, stored))
        selected.sort(key=lambda item: item[0], reverse=True)
        page = selected[:limit]
        messages = []
        for _, stored in page:
            message = {k: copy.deepcopy(v) for k, v in stored.items() if k != "channel"}
            if not with_metadata:
                message.pop("metadata", None)
            messages.append(message)
        answer: dict[str, Any] = {
            "ok": True,
            "messages": messages,
            "has_more": len(selected) > limit,
            "pin_count": 0,
        }
        if len(selected) > limit:
            answer["response_metadata"] = {"next_cursor": encode_cursor(selected[limit][1]["ts"])}
        return answer

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str_arg(args, "user")
        if user_id is None:
            return error("user_not_found")
        user = self._user(user_id)
        if not user.exists:
            return error("user_not_found")
        real_name = user.real_name or f"User {user_id}"
        name = re.sub(r"\W+", ".", real_name.lower()).strip(".") or user_id.lower()
        profile = {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": name,
            "display_name_normalized": name,
            "team": self.TEAM_ID,
        }
        info: dict[str, Any] = {
            "id": user_id,
            "team_id": self.TEAM_ID,
            "name": name,
            "deleted": user.deleted,
            "real_name": real_name,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "is_admin": False,
            "updated": 1_700_000_000,
            "profile": profile,
        }
        if not user.deleted:  # deactivated accounts come back without tz fields
            info.update(self._tz_fields(user.tz or self.default_tz))
        return {"ok": True, "user": info}
