"""The Web API's views.* methods: modals (open, push, update) and the App Home (publish)."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

from bot.fakeslack.blockkit import validate_view
from bot.fakeslack.state import SlackState
from bot.fakeslack.wire import error, invalid_arguments, str_arg

#: How many modals Slack stacks for one user (views.push past it: push_limit_reached).
MAX_MODAL_STACK = 3


class ViewMethods(SlackState):
    """views.open, views.push, views.update and views.publish, with trigger ids that expire."""

    def _view_arg(self, args: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        view = args.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                return None, invalid_arguments("failed to parse view as JSON [json-pointer:/view]")
        if view is None:
            return None, invalid_arguments("missing required field: view")
        errors = validate_view(view)
        if errors:
            return None, invalid_arguments(
                *(e.replace("[json-pointer:", "[json-pointer:/view", 1) for e in errors)
            )
        assert isinstance(view, dict)
        return view, None

    def _use_trigger(self, args: dict[str, Any]) -> dict[str, Any] | None:
        trigger = str_arg(args, "trigger_id")
        if trigger is None:
            return invalid_arguments("missing required field: trigger_id")
        if trigger in self._triggers_used:
            return error("exchanged_trigger_id")
        issued = self._triggers_issued.get(trigger)
        if issued is not None and time.monotonic() - issued > self.trigger_ttl:
            return error("expired_trigger_id")
        self._triggers_used.add(trigger)
        return None

    def _store_view(
        self,
        view: dict[str, Any],
        *,
        view_id: str | None = None,
        root_view_id: str | None = None,
        previous_view_id: str | None = None,
    ) -> dict[str, Any]:
        view_id = view_id or self._next_id("V")
        record = copy.deepcopy(view)
        record.update(
            {
                "id": view_id,
                "team_id": self.TEAM_ID,
                "state": {"values": {}},
                "hash": f"{int(time.time())}.{next(self._ids):08x}",
                "root_view_id": root_view_id or view_id,
                "previous_view_id": previous_view_id,
                "app_id": self.APP_ID,
                "app_installed_team_id": self.TEAM_ID,
                "bot_id": self.BOT_ID,
            }
        )
        for key in ("private_metadata", "callback_id", "external_id"):
            record.setdefault(key, "")
        if record.get("type") == "modal":
            record.setdefault("clear_on_close", False)
            record.setdefault("notify_on_close", False)
        old = self.views.get(view_id)
        if old is not None and old.get("external_id"):
            self._external_ids.pop(old["external_id"], None)
        if record["external_id"]:
            self._external_ids[record["external_id"]] = view_id
        self.views[view_id] = record
        return copy.deepcopy(record)

    def _open_or_push(self, args: dict[str, Any], *, push: bool) -> dict[str, Any]:
        view, problem = self._view_arg(args)
        if problem is not None:
            return problem
        assert view is not None
        if view.get("type") != "modal":
            return invalid_arguments('view type must be "modal" [json-pointer:/view/type]')
        external_id = view.get("external_id")
        if external_id and external_id in self._external_ids:
            return error("duplicate_external_id")
        # A trigger issued for a user (trigger_id(user=...)) puts the modal in front of that user.
        user = self._trigger_users.get(str_arg(args, "trigger_id") or "")
        stack = self.modal_stacks.get(user or "", [])
        if push and user is not None and len(stack) >= MAX_MODAL_STACK:
            return error("push_limit_reached")
        problem = self._use_trigger(args)
        if problem is not None:
            return problem
        previous = stack[-1] if push and stack else None
        record = self._store_view(view, previous_view_id=previous)
        if user is not None:
            self.modal_stacks[user] = [*stack, record["id"]] if push else [record["id"]]
        return {"ok": True, "view": record}

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._open_or_push(args, push=False)

    def _m_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._open_or_push(args, push=True)

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id, external_id = str_arg(args, "view_id"), str_arg(args, "external_id")
        if view_id is None and external_id is None:
            return invalid_arguments("either view_id or external_id is required")
        view, problem = self._view_arg(args)
        if problem is not None:
            return problem
        assert view is not None
        target = view_id if view_id is not None else self._external_ids.get(external_id or "")
        if target is None or target not in self.views:
            return error("not_found")
        existing = self.views[target]
        hash_arg = str_arg(args, "hash")
        if hash_arg is not None and hash_arg != existing["hash"]:
            return error("hash_conflict")
        new_external = view.get("external_id")
        if new_external and self._external_ids.get(new_external, target) != target:
            return error("duplicate_external_id")
        record = self._store_view(
            view,
            view_id=target,
            root_view_id=existing.get("root_view_id"),
            previous_view_id=existing.get("previous_view_id"),
        )
        self.view_errors.pop(target, None)
        return {"ok": True, "view": record}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str_arg(args, "user_id")
        if user_id is None:
            return invalid_arguments("missing required field: user_id")
        view, problem = self._view_arg(args)
        if problem is not None:
            return problem
        assert view is not None
        if view.get("type") != "home":
            return invalid_arguments(
                'views.publish only accepts views of type "home" [json-pointer:/view/type]'
            )
        if not self._user(user_id).exists:
            return error("user_not_found")
        existing_id = self.home_views.get(user_id)
        hash_arg = str_arg(args, "hash")
        if hash_arg is not None and existing_id is not None and hash_arg != self.views[existing_id]["hash"]:
            return error("hash_conflict")
        record = self._store_view(view, view_id=existing_id)
        self.home_views[user_id] = record["id"]
        return {"ok": True, "view": record}
