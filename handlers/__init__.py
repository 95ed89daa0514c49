"""Slack listeners by feature, as module-level functions; each module's ``register(app)`` wires ids to them.

The services, the workspace and the user reach every listener through Bolt's context
(:mod:`handlers.context`, a global middleware added in ``bot/app.py``).
"""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    commands,
    contact_edits,
    contacts,
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
    modules = (
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
    )
    for module in modules:
        module.register(app)
