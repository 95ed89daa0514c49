"""``/infoint cohort …``: the cohort subcommands, typed in the cohort's channel.

A cohort is a channel: every subcommand but help needs one (in a DM, the answer says so), and finds
its cohort by the channel it was typed in. Answers only the user sees come back through the
command's acknowledgement or its response_url; the channel sees the announcement, the closing
notice and the weekly digest. Buttons and modals are in :mod:`handlers.cohort_actions`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Concatenate, ParamSpec, TypeVar

from slack_sdk.errors import SlackApiError

from bot.blocks.cohorts import looks_message, me_message, report_message
from bot.blocks.help import help_message
from bot.blocks.kit import esc, notice
from bot.blocks.modals.cohorts import join_modal, mentor_modal, settings_modal, sharing_modal
from bot.domain.cohorts import CohortAction, MemberState
from bot.services import ActionRefused
from handlers import effects
from handlers.cohort_effects import send_file
from handlers.cohort_payloads import CohortMetadata
from handlers.context import Invocation

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

IN_A_CHANNEL = (
    "Cohorts live in channels: type `/infoint cohort …` in the cohort's channel. To start one, create a "
    "channel, add me with `/invite @infoint`, and type `/infoint cohort create` there."
)
ADD_ME = (
    "I'm not in this channel yet, and I only join where I'm invited. Add me with `/invite @infoint` "
    "(in a private channel too), then type `/infoint cohort create` again."
)


@dataclass(frozen=True)
class CohortSubcommand:
    name: str
    usage: str
    description: str
    run: Callable[[Invocation], None]


def _unless_refused(
    call: Invocation, ask: Callable[Concatenate[str, str, str, P], T], *args: P.args, **kwargs: P.kwargs
) -> T | None:
    """``ask`` (a service call or a read) for the user who typed the command, in its channel: what it
    returns, or None once the user has been told why it was refused."""
    try:
        return ask(call.team_id, call.user_id, call.channel_id, *args, **kwargs)
    except ActionRefused as refusal:
        call.ack(notice(esc(str(refusal))))
        return None


# Mentors -------------------------------------------------------------------------------------------


def channel_of(call: Invocation) -> dict[str, Any] | None:
    """The channel as the app sees it (``conversations.info``); None when it can't (a private channel
    it isn't in)."""
    try:
        channel = call.client.conversations_info(channel=call.channel_id).get("channel")
    except SlackApiError as error:
        log.info("conversations.info %s: %s", call.channel_id, error.response.get("error"))
        return None
    return channel if isinstance(channel, dict) else None


def create(call: Invocation) -> None:
    """``/infoint cohort create [name]``: the channel becomes a cohort, the caller its mentor. Only
    where the app was invited: joining a channel is the members' consent, not ``chat:write.public``."""
    channel = channel_of(call)
    if channel is None or not channel.get("is_member"):
        call.ack(notice(ADD_ME))
        return
    origin = effects.origin_of(call.context, call.client, respond=call.respond)
    effects.learn_timezone(origin, call.user_id)  # the digest's default time is the mentor's 09:00
    name = call.args or str(channel.get("name") or "")
    result = _unless_refused(call, call.services.cohorts.create, name)
    if result is None:
        return
    schedule = result.cohort.schedule.describe()
    call.ack(
        notice(
            f"✅ This channel is now the cohort *{esc(result.cohort.name)}*, and you are its mentor. "
            f"The weekly digest goes out {esc(schedule)} (`/infoint cohort settings` to change it, and the "
            "targets). Co-mentors: `/infoint cohort mentor @name`."
        )
    )
    effects.apply(origin, result.events)


def add_mentor(call: Invocation) -> None:
    """``/infoint cohort mentor @name``, or a user picker when no one is named."""
    named = call.mentioned
    if not named:
        info = _unless_refused(call, call.services.cohort_reads.info, CohortAction.ADD_MENTOR)
        if info is None:
            return
        call.ack()
        call.client.views_open(trigger_id=call.trigger_id, view=mentor_modal(CohortMetadata(info.id).dumps()))
        return
    result = _unless_refused(call, call.services.cohorts.add_mentor, named[0])
    if result is None:
        return
    call.ack(notice(f"✅ <@{named[0]}> now co-mentors *{esc(result.cohort.name)}*."))
    effects.apply(effects.origin_of(call.context, call.client), result.events)


def report(call: Invocation) -> None:
    """``/infoint cohort report [csv]``: the report's first page, or all of it as a CSV file."""
    if call.args.lower().startswith("csv"):
        file = _unless_refused(call, call.services.cohort_reads.report_file)
        if file is None:
            return
        call.ack(notice("📎 The report is on its way to your DM with me, as a CSV file."))
        send_file(effects.origin_of(call.context, call.client), file, "The cohort report")
        return
    page = _unless_refused(call, call.services.cohort_reads.report)
    if page is None:
        return
    call.ack(report_message(page))


def export(call: Invocation) -> None:
    """``/infoint cohort export``: counts per student per week, as a CSV file in the mentor's DM."""
    file = _unless_refused(call, call.services.cohort_reads.export)
    if file is None:
        return
    call.ack(notice("📎 The weekly counts are on their way to your DM with me, as a CSV file."))
    send_file(effects.origin_of(call.context, call.client), file, "Counts per student per week")


