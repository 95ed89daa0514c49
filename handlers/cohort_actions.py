"""The cohort buttons and modals: Join (the consent modal, then joining), the report's pages and CSV,
a student's detail, notes and nudges (asking first the second time in a day), a student's state,
placement and sharing, who looked, the mentor's settings and co-mentors.

Values and metadata are read by :mod:`handlers.payloads`; what may be done is the services' call.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.cohort_dms import ask_again_message
from bot.blocks.cohorts import report_message, report_modal, student_modal
from bot.blocks.kit import esc
from bot.blocks.modals.cohorts import CELEBRATE, join_modal, note_modal
from bot.domain.cohort_digest import validate_digest_schedule
from bot.domain.cohorts import CohortAction, SharingLevel, validate_note, validate_targets
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused
from bot.services.events import Result
from handlers import effects, whose
from handlers.cohort_effects import message_of, send_file, tell
from handlers.cohort_payloads import (
    COHORT_BUTTON,
    COHORT_PAGE,
    COHORT_STUDENT,
    CohortMetadata,
    CohortRef,
    cohort_metadata,
    parse_sharing,
)
from handlers.context import services_of, team_of, user_of
from handlers.effects import Done, Origin
from handlers.flows import Click, act, opens
from handlers.origins import in_modal
from handlers.payloads import OUT_OF_DATE, form_values, ticked

# Joining -------------------------------------------------------------------------------------------


def join_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The announcement's Join: the consent preview first."""
    act(ack, body, action, client, context, respond, COHORT_BUTTON, opens(_join_view))


def _join_view(click: Click[CohortRef]) -> dict[str, Any]:
    cohort_id = click.ref.cohort_id
    preview = click.services.cohort_reads.join_preview(click.team_id, click.user_id, cohort_id)
    return join_modal(preview, CohortMetadata(cohort_id).dumps())


def join_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    meta = cohort_metadata(view.get("private_metadata"))
    if meta is None:
        ack(response_action="errors", errors={"sharing": OUT_OF_DATE})
        return
    level = parse_sharing(form_values(view).get("sharing") or SharingLevel.COUNTS.value)
    if level is None:
        ack(response_action="errors", errors={"sharing": "Pick what your mentors may see."})
        return
    services = services_of(context)
    try:
        result = services.cohorts.join(
            team_of(context), user_of(context), meta.cohort_id, level, CELEBRATE in ticked(view, "celebrate")
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"sharing": str(refusal)})
        return
    ack()
    origin = effects.origin_of(context, client)
    ephemeral_answer(
        origin,
        result.cohort.channel_id,
        f"✅ You joined *{esc(result.cohort.name)}*. `/infoint cohort me` here shows your row, your week, "
        "and who looked.",
    )
    effects.apply(origin, result.events)


def ephemeral_answer(origin: Origin, channel: str, text: str) -> None:
    """An answer only the user sees, in the cohort's channel (else by the usual way)."""
    try:
        origin.client.chat_postEphemeral(channel=channel, user=origin.user_id, **message_of(text))
    except SlackApiError:
        tell(origin, text)


# The report --------------------------------------------------------------------------------------------


def page_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """Previous / Next: the page replaces the one clicked (a message, or the report's modal)."""
    act(ack, body, action, client, context, respond, COHORT_PAGE, _page)


def _page(click: Click[CohortRef]) -> Result:
    ref, origin = click.ref, click.origin
    report = click.services.cohort_reads.report(click.team_id, click.user_id, ref.cohort_id, ref.page)
    if in_modal(click.body):
        whose.update_view(origin.client, click.user_id, click.body.get("view"), report_modal(report))
    elif origin.respond is not None:
        origin.respond(report_message(report, replace=True))
    return Result()


def open_report(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The App Home's "Open the report": its first page in a modal."""
    act(ack, body, action, client, context, respond, COHORT_BUTTON, opens(_report_view))


def _report_view(click: Click[CohortRef]) -> dict[str, Any]:
    return report_modal(click.services.cohort_reads.report(click.team_id, click.user_id, click.ref.cohort_id))


def csv_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, COHORT_BUTTON, _csv)


def _csv(click: Click[CohortRef]) -> Result:
    file = click.services.cohort_reads.report_file(click.team_id, click.user_id, click.ref.cohort_id)
    send_file(click.origin, file, "The cohort report")
    return Result()


