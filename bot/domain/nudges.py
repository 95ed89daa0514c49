"""The nudge rules: which reminders apply to a contact or a user, and from when.

Pure functions of (facts, now, settings). Each nudge has a key that names the situation it is about
(the contact, the number of attempts, the interview and its start time…): the nudge log stores one
row per key, which is what makes a reminder go out once however often the rules are asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.domain.pipeline import (
    DEFAULT_SETTINGS,
    Attempt,
    AttemptOutcome,
    InterviewStatus,
    OutreachChannel,
    PipelineSettings,
    Stage,
    unanswered_attempts,
)
from bot.domain.reminders import NudgeKind, ReminderStatus
from bot.domain.window import (
    WorkingWindow,
    is_open,
    local_time,
    week_start,
    working_day_before,
    working_day_opening,
    zone,
)

# A "yes" not booked after this many working days gets a reminder; a missed interview not rebooked,
# after REBOOK_AFTER.
BOOK_AFTER = 2
REBOOK_AFTER = 3


@dataclass(frozen=True)
class NudgeSettings:
    """Everything the rules may be tuned by, per user."""

    pipeline: PipelineSettings = DEFAULT_SETTINGS
    window: WorkingWindow = field(default_factory=WorkingWindow)
    timezone: str | None = None
    weekly_requests: int = 2
    weekly_interviews: int = 1
    weekly_plan: bool = True
    """False while the student has paused their Monday plan."""


@dataclass(frozen=True)
class InterviewFacts:
    id: int
    starts_at: datetime
    duration_minutes: int
    status: InterviewStatus
    done_at: datetime | None = None
    thank_you_at: datetime | None = None
    introducer_thanked_at: datetime | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def finished_at(self) -> datetime:
        """When the conversation was over: its scheduled end, or when it was marked done if later."""
        return max(self.ends_at, self.done_at) if self.done_at else self.ends_at


@dataclass(frozen=True)
class LoggedReminder:
    """A logged reminder as the next step sees it: where it stands and when it is due (a snooze moves it)."""

    status: ReminderStatus
    due_at: datetime
    nudge_id: int | None = None


@dataclass(frozen=True)
class ContactFacts:
    id: int
    name: str
    stage: Stage
    created_at: datetime
    has_introducer: bool = False
    attempts: Sequence[Attempt] = ()
    interviews: Sequence[InterviewFacts] = ()
    last_touch_at: datetime | None = None
    referrals: int = 0
    logged: Mapping[str, LoggedReminder] = field(default_factory=dict)
    """The reminders already logged for this contact, by key (read for the next step, not by the
    rules themselves: they decide from the facts alone)."""


@dataclass(frozen=True)
class Nudge:
    kind: NudgeKind
    key: str
    due_at: datetime
    contact_id: int | None = None
    interview_id: int | None = None
    expires_at: datetime | None = None
    # Reminders in a series (thank-you: same day, 24 h, 48 h overdue): only the latest due one goes out.
    series: str | None = None
    step: int = 1

    @property
    def overdue(self) -> bool:
        return self.kind is NudgeKind.THANK_YOU and self.step >= 3


@dataclass(frozen=True)
class Plan:
    due: tuple[Nudge, ...]
    """Nudges due at ``now`` and not expired."""
    next_check: datetime | None
    """The earliest instant a further nudge could fall due; None when nothing is ahead."""
    keys: frozenset[str] = frozenset()
    """Every key that applies to the current state, due or not: a logged nudge whose key is not
    here any more is obsolete (the student acted on it another way)."""


def _epoch(instant: datetime) -> int:
    return int(instant.timestamp())


def _attempt_nudges(contact: ContactFacts, settings: NudgeSettings) -> list[Nudge]:
    if contact.stage is not Stage.REQUESTED:
        return []
    rules = settings.pipeline
    count = len(contact.attempts)
    # A request recorded without its attempt (an old record) counts as sent when it was logged.
    attempts = sorted(contact.attempts, key=lambda a: a.sent_at) or [
        Attempt(contact.created_at, OutreachChannel.EMAIL)
    ]
    last = attempts[-1]
    tries = unanswered_attempts(attempts)
    if tries == 0:
        # They answered "later": ask again after a longer pause.
        replied = max(
            (a.replied_at or a.sent_at for a in attempts if a.outcome is AttemptOutcome.LATER),
            default=last.sent_at,
        )
        return [
            Nudge(
                NudgeKind.FOLLOW_UP,
                f"follow_up:{contact.id}:{count}:later:{_epoch(replied)}",
                replied + rules.later_follow_up_after,
                contact.id,
            )
        ]
    due = last.sent_at + rules.follow_up_after
    if tries >= rules.max_attempts:
        return [Nudge(NudgeKind.MOVE_ON, f"move_on:{contact.id}:{count}", due, contact.id)]
    if last.channel is OutreachChannel.INTRODUCTION:
        # The student asked the mutual connection for an introduction: the follow-up is to them.
        return [Nudge(NudgeKind.INTRO_FOLLOW_UP, f"intro_follow_up:{contact.id}:{count}", due, contact.id)]
    kind = NudgeKind.PHONE_CALL if tries == rules.max_attempts - 1 else NudgeKind.FOLLOW_UP
    return [Nudge(kind, f"follow_up:{contact.id}:{count}", due, contact.id)]


def _interview_nudges(contact: ContactFacts, settings: NudgeSettings) -> list[Nudge]:
    tz = zone(settings.timezone)
    nudges: list[Nudge] = []
    for interview in contact.interviews:
        stamp = _epoch(interview.starts_at)
        if interview.status is InterviewStatus.SCHEDULED:
            nudges.append(
                Nudge(
                    NudgeKind.PREPARE,
                    f"prepare:{interview.id}:{stamp}",
                    working_day_before(interview.starts_at, tz, settings.window),
                    contact.id,
                    interview.id,
                    expires_at=interview.starts_at,
                )
            )
            nudges.append(
                Nudge(
                    NudgeKind.WRAP_UP,
                    f"wrap_up:{interview.id}:{stamp}",
                    interview.ends_at,
                    contact.id,
                    interview.id,
                )
            )
        elif interview.status is InterviewStatus.DONE:
            finished = interview.finished_at
            if interview.thank_you_at is None:
                within = settings.pipeline.thank_you_within
                for step, delay in enumerate((timedelta(0), within / 2, within), start=1):
                    nudges.append(
                        Nudge(
                            NudgeKind.THANK_YOU,
                            f"thank_you:{interview.id}:{step}",
                            finished + delay,
                            contact.id,
                            interview.id,
                            series=f"thank_you:{interview.id}",
                            step=step,
                        )
                    )
            if contact.referrals < settings.pipeline.referrals_wanted:
                nudges.append(
                    Nudge(
                        NudgeKind.REFERRALS, f"referrals:{interview.id}", finished, contact.id, interview.id
                    )
                )
            if contact.has_introducer and interview.introducer_thanked_at is None:
                nudges.append(
                    Nudge(
                        NudgeKind.THANK_INTRODUCER,
                        f"thank_introducer:{interview.id}",
                        finished,
                        contact.id,
                        interview.id,
                    )
                )
    return nudges


def _booking_nudges(contact: ContactFacts, settings: NudgeSettings) -> list[Nudge]:
    """They said yes (or the interview didn't happen) and nothing is booked: a reminder a few working
    days on, at the opening of the student's window. Gone once an interview is booked."""
    if contact.stage is not Stage.AGREED:
        return []
    tz, window = zone(settings.timezone), settings.window
    if not contact.interviews:
        said_yes = [a.replied_at or a.sent_at for a in contact.attempts if a.outcome is AttemptOutcome.YES]
        if not said_yes:
            return []
        yes = max(said_yes)
        return [
            Nudge(
                NudgeKind.BOOK,
                f"book:{contact.id}:{_epoch(yes)}",
                working_day_opening(yes, tz, window, BOOK_AFTER),
                contact.id,
            )
        ]
    latest = max(contact.interviews, key=lambda i: (i.starts_at, i.id))
    if latest.status is not InterviewStatus.MISSED:
        return []
    return [
        Nudge(
            NudgeKind.REBOOK,
            f"rebook:{latest.id}",
            working_day_opening(latest.ends_at, tz, window, REBOOK_AFTER),
            contact.id,
            latest.id,
        )
    ]


def last_touch(contact: ContactFacts) -> datetime | None:
    """The last time the student was in touch with someone they interviewed."""
    moments: list[datetime] = []
    for interview in contact.interviews:
        if interview.status is InterviewStatus.DONE:
            moments.append(interview.finished_at)
            if interview.thank_you_at:
                moments.append(interview.thank_you_at)
    if contact.last_touch_at:
        moments.append(contact.last_touch_at)
    return max(moments, default=None)


def _keep_in_touch(contact: ContactFacts, settings: NudgeSettings) -> list[Nudge]:
    if contact.stage is not Stage.INTERVIEWED:
        return []
    touched = last_touch(contact)
    if touched is None:
        return []
    return [
        Nudge(
            NudgeKind.KEEP_IN_TOUCH,
            f"keep_in_touch:{contact.id}:{_epoch(touched)}",
            touched + settings.pipeline.keep_in_touch_after,
            contact.id,
        )
    ]


def contact_nudges(contact: ContactFacts, settings: NudgeSettings) -> list[Nudge]:
    """Every nudge that applies to the contact as it is, with the instant each falls due."""
    return [
        *_attempt_nudges(contact, settings),
        *_booking_nudges(contact, settings),
        *_interview_nudges(contact, settings),
        *_keep_in_touch(contact, settings),
    ]


def weekly_plan_nudges(now: datetime, settings: NudgeSettings) -> list[Nudge]:
    """This week's plan (the first working day's opening, usually Monday 09:00) and next week's."""
    tz = zone(settings.timezone)
    nudges: list[Nudge] = []
    if not settings.weekly_plan:
        return nudges
    for weeks in (0, 1):
        monday: date = week_start(now, tz) + timedelta(weeks=weeks)
        first_day = min(
            (monday + timedelta(days=d) for d in range(7) if d in settings.window.days), key=lambda d: d
        )
        nudges.append(
            Nudge(
                NudgeKind.WEEKLY_PLAN,
                f"weekly_plan:{monday.isoformat()}",
                local_time(first_day, settings.window.start, tz),
                expires_at=local_time(first_day, settings.window.end, tz),
            )
        )
    return nudges


def plan(candidates: Iterable[Nudge], now: datetime) -> Plan:
    """Which of the candidates are due at ``now``, and when to look again."""
    candidates = list(candidates)
    live = [n for n in candidates if n.expires_at is None or n.expires_at > now]
    due = [n for n in live if n.due_at <= now]
    latest_in_series: dict[str, Nudge] = {}
    for nudge in due:
        if nudge.series is None:
            continue
        best = latest_in_series.get(nudge.series)
        if best is None or nudge.step > best.step:
            latest_in_series[nudge.series] = nudge
    due = [n for n in due if n.series is None or latest_in_series[n.series] is n]
    ahead = [n.due_at for n in live if n.due_at > now]
    return Plan(
        due=tuple(sorted(due, key=lambda n: (n.due_at, n.key))),
        next_check=min(ahead, default=None),
        keys=frozenset(n.key for n in live),
    )


def plan_contact(contact: ContactFacts, now: datetime, settings: NudgeSettings) -> Plan:
    return plan(contact_nudges(contact, settings), now)


def plan_weekly(now: datetime, settings: NudgeSettings) -> Plan:
    return plan(weekly_plan_nudges(now, settings), now)


def may_deliver(now: datetime, settings: NudgeSettings) -> bool:
    """Nobody is pinged at night: DMs go out only inside the user's working window."""
    return is_open(now, zone(settings.timezone), settings.window)
