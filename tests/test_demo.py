"""`infoint demo` without a browser: its page's JSON API driving the real app through real signed Slack
requests, the clock and the sweep, the example journey, what the page refuses, and the command line
(a busy port, Ctrl-C). The browser tests are in test_demo_browser.py."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demopage import START, TZ, Http, post_digest, request, serve, texts
from helpers import clean_env

import bot.demo
from bot.demo.clock import next_monday_morning, working_day
from bot.demo.inputs import BadInput, local_to_epoch
from bot.demo.people import MENTOR, SECOND_STUDENT, STUDENT
from bot.demo.serve import DemoServer

CLI = [sys.executable, "-m", "bot.cli"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    yield from serve(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def server(served: DemoServer) -> DemoServer:
    served.demo.reset()
    return served


def api(server: DemoServer, verb: str, **data: Any) -> Http:
    return request(f"{server.url}api/{verb}", data)


def state(server: DemoServer, user: str = STUDENT.id) -> dict[str, Any]:
    answer = request(f"{server.url}api/state?user={user}")
    assert answer.status == 200, answer.body
    return answer.json()  # type: ignore[no-any-return]


def dm_items(server: DemoServer, user: str = STUDENT.id) -> list[dict[str, Any]]:
    snap = state(server, user)
    return next(c for c in snap["conversations"] if c["kind"] == "dm")["items"]


def element(item: dict[str, Any], action_id: str) -> dict[str, Any]:
    """``where`` of the element ``action_id`` in a DM item, and the element."""
    for b, block in enumerate(item["blocks"]):
        for e, found in enumerate(block.get("elements") or []):
            if found.get("action_id") == action_id:
                where = {
                    "surface": "message",
                    "channel": STUDENT.dm,
                    "ts": item["ts"],
                    "block": b,
                    "element": e,
                }
                return {"where": where, "element": found}
    raise AssertionError(f"no {action_id} in {texts(item)[:300]}")


def log_contact(server: DemoServer, **values: Any) -> dict[str, Any]:
    assert api(server, "command", user=STUDENT.id, channel=STUDENT.dm, text="/infoint log").json()["ok"]
    modal = state(server)["modals"][-1]
    answer = api(server, "submit", user=STUDENT.id, view_id=modal["id"], values=values)
    assert answer.status == 200 and answer.json()["ok"], answer.body
    return state(server)


# The page and what it refuses ------------------------------------------------------------------------


def test_the_page_and_its_assets_come_with_a_strict_policy(server: DemoServer) -> None:
    page = request(server.url)
    assert page.status == 200 and b'id="composer-label">Message infoint</label>' in page.body
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    for name, kind in (("app.js", "javascript"), ("blockkit.js", "javascript"), ("demo.css", "css")):
        asset = request(f"{server.url}static/{name}")
        assert asset.status == 200 and kind in asset.headers["content-type"]
    for asset in (Path(bot.demo.__file__).parent / "static").iterdir():  # every one is served
        assert request(f"{server.url}static/{asset.name}").status == 200, asset.name
    assert request(f"{server.url}static/..%2Fweb.py").status == 404
    scripts = ("app.js", "blockkit.js", "dom.js", "forms.js", "modal.js", "mrkdwn.js")
    for name in scripts:  # text only ever becomes text nodes
        script = request(f"{server.url}static/{name}").body
        for sink in (b".innerHTML", b".outerHTML", b"insertAdjacentHTML", b"document.write", b"eval("):
            assert sink not in script, (name, sink)


def test_a_forged_user_is_refused_with_a_clear_400(server: DemoServer) -> None:
    for answer in (
        request(f"{server.url}api/state?user=UHACKER"),
        request(f"{server.url}api/state"),
        api(server, "command", user="UBOT", channel="DBOT", text="/infoint help"),
        api(server, "tab", user={"id": STUDENT.id}, tab="home"),
        request(f"{server.url}api/file?user=U0NOBODY&id=F1"),
    ):
        assert answer.status == 400
        assert "unknown demo user" in answer.json()["error"] and STUDENT.id in answer.json()["error"]
    # A real person, but someone else's conversation.
    answer = api(server, "command", user=SECOND_STUDENT.id, channel=STUDENT.dm, text="/infoint help")
    assert answer.status == 400 and "can't see" in answer.json()["error"]


def test_only_json_from_the_page_itself_is_taken(server: DemoServer) -> None:
    url = f"{server.url}api/command"
    form = request(url, raw=b"user=U0DEMOALEX", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status == 415
    other_site = request(url, {"user": STUDENT.id}, headers={"Origin": "http://evil.example"})
    assert other_site.status == 403
    rebound = request(
        f"{server.url}api/state?user={STUDENT.id}", headers={"Host": f"evil.example:{server.port}"}
    )
    assert rebound.status == 421
    assert api(server, "command", user=STUDENT.id, channel=STUDENT.dm, text="hello").status == 400
    assert api(server, "clock", move="century").status == 400
    assert api(server, "teleport", user=STUDENT.id).status == 404


def test_elements_are_looked_up_in_what_the_app_showed(server: DemoServer) -> None:
    snap = log_contact(server, name="Maya", degree="first", standing="target")
    card = dm_items(server)[-1]
    bogus = [
        {**element(card, "request_sent")["where"], "block": 99},
        {**element(card, "request_sent")["where"], "element": 42},
        {**element(card, "request_sent")["where"], "ts": "1.000001"},
        {"surface": "modal", "view_id": "V123", "block": 0, "element": 0},
        {"surface": "home", "block": 0, "element": 0},
    ]
    for where in bogus:
        answer = api(server, "action", user=STUDENT.id, where=where)
        assert answer.status == 400, where
    assert snap["modals"] == []


# The app through the page's API -----------------------------------------------------------------------


def test_a_contact_logged_through_the_modal_with_an_inline_error_first(server: DemoServer) -> None:
    assert api(server, "command", user=STUDENT.id, channel=STUDENT.dm, text="/infoint log").json()["ok"]
    modal = state(server)["modals"][-1]
    assert modal["title"]["text"] == "Log a contact"
    wrong = {"name": "Maya Chen", "email": "not-an-email", "degree": "first", "standing": "target"}
    assert api(server, "submit", user=STUDENT.id, view_id=modal["id"], values=wrong).json()["ok"]
    errors = state(server)["modals"][-1]["errors"]
    assert "email" in errors and "email" in errors["email"].lower()
    missing = api(server, "submit", user=STUDENT.id, view_id=modal["id"], values={"name": "Maya"})
    assert missing.status == 400 and "required" in missing.json()["error"]
    right = {**wrong, "email": "maya@example.org", "interview_at": None}
    assert api(server, "submit", user=STUDENT.id, view_id=modal["id"], values=right).json()["ok"]
    snap = state(server)
    assert snap["modals"] == []
    card = dm_items(server)[-1]
    assert "Maya Chen" in card["text"] and not card["edited"]
    assert api(server, "action", user=STUDENT.id, **element(card, "request_sent")).json()["ok"]
    card = dm_items(server)[-1]
    assert card["edited"] and "Request recorded" in texts(card["blocks"])


def test_a_week_later_the_follow_up_arrives_and_snooze_works(server: DemoServer) -> None:
    log_contact(server, name="Maya Chen", degree="first", standing="request_sent", request_channel="email")
    moved = api(server, "clock", move="week").json()
    assert moved["ok"] and "Tuesday 10 March" in moved["message"] and "sent 1 DM" in moved["message"]
    nudge = dm_items(server)[-1]
    assert "No reply from *Maya Chen* yet" in texts(nudge["blocks"])
    snooze = element(nudge, "nudge_snooze")
    day = snooze["element"]["options"][0]
    assert day["text"]["text"] == "Snooze 1 day"
    assert api(server, "action", user=STUDENT.id, where=snooze["where"], value=day["value"]).json()["ok"]
    nudge = dm_items(server)[-1]
    assert nudge["edited"] and "Snoozed until <!date^" in texts(nudge["blocks"])


def test_the_app_home_is_published_when_its_tab_opens(server: DemoServer) -> None:
    assert state(server)["home"] is None
    assert api(server, "tab", user=STUDENT.id, tab="home").json()["ok"]
    home = state(server)["home"]
    assert home is not None and "Log a contact" in texts(home["blocks"])
    log_button = next(
        {"surface": "home", "view_id": home["id"], "block": b, "element": e}
        for b, block in enumerate(home["blocks"])
        for e, found in enumerate(block.get("elements") or [])
        if (found.get("text") or {}).get("text") == "Log a contact"
    )
    assert api(server, "action", user=STUDENT.id, where=log_button).json()["ok"]
    assert state(server)["modals"][-1]["title"]["text"] == "Log a contact"


def test_commands_come_from_the_apps_own_help(server: DemoServer) -> None:
    usages = [usage for usage, _ in state(server)["commands"]]
    assert "/infoint log" in usages and "/infoint help" in usages
    assert api(server, "command", user=MENTOR.id, channel="C0DEMOGENERAL", text="/infoint help").json()["ok"]
    general = next(c for c in state(server, MENTOR.id)["conversations"] if c["name"] == "general")
    assert [i["kind"] for i in general["items"]] == ["ephemeral"]
    assert not next(c for c in state(server)["conversations"] if c["name"] == "general")["items"]


def test_modals_closed_and_people_kept_apart(server: DemoServer) -> None:
    api(server, "command", user=STUDENT.id, channel=STUDENT.dm, text="/infoint log")
    modal = state(server)["modals"][-1]
    assert state(server, SECOND_STUDENT.id)["modals"] == []
    assert api(server, "close", user=SECOND_STUDENT.id, view_id=modal["id"]).status == 400
    assert api(server, "close", user=STUDENT.id, view_id=modal["id"]).json()["ok"]
    assert state(server)["modals"] == []


def test_channel_messages_and_files_show_for_everyone(server: DemoServer) -> None:
    post_digest(server)
    for user in (STUDENT.id, MENTOR.id):
        channel = next(c for c in state(server, user)["conversations"] if c["id"] == "C0COHORT")
        assert channel["kind"] == "channel"
        assert [i["kind"] for i in channel["items"]] == ["message", "file", "file"]
    chart, csv = (i["file"] for i in channel["items"][1:])
    assert chart["image"] and chart["title"] == "Requests per week" and not csv["image"]
    shown = request(server.url + chart["url"].lstrip("/") + "&inline=1")
    assert shown.headers["content-type"] == "image/png" and shown.headers["content-disposition"].startswith(
        "inline"
    )
    table = request(server.url + csv["url"].lstrip("/") + "&inline=1")  # never inline: a download
    assert table.body.startswith(b"name,requests") and "text/csv" in table.headers["content-type"]
    assert table.headers["content-disposition"].startswith('attachment; filename="report.csv"')


def test_the_example_journey_and_reset(server: DemoServer) -> None:
    server.demo.reset(seed=True)
    items = dm_items(server)
    said = " ".join(texts(i) for i in items)
    for name in ("Maya Chen", "Sofia Alvarez", "Tom Okafor", "Lena Fischer"):
        assert name in said
    assert "How did it go with" in said
    calendar = next(i["file"] for i in items if i["kind"] == "file")
    assert calendar["name"].endswith(".ics")
    download = request(server.url + calendar["url"].lstrip("/"))
    assert download.status == 200 and download.body.startswith(b"BEGIN:VCALENDAR")
    assert "text/calendar" in download.headers["content-type"]
    assert download.headers["content-disposition"].startswith("attachment;")
    stranger = calendar["url"].replace(STUDENT.id, MENTOR.id)
    assert request(server.url + stranger.lstrip("/")).status == 400
    assert "Jamal Wright" in " ".join(texts(i) for i in dm_items(server, SECOND_STUDENT.id))
    assert abs(server.demo.clock().timestamp() - START.timestamp()) < 120  # the clock is back at its start
    assert api(server, "reset").json()["ok"]
    assert dm_items(server) == [] and state(server)["home"] is None


def test_outside_working_hours_reminders_wait_and_the_page_says_so(server: DemoServer) -> None:
    log_contact(server, name="Maya Chen", degree="first", standing="request_sent", request_channel="email")
    server.demo.clock.set(working_day(START, TZ, 6, 20))  # the next Tuesday, 20:00
    assert state(server)["window"] == {"open": False, "hours": "Mon, Tue, Wed, Thu, Fri, 09:00–18:00"}
    moved = api(server, "clock", move="day").json()
    assert (
        "nothing new to send" in moved["message"] and "1 reminder wait for working hours" in moved["message"]
    )
    moved = api(server, "clock", move="monday").json()
    assert (
        moved["message"].startswith("It is now Monday 16 March, 09:00.") and "sent 1 DM" in moved["message"]
    )


# Small pieces ----------------------------------------------------------------------------------------------


def test_clock_helpers_in_the_peoples_timezone() -> None:
    sunday_night = working_day(START, TZ, 5, 23)  # Sunday 8 March is a weekend: Monday 9 March, 23:00
    assert sunday_night.isoformat() == "2026-03-09T22:00:00+00:00"
    assert next_monday_morning(START, TZ).isoformat() == "2026-03-09T08:00:00+00:00"
    monday_nine = next_monday_morning(START, TZ)
    assert next_monday_morning(monday_nine, TZ).isoformat() == "2026-03-16T08:00:00+00:00"
    # After the change to summer time (29 March in Paris), 09:00 is 07:00 UTC.
    assert next_monday_morning(working_day(START, TZ, 24, 12), TZ).isoformat() == "2026-03-30T07:00:00+00:00"
    assert (
        local_to_epoch("2026-03-30T09:00", TZ)
        == int(next_monday_morning(START, TZ).timestamp()) + 3 * 7 * 86400 - 3600
    )
    with pytest.raises(BadInput):
        local_to_epoch("tomorrow at nine", TZ)


# The command line -------------------------------------------------------------------------------------------


def test_a_busy_port_stops_the_demo_with_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [*CLI, "demo", "--no-browser", "--port", str(port)],
            cwd=tmp_path,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [
        f"infoint: port {port} is already in use: choose another with --port (--port 0 takes any free one)."
    ]
    assert done.stdout == ""


def test_the_demo_command_serves_the_page_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [*CLI, "demo", "--no-browser", "--port", "0", "--seed"],
        cwd=tmp_path,
        env=clean_env(TZ="Europe/Paris"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("infoint demo: open http://127.0.0.1:"), first + (
            process.stderr.read() if process.poll() is not None and process.stderr else ""
        )
        url = first.split("open ", 1)[1].split(" ", 1)[0]
        said = [process.stdout.readline() for _ in range(3)]
        database = (
            next(line for line in said if "database:" in line).split("database: ", 1)[1].split(" ", 1)[0]
        )
        assert "temporary" in "".join(said) and "Europe/Paris" in "".join(said)
        assert Path(database).is_file()
        people = request(f"{url}api/people").json()["users"]
        assert [p["id"] for p in people] == [STUDENT.id, SECOND_STUDENT.id, MENTOR.id]
        items = request(f"{url}api/state?user={STUDENT.id}").json()["conversations"][0]["items"]
        assert len(items) >= 5  # the example journey
        assert list(tmp_path.iterdir()) == []  # nothing written where it was started
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "infoint demo: stopped" in out
    assert not Path(database).exists()  # the temporary database went with it
    time.sleep(0)
