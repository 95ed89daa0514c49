"""Each event a service reports, turned into its Slack effect: the one place that does so.

A listener calls a service, then :func:`apply` with the result's events and an :class:`Origin` (who
acted, and where). Every effect reads what it shows afresh through :mod:`bot.queries` and renders it
with :mod:`bot.blocks`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.calendar import ics
from bot.blocks.contacts import contact_message, headline, route_question
from bot.blocks.home import home_view
from bot.blocks.interviews import booked_headline, cancelled_headline, interview_message
from bot.blocks.kit import esc, notice
from bot.blocks.lookup import goal_saved_message, outcome_text
from bot.blocks.modals.settings import settings_saved_message
from bot.blocks.nudges import nudge_message
from bot.blocks.questions import prepared_message
from bot.domain.calendar import filename
from bot.queries.models import ContactNews, InterviewInfo
from bot.services import ActionRefused, Services
from bot.services.events import (
    ContactCardOffered,
    ContactCardStale,
    ContactChanged,
    Event,
    GoalSaved,
    HomeStale,
    InterviewBooked,
    InterviewCancelled,
    NudgeDmChanged,
    OutcomeRecorded,
    QuestionsPrepared,
    RequestRouteAsked,
    SettingsSaved,
    UserSeen,
)
from handlers.cohort_effects import COHORT_EFFECTS
from handlers.context import services_of, team_of, user_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Origin:
    """Who acted and where: what an effect needs to answer in the right place."""

    client: WebClient
    services: Services
    team_id: str
    user_id: str
    # The message acted on (channel, ts), when it can be updated in place.
    message: tuple[str, str] | None = None
    # An ephemeral answer to a click (its response_url).
    respond: Respond | None = None


def origin_of(
    context: BoltContext,
    client: WebClient,
    message: tuple[str, str] | None = None,
    respond: Respond | None = None,
) -> Origin:
    """The :class:`Origin` of the request in ``context``: whoever acted, in their workspace."""
    return Origin(client, services_of(context), team_of(context), user_of(context), message, respond)


def apply(origin: Origin, events: Iterable[Event]) -> None:
    """The Slack effect of each event, in order."""
    for event in events:
        EFFECTS[type(event)](origin, event)


def refuse(origin: Origin, refusal: ActionRefused) -> None:
    """Tell the user why nothing was done, then show what the refusal still asks to show."""
    if origin.respond is not None:
        origin.respond(notice(esc(str(refusal))))
    apply(origin, refusal.events)


class Done(Protocol):
    """What a service call returns: at least the events it reports."""

    @property
    def events(self) -> tuple[Event, ...]: ...


def settle(origin: Origin, act: Callable[[], Done]) -> None:
    """Run a service call for a click: its effects, or why it was refused."""
    try:
        result = act()
    except ActionRefused as refusal:
        refuse(origin, refusal)
        return
    apply(origin, result.events)


# Contacts --------------------------------------------------------------------------------------------


def _contact_changed(origin: Origin, event: ContactChanged) -> None:
    """The card where the user acted shows the news; without one, the news comes as an answer or a DM."""
    card = origin.services.queries.contacts.card(origin.team_id, origin.user_id, event.contact_id)
    if card is None:
        return
    text = headline(event.news, card)
    if origin.message:
        channel, ts = origin.message
        origin.client.chat_update(channel=channel, ts=ts, **contact_message(card, text))
    elif origin.respond is not None:
        origin.respond(notice(text))
    else:
        origin.client.chat_postMessage(channel=origin.user_id, **contact_message(card, text))


def _contact_card_stale(origin: Origin, event: ContactCardStale) -> None:
    """Redraw the clicked card as things stand, so its buttons tell the truth."""
    if origin.message is None:
        return
    card = origin.services.queries.contacts.card(origin.team_id, origin.user_id, event.contact_id)
    if card is None:
        return
    channel, ts = origin.message
    message = contact_message(card, headline(ContactNews.AS_IT_STANDS, card))
    origin.client.chat_update(channel=channel, ts=ts, **message)


def _contact_card_offered(origin: Origin, event: ContactCardOffered) -> None:
    card = origin.services.queries.contacts.card(origin.team_id, origin.user_id, event.contact_id)
    if card is None:
        return
    posted = origin.client.chat_postMessage(
        channel=origin.user_id, **contact_message(card, headline(event.news, card))
    )
    origin.services.users.remember_user(origin.team_id, origin.user_id, dm_channel=posted.get("channel"))


def _request_route_asked(origin: Origin, event: RequestRouteAsked) -> None:
    """The card asks whom the request went to: in place where it was clicked, else as an answer."""
    card = origin.services.queries.contacts.card(origin.team_id, origin.user_id, event.contact_id)
    if card is None:
        return
    message = route_question(card)
    if origin.message:
        channel, ts = origin.message
        origin.client.chat_update(channel=channel, ts=ts, **message)
    elif origin.respond is not None:
        origin.respond({**message, "response_type": "ephemeral", "replace_original": False})
    else:
        origin.client.chat_postMessage(channel=origin.user_id, **message)


def _outcome_recorded(origin: Origin, event: OutcomeRecorded) -> None:
    card = origin.services.queries.contacts.card(origin.team_id, origin.user_id, event.contact_id)
    if card is not None and origin.respond is not None:
        origin.respond(notice(outcome_text(card.name, event.outcome)))


# Nudge DMs -------------------------------------------------------------------------------------------


def _nudge_dm_changed(origin: Origin, event: NudgeDmChanged) -> None:
    services = origin.services
    items = services.queries.nudges.dm_items(
        origin.team_id, event.user, event.channel, event.ts, services.clock()
    )
    origin.client.chat_update(channel=event.channel, ts=event.ts, **nudge_message(items))


# Interviews ------------------------------------------------------------------------------------------


def send_confirmation(origin: Origin, info: InterviewInfo, text: str) -> None:
    """The interview DM, then its calendar file in the same DM."""
    posted = origin.client.chat_postMessage(channel=origin.user_id, **interview_message(info, text))
    channel = posted.get("channel")
    if channel:
        origin.services.users.remember_user(origin.team_id, origin.user_id, dm_channel=channel)
    attach_calendar(origin, str(channel or ""), info)


def attach_calendar(origin: Origin, channel: str, info: InterviewInfo) -> None:
    if not channel:
        return
    clock = origin.services.clock
    entry = info.calendar_entry(origin.team_id, clock())
    try:
        origin.client.files_upload_v2(
            channel=channel,
            content=ics(entry, clock()),
            filename=filename(entry),
            title="Cancellation for your calendar" if entry.cancelled else "Add to your calendar",
        )
    except SlackApiError as error:
        log.warning("could not attach the calendar file: %s", error.response.get("error"))


def _interview_booked(origin: Origin, event: InterviewBooked) -> None:
    """Booked from a contact's card: the card says so. Then the confirmation DM and calendar file."""
    queries = origin.services.queries
    info = queries.interviews.info(origin.team_id, origin.user_id, event.interview_id)
    if info is None:
        return
    if origin.message and not event.rescheduled:
        card = queries.contacts.card(origin.team_id, origin.user_id, info.contact_id)
        if card is not None:
            channel, ts = origin.message
            message = contact_message(card, headline(ContactNews.INTERVIEW_BOOKED, card))
            origin.client.chat_update(channel=channel, ts=ts, **message)
    send_confirmation(origin, info, booked_headline(info, event.rescheduled))


