"""Slack listeners by feature, as module-level functions; each module's ``register(app)`` wires ids to them.

The services, the workspace and the user reach every listener through Bolt's context
(:mod:`handlers.context`, a global middleware added in ``bot/app.py``).
"""

from __future__ import annotations

from slack_bolt import App

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
