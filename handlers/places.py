"""Showing what the student just did where they did it: the card they clicked is updated, the list
page or the cards are drawn again, the App Home is published with a line saying what happened, an
ephemeral answer replaces the one clicked. A new DM only when there is no place to answer (a form
opened by an earlier version).

Every surface is read afresh through :mod:`bot.queries` and rendered by :mod:`bot.blocks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.blocks.cards import referral_cards_message
from bot.blocks.contacts import contact_message, headline, pipeline_message, pipeline_modal, route_question
from bot.blocks.home import home_view
from bot.blocks.kit import esc, notice
from bot.blocks.nudges import nudge_message
from bot.domain.ids import Surface
from bot.queries.models import ContactCard, ContactNews, HomeScreen
from handlers import whose

if TYPE_CHECKING:
    from handlers.effects import Origin
    from handlers.origins import Place


def publish_home(
    origin: Origin,
    user: str | None = None,
    news: str = "",
    opened: bool = False,
    screen: HomeScreen | None = None,
) -> None:
    """Publish the App Home of ``user`` (by default, whoever acted), with ``news`` (safe mrkdwn) on top;
    ``opened``: they are looking (a mentor's looking at a cohort is logged); ``screen``: the Home
    just read, if it was."""
    user = user or origin.user_id
    services = origin.services
    if screen is None:
        screen = services.queries.home.screen(origin.team_id, user, services.clock())
    cohorts = services.cohort_reads.home(origin.team_id, user, looking=opened)
    origin.client.views_publish(user_id=user, view=home_view(screen, news, cohorts))


def _update_list(origin: Origin, place: Place, view: dict[str, Any]) -> bool:
    """The list's modal drawn again, if it is one the app opened for whoever acted."""
    return whose.update_view(origin.client, origin.user_id, place.view_key, view)


def _ephemeral(message: dict[str, Any], replace: bool) -> dict[str, Any]:
    return {**message, "response_type": "ephemeral", "replace_original": replace}


def show_contact(origin: Origin, contact_id: int, news: ContactNews, note: str = "") -> bool:
    """The contact where the student acted, with ``news`` as its headline (``note``: why nothing was
    done, when a click was refused). Returns whether the App Home was published."""
    services = origin.services
    card = services.queries.contacts.card(origin.team_id, origin.user_id, contact_id)
    if card is None:
        return False
    text = note or headline(news, card)
    place = origin.place
    if (origin.home or (place is not None and place.surface is not Surface.CARD)) and esc(
        card.name
    ) not in text:
        # Among other contacts, the news says whom it is about.
        text = f"*{esc(card.name)}*: {text}"
    if origin.home:
        publish_home(origin, news=text)
        return True
    surface = place.surface if place else Surface.CARD
    if surface is Surface.PLAN and origin.message:
        redraw_dm(origin, *origin.message)
        if note and origin.respond is not None:
            origin.respond(notice(note))
        return False
    if surface is Surface.LIST and place is not None:
        cards = services.queries.contacts.pipeline(origin.team_id, origin.user_id)
        if place.view_key and _update_list(origin, place, pipeline_modal(cards, place.page, text)):
            return False
        if origin.respond is not None:
            origin.respond(_ephemeral(pipeline_message(cards, place.page, text), replace=True))
            return False
    if surface is Surface.CARDS and place is not None:
        cards = services.queries.contacts.cards(origin.team_id, origin.user_id, place.ids)
        if cards and _redraw_cards(origin, cards, text):
            return False
    _card_in_place(origin, card, text, replace=surface is Surface.CARD)
    return False


def _card_in_place(origin: Origin, card: ContactCard, text: str, replace: bool) -> None:
    message = contact_message(card, text)
    if origin.message and replace:
        channel, ts = origin.message
        origin.client.chat_update(channel=channel, ts=ts, **message)
    elif origin.respond is not None:
        origin.respond(_ephemeral(message, replace=replace))
    else:
        posted = origin.client.chat_postMessage(channel=origin.user_id, **message)
        origin.services.users.remember_user(origin.team_id, origin.user_id, dm_channel=posted.get("channel"))


def _redraw_cards(origin: Origin, cards: Sequence[ContactCard], text: str) -> bool:
    message = referral_cards_message(cards, text)
    if origin.message:
        channel, ts = origin.message
        origin.client.chat_update(channel=channel, ts=ts, **message)
        return True
    if origin.respond is not None:
        origin.respond(_ephemeral(message, replace=True))
        return True
    return False


def ask_route(origin: Origin, contact_id: int) -> bool:
    """Whom a 2nd-degree contact's first request went to: asked on the card clicked, or beside the
    other surfaces (never over a list, the plan or the cards)."""
    card = origin.services.queries.contacts.card(origin.team_id, origin.user_id, contact_id)
    if card is None:
        return False
    message = route_question(card)
    on_card = origin.place is None or origin.place.surface is Surface.CARD
    if origin.home:
        publish_home(origin, news=f"{message['blocks'][0]['text']['text']} Use the buttons on their row.")
        return True
    if origin.message and on_card:
        channel, ts = origin.message
        origin.client.chat_update(channel=channel, ts=ts, **message)
    elif origin.respond is not None:
        origin.respond(_ephemeral(message, replace=on_card))
    else:
        origin.client.chat_postMessage(channel=origin.user_id, **message)
    return False


def offer_card(origin: Origin, contact_id: int, news: ContactNews) -> bool:
    """A contact worth showing after what the student did (just logged, said yes, interview missed):
    on the Home they acted from, as an ephemeral answer where they clicked, else a DM."""
    services = origin.services
    if origin.home:
        # The card and the Home from one reading of the contacts and their next steps.
        home = services.queries.home
        screen, card = home.screen_and_card(origin.team_id, origin.user_id, services.clock(), contact_id)
        if card is None:
            return False
        publish_home(origin, news=headline(news, card), screen=screen)
        return True
    card = services.queries.contacts.card(origin.team_id, origin.user_id, contact_id)
    if card is None:
        return False
    _card_in_place(origin, card, headline(news, card), replace=False)
    return False


def offer_cards(origin: Origin, ids: Sequence[int]) -> bool:
    """The people just added as referrals, as compact cards in one message."""
    cards = origin.services.queries.contacts.cards(origin.team_id, origin.user_id, ids)
    if not cards:
        return False
    if origin.home:
        publish_home(origin, news=referral_cards_message(cards)["text"])
        return True
    message = referral_cards_message(cards)
    if origin.respond is not None:
        origin.respond(_ephemeral(message, replace=False))
    else:
        posted = origin.client.chat_postMessage(channel=origin.user_id, **message)
        origin.services.users.remember_user(origin.team_id, origin.user_id, dm_channel=posted.get("channel"))
    return False


def show_removed(origin: Origin, name: str) -> bool:
    """Where Remove was chosen, it says so."""
    text = f"🗑 Removed *{esc(name)}* from your list, with their reminders."
    place = origin.place
    if origin.home:
        publish_home(origin, news=text)
        return True
    if place is not None and place.surface is Surface.LIST:
        cards = origin.services.queries.contacts.pipeline(origin.team_id, origin.user_id)
        if place.view_key and _update_list(origin, place, pipeline_modal(cards, place.page, text)):
            return False
        if origin.respond is not None:
            origin.respond(_ephemeral(pipeline_message(cards, place.page, text), replace=True))
            return False
    if place is not None and place.surface is Surface.CARDS:
        ids = tuple(i for i in place.ids if i != place.contact_id)
        cards = origin.services.queries.contacts.cards(origin.team_id, origin.user_id, ids)
        if cards and _redraw_cards(origin, cards, text):
            return False
    if place is not None and place.surface is Surface.PLAN and origin.message:
        redraw_dm(origin, *origin.message)
        return False
    removed = {"text": f"Removed {esc(name)} from your list.", "blocks": [_section(text)]}
    if origin.message and (place is None or place.surface is Surface.CARD):
        channel, ts = origin.message
        origin.client.chat_update(channel=channel, ts=ts, **removed)
    elif origin.respond is not None:
        origin.respond(_ephemeral(removed, replace=place is None or place.surface is Surface.CARD))
    return False


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def redraw_dm(origin: Origin, channel: str, ts: str, user: str | None = None) -> None:
    """A nudge DM as its reminders stand now."""
    services = origin.services
    items = services.queries.nudges.dm_items(
        origin.team_id, user or origin.user_id, channel, ts, services.clock()
    )
    if items:
        origin.client.chat_update(channel=channel, ts=ts, **nudge_message(items))
        return
    # Every reminder it carried went with a removed contact.
    text = "🗑 These reminders went with the contact you removed."
    origin.client.chat_update(
        channel=channel, ts=ts, text="Removed with its contact.", blocks=[_section(text)]
    )
