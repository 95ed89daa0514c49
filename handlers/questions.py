"""The question bank: ``/infoint questions [theme]``, and preparing an interview's questions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import questions as question_blocks
from bot.blocks.kit import clip
from bot.blocks.questions import OWN_BLOCK
from bot.domain.ids import ActionId, ViewId
from bot.domain.questions import find_theme, validate_selection
from bot.services.events import QuestionsResult
from handlers.context import Invocation
from handlers.effects import Origin
from handlers.flows import Click, act, opens, submit
from handlers.payloads import INTERVIEW_BUTTON, InterviewMetadata, interview_metadata


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
    act(ack, body, action, client, context, respond, INTERVIEW_BUTTON, opens(_prepare_view))


def _prepare_view(click: Click[int]) -> dict[str, Any]:
    interview = click.services.questions.load(click.team_id, click.user_id, click.ref)
    return question_blocks.prepare_modal(
        interview.contact_name,
        interview.starts_at,
        interview.questions,
        InterviewMetadata(interview.interview_id).dumps(),
    )


def save_questions(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    submit(
        ack, view, client, context, interview_metadata, OWN_BLOCK, _chosen, _save, words=_said, shown=_shown
    )


def _chosen(view: Mapping[str, Any], now: datetime) -> tuple[str, ...] | dict[str, str]:
    """The questions checked and typed, or the errors by block."""
    checked = validate_selection(*question_blocks.submitted_choices(view))
    return question_blocks.form_errors(checked) if isinstance(checked, dict) else checked


def _said(refusal: str) -> str:
    return clip(refusal, 300)


def _shown(result: QuestionsResult) -> dict[str, Any]:
    """Saved: the form shows the list, in place of a DM."""
    prepared = result.prepared
    return question_blocks.prepared_modal(prepared.contact_name, prepared.starts_at, prepared.questions)


def _save(origin: Origin, about: InterviewMetadata, questions: tuple[str, ...]) -> QuestionsResult:
    return origin.services.questions.save(origin.team_id, origin.user_id, about.interview_id, questions)


def register(app: App) -> None:
    app.action(ActionId.PREPARE_QUESTIONS)(prepare_questions)
    app.view(ViewId.PREPARE_QUESTIONS)(save_questions)
