"""The wording of a contact's next step, the same on every screen (Home, the Monday plan, the list,
the contact's card)."""

from __future__ import annotations

from bot.blocks.kit import clip, esc
from bot.domain.nextstep import StepKind
from bot.queries.models import StepLine

STEP_WORDS: dict[StepKind, str] = {
    StepKind.SEND_REQUEST: "Send a request to {name}",
    StepKind.FOLLOW_UP: "Follow up with {name}",
    StepKind.INTRO_FOLLOW_UP: "Follow up on your introduction to {name}",
    StepKind.PHONE_CALL: "Call {name} once (leave a short voicemail)",
    StepKind.MOVE_ON: "Close {name} as no response and move on",
    StepKind.SCHEDULE: "Book a time with {name}",
    StepKind.BOOK: "Book a time with {name}",
    StepKind.REBOOK: "Find a new time with {name}",
    StepKind.PREPARE: "Prepare for your interview with {name}",
    StepKind.WRAP_UP: "Note what you learned from {name}",
    StepKind.THANK_YOU: "Thank {name}",
    StepKind.REFERRALS: "Ask {name} for two referrals",
    StepKind.THANK_INTRODUCER: "Thank whoever introduced you to {name}",
    StepKind.KEEP_IN_TOUCH: "Send {name} a progress update",
}


# The same steps in a few words, for notifications: "call Sofia, book Priya".
STEP_SHORT: dict[StepKind, str] = {
    StepKind.SEND_REQUEST: "write to {name}",
    StepKind.FOLLOW_UP: "follow up with {name}",
    StepKind.INTRO_FOLLOW_UP: "ask again for an introduction to {name}",
    StepKind.PHONE_CALL: "call {name}",
    StepKind.MOVE_ON: "close {name}",
    StepKind.SCHEDULE: "book {name}",
    StepKind.BOOK: "book {name}",
    StepKind.REBOOK: "find a new time with {name}",
    StepKind.PREPARE: "prepare for {name}",
    StepKind.WRAP_UP: "note what {name} said",
    StepKind.THANK_YOU: "thank {name}",
    StepKind.REFERRALS: "add {name}'s referrals",
    StepKind.THANK_INTRODUCER: "thank {name}'s introducer",
    StepKind.KEEP_IN_TOUCH: "update {name}",
}


def step_short(kind: StepKind, name: str) -> str:
    """A step in a few words, the name escaped but not emphasised (for a notification)."""
    return STEP_SHORT[kind].format(name=esc(clip(name, 40)))


def step_text(line: StepLine) -> str:
    """What to do, as plain words with the name escaped for mrkdwn."""
    return STEP_WORDS[line.kind].format(name=esc(clip(line.name, 120)))


def step_mrkdwn(line: StepLine) -> str:
    """One line: what to do and when: "Follow up with Priya: Tue 3 Feb", "*Overdue:* Thank Sofia (Mon
    2 Feb)", or just "Send a request to Ada" when no reminder is planned for it."""
    text = step_text(line)
    if line.overdue:
        return f"*Overdue:* {text} (since {line.day})" if line.day else f"*Overdue:* {text}"
    return f"{text}: {line.day}" if line.day else text


def step_sentence(line: StepLine) -> str:
    """The step inside a sentence: "Follow up with Priya on Tue 3 Feb", "Thank Sofia (overdue since
    Mon 2 Feb)", "Send a request to Ada"."""
    text = step_text(line)
    if line.overdue:
        return f"{text} (overdue since {line.day})" if line.day else f"{text} (overdue)"
    return f"{text} on {line.day}" if line.day else text
