"""Reading what a nudge DM shows (its items) from the records, for the sweep and for redrawing a DM."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain.nudges import NudgeKind
from bot.domain.preferences import nudge_settings
from bot.domain.window import week_start, zone
from bot.queries.cohorts import plan_cohorts
from bot.queries.drafts import draft_for
from bot.queries.lookup import weekly_goal_texts
from bot.queries.models import NudgeItem, WeeklySummary
from bot.queries.steps import line_of, next_steps_of
from storage.db import Database
from storage.models import Contact, Interview, Nudge, OutreachAttempt, User
from storage.repository import Repository

# The Monday plan lists at most this many steps, the most pressing first.
PLAN_STEPS = 10

RESOLUTIONS = {
    "done": "✅ Done.",
    "moved_on": "🚪 Closed as no response. On to the next one.",
    "replied_yes": "🎉 They said yes: book a time that suits them.",
    "replied_no": "🙏 They said no. Closed politely; it's not personal.",
    "replied_later": "⏳ They'll get back to you later. I'll check again in two weeks.",
    "notes": "📝 Notes saved. Interview marked as done.",
    "missed": "🕳 Marked as didn't happen. Book a new time when you can.",
    "rescheduled": "📅 Rescheduled.",
    "referrals": "🔗 Referrals added to your list.",
    "obsolete": "This reminder is out of date.",
}


def _resolution(nudge: Nudge) -> str | None:
    if nudge.status == "pending" and nudge.resolution == "snoozed":
        until = int(nudge.due_at.timestamp())
        return f"⏰ Snoozed until <!date^{until}^{{date_short_pretty}} at {{time}}|later>."
    if nudge.status in ("resolved", "obsolete", "expired"):
        return RESOLUTIONS.get(nudge.resolution or nudge.status, "✅ Done.")
    return None


def _next_target(session: Session, contact: Contact) -> str:
    name = session.scalar(
        select(Contact.name)
        .where(
            Contact.team_id == contact.team_id,
            Contact.owner_id == contact.owner_id,
            Contact.stage == core.Stage.TARGET.value,
            Contact.id != contact.id,
        )
        .order_by(Contact.created_at, Contact.id)
        .limit(1)
    )
    return name or ""


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
                    nudge.id, kind, weekly=weekly_summary(session, user, now), resolution=_resolution(nudge)
                )
            )
            continue
        contact = session.get(Contact, nudge.contact_id) if nudge.contact_id else None
        if contact is None:
            continue
        interview = session.get(Interview, nudge.interview_id) if nudge.interview_id else None
        draft = draft_for(session, nudge) if kind in (NudgeKind.THANK_YOU,) else None
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
                resolution=_resolution(nudge),
                questions=tuple(interview.questions or ()) if interview else (),
                interview_id=interview.id if interview else None,
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
