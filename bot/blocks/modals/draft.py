"""A reminder's draft (follow-up, voicemail script, thank-you…), editable, with a mail link."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks.kit import button, clip, mailto, plain
from bot.domain.drafts import Draft
from bot.domain.ids import ActionId, ViewId
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
        InputBlock(
            block_id="draft",
            label=plain(clip(draft.subject, 150) or "Draft"),
            element=PlainTextInputElement(
                action_id="draft", multiline=True, max_length=3000, initial_value=draft.body[:3000]
            ),
            hint=plain("Edit it, copy it, send it from your own mail or LinkedIn. Then press “Sent it”."),
        )
    ]
    if email:
        link = mailto(email, draft)
        if len(link) <= 3000:
            blocks.append(
                ActionsBlock(elements=[button("Open in my mail app", ActionId.OPEN_MAILTO, url=link)])
            )
    return View(
        type="modal",
        callback_id=ViewId.NUDGE_DRAFT,
        title=plain(clip(title, 24), 24),
        submit=plain("Sent it", 24),
        close=plain("Close", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()
