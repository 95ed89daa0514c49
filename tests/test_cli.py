"""The ``infoint`` command, run the way a new user runs it: as a separate process.

Every run gets its own working directory (a pytest ``tmp_path``, where ``.env`` and the default
``infoint.db`` are looked up) and an environment without any SLACK_*, INFOINT_*, DATABASE_URL or
PORT variable of the machine running the tests, plus what the test sets.  Every subprocess call has
a timeout, so a hanging command fails the test instead of hanging the suite.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from helpers import BOT_TOKEN, clean_env, contact_form
from hours import follow_up_due_now
from slackwire import SIGNING_SECRET, SlackSender

from bot.fakeslack import FakeSlack
from storage.db import Database, normalise_url

CLI = [sys.executable, "-m", "bot.cli"]
APPS_PAGE = "https://api.slack.com/apps"
TABLES = {"contacts", "users", "interviews", "outreach_attempts", "nudges", "alembic_version"}
#: Text a user types that no log line may carry.
SECRET_TEXT = "sk_live_51Hc0ffeeDeadBeef"
#: How long a command that should stop at once (bad configuration) may take.
QUICK = 30.0


def run_cli(
    *args: str, cwd: Path, env: dict[str, str], timeout: float = QUICK
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [*CLI, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(
            f"`infoint {' '.join(args)}` did not exit within {timeout} s (killed).\n"
            f"stderr:\n{_text(expired.stderr)}"
        )


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output or ""


def describe(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {result.returncode}\n--- stdout:\n{result.stdout}\n--- stderr:\n{result.stderr}"


def error_line(result: subprocess.CompletedProcess[str], *, only_line: bool) -> str:
    """The one ``infoint: …`` line of a failed run (exit 2, no traceback).

    ``only_line``: stderr must be that line and nothing else (configuration errors, found before any
    logging); otherwise log lines may come before it, but exactly one line is infoint's own verdict.
    """
    assert result.returncode == 2, describe(result)
    assert "Traceback" not in result.stdout + result.stderr, describe(result)
    if only_line:
        lines = result.stderr.splitlines()
        assert len(lines) == 1, describe(result)
    else:
        lines = [line for line in result.stderr.splitlines() if line.startswith("infoint: ")]
        assert len(lines) == 1, describe(result)
    assert lines[0].startswith("infoint: "), describe(result)
    return lines[0]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sqlite_tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def sqlite_revision(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


@pytest.fixture(scope="module")
def head() -> str:
    db = Database("sqlite://")
    try:
        revision = db.head_revision()
    finally:
        db.dispose()
    assert revision
    return revision


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN) as server:
        yield server


# -- the console script ---------------------------------------------------------------------------


def test_console_script_is_installed_and_shows_help(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "infoint"
    assert script.is_file(), f"the `infoint` console script is missing beside {sys.executable}"
    result = subprocess.run(
        [str(script), "--help"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=QUICK,
        check=False,
    )
    assert result.returncode == 0, describe(result)
    assert result.stdout.startswith("usage: infoint"), describe(result)
    assert "run" in result.stdout and "db" in result.stdout, describe(result)
    assert "Traceback" not in result.stderr


# -- configuration errors: one line, exit 2 -------------------------------------------------------


def test_run_without_any_token_says_where_to_get_one(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path, env=clean_env())
    line = error_line(result, only_line=True)
    assert line.startswith("infoint: SLACK_BOT_TOKEN is not set"), line
    assert APPS_PAGE in line, line
    assert not (tmp_path / "infoint.db").exists(), "a run that stops on configuration left a database"


GOOD_HTTP = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        pytest.param({"SLACK_BOT_TOKEN": "abc"}, "SLACK_BOT_TOKEN", id="bot-token-not-xoxb"),
        pytest.param({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET", id="http-without-secret"),
        pytest.param(
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-wrong"},
            "SLACK_APP_TOKEN",
            id="app-token-not-xapp",
        ),
        pytest.param({**GOOD_HTTP, "PORT": "notaport"}, "PORT", id="port-not-a-number"),
        pytest.param({**GOOD_HTTP, "PORT": "70000"}, "PORT", id="port-too-big"),
        pytest.param({**GOOD_HTTP, "PORT": "²"}, "PORT", id="port-unicode-digit"),
        pytest.param({**GOOD_HTTP, "DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL", id="db-mysql"),
        pytest.param({**GOOD_HTTP, "DATABASE_URL": "::nonsense"}, "DATABASE_URL", id="db-not-a-url"),
        pytest.param({**GOOD_HTTP, "SLACK_API_URL": "ftp://x"}, "SLACK_API_URL", id="api-url-ftp"),
        pytest.param({**GOOD_HTTP, "INFOINT_SWEEP_SECONDS": "0"}, "INFOINT_SWEEP_SECONDS", id="sweep-zero"),
    ],
)
def test_malformed_configuration_is_one_line_naming_the_variable(
    tmp_path: Path, env: dict[str, str], variable: str
) -> None:
    result = run_cli("run", cwd=tmp_path, env=clean_env(**env))
    line = error_line(result, only_line=True)
    assert line.startswith(f"infoint: {variable} "), line
    assert not (tmp_path / "infoint.db").exists(), "a run that stops on configuration left a database"


def test_dotenv_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"SLACK_BOT_TOKEN={BOT_TOKEN}\n", encoding="utf-8")
    result = run_cli("run", cwd=tmp_path, env=clean_env())
    line = error_line(result, only_line=True)
    # Past the bot token (which only .env has): now it's the signing secret that is missing.
    assert line.startswith("infoint: SLACK_SIGNING_SECRET is not set"), line


def test_process_environment_wins_over_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=not-a-bot-token\nPORT=3001\n", encoding="utf-8")
    result = run_cli("run", cwd=tmp_path, env=clean_env(SLACK_BOT_TOKEN=BOT_TOKEN))
    line = error_line(result, only_line=True)
    assert "SLACK_BOT_TOKEN" not in line, line
    assert line.startswith("infoint: SLACK_SIGNING_SECRET is not set"), line


# -- db upgrade -----------------------------------------------------------------------------------


def test_db_upgrade_creates_the_schema_and_can_run_twice(tmp_path: Path, head: str) -> None:
    path = tmp_path / "x.db"
    env = clean_env(DATABASE_URL=f"sqlite:///{path}")
    for attempt in (1, 2):
        result = run_cli("db", "upgrade", cwd=tmp_path, env=env)
        assert result.returncode == 0, f"attempt {attempt}: {describe(result)}"
        assert "Traceback" not in result.stdout + result.stderr, describe(result)
        assert any(f"revision {head}" in line for line in result.stdout.splitlines()), describe(result)
        assert path.is_file()
        assert not TABLES - sqlite_tables(path), "missing tables"
        assert sqlite_revision(path) == head
    assert not (tmp_path / "infoint.db").exists(), "DATABASE_URL was set: no default file expected"


def test_db_upgrade_without_database_url_uses_infoint_db_here(tmp_path: Path, head: str) -> None:
    result = run_cli("db", "upgrade", cwd=tmp_path, env=clean_env())
    assert result.returncode == 0, describe(result)
    assert f"revision {head}" in result.stdout, describe(result)
    path = tmp_path / "infoint.db"
    assert path.is_file(), describe(result)
    assert not TABLES - sqlite_tables(path), "missing tables"
    assert sqlite_revision(path) == head


# -- run, against the fake Slack ------------------------------------------------------------------


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def json_log_lines(text: str) -> list[dict[str, Any]]:
    """Every line `infoint run` wrote with INFOINT_LOG_FORMAT=json: each must be one JSON object."""
    entries = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            pytest.fail(f"a log line that is not JSON: {line!r}\n{text}")
        assert isinstance(entry, dict) and {"time", "level", "logger", "message"} <= entry.keys(), line
        entries.append(entry)
    return entries


def test_run_http_mode_serves_slack_and_stops_on_sigterm(tmp_path: Path, fake: FakeSlack, head: str) -> None:
    """`infoint run` over HTTP, with JSON logs; on SIGTERM it takes no new connection, closes idle
    ones, finishes what a request started (a DM held 3 s by Slack) and exits 0 within 10 s."""
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        PORT=str(port),
        INFOINT_LOG_FORMAT="json",
    )
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path.parent / f"{tmp_path.name}-run.log"
    with log_path.open("w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen([*CLI, "run"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)

        def output() -> str:
            log.flush()
            return log_path.read_text(encoding="utf-8", errors="replace")

        try:
            deadline = time.monotonic() + 20
            ready: tuple[int, bytes] | None = None
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    pytest.fail(f"infoint run exited early with {process.returncode}:\n{output()}")
                try:
                    ready = _get(f"{base}/readyz")
                except OSError:
                    ready = None
                if ready is not None and ready[0] == 200:
                    break
                time.sleep(0.1)
            assert ready is not None and ready[0] == 200, f"/readyz never answered 200:\n{output()}"
            assert json.loads(ready[1])["revision"] == head
            assert _get(f"{base}/healthz") == (200, b'{"ok": true}')

            checks = fake.calls_to("auth.test")
            assert checks, fake.describe_calls()
            assert checks[0].response["ok"] is True

            sender = SlackSender(f"{base}/slack/events", fake.response_url(""), fake.trigger_id)
            reply = sender.command("help")
            assert reply.status == 200 and reply.body == b"", reply  # acknowledged first, with nothing
            helped = fake.wait_for("response_url:cmd-U0STUDENT")[-1]
            assert "/infoint log" in json.dumps(helped.args), helped.args

            forged = SlackSender(
                f"{base}/slack/events", fake.response_url(""), fake.trigger_id, secret="f" * 32
            ).command("help")
            assert forged.status == 401, forged

            database = tmp_path / "infoint.db"
            assert database.is_file(), "run did not create infoint.db in the working directory"
            assert sqlite_revision(database) == head

            idle = http.client.HTTPConnection("127.0.0.1", port, timeout=5)  # keep-alive, then idle
            idle.request("GET", "/healthz")
            assert idle.getresponse().read() == b'{"ok": true}'

            # A contact logged: Slack gets its ack at once; the DM that follows is held 3 s by Slack.
            fake.delay_response_next("chat.postMessage", 3.0)
            logged = sender.submit("log_contact", contact_form(name="Ada Lovelace", company=SECRET_TEXT))
            assert logged.status == 200, logged
            process.send_signal(signal.SIGTERM)
            signalled = time.monotonic()

            time.sleep(1.0)  # the DM is still held by Slack: the process is finishing it
            assert process.poll() is None, output()
            with pytest.raises(OSError):
                _get(f"{base}/healthz")  # the listening socket is closed: no new connection
            assert idle.sock is not None and idle.sock.recv(1) == b"", "an idle connection was left open"
            idle.close()

            try:
                code = process.wait(timeout=10 - (time.monotonic() - signalled))
            except subprocess.TimeoutExpired:
                pytest.fail(f"infoint run did not stop within 10 s of SIGTERM:\n{output()}")
            assert code == 0, output()
            assert "Traceback" not in output(), output()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    posts = [c for c in fake.calls_to("chat.postMessage") if c.response and c.response.get("ok")]
    assert len(posts) == 1 and "Ada Lovelace" in json.dumps(posts[0].args["blocks"]), fake.describe_calls()
    with sqlite3.connect(tmp_path / "infoint.db") as conn:
        assert conn.execute("SELECT name FROM contacts").fetchall() == [("Ada Lovelace",)]

    lines = json_log_lines(log_path.read_text(encoding="utf-8"))
    requests = [line for line in lines if line["logger"] == "infoint.requests"]
    assert [(r.get("kind"), r.get("action"), r["status"]) for r in requests] == [
        ("command", "/infoint help", 200),
        (None, None, 401),
        ("view_submission", "log_contact", 200),
    ], requests
    assert all(
        r["team_id"] == "T0001" and r["user_id"] == "U0STUDENT" for r in requests if r["status"] == 200
    )
    assert all(isinstance(r["duration_ms"], float) for r in requests)
    assert lines[-1]["message"] == "infoint stopped", lines[-1]
    everything = log_path.read_text(encoding="utf-8")
    assert BOT_TOKEN not in everything and SIGNING_SECRET not in everything, "a secret reached the logs"
    assert SECRET_TEXT not in everything and "Ada Lovelace" not in everything, "typed text reached the logs"


def test_run_with_a_refused_bot_token_stops(tmp_path: Path) -> None:
    with FakeSlack(bot_token="xoxb-the-real-token") as other:
        env = clean_env(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=other.api_url,
            PORT=str(free_port()),
        )
        result = run_cli("run", cwd=tmp_path, env=env)
        answers = [call.response["error"] for call in other.calls_to("auth.test")]
    line = error_line(result, only_line=False)
    assert "SLACK_BOT_TOKEN" in line and "refused" in line, line
    assert answers == ["invalid_auth"], answers


def test_run_socket_mode_with_a_refused_app_token_stops(tmp_path: Path, fake: FakeSlack) -> None:
    env = clean_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-1-bad", SLACK_API_URL=fake.api_url)
    result = run_cli("run", cwd=tmp_path, env=env, timeout=20)
    line = error_line(result, only_line=False)
    assert "SLACK_APP_TOKEN" in line, line
    assert fake.calls_to("apps.connections.open"), fake.describe_calls()


def test_run_on_a_port_already_in_use_says_so(tmp_path: Path, fake: FakeSlack) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        env = clean_env(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.api_url,
            PORT=str(busy.getsockname()[1]),
        )
        result = run_cli("run", cwd=tmp_path, env=env, timeout=20)
    line = error_line(result, only_line=False)
    assert "PORT" in line, line


# -- PostgreSQL -----------------------------------------------------------------------------------


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A DATABASE_URL for an empty schema of our own on INFOINT_TEST_DATABASE_URL's server."""
    server = os.environ.get("INFOINT_TEST_DATABASE_URL", "")
    if not server.startswith("postgres"):
        pytest.skip("set INFOINT_TEST_DATABASE_URL=postgresql://… to test against PostgreSQL")
    schema = f"t_cli_{uuid.uuid4().hex[:12]}"
    # psycopg wants plain postgresql:// (no +driver, no SQLAlchemy-only spellings).
    conninfo = "postgresql://" + normalise_url(server).split("://", 1)[1]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in server else "?"
    try:
        yield normalise_url(server) + f"{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_run_against_an_unmigrated_postgres_asks_for_db_upgrade(
    tmp_path: Path, postgres_schema_url: str, head: str
) -> None:
    env = clean_env(
        DATABASE_URL=postgres_schema_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL="http://127.0.0.1:9/api/",  # never reached: the schema check comes first
        PORT=str(free_port()),
    )
    result = run_cli("run", cwd=tmp_path, env=env, timeout=20)
    line = error_line(result, only_line=False)
    assert "infoint db upgrade" in line, line

    upgraded = run_cli("db", "upgrade", cwd=tmp_path, env=env)
    assert upgraded.returncode == 0, describe(upgraded)
    assert f"revision {head}" in upgraded.stdout, describe(upgraded)
    assert "postgresql" in upgraded.stdout, describe(upgraded)
    db = Database(postgres_schema_url)
    try:
        assert db.current_revision() == head
        with db.engine.connect() as conn:
            tables = set(
                conn.exec_driver_sql(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                ).scalars()
            )
    finally:
        db.dispose()
    assert not TABLES - tables, f"missing tables in the schema: {TABLES - tables}"
    assert not (tmp_path / "infoint.db").exists(), "DATABASE_URL was PostgreSQL: no SQLite file expected"


