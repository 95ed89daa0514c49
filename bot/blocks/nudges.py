"""Block Kit for nudge DMs: every reminder due for a user in one message, each with its buttons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    DividerBlock,
    Option,
    OverflowMenuElement,
    SectionBlock,
)

from bot.blocks.cohorts import progress_text
from bot.blocks.contacts import REPLIES
from bot.blocks.kit import (
    MAX_MESSAGE_BLOCKS,
    MAX_OPTION_TEXT,
    MAX_SECTION_TEXT,
    as_dicts,
    button,
    clip,
    esc,
    md,
    plain,
    slack_date,
)
from bot.blocks.steps import step_mrkdwn, step_sentence
from bot.domain.ids import ActionId
from bot.domain.nextstep import StepKind
from bot.domain.nudges import NudgeKind
from bot.queries.models import NudgeItem, StepLine, WeeklySummary

SNOOZES = (("1d", "1 day"), ("3d", "3 days"), ("1w", "1 week"))

# What became of a reminder, in place of its buttons (a Done and a snooze say more: see resolved_line).
RESOLVED_WORDS: dict[str, str] = {
    "done": "✅ Done.",
    "moved_on": "🚪 Closed as no response. On to the next one.",
    "replied_yes": "🎉 They said yes: book a time that suits them.",
    "replied_no": "🙏 They said no. Closed politely; it's not personal.",
    "replied_later": "⏳ They'll get back to you later. I'll check again in two weeks.",
    "notes": "📝 Notes saved. Interview marked as done.",
    "missed": "🕳 Marked as didn't happen. Book a new time when you can.",
    "rescheduled": "📅 Rescheduled.",
    "referrals": "🔗 Referrals added to your list.",
    "booked": "📅 Interview booked: the details are in a new message.",
    "introduced": "🤝 Introduction recorded.",
    "obsolete": "This reminder is out of date.",
}
# What a Done recorded, by kind ({introducer}: who introduced them).
DONE_WORDS: dict[NudgeKind, str] = {
    NudgeKind.FOLLOW_UP: "Follow-up logged.",
    NudgeKind.INTRO_FOLLOW_UP: "Follow-up to {introducer} logged.",
    NudgeKind.PHONE_CALL: "Call logged.",
    NudgeKind.PREPARE: "You're prepared. Good luck!",
    NudgeKind.THANK_YOU: "Thank-you logged.",
    NudgeKind.THANK_INTRODUCER: "Thanks to {introducer} logged.",
    NudgeKind.KEEP_IN_TOUCH: "Update logged.",
    NudgeKind.BOOK: "Reply sent.",
    NudgeKind.REBOOK: "Note sent.",
}
# The next reminder, by the step it is about ({name}: the contact; {day}: when it comes).
NEXT_WORDS: dict[StepKind, str] = {
    StepKind.FOLLOW_UP: "If {name} stays silent I'll remind you to follow up on {day}.",
    StepKind.INTRO_FOLLOW_UP: "If there's no word about {name} by {day}, I'll remind you to follow up.",
    StepKind.PHONE_CALL: "If {name} stays silent I'll suggest a call on {day}.",
    StepKind.MOVE_ON: "If {name} is still silent on {day}, I'll suggest moving on.",
    StepKind.BOOK: "If nothing is booked with {name} by {day}, I'll remind you.",
    StepKind.REBOOK: "If nothing is booked with {name} by {day}, I'll check in.",
    StepKind.PREPARE: "On {day} I'll help you prepare for {name}.",
    StepKind.WRAP_UP: "After the interview, on {day}, I'll ask how it went.",
    StepKind.THANK_YOU: "I'll remind you to thank {name} on {day}.",
    StepKind.REFERRALS: "On {day} I'll ask whom {name} suggested you talk to.",
    StepKind.THANK_INTRODUCER: "On {day} I'll remind you to thank whoever introduced you to {name}.",
    StepKind.KEEP_IN_TOUCH: "I'll remind you to send {name} an update on {day}.",
}


def _who(item: NudgeItem) -> str:
    name = f"*{esc(clip(item.contact_name, 100))}*"
    where = " at ".join(p for p in (esc(clip(item.role, 80)), esc(clip(item.company, 80))) if p)
    return f"{name} ({where})" if where else name


def _nudge_text(item: NudgeItem) -> str:
    who = _who(item)
    kind = item.kind
    if kind is NudgeKind.FOLLOW_UP:
        return (
            f"📨 No reply from {who} yet. A week of silence is normal: send a short, polite follow-up "
            "that restates your request."
        )
    if kind is NudgeKind.INTRO_FOLLOW_UP:
        introducer = f"*{esc(clip(item.introducer, 100))}*" if item.introducer else "your mutual contact"
        name = f"*{esc(clip(item.contact_name, 100))}*"
        return (
            f"📨 No word from {introducer} about an introduction to {name} yet. A short, friendly "
            "follow-up to them usually does it; if they've introduced you already, say so."
        )
    if kind is NudgeKind.PHONE_CALL:
        return (
            f"📞 Still nothing from {who} after {item.attempts} tries. Try one phone call; if you get "
            "voicemail, say your name, why you're calling and your number, slowly, and repeat the number."
        )
    if kind is NudgeKind.MOVE_ON:
        following = f" Next on your list: *{esc(clip(item.next_target, 100))}*." if item.next_target else ""
        return (
            f"🚪 {who} hasn't answered {item.attempts} tries. Assume it's a no, close it, and move on."
            f"{following}"
        )
    if kind is NudgeKind.PREPARE:
        when = slack_date(item.interview_at) if item.interview_at else "soon"
        goal = (
            f"\n*Your objective:* {esc(clip(item.learning_goal, 500))}"
            if item.learning_goal
            else "\n*Your objective:* decide what you most want to learn from them."
        )
        text = (
            f"📝 Interview with {who} {when} ({item.interview_minutes} min). Research them and their "
            "organisation, and prepare your questions: their path, the company, the role's typical day, "
            f"the field's trends, their advice. Bring your résumé.{goal}"
        )
        if not item.questions:
            return text + "\n*Your questions:* No questions prepared yet."
        room = min(MAX_SECTION_TEXT - len(text), 1600) - 40
        listed = ["\n*Your questions:*"]
        for n, question in enumerate(item.questions, start=1):
            line = f"\n{n}. {clip(esc(question), 160)}"
            if sum(map(len, listed)) + len(line) > room:
                listed.append(f"\n…and {len(item.questions) - n + 1} more.")
                break
            listed.append(line)
        return text + "".join(listed)
    if kind is NudgeKind.WRAP_UP:
        return f"🗣 How did it go with {who}? Note what you learned while it's fresh."
    if kind is NudgeKind.THANK_YOU:
        lead = {
            1: f"💌 Send {who} a thank-you today, while it's fresh.",
            2: f"💌 Reminder: thank {who}. A day has passed.",
        }.get(item.step, f"⚠️ *Overdue:* your thank-you to {who}. 48 hours have passed; it still matters.")
        preview = (
            f"\n>{esc(clip(item.draft.body, 900)).replace(chr(10), chr(10) + '>')}" if item.draft else ""
        )
        return lead + preview
    if kind is NudgeKind.REFERRALS:
        return (
            f"🔗 Did {who} suggest other people to talk to? Aim for at least two referrals: add them and "
            "they join your list, introduced by them."
        )
    if kind is NudgeKind.THANK_INTRODUCER:
        introducer = (
            f"*{esc(clip(item.introducer, 100))}*" if item.introducer else "the person who introduced you"
        )
        return f"🙏 Thank {introducer} for introducing you to {who}, and tell them what came of it."
    if kind is NudgeKind.KEEP_IN_TOUCH:
        return (
            f"👋 It's been a while since you were in touch with {who}. Send a short progress update: "
            "what you did with their advice."
        )
    if kind is NudgeKind.BOOK:
        return (
            f"📅 {who} said yes, and nothing is booked yet. Make it easy for them: propose three times, "
            "or book the slot they picked."
        )
    if kind is NudgeKind.REBOOK:
        when = f" {slack_date(item.interview_at)}" if item.interview_at else ""
        return (
            f"🔁 You and {who} missed each other{when}, and no new time is booked. A short note saying "
            "sorry, with a few times, usually does it."
        )
    return ""


def _next_words(item: NudgeItem, line: StepLine | None) -> str:
    """What happens next, after a Done: the next reminder's kind and day, or the next thing to do."""
    if line is None:
        return f"Nothing more to do about *{esc(clip(item.contact_name, 100))}* for now."
    words = NEXT_WORDS.get(line.kind)
    if words and line.day and not line.overdue:
        return words.format(name=f"*{esc(clip(line.name, 100))}*", day=line.day)
    return f"Next: {step_sentence(line)}."


