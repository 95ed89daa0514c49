"""What every listener knows about its request, put in Bolt's context by one global middleware.

:class:`RequestContext` (registered in ``bot/app.py``) adds the :class:`~bot.services.Services`
container, the workspace and the user who acted to the context of every request; listeners read them
with :func:`services_of`, :func:`team_of` and :func:`user_of`. A subcommand of ``/infoint`` gets the
same through its :class:`Invocation`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse, Respond
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

from bot.services import Services

log = logging.getLogger(__name__)

SERVICES = "services"
TEAM_ID = "team_id"
USER_ID = "user_id"
#: A modal's form as checked before its listener started (``bot/ack_first.py``).
CHECKED_FIRST = "checked_first"


class RequestContext(Middleware):
    """Puts ``services``, ``team_id`` and ``user_id`` in the context of every request."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        fill(req.context, req.body, self.services)
        return next()


def fill(context: BoltContext, body: Mapping[str, Any], services: Services) -> None:
    """The middleware's work, on one request's context and parsed body."""
    context[SERVICES] = services
    team = workspace_of(context)
    if team:
        context[TEAM_ID] = team
    user = actor_of(body)
    if user:
        context[USER_ID] = user


def workspace_of(context: BoltContext) -> str | None:
    """The workspace a request came from (an Enterprise Grid org install has only the enterprise)."""
    return context.team_id or context.enterprise_id or None


def actor_of(body: Mapping[str, Any]) -> str | None:
    """Who acted: ``user.id`` of an interaction, ``user_id`` of a command, ``event.user`` of an event."""
    user = body.get("user")
    if isinstance(user, Mapping):
        return _text(user.get("id"))
    if "user_id" in body:
        return _text(body.get("user_id"))
    event = body.get("event")
    if isinstance(event, Mapping):
        return _text(event.get("user"))
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


# Typed accessors ----------------------------------------------------------------------------------


def checked_first(context: BoltContext) -> Any:
    """The submitted form as checked (and acknowledged) before the listener started, if it was."""
    return context.get(CHECKED_FIRST)


def services_of(context: BoltContext) -> Services:
    services = context.get(SERVICES)
    if not isinstance(services, Services):
        raise LookupError("no services in the context: is the RequestContext middleware registered?")
    return services


def team_of(context: BoltContext) -> str:
    team = context.get(TEAM_ID)
    if not isinstance(team, str) or not team:
        raise ValueError("request without a workspace")
    return team


def user_of(context: BoltContext) -> str:
    user = context.get(USER_ID)
    if not isinstance(user, str) or not user:
        raise ValueError("request without a user")
    return user


# A subcommand's request ---------------------------------------------------------------------------


class Answer:
    """How a subcommand answers, after the router has acknowledged the command (plain, at once):
    ``answer(message)`` posts ``message`` to the command's response_url, which only the user sees;
    when that URL is missing or refuses it, the app's DM with the user has it instead (nothing is
    lost). ``answer()`` says nothing (a subcommand that opens a modal or answers elsewhere)."""

    def __init__(self, respond: Respond | None, client: WebClient, channel_id: str, user_id: str) -> None:
        self.respond = respond if respond is not None and respond.response_url else None
        self.client, self.channel_id, self.user_id = client, channel_id, user_id

    def __call__(self, message: Mapping[str, Any] | None = None) -> None:
        if not message:
            return
        if self.respond is not None:
            try:
                status = self.respond(dict(message)).status_code
            except Exception as error:  # no answer from the response_url at all
                status, reason = 0, repr(error)
            else:
                reason = f"HTTP {status}"
            if status == 200:
                return
            log.warning("the command's response_url refused the answer (%s): sent as a DM instead", reason)
        fields = {key: value for key, value in message.items() if key in ("text", "blocks")}
        self.client.chat_postMessage(channel=self.user_id, **fields)


@dataclass(frozen=True)
class Invocation:
    """One use of ``/infoint <name> <args>``: what a subcommand needs to answer. The command is
    already acknowledged when a subcommand runs; it answers with :attr:`answer`."""

    answer: Callable[..., None]
    client: WebClient
    context: BoltContext
    args: str
    """What follows the subcommand's name, as the user typed it (``AT&T``, not Slack's ``AT&amp;T``)."""
    trigger_id: str
    channel_id: str
    respond: Respond | None = None
    """Answers later through the command's response_url (only the user sees it)."""
    mentioned: tuple[str, ...] = ()
    """The users the command mentions (Slack's ``<@U…>``), read before ``args`` was unescaped."""

    @property
    def ack(self) -> Callable[..., None]:
        """The same as :attr:`answer` (the name subcommands knew before commands were acknowledged
        first)."""
        return self.answer

    @property
    def services(self) -> Services:
        return services_of(self.context)

    @property
    def team_id(self) -> str:
        return team_of(self.context)

    @property
    def user_id(self) -> str:
        return user_of(self.context)
