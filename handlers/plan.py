"""The Monday plan's buttons: **Pick this week's targets** (and its modal), **Skip this week**,
**Pause my Monday plan**, and **Resume my Monday plan** on the App Home."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.modals.plan_targets import TARGETS_BLOCK, plan_targets_modal
from bot.domain.ids import ActionId, ViewId
from bot.services.events import Result
from handlers import effects
from handlers.effects import Origin
from handlers.flows import Click, act, opens, submit
from handlers.origins import in_home
from handlers.payloads import OUT_OF_DATE, REMINDER_BUTTON, NudgeMetadata, chosen_ids, nudge_metadata


def pick_targets(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_BUTTON, opens(_targets_view))


def _targets_view(click: Click[int]) -> dict[str, Any]:
    found = click.services.plan.targets(click.team_id, click.user_id, click.ref)
    return plan_targets_modal(found, NudgeMetadata(click.ref).dumps())


def save_targets(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    submit(ack, view, client, context, nudge_metadata, TARGETS_BLOCK, _picked, _pick)


def _picked(view: Mapping[str, Any], now: datetime) -> list[int] | dict[str, str]:
    ids = chosen_ids(view, TARGETS_BLOCK)
    return {TARGETS_BLOCK: OUT_OF_DATE} if ids is None else ids


def _pick(origin: Origin, about: NudgeMetadata, ids: list[int]) -> Result:
    return origin.services.plan.pick(origin.team_id, origin.user_id, about.nudge_id, ids)


def skip_week(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_BUTTON, _skip)


def _skip(click: Click[int]) -> Result:
    return click.services.plan.skip(click.team_id, click.user_id, click.ref)


def pause_plan(
    ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext, respond: Respond
) -> None:
    act(ack, body, action, client, context, respond, REMINDER_BUTTON, _pause)


def _pause(click: Click[int]) -> Result:
    return click.services.plan.pause(click.team_id, click.user_id, click.ref)


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
