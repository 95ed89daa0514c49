"""Block Kit for the weekly digest: the channel's message (totals, the change from last week, a
line celebrating progress and placements) and its thread (the funnel, states, targets). Nobody is
named but students placed that week who agreed to be celebrated; placements are escaped."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, SectionBlock

from bot.blocks.kit import MAX_HEADER_TEXT, as_dicts, clip, esc, md, plain
from bot.domain.cohort_weekly import Change, Measure
from bot.domain.cohorts import MemberState
from bot.domain.window import MONTHS
from bot.queries.models import DigestContent

WORDS = {
    Measure.REQUESTS: "Requests sent",
    Measure.REPLIES: "Replies",
    Measure.INTERVIEWS: "Conversations held",
    Measure.THANK_YOUS: "Thank-yous sent",
    Measure.REFERRALS: "Referrals received",
}


def change_text(change: Change) -> str:
    if change.delta == 0:
        return "same as the week before"
    arrow = "▲" if change.delta > 0 else "▼"
    percent = f", {change.percent:+d} %" if change.percent is not None else ", from 0"
    return f"{arrow} {abs(change.delta)}{percent}"


def _week(content: DigestContent) -> str:
    week = content.numbers.week
    return f"{week.day} {MONTHS[week.month - 1]}"


def digest_message(content: DigestContent) -> dict[str, Any]:
    numbers, info = content.numbers, content.cohort
    totals = "\n".join(
        f"*{WORDS[m]}:* {numbers.totals.of(m)} ({change_text(numbers.change[m])})" for m in Measure
    )
    lines = []
    if numbers.placements:
        named = ", ".join(f"<@{who}> ({esc(clip(what, 100))})" for who, what in content.celebrated)
        lines.append(
            f"🎉 {numbers.placements} student(s) got a job this week"
            + (f": congratulations to {named}!" if named else "! Congratulations.")
        )
    targets = info.targets
    lines.append(
        f"💪 {content.on_target} of {content.active} active student(s) met the cohort's targets "
        f"({targets.requests} requests and {targets.conversations} conversation(s) a week)."
    )
    if numbers.change[Measure.REQUESTS].delta > 0:
        lines.append("📈 More requests than the week before: keep it going.")
    blocks: list[Block] = [
        HeaderBlock(text=plain(f"📊 {info.name}: the week of {_week(content)}", MAX_HEADER_TEXT)),
        SectionBlock(text=md(totals)),
        SectionBlock(text=md("\n".join(lines))),
        ContextBlock(
            elements=[
                md(
                    "The chart, the funnel and more are in the thread. "
                    "No one is named here unless they asked to be."
                )
            ]
        ),
    ]
    return {"text": f"The week of {_week(content)} in {esc(clip(info.name, 80))}", "blocks": as_dicts(blocks)}


def digest_thread(content: DigestContent) -> dict[str, Any]:
    numbers = content.numbers
    funnel = numbers.funnel
    states = " · ".join(f"{s.label} {numbers.states.get(s, 0)}" for s in MemberState)
    text = (
        f"*The funnel so far:* {funnel.contacts} contacts → {funnel.requests} asked → "
        f"{funnel.replies} replied → {funnel.interviews} conversations → {funnel.referrals} referrals\n"
        f"*Students:* {funnel.students} ({states})\n"
        f"*Needing a hand:* {len(content.attention)}: your mentors will reach out. "
        "`/infoint cohort me` shows your own week beside your trend and the cohort's median."
    )
    return {"text": "The digest's details", "blocks": as_dicts([SectionBlock(text=md(text))])}
