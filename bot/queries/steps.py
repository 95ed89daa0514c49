"""Reading contacts' next steps for the screens: the facts from the one mapper, the answer from
:mod:`bot.domain.nextstep`, the day in the student's own timezone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from bot.domain.nextstep import NextStep, next_step
from bot.domain.preferences import nudge_settings
from bot.domain.window import day_label, zone
from bot.queries.models import StepLine
from storage.facts import facts_of
from storage.models import Contact, User


def line_of(step: NextStep, tz: tzinfo, now: datetime) -> StepLine:
    today = now.astimezone(tz).date()
    day = day_label(step.due_at, tz, today) if step.due_at is not None else None
    return StepLine(
        step.contact_id, step.name, step.kind, day, step.overdue, step.nudge_id, step.interview_id
    )


def next_steps_of(
    session: Session, owner: User, contacts: Sequence[Contact], now: datetime
) -> list[NextStep]:
    """The next step of each of ``owner``'s contacts given (loaded with attempts and interviews),
    the most pressing first."""
    settings = nudge_settings(owner.preferences, owner.timezone)
    steps = [next_step(f, now, settings) for f in facts_of(session, owner.team_id, contacts)]
    return sorted((s for s in steps if s is not None), key=NextStep.sort_key)


def step_lines(session: Session, owner: User, contacts: Sequence[Contact], now: datetime) -> list[StepLine]:
    """The next steps as the screens show them, the most pressing first."""
    tz = zone(owner.timezone)
    return [line_of(s, tz, now) for s in next_steps_of(session, owner, contacts, now)]


def step_line_by_contact(
    session: Session, owner: User, contacts: Sequence[Contact], now: datetime
) -> dict[int, StepLine]:
    return {line.contact_id: line for line in step_lines(session, owner, contacts, now)}
