"""The mentor's report: one row per student with counts and dates (never contacts), the flags that
say who needs attention, their order, the CSV file, and what a student is shown before joining
(exactly what the mentor will see). Pages that fit Slack's limits are in ``bot.domain.paging``.

The flags come from the method's own events (METHOD.md sections 4, 6 and 7):

- **no outreach**: no request sent for 7 days (counted from joining at the earliest);
- **follow-up overdue**: a follow-up reminder sent and not dealt with for 2 days, or an unanswered
  request whose follow-up fell due more than 7 days ago (a snoozed reminder holds this off);
- **late thank-you**: an interview of the last 14 days whose thank-you came, or is still missing,
  later than 48 h after it;
- **no referral ask**: an interview of the last 14 days, over for 48 h, with no referral asked;
- **"yes" not booked**: a contact said yes and no time was booked by the close of the 3rd working
  day after (the student's own working days, in their timezone).

Paused and placed students raise no flags. Pure: facts, ``now`` and settings in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum

from bot.domain.cohorts import Member, MemberState, Placement, SharingLevel, csv_text
from bot.domain.window import WorkingWindow, local_time, zone

# Facts -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewDone:
    """One informational interview the student had."""

    finished_at: datetime
    thank_you_at: datetime | None = None
    referrals_asked: bool = False
    """A referral ask is recorded: the reminder to ask was done, or the contact introduced someone."""


@dataclass(frozen=True)
class WaitingRequest:
    """A contact the student is waiting on (no contact data: its id only, to count it once)."""

    contact_id: int
    sent_at: datetime | None = None
    """When the latest request went out, still unanswered (None: only a reminder is open)."""
    reminder_sent_at: datetime | None = None
    """When a follow-up reminder about it was sent, if it is still not dealt with."""


@dataclass(frozen=True)
class StudentActivity:
    """What one student did, as counts and instants. Built by the storage in a few set-based queries."""

    user_id: int
    contacts: int = 0
    requests: int = 0
    """Contacts asked (a request recorded, or an interview arranged): as in the student's own stats."""
    requests_this_week: int = 0
    """First requests sent this week (the cohort's week)."""
    replies: int = 0
    referrals_received: int = 0
    """Contacts introduced to the student by another contact."""
    stages: Mapping[str, int] = field(default_factory=dict)
    """Contacts per stage (shown only to the mentor of a student who shares stages)."""
    last_activity_at: datetime | None = None
    last_outreach_at: datetime | None = None
    joined_at: datetime | None = None
    interviews: tuple[InterviewDone, ...] = ()
    waiting: tuple[WaitingRequest, ...] = ()
    yes_at: tuple[datetime, ...] = ()
    """When each "yes" not booked yet came."""
    window: WorkingWindow = field(default_factory=WorkingWindow)
    timezone: str | None = None
    """The student's working days and timezone: "3 working days" are theirs."""


@dataclass(frozen=True)
class FlagSettings:
    quiet_after: timedelta = timedelta(days=7)
    follow_up_after: timedelta = timedelta(days=7)
    reminder_grace: timedelta = timedelta(days=2)
    stale_after: timedelta = timedelta(days=7)
    thank_you_within: timedelta = timedelta(hours=48)
    referral_ask_within: timedelta = timedelta(hours=48)
    book_within_working_days: int = 3
    lookback: timedelta = timedelta(days=14)


DEFAULT_FLAGS = FlagSettings()


class Flag(StrEnum):
    YES_NOT_BOOKED = "yes_not_booked"
    FOLLOW_UP_OVERDUE = "follow_up_overdue"
    LATE_THANK_YOU = "late_thank_you"
    NO_OUTREACH = "no_outreach"
    NO_REFERRAL_ASK = "no_referral_ask"

    @property
    def label(self) -> str:
        return FLAG_LABELS[self]

    @property
    def weight(self) -> int:
        """How serious: a willing contact left waiting weighs most, a missed referral ask least."""
        return FLAG_WEIGHTS[self]


