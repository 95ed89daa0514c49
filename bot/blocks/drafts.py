"""The 'draft a message' modal for a contact: editable drafts and a mail link."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, SectionBlock

from bot.blocks.kit import clip, draft_input, esc, mail_button, md, modal, radio
from bot.domain import pipeline as core
from bot.domain.ids import ViewId
from bot.queries.models import ContactDrafts

# The form field of a 2nd-degree target's drafts saying whom the request went to.
SENT_VIA = "sent_via"


def contact_drafts_modal(found: ContactDrafts, private_metadata: str) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(text=md(f"Drafts for *{esc(clip(found.name, 100))}*: edit, copy, send."))
    ]
    for field, label, draft in found.drafts:
        blocks.append(draft_input(field, label, draft, f"Subject: {clip(draft.subject, 140)}"))
        if field == "draft":
            blocks += mail_button(found.email, draft)
    if found.asks_route:
        introducer = clip(found.introducer or "our mutual contact", 30)
        routes = [
            (core.RequestRoute.INTRODUCTION.value, f"I asked {introducer} for an introduction"),
            (core.RequestRoute.DIRECT.value, f"I wrote to {clip(found.name, 30)} directly"),
        ]
        blocks.append(radio(SENT_VIA, "Which did you send?", routes, None))
    if found.records_a_request:
        blocks.append(
            SectionBlock(
                text=md("Press *Sent it* once it's on its way: I'll record it and time the follow-up.")
            )
        )
    return modal(
        "Draft a message",
        blocks,
        callback_id=ViewId.CONTACT_DRAFT,
        submit="Sent it" if found.records_a_request else "Done",
        close="Close",
        private_metadata=private_metadata,
    )
