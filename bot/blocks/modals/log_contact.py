"""The 'log a contact' modal: who they are, how you know them, where things stand."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DateTimePickerElement

from bot.blocks.kit import form_input, modal, radio, select, text_input
from bot.domain import pipeline as core
from bot.domain.forms import Standing
from bot.domain.ids import ViewId


def log_contact_modal(private_metadata: str = "") -> dict[str, Any]:
    degrees = [(d.value, d.label) for d in core.Degree]
    sources = [(s.value, s.label) for s in core.Source]
    standings = [(s.value, s.label) for s in Standing]
    channels = [(c.value, c.label) for c in core.OutreachChannel]
    blocks: list[Block] = [
        text_input("name", "Name", optional=False, placeholder="Who is it?"),
        text_input("company", "Company"),
        text_input("role", "Role", placeholder="e.g. UX researcher"),
        text_input("industry", "Industry", placeholder="e.g. Healthcare"),
        text_input("location", "Location"),
        radio("degree", "How do you know them?", degrees, initial=core.Degree.FIRST.value),
        text_input(
            "introducer",
            "Introducer",
            placeholder="Who connects you?",
            hint="Needed for a 2nd-degree contact: the person who will introduce you.",
        ),
        select("source", "Where did they come from?", sources, optional=True, initial=None),
        text_input("email", "Email"),
        text_input("linkedin_url", "LinkedIn or web profile", placeholder="https://"),
        text_input("phone", "Phone"),
        text_input(
            "learning_goal",
            "What do you want to learn from them?",
            multiline=True,
            placeholder="An industry, a company, a role, the day-to-day of a job…",
        ),
        radio("standing", "Where do things stand?", standings, initial=Standing.TARGET.value),
        select(
            "request_channel",
            "If you sent a request today: how?",
            channels,
            optional=True,
            initial=None,
        ),
        form_input(
            "interview_at", "If an interview is scheduled: when?", DateTimePickerElement, optional=True
        ),
    ]
    return modal(
        "Log a contact",
        blocks,
        callback_id=ViewId.LOG_CONTACT,
        submit="Save",
        private_metadata=private_metadata or None,
    )
