"""``/infoint insights [industry | company]`` and ``/infoint stats``: read-only, ephemeral answers."""

from __future__ import annotations

from bot.blocks import insights as insight_blocks
from bot.blocks import stats as stats_blocks
from bot.domain import insights as core
from handlers.context import Invocation


def insights_command(call: Invocation) -> None:
    """What the people interviewed said, side by side; with a query, about one industry or company."""
    query = call.args
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


def stats_command(call: Invocation) -> None:
    """``/infoint stats``: the funnel, reply rates, referrals, interviews per offer."""
    call.ack(stats_blocks.stats_message(call.services.queries.reports.stats(call.team_id, call.user_id)))
