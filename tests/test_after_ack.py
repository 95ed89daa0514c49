"""A listener that fails after its ack: Slack still gets the ack (HTTP 200, what was acked), the user
is told in their words where they can be, and the failure is one log record.

Bolt runs a listener in its executor while the request waits for the ack. A listener that fails
after acking made Bolt drop the ack it had given (the request then ended in a 404 once Bolt gave up
waiting, or a 500): the race is made certain here with an executor that runs each listener at once,
on the request's own thread (any executor may do so)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

import pytest
from helpers import STUDENT, Clock, ListenerPool, RunningApp, contact_form, log_contact, make_config, texts
from slackwire import InProcess, SlackSender

from bot.app import WebApp, create_app
from bot.failures import SORRY_AFTER
from bot.fakeslack import FakeSlack
from bot.services import Services
from storage.db import Database


class AtOnce(ListenerPool):
    """A listener executor that runs each listener on the caller's thread before returning."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


@pytest.fixture
def at_once_app(db: Database, slack: FakeSlack) -> Iterator[RunningApp]:
    clock = Clock()
    services = Services(db, clock=clock)
    config = make_config(slack, db.url)
    listeners = AtOnce()
    wsgi = WebApp(create_app(config, services, listener_executor=listeners), services, config.signing_secret)
    transport = InProcess(wsgi)
    sender = SlackSender(transport, slack.response_url(""), slack.trigger_id)
    yield RunningApp(transport, services, sender, clock, config, listeners)
    listeners.shutdown(wait=True)


def failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_command_whose_web_api_call_fails_after_the_ack_is_still_acked(
    at_once_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """``/infoint log`` acks, then opens its form: Slack refusing views.open fails the listener."""
    slack.fail_next("views.open", error="internal_error")
    with caplog.at_level(logging.INFO):
        reply = at_once_app.sender.command("log")
    assert reply.status == 200, reply.body
    assert reply.body in (b"", b"{}")
    told = slack.wait_for(f"response_url:cmd-{STUDENT}")[-1]
    assert SORRY_AFTER in texts(told.args) and told.args["response_type"] == "ephemeral"
    assert len(failures(caplog)) == 1, [r.getMessage() for r in failures(caplog)]


def test_a_click_whose_web_api_call_fails_after_the_ack_is_still_acked(
    at_once_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """A card's Request sent is acked, recorded, then drawing the card again fails at Slack."""
    dm = log_contact(at_once_app, slack, name="Ada")
    value = next(
        e["value"]
        for b in dm["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == "request_sent"
    )
    slack.fail_next("chat.update", error="internal_error")
    with caplog.at_level(logging.INFO):
        reply = at_once_app.sender.click("request_sent", value, channel=dm["channel"], message_ts=dm["ts"])
    assert reply.status == 200, reply.body
    told = slack.wait_for(f"response_url:act-{STUDENT}")[-1]
    assert SORRY_AFTER in texts(told.args)
    assert len(failures(caplog)) == 1


def test_a_submission_whose_web_api_call_fails_after_the_ack_is_still_acked(
    at_once_app: RunningApp, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """The log form is acked (it closes), then the DM with the contact fails at Slack: no response
    URL, so the user is told in a DM."""
    slack.fail_next("chat.postMessage", error="internal_error")
    with caplog.at_level(logging.INFO):
        reply = at_once_app.sender.submit("log_contact", contact_form(name="Ada"))
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    told = [c for c in slack.calls_to("chat.postMessage") if c.response.get("ok")]
    assert told and SORRY_AFTER in texts(told[-1].args)
    assert len(failures(caplog)) == 1
