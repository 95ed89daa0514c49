"""A student's data: ``/infoint export`` (a ZIP of CSV files in their DM) and ``/infoint forget-me``
(a confirmation modal, then everything of theirs in this workspace deleted, and what was, said in
the modal). The reads and the deletion are in :mod:`bot.queries.datarights` and
:mod:`bot.services.datarights`; the admin's command line does the same (``infoint export``,
``infoint forget``)."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.datarights import EXPORT_FAILED, PREPARING
from bot.blocks.kit import notice
from bot.blocks.modals.forget import forget_modal, forgotten_view
from bot.domain.ids import ViewId
from handlers import effects
from handlers.context import Invocation

log = logging.getLogger(__name__)


def export_command(call: Invocation) -> None:
    """``/infoint export``: answered at once; the ZIP follows in the user's DM with the app."""
    call.ack(notice(PREPARING))
    try:
        file = call.services.queries.datarights.export(call.team_id, call.user_id)
        posted = call.client.chat_postMessage(
            channel=call.user_id,
            text=f"📦 Your infoint data ({file.filename}): one CSV file per kind, with a README.",
        )
        call.client.files_upload_v2(
            channel=str(posted["channel"]),
            content=file.content,
            filename=file.filename,
            title="Your infoint data",
        )
    except SlackApiError as error:
        log.warning("could not send the export of %s: %s", call.user_id, error.response.get("error"))
        _tell(call, EXPORT_FAILED)
    except Exception:
        log.exception("the export of %s failed", call.user_id)
        _tell(call, EXPORT_FAILED)


def _tell(call: Invocation, text: str) -> None:
    if call.respond is None:
        return
    try:
        call.respond(notice(text))
    except Exception:
        log.exception("could not answer %s", call.user_id)


def forget_command(call: Invocation) -> None:
    """``/infoint forget-me``: the confirmation, with what would be deleted."""
    preview = call.services.queries.datarights.forget_preview(call.team_id, call.user_id)
    call.ack()
    call.client.views_open(trigger_id=call.trigger_id, view=forget_modal(preview))


def forget_confirmed(ack: Ack, client: WebClient, context: BoltContext) -> None:
    """The confirmation submitted: everything of the user's in this workspace goes; the modal says
    what did. Only the submitter is forgotten, whatever the view carries."""
    origin = effects.origin_of(context, client)
    forgotten = origin.services.datarights.forget_user(origin.team_id, origin.user_id)
    ack(response_action="update", view=forgotten_view(forgotten.erasure))
    effects.apply(origin, forgotten.events)


def register(app: App) -> None:
    app.view(ViewId.FORGET_ME)(forget_confirmed)
