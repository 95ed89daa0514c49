"""The shape of a signed body, checked before Bolt reads it: what Slack always sends, by kind.

Bolt's matchers and context builders take a payload's fields on trust (``"callback_id" in
body["view"]`` with a ``view`` that is a list, an ``action_id`` that is a number, ``actions`` that is
not a list); a signed body that Slack would never send then raised inside Bolt (a 500, a traceback)
or reached a listener with a context it can't use. :func:`malformed` says, in a few words and
without quoting the body, why a body is not what Slack sends, or returns None. Fields the app does
not rely on are not checked; the listeners still read every value through their strict parsers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The interactivity payloads infoint answers, and what each must carry besides who and where.
INTERACTIONS = frozenset(
    {"block_actions", "view_submission", "view_closed", "shortcut", "message_action", "block_suggestion"}
)


def malformed(body: Mapping[str, Any]) -> str | None:
    """Why ``body`` (a form command, an interactivity payload or an event, parsed) is not what Slack
    sends; None when its shape is right."""
    if "command" in body or "ssl_check" in body:
        return _command(body)
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "a payload without a type"
    if kind in INTERACTIONS:
        return _interaction(kind, body)
    if kind == "event_callback":
        return _event(body)
    return None  # url_verification, app_rate_limited, or a kind Bolt answers as unhandled


def _command(body: Mapping[str, Any]) -> str | None:
    if body.get("ssl_check") and not body.get("command"):
        return None
    for field in ("command", "user_id"):
        if not _text(body.get(field)):
            return f"a command without {field}"
    if not (_text(body.get("team_id")) or _text(body.get("enterprise_id"))):
        return "a command without team_id"
    return None


def _interaction(kind: str, body: Mapping[str, Any]) -> str | None:
    problem = _who(body) or _optional(body, ("trigger_id", "response_url", "api_app_id"), str, kind)
    if problem:
        return problem
    problem = _optional(body, ("container", "channel", "message", "state", "enterprise"), Mapping, kind)
    if problem:
        return problem
    if kind == "block_actions":
        return _actions(body) or _view(body, required=False)
    if kind in ("view_submission", "view_closed"):
        return _view(body, required=True)
    if kind == "block_suggestion":
        return _ids(body, ("action_id", "block_id"), kind) or _optional(body, ("value",), str, kind)
    return _ids(body, ("callback_id",), kind)  # a shortcut


def _who(body: Mapping[str, Any]) -> str | None:
    """The user who acted and their workspace, as every interaction names them."""
    user = body.get("user")
    if not isinstance(user, Mapping) or not _text(user.get("id")):
        return "an interaction without a user id"
    team = body.get("team")
    if team is not None and not isinstance(team, Mapping):
        return "an interaction whose team is not an object"
    team_id = team.get("id") if isinstance(team, Mapping) else None
    if team_id is not None and not _text(team_id):
        return "an interaction whose team id is not text"
    enterprise = body.get("enterprise")
    enterprise_id = enterprise.get("id") if isinstance(enterprise, Mapping) else None
    if not (_text(team_id) or _text(enterprise_id) or _text(user.get("team_id"))):
        return "an interaction without a workspace"
    return None


def _actions(body: Mapping[str, Any]) -> str | None:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        return "block_actions whose actions are not a list of actions"
    for action in actions:
        if not isinstance(action, Mapping):
            return "block_actions with an action that is not an object"
        problem = _ids(action, ("action_id",), "an action") or _optional(
            action, ("block_id", "value", "type", "action_ts"), str, "an action"
        )
        if problem:
            return problem
        option = action.get("selected_option")
        if option is not None and (
            not isinstance(option, Mapping) or not isinstance(option.get("value"), str)
        ):
            return "an action whose selected option is not an option"
        options = action.get("selected_options")
        if options is not None and (
            not isinstance(options, list) or not all(isinstance(o, Mapping) for o in options)
        ):
            return "an action whose selected options are not a list of options"
    return None


def _view(body: Mapping[str, Any], *, required: bool) -> str | None:
    view = body.get("view")
    if view is None and not required:
        return None
    if not isinstance(view, Mapping):
        return "a view that is not an object"
    if required and not _text(view.get("callback_id")):
        return "a view without a callback_id"
    problem = _optional(
        view, ("id", "type", "callback_id", "private_metadata", "hash", "external_id"), str, "a view"
    )
    if problem:
        return problem
    state = view.get("state")
    if state is None:
        return None
    values = state.get("values") if isinstance(state, Mapping) else None
    if not isinstance(state, Mapping) or (values is not None and not isinstance(values, Mapping)):
        return "a view whose state is not an object of values"
    for block in (values or {}).values():
        if not isinstance(block, Mapping) or not all(isinstance(e, Mapping) for e in block.values()):
            return "a view whose state values are not objects"
    return None


def _ids(where: Mapping[str, Any], fields: tuple[str, ...], what: str) -> str | None:
    for field in fields:
        if not _text(where.get(field)):
            return f"{what} without a {field} (text)"
    return None


def _optional(where: Mapping[str, Any], fields: tuple[str, ...], kind: type, what: str) -> str | None:
    for field in fields:
        value = where.get(field)
        if value is not None and not isinstance(value, kind):
            return f"{what} whose {field} is not {'text' if kind is str else 'an object'}"
    return None


def _event(body: Mapping[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, Mapping) or not _text(event.get("type")):
        return "an event_callback without an event"
    if not (_text(body.get("team_id")) or _text(body.get("enterprise_id"))):
        return "an event_callback without team_id"
    return None


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)
