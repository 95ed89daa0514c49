"""Block Kit for ``/infoint stats``: the funnel, reply rates, the referral tree, interviews to offers."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, SectionBlock

from bot.blocks.kit import MAX_HEADER_TEXT, as_dicts, clip, esc, md, plain
from bot.domain.stats import (
    REFERRALS_WANTED,
    RateLine,
    Stats,
    advisers_figure,
    per_interviewed_text,
)

TITLE = "Your informational-interview stats"


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _rate_lines(lines: tuple[RateLine, ...]) -> list[str]:
    return [f"• {esc(clip(line.label, 80))}: {line.rate.text()}" for line in lines]


def stats_message(stats: Stats) -> dict[str, Any]:
    f = stats.funnel
    funnel = (
        f"*{f.targets}* {'target' if f.targets == 1 else 'targets'} → "
        f"*{f.requests}* {'request' if f.requests == 1 else 'requests'} → "
        f"*{f.replies}* {'reply' if f.replies == 1 else 'replies'} → "
        f"*{f.interviews}* {'interview' if f.interviews == 1 else 'interviews'}\n"
        f"*{f.referrals}* {'referral' if f.referrals == 1 else 'referrals'} · "
        f"*{f.leads}* {'lead' if f.leads == 1 else 'leads'} · "
        f"*{f.applications}* {'application' if f.applications == 1 else 'applications'} · "
        f"*{f.offers}* {'offer' if f.offers == 1 else 'offers'}"
    )
    blocks: list[Block] = [
        HeaderBlock(text=plain(TITLE, MAX_HEADER_TEXT)),
        SectionBlock(text=md(f"*Your funnel*\n{funnel}")),
        ContextBlock(
            elements=[
                md(
                    "Each step counts contacts. An interview arranged counts as a request and a reply; "
                    "leads include applications and offers, applications include offers."
                )
            ]
        ),
    ]
    if f.targets == 0:
        blocks.append(SectionBlock(text=md("No contacts yet: start your target list with `/infoint log`.")))

    replies = [f"*Reply rate* (replied of those you asked): {stats.overall.text()}", "_By connection degree_"]
    replies += _rate_lines(stats.by_degree)
    if stats.by_source:
        replies.append("_By source_")
        replies += _rate_lines(stats.by_source)
    blocks.append(SectionBlock(text=md("\n".join(replies))))

    r = stats.referrals
    tree = [
        "*Referral tree*",
        f"• {_n(r.from_interviewed, 'referral')} from {_n(r.interviewed, 'person', 'people')} interviewed: "
        f"{per_interviewed_text(r)} per person (the method asks for at least {REFERRALS_WANTED})",
        f"• Longest chain of introductions: {_n(r.longest_chain, 'step')}",
        f"• From the {_n(r.referred, 'referred contact')}: {_n(r.interviews, 'interview')}, "
        f"{_n(r.offers, 'offer')}",
    ]
    blocks.append(SectionBlock(text=md("\n".join(tree))))

    blocks.append(SectionBlock(text=md(f"*Interviews to offers*\n{stats.offers.text()}")))
    blocks.append(ContextBlock(elements=[md(f"{advisers_figure()} Only you see these numbers.")]))
    fallback = (
        f"Your stats: {_n(f.targets, 'target')}, {_n(f.requests, 'request')}, "
        f"{_n(f.replies, 'reply', 'replies')}, {_n(f.interviews, 'interview')}, {_n(f.offers, 'offer')}."
    )
    return {"response_type": "ephemeral", "text": fallback, "blocks": as_dicts(blocks)}
