"""Block Kit for the Monday plan: the week, the goals, one line per thing to do with its button, and
**Pick this week's targets** / **Skip this week**; after two quiet weeks, help instead of the same
lines."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, HeaderBlock, SectionBlock

from bot.blocks.actions import main_button
from bot.blocks.cohorts import progress_text
from bot.blocks.kit import MAX_HEADER_TEXT, button, clip, esc, md, plain
from bot.blocks.steps import step_mrkdwn
from bot.domain.ids import ActionId, Surface, surface_block
from bot.queries.models import ContactCard, WeeklySummary


def _mark(done: int, goal: int) -> str:
    return "✅" if done >= goal else "▫️"


def goal_lines(summary: WeeklySummary) -> list[str]:
    return [
        f"{_mark(summary.requests_sent, summary.requests_goal)} New requests: *{summary.requests_sent}* "
        f"of {summary.requests_goal}",
        f"{_mark(summary.interviews, summary.interviews_goal)} Interviews: *{summary.interviews}* "
        f"of {summary.interviews_goal}",
    ]


def _row(card: ContactCard, text: str) -> SectionBlock:
    """One line of the plan with the button that does it."""
    return SectionBlock(
        block_id=surface_block(Surface.PLAN, card.id),
        text=md(text, 1500),
        accessory=main_button(card, compact=True),
    )


def _rows(cards: Sequence[ContactCard]) -> list[Block]:
    return [_row(c, f"• {step_mrkdwn(c.next_step)}") for c in cards if c.next_step is not None]


def _plan_buttons(nudge_id: int, quiet: bool) -> ActionsBlock:
    value = str(nudge_id)
    elements = [button("Pick this week's targets", ActionId.PLAN_PICK_TARGETS, value)]
    if quiet:
        elements.append(button("Pause my Monday plan", ActionId.PLAN_PAUSE, value))
    else:
        elements.append(button("Skip this week", ActionId.PLAN_SKIP_WEEK, value))
    return ActionsBlock(block_id=f"plan_actions:{nudge_id}", elements=elements)


def plan_blocks(nudge_id: int, summary: WeeklySummary) -> list[Block]:
    """The plan's blocks in a nudge DM (it opens the DM)."""
    progress = summary.progress
    week = progress.week if progress else ""
    blocks: list[Block] = [
        HeaderBlock(text=plain(f"🗓 Your week of {week}" if week else "🗓 Your week", MAX_HEADER_TEXT))
    ]
    intro: list[str] = []
    if summary.objective:
        intro.append(f"🎯 *Your objective:* {clip(esc(summary.objective), 600)}")
    if summary.targets_text:
        intro.append(f"🧭 {clip(esc(summary.targets_text), 600)}")
    intro += goal_lines(summary)
    for cohort in summary.cohorts:
        targets = cohort.targets
        talks = "1 conversation" if targets.conversations == 1 else f"{targets.conversations} conversations"
        intro.append(
            f"👥 *{clip(esc(cohort.name), 80)}* asks {targets.requests} requests and {talks} a week "
            f"(your own goal: {summary.requests_goal} and {summary.interviews_goal})."
        )
        intro += [progress_text(p) for p in cohort.progress]
    blocks.append(SectionBlock(block_id=f"nudge:{nudge_id}", text=md("\n".join(intro))))
    if progress is not None and progress.paused:
        blocks.append(
            SectionBlock(
                text=md(
                    "⏸ *Your Monday plan is paused.* No plan on Mondays until you resume it from your App "
                    "Home. Reminders about your contacts still come when they're due."
                )
            )
        )
        return blocks
    if progress is not None and progress.skipped:
        blocks.append(
            SectionBlock(
                text=md(
                    f"⏭ *You're skipping this week.* Its goals don't count, and your next plan comes "
                    f"on {progress.next_week}. Reminders about your contacts still come when they're due."
                )
            )
        )
        return blocks
    if summary.quiet:
        return blocks + _quiet_blocks(nudge_id, summary)
    if summary.picked:
        blocks.append(SectionBlock(text=md("*Your targets this week:*")))
        blocks += _rows(summary.picked)
    if summary.cards:
        blocks.append(SectionBlock(text=md("*This week:*" if not summary.picked else "*Also this week:*")))
        blocks += _rows(summary.cards)
    elif not summary.picked:
        if summary.targets:
            people = "1 person is" if summary.targets == 1 else f"{summary.targets} people are"
            blocks.append(
                SectionBlock(text=md(f"{people} on your target list, waiting for a first request."))
            )
        else:
            blocks.append(
                SectionBlock(text=md("Nothing due. Add people to your target list with `/infoint log`."))
            )
    if progress is None or progress.current:
        blocks.append(_plan_buttons(nudge_id, quiet=False))
    return blocks


def _quiet_blocks(nudge_id: int, summary: WeeklySummary) -> list[Block]:
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                "🌱 *Two quiet weeks.* That happens to everyone, and one short message is enough to get "
                "going again."
            )
        )
    ]
    if summary.suggested:
        blocks.append(SectionBlock(text=md("Start with one of these: a short request today is plenty.")))
        blocks += [_row(c, f"• *{esc(clip(c.name, 100))}*: {_who(c)}") for c in summary.suggested]
    else:
        blocks.append(
            SectionBlock(
                text=md(
                    "Add two or three people you'd like to learn from with `/infoint log`, "
                    "people you know first."
                )
            )
        )
    blocks.append(
        ContextBlock(
            elements=[md("Not the right time? Pause the plan: it stops until you resume it from your Home.")]
        )
    )
    if summary.progress is None or summary.progress.current:
        blocks.append(_plan_buttons(nudge_id, quiet=True))
    return blocks


def _who(card: ContactCard) -> str:
    where = " at ".join(p for p in (esc(clip(card.role, 80)), esc(clip(card.company, 80))) if p)
    return f"{where}, {card.degree.label.lower()}" if where else card.degree.label.lower()
