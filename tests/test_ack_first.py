"""Acks first: a command or a click is acknowledged with nothing before any work is done, and the
answer follows (the response_url, a DM when that refuses it); a failure after the ack still reaches
the person; no ack waits behind the work that follows other acks. Signed requests over HTTP into the
app served by waitress, the fake Slack recording what the app sends, a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from helpers import STUDENT, RunningApp, contact_form, make_config, texts
from slackwire import TEAM, ServedApp, SlackSender
from sqlalchemy import func, select

from bot.ack_first import ARRIVALS, SWITCH_INTERVAL, YOUNG_COLLECTION_AFTER
from bot.app import WebApp, create_app
from bot.domain.forms import validate_contact
from bot.failures import SORRY_AFTER
from bot.fakeslack import FakeSlack, validate_message_blocks
from bot.services import Services
from storage.db import Database
from storage.models import Contact

ANSWERS = f"response_url:cmd-{STUDENT}"


def two_hundred_contacts(app: RunningApp) -> None:
    """The student's 200 contacts, half targets, half with a request sent (through the service)."""
    now = app.clock()
    for n in range(200):
        form = {"name": f"Person {n:03d}", "company": f"Company {n % 37}", "degree": "first",
                "standing": ("target", "request_sent")[n % 2]}  # fmt: skip
        checked = validate_contact(form, now)
        assert not isinstance(checked, dict), checked
        app.services.contacts.log_contact(TEAM, STUDENT, checked)


@pytest.mark.over_http
def test_the_list_of_200_contacts_is_acknowledged_with_nothing_and_arrives_at_the_response_url(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    two_hundred_contacts(running_app)
    reply = running_app.sender.command("list")
    assert reply.status == 200 and reply.body == b"", reply.body  # nothing built before the ack
    running_app.settle()
    [answer] = slack.calls_to(ANSWERS)
    assert answer.response["ok"], answer.response
    listing = answer.args
    assert listing["response_type"] == "ephemeral"
    assert not validate_message_blocks(listing["blocks"], listing.get("text"))
    shown = texts(listing)
    assert "Your list: 200 contacts" in shown and "Page 1 of 20" in shown
    assert "Person 000" in shown and "Next page" in shown


@pytest.mark.over_http
def test_an_answer_the_response_url_refuses_arrives_as_a_dm(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    slack.fail_next(ANSWERS, status=500)
    reply = running_app.sender.command("help")
    assert reply.status == 200 and reply.body == b""
    running_app.settle()
    assert slack.calls_to(ANSWERS)[-1].status == 500
    dm = slack.wait_for("chat.postMessage")[-1]
    assert dm.args["channel"] == STUDENT and dm.response["ok"], dm.response
    assert "/infoint log" in texts(dm.args)


@pytest.mark.over_http
def test_acks_do_not_wait_behind_the_work_that_follows_other_acks(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    """Ten people log a contact while Slack takes 2 s to answer what follows (``users.info``): more
    listeners at work than the listener pool has threads. Every form, and a help typed meanwhile,
    is acknowledged at once; everything is done in the end."""
    people = [f"U0PERSON{n}" for n in range(10)]
    slack.delay_response_next("users.info", 2.0, times=len(people))
    with ThreadPoolExecutor(max_workers=len(people)) as senders:
        started = time.monotonic()
        forms = [
            senders.submit(running_app.sender.submit, "log_contact", contact_form(name=f"Ada {n}"), user)
            for n, user in enumerate(people)
        ]
        time.sleep(0.3)  # the ten are at work, waiting for Slack
        helped = time.monotonic()
        reply = running_app.sender.command("help")
        acked_help = time.monotonic() - helped
        replies = [future.result() for future in forms]
        acked_all = time.monotonic() - started
    assert all(r.status == 200 and r.body == b"" for r in [*replies, reply])
    assert acked_help < 1.0 and acked_all < 1.5, (acked_help, acked_all)
    running_app.settle(timeout=30)
    assert "/infoint log" in texts(slack.calls_to(ANSWERS)[-1].args)
    assert {c.args["user"] for c in slack.calls_to("users.info")} == set(people)
    with running_app.services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == len(people)


# A failure after the ack ------------------------------------------------------------------------------


@pytest.fixture
def broken_app(slack: FakeSlack, tmp_path: Path) -> Any:
    """The app served over a database that cannot be opened (a real fault, after every ack)."""
    broken = Database(f"sqlite:///{tmp_path}/missing-dir/nothing.db")
    services = Services(broken)
    served = ServedApp(WebApp(create_app(make_config(slack, broken.url), services), services))
    yield SlackSender(f"{served.url}/slack/events", slack.response_url(""), slack.trigger_id)
    served.close()
    broken.dispose()


def test_a_failure_after_the_ack_is_told_where_the_command_was_typed(
    broken_app: SlackSender, slack: FakeSlack
) -> None:
    reply = broken_app.command("list")
    assert reply.status == 200 and reply.body == b""
    told = slack.wait_for(ANSWERS)[-1]
    assert told.response["ok"] and SORRY_AFTER in texts(told.args)
    assert told.args["response_type"] == "ephemeral"


def test_a_failure_after_the_ack_is_told_in_a_dm_when_the_response_url_refuses(
    broken_app: SlackSender, slack: FakeSlack
) -> None:
    slack.fail_next(ANSWERS, status=500)
    reply = broken_app.command("list")
    assert reply.status == 200 and reply.body == b""
    dm = slack.wait_for("chat.postMessage")[-1]
    assert dm.args["channel"] == STUDENT and SORRY_AFTER in texts(dm.args)


def test_a_failure_after_a_click_on_the_app_home_is_told_in_a_dm(
    broken_app: SlackSender, slack: FakeSlack
) -> None:
    """The App Home has no response_url: the person hears of it in the app's DM."""
    reply = broken_app.click("open_pipeline", None, view={"id": "VHOME", "type": "home", "blocks": []})
    assert reply.status == 200 and reply.body == b""
    dm = slack.wait_for("chat.postMessage")[-1]
    assert dm.args["channel"] == STUDENT and SORRY_AFTER in texts(dm.args)
    assert slack.calls_to("views.open") == []


def test_a_log_form_saved_after_its_ack_is_told_when_saving_fails(
    broken_app: SlackSender, slack: FakeSlack
) -> None:
    """The form was right, so it closed at once; the contact could not be saved: the person is told."""

    reply = broken_app.submit("log_contact", contact_form(name="Ada Lovelace"))
    assert reply.status == 200 and reply.body == b""
    dm = slack.wait_for("chat.postMessage")[-1]
    assert dm.args["channel"] == STUDENT and SORRY_AFTER in texts(dm.args)


def test_a_wrong_log_form_is_refused_in_its_ack_without_the_database(
    broken_app: SlackSender, slack: FakeSlack
) -> None:
    """The form's check needs no database: the errors come back in the ack even when it is down."""

    reply = broken_app.submit("log_contact", contact_form(name="", email="not an email"))
    body = reply.json()
    assert reply.status == 200 and body["response_action"] == "errors"
    assert set(body["errors"]) == {"name", "email"}
    time.sleep(0.2)
    assert slack.calls_to("chat.postMessage") == []


def test_a_serving_process_keeps_what_it_made_at_start_out_of_the_collectors_walks(
    db: Database, slack: FakeSlack
) -> None:
    """After ``favour_acks`` (called by ``infoint run`` once started), a full collection no longer
    walks the objects made at start (the app, its modules, SQLAlchemy's mappers), and a young
    collection waits for more new objects: the collector's pauses, which stop every ack, stay short.
    In a fresh interpreter, since the freeze is for the whole process."""
    probe = (
        "import gc, json, sys\n"
        "import os\n"
        "from helpers import make_config\n"
        "from bot.ack_first import favour_acks\n"
        "from bot.app import create_app, make_client\n"
        "from types import SimpleNamespace\n"
        "from bot.services import Services\n"
        "from storage.db import Database\n"
        "slack = SimpleNamespace(api_url=os.environ['PROBE_API_URL'])\n"
        "config = make_config(slack, os.environ['PROBE_DATABASE_URL'])\n"
        "app = create_app(config, Services(Database(config.database_url)), make_client(config))\n"
        "walked_before = len(gc.get_objects())\n"
        "favour_acks()\n"
        "print(json.dumps({'walked_before': walked_before, 'walked_after': len(gc.get_objects()),\n"
        "    'frozen': gc.get_freeze_count(), 'threshold': gc.get_threshold(),\n"
        "    'switch': sys.getswitchinterval()}))\n"
    )
    tests = Path(__file__).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), str(tests.parent)]),
           "PROBE_API_URL": slack.api_url,
           "PROBE_DATABASE_URL": db.engine.url.render_as_string(hide_password=False)}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["walked_before"] > 50_000  # what a full collection walked before
    assert seen["frozen"] >= seen["walked_before"] * 0.9
    assert seen["walked_after"] < seen["walked_before"] * 0.02
    assert seen["threshold"][0] == YOUNG_COLLECTION_AFTER > 700
    assert seen["switch"] == pytest.approx(SWITCH_INTERVAL)


