"""Rate limits per workspace: each bot token belongs to a team (`FakeSlack.add_team`), and limits
are counted per team (token buckets per team and method, and ``chat.postMessage``'s per channel and
per workspace), answering 429 with ``Retry-After`` like Slack."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Slack's tiers, in calls per minute per workspace (the documented floor of each).
TIERS = {1: 1.0, 2: 20.0, 3: 50.0, 4: 100.0}


class Bucket:
    """Token bucket: ``capacity`` tokens, refilled at ``rate`` tokens per second."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0.0 if one is available now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


@dataclass(frozen=True)
class Limit:
    per_minute: float
    burst: int


@dataclass
class RateLimits:
    """Every bucket is per team: one team's calls never use another team's tokens."""

    #: ``chat.postMessage`` per channel and per workspace (`FakeSlack.enforce_rate_limits`); None: off
    post: tuple[float, int, float, int] | None = None
    #: (team, method) -> that method's limit in that team; ("", method): in every other team
    methods: dict[tuple[str, str], Limit] = field(default_factory=dict)
    buckets: dict[tuple[str, ...], Bucket] = field(default_factory=dict)

    def _bucket(self, key: tuple[str, ...], capacity: float, per_second: float, now: float) -> Bucket:
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = Bucket(capacity, per_second, now)
        return bucket

    def check(self, team: str, method: str, channel: str | None, now: float) -> int | None:
        """Take a token from each bucket that applies, or return Retry-After seconds (taking none)."""
        wanted: list[Bucket] = []
        limit = self.methods.get((team, method)) or self.methods.get(("", method))
        if limit is not None:
            wanted.append(self._bucket((team, method), limit.burst, limit.per_minute / 60.0, now))
        if method == "chat.postMessage" and self.post is not None and channel is not None:
            per_channel, burst, per_minute, ws_burst = self.post
            wanted.append(self._bucket((team, method, channel), burst, per_channel, now))
            wanted.append(self._bucket((team, "workspace"), ws_burst, per_minute / 60.0, now))
        wait = max((bucket.wait(now) for bucket in wanted), default=0.0)
        if wait > 0.0:
            return max(1, math.ceil(wait))
        for bucket in wanted:
            bucket.take()
        return None

    @property
    def active(self) -> bool:
        return self.post is not None or bool(self.methods)
