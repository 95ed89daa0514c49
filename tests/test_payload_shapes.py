"""A signed body whose fields are not shaped as Slack sends them (a view that is a list, a callback_id
that is a number, actions that are not a list, no user…) is refused by the gate with a 400 before Bolt
reads it: never a 500, a 404 or a traceback, one log line, nothing sent to Slack. The same requests
well shaped still reach their listeners."""

from __future__ import annotations

import json
import logging
import urllib.parse
from typing import Any

import pytest
from helpers import STUDENT, RunningApp
from slackwire import TEAM, Reply, signed_headers

from bot.fakeslack import FakeSlack
from bot.shapes import malformed

DROP = object()
TEAM_OBJ = {"id": TEAM, "domain": "test"}
USER = {"id": STUDENT, "team_id": TEAM}
VIEW = {
    "id": "V1",
    "type": "modal",
    "callback_id": "log_contact",
    "private_metadata": "",
    "state": {"values": {}},
    "hash": "1.a",
}
ACTION = {"type": "button", "action_id": "open_pipeline", "block_id": "b", "value": "1", "action_ts": "1"}


def _without_drops(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if value is not DROP}


def click(**changes: Any) -> dict[str, Any]:
    payload = {
        "type": "block_actions",
        "team": TEAM_OBJ,
        "user": USER,
        "api_app_id": "A0001",
        "trigger_id": "1.2.3",
        "container": {"type": "view", "view_id": "V1"},
        "actions": [ACTION],
    }
    return _without_drops(payload | changes)


def submission(**changes: Any) -> dict[str, Any]:
    payload = {
        "type": "view_submission",
        "team": TEAM_OBJ,
        "user": USER,
        "api_app_id": "A0001",
        "trigger_id": "1.2.3",
        "view": VIEW,
    }
    return _without_drops(payload | changes)


def action(**changes: Any) -> list[dict[str, Any]]:
    return [_without_drops(ACTION | changes)]


def view(**changes: Any) -> dict[str, Any]:
    return _without_drops(VIEW | changes)


#: Signed interactivity payloads that Slack never sends.
MALFORMED: dict[str, dict[str, Any]] = {
    "view-list": submission(view=[1]),
    "view-string": submission(view="x"),
    "view-null": submission(view=None),
    "view-number": submission(view=3),
    "view-missing": submission(view=DROP),
    "callback_id-int": submission(view=view(callback_id=5)),
    "callback_id-missing": submission(view=view(callback_id=DROP)),
    "callback_id-null": submission(view=view(callback_id=None)),
    "callback_id-empty": submission(view=view(callback_id="")),
    "private_metadata-int": submission(view=view(private_metadata=5)),
    "view-id-list": submission(view=view(id=["V1"])),
    "state-list": submission(view=view(state=[])),
    "state-values-list": submission(view=view(state={"values": [1]})),
    "state-block-list": submission(view=view(state={"values": {"name": [1]}})),
    "state-element-string": submission(view=view(state={"values": {"name": {"name": "x"}}})),
    "submission-user-missing": submission(user=DROP),
    "submission-team-and-user-team-missing": submission(team=DROP, user={"id": STUDENT}),
    "closed-view-list": {"type": "view_closed", "team": TEAM_OBJ, "user": USER, "view": [1]},
    "actions-object": click(actions={"a": 1}),
    "actions-string": click(actions="x"),
    "actions-empty": click(actions=[]),
    "actions-null": click(actions=None),
    "actions-missing": click(actions=DROP),
    "action-not-object": click(actions=[1]),
    "action_id-int": click(actions=action(action_id=5)),
    "action_id-missing": click(actions=action(action_id=DROP)),
    "action-value-int": click(actions=action(value=5)),
    "action-value-object": click(actions=action(value={"a": 1})),
    "block_id-int": click(actions=action(block_id=7)),
    "selected_option-string": click(actions=action(selected_option="x")),
    "selected_option-value-int": click(actions=action(selected_option={"value": 1})),
    "selected_options-object": click(actions=action(selected_options={"value": "1"})),
    "user-missing": click(user=DROP),
    "user-string": click(user=STUDENT),
    "user-id-int": click(user={"id": 5, "team_id": TEAM}),
    "user-id-empty": click(user={"id": "", "team_id": TEAM}),
    "team-missing-and-no-user-team": click(team=DROP, user={"id": STUDENT}),
    "team-string": click(team=TEAM),
    "team-id-int": click(team={"id": 5}),
    "team-list": click(team=[TEAM]),
    "type-missing": click(type=DROP),
    "type-int": click(type=5),
    "container-string": click(container="x"),
    "channel-string": click(channel="C1"),
    "message-string": click(message="x"),
    "click-view-list": click(view=[1]),
    "click-view-string": click(view="x"),
    "trigger_id-int": click(trigger_id=5),
    "response_url-int": click(response_url=5),
    "shortcut-callback_id-int": {"type": "shortcut", "team": TEAM_OBJ, "user": USER, "callback_id": 5},
    "suggestion-action_id-int": {
        "type": "block_suggestion",
        "team": TEAM_OBJ,
        "user": USER,
        "action_id": 5,
        "block_id": "b",
        "value": "x",
    },
}

