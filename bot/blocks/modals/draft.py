"""A reminder's draft (follow-up, voicemail script, thank-you…), editable, with a mail link."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

from bot.blocks.kit import clip, draft_input, mail_button, modal
from bot.domain.drafts import Draft
from bot.domain.ids import ViewId
from bot.domain.nudges import NudgeKind
from bot.queries.models import NudgeDraft


def draft_title(kind: NudgeKind) -> str:
    return "Voicemail script" if kind is NudgeKind.PHONE_CALL else "Draft"


def nudge_draft_modal(found: NudgeDraft, private_metadata: str) -> dict[str, Any]:
    """The draft a reminder offers; "Sent it" counts as done."""
    return draft_modal(draft_title(found.kind), found.draft, private_metadata, email=found.email)


def draft_modal(title: str, draft: Draft, private_metadata: str, email: str = "") -> dict[str, Any]:
    """An editable draft; with an email address, a button that opens the mail program with it."""
    blocks: list[Block] = [
        draft_input(
            "draft",
            clip(draft.subject, 150) or "Draft",
            draft,
            "Edit it, copy it, send it from your own mail or LinkedIn. Then press “Sent it”.",
        ),
        *mail_button(email, draft),
    ]
    return modal(
        title,
        blocks,
        callback_id=ViewId.NUDGE_DRAFT,
        submit="Sent it",
        close="Close",
        private_metadata=private_metadata,
    )
