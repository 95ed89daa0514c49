"""Notification texts: the ``text`` beside a message's blocks, which Slack shows in banners, in the
channel list and to screen readers. Each is one plain, specific sentence: what matters, with names
(escaped, each once), no emphasis marks or date tokens, at most :data:`~bot.blocks.kit.MAX_NOTIFICATION`
characters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.blocks.kit import MAX_NOTIFICATION, plain_sentence
from bot.blocks.steps import step_short
from bot.domain.nextstep import PRIORITY, StepKind
from bot.domain.reminders import NudgeKind
from bot.queries.models import NudgeItem, WeeklySummary


def sentence_of(parts: Sequence[str], lead: str = "", limit: int = MAX_NOTIFICATION) -> str:
    """``lead`` then the parts, comma-separated, as many as fit ("…and 3 more" for the rest)."""
    shown: list[str] = []
    for n, part in enumerate(parts):
        rest = len(parts) - n - 1
        tail = f" and {rest} more" if rest else ""
        candidate = lead + ", ".join([*shown, part])
        if len(candidate + tail) > limit:
            left = len(parts) - n
            return (
                (lead + ", ".join(shown) + f" and {left} more") if shown else plain_sentence(candidate, limit)
            )
        shown.append(part)
    return lead + ", ".join(shown)


def _once(pairs: Iterable[tuple[StepKind, str]]) -> list[str]:
    """Each person once, with the first thing to do about them."""
    seen: set[str] = set()
    parts: list[str] = []
    for kind, name in pairs:
        key = name.casefold()
        if not name or key in seen:
            continue
        seen.add(key)
        parts.append(step_short(kind, name))
    return parts


def _plan_parts(summary: WeeklySummary) -> tuple[list[tuple[StepKind, str]], str]:
    steps = [(c.next_step.kind, c.name) for c in (*summary.picked, *summary.cards) if c.next_step]
    count = f"{summary.requests_sent} of {summary.requests_goal} requests sent"
    return steps, count


def nudge_fallback(items: Sequence[NudgeItem]) -> str:
    """What a nudge DM is about: "This week: call Sofia, book Priya, 0 of 3 requests sent"."""
    return plain_sentence(_about(items))


def _about(items: Sequence[NudgeItem]) -> str:
    open_items = [i for i in items if i.resolution is None]
    plan = next((i.weekly for i in open_items if i.kind is NudgeKind.WEEKLY_PLAN and i.weekly), None)
    # Each person once, with what matters most about them (a thank-you before the referrals).
    reminders = sorted(
        ((StepKind(i.kind.value), i.contact_name) for i in open_items if i.kind is not NudgeKind.WEEKLY_PLAN),
        key=lambda pair: PRIORITY.index(pair[0]),
    )
    if plan is not None:
        progress = plan.progress
        if progress is not None and progress.paused:
            return "Your Monday plan is paused until you resume it from your App Home."
        if progress is not None and progress.skipped:
            return (
                f"You're skipping the week of {progress.week}. Your next plan comes on {progress.next_week}."
            )
        if plan.quiet:
            names = _once([(StepKind.SEND_REQUEST, c.name) for c in plan.suggested])
            lead = (
                "Two quiet weeks: start small, " if names else "Two quiet weeks: add two people to your list"
            )
            return sentence_of(names, lead) if names else lead
        steps, count = _plan_parts(plan)
        parts = _once([*reminders, *steps])
        if not parts:
            return f"This week: {count}."
        return sentence_of(parts, "This week: ", MAX_NOTIFICATION - len(count) - 2) + ", " + count
    parts = _once(reminders)
    if not parts:
        return "Your reminders here are all dealt with." if items else "Nothing to do right now."
    text = sentence_of(parts)
    return text[0].upper() + text[1:]
