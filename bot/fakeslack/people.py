"""What each person in the fake workspace sees, beyond what the Web API stores: their open modals
(views.open / push / update, and the app's answers to a submission), the ephemeral messages meant
for them (a slash command's answer, posts to a response_url), and the files shared in a channel.

The demo (`bot.demo`) plays Slack's client with these: it asks for a person's trigger ids and
response URLs, hands the app's HTTP answers back here, and draws what these methods return.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.fakeslack.blockkit import validate_view
from bot.fakeslack.methods import MessageMethods, check_message
from bot.fakeslack.state import ResponseTarget
from bot.fakeslack.views import MAX_MODAL_STACK, ViewMethods
from bot.fakeslack.wire import truthy


class PersonMethods(MessageMethods, ViewMethods):
    """A person's modal stack, ephemeral messages and response URLs, and the shared files."""

    @property
    def revision(self) -> int:
        """A number that goes up whenever anything a person could see may have changed."""
        with self._lock:
            return self._revision

    # Modals -----------------------------------------------------------------------------------------

    def modal_stack(self, user: str) -> list[dict[str, Any]]:
        """The modals open in front of ``user``, bottom first; each with ``errors`` (block_id -> the
        inline error the app answered to its last submission)."""
        with self._lock:
            return [
                {**copy.deepcopy(self.views[view_id]), "errors": dict(self.view_errors.get(view_id, {}))}
                for view_id in self.modal_stacks.get(user, [])
                if view_id in self.views
            ]

    def view(self, view_id: str) -> dict[str, Any] | None:
        with self._lock:
            stored = self.views.get(view_id)
            return copy.deepcopy(stored) if stored is not None else None

    def close_modal(self, user: str, view_id: str | None = None) -> None:
        """Close ``view_id`` and the views above it in ``user``'s stack (all of them when None)."""
        with self._lock:
            stack = self.modal_stacks.get(user, [])
            if view_id is None or view_id not in stack:
                kept: list[str] = [] if view_id is None else stack
            else:
                kept = stack[: stack.index(view_id)]
            for closed in stack[len(kept) :]:
                self.view_errors.pop(closed, None)
            self.modal_stacks[user] = kept
            self._revision += 1

    def answer_submission(self, user: str, view_id: str, answer: Any) -> str | None:
        """Apply the app's answer to the submission of ``view_id`` as Slack does: nothing closes the
        view; ``response_action`` ``errors`` shows them by their inputs, ``update`` replaces the view,
        ``push`` stacks a new one, ``clear`` closes them all. Returns what Slack would refuse, if any
        (the view then stays as it was)."""
        with self._lock:
            stack = self.modal_stacks.get(user, [])
            if view_id not in stack or view_id not in self.views:
                return f"view {view_id} is not open for {user}"
            action = answer.get("response_action") if isinstance(answer, dict) else None
            problem: str | None = None
            if not answer:
                self.close_modal(user, view_id)
            elif action == "errors":
                problem = self._show_errors(view_id, answer.get("errors"))
            elif action in ("update", "push"):
                view = answer.get("view")
                found = validate_view(view)
                if found:
                    problem = "; ".join(found)
                elif not isinstance(view, dict) or view.get("type") != "modal":
                    problem = 'the view must be of type "modal"'
                elif action == "update":
                    existing = self.views[view_id]
                    self._store_view(
                        view,
                        view_id=view_id,
                        root_view_id=existing.get("root_view_id"),
                        previous_view_id=existing.get("previous_view_id"),
                    )
                    self.view_errors.pop(view_id, None)
                elif len(stack) >= MAX_MODAL_STACK:
                    problem = "push_limit_reached"
                else:
                    pushed = self._store_view(view, previous_view_id=stack[-1])
                    self.modal_stacks[user] = [*stack, pushed["id"]]
            elif action == "clear":
                self.close_modal(user)
            else:
                problem = f"unknown response_action {action!r}"
            self._revision += 1
            return problem

    def _show_errors(self, view_id: str, errors: Any) -> str | None:
        if not isinstance(errors, dict) or not errors:
            return "response_action errors needs an errors object"
        inputs = {
            block.get("block_id")
            for block in self.views[view_id].get("blocks", [])
            if isinstance(block, dict) and block.get("type") == "input"
        }
        unknown = [key for key in errors if key not in inputs]
        if unknown:
            return f"errors name block_id(s) with no input in the view: {', '.join(map(str, unknown))}"
        if not all(isinstance(text, str) and text for text in errors.values()):
            return "each error must be a non-empty string"
        self.view_errors[view_id] = {str(key): str(text) for key, text in errors.items()}
        return None

    # Ephemeral messages and response URLs -------------------------------------------------------------

    def response_url_for(
        self,
        user: str,
        channel: str,
        *,
        message_ts: str | None = None,
        ephemeral_ts: str | None = None,
    ) -> str:
        """A response_url whose posts ``user`` sees in ``channel``: a new ephemeral message, or with
        ``replace_original`` / ``delete_original`` the message acted on (a normal one at
        ``message_ts``, or the ephemeral one at ``ephemeral_ts``)."""
        with self._lock:
            name = self._next_id("R")
            self._response_targets[name] = ResponseTarget(user, channel, message_ts, ephemeral_ts)
            return f"{self.base_url}/response/{name}"

    def post_ephemeral_answer(self, user: str, channel: str, message: dict[str, Any]) -> str | None:
        """Show ``user`` an ephemeral message from the app (a slash command's answer). Returns what
        Slack would refuse about it, if anything."""
        with self._lock:
            if message.get("blocks") is None and not message.get("text"):
                return "no_text"
            problem = check_message(message)
            if problem is not None:
                return str(problem.get("error"))
            self._add_ephemeral(user, channel, message)
            return None

    def post_in_channel(self, channel: str, message: dict[str, Any]) -> str | None:
        """Post the app's answer for everyone in ``channel`` (a slash command answered ``in_channel``).
        Returns Slack's error, if any."""
        with self._lock:
            answer = self._m_chat_post_message({**message, "channel": channel})
            self._revision += 1
            return None if answer.get("ok") else str(answer.get("error"))

    def ephemerals_for(self, user: str) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(m) for m in self.ephemeral_messages if m.get("to_user") == user]

    def _add_ephemeral(self, user: str, channel: str, args: dict[str, Any]) -> str:
        ts = self._next_ts()
        echo = self._message_echo(args, ts)
        self.ephemeral_messages.append({**echo, "channel": channel, "to_user": user})
        self._revision += 1
        return ts

    def _response_posted(self, name: str, args: dict[str, Any]) -> None:
        target = self._response_targets.get(name)
        if target is None:
            return  # a response_url of the tests: recorded, nothing to show
        self._revision += 1
        replace, delete = truthy(args.get("replace_original")), truthy(args.get("delete_original"))
        if (replace or delete) and target.ephemeral_ts is not None:
            self._replace_ephemeral(target, None if delete else args)
        elif (replace or delete) and target.message_ts is not None:
            key = (target.channel, target.message_ts)
            if key in self.messages and delete:
                del self.messages[key]
            elif key in self.messages:
                stored = self.messages[key]
                stored["text"] = args.get("text") if isinstance(args.get("text"), str) else ""
                stored["blocks"] = copy.deepcopy(args.get("blocks") or [])
                stored["edited"] = {"user": self.BOT_USER_ID, "ts": self._next_ts()}
        elif delete:
            return
        elif args.get("response_type") == "in_channel":
            ts = self._next_ts()
            self.messages[(target.channel, ts)] = {**self._message_echo(args, ts), "channel": target.channel}
        else:
            self._add_ephemeral(target.user, target.channel, args)

    def _replace_ephemeral(self, target: ResponseTarget, args: dict[str, Any] | None) -> None:
        for index, message in enumerate(self.ephemeral_messages):
            if message.get("ts") == target.ephemeral_ts and message.get("to_user") == target.user:
                if args is None:
                    del self.ephemeral_messages[index]
                else:
                    echo = self._message_echo(args, message["ts"])
                    echo.update(channel=target.channel, to_user=target.user)
                    self.ephemeral_messages[index] = echo
                return

    def conversations(self) -> list[str]:
        """Every channel with a message in it or a file shared in it."""
        with self._lock:
            found = {channel for channel, _ in self.messages}
            for record in self.files.values():
                if record.get("shared_ts"):
                    found.update(record.get("channels") or [])
            return sorted(found)

    # Files ------------------------------------------------------------------------------------------

    def shared_files(self) -> list[dict[str, Any]]:
        """Every file shared in a channel (with ``shared_ts``: where it shows among the messages)."""
        with self._lock:
            return [copy.deepcopy(f) for f in self.files.values() if f.get("shared_ts")]

    def file_content(self, file_id: str) -> bytes | None:
        with self._lock:
            return self._uploads.get(file_id)
