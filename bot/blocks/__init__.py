"""The one place that builds Block Kit: messages, modals and the App Home.

Everything a user typed goes through :func:`esc` before it reaches mrkdwn, and every text is clipped
to Slack's limits here, so no caller has to remember them. slack_sdk's model classes validate the
rest of the structure when serialised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DateTimePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.domain import pipeline as core
from bot.domain.drafts import Draft
from bot.domain.forms import DURATIONS, LIMITS, Standing
from bot.domain.nudges import NudgeKind

# Slack's limits (SLACK_FACTS.md).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_CONTEXT_ELEMENTS = 10
# Slack refuses messages whose blocks carry much more text than this (msg_blocks_too_long).
MAX_MESSAGE_TEXT_BUDGET = 11_000

Blocks = list[dict[str, Any]]


# Text ------------------------------------------------------------------------------------------------


def esc(text: str) -> str:
    """Escape user text for mrkdwn: ``&`` first, then ``<`` and ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when cut; never splits an escape like ``&amp;``."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> PlainTextObject:
    return PlainTextObject(text=clip(text or " ", limit), emoji=True)


def md(text: str, limit: int = MAX_SECTION_TEXT) -> MarkdownTextObject:
    return MarkdownTextObject(text=clip(text or " ", limit))


def slack_date(when: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """A date Slack renders in each reader's own timezone, with a UTC fallback."""
    epoch = int(when.timestamp())
    fallback = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{epoch}^{fmt}|{fallback}>"


def _button(
    text: str, action_id: str, value: str = "", style: str | None = None, url: str | None = None
) -> ButtonElement:
    return ButtonElement(
        text=plain(text, MAX_BUTTON_TEXT), action_id=action_id, value=value or None, style=style, url=url
    )


def _options(pairs: Iterable[tuple[str, str]]) -> list[Option]:
    return [Option(value=value, text=plain(label, MAX_OPTION_TEXT)) for value, label in pairs]


def _dicts(blocks: Sequence[Block]) -> Blocks:
    return [b.to_dict() for b in blocks]


def fit_lines(
    lines: Sequence[str],
    max_blocks: int,
    max_chars: int = MAX_MESSAGE_TEXT_BUDGET,
    more: str = "…and {n} more not shown.",
    is_item: Callable[[str], bool] = lambda line: True,
) -> list[Block]:
    """Pack mrkdwn lines into as few sections as Slack allows.

    When they don't all fit in ``max_blocks`` blocks and ``max_chars`` characters, the last block says
    how many items (lines for which ``is_item`` holds) were left out.
    """
    sections: list[list[str]] = []
    current: list[str] = []
    used = 0
    shown = 0
    for line in lines:
        line = clip(line, MAX_SECTION_TEXT)
        if current and len("\n".join([*current, line])) > MAX_SECTION_TEXT:
            sections.append(current)
            current = []
        # Keep one block free for the "more" note.
        if len(sections) + 1 > max_blocks - 1 or used + len(line) > max_chars:
            break
        current.append(line)
        used += len(line) + 1
        shown += 1
    if current:
        sections.append(current)
    blocks: list[Block] = [SectionBlock(text=md("\n".join(section))) for section in sections]
    left = sum(1 for line in lines[shown:] if is_item(line))
    if left:
        blocks.append(ContextBlock(elements=[md(more.format(n=left))]))
    return blocks


# Help ------------------------------------------------------------------------------------------------


def help_message(commands: Sequence[tuple[str, str]], intro: str | None = None) -> dict[str, Any]:
    """What infoint does and every command: ``commands`` is (usage, what it does) pairs."""
    lines = "\n".join(f"• `{usage}`: {what}" for usage, what in commands)
    about = (
        "*infoint* runs the informational-interview method with you: keep a target list of people "
        "to learn from, send short requests, follow up after a week of silence, prepare questions, "
        "thank people within 48 hours, ask for two referrals, and keep in touch."
    )
    blocks: list[Block] = []
    if intro:
        blocks.append(SectionBlock(text=md(intro)))
    blocks += [
        SectionBlock(text=md(about)),
        SectionBlock(text=md(f"*Commands*\n{lines}")),
        ContextBlock(elements=[md("Your App Home tab shows your dashboard. Buttons in my DMs do the work.")]),
    ]
    text = intro or "infoint: log contacts, get nudged, act in one click."
    return {"response_type": "ephemeral", "text": text, "blocks": _dicts(blocks)}


def unknown_subcommand_message(commands: Sequence[tuple[str, str]], typed: str) -> dict[str, Any]:
    shown = esc(clip(typed, 60))
    return help_message(commands, f"I don't know `{shown}`. Here is what I can do:")


def notice(text: str) -> dict[str, Any]:
    """A short ephemeral answer; ``text`` is already safe mrkdwn."""
    return {
        "response_type": "ephemeral",
        "replace_original": False,
        "text": clip(text, MAX_SECTION_TEXT),
        "blocks": _dicts([SectionBlock(text=md(text))]),
    }


# The 'log a contact' modal ---------------------------------------------------------------------------

LOG_CONTACT = "log_contact"
SCHEDULE_INTERVIEW = "schedule_interview"
DRAFT_VIEW = "nudge_draft"
NOTES_VIEW = "interview_notes"
REFERRALS_VIEW = "add_referrals"
SETTINGS_VIEW = "settings"
RESCHEDULE_VIEW = "reschedule_interview"


def _text_input(
    field: str,
    label: str,
    optional: bool = True,
    placeholder: str | None = None,
    multiline: bool = False,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=field,
        label=plain(label, 2000),
        optional=optional,
        hint=plain(hint, 2000) if hint else None,
        element=PlainTextInputElement(
            action_id=field,
            max_length=LIMITS[field],
            multiline=multiline,
            placeholder=plain(placeholder, 150) if placeholder else None,
        ),
    )


def _select(
    field: str, label: str, pairs: list[tuple[str, str]], optional: bool, initial: str | None
) -> Block:
    options = _options(pairs)
    chosen = next((o for o in options if o.value == initial), None)
    return InputBlock(
        block_id=field,
        label=plain(label, 2000),
        optional=optional,
        element=StaticSelectElement(action_id=field, options=options, initial_option=chosen),
    )


def _radio(
    field: str, label: str, pairs: list[tuple[str, str]], initial: str | None, optional: bool = False
) -> Block:
    options = _options(pairs)
    chosen = next((o for o in options if o.value == initial), None)
    return InputBlock(
        block_id=field,
        label=plain(label, 2000),
        optional=optional,
        element=RadioButtonsElement(action_id=field, options=options, initial_option=chosen),
    )


def log_contact_modal(private_metadata: str = "") -> dict[str, Any]:
    degrees = [(d.value, d.label) for d in core.Degree]
    sources = [(s.value, s.label) for s in core.Source]
    standings = [(s.value, s.label) for s in Standing]
    channels = [(c.value, c.label) for c in core.OutreachChannel]
    blocks: list[Block] = [
        _text_input("name", "Name", optional=False, placeholder="Who is it?"),
        _text_input("company", "Company"),
        _text_input("role", "Role", placeholder="e.g. UX researcher"),
        _text_input("industry", "Industry", placeholder="e.g. Healthcare"),
        _text_input("location", "Location"),
        _radio("degree", "How do you know them?", degrees, initial=core.Degree.FIRST.value),
        _text_input(
            "introducer",
            "Introducer",
            placeholder="Who connects you?",
            hint="Needed for a 2nd-degree contact: the person who will introduce you.",
        ),
        _select("source", "Where did they come from?", sources, optional=True, initial=None),
        _text_input("email", "Email"),
        _text_input("linkedin_url", "LinkedIn or web profile", placeholder="https://"),
        _text_input("phone", "Phone"),
        _text_input(
            "learning_goal",
            "What do you want to learn from them?",
            multiline=True,
            placeholder="An industry, a company, a role, the day-to-day of a job…",
        ),
        _radio("standing", "Where do things stand?", standings, initial=Standing.TARGET.value),
        _select(
            "request_channel",
            "If you sent a request today: how?",
            channels,
            optional=True,
            initial=None,
        ),
        InputBlock(
            block_id="interview_at",
            label=plain("If an interview is scheduled: when?"),
            optional=True,
            element=DateTimePickerElement(action_id="interview_at"),
        ),
    ]
    view = View(
        type="modal",
        callback_id=LOG_CONTACT,
        title=plain("Log a contact", 24),
        submit=plain("Save", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata or None,
        blocks=blocks,
    )
    return view.to_dict()


def schedule_modal(
    contact_name: str, private_metadata: str, callback_id: str = SCHEDULE_INTERVIEW
) -> dict[str, Any]:
    durations = [(str(d), f"{d} minutes") for d in DURATIONS]
    formats = [(f.value, f.label) for f in core.InterviewFormat]
    blocks: list[Block] = [
        SectionBlock(text=md(f"Interview with *{esc(contact_name)}*. Book the slot that suits them.")),
        InputBlock(
            block_id="starts_at",
            label=plain("Date and time"),
            element=DateTimePickerElement(action_id="starts_at"),
        ),
        _select("duration", "Length", durations, optional=False, initial="20"),
        _select("format", "Format", formats, optional=False, initial=core.InterviewFormat.VIDEO.value),
        _text_input("place", "Place or link", placeholder="Their office, a café, a video link…"),
    ]
    view = View(
        type="modal",
        callback_id=callback_id,
        title=plain("Schedule interview" if callback_id == SCHEDULE_INTERVIEW else "Reschedule", 24),
        submit=plain("Schedule", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    )
    return view.to_dict()


# Contacts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactCard:
    """What a DM about one contact shows; filled by the service layer from the records."""

    id: int
    version: int
    name: str
    stage: core.Stage
    degree: core.Degree
    company: str = ""
    role: str = ""
    industry: str = ""
    introducer: str = ""
    learning_goal: str = ""
    attempts: int = 0
    next_interview: datetime | None = None


def contact_line(card: ContactCard) -> str:
    """One mrkdwn line: name, role at company, degree."""
    where = " at ".join(p for p in (esc(card.role), esc(card.company)) if p)
    parts = [f"*{esc(card.name)}*"]
    if where:
        parts.append(where)
    detail = card.degree.label
    if card.introducer:
        detail += f" via {esc(card.introducer)}"
    parts.append(f"_{detail}_")
    return clip(" · ".join(parts), 600)


def contact_value(card: ContactCard) -> str:
    """A button's value: which contact, at which version."""
    return f"{card.id}:{card.version}"


def _contact_summary(card: ContactCard) -> str:
    lines = [contact_line(card)]
    if card.industry:
        lines.append(f"Industry: {esc(card.industry)}")
    if card.learning_goal:
        lines.append(f"Wants to learn: {esc(clip(card.learning_goal, 500))}")
    return "\n".join(lines)


def _contact_buttons(card: ContactCard) -> list[ButtonElement | OverflowMenuElement]:
    value = contact_value(card)
    buttons: list[ButtonElement | OverflowMenuElement] = []
    if card.stage in (core.Stage.TARGET, core.Stage.REQUESTED):
        label = "Request sent" if card.stage is core.Stage.TARGET else "Follow-up sent"
        buttons.append(_button(label, "request_sent", value, style="primary"))
    if card.stage in (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED):
        buttons.append(_button("Schedule interview", "schedule_interview", value))
    if card.stage in (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.INTERVIEWED):
        buttons.append(_button("Draft a message", "contact_draft", value))
    if card.stage is core.Stage.REQUESTED:
        buttons.append(
            OverflowMenuElement(
                action_id="contact_reply",
                options=[Option(value=f"{value}:{answer}", text=plain(label)) for answer, label in REPLIES],
            )
        )
    return buttons


def _status_line(card: ContactCard) -> str:
    if card.stage is core.Stage.SCHEDULED and card.next_interview:
        return f"Interview {slack_date(card.next_interview)}."
    if card.stage is core.Stage.REQUESTED:
        tries = "1 request" if card.attempts == 1 else f"{card.attempts} requests"
        return f"{tries} sent, waiting for a reply. I'll remind you to follow up after a week of silence."
    return f"Stage: {card.stage.label}."


def contact_message(card: ContactCard, headline: str) -> dict[str, Any]:
    """The DM about one contact: what happened, the contact, where it stands, what to do next."""
    blocks: list[Block] = [
        SectionBlock(text=md(headline)),
        SectionBlock(text=md(_contact_summary(card))),
        ContextBlock(elements=[md(_status_line(card))]),
    ]
    buttons = _contact_buttons(card)
    if buttons:
        blocks.append(ActionsBlock(block_id=f"contact:{card.id}", elements=buttons))
    return {"text": clip(_fallback(headline), 3000), "blocks": _dicts(blocks)}


def _fallback(mrkdwn: str) -> str:
    return mrkdwn.replace("*", "")


# The pipeline list and the App Home ------------------------------------------------------------------


def _pipeline_blocks(cards: Sequence[ContactCard], max_blocks: int) -> list[Block]:
    if not cards:
        return [
            SectionBlock(
                text=md(
                    "No contacts yet. Start your target list with `/infoint log`: "
                    "aim for several people per industry."
                )
            )
        ]
    lines: list[str] = []
    for stage in core.Stage:
        group = [c for c in cards if c.stage is stage]
        if not group:
            continue
        lines.append(f"*{stage.label}* ({len(group)})")
        lines.extend(f"• {contact_line(c)}" for c in group)
    return fit_lines(
        lines,
        max_blocks,
        more="…and {n} more contacts not shown.",
        is_item=lambda line: line.startswith("• "),
    )


def pipeline_message(cards: Sequence[ContactCard]) -> dict[str, Any]:
    blocks: list[Block] = [HeaderBlock(text=plain(f"Your pipeline: {len(cards)} contacts", MAX_HEADER_TEXT))]
    blocks += _pipeline_blocks(cards, MAX_MESSAGE_BLOCKS - len(blocks))
    return {
        "response_type": "ephemeral",
        "text": f"Your pipeline: {len(cards)} contacts",
        "blocks": _dicts(blocks),
    }


def pipeline_modal(cards: Sequence[ContactCard]) -> dict[str, Any]:
    blocks = _pipeline_blocks(cards, MAX_VIEW_BLOCKS)
    return View(
        type="modal", title=plain("Your pipeline", 24), close=plain("Close", 24), blocks=blocks
    ).to_dict()


@dataclass(frozen=True)
class DueItem:
    text: str
    due_at: datetime
    overdue: bool


def home_view(counts: dict[core.Stage, int], due: Sequence[DueItem]) -> dict[str, Any]:
    total = sum(counts.values())
    funnel = " · ".join(f"{stage.label}: *{counts.get(stage, 0)}*" for stage in core.Stage)
    blocks: list[Block] = [
        HeaderBlock(text=plain("Your informational interviews", MAX_HEADER_TEXT)),
        SectionBlock(text=md(f"*{total}* contacts\n{funnel}")),
        ActionsBlock(
            block_id="home_actions",
            elements=[
                _button("Log a contact", "open_log_modal", style="primary"),
                _button("See my list", "open_pipeline"),
            ],
        ),
        DividerBlock(),
        HeaderBlock(text=plain("What's due next", MAX_HEADER_TEXT)),
    ]
    if due:
        lines = [
            f"• {'*Overdue* ' if item.overdue else ''}{esc(item.text)}: {slack_date(item.due_at)}"
            for item in due
        ]
        blocks += fit_lines(lines, MAX_VIEW_BLOCKS - len(blocks) - 1)
    else:
        blocks.append(SectionBlock(text=md("Nothing due. Log a contact to get going.")))
    blocks.append(ContextBlock(elements=[md("Updated whenever you open this tab.")]))
    return View(type="home", blocks=blocks).to_dict()


# Nudges ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklySummary:
    requests_sent: int
    requests_goal: int
    interviews: int
    interviews_goal: int
    targets: int
    due: tuple[tuple[str, datetime], ...] = ()
    objective: str = ""
    targets_text: str = ""


@dataclass(frozen=True)
class NudgeItem:
    """One reminder in a nudge DM, with what it shows; ``resolution`` (safe mrkdwn) replaces its buttons."""

    nudge_id: int
    kind: NudgeKind
    contact_name: str = ""
    company: str = ""
    role: str = ""
    learning_goal: str = ""
    introducer: str = ""
    attempts: int = 0
    interview_at: datetime | None = None
    interview_minutes: int = 0
    interview_place: str = ""
    draft: Draft | None = None
    step: int = 1
    next_target: str = ""
    resolution: str | None = None
    weekly: WeeklySummary | None = None
    questions: tuple[str, ...] = ()
    interview_id: int | None = None


SNOOZES = (("1d", "1 day"), ("3d", "3 days"), ("1w", "1 week"))
REPLIES = (("yes", "They said yes"), ("no", "They said no"), ("later", "They said later"))


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
    return ""


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
    if summary.due:
        lines.append("*Due this week:*")
        lines += [f"• {esc(clip(text, 200))}: {slack_date(when)}" for text, when in summary.due]
    elif summary.targets:
        lines.append(f"You have {summary.targets} target(s) waiting for a first request.")
    else:
        lines.append("Nothing due. Add people to your target list with `/infoint log`.")
    return "\n".join(lines)


def _overflow(action_id: str, nudge_id: int, pairs: Iterable[tuple[str, str]]) -> OverflowMenuElement:
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
            _button("Add notes", "nudge_notes", value, style="primary"),
            _button("Rescheduled", "nudge_reschedule", value),
            _button("Didn't happen", "nudge_missed", value),
        ]
    if kind is NudgeKind.REFERRALS:
        elements.append(_button("Add referrals", "nudge_referrals", value, style="primary"))
    if kind is NudgeKind.PREPARE and item.interview_id is not None:
        elements.append(_button("Prepare questions", "prepare_questions", str(item.interview_id)))
    if kind in done_label:
        style = None if kind is NudgeKind.REFERRALS else "primary"
        elements.append(_button(done_label[kind], "nudge_done", value, style=style))
    if kind is NudgeKind.MOVE_ON:
        elements.append(_button("Close it and move on", "nudge_move_on", value, style="primary"))
    if kind in (
        NudgeKind.FOLLOW_UP,
        NudgeKind.PHONE_CALL,
        NudgeKind.MOVE_ON,
        NudgeKind.THANK_YOU,
        NudgeKind.THANK_INTRODUCER,
        NudgeKind.KEEP_IN_TOUCH,
    ):
        elements.append(_button("Show draft", "nudge_draft", value))
    if kind in (NudgeKind.FOLLOW_UP, NudgeKind.PHONE_CALL, NudgeKind.MOVE_ON):
        elements.append(_overflow("nudge_reply", item.nudge_id, REPLIES))
    if kind in (NudgeKind.FOLLOW_UP, NudgeKind.PHONE_CALL):
        elements.append(_button("Move on", "nudge_move_on", value))
    elements.append(
        _overflow("nudge_snooze", item.nudge_id, [(v, f"Snooze {label}") for v, label in SNOOZES])
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
            blocks.append(ContextBlock(elements=[md(item.resolution)]))
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
    return {"text": clip(esc(f"infoint: {summary}"), 3000), "blocks": _dicts(blocks[:MAX_MESSAGE_BLOCKS])}


def draft_modal(title: str, draft: Draft, private_metadata: str, email: str = "") -> dict[str, Any]:
    """An editable draft; with an email address, a button that opens the mail program with it."""
    blocks: list[Block] = [
        InputBlock(
            block_id="draft",
            label=plain(clip(draft.subject, 150) or "Draft"),
            element=PlainTextInputElement(
                action_id="draft", multiline=True, max_length=3000, initial_value=draft.body[:3000]
            ),
            hint=plain("Edit it, copy it, send it from your own mail or LinkedIn. Then press “Sent it”."),
        )
    ]
    if email:
        link = mailto(email, draft)
        if len(link) <= 3000:
            blocks.append(ActionsBlock(elements=[_button("Open in my mail app", "open_mailto", url=link)]))
    return View(
        type="modal",
        callback_id=DRAFT_VIEW,
        title=plain(clip(title, 24), 24),
        submit=plain("Sent it", 24),
        close=plain("Close", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()


def mailto(email: str, draft: Draft) -> str:
    return f"mailto:{quote(email, safe='@')}?subject={quote(draft.subject)}&body={quote(draft.body)}"


def notes_modal(contact_name: str, private_metadata: str) -> dict[str, Any]:
    def area(field: str, label: str, placeholder: str) -> InputBlock:
        return InputBlock(
            block_id=field,
            label=plain(label),
            optional=True,
            element=PlainTextInputElement(
                action_id=field, multiline=True, max_length=2000, placeholder=plain(placeholder, 150)
            ),
        )

    blocks: list[Block] = [
        SectionBlock(text=md(f"What did you learn from *{esc(clip(contact_name, 100))}*?")),
        area("takeaways", "Takeaways", "What surprised you, what you learned about the field or the role"),
        area("advice", "Their advice", "Their biggest tip for someone starting out"),
        area("action_items", "Action items", "What you will do next because of this conversation"),
        _radio(
            "talk_again",
            "Happy to talk again?",
            [("yes", "Yes"), ("maybe", "Maybe"), ("no", "No")],
            None,
            True,
        ),
    ]
    return View(
        type="modal",
        callback_id=NOTES_VIEW,
        title=plain("Interview notes", 24),
        submit=plain("Save notes", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()


REFERRAL_SLOTS = 3


def referrals_modal(contact_name: str, private_metadata: str) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"Who did *{esc(clip(contact_name, 100))}* suggest you talk to? Each becomes a 2nd-degree "
                "contact on your list, introduced by them."
            )
        )
    ]
    for n in range(1, REFERRAL_SLOTS + 1):
        for field, label in (("name", "Name"), ("company", "Company"), ("role", "Role")):
            blocks.append(
                InputBlock(
                    block_id=f"referral_{n}_{field}",
                    label=plain(f"{label} ({n})" if field != "name" else f"Person {n}: name"),
                    optional=not (n == 1 and field == "name"),
                    element=PlainTextInputElement(
                        action_id=f"referral_{n}_{field}", max_length=LIMITS[field]
                    ),
                )
            )
    return View(
        type="modal",
        callback_id=REFERRALS_VIEW,
        title=plain("Add referrals", 24),
        submit=plain("Add them", 24),
        close=plain("Cancel", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()


def settings_modal(prefs: dict[str, Any], timezone: str | None) -> dict[str, Any]:
    day_options = _options((str(i), name) for i, name in enumerate(WEEKDAY_NAMES))
    chosen = [o for o in day_options if int(o.value) in prefs["window_days"]]

    def number(field: str, label: str, hint: str) -> InputBlock:
        return InputBlock(
            block_id=field,
            label=plain(label),
            hint=plain(hint),
            element=PlainTextInputElement(action_id=field, max_length=3, initial_value=str(prefs[field])),
        )

    zone_text = esc(timezone) if timezone else "not known yet (UTC is used)"
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"Reminders reach you only inside your working window, in your Slack timezone: *{zone_text}*."
            )
        ),
        InputBlock(
            block_id="window_days",
            label=plain("Working days"),
            element=CheckboxesElement(
                action_id="window_days", options=day_options, initial_options=chosen or None
            ),
        ),
        InputBlock(
            block_id="window_start",
            label=plain("From"),
            element=TimePickerElement(action_id="window_start", initial_time=prefs["window_start"]),
        ),
        InputBlock(
            block_id="window_end",
            label=plain("Until"),
            element=TimePickerElement(action_id="window_end", initial_time=prefs["window_end"]),
        ),
        number(
            "follow_up_days", "Follow up after (days)", "Silence this long after a request means a follow-up."
        ),
        number(
            "keep_in_touch_weeks", "Keep in touch every (weeks)", "After an interview, a check-in this often."
        ),
        number("weekly_requests", "Weekly goal: new requests", "Counted in your Monday plan."),
        number("weekly_interviews", "Weekly goal: interviews", "Counted in your Monday plan."),
    ]
    return View(
        type="modal",
        callback_id=SETTINGS_VIEW,
        title=plain("Your settings", 24),
        submit=plain("Save", 24),
        close=plain("Cancel", 24),
        blocks=blocks,
    ).to_dict()


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
