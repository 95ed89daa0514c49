"""Log lines (`bot.logs`): with INFOINT_LOG_FORMAT=json every line is one JSON object; a line per
Slack request (workspace, user, what was asked, status, duration) and per DM the sweep sends; never a
token, never what a user typed. The requests go through the real path (signed, into the WSGI app)."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from helpers import BOT_TOKEN, STUDENT, RunningApp, contact_form, log_contact, sweeper
from hours import follow_up_due_now

from bot.config import ConfigError
from bot.fakeslack import FakeSlack
from bot.logs import JsonFormatter, TextFormatter, configure, log_format
from storage.models import Nudge

SECRET = "sk_live_51Hc0ffeeDeadBeef"
ENV_TOKEN = "xoxb-1111-2222-envsecret"

Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def json_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[Lines]:
    """Every log line written while the test runs, as JSON (each must parse as one object); a bot
    token sits in the environment, as in production."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", ENV_TOKEN)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines() -> list[dict[str, Any]]:
        parsed = []
        for line in stream.getvalue().splitlines():
            entry = json.loads(line)  # one JSON object per line, or the test fails here
            assert isinstance(entry, dict), line
            assert {"time", "level", "logger", "message"} <= entry.keys(), line
            parsed.append(entry)
        return parsed

    yield lines
    root.removeHandler(handler)
    root.setLevel(previous)


def requests(lines: Lines) -> list[dict[str, Any]]:
    return [entry for entry in lines() if entry["logger"] == "infoint.requests"]


def test_a_command_is_one_line_without_what_was_typed(running_app: RunningApp, json_lines: Lines) -> None:
    reply = running_app.sender.command(f"find {SECRET} {BOT_TOKEN}")
    assert reply.status == 200
    running_app.settle()
    [line] = requests(json_lines)
    assert line["team_id"] == "T0001" and line["user_id"] == STUDENT
    assert line["kind"] == "command" and line["action"] == "/infoint find"
    assert line["status"] == 200 and line["method"] == "POST" and line["path"] == "/slack/events"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    everything = json.dumps(json_lines())
    assert SECRET not in everything, "what the user typed reached the logs"
    assert ENV_TOKEN not in everything and BOT_TOKEN not in everything, "a token reached the logs"


def test_an_unknown_subcommand_is_not_logged_as_typed(running_app: RunningApp, json_lines: Lines) -> None:
    running_app.sender.command(f"{SECRET} please")
    [line] = requests(json_lines)
    assert line["action"] == "/infoint other"
    assert SECRET not in json.dumps(json_lines())


def test_cohort_subcommands_are_named(running_app: RunningApp, json_lines: Lines) -> None:
    running_app.sender.command("cohort report", channel_id="C0COHORT")
    running_app.sender.command(f"cohort {SECRET}", channel_id="C0COHORT")
    running_app.settle()
    assert [line["action"] for line in requests(json_lines)] == [
        "/infoint cohort report",
        "/infoint cohort other",
    ]


def test_a_click_a_submission_and_an_event(
    running_app: RunningApp, slack: FakeSlack, json_lines: Lines
) -> None:
    running_app.sender.click("open_log_modal", None)
    running_app.sender.submit("log_contact", contact_form(name=SECRET, company="Acme"))
    running_app.sender.event({"type": "app_home_opened", "user": STUDENT, "tab": "home"})
    running_app.sender.click("not_one_of_ours", None)
    running_app.settle()
    lines = requests(json_lines)
    assert [(line["kind"], line["action"]) for line in lines] == [
        ("block_actions", "open_log_modal"),
        ("view_submission", "log_contact"),
        ("event", "app_home_opened"),
        ("block_actions", "other"),
    ]
    assert all(line["team_id"] == "T0001" and line["user_id"] == STUDENT for line in lines), lines
    assert SECRET not in json.dumps(json_lines()), "a contact's name reached the logs"


def test_a_refused_request_and_the_probes(running_app: RunningApp, json_lines: Lines) -> None:
    reply = running_app.transport.request("POST", "/slack/events", b"command=%2Finfoint&text=hi", {})
    assert reply.status == 401
    assert running_app.transport.request("GET", "/healthz").status == 200
    assert running_app.transport.request("GET", "/readyz").status == 200
    [line] = requests(json_lines)  # a probe that answers 200 is not logged: a balancer asks often
    assert line["status"] == 401 and "team_id" not in line and "kind" not in line


