"""Slack's limits the fake enforces (Block Kit sizes, message text, history pages)."""

from __future__ import annotations

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
#: Undocumented: Slack answers ``msg_blocks_too_long`` at about this much block text.
MSG_BLOCKS_TEXT_LIMIT = 13_000
#: Slack truncates message ``text`` above this; it is not an error.
MESSAGE_TEXT_LIMIT = 40_000
MARKDOWN_BLOCKS_TEXT_LIMIT = 12_000
MAX_ID_LENGTH = 255

#: ``conversations.history``: default and largest ``limit``.
DEFAULT_HISTORY_LIMIT = 100
MAX_HISTORY_LIMIT = 999
