"""Cohorts, the write side: a channel made a cohort, its mentors, joining and leaving, a student's
state and sharing, the mentor's targets and digest time, notes and nudges, closing, and what the
channel itself does (the app removed, the channel archived).

Who may do what is the domain's call (``check_allowed``), asked in the cohort being acted on with the
user's role in it: a student of cohort A has no role in cohort B, another workspace finds no cohort.
A refusal is :class:`ActionRefused` in the user's words (plain text: the handlers escape it);
nothing is changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.cohort_digest import DigestSchedule
from bot.domain.cohorts import (
    CohortAction,
    CohortEvent,
    CohortRefused,
    CohortStatus,
    CohortTargets,
    MemberState,
    Placement,
    Role,
    ShareKind,
    SharingLevel,
    ask_before_nudge,
    check_allowed,
    check_mentor_leaves,
    check_state_change,
    status_after,
)
from bot.domain.forms import clean_text
from bot.queries.cohorts import cohort_zone, info_of
from bot.queries.models import CohortInfo
from bot.services.clock import Clock, system_clock
from bot.services.errors import ActionRefused
from bot.services.events import (
    CohortAnnounced,
    CohortClosed,
    Event,
    HomeStale,
    Result,
    StudentNudged,
    UserSeen,
)
from storage.cohort_records import CohortRecords
from storage.cohorts import ChannelTaken, CohortStore
from storage.db import Database
from storage.models import Cohort, User
from storage.repository import Repository

NOT_A_COHORT = (
    "This channel isn't a cohort. A mentor can make it one with `/infoint cohort create` in the channel."
)
COHORT_GONE = "That cohort isn't there any more."
ALREADY_A_COHORT = "This channel already is a cohort. Students join with `/infoint cohort join`."
NOT_A_STUDENT = "They aren't a student in this cohort."
NAME_LIMIT = 80

Where = str | int
"""A cohort by its channel (a subcommand typed there) or by its id (a button, a modal)."""


@dataclass(frozen=True)
class CohortResult:
    cohort: CohortInfo
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class NudgeResult:
    """``ask_first``: the student was nudged today already; nothing was sent, the mentor is asked."""

    cohort: CohortInfo
    ask_first: bool
    events: tuple[Event, ...] = ()


def locate(store: CohortStore, where: Where) -> Cohort:
    """The cohort of a channel or of an id, in the store's workspace only."""
    cohort = store.get(where) if isinstance(where, int) else store.by_channel(where)
    if cohort is None:
        raise ActionRefused(COHORT_GONE if isinstance(where, int) else NOT_A_COHORT)
    return cohort


def allowed(store: CohortStore, cohort: Cohort, user: User | None, action: CohortAction) -> Role | None:
    """The user's role in the cohort, once the domain allows ``action``."""
    role = store.role_of(cohort, user) if user is not None else None
    try:
        check_allowed(action, role, CohortStatus(cohort.status))
    except CohortRefused as refusal:
        raise ActionRefused(str(refusal)) from None
    return role


def student_in(store: CohortStore, cohort: Cohort, slack_id: str) -> User:
    """A current student of this cohort (a mentor asks about them)."""
    found = Repository(store.session, store.team_id).find_user(slack_id)
    if found is None or store.membership(cohort, found) is None:
        raise ActionRefused(NOT_A_STUDENT)
    return found


@dataclass(frozen=True)
class Acting:
    """One user acting on one cohort, inside one unit of work, once the domain allowed it."""

    session: Session
    store: CohortStore
    records: CohortRecords
    cohort: Cohort
    user: User
    role: Role | None


@contextmanager
def acting(
    db: Database, team_id: str, slack_user: str, where: Where, action: CohortAction, now: datetime
) -> Iterator[Acting]:
    """The unit of work of ``slack_user`` doing ``action`` in the cohort ``where`` (refused with
    ActionRefused when the cohort isn't there or the domain says no); committed when the block ends."""
    with db.session() as session:
        store = CohortStore(session, team_id)
        cohort = locate(store, where)
        user = Repository(session, team_id).get_or_create_user(slack_user, now)
        role = allowed(store, cohort, user, action)
        yield Acting(session, store, CohortRecords(session, team_id), cohort, user, role)