FLAG_LABELS: dict[Flag, str] = {
    Flag.YES_NOT_BOOKED: '"Yes" not booked within 3 working days',
    Flag.FOLLOW_UP_OVERDUE: "Follow-up overdue",
    Flag.LATE_THANK_YOU: "Thank-you later than 48 h",
    Flag.NO_OUTREACH: "No outreach for 7 days",
    Flag.NO_REFERRAL_ASK: "Interview with no referral ask",
}
FLAG_WEIGHTS: dict[Flag, int] = {
    Flag.YES_NOT_BOOKED: 3,
    Flag.FOLLOW_UP_OVERDUE: 2,
    Flag.LATE_THANK_YOU: 2,
    Flag.NO_OUTREACH: 2,
    Flag.NO_REFERRAL_ASK: 1,
}


def thanked_on_time(interview: InterviewDone, within: timedelta) -> bool:
    return interview.thank_you_at is not None and interview.thank_you_at <= interview.finished_at + within


def booking_deadline(yes_at: datetime, working_days: int, window: WorkingWindow, tz: tzinfo) -> datetime:
    """The close of the ``working_days``-th working day after the local day of ``yes_at``."""
    day = yes_at.astimezone(tz).date()
    counted = 0
    for offset in range(1, 7 * working_days + 8):
        later = day + timedelta(days=offset)
        if later.weekday() in window.days:
            counted += 1
            if counted == working_days:
                return local_time(later, window.end, tz)
    raise AssertionError("a window with at least one day has working days every week")


def _follow_up_overdue(waiting: WaitingRequest, now: datetime, settings: FlagSettings) -> bool:
    reminded = waiting.reminder_sent_at
    if reminded is not None and reminded + settings.reminder_grace <= now:
        return True
    sent = waiting.sent_at
    return sent is not None and sent + settings.follow_up_after + settings.stale_after <= now


def _late_thank_you(interview: InterviewDone, now: datetime, settings: FlagSettings) -> bool:
    deadline = interview.finished_at + settings.thank_you_within
    if interview.thank_you_at is None:
        return deadline <= now
    return interview.thank_you_at > deadline


def flags(
    activity: StudentActivity, state: MemberState, now: datetime, settings: FlagSettings = DEFAULT_FLAGS
) -> tuple[Flag, ...]:
    """Why a student may need attention, most serious first. Paused and placed: none."""
    if state is not MemberState.ACTIVE:
        return ()
    raised: set[Flag] = set()
    tz = zone(activity.timezone)
    if any(
        now >= booking_deadline(yes, settings.book_within_working_days, activity.window, tz)
        for yes in activity.yes_at
    ):
        raised.add(Flag.YES_NOT_BOOKED)
    if any(_follow_up_overdue(w, now, settings) for w in activity.waiting):
        raised.add(Flag.FOLLOW_UP_OVERDUE)
    recent = [i for i in activity.interviews if i.finished_at > now - settings.lookback]
    if any(_late_thank_you(i, now, settings) for i in recent):
        raised.add(Flag.LATE_THANK_YOU)
    if any(not i.referrals_asked and i.finished_at + settings.referral_ask_within <= now for i in recent):
        raised.add(Flag.NO_REFERRAL_ASK)
    since = max((t for t in (activity.last_outreach_at, activity.joined_at) if t is not None), default=None)
    if since is None or since + settings.quiet_after <= now:
        raised.add(Flag.NO_OUTREACH)
    return tuple(f for f in Flag if f in raised)


# Rows ------------------------------------------------------------------------------------------------

NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ReportRow:
    user_id: int
    slack_user_id: str
    state: MemberState
    contacts: int
    requests_this_week: int
    requests: int
    replies: int
    interviews: int
    thank_yous_on_time: int
    referrals_asked: int
    referrals_received: int
    last_activity_at: datetime | None
    flags: tuple[Flag, ...] = ()
    placement: Placement | None = None
    stages: Mapping[str, int] | None = None
    """Contacts per stage, only for a student who shares stages."""

    @property
    def attention(self) -> int:
        return sum(f.weight for f in self.flags)

    def sort_key(self) -> tuple[int, int, int, datetime, str]:
        """More and more serious flags first; then active before paused before placed; then the
        longest since last activity (never active first); then the Slack user id, for stability."""
        return (
            -self.attention,
            -len(self.flags),
            self.state.rank,
            self.last_activity_at or NEVER,
            self.slack_user_id,
        )


