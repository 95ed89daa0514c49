"""The Monday plan's buttons: **Pick this week's targets** (and its modal), **Skip this week**,
**Pause my Monday plan**, and **Resume my Monday plan** on the App Home."""

from __future__ import annotations

from functools import partial

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.kit import notice
from bot.blocks.modals.plan_targets import TARGETS_BLOCK, plan_targets_modal
from bot.domain.ids import ActionId, ViewId
from bot.services import ActionRefused
from handlers import effects
from handlers.payloads import (
    BAD_NUDGE,
    OUT_OF_DATE,
    NudgeMetadata,
    action_value,
    chosen_ids,
    in_home,
    nudge_metadata,
    parse_nudge,
)


def pick_targets(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    ack()
    ref = parse_nudge(action_value(action))
    if ref is None or ref.choice is not None:
        respond(notice(BAD_NUDGE))
        return
    origin = effects.origin_of(context, client, respond=respond)
    try:
        found = origin.services.plan.targets(origin.team_id, origin.user_id, ref.nudge_id)
    except ActionRefused as refusal:
        effects.refuse(origin, refusal)
        return
    client.views_open(
        trigger_id=body["trigger_id"], view=plan_targets_modal(found, NudgeMetadata(ref.nudge_id).dumps())
    )


def save_targets(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    metadata = nudge_metadata(view.get("private_metadata"))
    ids = chosen_ids(view, TARGETS_BLOCK)
    if metadata is None or ids is None:
        ack(response_action="errors", errors={TARGETS_BLOCK: OUT_OF_DATE})
        return
    origin = effects.origin_of(context, client)
    try:
        result = origin.services.plan.pick(origin.team_id, origin.user_id, metadata.nudge_id, ids)
    except ActionRefused as refusal:
        ack(response_action="errors", errors={TARGETS_BLOCK: str(refusal)[:150]})
        return
    ack()
    effects.apply(origin, result.events)


def skip_week(ack: Ack, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    _on_plan(action, client, context, respond, "skip")


def pause_plan(ack: Ack, action: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    ack()
    _on_plan(action, client, context, respond, "pause")


def _on_plan(action: dict, client: WebClient, context: BoltContext, respond: Respond, what: str) -> None:
    ref = parse_nudge(action_value(action))
    if ref is None or ref.choice is not None:
        respond(notice(BAD_NUDGE))
        return
    origin = effects.origin_of(context, client, respond=respond)
    plan = origin.services.plan
    act = plan.skip if what == "skip" else plan.pause
    effects.settle(origin, partial(act, origin.team_id, origin.user_id, ref.nudge_id))


def resume_plan(ack: Ack, body: dict, client: WebClient, context: BoltContext, respond: Respond) -> None:
    """ "Resume my Monday plan" on the App Home."""
    ack()
    origin = effects.origin_of(context, client, respond=respond, home=in_home(body))
    result = origin.services.plan.resume(origin.team_id, origin.user_id)
    if origin.home:
        effects.publish_home(origin, news="▶️ Your Monday plan is back: the next one comes on Monday morning.")
        return
    effects.apply(origin, result.events)


def register(app: App) -> None:
    app.action(ActionId.PLAN_PICK_TARGETS)(pick_targets)
    app.view(ViewId.PLAN_TARGETS)(save_targets)
    app.action(ActionId.PLAN_SKIP_WEEK)(skip_week)
    app.action(ActionId.PLAN_PAUSE)(pause_plan)
    app.action(ActionId.PLAN_RESUME)(resume_plan)
