"""What a person does on the page, played as Slack would play it to the app: a slash command, a click
or a pick, a modal submitted or closed, a tab of the App Home opened.

Each becomes a real signed Slack request (`bot.demo.door`) to the app's production path; the app's
HTTP answer is then shown the way Slack's client shows it (an ephemeral reply, a modal's inline
errors, an updated or pushed view), and the call waits for the listeners it started.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot.demo.door import Answer
from bot.demo.inputs import BadInput, action, locate, state_values
from bot.demo.people import CHANNEL_NAMES, DemoUser, demo_user
from bot.demo.runtime import Demo


@dataclass(frozen=True)
class Outcome:
    ok: bool = True
    problem: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "error": self.problem}


def visible_channels(demo: Demo, user: DemoUser) -> list[str]:
    """The user's DM with the app, #general, and every shared channel something was posted in."""
    shown = [user.dm, *CHANNEL_NAMES]
    return shown + [c for c in demo.slack.conversations() if c[:1] in ("C", "G") and c not in shown]


def channel_name(demo: Demo, user: DemoUser, channel: str) -> str:
    return "infoint" if channel == user.dm else CHANNEL_NAMES.get(channel, channel)


class Player:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    # A slash command ----------------------------------------------------------------------------------

    def type(self, user_id: Any, channel: Any, text: Any) -> Outcome:
        user = demo_user(user_id)
        channel = self._channel(user, channel)
        if not isinstance(text, str) or not text.strip():
            raise BadInput("type a command, e.g. /infoint help")
        command, _, rest = text.strip().partition(" ")
        if command != "/infoint":
            raise BadInput("only /infoint commands are understood here: try /infoint help")
        demo = self.demo
        with demo.lock:
            response_url = demo.slack.response_url_for(user.id, channel)
            trigger = demo.slack.trigger_id(user.id)
            name = channel_name(demo, user, channel)
            answer = demo.door.command(user, rest.strip(), channel, name, response_url, trigger)
            if answer.status != 200:
                demo.add_notice(user.id, channel, f'/infoint failed with the error "{_reason(answer)}"')
            else:
                body = answer.json()
                if isinstance(body, dict) and (body.get("text") or body.get("blocks")):
                    if body.get("response_type") == "in_channel":
                        problem = demo.slack.post_in_channel(channel, body)
                    else:
                        problem = demo.slack.post_ephemeral_answer(user.id, channel, body)
                    if problem:
                        demo.add_notice(user.id, channel, f"Slack refused infoint's answer: {problem}")
            demo.settle()
        return Outcome()

    # A click, a pick --------------------------------------------------------------------------------

    def use(self, user_id: Any, where: Any, raw: Any = None, values: Any = None) -> Outcome:
        """Use an element: ``where`` says where it is (``surface``: message, ephemeral, home or modal;
        ``channel`` and ``ts``, or ``view_id``; ``block`` and ``element`` numbers), ``raw`` the value
        picked, ``values`` a modal's inputs as they are."""
        user = demo_user(user_id)
        if not isinstance(where, dict):
            raise BadInput("say where the element is: surface, block, element")
        demo = self.demo
        with demo.lock:
            payload = self._block_actions(user, where, raw, values)
            answer = demo.door.interaction(payload)
            demo.settle()
        if answer.status != 200:
            return Outcome(False, f"infoint didn't answer ({_reason(answer)})")
        return Outcome()

    def _block_actions(self, user: DemoUser, where: dict[str, Any], raw: Any, values: Any) -> dict[str, Any]:
        demo, surface = self.demo, where.get("surface")
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": demo.door.user_json(user),
            "api_app_id": demo.door.app_id,
            "token": "demo",
            "team": demo.door.team_json(),
            "enterprise": None,
            "is_enterprise_install": False,
            "trigger_id": demo.slack.trigger_id(user.id),
            "state": {"values": {}},
        }
        if surface in ("message", "ephemeral"):
            channel, ts = self._channel(user, where.get("channel")), where.get("ts")
            message = self._message(user, channel, ts, ephemeral=surface == "ephemeral")
            blocks = message.get("blocks")
            ephemeral_ts = ts if surface == "ephemeral" else None
            payload["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": surface == "ephemeral",
            }
            payload["channel"] = {"id": channel, "name": channel_name(demo, user, channel)}
            if surface == "message":
                payload["message"] = message
            payload["response_url"] = demo.slack.response_url_for(
                user.id, channel, message_ts=None if ephemeral_ts else str(ts), ephemeral_ts=ephemeral_ts
            )
        elif surface in ("home", "modal"):
            view = self._view(user, surface, where.get("view_id"))
            blocks = view.get("blocks")
            if surface == "modal":
                view["state"] = {"values": state_values(view, values, demo.tz, check_required=False)}
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = view
        else:
            raise BadInput("surface must be message, ephemeral, home or modal")
        block_id, element = locate(blocks, where.get("block"), where.get("element"))
        payload["actions"] = [action(element, block_id, raw, demo.tz)]
        return payload

    def _message(self, user: DemoUser, channel: str, ts: Any, *, ephemeral: bool) -> dict[str, Any]:
        if not isinstance(ts, str):
            raise BadInput("a message is named by its ts")
        if ephemeral:
            for message in self.demo.slack.ephemerals_for(user.id):
                if message.get("ts") == ts and message.get("channel") == channel:
                    return {k: v for k, v in message.items() if k not in ("channel", "to_user")}
        else:
            message = self.demo.slack.message(channel, ts)
            if message is not None:
                message.pop("channel", None)
                return message
        raise BadInput(f"there is no message {ts[:40]} in that conversation")

    def _view(self, user: DemoUser, surface: str, view_id: Any) -> dict[str, Any]:
        slack = self.demo.slack
        if surface == "home":
            home = slack.home_view(user.id)
            if home is None:
                raise BadInput("the App Home has not been published yet")
            return home
        stack = [v["id"] for v in slack.modal_stack(user.id)]
        view = slack.view(view_id) if isinstance(view_id, str) and view_id in stack else None
        if view is None:
            raise BadInput(f"no modal {str(view_id)[:40]} is open for {user.name}")
        return view

    def _channel(self, user: DemoUser, channel: Any) -> str:
        if isinstance(channel, str) and channel in visible_channels(self.demo, user):
            return channel
        raise BadInput(f"{user.name} can't see a conversation {str(channel)[:40]!r}")

    # Modals -----------------------------------------------------------------------------------------

    def submit(self, user_id: Any, view_id: Any, values: Any) -> Outcome:
        user = demo_user(user_id)
        demo = self.demo
        with demo.lock:
            view = self._view(user, "modal", view_id)
            view["state"] = {"values": state_values(view, values, demo.tz, check_required=True)}
            payload = {
                "type": "view_submission",
                "team": demo.door.team_json(),
                "user": demo.door.user_json(user),
                "api_app_id": demo.door.app_id,
                "token": "demo",
                "trigger_id": demo.slack.trigger_id(user.id),
                "view": view,
                "response_urls": [],
                "enterprise": None,
                "is_enterprise_install": False,
            }
            answer = demo.door.interaction(payload)
            if answer.status != 200:
                demo.settle()
                return Outcome(False, f"infoint didn't answer ({_reason(answer)}). Try again.")
            problem = demo.slack.answer_submission(user.id, view["id"], answer.json())
            demo.settle()
        if problem:
            return Outcome(False, f"Slack refused infoint's answer: {problem}")
        return Outcome()

    def close(self, user_id: Any, view_id: Any) -> Outcome:
        user = demo_user(user_id)
        demo = self.demo
        with demo.lock:
            view = self._view(user, "modal", view_id)
            if view.get("notify_on_close"):
                demo.door.interaction(
                    {
                        "type": "view_closed",
                        "team": demo.door.team_json(),
                        "user": demo.door.user_json(user),
                        "api_app_id": demo.door.app_id,
                        "token": "demo",
                        "view": view,
                        "is_cleared": False,
                    }
                )
            demo.slack.close_modal(user.id, view["id"])
            demo.settle()
        return Outcome()

    # The App Home -------------------------------------------------------------------------------------

    def open_tab(self, user_id: Any, tab: Any) -> Outcome:
        """Open the app's Home or Messages tab (Slack sends app_home_opened each time)."""
        user = demo_user(user_id)
        if tab not in ("home", "messages"):
            raise BadInput("tab must be home or messages")
        demo = self.demo
        with demo.lock:
            event: dict[str, Any] = {
                "type": "app_home_opened",
                "user": user.id,
                "channel": user.dm,
                "tab": tab,
                "event_ts": f"{time.time():.6f}",
            }
            home = demo.slack.home_view(user.id)
            if home is not None:
                event["view"] = home
            answer = demo.door.event(event)
            demo.settle()
        if answer.status != 200:
            return Outcome(False, f"infoint didn't answer ({_reason(answer)})")
        return Outcome()


def _reason(answer: Answer) -> str:
    return "timeout" if answer.status == 504 else f"http_status_{answer.status}"
