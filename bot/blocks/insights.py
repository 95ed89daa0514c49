"""Block Kit for ``/infoint insights``: what several people said, side by side.

Everything the student typed (the name they asked about, their notes, their contacts' names) goes
through :func:`esc`; the message stays within 50 blocks and the text budget however many notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, SectionBlock

from bot.blocks.kit import (
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_MESSAGE_TEXT_BUDGET,
    clip,
    ephemeral,
    esc,
    fit_lines,
    md,
    plain,
    text_size,
)
from bot.domain.insights import IndustryLine, Report, Said, Theme

TITLE = "What people told you"
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
QUOTE_CHARS = 300
DATA_POINT = (
    "One person's view is one data point: talk to several people per industry or company and "
    "compare what they said before deciding anything."
)
USAGE = esc("`/infoint insights <industry or company>`")


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _who(said: Said) -> str:
    name = f"*{esc(clip(said.person, 80)) or 'Someone'}*"
    return f"{name}, {esc(clip(said.company, 80))}" if said.company else name


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    return clip(esc(" ".join(text.split())), limit)


# /infoint insights <industry | company> -------------------------------------------------------------


def _theme_block(theme: Theme) -> SectionBlock:
    """An agreed theme: the verdict and shared words, then each point side by side (section fields)."""
    head = f"*{theme.verdict}*"
    if theme.words:
        head += f"\n_Shared words: {esc(', '.join(theme.words))}_"
    said = list(theme.said)
    shown = said if len(said) <= MAX_FIELDS else said[: MAX_FIELDS - 1]
    fields = [md(f"{_who(s)}\n>{_quote(s.text)}", MAX_FIELD_TEXT) for s in shown]
    if len(shown) < len(said):
        rest = said[len(shown) :]
        names = ", ".join(dict.fromkeys(esc(clip(s.person, 60)) for s in rest))
        fields.append(md(f"…and {_n(len(rest), 'more point')} from {clip(names, 300)}", MAX_FIELD_TEXT))
    return SectionBlock(text=md(head), fields=fields)


def _single_line(theme: Theme) -> str:
    first = theme.said[0]
    again = f" _(noted {len(theme.said)} times)_" if len(theme.said) > 1 else ""
    return f"• “{_quote(first.text)}” — {_who(first)}{again}"


def insights_message(report: Report) -> dict[str, Any]:
    """The themes about one industry or company, the most agreed first."""
    query = esc(clip(report.query, 100))
    selection = report.selection
    matched = [f"industry {esc(clip(name, 80))}" for name in selection.industries[:5]]
    matched += [f"company {esc(clip(name, 80))}" for name in selection.companies[:5]]
    kind = "Matches" if selection.exact else "Partial matches"
    intro = (
        f"About *{query}*: {_n(report.points, 'takeaway')} from {_n(report.people, 'person', 'people')}."
        f"\n_{kind}: {'; '.join(matched)}._"
    )
    agreed = [t for t in report.themes if t.people >= 2]
    single = [t for t in report.themes if t.people < 2]
    if agreed:
        overview = (
            f"*{_n(len(agreed), 'thing')}* several people said, and "
            f"*{_n(len(single), 'thing')}* only one person said."
        )
    else:
        overview = "No two people said similar things yet: every takeaway below is one data point."
    blocks: list[Block] = [
        HeaderBlock(text=plain(TITLE, MAX_HEADER_TEXT)),
        SectionBlock(text=md(intro)),
        SectionBlock(text=md(overview)),
    ]
    footer = ContextBlock(elements=[md(DATA_POINT)])
    # Keep room for: the "not shown" note, the one-person heading, one section of one-person lines and
    # its "more" note, the "left out" note and the footer.
    reserve_blocks = 6
    used = sum(text_size([b]) for b in blocks) + text_size([footer]) + 400
    not_shown = 0
    for index, theme in enumerate(agreed):
        block = _theme_block(theme)
        size = text_size([block])
        if len(blocks) + reserve_blocks >= MAX_MESSAGE_BLOCKS or used + size > MAX_MESSAGE_TEXT_BUDGET:
            not_shown = len(agreed) - index
            break
        blocks.append(block)
        used += size
    if not_shown:
        blocks.append(
            ContextBlock(
                elements=[md(f"…and {_n(not_shown, 'more thing')} several people said, not shown here.")]
            )
        )
    if single:
        heading = SectionBlock(text=md("*Only one person said these:* one data point each."))
        # Leave room for the heading, the "left out" note and the footer.
        room_blocks = MAX_MESSAGE_BLOCKS - len(blocks) - 2 - (1 if report.left_out else 0)
        room_chars = MAX_MESSAGE_TEXT_BUDGET - used - text_size([heading])
        if room_blocks >= 2 and room_chars > 200:
            blocks.append(heading)
            blocks += fit_lines(
                [_single_line(t) for t in single],
                room_blocks,
                room_chars,
                more="…and {n} more said by one person only, not shown here.",
            )
        else:
            left = f"…and {_n(len(single), 'thing')} only one person said, not shown."
            blocks.append(ContextBlock(elements=[md(left)]))
    if report.left_out:
        blocks.append(
            ContextBlock(
                elements=[
                    md(f"I compared your latest takeaways only; {_n(report.left_out, 'older one')} left out.")
                ]
            )
        )
    blocks.append(footer)
    fallback = f"What people told you about {query}: {_n(report.points, 'takeaway')}."
    return ephemeral(fallback, blocks[:MAX_MESSAGE_BLOCKS])


def no_match_message(query: str, lines: Sequence[IndustryLine]) -> dict[str, Any]:
    """Nothing about ``query``: say so, and what the student does have notes about."""
    shown = esc(clip(query, 100))
    text = f"I found no takeaways about *{shown}* in your notes."
    industries = [line.industry for line in lines if line.takeaways]
    companies = sorted({c for line in lines if line.takeaways for c in line.companies}, key=str.casefold)
    if industries:
        text += "\nYou have takeaways about these industries: " + clip(
            ", ".join(esc(clip(i, 60)) for i in industries), 800
        )
        if companies:
            text += "\nand these companies: " + clip(", ".join(esc(clip(c, 60)) for c in companies), 800)
        text += f"\nTry {USAGE} with one of them."
    else:
        text += (
            "\nAfter an interview, press *Add notes* on my “How did it go?” reminder: "
            "your takeaways show up here."
        )
    blocks: list[Block] = [SectionBlock(text=md(text))]
    return ephemeral(f"No takeaways about {shown}.", blocks)


# /infoint insights (no argument) ---------------------------------------------------------------------


def _industry_line(line: IndustryLine) -> str:
    name = esc(clip(line.industry, 80))
    counts = (
        f"{_n(line.interviews, 'interview')} with {_n(line.people, 'person', 'people')}, "
        f"{_n(line.takeaways, 'takeaway')}"
    )
    companies = ""
    if line.companies:
        companies = " · " + clip(", ".join(esc(clip(c, 60)) for c in line.companies), 300)
    return f"• *{name}*: {counts}{companies}\n   _{line.verdict}_"


def summary_message(lines: Sequence[IndustryLine]) -> dict[str, Any]:
    """Per industry: interviews done, people heard, takeaways noted."""
    blocks: list[Block] = [HeaderBlock(text=plain(TITLE, MAX_HEADER_TEXT))]
    if not lines:
        blocks.append(
            SectionBlock(
                text=md(
                    "No interviews or takeaways yet. After an interview, press *Add notes* on my "
                    "“How did it go?” reminder: your takeaways show up here, grouped by what people said."
                )
            )
        )
        return ephemeral("No interviews or takeaways yet.", blocks)
    interviews = sum(line.interviews for line in lines)
    blocks.append(
        SectionBlock(
            text=md(
                f"*{_n(interviews, 'interview')}* done across *{_n(len(lines), 'industry', 'industries')}*. "
                f"To compare what people said: {USAGE}."
            )
        )
    )
    footer = ContextBlock(elements=[md(DATA_POINT)])
    room = MAX_MESSAGE_TEXT_BUDGET - sum(text_size([b]) for b in blocks) - text_size([footer])
    blocks += fit_lines(
        [_industry_line(line) for line in lines],
        MAX_MESSAGE_BLOCKS - len(blocks) - 1,
        room,
        more="…and {n} more industries not shown.",
    )
    blocks.append(footer)
    return ephemeral(f"Your interviews by industry: {_n(interviews, 'interview')}.", blocks)