def test_a_forged_path_cannot_forge_a_line(running_app: RunningApp, json_lines: Lines) -> None:
    """The path is the sender's to choose: its control characters never start a line of their own."""
    reply = running_app.transport.request("GET", "/x\n2026-01-01 INFO infoint: all good")
    assert reply.status == 404
    [line] = requests(json_lines)
    assert line["path"] == "/x?2026-01-01?INFO?infoint:?all?good" and line["status"] == 404
    text = TextFormatter().format(logging.makeLogRecord({"msg": line["message"], "levelname": "INFO"}))
    assert "\n" not in text


def _due_follow_up(app: RunningApp) -> None:
    """A contact written to 8 days ago with no reply: a follow-up is due now, at any hour."""
    now = datetime.now(UTC)
    with app.services.db.session() as session:
        follow_up_due_now(session, "T0001", STUDENT, now, name=SECRET)


def test_the_sweep_logs_each_dm(running_app: RunningApp, slack: FakeSlack, json_lines: Lines) -> None:
    _due_follow_up(running_app)
    report = sweeper(running_app).run(datetime.now(UTC))
    assert report.dms == 1
    [line] = [entry for entry in json_lines() if entry.get("outcome")]
    with running_app.services.db.session() as session:
        nudges = list(session.query(Nudge))
    assert line["logger"] == "bot.sweep" and line["outcome"] == "sent"
    assert line["team_id"] == "T0001" and line["user_id"] == STUDENT
    assert line["nudge_ids"] == [n.id for n in nudges] and line["kinds"] == sorted({n.kind for n in nudges})
    assert line["duration_ms"] >= 0
    everything = json.dumps(json_lines())
    assert SECRET not in everything, "a contact's name (in the DM) reached the logs"
    assert BOT_TOKEN not in everything and ENV_TOKEN not in everything


def test_a_refused_dm_is_logged_with_slacks_error(
    running_app: RunningApp, slack: FakeSlack, json_lines: Lines
) -> None:
    _due_follow_up(running_app)
    slack.fail_next("chat.postMessage", error="user_not_found")
    sweeper(running_app).run(datetime.now(UTC))
    [line] = [entry for entry in json_lines() if entry.get("outcome")]
    assert line["outcome"] == "refused" and line["error"] == "user_not_found"


def test_text_stays_the_default_and_masks_tokens() -> None:
    assert log_format({}) == "text" and log_format({"INFOINT_LOG_FORMAT": " JSON "}) == "json"
    with pytest.raises(ConfigError, match="INFOINT_LOG_FORMAT"):
        log_format({"INFOINT_LOG_FORMAT": "xml"})
    record = logging.makeLogRecord(
        {"name": "x", "levelname": "INFO", "levelno": 20, "msg": "token %s here", "args": (ENV_TOKEN,)}
    )
    line = TextFormatter().format(record)
    assert line.endswith("INFO x: token xoxb-… here"), line
    assert ENV_TOKEN not in JsonFormatter().format(record)


def test_configure_switches_the_root_handler() -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    hook = threading.excepthook
    try:
        configure({"INFOINT_LOG_FORMAT": "json"})
        assert [type(h.formatter) for h in root.handlers] == [JsonFormatter]
        stream = io.StringIO()
        root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
        failing = threading.Thread(target=lambda: 1 / 0, name="doomed")
        failing.start()
        failing.join()
        [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
        assert line["message"] == "uncaught error in thread doomed" and "ZeroDivisionError" in line["error"]
        configure({})
        assert [type(h.formatter) for h in root.handlers] == [TextFormatter]
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        threading.excepthook = hook
        logging.captureWarnings(False)


def test_log_contact_still_works_with_json_logs(
    running_app: RunningApp, slack: FakeSlack, json_lines: Lines
) -> None:
    """The request line wraps the app without changing what Slack gets back."""
    dm = log_contact(running_app, slack, name="Ada")
    assert "Ada" in json.dumps(dm["blocks"])
    assert [line["action"] for line in requests(json_lines)] == ["log_contact"]


def test_a_dm_refused_for_a_revoked_token_is_logged(
    running_app: RunningApp, slack: FakeSlack, json_lines: Lines
) -> None:
    """Slack refusing the workspace's token ends that workspace's round; its DM still has its line."""
    _due_follow_up(running_app)
    slack.revoke_token(BOT_TOKEN, "token_revoked")
    report = sweeper(running_app).run(datetime.now(UTC))
    assert report.refused_workspaces, report
    [line] = [entry for entry in json_lines() if entry.get("outcome")]
    assert line["outcome"] == "refused" and line["error"] == "token_revoked", line
    assert line["team_id"] == "T0001" and line["user_id"] == STUDENT
