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

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DateTimePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain import pipeline as core
from bot.domain.forms import LIMITS, Standing

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

SUBCOMMANDS: list[tuple[str, str]] = [
    ("/infoint log", "Log a contact: who they are, how you know them, where things stand."),
    ("/infoint list", "Your pipeline, grouped by stage."),
    ("/infoint help", "This message."),
]


def help_message(intro: str | None = None) -> dict[str, Any]:
    lines = "\n".join(f"• `{cmd}`: {what}" for cmd, what in SUBCOMMANDS)
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


def unknown_subcommand_message(typed: str) -> dict[str, Any]:
    shown = esc(clip(typed, 60))
    return help_message(f"I don't know `{shown}`. Here is what I can do:")


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


def _radio(field: str, label: str, pairs: list[tuple[str, str]], initial: str | None) -> Block:
    options = _options(pairs)
    chosen = next((o for o in options if o.value == initial), None)
    return InputBlock(
        block_id=field,
        label=plain(label, 2000),
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


def schedule_modal(contact_name: str, private_metadata: str) -> dict[str, Any]:
    durations = [("15", "15 minutes"), ("20", "20 minutes"), ("30", "30 minutes")]
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
        callback_id=SCHEDULE_INTERVIEW,
        title=plain("Schedule interview", 24),
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


def _contact_buttons(card: ContactCard) -> list[ButtonElement]:
    value = contact_value(card)
    buttons: list[ButtonElement] = []
    if card.stage in (core.Stage.TARGET, core.Stage.REQUESTED):
        label = "Request sent" if card.stage is core.Stage.TARGET else "Follow-up sent"
        buttons.append(_button(label, "request_sent", value, style="primary"))
    if card.stage in (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED):
        buttons.append(_button("Schedule interview", "schedule_interview", value))
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