def _interview_cancelled(origin: Origin, event: InterviewCancelled) -> None:
    """The interview's DM says so (updated where it was clicked), and the calendar gets a cancellation."""
    queries = origin.services.queries
    info = queries.interviews.info(origin.team_id, origin.user_id, event.interview_id)
    if info is None:
        return
    message = interview_message(info, cancelled_headline(info))
    if origin.message:
        channel, ts = origin.message
        origin.client.chat_update(channel=channel, ts=ts, **message)
    else:
        origin.client.chat_postMessage(channel=origin.user_id, **message)
    dm = origin.message[0] if origin.message else queries.users.dm_channel(origin.team_id, origin.user_id)
    attach_calendar(origin, dm or "", info)


def _questions_prepared(origin: Origin, event: QuestionsPrepared) -> None:
    prepared = origin.services.queries.interviews.prepared(origin.team_id, origin.user_id, event.interview_id)
    if prepared is None:
        return
    message = prepared_message(
        prepared.contact_name, prepared.starts_at, prepared.questions, prepared.interview_id
    )
    try:
        posted = origin.client.chat_postMessage(channel=origin.user_id, **message)
        origin.services.users.remember_user(origin.team_id, origin.user_id, dm_channel=posted.get("channel"))
    except SlackApiError as error:
        log.warning("could not send the questions DM: %s", error.response.get("error"))


