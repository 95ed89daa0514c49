"""Scheduling from /infoint schedule, the interview confirmation DM with its calendar file,
rescheduling and cancelling."""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.interviews import (
    interview_message,
    no_contacts_to_schedule,
    schedule_pick_modal,
)
from bot.blocks.kit import esc, notice
from bot.blocks.modals.schedule import schedule_modal
from bot.domain.calendar import filename, ics
from bot.domain.forms import validate_interview
from bot.domain.ids import ActionId, ViewId
from bot.interview_service import InterviewInfo, InterviewService
from bot.services import ActionRefused, Services
from handlers.commands import Invocation, subcommand
from handlers.common import form_values, message_location, parse_contact_value, team_of

log = logging.getLogger(__name__)


def send_confirmation(
    client: WebClient, services: Services, team_id: str, user_id: str, info: InterviewInfo, headline: str
) -> None:
    """The interview DM, then its calendar file in the same DM."""
    posted = client.chat_postMessage(channel=user_id, **interview_message(info, headline))
    channel = posted.get("channel")
    if channel:
        services.remember_user(team_id, user_id, dm_channel=channel)
    attach_calendar(client, services, team_id, str(channel or ""), info)


def attach_calendar(
    client: WebClient, services: Services, team_id: str, channel: str, info: InterviewInfo
) -> None:
    if not channel:
        return
    entry = info.calendar_entry(team_id, services.clock())
    try:
        client.files_upload_v2(
            channel=channel,
            content=ics(entry, services.clock()),
            filename=filename(entry),
            title="Cancellation for your calendar" if entry.cancelled else "Add to your calendar",
        )
    except SlackApiError as error:
        log.warning("could not attach the calendar file: %s", error.response.get("error"))


def _interview_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def _best_match(services: InterviewService, team_id: str, user_id: str, text: str) -> int | None:
    wanted = text.casefold().strip()
    if not wanted:
        return None
    for choice in services.choices(team_id, user_id):
        if wanted in choice.label.casefold():
            return choice.id
    return None


def register(app: App, services: Services) -> None:
    interviews = InterviewService(services.db, services.clock)

    @subcommand("schedule", "/infoint schedule [name]", "Book an interview with one of your contacts.")
    def schedule(call: Invocation) -> None:
        choices = interviews.choices(call.team_id, call.user_id)
        if not choices:
            call.ack(no_contacts_to_schedule())
            return
        call.ack()
        preselect = _best_match(interviews, call.team_id, call.user_id, call.args)
        _, timezone = services.preferences(call.team_id, call.user_id)
        call.client.views_open(
            trigger_id=call.trigger_id, view=schedule_pick_modal(choices, preselect, timezone)
        )

    @app.view(ViewId.SCHEDULE_PICK)
    def schedule_picked(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        values = form_values(view)
        picked = parse_contact_value(values.get("contact"))
        checked = validate_interview(values, services.clock())
        errors = dict(checked) if isinstance(checked, dict) else {}
        if picked is None:
            errors["contact"] = "Choose who the interview is with."
        if errors or isinstance(checked, dict):
            ack(response_action="errors", errors=errors)
            return
        assert picked is not None
        try:
            info = interviews.schedule(team_id, user_id, picked[0], picked[1], checked)
        except ActionRefused as refusal:
            ack(response_action="errors", errors={"contact": str(refusal)[:150]})
            return
        ack()
        send_confirmation(client, services, team_id, user_id, info, _scheduled(info))

    @app.action(ActionId.INTERVIEW_RESCHEDULE)
    def reschedule(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        interview_id = _interview_id(action.get("value"))
        try:
            if interview_id is None:
                raise ActionRefused("That button doesn't carry an interview I can read.")
            info = interviews.info(team_id, user_id, interview_id)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            return
        metadata = json.dumps({"interview": info.id})
        client.views_open(
            trigger_id=body["trigger_id"],
            view=schedule_modal(info.contact_name, metadata, callback_id=ViewId.RESCHEDULE_INTERVIEW),
        )

    @app.view(ViewId.RESCHEDULE_INTERVIEW)
    def rescheduled(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        try:
            interview_id = int(json.loads(view.get("private_metadata") or "{}")["interview"])
        except (ValueError, KeyError, TypeError):
            ack(
                response_action="errors",
                errors={"starts_at": "This form is out of date. Close it and try again."},
            )
            return
        checked = validate_interview(form_values(view), services.clock())
        if isinstance(checked, dict):
            ack(response_action="errors", errors=checked)
            return
        try:
            info = interviews.reschedule(team_id, user_id, interview_id, checked)
        except ActionRefused as refusal:
            ack(response_action="errors", errors={"starts_at": str(refusal)[:150]})
            return
        ack()
        name = esc(info.contact_name)
        send_confirmation(
            client, services, team_id, user_id, info, f"📅 Moved: your interview with *{name}*."
        )

    @app.action(ActionId.INTERVIEW_CANCEL)
    def cancel(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        interview_id = _interview_id(action.get("value"))
        try:
            if interview_id is None:
                raise ActionRefused("That button doesn't carry an interview I can read.")
            info = interviews.cancel(team_id, user_id, interview_id)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            return
        headline = f"❌ Cancelled: your interview with *{esc(info.contact_name)}*. Its reminders stop."
        message = interview_message(info, headline)
        where = message_location(body)
        if where:
            client.chat_update(channel=where[0], ts=where[1], **message)
        else:
            client.chat_postMessage(channel=user_id, **message)
        channel = where[0] if where else interviews.dm_channel(team_id, user_id)
        attach_calendar(client, services, team_id, channel or "", info)


def _scheduled(info: InterviewInfo) -> str:
    return f"📅 Interview with *{esc(info.contact_name)}* scheduled. Prepare your questions beforehand."