def test_run_sweeps_on_its_schedule_and_sends_once(tmp_path: Path, fake: FakeSlack) -> None:
    """`infoint run` sweeps every INFOINT_SWEEP_SECONDS: a follow-up due now arrives once."""
    from datetime import UTC, datetime

    url = f"sqlite:///{tmp_path / 'infoint.db'}"
    db = Database(url)
    db.upgrade()
    now = datetime.now(UTC)
    with db.session() as session:
        follow_up_due_now(session, "T0001", "U0STUDENT", now)
    db.dispose()

    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        PORT=str(free_port()),
        DATABASE_URL=url,
        INFOINT_SWEEP_SECONDS="5",
    )
    log_path = tmp_path.parent / f"{tmp_path.name}-sweep.log"
    with log_path.open("w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen([*CLI, "run"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            posts = fake.wait_for("chat.postMessage", timeout=20)
            assert posts[0].args["channel"] == "U0STUDENT"
            assert posts[0].args["metadata"]["event_type"] == "infoint_nudges"
            assert "No reply from" in json.dumps(posts[0].args["blocks"])
            time.sleep(6)  # at least one more sweep
            assert len(fake.calls_to("chat.postMessage")) == 1, fake.describe_calls()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    assert "Traceback" not in log_path.read_text(encoding="utf-8", errors="replace")


def test_sigterm_during_a_sweep_finishes_its_dm_and_begins_no_other(tmp_path: Path, fake: FakeSlack) -> None:
    """Two students are due a follow-up; Slack holds the first DM 3 s. SIGTERM meanwhile: that DM is
    finished and recorded, the second is not begun (no claim left behind), exit 0 within 10 s; the
    next sweep sends the second: nothing lost, nothing twice."""
    from datetime import UTC, datetime

    url = f"sqlite:///{tmp_path / 'infoint.db'}"
    db = Database(url)
    db.upgrade()
    now = datetime.now(UTC)
    with db.session() as session:
        for student in ("U0ALICE", "U0BOB"):
            follow_up_due_now(session, "T0001", student, now)
    db.dispose()

    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        PORT=str(free_port()),
        DATABASE_URL=url,
        INFOINT_LOG_FORMAT="json",
    )
    fake.delay_response_next("chat.postMessage", 3.0)
    log_path = tmp_path.parent / f"{tmp_path.name}-stop.log"
    with log_path.open("w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen([*CLI, "run"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 20
            while fake._in_flight == 0:  # the first DM reached Slack, which holds it
                assert time.monotonic() < deadline and process.poll() is None, log_path.read_text()
                time.sleep(0.05)
            process.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            try:
                code = process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pytest.fail(f"infoint run did not stop within 10 s of SIGTERM:\n{log_path.read_text()}")
            assert code == 0 and time.monotonic() - signalled < 10, log_path.read_text()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    output = log_path.read_text(encoding="utf-8")
    assert "Traceback" not in output, output
    posts = fake.calls_to("chat.postMessage")
    assert len(posts) == 1 and posts[0].response["ok"], fake.describe_calls()
    first = posts[0].args["channel"]
    with sqlite3.connect(tmp_path / "infoint.db") as conn:
        rows = dict(
            conn.execute("SELECT u.slack_user_id, n.status FROM nudges n JOIN users u ON u.id = n.user_id")
        )
    assert rows == {first: "sent", ({"U0ALICE", "U0BOB"} - {first}).pop(): "pending"}, rows
    dm_lines = [line for line in json_log_lines(output) if line.get("outcome")]
    assert [(line["user_id"], line["outcome"]) for line in dm_lines] == [(first, "sent")], dm_lines

    swept = run_cli("sweep", cwd=tmp_path, env=env)
    assert swept.returncode == 0, describe(swept)
    assert sorted(c.args["channel"] for c in fake.calls_to("chat.postMessage")) == ["U0ALICE", "U0BOB"]