def resolved_line(item: NudgeItem) -> str:
    """What became of a reminder (safe mrkdwn): a snooze says when it really comes back, a Done what
    happens next."""
    if item.resolution == "snoozed":
        line = f"⏰ Snoozed: I'll bring it back on {item.snoozed_until}."
        if item.snooze_capped_hours:
            line += (
                f" Not later than that: a thank-you shouldn't wait more than {item.snooze_capped_hours} "
                "hours."
            )
        return line
    if item.resolution == "done" and item.contact_name:
        introducer = esc(clip(item.introducer, 100)) or "your mutual contact"
        done = DONE_WORDS.get(item.kind, "Done.").format(introducer=introducer)
        return f"✅ {done} {_next_words(item, item.next_step)}"
    if item.resolution == "introduced":
        return f"{RESOLVED_WORDS['introduced']} {_next_words(item, item.next_step)}"
    return RESOLVED_WORDS.get(item.resolution or "", "✅ Done.")


def _weekly_text(summary: WeeklySummary) -> str:
    def mark(done: int, goal: int) -> str:
        return "✅" if done >= goal else "▫️"

    lines = ["🗓 *Your week*"]
    if summary.objective:
        lines.append(f"🎯 *Your objective:* {clip(esc(summary.objective), 600)}")
    if summary.targets_text:
        lines.append(f"🧭 {clip(esc(summary.targets_text), 600)}")
    lines += [
        f"{mark(summary.requests_sent, summary.requests_goal)} New requests: *{summary.requests_sent}* "
        f"of {summary.requests_goal}",
        f"{mark(summary.interviews, summary.interviews_goal)} Interviews: *{summary.interviews}* "
        f"of {summary.interviews_goal}",
    ]
    for cohort in summary.cohorts:
        targets = cohort.targets
        lines.append(
            f"👥 *{clip(esc(cohort.name), 80)}* asks {targets.requests} requests and "
            f"{targets.conversations} conversation(s) a week (your own goal: {summary.requests_goal} and "
            f"{summary.interviews_goal})."
        )
        lines += [progress_text(p) for p in cohort.progress]
    if summary.due:
        lines.append("*This week:*")
        lines += [f"• {step_mrkdwn(line)}" for line in summary.due]
    elif summary.targets:
        lines.append(f"You have {summary.targets} target(s) waiting for a first request.")
    else:
        lines.append("Nothing due. Add people to your target list with `/infoint log`.")
    return "\n".join(lines)


