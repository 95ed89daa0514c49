"""The 'log a contact' modal, and the same form to edit one.

It starts short: name, company, role, how you know them, where things stand. What applies appears when
it does (the introducer for a 2nd-degree contact, how a request went out, when the interview is), as
the radio buttons change (``dispatch_action``, then ``views.update``); the other details are behind
**Add details**. A field that is required when shown is never labelled optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    DateTimePickerElement,
    InputBlock,
    SectionBlock,
)

from bot.blocks.kit import button, clip, esc, md, modal, plain, radio, select, text_input
from bot.domain import pipeline as core
from bot.domain.forms import Standing
from bot.domain.ids import ActionId, ViewId
from bot.queries.models import ContactDetails

DETAIL_FIELDS = ("industry", "location", "source", "email", "linkedin_url", "phone", "learning_goal")


@dataclass(frozen=True)
class LogForm:
    """What the form shows: the choices made so far, whether the details are open, what is filled in
    (``values``, by field), and the contact being edited (None: a new one)."""

    degree: str = core.Degree.FIRST.value
    standing: str = Standing.TARGET.value
    details: bool = False
    values: Mapping[str, str | None] = field(default_factory=dict)
    editing: ContactDetails | None = None

    @classmethod
    def of(
        cls, values: Mapping[str, str | None], details: bool, editing: ContactDetails | None = None
    ) -> LogForm:
        """The form as a user left it (its state), to be shown again with what now applies."""
        return cls(
            degree=values.get("degree") or core.Degree.FIRST.value,
            standing=values.get("standing") or Standing.TARGET.value,
            details=details or any(values.get(f) for f in DETAIL_FIELDS),
            values=values,
            editing=editing,
        )

    @classmethod
    def to_edit(cls, contact: ContactDetails) -> LogForm:
        values = {
            "name": contact.name,
            "company": contact.company,
            "role": contact.role,
            "industry": contact.industry,
            "location": contact.location,
            "email": contact.email,
            "linkedin_url": contact.linkedin_url,
            "phone": contact.phone,
            "introducer": contact.introducer,
            "source": contact.source.value if contact.source is not core.Source.OTHER else None,
            "learning_goal": contact.learning_goal,
        }
        return cls.of({**values, "degree": contact.degree.value}, details=True, editing=contact)


def _text(form: LogForm, name: str) -> str:
    value = form.values.get(name)
    return value if isinstance(value, str) else ""


def log_contact_modal(private_metadata: str = "", form: LogForm | None = None) -> dict[str, Any]:
    form = form or LogForm()
    degrees = [(d.value, d.label) for d in core.Degree]
    blocks: list[Block] = []
    if form.editing is not None:
        blocks.append(ContextBlock(elements=[md(f"Stage: {form.editing.stage.label}")]))
    blocks += [
        text_input("name", "Name", optional=False, placeholder="Who is it?", initial=_text(form, "name")),
        text_input("company", "Company", initial=_text(form, "company")),
        text_input("role", "Role", placeholder="e.g. UX researcher", initial=_text(form, "role")),
        radio(
            "degree",
            "How do you know them?",
            degrees,
            initial=form.degree,
            on_change=ActionId.LOG_FORM_CHANGED,
        ),
    ]
    if form.degree == core.Degree.SECOND.value:
        blocks.append(
            text_input(
                "introducer",
                "Who will introduce you?",
                optional=False,
                placeholder="The person you both know",
                initial=_text(form, "introducer"),
            )
        )
    if form.editing is None:
        blocks += _standing(form)
    if form.details:
        blocks += _details(form)
    else:
        blocks.append(
            ActionsBlock(
                block_id="log_more",
                elements=[button("Add details", ActionId.LOG_ADD_DETAILS)],
            )
        )
        blocks.append(
            ContextBlock(
                elements=[md("Industry, email, LinkedIn, phone, what you want to learn: all optional.")]
            )
        )
    editing = form.editing
    return modal(
        f"Edit {clip(editing.name, 19)}" if editing else "Log a contact",
        blocks,
        callback_id=ViewId.EDIT_CONTACT if editing else ViewId.LOG_CONTACT,
        submit="Save",
        private_metadata=private_metadata or None,
    )


def _standing(form: LogForm) -> list[Block]:
    standings = [(s.value, s.label) for s in Standing]
    blocks: list[Block] = [
        radio(
            "standing",
            "Where do things stand?",
            standings,
            initial=form.standing,
            on_change=ActionId.LOG_FORM_CHANGED,
        )
    ]
    if form.standing == Standing.REQUEST_SENT.value:
        channels = [(c.value, c.label) for c in core.OutreachChannel]
        blocks.append(
            select(
                "request_channel",
                "How did you send it?",
                channels,
                optional=True,
                initial=_text(form, "request_channel") or None,
            )
        )
    if form.standing == Standing.INTERVIEW_SCHEDULED.value:
        blocks.append(
            InputBlock(
                block_id="interview_at",
                label=plain("When is the interview?"),
                optional=False,
                element=DateTimePickerElement(action_id="interview_at"),
            )
        )
    return blocks


def _details(form: LogForm) -> list[Block]:
    sources = [(s.value, s.label) for s in core.Source]
    return [
        text_input("industry", "Industry", placeholder="e.g. Healthcare", initial=_text(form, "industry")),
        text_input("location", "Location", initial=_text(form, "location")),
        select(
            "source",
            "Where did they come from?",
            sources,
            optional=True,
            initial=_text(form, "source") or None,
        ),
        text_input("email", "Email", initial=_text(form, "email")),
        text_input(
            "linkedin_url",
            "LinkedIn or web profile",
            placeholder="https://",
            initial=_text(form, "linkedin_url"),
        ),
        text_input("phone", "Phone", initial=_text(form, "phone")),
        text_input(
            "learning_goal",
            "What do you want to learn from them?",
            multiline=True,
            placeholder="An industry, a company, a role, the day-to-day of a job…",
            initial=_text(form, "learning_goal"),
        ),
    ]


def removal_modal(name: str, private_metadata: str) -> dict[str, Any]:
    """Remove a contact: asks first, and says what goes with them."""
    who = esc(clip(name, 100))
    text = (
        f"Remove *{who}* from your list? Their reminders stop and go from your DMs, and their requests, "
        "interviews and notes are deleted. People they introduced stay on your list."
    )
    return modal(
        "Remove a contact",
        [SectionBlock(text=md(text))],
        callback_id=ViewId.REMOVE_CONTACT,
        submit="Remove",
        close="Keep them",
        private_metadata=private_metadata,
    )


def said_modal(title: str, text: str) -> dict[str, Any]:
    """A form's last word: what happened, or why nothing was done (``text``: plain)."""
    return modal(title, [SectionBlock(text=plain(text))], close="Close")
