"""What the fake remembers: recorded calls, users, messages, views, uploads, and what is set to fail.

`SlackState` is the base of `bot.fakeslack.server.FakeSlack` and of the method mixins, so they share
one set of attributes under one lock.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.fakeslack.teams import RateLimits


@dataclass
class Call:
    """One request received by the fake."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]  # lower-cased names
    at: float  # time.monotonic() when the request arrived
    injected: bool = False  # answered by fail_next()
    dropped: bool = False  # processed, but drop_response_next() closed the connection unanswered
    delayed: float = 0.0  # seconds delay_response_next() held the request before carrying it out
    status: int = 200  # HTTP status answered (for a dropped call: the one that would have been)
    response: Any = None  # decoded JSON answered (None for plain-text answers)
    body: bytes = b""  # raw request body
    team: str = ""  # the team of the bot token the call carried ("" when refused or not a method)


@dataclass
class Failure:
    status: int
    retry_after: int
    error: str | None
    remaining: int


@dataclass(frozen=True)
class ResponseTarget:
    """Where the posts to one response_url go: the user who acted, the channel, and the message acted
    on (a normal message's ts, or an ephemeral one's), which ``replace_original`` replaces."""

    user: str
    channel: str
    message_ts: str | None = None
    ephemeral_ts: str | None = None


@dataclass
class User:
    user_id: str
    tz: str | None = None  # None: FakeSlack.default_tz at lookup time
    deleted: bool = False
    real_name: str | None = None
    exists: bool = True
    is_bot: bool = False


class SlackState:
    """The fake workspace's state; every attribute is read and written under ``_lock``."""

    TEAM_ID: ClassVar[str] = "T0001"
    TEAM_NAME: ClassVar[str] = "Test Team"
    TEAM_URL: ClassVar[str] = "https://test-team.slack.com/"
    BOT_USER_ID: ClassVar[str] = "UBOT"
    BOT_USER_NAME: ClassVar[str] = "testbot"
    BOT_ID: ClassVar[str] = "B0001"
    APP_ID: ClassVar[str] = "A0001"

    bot_token: str
    app_token: str
    default_tz: str
    #: trigger ids issued by `trigger_id()` expire after this many seconds.
    trigger_ttl: float
    #: Problems inside the fake itself (answered as HTTP 500); should stay empty.
    internal_errors: list[str]
    _initial_settings: tuple[str, float]
    _lock: threading.RLock
    _calls: list[Call]
    _failures: dict[str, deque[Failure]]
    _drops: dict[str, int]  # method -> how many answers drop_response_next() drops
    _delays: dict[tuple[str, str], deque[float]]  # (team or "", method) -> holds queued, in order
    _in_flight: int  # requests being held by a delay
    _methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]
    #: When set (epoch seconds), message timestamps follow this clock instead of a fixed sequence.
    _clock: Callable[[], float] | None
    #: Goes up with every change a person could see (every call, every modal or ephemeral change).
    _revision: int

    def _init_state(
        self, bot_token: str, default_tz: str, trigger_ttl: float, clock: Callable[[], float] | None = None
    ) -> None:
        self.bot_token = bot_token
        self._clock = clock
        self._revision = 0
        self._initial_settings = (default_tz, trigger_ttl)
        self.default_tz = default_tz
        self.trigger_ttl = trigger_ttl
        self._lock = threading.RLock()
        self._calls = []
        self._failures = {}
        self._drops = {}
        self._delays = {}
        self._in_flight = 0
        self._ts_counter: Iterator[int] = itertools.count(1_700_000_000_000_100, 100)  # microseconds
        self._ids: Iterator[int] = itertools.count(1)
        self.internal_errors = []
        self._reset_state()

    def _reset_state(self) -> None:
        self.default_tz, self.trigger_ttl = self._initial_settings
        self._users: dict[str, User] = {
            self.BOT_USER_ID: User(self.BOT_USER_ID, real_name=self.BOT_USER_NAME, is_bot=True)
        }
        self._rate_limits = RateLimits()
        # Several workspaces: bot token -> team; the token given to the fake is TEAM_ID's. The team
        # and token of the call being answered (under _lock).
        self._team_tokens: dict[str, str] = {self.bot_token: self.TEAM_ID}
        self._team_names: dict[str, str] = {self.TEAM_ID: self.TEAM_NAME}
        self._revoked_tokens: dict[str, str] = {}  # bot token -> the error Slack answers with it
        self._team = self.TEAM_ID
        self._token = self.bot_token
        #: The scopes the bot token was granted, sent as ``x-oauth-scopes`` (None: no such header).
        self.granted_scopes: tuple[str, ...] | None = None
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        #: Channels a message was posted to (or opened with conversations.open), even if deleted since.
        self._channels_seen: set[str] = set()
        self.ephemeral_messages: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, str] = {}  # user id -> view id
        self._external_ids: dict[str, str] = {}
        self._triggers_issued: dict[str, float] = {}
        self._triggers_used: set[str] = set()
        self._pending_uploads: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, bytes] = {}
        self.files: dict[str, dict[str, Any]] = {}
        # What each person sees (bot.fakeslack.people): open modals, who a trigger id belongs to,
        # inline errors of a modal's last submission, where a response_url's posts go.
        self.modal_stacks: dict[str, list[str]] = {}  # user id -> open modal view ids, bottom first
        self.view_errors: dict[str, dict[str, str]] = {}  # view id -> block_id -> error
        self._trigger_users: dict[str, str] = {}
        self._response_targets: dict[str, ResponseTarget] = {}
        self._last_ts_micros = 0
        self._revision += 1
        self._known_channels: dict[str, Any] = {}  # bot.fakeslack.channels: id -> Channel
        # Installing the app (bot.fakeslack.oauth).
        self._oauth_client: tuple[str, str] | None = None
        self._install_codes: dict[str, Any] = {}  # code -> bot.fakeslack.oauth.Grant

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        raise NotImplementedError

    def _next_ts(self) -> str:
        micros = next(self._ts_counter)
        if self._clock is not None:
            micros = max(self._last_ts_micros + 100, int(self._clock() * 1_000_000))
            self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _channel_refusal(self, channel: str) -> dict[str, Any] | None:
        """Slack's answer to a post into a channel the app can't post to (`bot.fakeslack.channels`)."""
        return None

    def _user(self, user_id: str) -> User:
        return self._users.get(user_id) or User(user_id)

    def _response_posted(self, name: str, args: dict[str, Any]) -> None:
        """A valid post to the response_url ``name``; `bot.fakeslack.people` shows it to its user."""

    @staticmethod
    def _dm_channel(channel: str) -> str:
        """A user id (U…/W…) stands for the DM with that user: ``D`` + the rest of the id."""
        if channel[:1] in ("U", "W") and len(channel) > 1:
            return "D" + channel[1:]
        return channel
