"""``/infoint insights [industry | company]`` and ``/infoint stats``: read-only, ephemeral answers."""

from __future__ import annotations

from slack_bolt import App

from bot.blocks import insights as insight_blocks
from bot.blocks import stats as stats_blocks
from bot.domain import insights as core
from bot.services import Services
from handlers.commands import Invocation, subcommand


def slack_unescape(text: str) -> str:
    """Slack sends ``&``, ``<`` and ``>`` typed in a command as ``&amp;``, ``&lt;``, ``&gt;``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@subcommand(
    "insights",
    "/infoint insights [industry | company]",
    "What the people you interviewed said, side by side, with how many said similar things.",
)
def _insights(call: Invocation) -> None:
    query = slack_unescape(call.args).strip()
    data = call.services.queries.reports.insights(call.team_id, call.user_id)
    lines = core.industry_summary(data.interviewed, data.takeaways)
    if not query:
        call.ack(insight_blocks.summary_message(lines))
        return
    report = core.report(data.takeaways, query)
    if not report.selection.takeaways:
        call.ack(insight_blocks.no_match_message(query, lines))
        return
    call.ack(insight_blocks.insights_message(report))


@subcommand(
    "stats",
    "/infoint stats",
    "Your funnel, reply rates by degree and source, referrals, and interviews per offer.",
)
def _stats(call: Invocation) -> None:
    call.ack(stats_blocks.stats_message(call.services.queries.reports.stats(call.team_id, call.user_id)))


def register(app: App, services: Services) -> None:
    """The subcommands above are registered with ``/infoint`` when this module is imported."""
    del app, services
