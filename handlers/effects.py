"""Each event a service reports, turned into its Slack effect: the one place that does so.

A listener calls a service, then :func:`apply` with the result's events and an :class:`Origin` (who
acted, and where). Every effect reads what it shows afresh through :mod:`bot.queries` and renders it
with :mod:`bot.blocks`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.calendar import ics
from bot.blocks.interviews import booked_headline, cancelled_headline, interview_message
from bot.blocks.kit import esc, notice
from bot.blocks.lookup import outcome_text
from bot.domain.calendar import filename
from bot.domain.ids import Surface
from bot.queries.models import ContactNews, InterviewInfo
from bot.services import ActionRefused, Services
from bot.services.events import (
    ContactCardOffered,
    ContactCardStale,
    ContactChanged,
    ContactRemoved,
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
from handlers import places, whose
from handlers.cohort_effects import COHORT_EFFECTS, tell
from handlers.context import services_of, team_of, user_of
from handlers.origins import Place, in_home, in_modal, parse_place, response_url
from handlers.payloads import message_location

# A form opened from the App Home says so in its metadata.
HOME_PLACE = Surface.HOME.value

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
    # Which surface's buttons were clicked (the card, a list page, the plan…), to draw it again.
    place: Place | None = None
    # Acted on the App Home: it is published again, saying what happened.
    home: bool = False


def origin_of(
    context: BoltContext,
    client: WebClient,
    message: tuple[str, str] | None = None,
    respond: Respond | None = None,
    place: Place | None = None,
    home: bool = False,
) -> Origin:
    """The :class:`Origin` of the request in ``context``: whoever acted, in their workspace. A
    ``respond`` without a response_url (a click on the App Home or in a modal) is no way to answer; a
    ``message`` that is not one the app sent them (:mod:`handlers.whose`) is not drawn over."""
    answer = None if isinstance(respond, Respond) and not respond.response_url else respond
    services, team_id, user_id = services_of(context), team_of(context), user_of(context)
    # The payload only claims where the message is: drawn over only if the app sent it to them.
    mine = whose.own_message(services, client, team_id, user_id, message)
    return Origin(client, services, team_id, user_id, mine, answer, place, home)


def click_origin(
    context: BoltContext,
    client: WebClient,
    body: Mapping[str, Any],
    action: Mapping[str, Any],
    respond: Respond,
    *,
    in_place: bool = True,
) -> Origin:
    """Where a click came from: its message (``in_place``: when the answer goes there), the surface
    its buttons were on, the App Home; no answer through ``respond`` from the Home or a modal."""
    return origin_of(
        context,
        client,
        message_location(body) if in_place else None,
        None if in_home(body) or in_modal(body) else respond,
        parse_place(action.get("block_id"), body),
        in_home(body),
    )


def place_of(body: Mapping[str, Any], action: Mapping[str, Any]) -> tuple[str, str]:
    """Where a click that opens a form was made, to keep in the form's metadata: the block id of the
    buttons (or "home"), and the click's response_url."""
    block_id = action.get("block_id")
    if in_home(body):
        return HOME_PLACE, ""
    place = parse_place(block_id, body)
    if place is None:
        return "", response_url(body)
    return str(block_id) + (f"|{place.view_key}" if place.view_key else ""), response_url(body)


def form_origin(
    context: BoltContext, client: WebClient, message: tuple[str, str] | None, place: str, url: str
) -> Origin:
    """Where a form about a contact was opened from (kept in its metadata): "home", or the block id of
    the buttons that opened it, and the response_url of that click or slash command."""
    answer = Respond(response_url=url) if url else None
    return origin_of(context, client, message, answer, parse_place(place), home=place == HOME_PLACE)


def apply(origin: Origin, events: Iterable[Event]) -> None:
    """The Slack effect of each event, in order. The people added together as referrals are shown in
    one message; the App Home is published once."""
    events = list(events)
    referred = [
        e.contact_id for e in events if isinstance(e, ContactCardOffered) and e.news is ContactNews.REFERRED
    ]
    home_published = False
    for event in events:
        if isinstance(event, ContactCardOffered) and event.news is ContactNews.REFERRED:
            if referred:
                home_published |= places.offer_cards(origin, referred)
                referred = []
            continue
        if isinstance(event, HomeStale) and home_published and event.user == origin.user_id:
            continue
        home_published |= bool(EFFECTS[type(event)](origin, event))


