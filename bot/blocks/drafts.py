"""The 'draft a message' modal for a contact: editable drafts and a mail link."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.kit import button, clip, esc, mailto, md, plain, radio
from bot.domain import pipeline as core
from bot.domain.ids import ActionId, ViewId
from bot.queries.models import ContactDrafts

# The form field of a 2nd-degree target's drafts saying whom the request went to.
SENT_VIA = "sent_via"


def contact_drafts_modal(found: ContactDrafts, private_metadata: str) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(text=md(f"Drafts for *{esc(clip(found.name, 100))}*: edit, copy, send."))
    ]
    for field, label, draft in found.drafts:
        blocks.append(
            InputBlock(
                block_id=field,
                label=plain(label),
                hint=plain(f"Subject: {clip(draft.subject, 140)}", 150),
                element=PlainTextInputElement(
                    action_id=field, multiline=True, max_length=3000, initial_value=draft.body[:3000]
                ),
            )
        )
        if field == "draft" and found.email:
            link = mailto(found.email, draft)
            if len(link) <= 3000:
                blocks.append(
                    ActionsBlock(elements=[button("Open in my mail app", ActionId.OPEN_MAILTO, url=link)])
                )
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
    return View(
        type="modal",
        callback_id=ViewId.CONTACT_DRAFT,
        title=plain("Draft a message", 24),
        submit=plain("Sent it" if found.records_a_request else "Done", 24),
        close=plain("Close", 24),
        private_metadata=private_metadata,
        blocks=blocks,
    ).to_dict()
