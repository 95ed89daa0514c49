"""What can be done about a contact, wherever it appears: the buttons that fit its next step.

One function decides them for every surface (its card, the App Home's rows, the list, search results,
the cards after **Add referrals**, the Monday plan), so no contact is ever shown without a way to act
on it:

- the step's main button (Request sent, Follow-up sent, Called them, Close as no response, Schedule
  interview, Prepare questions, Add notes, the thank-you or update draft, Add referrals);
- **They replied…**, a menu with a visible label, while a reply is possible;
- **Draft a message** while a request is the step;
- a ⋯ menu with the rest: snooze an overdue reminder, schedule, edit, remove.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    BlockElement,
    ButtonElement,
    ConfirmObject,
    Option,
    OverflowMenuElement,
    StaticSelectElement,
)

from bot.blocks.kit import MAX_OPTION_TEXT, button, clip, plain
from bot.domain import pipeline as core
from bot.domain.ids import ActionId
from bot.domain.nextstep import StepKind
from bot.queries.models import ContactCard

# A contact's answer to a request, as the reply menus offer it.
REPLIES = (("yes", "They said yes"), ("no", "They said no"), ("later", "They said later"))
REPLIED_LABEL = "They replied…"
# The ⋯ menu's choices (after "<contact id>:<version>:").
SNOOZE_CHOICES = (("snooze_1d", "Snooze 1 day"), ("snooze_1w", "Snooze 1 week"))
MORE_SCHEDULE = "schedule"
MORE_EDIT = "edit"
MORE_REMOVE = "remove"
MORE_CHOICES = frozenset({c for c, _ in SNOOZE_CHOICES} | {MORE_SCHEDULE, MORE_EDIT, MORE_REMOVE})

# Stages where a draft fits (a request, a follow-up, a note to find a new time, a thank-you or update).
_WRITING = (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED, core.Stage.INTERVIEWED)
_SCHEDULABLE = (core.Stage.TARGET, core.Stage.REQUESTED, core.Stage.AGREED)


def contact_value(card: ContactCard) -> str:
    """A button's value: which contact, at which version."""
    return f"{card.id}:{card.version}"


def replied_select(action_id: ActionId, prefix: str) -> StaticSelectElement:
    """**They replied…**: a menu whose label is always visible; each option is ``"<prefix>:<answer>"``."""
    return StaticSelectElement(
        action_id=action_id,
        placeholder=plain(REPLIED_LABEL, 150),
        options=[
            Option(value=f"{prefix}:{answer}", text=plain(label, MAX_OPTION_TEXT))
            for answer, label in REPLIES
        ],
    )


def move_on_confirm(attempts: int) -> ConfirmObject:
    """Closing a contact before its tries are used up asks first."""
    tries = "1 try" if attempts == 1 else f"{attempts} tries"
    return ConfirmObject(
        title=plain("Close as no response?", 100),
        text=plain(
            f"{tries.capitalize()} so far; the method says three before moving on. Close it anyway?", 300
        ),
        confirm=plain("Close it", 30),
        deny=plain("Not yet", 30),
    )


def asks_route(card: ContactCard) -> bool:
    """A first request to a 2nd-degree contact: whom it went to matters (the introducer or them)."""
    return card.degree is core.Degree.SECOND and card.stage is core.Stage.TARGET


