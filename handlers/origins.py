"""Where a click or a form came from, read back: the surface whose buttons were clicked (its actions
block's id names it, see ``bot.domain.ids.Surface``), the App Home or a modal, the click's response
URL, and the log form's metadata (what it is about, whether its details are open, where it was
opened). Parsers in the manner of :mod:`handlers.payloads`: None (or a default) for anything else,
never an exception."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain.ids import Surface
from handlers.payloads import _json_id, _json_object, _text, _url, parse_id, slack_message


@dataclass(frozen=True)
class FormMetadata:
    """The log (or edit) form: what it is about (``contact``/``version`` when editing), whether its
    details are shown, and where it was opened (``place``: "home", or the block id of the buttons;
    ``response_url``: where to answer a slash command or an ephemeral message)."""

    details: bool = False
    contact_id: int | None = None
    version: int | None = None
    place: str = ""
    response_url: str = ""
    message: tuple[str, str] | None = None

    def dumps(self) -> str:
        data: dict[str, object] = {"form": "contact", "details": self.details}
        if self.contact_id is not None and self.version is not None:
            data |= {"contact": self.contact_id, "version": self.version}
        if self.message:
            data |= {"channel": self.message[0], "ts": self.message[1]}
        if self.place:
            data["place"] = self.place
        if self.response_url:
            data["response_url"] = self.response_url
        return json.dumps(data)


def form_metadata(raw: str | None) -> FormMetadata | None:
    """The form's metadata; an empty one is a form opened by an earlier version (nothing known)."""
    if not raw:
        return FormMetadata()
    data = _json_object(raw)
    if data is None or data.get("form") != "contact":
        return None
    contact_id, version = _json_id(data.get("contact")), _json_id(data.get("version"))
    if (contact_id is None) != (version is None) or ("contact" in data and contact_id is None):
        return None
    details = data.get("details") is True
    where = slack_message(data.get("channel"), data.get("ts"))
    return FormMetadata(
        details, contact_id, version, _text(data.get("place")), _url(data.get("response_url")), where
    )


#: What a modal's key may look like (whose it is, :mod:`handlers.whose` decides).
VIEW_KEY = re.compile(r"[A-Za-z0-9.]{1,64}", re.ASCII)


@dataclass(frozen=True)
class Place:
    """Where a contact's buttons were clicked (their actions block's id, see ``bot.domain.ids.Surface``)
    and how to draw that surface again: the list's ``page``, the ``ids`` of a set of cards, the modal
    the list is shown in (``view_key``: its external id, see :mod:`handlers.whose`)."""

    surface: Surface
    contact_id: int
    page: int = 1
    ids: tuple[int, ...] = ()
    view_key: str = ""


def parse_place(block_id: object, body: Mapping[str, Any] | None = None) -> Place | None:
    """The place of a click from its actions block's id (None for anything else); ``body`` tells
    whether it was made in a modal."""
    if not isinstance(block_id, str) or len(block_id) > 300:
        return None
    # A form's metadata keeps the modal the buttons were in (its key) after a "|".
    block_id, _, kept_view = block_id.partition("|")
    surface_name, _, rest = block_id.partition(":")
    try:
        surface = Surface(surface_name)
    except ValueError:
        return None
    contact, _, extra = rest.partition(":")
    contact_id = parse_id(contact)
    if contact_id is None:
        return None
    page, ids = 1, ()
    if surface is Surface.LIST:
        page = parse_id(extra) or 1
    elif surface is Surface.CARDS:
        found = [parse_id(part) for part in extra.split(",")] if extra else []
        ids = tuple(i for i in found if i is not None)
        if len(ids) != len(found) or contact_id not in ids:
            return None
    view_key = kept_view if VIEW_KEY.fullmatch(kept_view) else ""
    view = (body or {}).get("view")
    if isinstance(view, Mapping) and view.get("type") == "modal":
        key = view.get("external_id")
        view_key = key if isinstance(key, str) and VIEW_KEY.fullmatch(key) else ""
    return Place(surface, contact_id, page, ids, view_key)


def in_home(body: Mapping[str, Any]) -> bool:
    """Whether the click was made on the App Home."""
    view = body.get("view")
    return isinstance(view, Mapping) and view.get("type") == "home"


def in_modal(body: Mapping[str, Any]) -> bool:
    """Whether the click was made inside an open modal (a new modal is then pushed onto it)."""
    view = body.get("view")
    return isinstance(view, Mapping) and view.get("type") == "modal"


def response_url(body: Mapping[str, Any]) -> str:
    """The click's response_url; none for a click on the App Home or in a modal."""
    url = body.get("response_url")
    return url if isinstance(url, str) else ""
