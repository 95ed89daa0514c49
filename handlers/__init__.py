"""Slack listeners by feature, as module-level functions; each module's ``register(app)`` wires ids to them.

The services, the workspace and the user reach every listener through Bolt's context
(:mod:`handlers.context`, a global middleware added in ``bot/app.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from slack_bolt import App

from bot.domain.ids import ViewId
from handlers import (
    cohort_actions,
    cohort_events,
    cohort_students,
    commands,
    contact_edits,
    contacts,
    datarights,
    drafts,
    home,
    interviews,
    lookup,
    nudges,
    plan,
    questions,
    settings,
)

#: Modals whose form is checked before their listener starts, in the request's thread (pure checks,
#: no database), and acknowledged there: with its errors, or, right, with nothing (the form closes).
FORMS_CHECKED_FIRST: dict[str, Callable[[Mapping[str, Any], datetime], Any]] = {
    ViewId.LOG_CONTACT.value: contacts.log_form,
}


def register_all(app: App) -> None:
    for module in (
        commands,
        contacts,
        contact_edits,
        nudges,
        plan,
        interviews,
        drafts,
        questions,
        lookup,
        settings,
        home,
        cohort_actions,
        cohort_students,
        cohort_events,
        datarights,
    ):
        module.register(app)
