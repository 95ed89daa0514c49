"""The Web API's file upload methods (files_upload_v2's two steps, around a POST to an upload URL)."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.fakeslack.state import SlackState
from bot.fakeslack.wire import error, invalid_arguments, str_arg

#: What the fake keeps about a file but does not answer.
_NOT_ANSWERED = frozenset({"initial_comment", "thread_ts", "shared_ts"})


class FileMethods(SlackState):
    """files.getUploadURLExternal and files.completeUploadExternal."""

    def _m_files_get_upload_url_external(self, args: dict[str, Any]) -> dict[str, Any]:
        filename = str_arg(args, "filename")
        length = str_arg(args, "length")
        if filename is None:
            return invalid_arguments("missing required field: filename")
        if length is None or not length.isdigit():
            return invalid_arguments("missing or invalid field: length")
        file_id = self._next_id("F")
        self._pending_uploads[file_id] = {
            "filename": filename,
            "length": int(length),
            "alt_txt": args.get("alt_txt"),
            "snippet_type": args.get("snippet_type"),
        }
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _m_files_complete_upload_external(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        if isinstance(files, str):
            try:
                files = json.loads(files)
            except ValueError:
                return invalid_arguments("files must be a JSON array [json-pointer:/files]")
        if not isinstance(files, list) or not files:
            return invalid_arguments("missing required field: files")
        channel = str_arg(args, "channel_id")
        channels = [channel] if channel else []
        if isinstance(args.get("channels"), str):
            channels += [c for c in args["channels"].split(",") if c]
        completed: list[dict[str, Any]] = []
        for entry in files:
            file_id = entry.get("id") if isinstance(entry, dict) else None
            if file_id not in self._pending_uploads or file_id not in self._uploads:
                return error("file_not_found")
            pending = self._pending_uploads[file_id]
            name = pending["filename"]
            record = {
                "id": file_id,
                "name": name,
                "title": entry.get("title") or name,
                "filetype": name.rsplit(".", 1)[-1] if "." in name else "binary",
                "size": len(self._uploads[file_id]),
                "user": self.BOT_USER_ID,
                "created": int(time.time()),
                "channels": list(channels),
                "initial_comment": args.get("initial_comment"),
                "thread_ts": args.get("thread_ts"),
                # When it was shared in its channels: where it shows among their messages.
                "shared_ts": self._next_ts() if channels else None,
            }
            self.files[file_id] = record
            completed.append({k: v for k, v in record.items() if k not in _NOT_ANSWERED})
        return {"ok": True, "files": completed}