def settings(call: Invocation) -> None:
    """``/infoint cohort settings``: the targets and the digest's day, time and timezone."""
    info = _unless_refused(call, call.services.cohort_reads.info, CohortAction.SETTINGS)
    if info is None:
        return
    call.ack()
    call.client.views_open(
        trigger_id=call.trigger_id, view=settings_modal(info, CohortMetadata(info.id).dumps())
    )


def close(call: Invocation) -> None:
    """``/infoint cohort close``: the digest stops, students keep their data, the cohort its counts."""
    result = _unless_refused(call, call.services.cohorts.close)
    if result is None:
        return
    call.ack(notice("🏁 Closed. `/infoint cohort export` still gives you the counts."))
    effects.apply(effects.origin_of(call.context, call.client), result.events)


# Students -----------------------------------------------------------------------------------------


def join(call: Invocation) -> None:
    """``/infoint cohort join``: what the mentors will see first, then the student confirms."""
    preview = _unless_refused(call, call.services.cohort_reads.join_preview)
    if preview is None:
        return
    call.ack()
    metadata = CohortMetadata(preview.cohort.id).dumps()
    call.client.views_open(trigger_id=call.trigger_id, view=join_modal(preview, metadata))


def me(call: Invocation) -> None:
    """``/infoint cohort me``: the student's own row, their week, buttons for their state and sharing."""
    mine = _unless_refused(call, call.services.cohort_reads.me)
    if mine is None:
        return
    call.ack(me_message(mine))


def looked(call: Invocation) -> None:
    """``/infoint cohort looked``: which mentor looked at the student's numbers, and when."""
    who_looked = _unless_refused(call, call.services.cohort_reads.who_looked)
    if who_looked is None:
        return
    call.ack(looks_message(*who_looked))


def share(call: Invocation) -> None:
    """``/infoint cohort share``: what the mentors see (counts or stages, one contact, one interview)."""
    choices = _unless_refused(call, call.services.cohort_reads.share_choices)
    if choices is None:
        return
    call.ack()
    metadata = CohortMetadata(choices.cohort.id).dumps()
    call.client.views_open(trigger_id=call.trigger_id, view=sharing_modal(choices, metadata))


def _state(call: Invocation, state: MemberState) -> None:
    result = _unless_refused(call, call.services.cohorts.set_state, state)
    if result is None:
        return
    words = {MemberState.PAUSED: "⏸ Paused: you raise no flags until you're back (`/infoint cohort resume`)."}
    call.ack(notice(words.get(state, "▶️ Welcome back: you're active in the cohort again.")))
    effects.apply(effects.origin_of(call.context, call.client), result.events)


def pause(call: Invocation) -> None:
    _state(call, MemberState.PAUSED)


def resume(call: Invocation) -> None:
    _state(call, MemberState.ACTIVE)


def leave(call: Invocation) -> None:
    result = _unless_refused(call, call.services.cohorts.leave)
    if result is None:
        return
    call.ack(notice(f"👋 You left *{esc(result.cohort.name)}*. Your own records stay yours."))
    effects.apply(effects.origin_of(call.context, call.client), result.events)


SUBCOMMANDS: tuple[CohortSubcommand, ...] = (
    CohortSubcommand(
        "create", "/infoint cohort create [name]", "Make this channel a cohort; you're its mentor.", create
    ),
    CohortSubcommand(
        "join",
        "/infoint cohort join",
        "Join this channel's cohort (you see what mentors will see first).",
        join,
    ),
    CohortSubcommand("me", "/infoint cohort me", "Your own row: your week, your state, what you share.", me),
    CohortSubcommand(
        "report", "/infoint cohort report [csv]", "Mentors: every student's counts and flags.", report
    ),
    CohortSubcommand("mentor", "/infoint cohort mentor @name", "Mentors: add a co-mentor.", add_mentor),
    CohortSubcommand(
        "settings",
        "/infoint cohort settings",
        "Mentors: weekly targets and the digest's day and time.",
        settings,
    ),
    CohortSubcommand(
        "export", "/infoint cohort export", "Mentors: counts per student per week, as CSV.", export
    ),
    CohortSubcommand("close", "/infoint cohort close", "Mentors: close the cohort (the counts stay).", close),
    CohortSubcommand(
        "share",
        "/infoint cohort share",
        "What your mentors see: counts, stages, one contact or interview.",
        share,
    ),
    CohortSubcommand("pause", "/infoint cohort pause", "Holiday or exams: no flags until you resume.", pause),
    CohortSubcommand("resume", "/infoint cohort resume", "Back to active.", resume),
    CohortSubcommand(
        "looked", "/infoint cohort looked", "Which mentor looked at your numbers, and when.", looked
    ),
    CohortSubcommand("leave", "/infoint cohort leave", "Leave the cohort.", leave),
)
_BY_NAME = {entry.name: entry for entry in SUBCOMMANDS}
LISTING: tuple[tuple[str, str], ...] = tuple((entry.usage, entry.description) for entry in SUBCOMMANDS)


def cohort_command(call: Invocation) -> None:
    """``/infoint cohort <name> <args>``: in a channel; help for anything else."""
    name, _, args = call.args.partition(" ")
    entry = _BY_NAME.get(name.lower())
    if entry is None:
        intro = f"I don't know `{esc(name[:40])}`." if name else "Cohorts, typed in the cohort's channel:"
        call.ack(help_message(LISTING, intro))
        return
    if not call.channel_id or call.channel_id.startswith("D"):
        call.ack(notice(IN_A_CHANNEL))
        return
    entry.run(replace(call, args=args.strip()))
