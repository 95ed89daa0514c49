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
from bot.services.events import Result
from handlers import effects
from handlers.cohort_actions import ephemeral_answer
from handlers.cohort_payloads import (
    COHORT_BUTTON,
    COHORT_STATE,
    CohortMetadata,
    CohortRef,
    cohort_metadata,
    parse_share_item,
    parse_sharing,
)
from handlers.context import services_of, team_of, user_of
from handlers.effects import Done
from handlers.flows import Click, act, opens
from handlers.payloads import OUT_OF_DATE, form_values, parse_id, ticked


def state_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """Pause / Back to active, from the student's own row (which is then redrawn)."""
    act(ack, body, action, client, context, respond, COHORT_STATE, _state)


def _state(click: Click[CohortRef]) -> Done:
    ref, origin = click.ref, click.origin
    cohorts, reads = click.services.cohorts, click.services.cohort_reads
    result = cohorts.set_state(click.team_id, click.user_id, ref.cohort_id, MemberState(ref.choice))
    mine = reads.me(click.team_id, click.user_id, ref.cohort_id)
    if origin.respond is not None:
        origin.respond({**me_message(mine), "replace_original": True})
    return result


def placed_clicked(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, COHORT_BUTTON, opens(_placement_view))


def _placement_view(click: Click[CohortRef]) -> dict[str, Any]:
    services, team, user = click.services, click.team_id, click.user_id
    services.cohort_reads.info(team, user, click.ref.cohort_id, CohortAction.OWN_ROW)
    _, timezone = services.queries.users.preferences(team, user)
    today = services.clock().astimezone(zone(timezone)).date()
    contacts = [(str(c.id), c.label) for c in services.queries.contacts.choices(team, user)]
    return placement_modal(contacts, today, CohortMetadata(click.ref.cohort_id).dumps())


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
    act(ack, body, action, client, context, respond, COHORT_BUTTON, opens(_sharing_view))


def _sharing_view(click: Click[CohortRef]) -> dict[str, Any]:
    cohort_id = click.ref.cohort_id
    choices = click.services.cohort_reads.share_choices(click.team_id, click.user_id, cohort_id)
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
    act(ack, body, action, client, context, respond, COHORT_BUTTON, _who_looked)


def _who_looked(click: Click[CohortRef]) -> Result:
    info, looks = click.services.cohort_reads.who_looked(click.team_id, click.user_id, click.ref.cohort_id)
    if click.origin.respond is not None:
        click.origin.respond(looks_message(info, looks))
    return Result()


def register(app: App) -> None:
    app.action(ActionId.COHORT_STATE)(state_clicked)
    app.action(ActionId.COHORT_PLACED)(placed_clicked)
    app.view(ViewId.COHORT_PLACED)(placed_submitted)
    app.action(ActionId.COHORT_SHARING)(sharing_clicked)
    app.view(ViewId.COHORT_SHARING)(sharing_submitted)
    app.action(ActionId.COHORT_WHO_LOOKED)(who_looked_clicked)
