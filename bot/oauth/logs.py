"""Tokens never reach a log: slack_sdk's request and response dumps (at DEBUG, with the bodies and
headers that carry tokens) are switched off, and any token-shaped text that still reaches one of its
records is redacted."""

from __future__ import annotations

import logging
import re

#: Slack's tokens: bot, user, app-level, refresh, configuration (xoxb-, xoxp-, xapp-, xoxe-…).
TOKEN = re.compile(r"\bx(?:ox[a-z]|app)(?:\.[A-Za-z0-9]+)?-[A-Za-z0-9-]+")
LOGGERS = ("slack_sdk", "slack_sdk.web.base_client", "slack_sdk.oauth", "slack_bolt", "infoint.bolt")


def redact(text: str) -> str:
    return TOKEN.sub("xox…(redacted)", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def keep_tokens_out_of_logs() -> None:
    """Once per process (idempotent): slack_sdk no longer logs at DEBUG, and its records, bolt's and
    infoint's Bolt logger's are redacted."""
    sdk = logging.getLogger("slack_sdk")
    if sdk.level < logging.INFO:
        sdk.setLevel(logging.INFO)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
