"""The buttons on nudge DMs and the modals they open.

A button's value is the reminder's id, an overflow's ``"<nudge id>:<choice>"``; a modal opened from a
reminder carries it in its metadata. :mod:`bot.services.nudge_actions` decides what a click may do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.kit import notice
from bot.blocks.modals.draft import nudge_draft_modal
from bot.blocks.modals.notes import notes_modal
from bot.blocks.modals.referrals import REFERRAL_SLOTS, referrals_modal
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.forms import LIMITS, clean_text, validate_interview
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused
from bot.services.events import Result
from bot.services.nudge_actions import NotesInput, NudgeActions, Referral
from handlers import effects
from handlers.effects import Origin
from handlers.payloads import (
    BAD_NUDGE,
    OUT_OF_DATE,
    NudgeMetadata,
    action_value,
    form_values,
    message_ts,
    nudge_metadata,
    parse_nudge,
)

T = TypeVar("T")


@dataclass(frozen=True)
class _Click:
    """A click on a reminder of a nudge DM, read."""

    origin: Origin
    nudge_id: int
    choice: str  # an overflow's choice; "" for a button
    ts: str | None  # the DM clicked, checked against the reminder's

    @property
    def nudges(self) -> NudgeActions:
        return self.origin.services.nudges

    @property
    def args(self) -> tuple[str, str, int, str | None]:
        """What every button's service call starts with: who, in which workspace, which reminder, where."""
        return self.origin.team_id, self.origin.user_id, self.nudge_id, self.ts


