"""The question bank: ``/infoint questions [theme]``, and preparing an interview's questions."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import questions as question_blocks
from bot.blocks.kit import clip, esc, notice
from bot.domain.ids import ActionId, ViewId
from bot.domain.questions import find_theme, validate_selection
from bot.services import ActionRefused, Services
from handlers import effects
from handlers.commands import Invocation, subcommand
from handlers.common import team_of

BAD_BUTTON = "That button doesn't carry an interview I can read."
OUT_OF_DATE = "This form is out of date. Close it and try again."


@subcommand(
    "questions",
    "/infoint questions [theme]",
    "Question ideas for your interviews, by theme: career, company, role, field, advice.",
)
def _questions(call: Invocation) -> None:
    if not call.args:
        call.ack(question_blocks.overview_message())
        return
    theme = find_theme(call.args)
    if theme is None:
        call.ack(question_blocks.unknown_theme_message(call.args))
        return
    call.ack(question_blocks.theme_message(theme))


def _interview_id(raw: Any) -> int | None:
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 19:
        return int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 10**18:
        return raw
    return None


def _metadata_interview(view: dict[str, Any]) -> int | None:
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    return _interview_id(metadata.get("interview")) if isinstance(metadata, dict) else None


def register(app: App, services: Services) -> None:
    @app.action(ActionId.PREPARE_QUESTIONS)
    def prepare_questions(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = team_of(context), body["user"]["id"]
        interview_id = _interview_id(action.get("value"))
        if interview_id is None:
            respond(notice(BAD_BUTTON))
            return
        try:
            interview = services.questions.load(team_id, user_id, interview_id)
        except ActionRefused as refusal:
            respond(notice(esc(str(refusal))))
            return
        view = question_blocks.prepare_modal(
            interview.contact_name,
            interview.starts_at,
            interview.questions,
            json.dumps({"interview": interview.interview_id}),
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(ViewId.PREPARE_QUESTIONS)
    def save_questions(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        team_id, user_id = team_of(context), body["user"]["id"]
        interview_id = _metadata_interview(view)
        if interview_id is None:
            ack(response_action="errors", errors={question_blocks.OWN_BLOCK: OUT_OF_DATE})
            return
        chosen, own = question_blocks.submitted_choices(view)
        checked = validate_selection(chosen, own)
        if isinstance(checked, dict):
            ack(response_action="errors", errors=question_blocks.form_errors(checked))
            return
        try:
            result = services.questions.save(team_id, user_id, interview_id, checked)
        except ActionRefused as refusal:
            ack(response_action="errors", errors={question_blocks.OWN_BLOCK: clip(str(refusal), 300)})
            return
        ack()
        effects.apply(effects.Origin(client, services, team_id, user_id), result.events)
