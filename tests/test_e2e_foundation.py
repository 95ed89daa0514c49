"""End to end: signed requests into the app (in process; over HTTP for the tests marked over_http);
what reached the fake Slack and the database."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from helpers import (
    STUDENT,
    RunningApp,
    buttons,
    contact_form,
    count,
    elements,
    interview_form,
    log_contact,
    make_config,
    texts,
)
from slackwire import TEAM, ServedApp, SlackSender, signed_headers
from sqlalchemy import select
from test_e2e_lookup import goal_state

from bot.app import WebApp, create_app
from bot.domain.pipeline import Stage
from bot.fakeslack import FakeSlack, validate_message_blocks, validate_view
from bot.services import Services
from storage.db import Database
from storage.models import Contact, Interview, OutreachAttempt, User

HOSTILE = "<!channel> Ada & <@U999> <https://evil.example|x>"


@pytest.mark.over_http
class TestSignatures:
    def test_valid_signature_is_accepted(self, running_app: RunningApp) -> None:
        assert running_app.sender.command("help").status == 200

    def test_bad_signature_gets_401(self, running_app: RunningApp) -> None:
        reply = running_app.sender.send_form(
            {"command": "/infoint", "text": "help"}, secret="wrong-secret-0000"
        )
        assert reply.status == 401

    def test_old_timestamp_gets_401(self, running_app: RunningApp) -> None:
        six_minutes_ago = time.time() - 360
        reply = running_app.sender.send_form({"command": "/infoint", "text": "help"}, at=six_minutes_ago)
        assert reply.status == 401

    def test_recent_timestamp_is_fine(self, running_app: RunningApp) -> None:
        fields = {"command": "/infoint", "text": "help", "team_id": TEAM, "user_id": STUDENT}
        assert running_app.sender.send_form(fields, at=time.time() - 200).status == 200

    def test_tampered_body_gets_401(self, running_app: RunningApp) -> None:
        body = b"command=%2Finfoint&text=help"
        headers = signed_headers(body, "application/x-www-form-urlencoded")
        request = urllib.request.Request(
            running_app.sender.url, data=body + b"x", headers=headers, method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 401


@pytest.mark.over_http
class TestHealth:
    def test_healthz(self, running_app: RunningApp) -> None:
        with urllib.request.urlopen(running_app.url + "/healthz", timeout=5) as response:
            assert response.status == 200
            assert json.loads(response.read()) == {"ok": True}
        with urllib.request.urlopen(running_app.url + "/readyz", timeout=5) as response:
            assert response.status == 200
            assert json.loads(response.read())["database"] == "up"

    def test_unknown_path_404(self, running_app: RunningApp) -> None:
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(running_app.url + "/nope", timeout=5)
        assert missing.value.code == 404

    def test_get_on_the_events_path_is_405(self, running_app: RunningApp) -> None:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(running_app.url + "/slack/events", timeout=5)
        assert refused.value.code == 405 and refused.value.headers["Allow"] == "POST"


class TestCommands:
    @pytest.mark.over_http
    @pytest.mark.parametrize("text", ["", "help", "  HELP  "])
    def test_help(self, running_app: RunningApp, text: str) -> None:
        body = running_app.answer(text)
        assert body["response_type"] == "ephemeral"
        assert not validate_message_blocks(body["blocks"], body.get("text"))
        for sub in ("/infoint log", "/infoint list", "/infoint help"):
            assert sub in texts(body)

    def test_unknown_subcommand_is_helpful_and_escaped(self, running_app: RunningApp) -> None:
        body = running_app.answer("frobnicate <!channel> &")
        shown = texts(body)
        assert "I don't know" in shown and "frobnicate" in shown and "/infoint log" in shown
        assert "<!channel>" not in shown and "&lt;!channel&gt; &amp;" in shown

    @pytest.mark.over_http
    def test_log_opens_the_modal_within_the_trigger_life(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        started = time.monotonic()
        reply = running_app.sender.command("log")
        assert reply.status == 200
        opened = slack.wait_for("views.open")[0]
        assert opened.at - started < 3
        assert opened.response["ok"], opened.response
        view = opened.args["view"]
        assert view["callback_id"] == "log_contact" and not validate_view(view)
        # The form starts short; the introducer, how a request went and the other details come when
        # they apply (tests/test_e2e_surfaces.py).
        shown = {b.get("block_id") for b in view["blocks"]}
        assert shown >= {"name", "company", "role", "degree", "standing", "log_more"}
        assert not shown & {"introducer", "email", "request_channel", "interview_at"}

    def test_list_empty(self, running_app: RunningApp) -> None:
        body = running_app.answer("list")
        assert "No contacts yet" in texts(body)


class TestLogContact:
    def test_invalid_submission_shows_errors_inline_and_saves_nothing(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        reply = running_app.sender.submit(
            "log_contact", contact_form(name="  ", degree="second", email="not-an-email", company="x" * 500)
        )
        body = reply.json()
        assert reply.status == 200 and body["response_action"] == "errors"
        assert set(body["errors"]) == {"name", "introducer", "email", "company"}
        assert count(running_app, Contact) == 0
        assert slack.calls_to("chat.postMessage") == []

    def test_past_interview_date_is_refused(self, running_app: RunningApp) -> None:
        yesterday = str(int((datetime.now(UTC) - timedelta(days=1)).timestamp()))
        body = running_app.sender.submit(
            "log_contact", contact_form(name="Ada", standing="interview_scheduled", interview_at=yesterday)
        ).json()
        assert body["errors"].keys() == {"interview_at"}

    @pytest.mark.over_http
    def test_valid_submission_is_saved_and_confirmed_by_dm(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        slack.set_user(STUDENT, tz="Europe/Paris")
        dm = log_contact(
            running_app,
            slack,
            name=HOSTILE,
            company="Acme & Co",
            degree="second",
            introducer="Grace <@U1>",
            email="ada@example.org",
            learning_goal="How <!here> research teams work",
            source="alumni",
        )
        assert dm["channel"].startswith("D") and slack.message(dm["channel"], dm["ts"]) is not None
        shown = texts(dm["blocks"]) + " " + dm["text"]
        assert "<!channel>" not in shown and "<@U999>" not in shown and "<!here>" not in shown
        assert "&lt;!channel&gt; Ada &amp; &lt;@U999&gt;" in shown
        assert set(buttons(dm)) == {"request_sent", "schedule_interview", "contact_draft", "contact_more"}
        with running_app.services.db.session() as session:
            contact = session.scalars(select(Contact)).one()
            assert contact.name == HOSTILE and contact.team_id == TEAM and contact.stage == "target"
            assert contact.introducer_name == "Grace <@U1>" and contact.source == "alumni"
            user = session.get(User, contact.owner_id)
            assert user is not None and user.slack_user_id == STUDENT
        # The App Home is refreshed, and the student's timezone learned from users.info.
        home = slack.wait_for("views.publish")[0]
        assert home.args["user_id"] == STUDENT and "&lt;!channel&gt;" in texts(home.args["view"])
        slack.wait_for("users.info")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with running_app.services.db.session() as session:
                tz = session.scalars(select(User.timezone)).one()
            if tz:
                break
            time.sleep(0.05)
        assert tz == "Europe/Paris"

    def test_request_sent_today_records_an_attempt(self, running_app: RunningApp, slack: FakeSlack) -> None:
        dm = log_contact(running_app, slack, name="Lin", standing="request_sent", request_channel="linkedin")
        with running_app.services.db.session() as session:
            attempt = session.scalars(select(OutreachAttempt)).one()
            assert attempt.channel == "linkedin" and attempt.number == 1
        assert "Follow-up sent" in texts(dm["blocks"])

    def test_interview_scheduled_creates_the_interview(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        when = int((datetime.now(UTC) + timedelta(days=3)).timestamp())
        dm = log_contact(
            running_app, slack, name="Kay", standing="interview_scheduled", interview_at=str(when)
        )
        with running_app.services.db.session() as session:
            interview = session.scalars(select(Interview)).one()
            assert int(interview.starts_at.timestamp()) == when
        assert f"<!date^{when}^" in texts(dm["blocks"])
        assert set(buttons(dm)) == {"prepare_questions", "contact_more"}

    def test_saved_contact_appears_in_list_and_home(self, running_app: RunningApp, slack: FakeSlack) -> None:
        log_contact(running_app, slack, name="Ada <b>", company="Acme")
        log_contact(running_app, slack, name="Bo", standing="request_sent")
        listing = running_app.answer("list")
        assert not validate_message_blocks(listing["blocks"], listing.get("text"))
        shown = texts(listing)
        assert "Targets* (1)" in shown and "Request sent, waiting for a reply* (1)" in shown
        assert "Ada &lt;b&gt;" in shown and "Acme" in shown and "Bo" in shown

        slack.reset()
        assert (
            running_app.sender.event(
                {"type": "app_home_opened", "user": STUDENT, "tab": "home", "channel": "D0STUDENT"}
            ).status
            == 200
        )
        home = slack.wait_for("views.publish")[0].args["view"]
        assert not validate_view(home)
        shown = texts(home)
        assert "*2* contacts" in shown and "Targets: *1*" in shown
        assert "Send a request to Ada &lt;b&gt;" in shown and "Follow up with Bo" in shown
        home_buttons = {
            e["action_id"] for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]
        }
        # Every contact on the Home can be acted on (tests/test_e2e_surfaces.py).
        assert home_buttons == {
            "open_log_modal",
            "open_pipeline",
            "open_settings",
            "request_sent",
            "contact_draft",
            "contact_reply",
            "contact_more",
        }

    def test_other_users_do_not_see_my_contacts(self, running_app: RunningApp, slack: FakeSlack) -> None:
        log_contact(running_app, slack, name="Private Person")
        assert "Private Person" not in texts(running_app.answer("list", user="U0OTHER"))
        assert "Private Person" not in texts(running_app.answer("list", team="T0OTHER"))


class TestRequestSent:
    @pytest.mark.over_http
    def test_click_records_one_attempt_and_updates_the_dm(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        dm = log_contact(running_app, slack, name="Ada", email="ada@example.org")
        value = buttons(dm)["request_sent"]
        reply = running_app.sender.click("request_sent", value, channel=dm["channel"], message_ts=dm["ts"])
        assert reply.status == 200
        update = slack.wait_for("chat.update")[0]
        assert update.response["ok"] and update.args["ts"] == dm["ts"]
        updated = slack.message(dm["channel"], dm["ts"])
        assert updated is not None and "Request recorded" in texts(updated)
        assert buttons(updated).get("request_sent") != value  # the old button is gone
        with running_app.services.db.session() as session:
            attempt = session.scalars(select(OutreachAttempt)).one()
            assert attempt.channel == "email"
            assert session.scalars(select(Contact.stage)).one() == Stage.REQUESTED.value

        # The same (now stale) button again, e.g. a double click: nothing new, and the student is told.
        running_app.sender.click("request_sent", value, channel=dm["channel"], message_ts=dm["ts"])
        notice = slack.wait_for(f"response_url:act-{STUDENT}")[0]
        assert "Already done" in texts(notice.args)
        assert count(running_app, OutreachAttempt) == 1

    @pytest.mark.parametrize(
        ("answer", "stage"), [("yes", "agreed"), ("no", "declined"), ("later", "requested")]
    )
    def test_they_replied_from_the_dm(
        self, running_app: RunningApp, slack: FakeSlack, answer: str, stage: str
    ) -> None:
        dm = log_contact(running_app, slack, name="Ada", standing="request_sent")
        overflow = elements(dm)["contact_reply"]
        chosen = next(o["value"] for o in overflow["options"] if o["value"].endswith(f":{answer}"))
        in_dm = {"channel": dm["channel"], "message_ts": dm["ts"]}
        assert running_app.sender.choose("contact_reply", chosen, **in_dm).status == 200
        slack.wait_for("chat.update")
        with running_app.services.db.session() as session:
            assert session.scalars(select(Contact.stage)).one() == stage
            assert session.scalars(select(OutreachAttempt.outcome)).one() == answer
        updated = slack.message(dm["channel"], dm["ts"])
        assert updated is not None and {"yes": "said yes", "no": "said no", "later": "later"}[
            answer
        ] in texts(updated)
        # The same choice again is stale: nothing changes.
        running_app.sender.choose("contact_reply", chosen, **in_dm)
        assert "Already done" in texts(slack.wait_for(f"response_url:act-{STUDENT}")[-1].args)

    @pytest.mark.over_http
    def test_double_click_at_once_records_one(self, running_app: RunningApp, slack: FakeSlack) -> None:
        dm = log_contact(running_app, slack, name="Ada")
        value = buttons(dm)["request_sent"]
        threads = [
            threading.Thread(
                target=running_app.sender.click,
                args=("request_sent", value),
                kwargs={"channel": dm["channel"], "message_ts": dm["ts"]},
            )
            for _ in range(4)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        slack.wait_for(f"response_url:act-{STUDENT}", 3)
        assert count(running_app, OutreachAttempt) == 1

    def test_someone_else_cannot_click_my_button(self, running_app: RunningApp, slack: FakeSlack) -> None:
        dm = log_contact(running_app, slack, name="Ada")
        value = buttons(dm)["request_sent"]
        running_app.sender.click(
            "request_sent", value, user="U0INTRUDER", channel=dm["channel"], message_ts=dm["ts"]
        )
        notice = slack.wait_for("response_url:act-U0INTRUDER")[0]
        assert "isn't in your list" in texts(notice.args)
        assert count(running_app, OutreachAttempt) == 0
        assert slack.calls_to("chat.update") == []

    @pytest.mark.parametrize("value", [None, "", "abc", "1", "1:x", "-1:1", "9" * 60 + ":1"])
    def test_garbled_button_values(
        self, running_app: RunningApp, slack: FakeSlack, value: str | None
    ) -> None:
        reply = running_app.sender.click("request_sent", value, channel="D0STUDENT", message_ts="1.000100")
        assert reply.status == 200
        notice = slack.wait_for(f"response_url:act-{STUDENT}")[0]
        assert "doesn't carry a contact" in texts(notice.args)

    def test_unknown_contact(self, running_app: RunningApp, slack: FakeSlack) -> None:
        running_app.sender.click("request_sent", "424242:1")
        assert "isn't in your list" in texts(slack.wait_for(f"response_url:act-{STUDENT}")[0].args)


class TestScheduleInterview:
    @pytest.mark.over_http
    def test_button_opens_modal_and_submission_schedules(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        dm = log_contact(running_app, slack, name="Ada & Bo")
        running_app.sender.click(
            "schedule_interview",
            buttons(dm)["schedule_interview"],
            channel=dm["channel"],
            message_ts=dm["ts"],
        )
        opened = slack.wait_for("views.open")[0]
        assert opened.response["ok"], opened.response
        view = opened.args["view"]
        assert view["callback_id"] == "schedule_interview" and "Ada &amp; Bo" in texts(view)
        when = int((datetime.now(UTC) + timedelta(days=5)).timestamp())
        state = interview_form(when, "30", "phone", "Their office")
        reply = running_app.sender.submit(
            "schedule_interview", state, private_metadata=view["private_metadata"]
        )
        assert reply.status == 200 and reply.body in (b"", b"{}")
        slack.wait_for("chat.update")
        updated = slack.message(dm["channel"], dm["ts"])
        assert (
            updated is not None and "Interview with" in texts(updated) and f"<!date^{when}^" in texts(updated)
        )
        with running_app.services.db.session() as session:
            interview = session.scalars(select(Interview)).one()
            assert (interview.duration_minutes, interview.format, interview.place) == (
                30,
                "phone",
                "Their office",
            )

    def test_bad_schedule_input_shows_errors(self, running_app: RunningApp, slack: FakeSlack) -> None:
        dm = log_contact(running_app, slack, name="Ada")
        contact_id, version = buttons(dm)["schedule_interview"].split(":")
        past = int((datetime.now(UTC) - timedelta(days=1)).timestamp())
        state = interview_form(past, duration="90", fmt=None, place=None)
        metadata = json.dumps({"contact": int(contact_id), "version": int(version)})
        body = running_app.sender.submit("schedule_interview", state, private_metadata=metadata).json()
        assert body["response_action"] == "errors" and set(body["errors"]) == {"starts_at", "duration"}
        assert count(running_app, Interview) == 0

    def test_forged_metadata_cannot_touch_another_users_contact(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        dm = log_contact(running_app, slack, name="Ada")
        contact_id, version = buttons(dm)["schedule_interview"].split(":")
        when = int((datetime.now(UTC) + timedelta(days=5)).timestamp())
        state = interview_form(when, duration=None, fmt=None, place=None)
        metadata = json.dumps({"contact": int(contact_id), "version": int(version)})
        body = running_app.sender.submit(
            "schedule_interview", state, user="U0INTRUDER", private_metadata=metadata
        ).json()
        assert body["response_action"] == "errors" and "isn't in your list" in body["errors"]["starts_at"]
        assert count(running_app, Interview) == 0
        body = running_app.sender.submit("schedule_interview", state, private_metadata="not json").json()
        assert "out of date" in body["errors"]["starts_at"]


class TestAppHome:
    @pytest.mark.over_http
    def test_home_for_a_new_user(self, running_app: RunningApp, slack: FakeSlack) -> None:
        running_app.sender.event(
            {"type": "app_home_opened", "user": "U0NEW", "tab": "home", "channel": "D0NEW"}
        )
        view = slack.wait_for("views.publish")[0].args["view"]
        assert view["type"] == "home" and "Nothing due" in texts(view) and not validate_view(view)

    def test_messages_tab_remembers_the_dm_channel(self, running_app: RunningApp, slack: FakeSlack) -> None:
        running_app.sender.event(
            {"type": "app_home_opened", "user": STUDENT, "tab": "messages", "channel": "D0STUDENT"}
        )
        slack.wait_for("users.info")
        deadline = time.monotonic() + 5
        channel = None
        while time.monotonic() < deadline and channel is None:
            with running_app.services.db.session() as session:
                channel = session.scalar(select(User.dm_channel))
            time.sleep(0.02)
        assert channel == "D0STUDENT"
        assert slack.calls_to("views.publish") == []

    def test_home_buttons_open_modals(self, running_app: RunningApp, slack: FakeSlack) -> None:
        log_contact(running_app, slack, name="Ada")
        running_app.sender.click("open_log_modal", None)
        running_app.sender.click("open_pipeline", None)
        opened = slack.wait_for("views.open", 2)
        assert all(call.response["ok"] for call in opened)
        kinds = sorted(call.args["view"].get("callback_id") or "pipeline" for call in opened)
        assert kinds == ["log_contact", "pipeline"]
        pipeline_view = next(c.args["view"] for c in opened if not c.args["view"].get("callback_id"))
        assert "Ada" in texts(pipeline_view)


@pytest.mark.over_http
def test_a_failing_database_gives_a_friendly_answer_not_a_500(slack: FakeSlack, tmp_path: Any) -> None:
    """A real failure (the database file cannot be opened): Slack gets a 200, and the user a message:
    after an empty ack where the ack carries nothing (a command, a form that closes), in the ack where
    it carries the result (a form that shows what was saved)."""
    broken = Database(f"sqlite:///{tmp_path}/missing-dir/nothing.db")
    services = Services(broken)
    served = ServedApp(WebApp(create_app(make_config(slack, broken.url), services), services))
    try:
        sender = SlackSender(f"{served.url}/slack/events", slack.response_url(""), slack.trigger_id)
        reply = sender.command("list")
        assert reply.status == 200 and reply.body == b""
        told = slack.wait_for("response_url:cmd-U0STUDENT")[-1]
        assert "Something went wrong" in texts(told.args) and told.response["ok"]
        reply = sender.submit("log_contact", contact_form(name="Ada"))
        assert reply.status == 200 and reply.body == b""  # the form was right: it closed
        dm = slack.wait_for("chat.postMessage")[-1]
        assert dm.args["channel"] == "U0STUDENT" and "Something went wrong" in texts(dm.args)
        reply = sender.submit("goal", goal_state())
        assert reply.status == 200 and reply.json()["response_action"] == "update"
        assert "Something went wrong" in texts(reply.json())
        with urllib.request.urlopen(f"{served.url}/healthz", timeout=5) as alive:
            assert alive.status == 200  # the process serves: alive, not ready
        with pytest.raises(urllib.error.HTTPError) as unready:
            urllib.request.urlopen(f"{served.url}/readyz", timeout=5)
        assert unready.value.code == 503
        assert json.loads(unready.value.read())["reason"] == "the database does not answer"
    finally:
        served.close()
        broken.dispose()