# The user --------------------------------------------------------------------------------------------


def _settings_saved(origin: Origin, event: SettingsSaved) -> None:
    prefs, _ = origin.services.queries.users.preferences(origin.team_id, event.user)
    origin.client.chat_postMessage(channel=event.user, **settings_saved_message(prefs))


def _goal_saved(origin: Origin, event: GoalSaved) -> None:
    goal = origin.services.queries.lookup.goal(origin.team_id, event.user)
    try:
        origin.client.chat_postMessage(channel=event.user, **goal_saved_message(goal))
    except SlackApiError as error:
        log.warning("could not confirm the saved objective: %s", error.response.get("error"))


def _user_seen(origin: Origin, event: UserSeen) -> None:
    learn_timezone(origin, event.user)


def learn_timezone(origin: Origin, user: str) -> None:
    """Store the user's Slack timezone (users.info) the first time we meet them. Never raises."""
    services = origin.services
    try:
        if services.queries.users.knows_timezone(origin.team_id, user):
            return
        info = origin.client.users_info(user=user)
        tz = (info.get("user") or {}).get("tz")
        services.users.remember_user(origin.team_id, user, timezone=tz if isinstance(tz, str) else None)
    except SlackApiError as error:
        log.warning("users.info for %s failed: %s", user, error.response.get("error"))
    except Exception:
        log.exception("could not learn the timezone of %s", user)


def publish_home(origin: Origin, user: str | None = None, opened: bool = False) -> None:
    """Publish the App Home of ``user`` (by default, whoever acted); ``opened``: they are looking."""
    user = user or origin.user_id
    services = origin.services
    counts, due = services.queries.home.dashboard(origin.team_id, user, services.clock())
    cohorts = services.cohort_reads.home(origin.team_id, user, looking=opened)
    origin.client.views_publish(user_id=user, view=home_view(counts, due, cohorts))


def _home_stale(origin: Origin, event: HomeStale) -> None:
    try:
        publish_home(origin, event.user)
    except SlackApiError as error:
        log.warning("could not refresh the App Home: %s", error.response.get("error"))


EFFECTS: dict[type, Callable[[Origin, Any], None]] = {
    ContactChanged: _contact_changed,
    ContactCardStale: _contact_card_stale,
    ContactCardOffered: _contact_card_offered,
    RequestRouteAsked: _request_route_asked,
    OutcomeRecorded: _outcome_recorded,
    NudgeDmChanged: _nudge_dm_changed,
    InterviewBooked: _interview_booked,
    InterviewCancelled: _interview_cancelled,
    QuestionsPrepared: _questions_prepared,
    SettingsSaved: _settings_saved,
    GoalSaved: _goal_saved,
    UserSeen: _user_seen,
    HomeStale: _home_stale,
    **COHORT_EFFECTS,
}