def mentors_stale(info: CohortInfo) -> tuple[Event, ...]:
    """The mentors' App Homes redrawn (a cohort closed). A student's change does not redraw them: a
    mentor's Home reads the whole report, and is drawn afresh whenever they open it."""
    return tuple(HomeStale(m) for m in info.mentors)


class CohortService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock

    def _user(self, session: Session, team_id: str, slack_user: str, now: datetime) -> User:
        return Repository(session, team_id).get_or_create_user(slack_user, now)

    # Creating and running a cohort ---------------------------------------------------------------

    def create(self, team_id: str, slack_user: str, channel_id: str, name: str) -> CohortResult:
        """The channel becomes a cohort run by the user (the handler checked the app is in it)."""
        now = self.clock()
        shown = clean_text(name)[:NAME_LIMIT] or channel_id
        with self.db.session() as session:
            mentor = self._user(session, team_id, slack_user, now)
            store = CohortStore(session, team_id)
            try:
                cohort = store.create(channel_id, shown, mentor, now)
            except ChannelTaken:
                raise ActionRefused(ALREADY_A_COHORT) from None
            info = info_of(store, cohort)
        return CohortResult(info, (CohortAnnounced(info.id), HomeStale(slack_user)))

    def add_mentor(self, team_id: str, slack_user: str, where: Where, new_mentor: str) -> CohortResult:
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.ADD_MENTOR, now) as act:
            added = self._user(act.session, team_id, new_mentor, now)
            role = act.store.role_of(act.cohort, added)
            if role is Role.STUDENT:
                raise ActionRefused(
                    "They're a student in this cohort, and a mentor sees every student's row. "
                    "They can leave it first."
                )
            if role is Role.MENTOR or not act.store.add_mentor(act.cohort, added, now, added_by=act.user):
                raise ActionRefused("They already mentor this cohort.")
            info = info_of(act.store, act.cohort)
        return CohortResult(info, (HomeStale(new_mentor), UserSeen(new_mentor)))

    def save_settings(
        self, team_id: str, slack_user: str, cohort_id: int, targets: CohortTargets, schedule: DigestSchedule
    ) -> CohortResult:
        now = self.clock()
        with acting(self.db, team_id, slack_user, cohort_id, CohortAction.SETTINGS, now) as act:
            act.store.set_targets(act.cohort, targets)
            act.store.set_schedule(act.cohort, schedule, now)
            info = info_of(act.store, act.cohort)
        return CohortResult(info)

    def close(self, team_id: str, slack_user: str, where: Where) -> CohortResult:
        """The digest stops; students keep their own records; the cohort keeps only counts."""
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.CLOSE, now) as act:
            act.store.close(act.cohort, now)
            info = info_of(act.store, act.cohort)
        return CohortResult(info, (CohortClosed(info.id), *mentors_stale(info)))

    def channel_changed(self, team_id: str, channel_id: str, event: CohortEvent) -> CohortInfo | None:
        """The app left or joined the channel, or it was (un)archived: the cohort pauses or resumes
        (its digest with it). None when the channel is no cohort or nothing changed."""
        now = self.clock()
        with self.db.session() as session:
            store = CohortStore(session, team_id)
            cohort = store.by_channel(channel_id)
            if cohort is None:
                return None
            status = CohortStatus(cohort.status)
            after = status_after(status, event)
            if after is status:
                return None
            store.set_status(cohort, after, now, event.value)
            return info_of(store, cohort)

    # Students --------------------------------------------------------------------------------------

    def join(
        self, team_id: str, slack_user: str, cohort_id: int, sharing: SharingLevel, celebrate: bool
    ) -> CohortResult:
        now = self.clock()
        with acting(self.db, team_id, slack_user, cohort_id, CohortAction.JOIN, now) as act:
            act.store.join(act.cohort, act.user, now, sharing, celebrate)
            info = info_of(act.store, act.cohort)
        return CohortResult(info, (HomeStale(slack_user), UserSeen(slack_user)))

    def leave(self, team_id: str, slack_user: str, where: Where) -> CohortResult:
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.LEAVE, now) as act:
            if act.role is Role.MENTOR:
                try:
                    check_mentor_leaves(len(act.store.mentors(act.cohort)))
                except CohortRefused as refusal:
                    raise ActionRefused(str(refusal)) from None
                act.store.remove_mentor(act.cohort, act.user)
            else:
                act.store.leave(act.cohort, act.user, now)
            info = info_of(act.store, act.cohort)
        return CohortResult(info, (HomeStale(slack_user),))

    def set_state(
        self,
        team_id: str,
        slack_user: str,
        where: Where,
        state: MemberState,
        placement: Placement | None = None,
    ) -> CohortResult:
        """Active, paused (a holiday, exams) or placed (the job, when, optionally the contact)."""
        now = self.clock()
        with acting(self.db, team_id, slack_user, where, CohortAction.OWN_ROW, now) as act:
            member = act.store.member(act.cohort, act.user)
            assert member is not None  # a student: check_allowed saw their role
            try:
                check_state_change(member.state, state, placement)
            except CohortRefused as refusal:
                raise ActionRefused(str(refusal)) from None
            act.store.set_state(act.cohort, act.user, state, now, placement)
            info = info_of(act.store, act.cohort)
        return CohortResult(info, (HomeStale(slack_user),))

    def save_sharing(
        self,
        team_id: str,
        slack_user: str,
        cohort_id: int,
        level: SharingLevel,
        celebrate: bool,
        share: Iterable[tuple[ShareKind, int]] = (),
        unshare: Iterable[tuple[ShareKind, int]] = (),
    ) -> CohortResult:
        """The sharing ladder: counts or stages for the whole cohort; one contact or one interview's
        takeaways at a time, shared (and unshared) explicitly."""
        now = self.clock()
        with acting(self.db, team_id, slack_user, cohort_id, CohortAction.OWN_ROW, now) as act:
            act.store.set_sharing(act.cohort, act.user, level, celebrate)
            for kind, item in unshare:
                act.records.unshare(act.cohort, act.user, kind, item)
            for kind, item in share:
                if not act.records.share(act.cohort, act.user, kind, item, now):
                    raise ActionRefused("You can only share your own contacts and interviews.")
            info = info_of(act.store, act.cohort)
        return CohortResult(info)

    # Mentors on one student --------------------------------------------------------------------------

    def add_note(
        self, team_id: str, slack_user: str, cohort_id: int, student: str, body: str
    ) -> CohortResult:
        """A mentor's private note: only this cohort's mentors read it."""
        now = self.clock()
        with acting(self.db, team_id, slack_user, cohort_id, CohortAction.NOTE, now) as act:
            target = student_in(act.store, act.cohort, student)
            act.records.add_note(act.cohort, target, act.user, body, now)
            info = info_of(act.store, act.cohort)
        return CohortResult(info)

    def nudge(
        self, team_id: str, slack_user: str, cohort_id: int, student: str, confirmed: bool
    ) -> NudgeResult:
        """A friendly DM from the mentor. A second nudge the same day (the cohort's) asks first."""
        now = self.clock()
        with acting(self.db, team_id, slack_user, cohort_id, CohortAction.NUDGE, now) as act:
            target = student_in(act.store, act.cohort, student)
            if target.unreachable_since is not None:
                raise ActionRefused("Slack says they can't get messages any more, so I sent nothing.")
            tz = cohort_zone(act.cohort)
            info = info_of(act.store, act.cohort)
            earlier = act.records.nudges_on(act.cohort, target, now.astimezone(tz).date())
            if not confirmed and ask_before_nudge(earlier, now, tz):
                return NudgeResult(info, True)
            act.records.record_nudge(act.cohort, act.user, target, now, tz)
        return NudgeResult(info, False, (StudentNudged(info.id, student, slack_user),))

    def unreachable(self, team_id: str, slack_user: str, reason: str) -> Result:
        """Slack said the user can't get DMs (left, deactivated): kept in the numbers, never DMed."""
        now = self.clock()
        with self.db.session() as session:
            repo = Repository(session, team_id)
            user = repo.find_user(slack_user)
            if user is not None and user.unreachable_since is None:
                repo.update_user(user, unreachable_since=now, unreachable_reason=reason[:64])
        return Result()
