"""The Monday plan's buttons: picking this week's targets, skipping the week, pausing the plan and
resuming it. What the student chose is kept in their preferences (``bot.domain.plan``); the plan's DM
and the App Home are drawn again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import pipeline as core
from bot.domain import plan as rules
from bot.domain.reminders import NudgeKind
from bot.domain.window import day_label, week_start, zone
from bot.queries.models import ContactChoice, PlanTargets
from bot.services.clock import Clock, system_clock
from bot.services.errors import ActionRefused
from bot.services.events import Event, HomeStale, NudgeDmChanged, Result
from bot.services.ownership import owned_nudge
from bot.services.users import store_preferences
from storage.db import Database
from storage.models import Contact, Nudge, User
from storage.repository import Repository

NOT_A_PLAN = "That button doesn't belong to a Monday plan."
MAX_CHOICES = 100


def _week(nudge: Nudge) -> date | None:
    try:
        return date.fromisoformat(nudge.key.partition(":")[2])
    except ValueError:
        return None


class PlanService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def _plan(self, repo: Repository, slack_user: str, nudge_id: int) -> tuple[User, Nudge, date]:
        """The user's plan of this week; refused for anyone else's, or an earlier week's."""
        user, nudge = owned_nudge(repo, slack_user, nudge_id)
        week = _week(nudge)
        if nudge.kind != NudgeKind.WEEKLY_PLAN.value or week is None:
            raise ActionRefused(NOT_A_PLAN)
        now = self.clock()
        tz = zone(user.timezone)
        if week != week_start(now, tz):
            this_week = day_label(_monday_at(week_start(now, tz), user), tz, now.astimezone(tz).date())
            raise ActionRefused(
                f"That plan is from an earlier week. Use the plan for the week of {this_week}."
            )
        return user, nudge, week

    def targets(self, team_id: str, slack_user: str, nudge_id: int) -> PlanTargets:
        """What the picker offers: the user's targets, those picked already first."""
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user, _, week = self._plan(repo, slack_user, nudge_id)
            chosen = rules.choices(user.preferences, week).targets
            targets = _targets(session, user)
            order = {cid: n for n, cid in enumerate(chosen)}
            targets.sort(key=lambda c: (order.get(c.id, len(order)), c.created_at, c.id))
            choices = tuple(
                ContactChoice(c.id, c.version, c.name + (f" ({c.company})" if c.company else ""))
                for c in targets[:MAX_CHOICES]
            )
            tz = zone(user.timezone)
            label = day_label(_monday_at(week, user), tz, self.clock().astimezone(tz).date())
            known = {c.id for c in choices}
            return PlanTargets(label, choices, tuple(c for c in chosen if c in known))

    def pick(self, team_id: str, slack_user: str, nudge_id: int, ids: Sequence[int]) -> Result:
        """Keep the targets picked for this week (only the user's own, still targets)."""
        if len(ids) > rules.MAX_TARGETS:
            raise ActionRefused(f"Pick at most {rules.MAX_TARGETS}: a few requests sent beat many planned.")
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user, nudge, week = self._plan(repo, slack_user, nudge_id)
            allowed = {c.id for c in _targets(session, user)}
            if any(i not in allowed for i in ids):
                raise ActionRefused("Some of those aren't on your target list any more. Open the list again.")
            store_preferences(
                session, team_id, slack_user, rules.picked(user.preferences, week, ids), self.clock()
            )
            return Result(_redraw(nudge, slack_user))

    def skip(self, team_id: str, slack_user: str, nudge_id: int) -> Result:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user, nudge, week = self._plan(repo, slack_user, nudge_id)
            store_preferences(
                session, team_id, slack_user, rules.skipped(user.preferences, week), self.clock()
            )
            return Result(_redraw(nudge, slack_user))

    def pause(self, team_id: str, slack_user: str, nudge_id: int) -> Result:
        with self.db.session() as session:
            repo = Repository(session, team_id)
            _, nudge, _ = self._plan(repo, slack_user, nudge_id)
            store_preferences(session, team_id, slack_user, rules.paused(True), self.clock())
            return Result(_redraw(nudge, slack_user))

    def resume(self, team_id: str, slack_user: str) -> Result:
        with self.db.session() as session:
            store_preferences(session, team_id, slack_user, rules.paused(False), self.clock())
        return Result((HomeStale(slack_user),))


def _monday_at(week: date, user: User) -> datetime:
    return datetime.combine(week, datetime.min.time(), tzinfo=zone(user.timezone))


def _targets(session: Session, user: User) -> list[Contact]:
    return list(
        session.scalars(
            select(Contact).where(
                Contact.team_id == user.team_id,
                Contact.owner_id == user.id,
                Contact.stage == core.Stage.TARGET.value,
            )
        ).all()
    )


def _redraw(nudge: Nudge, slack_user: str) -> tuple[Event, ...]:
    dm: tuple[Event, ...] = ()
    if nudge.channel and nudge.message_ts:
        dm = (NudgeDmChanged(nudge.channel, nudge.message_ts, slack_user),)
    return (*dm, HomeStale(slack_user))
