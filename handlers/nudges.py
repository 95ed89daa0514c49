"""The buttons on nudge DMs and the modals they open."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.kit import notice
from bot.blocks.modals.draft import nudge_draft_modal
from bot.blocks.modals.notes import notes_modal
from bot.blocks.modals.referrals import REFERRAL_SLOTS, referrals_modal
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.forms import LIMITS, clean_text, validate_interview
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused, Services
from bot.services.events import Result
from bot.services.nudge_actions import NotesInput, Referral
from handlers import effects
from handlers.common import form_values, team_of

log = logging.getLogger(__name__)

BAD_BUTTON = "That button doesn't carry a reminder I can read."


def _nudge_id(raw: str | None) -> int | None:
    if raw and raw.isascii() and raw.isdigit() and len(raw) < 19:
        return int(raw)
    return None


def _metadata(view: dict[str, Any]) -> int | None:
    try:
        return int(json.loads(view.get("private_metadata") or "{}")["nudge"])
    except (ValueError, KeyError, TypeError):
        return None


def register(app: App, services: Services) -> None:
    nudges = services.nudges

    def clicked(
        run: Callable[[str, str, int, str | None, str], Result],
    ) -> Callable[..., None]:
        """A listener for a button (value = nudge id) or an overflow (value = "<nudge id>:<choice>")."""

        def listener(
            ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
        ) -> None:
            ack()
            team_id, user_id = team_of(context), body["user"]["id"]
            origin = effects.Origin(client, services, team_id, user_id, respond=respond)
            raw = (action.get("selected_option") or {}).get("value") or action.get("value") or ""
            raw_id, _, choice = raw.partition(":")
            nudge_id = _nudge_id(raw_id)
            if nudge_id is None:
                respond(notice(BAD_BUTTON))
                return
            ts = (body.get("container") or {}).get("message_ts")
            try:
                result = run(team_id, user_id, nudge_id, ts, choice)
            except ActionRefused as refusal:
                effects.refuse(origin, refusal)
                return
            effects.apply(origin, result.events)

        return listener

    app.action(ActionId.NUDGE_DONE)(clicked(lambda t, u, n, ts, _c: nudges.done(t, u, n, ts)))
    app.action(ActionId.NUDGE_MOVE_ON)(clicked(lambda t, u, n, ts, _c: nudges.move_on(t, u, n, ts)))
    app.action(ActionId.NUDGE_MISSED)(clicked(lambda t, u, n, ts, _c: nudges.missed(t, u, n, ts)))
    app.action(ActionId.NUDGE_SNOOZE)(clicked(nudges.snooze))
    app.action(ActionId.NUDGE_REPLY)(clicked(nudges.reply))

    def opener(make_view: Callable[[int, str, str], dict[str, Any]]) -> Callable[..., None]:
        """A button that opens a modal about its nudge (checked first, so a stale one says why)."""

        def listener(
            ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
        ) -> None:
            ack()
            team_id, user_id = team_of(context), body["user"]["id"]
            nudge_id = _nudge_id(action.get("value"))
            if nudge_id is None:
                respond(notice(BAD_BUTTON))
                return
            try:
                view = make_view(nudge_id, team_id, user_id)
            except ActionRefused as refusal:
                effects.refuse(effects.Origin(client, services, team_id, user_id, respond=respond), refusal)
                return
            client.views_open(trigger_id=body["trigger_id"], view=view)

        return listener

    def draft_view(nudge_id: int, team_id: str, user_id: str) -> dict[str, Any]:
        found = nudges.draft(team_id, user_id, nudge_id)
        return nudge_draft_modal(found, json.dumps({"nudge": nudge_id}))

    def notes_view(nudge_id: int, team_id: str, user_id: str) -> dict[str, Any]:
        about = nudges.wrap_up(team_id, user_id, nudge_id)
        return notes_modal(about.contact_name, json.dumps({"nudge": nudge_id}))

    def reschedule_view(nudge_id: int, team_id: str, user_id: str) -> dict[str, Any]:
        about = nudges.wrap_up(team_id, user_id, nudge_id)
        metadata = json.dumps({"nudge": nudge_id})
        return schedule_modal(about.contact_name, metadata, callback_id=ViewId.NUDGE_RESCHEDULE)

    def referrals_view(nudge_id: int, team_id: str, user_id: str) -> dict[str, Any]:
        about = nudges.wrap_up(team_id, user_id, nudge_id)
        return referrals_modal(about.contact_name, json.dumps({"nudge": nudge_id}))

    app.action(ActionId.NUDGE_DRAFT)(opener(draft_view))
    app.action(ActionId.NUDGE_NOTES)(opener(notes_view))
    app.action(ActionId.NUDGE_RESCHEDULE)(opener(reschedule_view))
    app.action(ActionId.NUDGE_REFERRALS)(opener(referrals_view))

    @app.action(ActionId.OPEN_MAILTO)
    def open_mailto(ack: Ack) -> None:
        ack()  # a link button: Slack opens the URL; the click still needs an answer

    def submitted(
        check: Callable[[dict[str, str | None]], Any],
        run: Callable[[str, str, int, Any], Result],
        error_block: str,
    ) -> Callable[..., None]:
        """A modal about a nudge: check the form, act, close, redraw the DM."""

        def listener(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
            team_id, user_id = team_of(context), body["user"]["id"]
            origin = effects.Origin(client, services, team_id, user_id)
            nudge_id = _metadata(view)
            if nudge_id is None:
                ack(
                    response_action="errors",
                    errors={error_block: "This form is out of date. Close it and try again."},
                )
                return
            checked = check(form_values(view))
            if isinstance(checked, dict):
                ack(response_action="errors", errors=checked)
                return
            try:
                result = run(team_id, user_id, nudge_id, checked)
            except ActionRefused as refusal:
                ack(response_action="errors", errors={error_block: str(refusal)[:150]})
                # The modal says why; the DM is redrawn as it stands (e.g. a reminder found out of date).
                effects.apply(origin, refusal.events)
                return
            ack()
            effects.apply(origin, result.events)

        return listener

    def check_notes(values: dict[str, str | None]) -> NotesInput | dict[str, str]:
        errors: dict[str, str] = {}
        texts = {
            f: clean_text(values.get(f), multiline=True) for f in ("takeaways", "advice", "action_items")
        }
        for field, text in texts.items():
            if len(text) > 2000:
                errors[field] = "Keep it under 2000 characters."
        if not any(texts.values()):
            errors["takeaways"] = "Write down at least one thing you learned."
        talk_again = values.get("talk_again") or ""
        if talk_again not in ("", "yes", "maybe", "no"):
            errors["talk_again"] = "Choose yes, maybe or no."
        return errors or NotesInput(texts["takeaways"], texts["advice"], texts["action_items"], talk_again)

    def check_referrals(values: dict[str, str | None]) -> list[Referral] | dict[str, str]:
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

    def check_draft(values: dict[str, str | None]) -> bool:
        return True

    def check_schedule(values: dict[str, str | None]) -> Any:
        return validate_interview(values, services.clock())

    app.view(ViewId.NOTES)(submitted(check_notes, nudges.notes, "takeaways"))
    app.view(ViewId.REFERRALS)(submitted(check_referrals, nudges.referrals, "referral_1_name"))
    app.view(ViewId.NUDGE_RESCHEDULE)(submitted(check_schedule, nudges.reschedule, "starts_at"))
    app.view(ViewId.NUDGE_DRAFT)(
        submitted(check_draft, lambda t, u, n, _ok: nudges.done(t, u, n, None), "draft")
    )
