"""Reading what a nudge DM shows (its items) from the records, for the sweep and for redrawing a DM."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.domain.reminders import ReminderStatus, Resolution
from bot.domain.window import day_label, moment_label, next_opening, week_start, zone
from bot.queries.cohorts import plan_cohorts
from bot.queries.contacts import next_target
from bot.queries.drafts import draft_for
from bot.queries.lookup import weekly_goal_texts
from bot.queries.models import NudgeItem, StepLine, WeeklySummary
from bot.queries.steps import line_of, next_steps_of
from storage.db import Database
from storage.models import Contact, Interview, Nudge, OutreachAttempt, User
from storage.repository import Repository

# The Monday plan lists at most this many steps, the most pressing first.
PLAN_STEPS = 10


def _closed(nudge: Nudge) -> str | None:
    """What became of a reminder (a resolution, or the status that closed it); None while it waits."""
    if nudge.status == ReminderStatus.PENDING.value and nudge.resolution == Resolution.SNOOZED.value:
        return Resolution.SNOOZED.value
    if ReminderStatus(nudge.status).is_closed:
        return nudge.resolution or nudge.status
    return None


def thank_you_deadline(interview: Interview, user: User) -> datetime:
    """The latest a thank-you may wait: its hours (48 by default) after the conversation ended."""
    ended = interview.starts_at + timedelta(minutes=interview.duration_minutes)
    finished = max(ended, interview.done_at) if interview.done_at else ended
    return finished + nudge_settings(user.preferences, user.timezone).pipeline.thank_you_within


def _when(instant: datetime, user: User) -> datetime:
    """When a reminder due at ``instant`` really reaches the student: inside their working window."""
    settings = nudge_settings(user.preferences, user.timezone)
    return next_opening(instant, zone(settings.timezone), settings.window)


def _snooze(nudge: Nudge, interview: Interview | None, user: User, now: datetime) -> tuple[str, int]:
    """A snoozed reminder: the local day and time it comes back, and the hours it was capped at (a
    thank-you is never snoozed past them; 0: not capped)."""
    tz = zone(user.timezone)
    comes = moment_label(_when(nudge.due_at, user), tz, now.astimezone(tz).date())
    if NudgeKind(nudge.kind) is not NudgeKind.THANK_YOU or interview is None:
        return comes, 0
    if nudge.due_at != thank_you_deadline(interview, user):
        return comes, 0
    within = nudge_settings(user.preferences, user.timezone).pipeline.thank_you_within
    return comes, int(within.total_seconds() // 3600)


def _next_line(session: Session, user: User, contact: Contact, now: datetime) -> StepLine | None:
    """The contact's next step, its day the one its reminder really comes, in the student's timezone."""
    steps = next_steps_of(session, user, [contact], now)
    if not steps:
        return None
    step = steps[0]
    if step.due_at is None or step.overdue:
        return line_of(step, zone(user.timezone), now)
    tz = zone(user.timezone)
    day = day_label(_when(step.due_at, user), tz, now.astimezone(tz).date())
    return StepLine(step.contact_id, step.name, step.kind, day)


def _next_target(session: Session, contact: Contact) -> str:
    found = next_target(session, contact)
    return found.name if found else ""


def weekly_summary(session: Session, user: User, now: datetime) -> WeeklySummary:
    settings = nudge_settings(user.preferences, user.timezone)
    tz = zone(user.timezone)
    monday = week_start(now, tz)
    start = datetime.combine(monday, datetime.min.time(), tzinfo=tz)
    end = start + timedelta(days=7)
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
        .where(
            *mine,
            Interview.status.in_([core.InterviewStatus.SCHEDULED.value, core.InterviewStatus.DONE.value]),
            Interview.starts_at >= start,
            Interview.starts_at < end,
        )
    )
    contacts = Repository(session, user.team_id).contacts_of(user)
    # This week's steps: overdue ones, those whose reminder comes before the week ends, and those
    # with no reminder behind them (a first request, booking a time after a yes).
    steps = [s for s in next_steps_of(session, user, contacts, now) if s.due_at is None or s.due_at < end]
    due = [line_of(s, tz, now) for s in steps[:PLAN_STEPS]]
    objective, targets_text = weekly_goal_texts(user.preferences)
    return WeeklySummary(
        requests_sent=requests or 0,
        requests_goal=settings.weekly_requests,
        interviews=interviews or 0,
        interviews_goal=settings.weekly_interviews,
        targets=sum(1 for c in contacts if c.stage == core.Stage.TARGET.value),
        due=tuple(due),
        objective=objective,
        targets_text=targets_text,
        cohorts=plan_cohorts(session, user, now),
    )


def load_items(session: Session, user: User, nudges: Sequence[Nudge], now: datetime) -> list[NudgeItem]:
    items: list[NudgeItem] = []
    for nudge in nudges:
        kind = NudgeKind(nudge.kind)
        if kind is NudgeKind.WEEKLY_PLAN:
            items.append(
                NudgeItem(
                    nudge.id, kind, weekly=weekly_summary(session, user, now), resolution=_closed(nudge)
                )
            )
            continue
        contact = session.get(Contact, nudge.contact_id) if nudge.contact_id else None
        if contact is None:
            continue
        interview = session.get(Interview, nudge.interview_id) if nudge.interview_id else None
        draft = draft_for(session, nudge, now) if kind in (NudgeKind.THANK_YOU,) else None
        closed = _closed(nudge)
        snoozed, capped = _snooze(nudge, interview, user, now) if closed == "snoozed" else ("", 0)
        acted = closed in (Resolution.DONE.value, Resolution.INTRODUCED.value)
        items.append(
            NudgeItem(
                nudge_id=nudge.id,
                kind=kind,
                contact_name=contact.name,
                company=contact.company,
                role=contact.role,
                learning_goal=contact.learning_goal,
                introducer=contact.introducer_name,
                attempts=len(contact.attempts),
                interview_at=interview.starts_at if interview else None,
                interview_minutes=interview.duration_minutes if interview else 0,
                interview_place=interview.place if interview else "",
                draft=draft,
                step=nudge.step,
                next_target=_next_target(session, contact) if kind is NudgeKind.MOVE_ON else "",
                resolution=closed,
                questions=tuple(interview.questions or ()) if interview else (),
                interview_id=interview.id if interview else None,
                snoozed_until=snoozed,
                snooze_capped_hours=capped,
                next_step=_next_line(session, user, contact, now) if acted else None,
            )
        )
    return items


class NudgeQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    def dm_items(
        self, team_id: str, slack_user_id: str, channel: str, ts: str, now: datetime
    ) -> list[NudgeItem]:
        """Every reminder one of the user's nudge DMs carries, as it stands now."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            if user is None:
                return []
            siblings = session.scalars(
                select(Nudge)
                .where(
                    Nudge.team_id == team_id,
                    Nudge.user_id == user.id,
                    Nudge.channel == channel,
                    Nudge.message_ts == ts,
                )
                .order_by(Nudge.id)
            ).all()
            return load_items(session, user, siblings, now)