def answer(origin: Origin, text: str) -> None:
    """Tell the user ``text`` (safe mrkdwn) where they acted: at the top of the App Home they acted
    from, as an ephemeral answer to their click, else in a DM."""
    if origin.home:
        places.publish_home(origin, news=text)
        return
    tell(origin, text)


def refuse(origin: Origin, refusal: ActionRefused) -> None:
    """Tell the user why nothing was done (where they acted, see :func:`answer`), then show what the
    refusal still asks to show."""
    why = esc(str(refusal))
    answer(origin, why)
    if origin.home:
        apply(origin, [e for e in refusal.events if not isinstance(e, ContactCardStale | HomeStale)])
        return
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


def _contact_changed(origin: Origin, event: ContactChanged) -> bool:
    """The contact where the user acted shows the news (the card, the list, the plan, the Home…)."""
    return places.show_contact(origin, event.contact_id, event.news)


def _contact_card_stale(origin: Origin, event: ContactCardStale) -> bool:
    """Redraw the clicked card (or surface) as things stand, so its buttons tell the truth."""
    if origin.message is None and origin.place is None:
        return False
    return places.show_contact(origin, event.contact_id, ContactNews.AS_IT_STANDS)


def _contact_card_offered(origin: Origin, event: ContactCardOffered) -> bool:
    return places.offer_card(origin, event.contact_id, event.news)


def _contact_removed(origin: Origin, event: ContactRemoved) -> bool:
    return places.show_removed(origin, event.name)


def _request_route_asked(origin: Origin, event: RequestRouteAsked) -> bool:
    """The card asks whom the request went to: in place where it was clicked, else as an answer."""
    return places.ask_route(origin, event.contact_id)


def _outcome_recorded(origin: Origin, event: OutcomeRecorded) -> None:
    card = origin.services.queries.contacts.card(origin.team_id, origin.user_id, event.contact_id)
    if card is not None and origin.respond is not None:
        origin.respond(notice(outcome_text(card.name, event.outcome)))


# Nudge DMs -------------------------------------------------------------------------------------------


def _nudge_dm_changed(origin: Origin, event: NudgeDmChanged) -> None:
    places.redraw_dm(origin, event.channel, event.ts, event.user)


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
    if not event.rescheduled and (origin.message or origin.place or origin.home):
        places.show_contact(origin, info.contact_id, ContactNews.INTERVIEW_BOOKED)
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
    """The questions are shown in the form itself once saved; a reminder about the interview waiting
    in a DM (its preparation) is drawn again to list them."""
    nudges = origin.services.queries.nudges
    for channel, ts in nudges.dms_about_interview(origin.team_id, origin.user_id, event.interview_id):
        places.redraw_dm(origin, channel, ts)


# The user --------------------------------------------------------------------------------------------


def _settings_saved(origin: Origin, event: SettingsSaved) -> bool:
    """Saved settings are said in the form itself; the App Home shows the new goals."""
    return _home_stale(origin, HomeStale(event.user))


def _goal_saved(origin: Origin, event: GoalSaved) -> bool:
    """A saved objective is said in the form itself; the App Home shows the new goals."""
    return _home_stale(origin, HomeStale(event.user))


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


def publish_home(origin: Origin, user: str | None = None, news: str = "", opened: bool = False) -> None:
    """Publish the App Home of ``user`` (by default, whoever acted); ``opened``: they are looking."""
    places.publish_home(origin, user, news, opened)


def _home_stale(origin: Origin, event: HomeStale) -> bool:
    try:
        places.publish_home(origin, event.user)
    except SlackApiError as error:
        log.warning("could not refresh the App Home: %s", error.response.get("error"))
    return event.user == origin.user_id


EFFECTS: dict[type, Callable[[Origin, Any], bool | None]] = {
    ContactChanged: _contact_changed,
    ContactCardStale: _contact_card_stale,
    ContactCardOffered: _contact_card_offered,
    ContactRemoved: _contact_removed,
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
