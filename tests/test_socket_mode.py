"""Socket Mode end to end: `infoint run` with SLACK_APP_TOKEN connects, through the fake Slack's
``apps.connections.open``, to a local WebSocket stand-in for Slack (`FakeSlack.socket_mode`), which
sends a slash command, a view submission, a block action and an event; the app acknowledges each
envelope and does the work (a modal, the DM for a logged contact, its update, the App Home)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import BOT_TOKEN, PARIS, STUDENT, clean_env, contact_form, elements, make_config, texts
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slackwire import TEAM, Reply, SlackSender

from bot.ack_first import ARRIVALS
from bot.app import create_app
from bot.fakeslack import FakeSlack
from bot.logs import socket_mode_handler
from bot.services import Services
from storage.db import Database

CLI = [sys.executable, "-m", "bot.cli"]


class Payloads(SlackSender):
    """The payloads `SlackSender` would POST over HTTP, kept to be sent as Socket Mode envelopes."""

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__("http://127.0.0.1:9/slack/events", fake.response_url(""), fake.trigger_id)
        self.fields: dict[str, str] = {}

    def send_form(
        self, fields: dict[str, str], *, secret: str | None = None, at: float | None = None
    ) -> Reply:
        self.fields = dict(fields)
        return Reply(200, b"")

    def of_command(self, text: str) -> dict[str, Any]:
        self.command(text)
        return self.fields

    def of_interaction(self) -> dict[str, Any]:
        payload: dict[str, Any] = json.loads(self.fields["payload"])
        return payload


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN) as server:
        server.set_user(STUDENT, tz=PARIS)
        yield server
    assert server.internal_errors == []


def test_the_stand_in_speaks_socket_mode_to_slack_sdk(fake: FakeSlack) -> None:
    """slack_sdk's built-in client (the one slack_bolt's SocketModeHandler uses) connects to the URL
    from apps.connections.open, gets a hello, answers pings, acks envelopes and reconnects."""
    web = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
    client = SocketModeClient(app_token=fake.app_token, web_client=web, ping_interval=0.5)
    hellos: list[str] = []
    client.on_message_listeners.append(lambda raw: hellos.append(raw) if '"hello"' in raw else None)

    def ack(sock: SocketModeClient, request: SocketModeRequest) -> None:
        sock.send_socket_mode_response(
            SocketModeResponse(request.envelope_id, payload={"echo": request.type})
        )

    client.socket_mode_request_listeners.append(ack)
    try:
        client.connect()
        server = fake.socket_mode
        server.wait_connected()
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.headers["authorization"] == f"Bearer {fake.app_token}" and opened.response["ok"]
        envelope = server.send("events_api", {"type": "event_callback", "event": {"type": "x"}})
        assert server.wait_ack(envelope)["payload"] == {"echo": "events_api"}
        time.sleep(1.2)  # a few pings, answered: the client keeps the connection
        assert client.is_connected() and hellos
        server.disconnect()
        server.wait_connected(count=2)
        assert len(fake.calls_to("apps.connections.open")) == 2
        again = server.send("slash_commands", {"command": "/x"}, accepts_response_payload=True)
        assert server.wait_ack(again)["payload"] == {"echo": "slash_commands"}
    finally:
        client.close()
    assert fake.socket_mode.errors == []


def test_apps_connections_open_wants_the_app_token(fake: FakeSlack) -> None:
    from slack_sdk.errors import SlackApiError

    with pytest.raises(SlackApiError) as bot_token:
        WebClient(token=BOT_TOKEN, base_url=fake.api_url).apps_connections_open(app_token=BOT_TOKEN)
    assert bot_token.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as wrong:
        WebClient(base_url=fake.api_url).apps_connections_open(app_token="xapp-1-wrong")
    assert wrong.value.response["error"] == "invalid_auth"
    url = WebClient(base_url=fake.api_url).apps_connections_open(app_token=fake.app_token)["url"]
    assert url.startswith(f"ws://127.0.0.1:{fake.socket_mode.port}/link/?ticket=")


def test_infoint_run_in_socket_mode_end_to_end(fake: FakeSlack, tmp_path: Path) -> None:
    database = tmp_path / "infoint.db"
    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=fake.app_token,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{database}",
        INFOINT_SWEEP_SECONDS="3600",
        INFOINT_LOG_FORMAT="json",
    )
    log_path = tmp_path.parent / f"{tmp_path.name}-socket.log"
    with log_path.open("w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen([*CLI, "run"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)

        def output() -> str:
            log.flush()
            return log_path.read_text(encoding="utf-8", errors="replace")

        try:
            server = fake.socket_mode
            try:
                server.wait_connected(timeout=30)
            except AssertionError:
                pytest.fail(f"infoint run never connected:\n{output()}\n{fake.describe_calls()}")
            assert fake.calls_to("apps.connections.open")[0].response["ok"]
            payloads = Payloads(fake)

            # A slash command: acknowledged at once with nothing; its answer through the response_url.
            help_id = server.send(
                "slash_commands", payloads.of_command("help"), accepts_response_payload=True
            )
            assert not server.wait_ack(help_id).get("payload"), output()
            helped = fake.wait_for(f"response_url:cmd-{STUDENT}", timeout=10)[-1]
            assert "/infoint log" in texts(helped.args), output()

            # /infoint log opens the form; its submission saves the contact and DMs the student.
            log_id = server.send("slash_commands", payloads.of_command("log"), accepts_response_payload=True)
            server.wait_ack(log_id)
            assert fake.wait_for("views.open")[-1].args["view"]["callback_id"] == "log_contact"
            payloads.submit("log_contact", contact_form(name="Ada Lovelace", company="Acme"))
            submit_id = server.send("interactive", payloads.of_interaction(), accepts_response_payload=True)
            ack = server.wait_ack(submit_id)
            assert not (ack.get("payload") or {}).get("errors"), ack
            dm = fake.wait_for("chat.postMessage", timeout=10)[-1]
            assert dm.args["channel"] == STUDENT and "Ada Lovelace" in texts(dm.args), fake.describe_calls()

            # A click on the DM's button: acknowledged, recorded, the DM redrawn.
            value = elements(dm.args)["request_sent"]["value"]
            payloads.click(
                "request_sent", value, channel=dm.response["channel"], message_ts=dm.response["ts"]
            )
            click_id = server.send("interactive", payloads.of_interaction())
            server.wait_ack(click_id)
            fake.wait_for("chat.update", timeout=10)

            # An event: the App Home.
            event = {"type": "app_home_opened", "user": STUDENT, "tab": "home", "channel": "D0STUDENT"}
            event_id = server.send(
                "events_api",
                {
                    "type": "event_callback",
                    "team_id": TEAM,
                    "api_app_id": "A0001",
                    "event": event,
                    "event_id": "Ev1",
                },
                retry_attempt=0,
                retry_reason="",
            )
            server.wait_ack(event_id)
            fake.wait_for("views.publish", timeout=10)

            # Slack asks for a reconnection: the app opens a new connection and goes on.
            server.disconnect()
            server.wait_connected(count=2, timeout=20)
            answers = len(fake.calls_to(f"response_url:cmd-{STUDENT}"))
            again = server.send("slash_commands", payloads.of_command("help"), accepts_response_payload=True)
            server.wait_ack(again)
            helped = fake.wait_for(f"response_url:cmd-{STUDENT}", answers + 1, timeout=10)[-1]
            assert "/infoint log" in texts(helped.args)

            with sqlite3.connect(database) as conn:
                assert conn.execute("SELECT name FROM contacts").fetchall() == [("Ada Lovelace",)]
                assert conn.execute("SELECT count(*) FROM outreach_attempts").fetchone() == (1,)
            assert server.errors == []

            process.send_signal(signal.SIGTERM)
            try:
                assert process.wait(timeout=15) == 0, output()
            except subprocess.TimeoutExpired:
                pytest.fail(f"infoint run did not stop within 15 s of SIGTERM:\n{output()}")
            assert "Traceback" not in output(), output()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    # One JSON line per request, as over HTTP, naming what was asked, never what was typed.
    lines = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
    requests = [
        (r.get("kind"), r.get("action"), r["status"]) for r in lines if r["logger"] == "infoint.requests"
    ]
    assert requests == [
        ("command", "/infoint help", 200),
        ("command", "/infoint log", 200),
        ("view_submission", "log_contact", 200),
        ("block_actions", "request_sent", 200),
        ("event", "app_home_opened", 200),
        ("command", "/infoint help", 200),
    ], requests
    assert "Ada Lovelace" not in log_path.read_text(encoding="utf-8")


def test_a_request_over_socket_mode_is_counted_while_it_is_answered(fake: FakeSlack, db: Database) -> None:
    """Work after an ack gives way to the requests being answered (bot/ack_first.py): one arriving
    over Socket Mode counts as one too, from its envelope to its ack, and no longer after."""
    config = replace(make_config(fake, db.url), app_token=fake.app_token)
    services = Services(db)
    app = create_app(config, services)
    seen: list[int] = []

    def count_arrivals(next: Callable[[], Any]) -> Any:
        seen.append(ARRIVALS.answering)
        return next()

    app.use(count_arrivals)
    handler = socket_mode_handler(app, fake.app_token, WebClient(token=BOT_TOKEN, base_url=fake.api_url))
    handler.connect()
    try:
        server = fake.socket_mode
        server.wait_connected(timeout=10)
        envelope = server.send(
            "slash_commands", Payloads(fake).of_command("help"), accepts_response_payload=True
        )
        server.wait_ack(envelope)
        assert seen == [1]
        fake.wait_for(f"response_url:cmd-{STUDENT}", timeout=10)
        assert ARRIVALS.answering == 0
    finally:
        handler.close()
