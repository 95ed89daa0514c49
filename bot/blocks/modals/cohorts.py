"""The cohort modals: joining (the consent preview first), a placement, a mentor's note, the mentor's
targets and digest time, a co-mentor, and what a student shares. Each carries its cohort (and
student) in ``private_metadata``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    PlainTextInputElement,
    SectionBlock,
    TimePickerElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.kit import clip, esc, md, options, plain, radio, select
from bot.domain.cohort_report import ConsentPreview
from bot.domain.cohorts import NOTE_LIMIT, PLACEMENT_LIMIT, SharingLevel
from bot.domain.ids import ViewId
from bot.domain.window import WEEKDAYS
from bot.queries.models import CohortInfo, JoinPreview, ShareChoices

LEVELS = [
    (SharingLevel.COUNTS.value, "Counts and dates (the default)"),
    (SharingLevel.STAGES.value, "Also how many of my contacts are at each stage"),
]
CELEBRATE = "yes"


def _modal(
    callback: ViewId, title: str, submit: str, blocks: Sequence[Block], metadata: str
) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=callback,
        title=plain(title, 24),
        submit=plain(submit, 24),
        close=plain("Cancel", 24),
        private_metadata=metadata,
        blocks=list(blocks),
    ).to_dict()


def _field(
    block_id: str, label: str, limit: int, multiline: bool = False, initial: str | None = None
) -> Block:
    return InputBlock(
        block_id=block_id,
        label=plain(label, 2000),
        element=PlainTextInputElement(
            action_id=block_id, max_length=limit, multiline=multiline, initial_value=initial
        ),
    )


def _checkbox(block_id: str, label: str, text: str, ticked: bool) -> Block:
    choice = options([(CELEBRATE, text)])
    return InputBlock(
        block_id=block_id,
        label=plain(label, 2000),
        optional=True,
        element=CheckboxesElement(
            action_id=block_id, options=choice, initial_options=choice if ticked else None
        ),
    )


def _preview_text(preview: ConsentPreview) -> str:
    return "\n".join(f"• {line}" for line in preview.shown)


def _extra(preview: JoinPreview) -> str:
    return "\n".join(f"• {line}" for line in preview.stages.shown if line not in preview.counts.shown)


def join_modal(preview: JoinPreview, metadata: str) -> dict[str, Any]:
    info = preview.cohort
    mentors = ", ".join(f"<@{m}>" for m in info.mentors)
    never = "\n".join(f"• {line}" for line in preview.counts.never)
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"*{esc(clip(info.name, 80))}* is run by {mentors}. "
                "Before you join, this is exactly what they will see:"
            )
        ),
        SectionBlock(text=md(f"*By default*\n{_preview_text(preview.counts)}")),
        SectionBlock(text=md(f"*If you also share stages*, the above and\n{_extra(preview)}")),
        SectionBlock(text=md(f"*Never*\n{never}")),
        radio("sharing", "What your mentors may see", LEVELS, SharingLevel.COUNTS.value),
        _checkbox("celebrate", "Celebrations", "Name me in the channel's digest when I get a job", False),
        ContextBlock(
            elements=[
                md(
                    "Every time a mentor looks, it is recorded: `/infoint cohort me` shows who looked. "
                    "Pause or leave any time."
                )
            ]
        ),
    ]
    return _modal(ViewId.COHORT_JOIN, "Join the cohort", "Join", blocks, metadata)


def placement_modal(contacts: Sequence[tuple[str, str]], today: date, metadata: str) -> dict[str, Any]:
    """``contacts``: (id, label) of the student's contacts, for "which conversation led to it"."""
    blocks: list[Block] = [
        _field("what", "What did you get? (a role, a company)", PLACEMENT_LIMIT),
        InputBlock(
            block_id="on",
            label=plain("When was it agreed?", 2000),
            element=DatePickerElement(action_id="on", initial_date=today.isoformat()),
        ),
    ]
    if contacts:
        blocks.append(
            select("contact_id", "Which conversation led to it? (optional)", list(contacts)[:100], True, None)
        )
    blocks.append(
        ContextBlock(elements=[md("Your mentors see this; the channel only if you agreed to be celebrated.")])
    )
    return _modal(ViewId.COHORT_PLACED, "You got a job!", "Save", blocks, metadata)


def note_modal(student: str, metadata: str) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(text=md(f"A private note on <@{student}>: only this cohort's mentors see it.")),
        _field("note", "Note", NOTE_LIMIT, multiline=True),
    ]
    return _modal(ViewId.COHORT_NOTE, "Add a note", "Save", blocks, metadata)


def settings_modal(info: CohortInfo, metadata: str) -> dict[str, Any]:
    schedule, targets = info.schedule, info.targets
    days = [
        (str(n), name)
        for n, name in enumerate(
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        )
    ]
    blocks: list[Block] = [
        _field("requests", "Requests a week, per student", 2, initial=str(targets.requests)),
        _field("conversations", "Conversations a week, per student", 2, initial=str(targets.conversations)),
        select("weekday", "Weekly digest: day", days, False, str(schedule.weekday)),
        InputBlock(
            block_id="time",
            label=plain("Weekly digest: time", 2000),
            element=TimePickerElement(action_id="time", initial_time=f"{schedule.at:%H:%M}"),
        ),
        _field("timezone", "Timezone (e.g. Europe/Berlin)", 64, initial=schedule.timezone or "UTC"),
        ContextBlock(
            elements=[
                md(
                    f"Now: {WEEKDAYS[schedule.weekday]} {schedule.at:%H:%M}, "
                    f"{esc(schedule.timezone or 'UTC')}."
                )
            ]
        ),
    ]
    return _modal(ViewId.COHORT_SETTINGS, "Cohort settings", "Save", blocks, metadata)


def mentor_modal(metadata: str) -> dict[str, Any]:
    blocks: list[Block] = [
        InputBlock(
            block_id="mentor",
            label=plain("Who should co-mentor this cohort?", 2000),
            element=UserSelectElement(action_id="mentor"),
        ),
        ContextBlock(
            elements=[md("A mentor sees every student's row (counts and dates) and the weekly digest.")]
        ),
    ]
    return _modal(ViewId.COHORT_MENTOR, "Add a mentor", "Add", blocks, metadata)


def sharing_modal(choices: ShareChoices, metadata: str) -> dict[str, Any]:
    blocks: list[Block] = [
        radio("sharing", "For the whole cohort", LEVELS, choices.level.value),
        _checkbox(
            "celebrate", "Celebrations", "Name me in the channel's digest when I get a job", choices.celebrate
        ),
    ]
    if choices.contacts:
        pairs = [(str(cid), label) for cid, label in choices.contacts]
        blocks.append(
            select("share_contact", "Share one contact (its name, company and stage)", pairs, True, None)
        )
    if choices.interviews:
        pairs = [(str(iid), label) for iid, label in choices.interviews]
        blocks.append(select("share_interview", "Share one interview's takeaways", pairs, True, None))
    if choices.shared:
        kept = options(
            (f"{item.kind.value}:{item.item_id}", f"{item.kind.value.title()}: {item.contact_name}")
            for item in choices.shared[:10]
        )
        blocks.append(
            InputBlock(
                block_id="keep",
                label=plain("Shared now (untick to stop sharing)", 2000),
                optional=True,
                element=CheckboxesElement(action_id="keep", options=kept, initial_options=kept),
            )
        )
    return _modal(ViewId.COHORT_SHARING, "What mentors see", "Save", blocks, metadata)
