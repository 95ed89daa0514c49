"""The buttons on nudge DMs and the modals they open.

A button's value is the reminder's id, an overflow's ``"<nudge id>:<choice>"``; a modal opened from a
reminder carries it in its metadata. :mod:`bot.services.nudge_actions` decides what a click may do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.modals.draft import nudge_draft_modal
from bot.blocks.modals.notes import notes_modal
from bot.blocks.modals.referrals import referrals_modal
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.forms import REFERRALS_FIELD, clean_text, parse_referrals
from bot.domain.ids import ActionId, ViewId
from bot.services.events import Result
from bot.services.nudge_actions import NotesInput, NudgeActions, Referral
from handlers.effects import Origin
from handlers.flows import Click, act, interview_form, no_form, opens, submit
from handlers.payloads import (
    REMINDER_BUTTON,
    REMINDER_CLICK,
    NudgeMetadata,
    NudgeRef,
    form_values,
    message_ts,
    nudge_metadata,
)

T = TypeVar("T")


def _args(click: Click[NudgeRef]) -> tuple[str, str, int, str | None]:
    """What every reminder's call starts with: who, in which workspace, which reminder, which DM copy."""
    return click.team_id, click.user_id, click.ref.nudge_id, message_ts(click.body)


def _button(
    run: Callable[[NudgeActions, str, str, int, str | None], Result], click: Click[NudgeRef]
) -> Result:
    return run(click.services.nudges, *_args(click))


def _overflow(
    run: Callable[[NudgeActions, str, str, int, str | None, str], Result], click: Click[NudgeRef]
) -> Result:
    """An overflow's choice comes last."""
    return run(click.services.nudges, *_args(click), click.ref.choice or "")


# Buttons that act --------------------------------------------------------------------------------


def nudge_done(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_CLICK, partial(_button, NudgeActions.done))


def nudge_move_on(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_CLICK, partial(_button, NudgeActions.move_on))


def nudge_missed(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_CLICK, partial(_button, NudgeActions.missed))


