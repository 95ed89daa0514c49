"""A student's own buttons and modals in a cohort: pause and back to active (their row redrawn), a
placement (what, when, optionally which conversation led to it), what the mentors see (counts or
stages, one contact, one interview's takeaways, shared and unshared explicitly), and who looked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.cohorts import looks_message, me_message
from bot.blocks.modals.cohorts import CELEBRATE, placement_modal, sharing_modal
from bot.domain.cohorts import CohortAction, MemberState, ShareKind, validate_placement
from bot.domain.ids import ActionId, ViewId
from bot.domain.window import zone
from bot.services import ActionRefused
from handlers import effects
from handlers.cohort_actions import STATES, ephemeral_answer, open_about_cohort, origin_of_click, refuse
from handlers.cohort_effects import tell
from handlers.cohort_payloads import (
    CohortMetadata,
    cohort_metadata,
    parse_cohort,
    parse_cohort_choice,
    parse_share_item,
    parse_sharing,
)
from handlers.context import services_of, team_of, user_of
from handlers.effects import Origin
from handlers.payloads import BAD_COHORT, OUT_OF_DATE, action_value, form_values, parse_id, ticked


def state_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """Pause / Back to active, from the student's own row (which is then redrawn)."""
    ack()
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort_choice(action_value(action), STATES)
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    reads = origin.services.cohort_reads
    try:
        result = origin.services.cohorts.set_state(
            origin.team_id, origin.user_id, ref.cohort_id, MemberState(ref.choice)
        )
        mine = reads.me(origin.team_id, origin.user_id, ref.cohort_id)
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    if origin.respond is not None:
        origin.respond({**me_message(mine), "replace_original": True})
    effects.apply(origin, result.events)


def placed_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort(action_value(action))
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    services = origin.services
    try:
        services.cohort_reads.info(origin.team_id, origin.user_id, ref.cohort_id, CohortAction.OWN_ROW)
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    _, timezone = services.queries.users.preferences(origin.team_id, origin.user_id)
    today = services.clock().astimezone(zone(timezone)).date()
    contacts = [
        (str(c.id), c.label) for c in services.queries.contacts.choices(origin.team_id, origin.user_id)
    ]
    metadata = CohortMetadata(ref.cohort_id).dumps()
    client.views_open(trigger_id=body["trigger_id"], view=placement_modal(contacts, today, metadata))


def placed_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    meta = cohort_metadata(view.get("private_metadata"))
    if meta is None:
        ack(response_action="errors", errors={"what": OUT_OF_DATE})
        return
    services = services_of(context)
    _, timezone = services.queries.users.preferences(team_of(context), user_of(context))
    placement = validate_placement(form_values(view), services.clock().astimezone(zone(timezone)).date())
    if isinstance(placement, dict):
        ack(response_action="errors", errors=placement)
        return
    try:
        result = services.cohorts.set_state(
            team_of(context), user_of(context), meta.cohort_id, MemberState.PLACED, placement
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"what": str(refusal)})
        return
    ack()
    origin = effects.origin_of(context, client)
    ephemeral_answer(
        origin, result.cohort.channel_id, "🎉 Congratulations! Your mentors will see it in your row."
    )
    effects.apply(origin, result.events)


def sharing_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    open_about_cohort(
        body,
        action,
        client,
        context,
        respond,
        _share_choices,
        _sharing_view,
    )


def _share_choices(origin: Origin, cohort_id: int) -> Any:
    return origin.services.cohort_reads.share_choices(origin.team_id, origin.user_id, cohort_id)


def _sharing_view(choices: Any, cohort_id: int) -> dict[str, Any]:
    return sharing_modal(choices, CohortMetadata(cohort_id).dumps())


def sharing_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    meta = cohort_metadata(view.get("private_metadata"))
    values = form_values(view)
    level = parse_sharing(values.get("sharing"))
    if meta is None or level is None:
        ack(response_action="errors", errors={"sharing": OUT_OF_DATE})
        return
    share = [
        (kind, item)
        for kind, field in ((ShareKind.CONTACT, "share_contact"), (ShareKind.INTERVIEW, "share_interview"))
        if (item := parse_id(values.get(field))) is not None
    ]
    services, team, user = services_of(context), team_of(context), user_of(context)
    try:
        shared = services.cohort_reads.share_choices(team, user, meta.cohort_id).shared
        kept = {found for raw in ticked(view, "keep") if (found := parse_share_item(raw)) is not None}
        dropped = [(i.kind, i.item_id) for i in shared[:10] if (i.kind, i.item_id) not in kept]
        result = services.cohorts.save_sharing(
            team,
            user,
            meta.cohort_id,
            level,
            CELEBRATE in ticked(view, "celebrate"),
            share,
            dropped,
        )
    except ActionRefused as refusal:
        ack(response_action="errors", errors={"sharing": str(refusal)})
        return
    ack()
    effects.apply(effects.origin_of(context, client), result.events)


def who_looked_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    origin = origin_of_click(context, client, body, respond)
    ref = parse_cohort(action_value(action))
    if ref is None:
        tell(origin, BAD_COHORT)
        return
    try:
        info, looks = origin.services.cohort_reads.who_looked(origin.team_id, origin.user_id, ref.cohort_id)
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    if origin.respond is not None:
        origin.respond(looks_message(info, looks))


def register(app: App) -> None:
    app.action(ActionId.COHORT_STATE)(state_clicked)
    app.action(ActionId.COHORT_PLACED)(placed_clicked)
    app.view(ViewId.COHORT_PLACED)(placed_submitted)
    app.action(ActionId.COHORT_SHARING)(sharing_clicked)
    app.view(ViewId.COHORT_SHARING)(sharing_submitted)
    app.action(ActionId.COHORT_WHO_LOOKED)(who_looked_clicked)
