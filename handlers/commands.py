"""The /infoint slash command: the router, and the registry of its subcommands.

A subcommand is a module-level function of its feature's module taking an
:class:`~handlers.context.Invocation`; :data:`SUBCOMMANDS` lists them all, in the order
``/infoint help`` shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.help import help_message, unknown_subcommand_message
from bot.domain.spelling import closest
from handlers import cohorts, contacts, datarights, insights, interviews, lookup, questions, settings
from handlers.cohort_payloads import mentions
from handlers.context import Answer, Invocation

COMMAND = "/infoint"


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str  # shown in help, e.g. "/infoint find [text]"
    description: str
    run: Callable[[Invocation], None]
    listed: tuple[tuple[str, str], ...] = ()
    """What help shows instead of ``usage``/``description`` (a subcommand with subcommands of its own)."""


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        "log",
        "/infoint log",
        "Log a contact: who they are, how you know them, where things stand.",
        contacts.log_command,
    ),
    Subcommand("list", "/infoint list", "Your pipeline, grouped by stage.", contacts.list_command),
    Subcommand(
        "settings",
        "/infoint settings",
        "Your working hours for reminders, follow-up timing and weekly goals.",
        settings.settings_command,
    ),
    Subcommand(
        "insights",
        "/infoint insights [industry | company]",
        "What the people you interviewed said, side by side, with how many said similar things.",
        insights.insights_command,
    ),
    Subcommand(
        "stats",
        "/infoint stats",
        "Your funnel, reply rates by degree and source, referrals, and interviews per offer.",
        insights.stats_command,
    ),
    Subcommand(
        "find",
        "/infoint find [text]",
        "Find your contacts by name, company or industry, with who introduced whom.",
        lookup.find_command,
    ),
    Subcommand(
        "goal",
        "/infoint goal",
        "What you want to learn (industry, company, role) and your weekly targets.",
        lookup.goal_command,
    ),
    Subcommand(
        "questions",
        "/infoint questions [theme]",
        "Question ideas for your interviews, by theme: career, company, role, field, advice.",
        questions.questions_command,
    ),
    Subcommand(
        "schedule",
        "/infoint schedule [name]",
        "Book an interview with one of your contacts.",
        interviews.schedule_command,
    ),
    Subcommand(
        "cohort",
        "/infoint cohort [create | join | me | report | …]",
        "Cohorts: a mentor follows students' progress in a channel; students keep their privacy.",
        cohorts.cohort_command,
        cohorts.LISTING,
    ),
    Subcommand(
        "export",
        "/infoint export",
        "A copy of all your records, as a ZIP of CSV files in your DM.",
        datarights.export_command,
    ),
    Subcommand(
        "forget-me",
        "/infoint forget-me",
        "Delete everything infoint keeps about you in this workspace (it asks first).",
        datarights.forget_command,
    ),
)
_BY_NAME = {entry.name: entry for entry in SUBCOMMANDS}
HELP = ("/infoint help", "This message.")


def listing() -> list[tuple[str, str]]:
    """(usage, description) of every subcommand, help last."""
    rows = [row for entry in SUBCOMMANDS for row in entry.listed or ((entry.usage, entry.description),)]
    return [*rows, HELP]


def infoint(
    ack: Ack, command: dict, client: WebClient, context: BoltContext, respond: Respond | None = None
) -> None:
    """``/infoint <name> <args>``: the subcommand ``name``, or help. Acknowledged first, with nothing:
    the answer follows through the command's response_url (see :class:`~handlers.context.Answer`).
    Its text is read here, once, for every subcommand: the users it mentions, then the text as typed
    (see :func:`unescape`)."""
    ack()
    answer = Answer(respond, client, command.get("channel_id", ""), command.get("user_id", ""))
    raw = command.get("text")
    raw = raw if isinstance(raw, str) else ""
    text = unescape(raw).strip()
    name, _, args = text.partition(" ")
    name = name.lower()
    if name in ("", "help"):
        answer(help_message(listing()))
        return
    entry = _BY_NAME.get(name)
    if entry is None:
        meant = closest(name, [*_BY_NAME, "help"])
        answer(unknown_subcommand_message(listing(), text, f"{COMMAND} {meant}" if meant else None))
        return
    entry.run(
        Invocation(
            answer=answer,
            client=client,
            context=context,
            args=args.strip(),
            trigger_id=command.get("trigger_id", ""),
            channel_id=command.get("channel_id", ""),
            respond=respond,
            mentioned=tuple(mentions(raw)),
        )
    )


def unescape(text: str) -> str:
    """The command's text as the user typed it: Slack sends ``&``, ``<`` and ``>`` as ``&amp;``,
    ``&lt;`` and ``&gt;`` (``&amp;`` last, so that a typed ``&lt;`` stays ``&lt;``). Slack's own
    sequences (``<@U123|name>``, a mention) are read from the text as sent (:data:`Invocation.mentioned`):
    a mention typed out by hand arrives escaped, and mentions no one."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def register(app: App) -> None:
    app.command(COMMAND)(infoint)