def _overflow(action_id: ActionId, nudge_id: int, pairs: Iterable[tuple[str, str]]) -> OverflowMenuElement:
    return OverflowMenuElement(
        action_id=action_id,
        options=[
            Option(value=f"{nudge_id}:{value}", text=plain(label, MAX_OPTION_TEXT)) for value, label in pairs
        ],
    )


def _nudge_buttons(item: NudgeItem) -> list[Any]:
    value = str(item.nudge_id)
    kind = item.kind
    done_label = {
        NudgeKind.FOLLOW_UP: "Sent the follow-up",
        NudgeKind.INTRO_FOLLOW_UP: "Sent the follow-up",
        NudgeKind.PHONE_CALL: "Called",
        NudgeKind.PREPARE: "I'm prepared",
        NudgeKind.THANK_YOU: "Sent it",
        NudgeKind.REFERRALS: "Done",
        NudgeKind.THANK_INTRODUCER: "Thanked them",
        NudgeKind.KEEP_IN_TOUCH: "Sent an update",
    }
    elements: list[Any] = []
    if kind is NudgeKind.WRAP_UP:
        return [
            button("Add notes", ActionId.NUDGE_NOTES, value, style="primary"),
            button("Rescheduled", ActionId.NUDGE_RESCHEDULE, value),
            button("Didn't happen", ActionId.NUDGE_MISSED, value),
        ]
    if kind in (NudgeKind.BOOK, NudgeKind.REBOOK):
        draft = "Draft a reply" if kind is NudgeKind.BOOK else "Draft a note"
        return [
            button("Schedule interview", ActionId.NUDGE_SCHEDULE, value, style="primary"),
            button(draft, ActionId.NUDGE_DRAFT, value),
            _overflow(ActionId.NUDGE_SNOOZE, item.nudge_id, [(v, f"Snooze {label}") for v, label in SNOOZES]),
        ]
    if kind is NudgeKind.REFERRALS:
        elements.append(button("Add referrals", ActionId.NUDGE_REFERRALS, value, style="primary"))
    if kind is NudgeKind.PREPARE and item.interview_id is not None:
        elements.append(button("Prepare questions", ActionId.PREPARE_QUESTIONS, str(item.interview_id)))
    if kind in done_label:
        style = None if kind is NudgeKind.REFERRALS else "primary"
        elements.append(button(done_label[kind], ActionId.NUDGE_DONE, value, style=style))
    if kind is NudgeKind.INTRO_FOLLOW_UP:
        elements.append(button("They introduced us", ActionId.NUDGE_INTRODUCED, value))
    if kind is NudgeKind.MOVE_ON:
        elements.append(button("Close it and move on", ActionId.NUDGE_MOVE_ON, value, style="primary"))
    if kind in (
        NudgeKind.FOLLOW_UP,
        NudgeKind.INTRO_FOLLOW_UP,
        NudgeKind.PHONE_CALL,
        NudgeKind.MOVE_ON,
        NudgeKind.THANK_YOU,
        NudgeKind.THANK_INTRODUCER,
        NudgeKind.KEEP_IN_TOUCH,
    ):
        elements.append(button("Show draft", ActionId.NUDGE_DRAFT, value))
    if kind in (NudgeKind.FOLLOW_UP, NudgeKind.INTRO_FOLLOW_UP, NudgeKind.PHONE_CALL, NudgeKind.MOVE_ON):
        elements.append(_overflow(ActionId.NUDGE_REPLY, item.nudge_id, REPLIES))
    if kind in (NudgeKind.FOLLOW_UP, NudgeKind.INTRO_FOLLOW_UP, NudgeKind.PHONE_CALL):
        elements.append(button("Move on", ActionId.NUDGE_MOVE_ON, value))
    elements.append(
        _overflow(ActionId.NUDGE_SNOOZE, item.nudge_id, [(v, f"Snooze {label}") for v, label in SNOOZES])
    )
    return elements