# Work after an ack gives way to the requests being answered ------------------------------------------


def test_work_after_an_ack_waits_at_its_sql_while_a_request_is_being_answered(
    running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log form is acknowledged while another request is still being answered (held open here, as
    the web app holds it while it answers one); the contact is saved only once that answer is out."""
    monkeypatch.setattr(ARRIVALS, "limit", 30.0)
    with ARRIVALS.arriving():
        reply = running_app.sender.submit("log_contact", contact_form(name="Ada Lovelace"))
        assert reply.status == 200 and reply.body == b""  # the form's own ack did not wait
        time.sleep(0.5)
        assert contacts_saved(running_app) == 0  # its save waits at its first statement
    running_app.settle()
    assert contacts_saved(running_app) == 1


def test_work_after_an_ack_gives_way_for_a_moment_only(running_app: RunningApp) -> None:
    """Requests being answered without end (one held open for the whole test) only delay the work after
    an ack, by at most GIVE_WAY a statement: the contact is saved and the person told."""
    with ARRIVALS.arriving():
        running_app.sender.submit("log_contact", contact_form(name="Ada Lovelace"))
        running_app.settle(timeout=30)
        assert contacts_saved(running_app) == 1


def test_only_work_after_an_ack_gives_way(running_app: RunningApp) -> None:
    """The sweep, a request on its way to its ack, or any other thread never waits for arrivals."""
    with ARRIVALS.arriving():
        assert ARRIVALS.give_way() is False
        assert contacts_saved(running_app) == 0  # a statement here, in the test's thread: no wait


def contacts_saved(app: RunningApp) -> int:
    with app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(Contact)) or 0
