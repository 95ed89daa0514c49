"""The question bank: ``/infoint questions [theme]``, and preparing an interview's questions."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import questions as question_blocks
from bot.blocks.kit import clip, notice
from bot.domain.ids import ActionId, ViewId
from bot.domain.questions import find_theme, validate_selection
from bot.services import ActionRefused
from handlers import effects
from handlers.context import Invocation, services_of, team_of, user_of
from handlers.payloads import (
    BAD_INTERVIEW,
    OUT_OF_DATE,
    InterviewMetadata,
    action_value,
    interview_metadata,
    parse_interview,
)


def questions_command(call: Invocation) -> None:
    """``/infoint questions [theme]``: the themes, or one theme's questions."""
    if not call.args:
        call.ack(question_blocks.overview_message())
        return
    theme = find_theme(call.args)
    if theme is None:
        call.ack(question_blocks.unknown_theme_message(call.args))
        return
    call.ack(question_blocks.theme_message(theme))


def prepare_questions(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The "Prepare questions" (or "Change questions") button: the modal, with what was saved."""
    ack()
    interview_id = parse_interview(action_value(action))
    if interview_id is None:
        respond(notice(BAD_INTERVIEW))
        return
    origin = effects.origin_of(context, client, respond=respond)
    try:
        interview = origin.services.questions.load(origin.team_id, origin.user_id, interview_id)
    except ActionRefused as refusal:
        effects.refuse(origin, refusal)
        return
    view = question_blocks.prepare_modal(
        interview.contact_name,
        interview.starts_at,
        interview.questions,
        InterviewMetadata(interview.interview_id).dumps(),
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def save_questions(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    metadata = interview_metadata(view.get("private_metadata"))
    if metadata is None:
        ack(response_action="errors", errors={question_blocks.OWN_BLOCK: OUT_OF_DATE})
        return
    chosen, own = question_blocks.submitted_choices(view)
    checked = validate_selection(chosen, own)
    if isinstance(checked, dict):
        ack(response_action="errors", errors=question_blocks.form_errors(checked))
        return
    questions = services_of(context).questions
    try:
        result = questions.save(team_of(context), user_of(context), metadata.interview_id, checked)
    except ActionRefused as refusal:
        ack(response_action="errors", errors={question_blocks.OWN_BLOCK: clip(str(refusal), 300)})
        return
    # Saved: the form shows the list in place of a DM.
    prepared = result.prepared
    ack(
        response_action="update",
        view=question_blocks.prepared_modal(prepared.contact_name, prepared.starts_at, prepared.questions),
    )
    effects.apply(effects.origin_of(context, client), result.events)


def register(app: App) -> None:
    app.action(ActionId.PREPARE_QUESTIONS)(prepare_questions)
    app.view(ViewId.PREPARE_QUESTIONS)(save_questions)