def nudge_introduced(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """ "They introduced us" on a follow-up about an introduction."""
    act(
        ack, body, action, client, context, respond, REMINDER_CLICK, partial(_button, NudgeActions.introduced)
    )


def nudge_snooze(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The snooze overflow: ``"<nudge id>:<1d | 3d | 1w>"``."""
    act(ack, body, action, client, context, respond, REMINDER_CLICK, partial(_overflow, NudgeActions.snooze))


def nudge_reply(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The "They replied" overflow: ``"<nudge id>:<yes | no | later>"``."""
    act(ack, body, action, client, context, respond, REMINDER_CLICK, partial(_overflow, NudgeActions.reply))


# Buttons that open a modal (the reminder is checked first, so a stale one says why) ---------------


def open_draft(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_BUTTON, opens(_draft_view))


def open_notes(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_BUTTON, opens(_notes_view))


def open_reschedule(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_BUTTON, opens(_reschedule_view))


def open_schedule(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """A reminder to book a time: the booking modal for its contact."""
    act(ack, body, action, client, context, respond, REMINDER_BUTTON, opens(_schedule_view))


def open_referrals(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_BUTTON, opens(_referrals_view))


def _draft_view(click: Click[int]) -> dict[str, Any]:
    found = click.services.nudges.draft(click.team_id, click.user_id, click.ref)
    return nudge_draft_modal(found, NudgeMetadata(click.ref).dumps())


def _notes_view(click: Click[int]) -> dict[str, Any]:
    about = click.services.nudges.wrap_up(click.team_id, click.user_id, click.ref)
    return notes_modal(about.contact_name, NudgeMetadata(click.ref).dumps())


def _reschedule_view(click: Click[int]) -> dict[str, Any]:
    about = click.services.nudges.wrap_up(click.team_id, click.user_id, click.ref)
    metadata = NudgeMetadata(click.ref).dumps()
    return schedule_modal(about.contact_name, metadata, callback_id=ViewId.NUDGE_RESCHEDULE)


def _schedule_view(click: Click[int]) -> dict[str, Any]:
    name = click.services.nudges.booking(click.team_id, click.user_id, click.ref)
    return schedule_modal(name, NudgeMetadata(click.ref).dumps(), callback_id=ViewId.NUDGE_SCHEDULE)


def _referrals_view(click: Click[int]) -> dict[str, Any]:
    about = click.services.nudges.wrap_up(click.team_id, click.user_id, click.ref)
    # The people added are shown where the button was clicked.
    respond = click.origin.respond
    answer = getattr(respond, "response_url", None) if respond is not None else None
    return referrals_modal(about.contact_name, NudgeMetadata(click.ref, answer or "").dumps())


# The modals' submissions: check the form, act, close, redraw the DM ------------------------------


def save_notes(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    _submit(ack, view, client, context, "takeaways", check_notes, NudgeActions.notes)


def save_referrals(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    _submit(ack, view, client, context, REFERRALS_FIELD, check_referrals, NudgeActions.referrals)


def save_reschedule(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    _submit(ack, view, client, context, "starts_at", interview_form, NudgeActions.reschedule)


def save_booking(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    _submit(ack, view, client, context, "starts_at", interview_form, NudgeActions.book)


def draft_sent(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """The reminder's draft modal: "Sent it" counts as done."""
    _submit(ack, view, client, context, "draft", no_form, _done)


def _submit(
    ack: Ack,
    view: dict,
    client: WebClient,
    context: BoltContext,
    error_block: str,
    check: Callable[[Mapping[str, Any], datetime], T | dict[str, str]],
    run: Callable[[NudgeActions, str, str, int, T], Result],
) -> None:
    """A reminder's modal: refused, the modal says why and the DM is redrawn as it stands (e.g. a
    reminder found out of date)."""
    on_reminder = partial(_on_reminder, run)
    submit(ack, view, client, context, nudge_metadata, error_block, check, on_reminder, show_refused=True)


def _on_reminder(
    run: Callable[[NudgeActions, str, str, int, T], Result], origin: Origin, about: NudgeMetadata, checked: T
) -> Result:
    return run(origin.services.nudges, origin.team_id, origin.user_id, about.nudge_id, checked)


def _done(nudges: NudgeActions, team_id: str, user_id: str, nudge_id: int, _checked: bool) -> Result:
    return nudges.done(team_id, user_id, nudge_id, None)


def check_notes(view: Mapping[str, Any], now: datetime) -> NotesInput | dict[str, str]:
    values = form_values(view)
    errors: dict[str, str] = {}
    texts = {f: clean_text(values.get(f), multiline=True) for f in ("takeaways", "advice", "action_items")}
    for field, text in texts.items():
        if len(text) > 2000:
            errors[field] = "Keep it under 2000 characters."
    if not any(texts.values()):
        errors["takeaways"] = "Write down at least one thing you learned."
    talk_again = values.get("talk_again") or ""
    if talk_again not in ("", "yes", "maybe", "no"):
        errors["talk_again"] = "Choose yes, maybe or no."
    return errors or NotesInput(texts["takeaways"], texts["advice"], texts["action_items"], talk_again)


def check_referrals(view: Mapping[str, Any], now: datetime) -> list[Referral] | dict[str, str]:
    """One box, a line per person: "Name, Company, Role"."""
    people = parse_referrals(form_values(view).get(REFERRALS_FIELD))
    if isinstance(people, dict):
        return people
    return [Referral(p.name, p.company, p.role) for p in people]


def register(app: App) -> None:
    app.action(ActionId.NUDGE_DONE)(nudge_done)
    app.action(ActionId.NUDGE_MOVE_ON)(nudge_move_on)
    app.action(ActionId.NUDGE_MISSED)(nudge_missed)
    app.action(ActionId.NUDGE_INTRODUCED)(nudge_introduced)
    app.action(ActionId.NUDGE_SNOOZE)(nudge_snooze)
    app.action(ActionId.NUDGE_REPLY)(nudge_reply)
    app.action(ActionId.NUDGE_DRAFT)(open_draft)
    app.action(ActionId.NUDGE_NOTES)(open_notes)
    app.action(ActionId.NUDGE_RESCHEDULE)(open_reschedule)
    app.action(ActionId.NUDGE_REFERRALS)(open_referrals)
    app.action(ActionId.NUDGE_SCHEDULE)(open_schedule)
    app.view(ViewId.NOTES)(save_notes)
    app.view(ViewId.REFERRALS)(save_referrals)
    app.view(ViewId.NUDGE_RESCHEDULE)(save_reschedule)
    app.view(ViewId.NUDGE_DRAFT)(draft_sent)
    app.view(ViewId.NUDGE_SCHEDULE)(save_booking)
