"""Slack listeners, grouped by kind; each module registers its own with ``register(app, services)``."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import (
    actions,
    commands,
    drafts,
    events,
    insights,
    interviews,
    lookup,
    nudges,
    questions,
    settings,
    views,
)


def register_all(app: App, services: Services) -> None:
    for module in (
        commands,
        actions,
        views,
        events,
        nudges,
        settings,
        interviews,
        drafts,
        questions,
        insights,
        lookup,
    ):
        module.register(app, services)
