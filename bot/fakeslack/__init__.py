"""A local fake of the Slack Web API, for the tests (and a demo).

`FakeSlack` runs a small HTTP server (stdlib ``ThreadingHTTPServer``) on 127.0.0.1 in a daemon
thread.  Point a ``slack_sdk.WebClient`` at it with ``base_url=fake.api_url``; every request is
recorded as a `Call`, answered like Slack would answer it (including Block Kit validation errors),
and failures (429 / 5xx / ``{"ok": false}``) can be injected for retry tests.  `drop_response_next`
simulates a call Slack carried out whose answer never arrived (the connection is closed instead);
`delay_response_next` a call that hangs and is carried out late, after the client gave up.
``apps.connections.open`` (with the app-level token) points the app at `FakeSlack.socket_mode`, a
WebSocket stand-in for Socket Mode that sends envelopes and records their acknowledgements.

The Block Kit validator is also exposed as pure functions, `validate_message_blocks` and
`validate_view`, so tests can check bodies that the app returns directly in HTTP ack responses.

What each person sees is kept too (`bot.fakeslack.people`): the modals open in front of them (a
trigger from ``trigger_id(user)``), the app's answers to a submission (``answer_submission``), the
ephemeral replies posted to a response URL made with ``response_url_for``, and the files shared in a
channel. The demo (`bot.demo`) draws its page from these. With ``clock=``, message timestamps follow
that clock (the demo's) instead of a fixed sequence.

Only loopback traffic; nothing here talks to slack.com.  The package imports only the standard
library: nothing of the app (``bot``, ``handlers``, ``storage``).

Modules: `blockkit` (validation of messages and views; the element checks are in `elements`),
`limits`, `server` (`FakeSlack`: lifecycle, configuration, inspection), `routing` (the HTTP side,
recording, injected failures and rate limits), `state` (what the fake remembers), `methods`
(auth, chat, conversations, users), `views`, `files`, `people` (what each person sees), `teams`
(several workspaces: a team per bot token with `add_team`, `revoke_token`; rate limits per team with
`limit_method` and `enforce_rate_limits`), `wire`
(decoding requests, error answers) and `socketmode` (the WebSocket server).
"""

from __future__ import annotations

from bot.fakeslack.blockkit import validate_message_blocks, validate_view
from bot.fakeslack.limits import (
    DEFAULT_HISTORY_LIMIT,
    MARKDOWN_BLOCKS_TEXT_LIMIT,
    MAX_BLOCKS_MESSAGE,
    MAX_BLOCKS_VIEW,
    MAX_HISTORY_LIMIT,
    MAX_ID_LENGTH,
    MESSAGE_TEXT_LIMIT,
    MSG_BLOCKS_TEXT_LIMIT,
)
from bot.fakeslack.server import FakeSlack
from bot.fakeslack.socketmode import SocketModeServer
from bot.fakeslack.state import Call

__all__ = [
    "DEFAULT_HISTORY_LIMIT",
    "MARKDOWN_BLOCKS_TEXT_LIMIT",
    "MAX_BLOCKS_MESSAGE",
    "MAX_BLOCKS_VIEW",
    "MAX_HISTORY_LIMIT",
    "MAX_ID_LENGTH",
    "MESSAGE_TEXT_LIMIT",
    "MSG_BLOCKS_TEXT_LIMIT",
    "Call",
    "FakeSlack",
    "SocketModeServer",
    "validate_message_blocks",
    "validate_view",
]
