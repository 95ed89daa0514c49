"""The cohort buttons and modals: Join (the consent modal, then joining), the report's pages and CSV,
a student's detail, notes and nudges (asking first the second time in a day), a student's state,
placement and sharing, who looked, the mentor's settings and co-mentors.

Values and metadata are read by :mod:`handlers.payloads`; what may be done is the services' call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.cohort_dms import ask_again_message
from bot.blocks.cohorts import report_message, report_modal, student_modal
from bot.blocks.kit import esc
from bot.blocks.modals.cohorts import CELEBRATE, join_modal, note_modal
from bot.domain.cohort_digest import validate_digest_schedule
from bot.domain.cohorts import (
    CohortAction,
    MemberState,
    SharingLevel,
    validate_note,
    validate_targets,
)
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused
from handlers import effects, whose
from handlers.cohort_effects import message_of, send_file, tell
from handlers.cohort_payloads import (
    CohortMetadata,
    cohort_metadata,
    parse_cohort,
    parse_cohort_page,
    parse_cohort_student,
    parse_sharing,
)
from handlers.context import services_of, team_of, user_of
from handlers.effects import Origin
from handlers.payloads import BAD_COHORT, OUT_OF_DATE, action_value, form_values, ticked

STATES = frozenset({MemberState.ACTIVE.value, MemberState.PAUSED.value})

T = TypeVar("T")


def origin_of_click(
    context: BoltContext, client: WebClient, body: Mapping[str, Any], respond: Respond
) -> Origin:
    """Who clicked; answers go through the click's response_url when it has one (not in a modal)."""
    return effects.origin_of(context, client, respond=respond if body.get("response_url") else None)


def _in_modal(body: Mapping[str, Any]) -> bool:
    view = body.get("view")
    return isinstance(view, Mapping) and view.get("type") == "modal"


def _show(client: WebClient, body: Mapping[str, Any], view: dict[str, Any]) -> None:
    """Open a modal, on top of the one clicked in if any; keyed to the user (:mod:`handlers.whose`)."""
    user = body.get("user")
    if isinstance(user, Mapping) and isinstance(user.get("id"), str):
        view = whose.keyed(view, user["id"])
    if _in_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def refuse(origin: Origin, refusal: ActionRefused) -> None:
    tell(origin, esc(str(refusal)))


def open_about_cohort(
    body: dict,
    action: dict,
    client: WebClient,
    context: BoltContext,
    respond: Respond,
    read: Callable[[Origin, int], T],
    view: Callable[[T, int], dict[str, Any]],
) -> None:
    """A button naming a cohort that opens a modal: the cohort read (``read``, refused in the user's
    words), then the modal built from it (``view``)."""
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort(action_value(action))
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    try:
        found = read(origin, ref.cohort_id)
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    client.views_open(
        trigger_id=body["trigger_id"], view=whose.keyed(view(found, ref.cohort_id), origin.user_id)
    )


# Joining -------------------------------------------------------------------------------------------


def join_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The announcement's Join: the consent preview first."""
    ack()
    open_about_cohort(
        body,
        action,
        client,
        context,
        respond,
        _join_preview,
        _join_view,
    )


def _join_preview(origin: Origin, cohort_id: int) -> Any:
    return origin.services.cohort_reads.join_preview(origin.team_id, origin.user_id, cohort_id)


def _join_view(preview: Any, cohort_id: int) -> dict[str, Any]:
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
    ack()
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort_page(action_value(action))
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    try:
        report = origin.services.cohort_reads.report(origin.team_id, origin.user_id, ref.cohort_id, ref.page)
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    if _in_modal(body):
        whose.update_view(client, origin.user_id, body.get("view"), report_modal(report))
    elif origin.respond is not None:
        origin.respond(report_message(report, replace=True))


def open_report(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The App Home's "Open the report": its first page in a modal."""
    ack()
    open_about_cohort(
        body,
        action,
        client,
        context,
        respond,
        _report_of,
        _report_view,
    )


def _report_of(origin: Origin, cohort_id: int) -> Any:
    return origin.services.cohort_reads.report(origin.team_id, origin.user_id, cohort_id)


def _report_view(report: Any, _cohort_id: int) -> dict[str, Any]:
    return report_modal(report)


def csv_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort(action_value(action))
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    try:
        file = origin.services.cohort_reads.report_file(origin.team_id, origin.user_id, ref.cohort_id)
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    send_file(origin, file, "The cohort report")


def student_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """A row's "Open": the student's detail (their row, what they shared, the mentors' notes)."""
    ack()
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort_student(action_value(action))
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    try:
        detail = origin.services.cohort_reads.student(
            origin.team_id, origin.user_id, ref.cohort_id, ref.student
        )
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    _show(client, body, student_modal(detail))


# Notes and nudges ---------------------------------------------------------------------------------------


def note_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort_student(action_value(action))
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    try:
        origin.services.cohort_reads.info(origin.team_id, origin.user_id, ref.cohort_id, CohortAction.NOTE)
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    _show(client, body, note_modal(ref.student, CohortMetadata(ref.cohort_id, ref.student).dumps()))


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


def _nudge(
    body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond, confirmed: bool
) -> None:
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort_student(action_value(action))
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    try:
        result = origin.services.cohorts.nudge(
            origin.team_id, origin.user_id, ref.cohort_id, ref.student, confirmed
        )
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    if result.ask_first:
        message = ask_again_message(result.cohort, ref.student)
        if origin.respond is not None:
            origin.respond(message)
        else:
            client.chat_postMessage(channel=origin.user_id, text=message["text"], blocks=message["blocks"])
        return
    effects.apply(origin, result.events)


def nudge_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """Send a nudge: a friendly DM from the mentor; a second one the same day asks first."""
    ack()
    _nudge(body, action, client, context, respond, confirmed=False)


def nudge_again_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    _nudge(body, action, client, context, respond, confirmed=True)


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
