"""Every POST to /slack/events is verified before it is parsed: 401 for what Slack did not sign, 400
for a signed body that is not well-formed, never a 500 or a traceback. Through the real HTTP server
(waitress on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.parse

import pytest
from helpers import STUDENT, RunningApp
from slackwire import SIGNING_SECRET, TEAM, InProcess, Reply, signed_headers

from bot.app import SlackGate, WebApp, create_app, parse_slack_body
from bot.fakeslack import FakeSlack

pytestmark = pytest.mark.over_http

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def raw_signed(body: bytes, content_type: str, timestamp: str | None = None) -> dict[str, str]:
    """Signed over the raw bytes (whatever they are), as Slack would sign them."""
    stamp = timestamp if timestamp is not None else str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


def form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def help_command() -> bytes:
    return form(command="/infoint", text="help", team_id=TEAM, user_id=STUDENT)


DEEP = b"[" * 100_000 + b"]" * 100_000

#: Bodies that are not what Slack sends: (body, content type).
MALFORMED: dict[str, tuple[bytes, str]] = {
    "payload-not-json": (form(payload="{not json"), FORM),
    "payload-json-array": (form(payload="[1, 2]"), FORM),
    "payload-json-string": (form(payload='"block_actions"'), FORM),
    "payload-deeply-nested": (b"payload=" + urllib.parse.quote_from_bytes(DEEP).encode(), FORM),
    "form-sent-as-json": (help_command(), JSON),
    "json-array-body": (b'[{"type": "event_callback"}]', JSON),
    "json-not-json": (b'{"type": "event_callback"', JSON),
    "json-deeply-nested": (b'{"a":' + DEEP + b"}", JSON),
    "json-sent-as-form": (b'{"type": "event_callback", "event": {}}', FORM),
    "not-utf8-form": (b"command=%2Finfoint&text=\xff\xfe", FORM),
    "not-utf8-json": (b'{"type": "\xc3\x28"}', JSON),
    "form-without-command-or-payload": (form(text="help", user_id=STUDENT), FORM),
    "empty-body": (b"", FORM),
    "plain-text": (b"hello", "text/plain"),
    "multipart": (
        b"--x\r\nContent-Disposition: form-data; name=command\r\n\r\n/infoint\r\n--x--",
        "multipart/form-data; boundary=x",
    ),
}


def assert_refused_quietly(reply: Reply, status: int, caplog: pytest.LogCaptureFixture) -> None:
    assert reply.status == status, reply
    assert json.loads(reply.body)["error"], reply.body
    refusals = [r for r in caplog.records if "refused POST /slack/events" in r.getMessage()]
    assert len(refusals) == 1, [r.getMessage() for r in caplog.records]
    assert all(r.exc_info is None for r in caplog.records), "a traceback was logged"
    assert "\n" not in refusals[0].getMessage()


@pytest.mark.parametrize("case", list(MALFORMED))
def test_an_unsigned_malformed_body_is_401(
    running_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, content_type = MALFORMED[case]
    caplog.set_level(logging.INFO)
    assert_refused_quietly(running_app.sender.send(body, {"Content-Type": content_type}), 401, caplog)
    assert slack.calls == []


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_signed_malformed_body_is_400(
    running_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, content_type = MALFORMED[case]
    caplog.set_level(logging.INFO)
    assert_refused_quietly(running_app.sender.send(body, raw_signed(body, content_type)), 400, caplog)
    assert slack.calls == []


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "", " ", "1700000000.5", "1e9", "-5", "+1700000000", " 1700000000", "１７００", "9" * 400],
    ids=[
        "letters",
        "empty",
        "space",
        "fraction",
        "exponent",
        "negative",
        "plus",
        "padded",
        "fullwidth",
        "huge",
    ],
)
def test_an_unparseable_timestamp_is_401(
    running_app: RunningApp, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    """Signed with that very timestamp: it still can't be checked against the 5-minute window."""
    caplog.set_level(logging.INFO)
    body = help_command()
    headers = raw_signed(body, FORM, timestamp=timestamp.strip() or "0")
    headers["X-Slack-Request-Timestamp"] = timestamp
    if not timestamp.isascii():
        headers["X-Slack-Request-Timestamp"] = urllib.parse.quote(timestamp)  # headers are latin-1
    assert_refused_quietly(running_app.sender.send(body, headers), 401, caplog)


