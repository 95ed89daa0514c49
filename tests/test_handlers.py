"""The handlers without a web server: the context middleware, and listeners called as plain functions."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from slack_bolt import BoltContext, BoltRequest, BoltResponse

from bot.blocks.help import help_message, unknown_subcommand_message
from bot.blocks.kit import notice
from bot.services import Services
from handlers import commands, contacts, interviews, lookup, nudges
from handlers.context import (
    RequestContext,
    actor_of,
    fill,
    services_of,
    team_of,
    user_of,
    workspace_of,
)
from handlers.payloads import BAD_CONTACT_BUTTON, BAD_CONTACT_MENU, BAD_INTERVIEW, BAD_NUDGE
from storage.db import Database

TEAM, USER = "T0001", "U0STUDENT"


class Recorder:
    """Stands in for Bolt's ``ack`` and ``respond``: remembers every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))


class Responder(Recorder):
    """Stands in for Bolt's ``respond`` with a response_url that takes every post."""

    response_url = "https://hooks.example.invalid/commands/1"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        super().__call__(*args, **kwargs)
        return SimpleNamespace(status_code=200)


class Client:
    """Stands in for the WebClient: remembers the views opened."""

    def __init__(self) -> None:
        self.opened: list[dict[str, Any]] = []

    def views_open(self, *, trigger_id: str, view: dict[str, Any]) -> None:
        self.opened.append(view)


def recorder() -> Any:
    """A :class:`Recorder` where Bolt's ``ack``, ``respond`` or ``next`` goes (hence ``Any``)."""
    return Recorder()


def client() -> Any:
    """A :class:`Client` where the WebClient goes (hence ``Any``)."""
    return Client()


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db)


def context_for(services: Services, user: str = USER) -> BoltContext:
    context = BoltContext(team_id=TEAM)
    fill(context, {"user": {"id": user}}, services)
    return context


# The middleware ---------------------------------------------------------------------------------------


class TestRequestContext:
    @pytest.mark.parametrize(
        "body",
        [
            {"type": "block_actions", "user": {"id": USER, "team_id": TEAM}, "team": {"id": TEAM}},
            {"type": "view_submission", "user": {"id": USER}},
            {"command": "/infoint", "user_id": USER, "team_id": TEAM},
            {"type": "event_callback", "event": {"type": "app_home_opened", "user": USER}},
        ],
    )
    def test_who_acted(self, body: dict[str, Any]) -> None:
        assert actor_of(body) == USER

    @pytest.mark.parametrize("body", [{}, {"user": {}}, {"user_id": 7}, {"event": {"user": {"id": "U1"}}}])
    def test_nobody(self, body: dict[str, Any]) -> None:
        assert actor_of(body) is None

    def test_the_workspace_of_an_org_install_is_its_enterprise(self) -> None:
        assert workspace_of(BoltContext(team_id=TEAM, enterprise_id="E1")) == TEAM
        assert workspace_of(BoltContext(enterprise_id="E1")) == "E1"
        assert workspace_of(BoltContext()) is None

    def test_the_middleware_fills_the_context(self, services: Services) -> None:
        request = BoltRequest(
            body={"type": "block_actions", "user": {"id": USER}, "team": {"id": TEAM}, "actions": []},
            mode="socket_mode",
        )
        passed_on = recorder()
        RequestContext(services).process(req=request, resp=BoltResponse(status=200), next=passed_on)
        assert len(passed_on.calls) == 1
        context = request.context
        assert services_of(context) is services
        assert (team_of(context), user_of(context)) == (TEAM, USER)
        assert (context["services"], context["team_id"], context["user_id"]) == (services, TEAM, USER)

    def test_the_accessors_refuse_a_context_without_them(self) -> None:
        with pytest.raises(LookupError):
            services_of(BoltContext())
        with pytest.raises(ValueError, match="workspace"):
            team_of(BoltContext())
        with pytest.raises(ValueError, match="user"):
            user_of(BoltContext(team_id=TEAM))


# Listeners, called directly ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listener", "value", "answer"),
    [
        (contacts.request_sent, "²:1", BAD_CONTACT_BUTTON),
        (contacts.schedule_interview, "1:01", BAD_CONTACT_BUTTON),
        (interviews.cancel, "-4", BAD_INTERVIEW),
        (nudges.nudge_done, "١٢", BAD_NUDGE),
        (nudges.open_notes, "12:x", BAD_NUDGE),
    ],
)
def test_an_unreadable_button_is_acked_and_answered(listener: Any, value: str, answer: str) -> None:
    ack, respond = recorder(), recorder()
    body = {"user": {"id": USER}, "trigger_id": "t"}
    listener(
        ack=ack, body=body, action={"value": value}, client=client(), context=BoltContext(), respond=respond
    )
    assert ack.calls == [((), {})]
    assert respond.calls == [((notice(answer),), {})]


def test_an_unreadable_menu_is_answered() -> None:
    ack, respond = recorder(), recorder()
    action = {"selected_option": {"value": "1:1:promotion"}}
    lookup.contact_outcome(
        ack=ack, body={}, action=action, client=client(), context=BoltContext(), respond=respond
    )
    assert respond.calls == [((notice(BAD_CONTACT_MENU),), {})]


def test_someone_elses_contact_is_refused(services: Services) -> None:
    ack, respond, web = recorder(), recorder(), client()
    context = context_for(services)
    action = {"value": "424242:1"}
    contacts.schedule_interview(ack=ack, body={}, action=action, client=web, context=context, respond=respond)
    assert ack.calls == [((), {})] and web.opened == []
    (args, _), *_ = respond.calls
    assert "isn't in your list" in args[0]["text"]


def test_the_pipeline_opens(services: Services) -> None:
    ack, web = recorder(), client()
    contacts.open_pipeline(ack=ack, body={"trigger_id": "t"}, client=web, context=context_for(services))
    assert ack.calls == [((), {})] and web.opened[0]["type"] == "modal"


@pytest.mark.parametrize("text", ["", "help", "  HELP  "])
def test_the_router_acks_first_then_answers_help(services: Services, text: str) -> None:
    ack, respond = recorder(), Responder()
    command = {"text": text, "user_id": USER}
    commands.infoint(
        ack=ack, command=command, client=client(), context=context_for(services), respond=respond
    )
    assert ack.calls == [((), {})]
    assert respond.calls == [((help_message(commands.listing()),), {})]


def test_the_router_acks_first_then_answers_an_unknown_subcommand(services: Services) -> None:
    ack, respond = recorder(), Responder()
    command = {"text": "dance now", "user_id": USER}
    commands.infoint(
        ack=ack, command=command, client=client(), context=context_for(services), respond=respond
    )
    assert ack.calls == [((), {})]
    assert respond.calls == [((unknown_subcommand_message(commands.listing(), "dance now"),), {})]


def test_every_subcommand_has_one_name() -> None:
    names = [entry.name for entry in commands.SUBCOMMANDS]
    assert len(names) == len(set(names)) and "help" not in names
    assert commands.listing()[-1] == commands.HELP
