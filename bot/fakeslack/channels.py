"""Channels the fake knows: their members (the app among them or not), archived or not.

``conversations.info`` answers for them; a message posted to one the app is not in is refused
(``not_in_channel``), to an archived one too (``is_archived``). A channel the test never added
stays as lenient as before: any post is taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.fakeslack.state import SlackState
from bot.fakeslack.wire import error, str_arg


@dataclass
class Channel:
    channel_id: str
    name: str
    members: set[str] = field(default_factory=set)
    is_private: bool = False
    is_archived: bool = False


class ChannelMethods(SlackState):
    """conversations.info, and the membership check of a post to a channel."""

    def add_channel(
        self,
        channel_id: str,
        name: str = "",
        members: tuple[str, ...] = (),
        *,
        bot_member: bool = True,
        is_private: bool = False,
    ) -> None:
        """A channel with ``members`` (plus the app unless ``bot_member`` is False)."""
        with self._lock:
            people = set(members) | ({self.BOT_USER_ID} if bot_member else set())
            self._known_channels[channel_id] = Channel(
                channel_id, name or channel_id.lower(), people, is_private
            )

    def set_channel(
        self, channel_id: str, *, bot_member: bool | None = None, archived: bool | None = None
    ) -> None:
        """Add or remove the app, archive or unarchive the channel."""
        with self._lock:
            channel = self._known_channels[channel_id]
            if bot_member is not None:
                (channel.members.add if bot_member else channel.members.discard)(self.BOT_USER_ID)
            if archived is not None:
                channel.is_archived = archived

    def _channel_refusal(self, channel_id: str) -> dict[str, Any] | None:
        """Slack's answer to a post into a known channel the app can't post to; None otherwise."""
        channel = self._known_channels.get(channel_id)
        if channel is None:
            return None
        if channel.is_archived:
            return error("is_archived")
        if self.BOT_USER_ID not in channel.members:
            return error("channel_not_found" if channel.is_private else "not_in_channel")
        return None

    def _m_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = str_arg(args, "channel")
        channel = self._known_channels.get(channel_id or "")
        if channel is None or (channel.is_private and self.BOT_USER_ID not in channel.members):
            return error("channel_not_found")
        return {
            "ok": True,
            "channel": {
                "id": channel.channel_id,
                "name": channel.name,
                "is_channel": not channel.is_private,
                "is_group": channel.is_private,
                "is_private": channel.is_private,
                "is_archived": channel.is_archived,
                "is_member": self.BOT_USER_ID in channel.members,
                "num_members": len(channel.members),
            },
        }