#: Signed forms and events of the wrong shape: (body, content type).
FORMS: dict[str, dict[str, str]] = {
    "command-without-user": {"command": "/infoint", "text": "help", "team_id": TEAM},
    "command-without-team": {"command": "/infoint", "text": "help", "user_id": STUDENT},
}
EVENTS: dict[str, dict[str, Any]] = {
    "event-missing": {"type": "event_callback", "team_id": TEAM},
    "event-list": {"type": "event_callback", "team_id": TEAM, "event": [1]},
    "event-type-int": {"type": "event_callback", "team_id": TEAM, "event": {"type": 5}},
    "event-without-team": {"type": "event_callback", "event": {"type": "app_home_opened", "user": STUDENT}},
}


def assert_refused_quietly(reply: Reply, caplog: pytest.LogCaptureFixture, slack: FakeSlack) -> None:
    assert reply.status == 400, reply
    assert json.loads(reply.body) == {"error": "malformed request"}
    refusals = [r for r in caplog.records if "refused POST /slack/events" in r.getMessage()]
    assert len(refusals) == 1, [r.getMessage() for r in caplog.records]
    assert "\n" not in refusals[0].getMessage()
    assert all(r.exc_info is None for r in caplog.records), "a traceback was logged"
    assert slack.calls == []


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_signed_payload_of_the_wrong_shape_is_400(
    running_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.INFO)
    reply = running_app.sender.interaction(MALFORMED[case])
    running_app.settle()
    assert_refused_quietly(reply, caplog, slack)


@pytest.mark.parametrize("case", list(FORMS))
def test_a_signed_command_of_the_wrong_shape_is_400(
    running_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.INFO)
    reply = running_app.sender.send_form(FORMS[case])
    running_app.settle()
    assert_refused_quietly(reply, caplog, slack)


@pytest.mark.parametrize("case", list(EVENTS))
def test_a_signed_event_of_the_wrong_shape_is_400(
    running_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.INFO)
    body = json.dumps(EVENTS[case]).encode()
    reply = running_app.sender.send(
        body, signed_headers(body, "application/json", running_app.config.signing_secret)
    )
    running_app.settle()
    assert_refused_quietly(reply, caplog, slack)


@pytest.mark.over_http
def test_over_http_too(running_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    body = urllib.parse.urlencode({"payload": json.dumps(MALFORMED["callback_id-int"])}).encode()
    reply = running_app.sender.send(body, signed_headers(body, "application/x-www-form-urlencoded"))
    assert_refused_quietly(reply, caplog, slack)


def test_the_same_requests_well_shaped_reach_their_listeners(
    running_app: RunningApp, slack: FakeSlack
) -> None:
    """The controls: each malformed case is one change away from a request that works."""
    for well_shaped in (click(), submission(), click(team=DROP), click(actions=action(value=DROP))):
        assert malformed(well_shaped) is None, well_shaped
    reply = running_app.sender.interaction(click())
    running_app.settle()
    assert reply.status == 200 and slack.wait_for("views.open")[0].response["ok"]
    reply = running_app.sender.interaction(submission())
    assert reply.status == 200 and json.loads(reply.body)["response_action"] == "errors"
    assert running_app.sender.command("help").status == 200