def _click(
    body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> _Click | None:
    """The click, or None once the user is told its value can't be read."""
    ref = parse_nudge(action_value(action))
    if ref is None:
        respond(notice(BAD_NUDGE))
        return None
    origin = effects.origin_of(context, client, respond=respond)
    return _Click(origin, ref.nudge_id, ref.choice or "", message_ts(body))


# Buttons that act --------------------------------------------------------------------------------


def nudge_done(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    if click := _click(body, action, client, context, respond):
        effects.settle(click.origin, partial(click.nudges.done, *click.args))


def nudge_move_on(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    if click := _click(body, action, client, context, respond):
        effects.settle(click.origin, partial(click.nudges.move_on, *click.args))


def nudge_missed(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    if click := _click(body, action, client, context, respond):
        effects.settle(click.origin, partial(click.nudges.missed, *click.args))


def nudge_introduced(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """ "They introduced us" on a follow-up about an introduction."""
    ack()
    if click := _click(body, action, client, context, respond):
        effects.settle(click.origin, partial(click.nudges.introduced, *click.args))


def nudge_snooze(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The snooze overflow: ``"<nudge id>:<1d | 3d | 1w>"``."""
    ack()
    if click := _click(body, action, client, context, respond):
        effects.settle(click.origin, partial(click.nudges.snooze, *click.args, click.choice))


def nudge_reply(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The "They replied" overflow: ``"<nudge id>:<yes | no | later>"``."""
    ack()
    if click := _click(body, action, client, context, respond):
        effects.settle(click.origin, partial(click.nudges.reply, *click.args, click.choice))


# Buttons that open a modal (the reminder is checked first, so a stale one says why) ---------------


def open_draft(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    _open(body, action, client, context, respond, _draft_view)


def open_notes(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    _open(body, action, client, context, respond, _notes_view)


def open_reschedule(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    _open(body, action, client, context, respond, _reschedule_view)


def open_schedule(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """A reminder to book a time: the booking modal for its contact."""
    ack()
    _open(body, action, client, context, respond, _schedule_view)


def open_referrals(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    _open(body, action, client, context, respond, _referrals_view)


def _open(
    body: dict,
    action: dict,
    client: WebClient,
    context: BoltContext,
    respond: Respond,
    make_view: Callable[[Origin, int], dict[str, Any]],
) -> None:
    ref = parse_nudge(action_value(action))
    if ref is None or ref.choice is not None:  # a button's value is the id alone
        respond(notice(BAD_NUDGE))
        return
    origin = effects.origin_of(context, client, respond=respond)
    try:
        view = make_view(origin, ref.nudge_id)
    except ActionRefused as refusal:
        effects.refuse(origin, refusal)
        return
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _draft_view(origin: Origin, nudge_id: int) -> dict[str, Any]:
    found = origin.services.nudges.draft(origin.team_id, origin.user_id, nudge_id)
    return nudge_draft_modal(found, NudgeMetadata(nudge_id).dumps())


def _notes_view(origin: Origin, nudge_id: int) -> dict[str, Any]:
    about = origin.services.nudges.wrap_up(origin.team_id, origin.user_id, nudge_id)
    return notes_modal(about.contact_name, NudgeMetadata(nudge_id).dumps())


def _reschedule_view(origin: Origin, nudge_id: int) -> dict[str, Any]:
    about = origin.services.nudges.wrap_up(origin.team_id, origin.user_id, nudge_id)
    metadata = NudgeMetadata(nudge_id).dumps()
    return schedule_modal(about.contact_name, metadata, callback_id=ViewId.NUDGE_RESCHEDULE)


def _schedule_view(origin: Origin, nudge_id: int) -> dict[str, Any]:
    name = origin.services.nudges.booking(origin.team_id, origin.user_id, nudge_id)
    return schedule_modal(name, NudgeMetadata(nudge_id).dumps(), callback_id=ViewId.NUDGE_SCHEDULE)


def _referrals_view(origin: Origin, nudge_id: int) -> dict[str, Any]:
    about = origin.services.nudges.wrap_up(origin.team_id, origin.user_id, nudge_id)
    return referrals_modal(about.contact_name, NudgeMetadata(nudge_id).dumps())


# The modals' submissions: check the form, act, close, redraw the DM ------------------------------


def save_notes(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    _submit(ack, view, client, context, "takeaways", check_notes, NudgeActions.notes)


def save_referrals(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    _submit(ack, view, client, context, "referral_1_name", check_referrals, NudgeActions.referrals)


def save_reschedule(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    _submit(ack, view, client, context, "starts_at", validate_interview, NudgeActions.reschedule)


def save_booking(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    _submit(ack, view, client, context, "starts_at", validate_interview, NudgeActions.book)


def draft_sent(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """The reminder's draft modal: "Sent it" counts as done."""
    _submit(ack, view, client, context, "draft", _nothing_to_check, _done)


def _submit(
    ack: Ack,
    view: dict,
    client: WebClient,
    context: BoltContext,
    error_block: str,
    check: Callable[[dict[str, str | None], datetime], T | dict[str, str]],
    run: Callable[[NudgeActions, str, str, int, T], Result],
) -> None:
    metadata = nudge_metadata(view.get("private_metadata"))
    if metadata is None:
        ack(response_action="errors", errors={error_block: OUT_OF_DATE})
        return
    origin = effects.origin_of(context, client)
    checked = check(form_values(view), origin.services.clock())
    if isinstance(checked, dict):
        ack(response_action="errors", errors=checked)
        return
    try:
        result = run(origin.services.nudges, origin.team_id, origin.user_id, metadata.nudge_id, checked)
    except ActionRefused as refusal:
        ack(response_action="errors", errors={error_block: str(refusal)[:150]})
        # The modal says why; the DM is redrawn as it stands (e.g. a reminder found out of date).
        effects.apply(origin, refusal.events)
        return
    ack()
    effects.apply(origin, result.events)


def _nothing_to_check(values: dict[str, str | None], now: datetime) -> bool:
    return True


def _done(nudges: NudgeActions, team_id: str, user_id: str, nudge_id: int, _checked: bool) -> Result:
    return nudges.done(team_id, user_id, nudge_id, None)


def check_notes(values: dict[str, str | None], now: datetime) -> NotesInput | dict[str, str]:
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


def check_referrals(values: dict[str, str | None], now: datetime) -> list[Referral] | dict[str, str]:
    people: list[Referral] = []
    errors: dict[str, str] = {}
    for n in range(1, REFERRAL_SLOTS + 1):
        fields = {f: clean_text(values.get(f"referral_{n}_{f}")) for f in ("name", "company", "role")}
        for field, text in fields.items():
            if len(text) > LIMITS[field]:
                errors[f"referral_{n}_{field}"] = f"Keep it under {LIMITS[field]} characters."
        if fields["name"]:
            people.append(Referral(fields["name"], fields["company"], fields["role"]))
        elif fields["company"] or fields["role"]:
            errors[f"referral_{n}_name"] = "Add the person's name too."
    if not people and not errors:
        errors["referral_1_name"] = "Give at least one name."
    return errors or people


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