def nudge_message(items: Sequence[NudgeItem]) -> dict[str, Any]:
    """One DM with every item due for a user; each item has its own buttons (or what became of it)."""
    blocks: list[Block] = []
    open_items = [i for i in items if i.resolution is None]
    if len(items) > 1:
        blocks.append(SectionBlock(text=md(f"*{len(items)} things on your informational-interview list:*")))
    for item in items:
        if item.kind is NudgeKind.WEEKLY_PLAN and item.weekly:
            blocks.append(SectionBlock(block_id=f"nudge:{item.nudge_id}", text=md(_weekly_text(item.weekly))))
            continue
        blocks.append(SectionBlock(block_id=f"nudge:{item.nudge_id}", text=md(_nudge_text(item))))
        if item.resolution:
            blocks.append(ContextBlock(elements=[md(resolved_line(item))]))
        elif item.kind is not NudgeKind.WEEKLY_PLAN:
            blocks.append(
                ActionsBlock(block_id=f"nudge_actions:{item.nudge_id}", elements=_nudge_buttons(item))
            )
        if len(items) > 1:
            blocks.append(DividerBlock())
    if blocks and isinstance(blocks[-1], DividerBlock):
        blocks.pop()
    names = [i.contact_name for i in open_items if i.contact_name][:3]
    summary = f"{len(open_items)} thing(s) to do" + (f": {', '.join(names)}" if names else "")
    return {"text": clip(esc(f"infoint: {summary}"), 3000), "blocks": as_dicts(blocks[:MAX_MESSAGE_BLOCKS])}
