"""Block Kit for the App Home: a welcome on first use; then what just happened, the week against its
goals, the funnel (only the stages that have someone), the upcoming interviews, and what's next, each
contact with its buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, DividerBlock, HeaderBlock, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.actions import contact_actions
from bot.blocks.cohorts import home_blocks
from bot.blocks.kit import MAX_HEADER_TEXT, MAX_VIEW_BLOCKS, button, clip, esc, md, plain
from bot.blocks.steps import step_mrkdwn
from bot.domain import pipeline as core
from bot.domain.ids import ActionId, Surface, surface_block
from bot.queries.models import ContactCard, HomeCohort, HomeScreen, WeekProgress

# Blocks kept for the cohorts section of a mentor's or student's Home.
COHORT_BLOCKS = 30

WELCOME = (
    "👋 *Welcome to infoint.* It runs the informational-interview method with you: keep a list of "
    "people to learn from, send each a short request, follow up after a week of silence, prepare your "
    "questions, thank people within 48 hours, ask for two more names, and keep in touch.\n"
    "I'll DM you when something is due, only in your working hours, with buttons that do it in one click."
)


def _buttons(first_use: bool) -> ActionsBlock:
    log = "Log your first contact" if first_use else "Log a contact"
    return ActionsBlock(
        block_id="home_actions",
        elements=[
            button(log, ActionId.OPEN_LOG_MODAL, style="primary"),
            button("See my list", ActionId.OPEN_PIPELINE),
            button("Settings", ActionId.OPEN_SETTINGS),
        ],
    )


def funnel_text(counts: dict[core.Stage, int]) -> str:
    """How many contacts, and how many at each stage that has any ("Targets: *3* · Interviewed: *1*")."""
    total = sum(counts.values())
    stages = " · ".join(f"{stage.label}: *{counts[stage]}*" for stage in core.Stage if counts.get(stage))
    return f"*{total}* contacts\n{stages}" if total != 1 else f"*1* contact\n{stages}"


def week_text(week: WeekProgress) -> str:
    if week.paused:
        return "🗓 *This week:* your Monday plan is paused."
    if week.skipped:
        return f"🗓 *This week* (from {week.week}): skipped. Your next plan comes on {week.next_week}."

    def mark(done: int, goal: int) -> str:
        return "✅" if done >= goal else "▫️"

    sent, asked = week.requests_sent, week.requests_goal
    held, wanted = week.interviews, week.interviews_goal
    requests = f"{mark(sent, asked)} {sent} of {asked} new requests"
    interviews = f"{mark(held, wanted)} {held} of {wanted} interviews"
    return f"🗓 *This week* (from {week.week}): {requests} · {interviews}"


def home_row(card: ContactCard) -> list[Block]:
    """A contact on the Home: its next step, who it is, and its buttons."""
    where = " at ".join(p for p in (esc(clip(card.role, 80)), esc(clip(card.company, 80))) if p)
    text = f"• {step_mrkdwn(card.next_step)}" if card.next_step else f"*{esc(clip(card.name, 100))}*"
    if where:
        text += f"\n{where}"
    return [
        SectionBlock(text=md(text, 1500)),
        contact_actions(card, surface_block(Surface.HOME, card.id), compact=True),
    ]


def home_view(screen: HomeScreen, news: str = "", cohorts: Sequence[HomeCohort] = ()) -> dict[str, Any]:
    """``news``: what the student just did, or why nothing was done (safe mrkdwn); ``cohorts``: the
    user's cohorts, as a student or a mentor."""
    blocks: list[Block] = [HeaderBlock(text=plain("Your informational interviews", MAX_HEADER_TEXT))]
    if news:
        blocks.append(SectionBlock(text=md(news)))
    if screen.first_use:
        blocks += [
            SectionBlock(text=md(WELCOME)),
            _buttons(first_use=True),
            ContextBlock(
                elements=[
                    md("Nothing due yet: your next steps will show here. `/infoint help` lists everything.")
                ]
            ),
        ]
        blocks += home_blocks(cohorts, MAX_VIEW_BLOCKS - len(blocks))
        return View(type="home", blocks=blocks).to_dict()
    if screen.week is not None:
        blocks.append(SectionBlock(text=md(week_text(screen.week))))
        if screen.week.paused:
            blocks.append(
                ActionsBlock(
                    block_id="home_plan", elements=[button("Resume my Monday plan", ActionId.PLAN_RESUME)]
                )
            )
    blocks.append(SectionBlock(text=md(funnel_text(screen.counts))))
    blocks.append(_buttons(first_use=False))
    if screen.interviews:
        lines = [
            f"📅 {i.when} · *{esc(clip(i.name, 100))}*"
            + (f" ({esc(clip(i.company, 80))})" if i.company else "")
            for i in screen.interviews
        ]
        blocks.append(SectionBlock(text=md("*Upcoming interviews*\n" + "\n".join(lines))))
    blocks += [DividerBlock(), HeaderBlock(text=plain("What's next", MAX_HEADER_TEXT))]
    reserved = min(COHORT_BLOCKS, 2 + 2 * len(cohorts)) if cohorts else 0
    if screen.rows:
        for card in screen.rows:
            if len(blocks) + 3 + reserved > MAX_VIEW_BLOCKS:
                break
            blocks += home_row(card)
        if screen.more:
            blocks.append(ContextBlock(elements=[md(f"…and {screen.more} more in your list.")]))
    else:
        blocks.append(SectionBlock(text=md("Nothing due. Log a contact to get going.")))
    blocks += home_blocks(cohorts, MAX_VIEW_BLOCKS - len(blocks) - 1)
    blocks.append(ContextBlock(elements=[md("Updated whenever you open this tab.")]))
    return View(type="home", blocks=blocks).to_dict()
