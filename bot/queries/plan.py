"""Reading a week: its progress against the weekly goals, and the Monday plan (what to do this week,
the targets picked for it, or help after two quiet weeks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain import plan as rules
from bot.domain.preferences import nudge_settings
from bot.domain.window import day_label, week_start, zone
from bot.queries.cohorts import plan_cohorts
from bot.queries.contacts import card_of
from bot.queries.lookup import weekly_goal_texts
from bot.queries.models import WeeklySummary, WeekProgress
from bot.queries.steps import line_of, next_steps_of
from storage.models import Contact, Interview, OutreachAttempt, User
from storage.repository import Repository

# The Monday plan lists at most this many steps, the most pressing first.
PLAN_STEPS = 10


def _bounds(week: date, user: User) -> tuple[datetime, datetime]:
    tz = zone(user.timezone)
    start = datetime.combine(week, datetime.min.time(), tzinfo=tz)
    return start, start + timedelta(days=7)


def week_progress(
    session: Session,
    user: User,
    now: datetime,
    week: date | None = None,
    contacts: Sequence[Contact] | None = None,
) -> WeekProgress:
    """``week`` (by default the one ``now`` falls in) against the user's weekly goals. ``contacts``:
    all of the user's contacts, already loaded with their attempts and interviews (the week is then
    counted from them, with no query)."""
    settings = nudge_settings(user.preferences, user.timezone)
    tz = zone(user.timezone)
    this_week = week_start(now, tz)
    week = week or this_week
    start, end = _bounds(week, user)
    if contacts is None:
        requests, interviews = _week_counts(session, user, start, end)
    else:
        requests, interviews = _counted(contacts, start, end)
    chosen = rules.choices(user.preferences, week)
    today = now.astimezone(tz).date()
    return WeekProgress(
        week=day_label(start, tz, today),
        requests_sent=requests,
        requests_goal=settings.weekly_requests,
        interviews=interviews,
        interviews_goal=settings.weekly_interviews,
        skipped=chosen.skipped,
        paused=chosen.paused,
        next_week=day_label(end, tz, today),
        current=week == this_week,
    )


# An interview counts towards the week's goal once booked, and still once held.
_COUNTED = (core.InterviewStatus.SCHEDULED.value, core.InterviewStatus.DONE.value)


def _week_counts(session: Session, user: User, start: datetime, end: datetime) -> tuple[int, int]:
    """First requests sent and interviews (booked or held) in [start, end), by query."""
    mine = (Contact.team_id == user.team_id, Contact.owner_id == user.id)
    requests = session.scalar(
        select(func.count())
        .select_from(OutreachAttempt)
        .join(Contact, OutreachAttempt.contact_id == Contact.id)
        .where(
            *mine,
            OutreachAttempt.number == 1,
            OutreachAttempt.sent_at >= start,
            OutreachAttempt.sent_at < end,
        )
    )
    interviews = session.scalar(
        select(func.count())
        .select_from(Interview)
        .join(Contact, Interview.contact_id == Contact.id)
        .where(*mine, Interview.status.in_(_COUNTED), Interview.starts_at >= start, Interview.starts_at < end)
    )
    return requests or 0, interviews or 0


def _counted(contacts: Sequence[Contact], start: datetime, end: datetime) -> tuple[int, int]:
    """The same counts, from contacts loaded with their attempts and interviews."""
    requests = sum(1 for c in contacts for a in c.attempts if a.number == 1 and start <= a.sent_at < end)
    interviews = sum(
        1 for c in contacts for i in c.interviews if i.status in _COUNTED and start <= i.starts_at < end
    )
    return requests, interviews


def last_move(session: Session, user: User) -> datetime | None:
    """When something last moved: a request or follow-up sent, a reply, an interview booked or held."""
    mine = (Contact.team_id == user.team_id, Contact.owner_id == user.id)
    moments = [
        session.scalar(select(func.max(OutreachAttempt.sent_at)).join(Contact).where(*mine)),
        session.scalar(select(func.max(OutreachAttempt.outcome_at)).join(Contact).where(*mine)),
        session.scalar(select(func.max(Interview.created_at)).join(Contact).where(*mine)),
        session.scalar(select(func.max(Interview.done_at)).join(Contact).where(*mine)),
    ]
    found = [m if m.tzinfo else m.replace(tzinfo=UTC) for m in moments if m is not None]
    return max(found, default=None)


def weekly_summary(session: Session, user: User, now: datetime, week: date | None = None) -> WeeklySummary:
    """The Monday plan of ``week`` (by default this one), as of ``now``."""
    settings = nudge_settings(user.preferences, user.timezone)
    tz = zone(user.timezone)
    week = week or week_start(now, tz)
    _, end = _bounds(week, user)
    contacts = Repository(session, user.team_id).contacts_of(user)
    every_step = next_steps_of(session, user, contacts, now)
    lines = {s.contact_id: line_of(s, tz, now) for s in every_step}
    cards = {c.id: card_of(c, lines.get(c.id)) for c in contacts}
    chosen = rules.choices(user.preferences, week)
    picked = [cards[i] for i in chosen.targets if i in cards and cards[i].stage is core.Stage.TARGET]
    picked_ids = {c.id for c in picked}
    # This week's steps: overdue ones, those whose reminder comes before the week ends, and those
    # with no reminder behind them (a first request, booking a time after a yes).
    steps = [
        s for s in every_step if (s.due_at is None or s.due_at < end) and s.contact_id not in picked_ids
    ][:PLAN_STEPS]
    targets = [c for c in contacts if c.stage == core.Stage.TARGET.value]
    first = min((c.created_at for c in contacts), default=None)
    quiet = rules.is_quiet(last_move(session, user), first, now, rules.skipped_weeks(user.preferences))
    suggested = rules.suggestions(rules.Target(c.id, core.Degree(c.degree), c.created_at) for c in targets)
    objective, targets_text = weekly_goal_texts(user.preferences)
    progress = week_progress(session, user, now, week)
    return WeeklySummary(
        requests_sent=progress.requests_sent,
        requests_goal=settings.weekly_requests,
        interviews=progress.interviews,
        interviews_goal=settings.weekly_interviews,
        targets=len(targets),
        due=tuple(lines[s.contact_id] for s in steps),
        objective=objective,
        targets_text=targets_text,
        progress=progress,
        cards=tuple(cards[s.contact_id] for s in steps),
        picked=tuple(picked),
        quiet=quiet and not picked,
        suggested=tuple(cards[i] for i in suggested),
        cohorts=plan_cohorts(session, user, now),
    )