def report_row(
    member: Member, activity: StudentActivity, now: datetime, settings: FlagSettings = DEFAULT_FLAGS
) -> ReportRow:
    interviews = activity.interviews
    return ReportRow(
        user_id=member.user_id,
        slack_user_id=member.slack_user_id,
        state=member.state,
        contacts=activity.contacts,
        requests_this_week=activity.requests_this_week,
        requests=activity.requests,
        replies=activity.replies,
        interviews=len(interviews),
        thank_yous_on_time=sum(thanked_on_time(i, settings.thank_you_within) for i in interviews),
        referrals_asked=sum(i.referrals_asked for i in interviews),
        referrals_received=activity.referrals_received,
        last_activity_at=activity.last_activity_at,
        flags=flags(activity, member.state, now, settings),
        placement=member.placement,
        stages=dict(activity.stages) if member.sharing is SharingLevel.STAGES else None,
    )


def report_rows(
    members: Iterable[Member],
    activity: Mapping[int, StudentActivity],
    now: datetime,
    settings: FlagSettings = DEFAULT_FLAGS,
) -> list[ReportRow]:
    """One row per student (no activity yet: zeros), who needs attention first."""
    rows = [
        report_row(
            m, activity.get(m.user_id) or StudentActivity(m.user_id, joined_at=m.joined_at), now, settings
        )
        for m in members
    ]
    return sorted(rows, key=ReportRow.sort_key)


def needs_attention(rows: Iterable[ReportRow]) -> list[ReportRow]:
    """Only the exceptions (the mentor's DM), in report order."""
    return sorted((r for r in rows if r.flags), key=ReportRow.sort_key)


# The CSV file and the consent preview ----------------------------------------------------------------

REPORT_COLUMNS: tuple[str, ...] = (
    "Student",
    "State",
    "Contacts",
    "Requests this week",
    "Requests",
    "Replies",
    "Interviews",
    "Thank-yous within 48 h",
    "Referrals asked",
    "Referrals received",
    "Last activity",
    "Placed",
    "Flags",
)
"""Every column of the report: the mentor sees these and nothing else (a student who shares stages
adds their contacts per stage)."""


def _placed_text(placement: Placement | None) -> str:
    return "" if placement is None else f"{placement.what} ({placement.on.isoformat()})"


def report_csv(rows: Iterable[ReportRow], tz: tzinfo) -> str:
    """The report as a CSV file; dates are local days in ``tz`` (the mentor's)."""
    return csv_text(
        REPORT_COLUMNS,
        (
            (
                r.slack_user_id,
                r.state.label,
                r.contacts,
                r.requests_this_week,
                r.requests,
                r.replies,
                r.interviews,
                r.thank_yous_on_time,
                r.referrals_asked,
                r.referrals_received,
                r.last_activity_at.astimezone(tz).date().isoformat() if r.last_activity_at else "",
                _placed_text(r.placement),
                "; ".join(f.label for f in r.flags),
            )
            for r in rows
        ),
    )


@dataclass(frozen=True)
class ConsentPreview:
    level: SharingLevel
    shown: tuple[str, ...]
    never: tuple[str, ...]


NEVER_SHOWN: tuple[str, ...] = (
    "Your contacts' names, companies, emails and phone numbers",
    "Your notes and your interviews' takeaways",
)


def consent_preview(level: SharingLevel = SharingLevel.COUNTS) -> ConsentPreview:
    """What a student is shown before joining: the exact report fields the mentor will see."""
    if level.per_item:
        raise ValueError("a whole cohort is shared at counts or stages; items are shared one by one")
    shown = ["Your Slack name", *(c for c in REPORT_COLUMNS if c != "Student")]
    if level is SharingLevel.STAGES:
        shown.append("How many of your contacts are at each stage")
    shown.append("A contact or an interview only if you share that one with its button")
    return ConsentPreview(level, tuple(shown), NEVER_SHOWN)
