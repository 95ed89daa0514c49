"""Reading what a nudge DM shows (its items) from the records, for the sweep and for redrawing a DM."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.domain.reminders import ReminderStatus, Resolution
from bot.domain.window import day_label, moment_label, next_opening, zone
from bot.queries.contacts import next_target
from bot.queries.drafts import draft_for
from bot.queries.models import NudgeItem, StepLine
from bot.queries.plan import weekly_summary
from bot.queries.steps import line_of, next_steps_of
from storage.db import Database
from storage.models import Contact, Interview, Nudge, User
from storage.repository import Repository


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


def _plan_week(nudge: Nudge) -> date | None:
    """The Monday a weekly plan is about, from its key ("weekly_plan:2026-03-02")."""
    try:
        return date.fromisoformat(nudge.key.partition(":")[2])
    except ValueError:
        return None


def load_items(session: Session, user: User, nudges: Sequence[Nudge], now: datetime) -> list[NudgeItem]:
    items: list[NudgeItem] = []
    for nudge in nudges:
        kind = NudgeKind(nudge.kind)
        if kind is NudgeKind.WEEKLY_PLAN:
            items.append(
                NudgeItem(
                    nudge.id,
                    kind,
                    weekly=weekly_summary(session, user, now, _plan_week(nudge)),
                    resolution=_closed(nudge),
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

    def dms_about_interview(
        self, team_id: str, slack_user_id: str, interview_id: int
    ) -> list[tuple[str, str]]:
        """The DMs (channel, ts) where a reminder about the user's interview is waiting."""
        with self.db.session() as session:
            user = Repository(session, team_id).find_user(slack_user_id)
            if user is None:
                return []
            found = session.execute(
                select(Nudge.channel, Nudge.message_ts)
                .where(
                    Nudge.team_id == team_id,
                    Nudge.user_id == user.id,
                    Nudge.interview_id == interview_id,
                    Nudge.status == "sent",
                )
                .distinct()
            ).all()
            return [(channel, ts) for channel, ts in found if channel and ts]

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