def student_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """A row's "Open": the student's detail (their row, what they shared, the mentors' notes)."""
    act(ack, body, action, client, context, respond, COHORT_STUDENT, opens(_student_view))


def _student_view(click: Click[CohortRef]) -> dict[str, Any]:
    ref = click.ref
    return student_modal(
        click.services.cohort_reads.student(click.team_id, click.user_id, ref.cohort_id, ref.student)
    )


# Notes and nudges ---------------------------------------------------------------------------------------


def note_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, COHORT_STUDENT, opens(_note_view))


def _note_view(click: Click[CohortRef]) -> dict[str, Any]:
    ref = click.ref
    click.services.cohort_reads.info(click.team_id, click.user_id, ref.cohort_id, CohortAction.NOTE)
    return note_modal(ref.student, CohortMetadata(ref.cohort_id, ref.student).dumps())


def note_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    meta = cohort_metadata(view.get("private_metadata"))
    if meta is None or not meta.student:
        ack(response_action="errors", errors={"note": OUT_OF_DATE})
        return
    body = validate_note(form_values(view).get("note"))
    if isinstance(body, dict):
        ack(response_action="errors", errors=body)
        return
    try:
        services_of(context).cohorts.add_note(
            team_of(context), user_of(context), meta.cohort_id, meta.student, body
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"note": str(refusal)})
        return
    ack()


def _nudge(confirmed: bool, click: Click[CohortRef]) -> Done:
    ref, origin = click.ref, click.origin
    result = click.services.cohorts.nudge(click.team_id, click.user_id, ref.cohort_id, ref.student, confirmed)
    if not result.ask_first:
        return result
    message = ask_again_message(result.cohort, ref.student)
    if origin.respond is not None:
        origin.respond(message)
    else:
        origin.client.chat_postMessage(channel=click.user_id, text=message["text"], blocks=message["blocks"])
    return Result()


def nudge_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """Send a nudge: a friendly DM from the mentor; a second one the same day asks first."""
    act(ack, body, action, client, context, respond, COHORT_STUDENT, partial(_nudge, False))


def nudge_again_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, COHORT_STUDENT, partial(_nudge, True))


# The mentor's modals -------------------------------------------------------------------------------------


def settings_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    meta = cohort_metadata(view.get("private_metadata"))
    if meta is None:
        ack(response_action="errors", errors={"requests": OUT_OF_DATE})
        return
    values = form_values(view)
    targets, schedule = validate_targets(values), validate_digest_schedule(values)
    errors = {
        **(targets if isinstance(targets, dict) else {}),
        **(schedule if isinstance(schedule, dict) else {}),
    }
    if isinstance(targets, dict) or isinstance(schedule, dict):
        ack(response_action="errors", errors=errors)
        return
    try:
        services_of(context).cohorts.save_settings(
            team_of(context), user_of(context), meta.cohort_id, targets, schedule
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"requests": str(refusal)})
        return
    ack()


def mentor_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    meta = cohort_metadata(view.get("private_metadata"))
    chosen = form_values(view).get("mentor")
    if meta is None or not chosen:
        ack(response_action="errors", errors={"mentor": OUT_OF_DATE if meta is None else "Pick someone."})
        return
    try:
        result = services_of(context).cohorts.add_mentor(
            team_of(context), user_of(context), meta.cohort_id, chosen
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"mentor": str(refusal)})
        return
    ack()
    effects.apply(effects.origin_of(context, client), result.events)


def register(app: App) -> None:
    app.action(ActionId.COHORT_JOIN)(join_clicked)
    app.view(ViewId.COHORT_JOIN)(join_submitted)
    app.action(ActionId.COHORT_PREVIOUS)(page_clicked)
    app.action(ActionId.COHORT_NEXT)(page_clicked)
    app.action(ActionId.COHORT_OPEN_REPORT)(open_report)
    app.action(ActionId.COHORT_CSV)(csv_clicked)
    app.action(ActionId.COHORT_STUDENT)(student_clicked)
    app.action(ActionId.COHORT_NOTE)(note_clicked)
    app.view(ViewId.COHORT_NOTE)(note_submitted)
    app.action(ActionId.COHORT_NUDGE)(nudge_clicked)
    app.action(ActionId.COHORT_NUDGE_AGAIN)(nudge_again_clicked)
    app.view(ViewId.COHORT_SETTINGS)(settings_submitted)
    app.view(ViewId.COHORT_MENTOR)(mentor_submitted)