def main_button(card: ContactCard, *, compact: bool = False) -> ButtonElement | None:
    """The one button that does the contact's next step; None when the step has nothing to press yet
    (its reminder hasn't come) or there is no step. ``compact``: where there is no room to ask whom a
    2nd-degree contact's request went to, the button says it (the introducer, the likeliest)."""
    step = card.next_step
    value = contact_value(card)
    if step is None:
        return None
    kind = step.kind
    if kind is StepKind.SEND_REQUEST and compact and asks_route(card):
        introducer = clip(card.introducer or "them", 30)
        return button(
            f"Asked {introducer} to introduce", ActionId.REQUEST_VIA_INTRODUCER, value, style="primary"
        )
    if kind is StepKind.SEND_REQUEST:
        return button("Request sent", ActionId.REQUEST_SENT, value, style="primary")
    if kind in (StepKind.FOLLOW_UP, StepKind.INTRO_FOLLOW_UP):
        return button("Follow-up sent", ActionId.REQUEST_SENT, value, style="primary")
    if kind is StepKind.PHONE_CALL:
        return button("Called them", ActionId.REQUEST_SENT, value, style="primary")
    if kind is StepKind.MOVE_ON:
        return button("Close as no response", ActionId.CONTACT_MOVE_ON, value, style="primary")
    if kind in (StepKind.SCHEDULE, StepKind.BOOK, StepKind.REBOOK):
        return button("Schedule interview", ActionId.SCHEDULE_INTERVIEW, value, style="primary")
    if kind is StepKind.PREPARE and step.interview_id is not None:
        return button(
            "Prepare questions", ActionId.PREPARE_QUESTIONS, str(step.interview_id), style="primary"
        )
    if kind is StepKind.WRAP_UP and step.nudge_id is not None:
        return button("Add notes", ActionId.NUDGE_NOTES, str(step.nudge_id), style="primary")
    if kind is StepKind.REFERRALS and step.nudge_id is not None:
        return button("Add referrals", ActionId.NUDGE_REFERRALS, str(step.nudge_id), style="primary")
    if kind is StepKind.THANK_YOU:
        return button("Write the thank-you", ActionId.CONTACT_DRAFT, value, style="primary")
    if kind in (StepKind.KEEP_IN_TOUCH, StepKind.THANK_INTRODUCER):
        return button("Draft a message", ActionId.CONTACT_DRAFT, value, style="primary")
    return None


def _more_menu(card: ContactCard, compact: bool) -> OverflowMenuElement:
    value = contact_value(card)
    choices: list[tuple[str, str]] = []
    step = card.next_step
    if step is not None and step.overdue and step.nudge_id is not None:
        choices += SNOOZE_CHOICES
    main = main_button(card)
    if (
        compact
        and card.stage in _SCHEDULABLE
        and (main is None or main.action_id != ActionId.SCHEDULE_INTERVIEW)
    ):
        choices.append((MORE_SCHEDULE, "Schedule interview"))
    choices += [(MORE_EDIT, "Edit details"), (MORE_REMOVE, "Remove…")]
    return OverflowMenuElement(
        action_id=ActionId.CONTACT_MORE,
        options=[
            Option(value=f"{value}:{choice}", text=plain(label, MAX_OPTION_TEXT)) for choice, label in choices
        ],
    )


def action_elements(card: ContactCard, *, compact: bool = False) -> list[BlockElement]:
    """The contact's buttons: the step's own first; ``compact`` leaves scheduling in the ⋯ menu."""
    value = contact_value(card)
    elements: list[BlockElement] = []
    main = main_button(card, compact=compact)
    if main is not None:
        elements.append(main)
    used = {main.action_id} if main is not None else set()
    if ActionId.REQUEST_VIA_INTRODUCER in used:
        elements.append(button(f"Wrote to {clip(card.name, 30)}", ActionId.REQUEST_DIRECT, value))
    if card.stage in _WRITING and ActionId.CONTACT_DRAFT not in used:
        elements.append(button("Draft a message", ActionId.CONTACT_DRAFT, value))
    if card.stage is core.Stage.REQUESTED and card.awaiting_introduction:
        elements.append(button("They introduced us", ActionId.CONTACT_INTRODUCED, value))
    if card.stage is core.Stage.REQUESTED:
        elements.append(replied_select(ActionId.CONTACT_REPLY, value))
    if not compact and card.stage in _SCHEDULABLE and ActionId.SCHEDULE_INTERVIEW not in used:
        elements.append(button("Schedule interview", ActionId.SCHEDULE_INTERVIEW, value))
    elements.append(_more_menu(card, compact))
    return elements


def contact_actions(card: ContactCard, block_id: str, *, compact: bool = False) -> ActionsBlock:
    return ActionsBlock(block_id=block_id, elements=action_elements(card, compact=compact))
