"""The /infoint slash command and its subcommands.

Each feature module adds its subcommands with :func:`subcommand`; ``/infoint help`` lists them all
in the order they were added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.contacts import pipeline_message
from bot.blocks.help import help_message, unknown_subcommand_message
from bot.blocks.modals.log_contact import log_contact_modal
from bot.blocks.modals.settings import settings_modal
from bot.services import Services
from handlers.common import team_of

COMMAND = "/infoint"


@dataclass(frozen=True)
class Invocation:
    """One use of ``/infoint <name> <args>``: what a subcommand needs to answer."""

    ack: Ack
    client: WebClient
    services: Services
    team_id: str
    user_id: str
    args: str
    trigger_id: str
    channel_id: str


Subcommand = Callable[[Invocation], None]


@dataclass(frozen=True)
class _Entry:
    usage: str
    description: str
    run: Subcommand


_SUBCOMMANDS: dict[str, _Entry] = {}


def subcommand(name: str, usage: str, description: str) -> Callable[[Subcommand], Subcommand]:
    """Register ``/infoint <name>``; ``usage`` is shown in help, e.g. ``"/infoint find <text>"``."""

    def add(run: Subcommand) -> Subcommand:
        _SUBCOMMANDS[name] = _Entry(usage, description, run)
        return run

    return add


def listing() -> list[tuple[str, str]]:
    return [(entry.usage, entry.description) for entry in _SUBCOMMANDS.values()]


@subcommand("log", "/infoint log", "Log a contact: who they are, how you know them, where things stand.")
def _log(call: Invocation) -> None:
    call.ack()
    call.client.views_open(trigger_id=call.trigger_id, view=log_contact_modal())


@subcommand("list", "/infoint list", "Your pipeline, grouped by stage.")
def _list(call: Invocation) -> None:
    call.ack(pipeline_message(call.services.queries.contacts.pipeline(call.team_id, call.user_id)))


@subcommand(
    "settings", "/infoint settings", "Your working hours for reminders, follow-up timing and weekly goals."
)
def _settings(call: Invocation) -> None:
    call.ack()
    prefs, timezone = call.services.queries.users.preferences(call.team_id, call.user_id)
    call.client.views_open(trigger_id=call.trigger_id, view=settings_modal(prefs, timezone))


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def infoint(ack: Ack, command: dict, client: WebClient, context: BoltContext) -> None:
        text = (command.get("text") or "").strip()
        name, _, args = text.partition(" ")
        name = name.lower()
        everything = [*listing(), ("/infoint help", "This message.")]
        if name in ("", "help"):
            ack(help_message(everything))
            return
        entry = _SUBCOMMANDS.get(name)
        if entry is None:
            ack(unknown_subcommand_message(everything, text))
            return
        entry.run(
            Invocation(
                ack=ack,
                client=client,
                services=services,
                team_id=team_of(context),
                user_id=command["user_id"],
                args=args.strip(),
                trigger_id=command.get("trigger_id", ""),
                channel_id=command.get("channel_id", ""),
            )
        )