@pytest.mark.parametrize(
    "signature",
    ["", "v0=", "v1=" + "0" * 64, "v0=" + "g" * 64, "v0=" + "0" * 63, "v0=" + "é" * 64],
    ids=["empty", "bare", "v1", "not-hex", "short", "latin-1"],
)
def test_a_malformed_signature_is_401(
    running_app: RunningApp, caplog: pytest.LogCaptureFixture, signature: str
) -> None:
    caplog.set_level(logging.INFO)
    body = help_command()
    headers = raw_signed(body, FORM)
    headers["X-Slack-Signature"] = signature
    reply = running_app.sender.send(
        body, {k: v.encode("latin-1").decode("latin-1") for k, v in headers.items()}
    )
    assert_refused_quietly(reply, 401, caplog)


def test_missing_headers_and_a_stale_signature_are_401(
    running_app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = help_command()
    assert_refused_quietly(running_app.sender.send(body, {"Content-Type": FORM}), 401, caplog)
    caplog.clear()
    old = signed_headers(body, FORM, at=time.time() - 301)
    assert_refused_quietly(running_app.sender.send(body, old), 401, caplog)
    caplog.clear()
    future = signed_headers(body, FORM, at=time.time() + 400)
    assert_refused_quietly(running_app.sender.send(body, future), 401, caplog)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback", "team": 5, "event": {"type": "app_home_opened"}}', JSON),
        (form(payload='{"type": "block_actions", "authorizations": "x"}'), FORM),
        (form(payload='{"type": "block_actions", "enterprise": 7}'), FORM),
    ],
    ids=["team-a-number", "authorizations-a-string", "enterprise-a-number"],
)
def test_a_signed_object_bolt_cannot_read_is_400(
    running_app: RunningApp, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    """Well-formed, signed, but shaped so that Bolt fails reading its ids: 400, not a 500."""
    caplog.set_level(logging.INFO)
    assert_refused_quietly(running_app.sender.send(body, raw_signed(body, content_type)), 400, caplog)


def test_well_formed_requests_still_work(running_app: RunningApp) -> None:
    assert running_app.sender.command("help").status == 200
    event = {"type": "app_home_opened", "user": STUDENT, "tab": "home", "channel": "D0STUDENT"}
    assert running_app.sender.event(event).status == 200
    challenge = b'{"type": "url_verification", "challenge": "c-123", "token": "x"}'
    reply = running_app.sender.send(challenge, signed_headers(challenge, "application/json; charset=utf-8"))
    assert reply.status == 200 and b"c-123" in reply.body


def test_a_command_mentioning_payload_reaches_its_listener(running_app: RunningApp) -> None:
    """Bolt alone takes any form body containing the text "payload" for an interaction."""
    reply = running_app.sender.command("find payload")
    assert reply.status == 200, reply
    reply = running_app.sender.command("payload")
    assert reply.status == 200, reply
    assert "unhandled" not in reply.body.decode()


def test_bolt_still_checks_the_signature_itself(running_app: RunningApp) -> None:
    """A second line of defence: the Bolt app behind the gate refuses what it can't verify itself
    (here a gate given another secret than Bolt's)."""
    other_secret = "another-secret-that-passes-the-gate"
    web = WebApp(create_app(running_app.config, running_app.services), running_app.services, other_secret)
    body = help_command()
    stamp = str(int(time.time()))
    digest = hmac.new(other_secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }
    assert InProcess(web).request("POST", "/slack/events", body, headers).status == 401


def test_the_gate_on_its_own() -> None:
    gate = SlackGate(SIGNING_SECRET)
    body = help_command()
    headers = {k.lower(): v for k, v in raw_signed(body, FORM).items()}
    status, _, parsed = gate.check(body, headers)
    assert status == 200 and parsed is not None and parsed["text"] == "help"
    assert parse_slack_body(b'{"type": "event_callback"}', "application/json; charset=utf-8") == {
        "type": "event_callback"
    }
    assert parse_slack_body(form(payload='{"type": "block_actions"}'), FORM) == {"type": "block_actions"}
    assert isinstance(parse_slack_body(b' {"a": 1}', JSON), str)
