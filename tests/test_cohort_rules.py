"""The cohort rules (issue 8): flags, report order, pages, safe CSV, medians and trends, the digest's
timing across DST, targets and the other mentor inputs, permissions. Pure."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.cohort_digest import (
    DigestSchedule,
    digest_numbers,
    digest_slot,
    digest_slots,
    due_digest,
    first_digest_at,
    next_digest_at,
    validate_digest_schedule,
)
from bot.domain.cohort_report import (
    FLAG_LABELS,
    REPORT_COLUMNS,
    Flag,
    FlagSettings,
    InterviewDone,
    ReportRow,
    StudentActivity,
    WaitingRequest,
    booking_deadline,
    consent_preview,
    flags,
    needs_attention,
    report_csv,
    report_row,
    report_rows,
)
from bot.domain.cohort_weekly import (
    ZERO,
    Change,
    Direction,
    Measure,
    WeekCounts,
    cohort_median,
    median,
    own_trend,
    progress,
    week_bounds,
    week_over_week,
    weekly_csv,
    weekly_totals,
    weeks_back,
    weeks_between,
)
from bot.domain.cohorts import (
    CohortAction,
    CohortEvent,
    CohortRefused,
    CohortStatus,
    CohortTargets,
    Member,
    MemberState,
    Placement,
    Role,
    ShareKind,
    SharingLevel,
    ask_before_nudge,
    check_allowed,
    check_mentor_leaves,
    check_state_change,
    csv_text,
    safe_cell,
    share_key,
    status_after,
    validate_note,
    validate_placement,
    validate_targets,
)
from bot.domain.paging import MESSAGE_BLOCKS, VIEW_BLOCKS, paginate, rows_per_page
from bot.domain.window import WorkingWindow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ACTIVE, PAUSED, PLACED = MemberState.ACTIVE, MemberState.PAUSED, MemberState.PLACED


def busy(**kw: object) -> StudentActivity:
    """A student who reached out an hour ago: no flag of their own."""
    values: dict[str, object] = {"last_outreach_at": T0 - HOUR, "joined_at": T0 - 30 * DAY, **kw}
    return StudentActivity(1, **values)  # type: ignore[arg-type]


def member(slack: str = "U1", user_id: int = 1, **kw: object) -> Member:
    kw.setdefault("joined_at", T0 - 30 * DAY)
    return Member(user_id, slack, **kw)  # type: ignore[arg-type]


# ---- flags ------------------------------------------------------------------------------------------


class TestNoOutreach:
    def test_seven_days_after_the_last_request(self) -> None:
        activity = busy(last_outreach_at=T0)
        assert flags(activity, ACTIVE, T0 + 7 * DAY - SECOND) == ()
        assert flags(activity, ACTIVE, T0 + 7 * DAY) == (Flag.NO_OUTREACH,)

    def test_counted_from_joining_at_the_earliest(self) -> None:
        activity = busy(last_outreach_at=T0 - 60 * DAY, joined_at=T0)
        assert flags(activity, ACTIVE, T0 + 6 * DAY) == ()
        assert flags(activity, ACTIVE, T0 + 7 * DAY) == (Flag.NO_OUTREACH,)

    def test_never_reached_out_and_joined_long_ago(self) -> None:
        assert flags(StudentActivity(1, joined_at=T0 - 8 * DAY), ACTIVE, T0) == (Flag.NO_OUTREACH,)
        assert flags(StudentActivity(1), ACTIVE, T0) == (Flag.NO_OUTREACH,)


class TestFollowUpOverdue:
    def test_a_reminder_sent_and_not_dealt_with_for_two_days(self) -> None:
        activity = busy(waiting=(WaitingRequest(5, reminder_sent_at=T0),))
        assert flags(activity, ACTIVE, T0 + 2 * DAY - SECOND) == ()
        assert flags(replace(activity, last_outreach_at=T0 + DAY), ACTIVE, T0 + 2 * DAY) == (
            Flag.FOLLOW_UP_OVERDUE,
        )

    def test_an_unanswered_request_whose_follow_up_is_a_week_late(self) -> None:
        activity = busy(waiting=(WaitingRequest(5, sent_at=T0 - 14 * DAY),))
        assert flags(activity, ACTIVE, T0 - SECOND) == ()
        assert flags(activity, ACTIVE, T0) == (Flag.FOLLOW_UP_OVERDUE,)

    def test_a_request_still_within_its_week_is_fine(self) -> None:
        assert flags(busy(waiting=(WaitingRequest(5, sent_at=T0 - 6 * DAY),)), ACTIVE, T0) == ()


class TestThankYou:
    def test_missing_after_48_hours(self) -> None:
        activity = busy(interviews=(InterviewDone(T0, referrals_asked=True),))
        assert flags(activity, ACTIVE, T0 + 48 * HOUR - SECOND) == ()
        assert flags(replace(activity, last_outreach_at=T0), ACTIVE, T0 + 48 * HOUR) == (Flag.LATE_THANK_YOU,)

    def test_sent_late(self) -> None:
        late = InterviewDone(T0, thank_you_at=T0 + 49 * HOUR, referrals_asked=True)
        on_time = InterviewDone(T0, thank_you_at=T0 + 47 * HOUR, referrals_asked=True)
        now = T0 + 3 * DAY
        assert flags(busy(interviews=(late,), last_outreach_at=now), ACTIVE, now) == (Flag.LATE_THANK_YOU,)
        assert flags(busy(interviews=(on_time,), last_outreach_at=now), ACTIVE, now) == ()

    def test_only_the_last_two_weeks_count(self) -> None:
        old = InterviewDone(T0 - 15 * DAY, thank_you_at=T0 - 10 * DAY, referrals_asked=True)
        assert flags(busy(interviews=(old,)), ACTIVE, T0) == ()


class TestReferralAsk:
    def test_an_interview_over_for_48_hours_with_no_ask(self) -> None:
        interview = InterviewDone(T0 - 48 * HOUR, thank_you_at=T0 - 47 * HOUR)
        assert flags(busy(interviews=(interview,)), ACTIVE, T0 - SECOND) == ()
        assert flags(busy(interviews=(interview,)), ACTIVE, T0) == (Flag.NO_REFERRAL_ASK,)
        asked = replace(interview, referrals_asked=True)
        assert flags(busy(interviews=(asked,)), ACTIVE, T0) == ()


class TestYesNotBooked:
    def test_three_working_days_after_a_monday_yes(self) -> None:
        # Berlin, Mon–Fri 09:00–18:00: a yes on Monday is late from Thursday 18:00 local (16:00 UTC in
        # March before DST, i.e. CET = UTC+1: 17:00 UTC).
        yes = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
        deadline = datetime(2026, 3, 5, 18, 0, tzinfo=BERLIN)
        activity = busy(yes_at=(yes,), timezone="Europe/Berlin", last_outreach_at=deadline)
        assert flags(activity, ACTIVE, deadline - SECOND) == ()
        assert flags(activity, ACTIVE, deadline) == (Flag.YES_NOT_BOOKED,)

    def test_the_weekend_does_not_count(self) -> None:
        friday = datetime(2026, 3, 6, 16, 0, tzinfo=BERLIN)
        assert booking_deadline(friday, 3, WorkingWindow(), BERLIN) == datetime(
            2026, 3, 11, 18, 0, tzinfo=BERLIN
        )

    def test_the_students_own_working_days(self) -> None:
        tuesday_to_saturday = WorkingWindow(frozenset({1, 2, 3, 4, 5}), time(10), time(16))
        friday = datetime(2026, 3, 6, 16, 0, tzinfo=NEW_YORK)
        assert booking_deadline(friday, 3, tuesday_to_saturday, NEW_YORK) == datetime(
            2026, 3, 11, 16, 0, tzinfo=NEW_YORK
        )

    def test_across_the_spring_change(self) -> None:
        # New York moves to summer time on Sunday 8 March 2026: the deadline is still 18:00 local.
        yes = datetime(2026, 3, 6, 12, 0, tzinfo=NEW_YORK)
        deadline = booking_deadline(yes, 3, WorkingWindow(), NEW_YORK)
        assert deadline == datetime(2026, 3, 11, 22, 0, tzinfo=UTC)  # 18:00 EDT

    @given(
        yes=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(BERLIN)),
        days=st.frozensets(st.integers(0, 6), min_size=1),
        working_days=st.integers(1, 5),
    )
    def test_deadline_is_the_close_of_the_nth_working_day_after(
        self, yes: datetime, days: frozenset[int], working_days: int
    ) -> None:
        window = WorkingWindow(days, time(9), time(17, 30))
        deadline = booking_deadline(yes, working_days, window, BERLIN)
        local = deadline.astimezone(BERLIN)
        assert local.weekday() in days and local.time() == time(17, 30)
        between = [yes.date() + timedelta(d) for d in range(1, (local.date() - yes.date()).days + 1)]
        assert sum(d.weekday() in days for d in between) == working_days


class TestFlagsTogether:
    def test_everything_at_once_most_serious_first(self) -> None:
        activity = StudentActivity(
            1,
            joined_at=T0 - 60 * DAY,
            last_outreach_at=T0 - 30 * DAY,
            interviews=(InterviewDone(T0 - 5 * DAY),),
            waiting=(WaitingRequest(3, sent_at=T0 - 30 * DAY),),
            yes_at=(T0 - 10 * DAY,),
        )
        assert flags(activity, ACTIVE, T0) == (
            Flag.YES_NOT_BOOKED,
            Flag.FOLLOW_UP_OVERDUE,
            Flag.LATE_THANK_YOU,
            Flag.NO_OUTREACH,
            Flag.NO_REFERRAL_ASK,
        )
        assert flags(activity, PAUSED, T0) == flags(activity, PLACED, T0) == ()

    def test_settings_move_the_thresholds(self) -> None:
        activity = busy(last_outreach_at=T0 - 4 * DAY)
        assert flags(activity, ACTIVE, T0, FlagSettings(quiet_after=3 * DAY)) == (Flag.NO_OUTREACH,)

    def test_every_flag_has_a_label(self) -> None:
        assert set(FLAG_LABELS) == set(Flag)


instants = st.datetimes(datetime(2025, 6, 1), datetime(2026, 6, 1), timezones=st.just(UTC))
activities = st.builds(
    StudentActivity,
    user_id=st.just(1),
    joined_at=st.none() | instants,
    last_outreach_at=st.none() | instants,
    last_activity_at=st.none() | instants,
    interviews=st.lists(
        st.builds(InterviewDone, instants, st.none() | instants, st.booleans()), max_size=3
    ).map(tuple),
    waiting=st.lists(
        st.builds(WaitingRequest, st.integers(1, 9), st.none() | instants, st.none() | instants), max_size=3
    ).map(tuple),
    yes_at=st.lists(instants, max_size=2).map(tuple),
    timezone=st.sampled_from([None, "Europe/Berlin", "America/New_York", "Asia/Kolkata"]),
)


@given(activity=activities, now=instants)
def test_paused_and_placed_students_never_raise_flags(activity: StudentActivity, now: datetime) -> None:
    raised = flags(activity, ACTIVE, now)
    assert list(raised) == sorted(set(raised), key=list(Flag).index)
    assert flags(activity, PAUSED, now) == flags(activity, PLACED, now) == ()


@given(activity=activities, now=instants, later=st.timedeltas(timedelta(0), timedelta(days=30)))
def test_open_matters_stay_flagged_as_time_passes(
    activity: StudentActivity, now: datetime, later: timedelta
) -> None:
    lasting = {Flag.NO_OUTREACH, Flag.FOLLOW_UP_OVERDUE, Flag.YES_NOT_BOOKED}
    before = set(flags(activity, ACTIVE, now)) & lasting
    assert before <= set(flags(activity, ACTIVE, now + later))


# ---- rows and their order ---------------------------------------------------------------------------


def test_a_row_counts_from_the_facts_and_hides_stages_unless_shared() -> None:
    activity = busy(
        contacts=12,
        requests=8,
        requests_this_week=2,
        replies=5,
        referrals_received=3,
        stages={"target": 4, "requested": 8},
        interviews=(
            InterviewDone(T0 - 3 * DAY, T0 - 2 * DAY, True),
            InterviewDone(T0 - 20 * DAY, T0 - 17 * DAY, False),
            InterviewDone(T0 - 30 * DAY),
        ),
    )
    row = report_row(member(), activity, T0)
    assert (row.contacts, row.requests, row.requests_this_week, row.replies) == (12, 8, 2, 5)
    assert (row.interviews, row.thank_yous_on_time, row.referrals_asked, row.referrals_received) == (
        3,
        1,
        1,
        3,
    )
    assert row.stages is None
    shared = report_row(member(sharing=SharingLevel.STAGES), activity, T0)
    assert shared.stages == {"target": 4, "requested": 8}


def test_a_member_with_no_activity_gets_zeros() -> None:
    [row] = report_rows([member(joined_at=T0)], {}, T0)
    assert (row.contacts, row.interviews, row.last_activity_at, row.flags) == (0, 0, None, ())


def test_who_needs_attention_comes_first() -> None:
    members = [
        member("U_QUIET", 1),
        member("U_FINE", 2),
        member("U_STUCK", 3),
        member("U_PLACED", 4, state=PLACED, placement=Placement("Analyst at Acme", date(2026, 2, 20))),
        member("U_PAUSED", 5, state=PAUSED),
        member("U_FINE_OLDER", 6),
    ]
    activity = {
        1: StudentActivity(1, joined_at=T0 - 30 * DAY, last_activity_at=T0 - 20 * DAY),
        2: busy(last_activity_at=T0 - HOUR),
        3: StudentActivity(3, joined_at=T0 - 30 * DAY, yes_at=(T0 - 9 * DAY,), last_activity_at=T0 - DAY),
        4: StudentActivity(4, last_activity_at=T0 - 40 * DAY),
        5: StudentActivity(5, last_activity_at=T0 - 50 * DAY),
        6: replace(busy(last_activity_at=T0 - 3 * DAY), user_id=6),
    }
    rows = report_rows(members, activity, T0)
    assert [r.slack_user_id for r in rows] == [
        "U_STUCK",
        "U_QUIET",
        "U_FINE_OLDER",
        "U_FINE",
        "U_PAUSED",
        "U_PLACED",
    ]
    assert [r.slack_user_id for r in needs_attention(rows)] == ["U_STUCK", "U_QUIET"]


row_strategy = st.builds(
    ReportRow,
    user_id=st.integers(1, 10_000),
    slack_user_id=st.text("UABC0123", min_size=1, max_size=4),
    state=st.sampled_from(MemberState),
    contacts=st.just(0),
    requests_this_week=st.just(0),
    requests=st.just(0),
    replies=st.just(0),
    interviews=st.just(0),
    thank_yous_on_time=st.just(0),
    referrals_asked=st.just(0),
    referrals_received=st.just(0),
    last_activity_at=st.none() | instants,
    flags=st.lists(st.sampled_from(Flag), unique=True).map(tuple),
)


@given(rows=st.lists(row_strategy, max_size=30), seed=st.integers())
def test_the_order_is_total_and_ignores_input_order(rows: list[ReportRow], seed: int) -> None:
    ordered = sorted(rows, key=ReportRow.sort_key)
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    assert [r.sort_key() for r in sorted(shuffled, key=ReportRow.sort_key)] == [r.sort_key() for r in ordered]
    attention = [r.attention for r in ordered]
    assert attention == sorted(attention, reverse=True)
    flagged = [bool(r.flags) for r in ordered]
    assert flagged == sorted(flagged, reverse=True)


# ---- pages ------------------------------------------------------------------------------------------


@given(rows=st.lists(st.integers(), max_size=600), size=st.integers(1, 60))
def test_pages_cover_every_row_once(rows: list[int], size: int) -> None:
    first = paginate(rows, 1, size)
    pages = [paginate(rows, n, size) for n in range(1, first.pages + 1)]
    assert [x for p in pages for x in p.items] == rows
    assert all(len(p.items) <= size for p in pages)
    assert all(p.total == len(rows) and p.pages == first.pages for p in pages)
    assert not pages[0].has_previous and not pages[-1].has_next


def test_pages_out_of_range_land_on_the_nearest() -> None:
    rows = list(range(120))
    assert paginate(rows, 0, 50).number == 1
    last = paginate(rows, 99, 50)
    assert (last.number, last.pages, last.items) == (3, 3, tuple(range(100, 120)))
    assert paginate([], 1, 10).pages == 1
    with pytest.raises(ValueError):
        paginate(rows, 1, 0)


def test_rows_per_page_fits_slacks_limits() -> None:
    assert rows_per_page() == MESSAGE_BLOCKS - 4
    assert rows_per_page(VIEW_BLOCKS, reserved=10, blocks_per_row=2) == 45
    five_hundred = list(range(500))
    page = paginate(five_hundred, 1, rows_per_page(VIEW_BLOCKS, reserved=10, blocks_per_row=2))
    assert 10 + 2 * len(page.items) <= VIEW_BLOCKS and page.pages == 12
    with pytest.raises(ValueError):
        rows_per_page(MESSAGE_BLOCKS, reserved=50)


# ---- CSV --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=x", "\r=x", '=HYPERLINK("x")'])
def test_a_formula_gets_an_apostrophe(dangerous: str) -> None:
    assert safe_cell(dangerous) == "'" + dangerous


def test_numbers_and_plain_text_pass_unchanged() -> None:
    assert [safe_cell(v) for v in (3, -1, 0.5, None, "Acme", "a=b")] == ["3", "-1", "0.5", "", "Acme", "a=b"]


@given(st.lists(st.lists(st.text(max_size=12) | st.integers(), min_size=2, max_size=2), max_size=8))
def test_csv_reads_back_with_no_formula_cell(rows: list[list[str | int]]) -> None:
    text = csv_text(["a", "b"], rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert len(back) == len(rows) + 1
    for original, read in zip(rows, back[1:], strict=True):
        for cell, value in zip(original, read, strict=True):
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")) or isinstance(cell, int)
            expected = str(cell) if isinstance(cell, int) else cell
            assert value == expected or value == "'" + expected


def test_report_csv_columns_and_local_dates() -> None:
    row = ReportRow(
        7, "U7", PLACED, 3, 1, 2, 1, 1, 1, 0, 0, datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
        placement=Placement("=cmd|' /C calc'!A0", date(2026, 2, 27)),
    )  # fmt: skip
    flagged = ReportRow(8, "U8", ACTIVE, 0, 0, 0, 0, 0, 0, 0, 0, None, flags=(Flag.NO_OUTREACH,))
    header, placed, other = list(csv.reader(io.StringIO(report_csv([row, flagged], BERLIN), newline="")))
    assert tuple(header) == REPORT_COLUMNS
    assert placed[:3] == ["U7", "Placed", "3"]
    assert placed[10] == "2026-03-02"  # 00:30 in Berlin
    assert placed[11] == "'=cmd|' /C calc'!A0 (2026-02-27)"
    assert other[10:] == ["", "", "No outreach for 7 days"]


def test_weekly_export_has_every_week_of_every_student() -> None:
    weeks = weeks_back(date(2026, 3, 2), 2)
    members = [member("U2", 2), member("U1", 1)]
    weekly = {1: {date(2026, 3, 2): WeekCounts(requests=3, interviews=1)}}
    lines = list(csv.reader(io.StringIO(weekly_csv(members, weekly, weeks), newline="")))
    assert lines == [
        ["Student", "Week", "Requests", "Replies", "Interviews", "Thank-yous", "Referrals received"],
        ["U1", "2026-02-23", "0", "0", "0", "0", "0"],
        ["U1", "2026-03-02", "3", "0", "1", "0", "0"],
        ["U2", "2026-02-23", "0", "0", "0", "0", "0"],
        ["U2", "2026-03-02", "0", "0", "0", "0", "0"],
    ]


# ---- weekly numbers ---------------------------------------------------------------------------------


def test_weeks() -> None:
    assert weeks_back(date(2026, 3, 2), 3) == (date(2026, 2, 16), date(2026, 2, 23), date(2026, 3, 2))
    assert weeks_between(date(2026, 2, 18), date(2026, 3, 4)) == (
        date(2026, 2, 16),
        date(2026, 2, 23),
        date(2026, 3, 2),
    )
    assert weeks_between(date(2026, 3, 4), date(2026, 2, 18)) == ()
    start, end = week_bounds(date(2026, 3, 23), BERLIN)  # the week Berlin moves to summer time
    assert (start, end) == (datetime(2026, 3, 22, 23, tzinfo=UTC), datetime(2026, 3, 29, 22, tzinfo=UTC))
    assert end - start == 7 * DAY - HOUR


def test_totals_and_change() -> None:
    weeks = weeks_back(date(2026, 3, 2), 2)
    weekly = {
        1: {weeks[0]: WeekCounts(requests=2), weeks[1]: WeekCounts(requests=1, replies=2)},
        2: {weeks[1]: WeekCounts(requests=4, interviews=1)},
    }
    totals = weekly_totals(weekly, weeks)
    assert totals == {
        weeks[0]: WeekCounts(requests=2),
        weeks[1]: WeekCounts(requests=5, replies=2, interviews=1),
    }
    change = week_over_week(totals[weeks[1]], totals[weeks[0]])
    assert change[Measure.REQUESTS] == Change(5, 2)
    assert (change[Measure.REQUESTS].delta, change[Measure.REQUESTS].percent) == (3, 150)
    assert change[Measure.REPLIES].percent is None


def test_medians() -> None:
    assert median([]) is None
    assert median([3, 1, 2]) == 2.0
    assert median([4, 1, 2, 3]) == 2.5
    week = date(2026, 3, 2)
    members = [member("U1", 1), member("U2", 2), member("U3", 3, state=PAUSED), member("U4", 4)]
    weekly = {
        1: {week: WeekCounts(requests=5)},
        3: {week: WeekCounts(requests=50)},
        4: {week: WeekCounts(requests=1)},
    }
    # Active students only (U3 is away), a student with nothing counts as 0.
    assert cohort_median(members, weekly, week, Measure.REQUESTS) == 1.0


@given(st.lists(st.integers(0, 100), min_size=1))
def test_a_median_lies_between_the_extremes(values: list[int]) -> None:
    middle = median(values)
    assert middle is not None and min(values) <= middle <= max(values)


def test_own_trend() -> None:
    trend = own_trend([9, 1, 2, 3, 4, 5, 6], weeks=6)
    assert trend.weeks == (1, 2, 3, 4, 5, 6)
    assert (trend.current, trend.average, trend.direction) == (6, 3.0, Direction.UP)
    assert own_trend([2, 2, 2]).direction is Direction.STEADY
    assert own_trend([3, 1]).direction is Direction.DOWN
    assert own_trend([4]).direction is Direction.NEW
    with pytest.raises(ValueError):
        own_trend([1], weeks=1)


def test_progress_against_target_trend_and_median() -> None:
    series = [WeekCounts(requests=n) for n in (1, 2, 3, 4)]
    result = progress(series, Measure.REQUESTS, target=3, cohort_median=2.0)
    assert (result.done, result.on_target, result.trend.direction, result.cohort_median) == (
        4,
        True,
        Direction.UP,
        2.0,
    )
    assert progress([], Measure.INTERVIEWS, 1, None).done == 0


# ---- the digest's timing ----------------------------------------------------------------------------


class TestDigestTiming:
    def test_monday_nine_in_berlin_across_the_spring_change(self) -> None:
        schedule = DigestSchedule(0, time(9), "Europe/Berlin")
        before = digest_slot(date(2026, 3, 23), schedule)
        after = digest_slot(date(2026, 3, 30), schedule)
        assert before.due_at == datetime(2026, 3, 23, 8, 0, tzinfo=UTC)  # CET
        assert after.due_at == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # CEST
        assert (after.key, after.covers) == ("digest:2026-03-30", date(2026, 3, 23))

    def test_a_time_the_spring_change_skips_moves_forward(self) -> None:
        slot = digest_slot(date(2026, 3, 23), DigestSchedule(6, time(2, 30), "Europe/Berlin"))
        assert slot.due_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST

    def test_a_time_the_autumn_change_repeats_is_the_first(self) -> None:
        slot = digest_slot(date(2026, 10, 26), DigestSchedule(6, time(1, 30), "America/New_York"))
        assert slot.due_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not EST

    def test_new_york_monday_nine_on_both_sides(self) -> None:
        schedule = DigestSchedule(0, time(9), "America/New_York")
        assert digest_slot(date(2026, 3, 2), schedule).due_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
        assert digest_slot(date(2026, 3, 9), schedule).due_at == datetime(2026, 3, 9, 13, tzinfo=UTC)

    def test_due_from_its_time_to_the_end_of_its_week(self) -> None:
        schedule = DigestSchedule(0, time(9), "Europe/Berlin")
        monday_nine = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)
        assert due_digest(monday_nine - SECOND, schedule) is None
        slot = due_digest(monday_nine, schedule)
        assert slot is not None and slot.week == date(2026, 3, 2)
        sunday_night = datetime(2026, 3, 8, 23, 59, 59, tzinfo=BERLIN)
        assert due_digest(sunday_night, schedule) == slot
        assert due_digest(sunday_night + SECOND, schedule) is None  # next week: not yet Monday 09:00

    def test_when_to_look_next(self) -> None:
        schedule = DigestSchedule(2, time(17), "UTC")
        wednesday = datetime(2026, 3, 4, 17, tzinfo=UTC)
        assert next_digest_at(wednesday - HOUR, schedule) == wednesday
        assert next_digest_at(wednesday + HOUR, schedule) == wednesday + HOUR  # due, not sent yet
        assert next_digest_at(wednesday + HOUR, schedule, sent_this_week=True) == wednesday + 7 * DAY

    def test_a_new_cohort_waits_for_the_next_digest_time(self) -> None:
        schedule = DigestSchedule(2, time(17), "UTC")
        wednesday = datetime(2026, 3, 4, 17, tzinfo=UTC)
        assert first_digest_at(wednesday - HOUR, schedule) == wednesday
        assert first_digest_at(wednesday, schedule) == wednesday + 7 * DAY

    def test_an_unknown_timezone_is_utc(self) -> None:
        assert digest_slot(date(2026, 3, 2), DigestSchedule(timezone="Mars/Olympus")).due_at == T0

    @settings(max_examples=300)
    @given(
        now=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
        weekday=st.integers(0, 6),
        at=st.times(),
        tz=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]),
    )
    def test_at_most_one_digest_a_week_at_its_local_time(
        self, now: datetime, weekday: int, at: time, tz: str
    ) -> None:
        schedule = DigestSchedule(weekday, at, tz)
        zone = ZoneInfo(tz)
        this, following = digest_slots(now, schedule)
        assert following.week - this.week == 7 * DAY
        assert this.week == now.astimezone(zone).date() - timedelta(now.astimezone(zone).weekday())
        local = this.due_at.astimezone(zone)
        assert local.weekday() == weekday
        assume(local.replace(tzinfo=None).time() == at.replace(tzinfo=None))  # not a time DST skips
        due = due_digest(now, schedule)
        assert due is None or (due == this and due.due_at <= now < due.expires_at)
        assert (due is None) == (now < this.due_at)


def test_digest_schedule_input() -> None:
    assert validate_digest_schedule({"weekday": "4", "time": "16:30", "timezone": "Europe/Berlin"}) == (
        DigestSchedule(4, time(16, 30), "Europe/Berlin")
    )
    assert validate_digest_schedule({"weekday": "0", "time": "09:00"}) == DigestSchedule()
    errors = validate_digest_schedule({"weekday": "7", "time": "25:00", "timezone": "Nowhere/Land"})
    assert set(errors) == {"weekday", "time", "timezone"}  # type: ignore[arg-type]
    assert validate_digest_schedule({"weekday": "٣", "time": "9:00"}) == {
        "weekday": "Pick a day of the week.",
        "time": "Pick a time (HH:MM).",
    }


def test_digest_numbers_name_only_who_agreed() -> None:
    slot = digest_slot(date(2026, 3, 9), DigestSchedule())
    week = slot.covers
    members = [
        member("U1", 1, state=PLACED, celebrate=True, placement=Placement("Dev", week + 2 * DAY)),
        member("U2", 2, state=PLACED, celebrate=False, placement=Placement("PM", week)),
        member("U3", 3, state=PLACED, celebrate=True, placement=Placement("QA", week - DAY)),
        member("U4", 4),
    ]
    weekly = {4: {week: WeekCounts(requests=3), week - 7 * DAY: WeekCounts(requests=1)}}
    rows = report_rows(members, {4: busy(contacts=5, requests=3)}, T0)
    numbers = digest_numbers(slot, members, weekly, rows)
    assert (numbers.week, numbers.placements, numbers.celebrated) == (week, 2, ("U1",))
    assert numbers.change[Measure.REQUESTS] == Change(3, 1)
    assert [w for w, _ in numbers.chart] == list(weeks_back(week, 6))
    assert numbers.funnel.students == 4 and numbers.funnel.contacts == 5
    assert numbers.states[PLACED] == 3 and numbers.states[ACTIVE] == 1
    assert numbers.chart[0][1] == ZERO


# ---- targets and other input ------------------------------------------------------------------------


def test_targets() -> None:
    assert CohortTargets() == CohortTargets(3, 1)
    assert validate_targets({"requests": "5", "conversations": " 2 "}) == CohortTargets(5, 2)
    assert validate_targets({"requests": "51", "conversations": "x"}) == {
        "requests": "A whole number from 0 to 50 a week.",
        "conversations": "A whole number from 0 to 20 a week.",
    }
    assert validate_targets({"requests": "0", "conversations": "0"}) == {
        "requests": "Ask for at least one request or one conversation a week."
    }
    assert "requests" in validate_targets({"requests": "-1", "conversations": "1"})  # type: ignore[operator]


@given(st.text(max_size=4), st.text(max_size=4))
def test_targets_never_crash(requests: str, conversations: str) -> None:
    result = validate_targets({"requests": requests, "conversations": conversations})
    if isinstance(result, CohortTargets):
        assert 0 <= result.requests <= 50 and 0 <= result.conversations <= 20


def test_placement_input() -> None:
    today = date(2026, 3, 2)
    assert validate_placement({"what": "  Analyst,  Acme ", "on": "2026-03-01"}, today) == Placement(
        "Analyst, Acme", date(2026, 3, 1)
    )
    assert validate_placement({"what": "x", "on": "2026-03-01", "contact_id": "12"}, today) == Placement(
        "x", date(2026, 3, 1), 12
    )
    assert set(validate_placement({"what": "", "on": "soon", "contact_id": "a"}, today)) == {  # type: ignore[arg-type]
        "what",
        "on",
        "contact_id",
    }
    assert "on" in validate_placement({"what": "x", "on": "2026-03-05"}, today)  # type: ignore[operator]
    assert "what" in validate_placement({"what": "x" * 201, "on": "2026-03-01"}, today)  # type: ignore[operator]


def test_note_input() -> None:
    assert validate_note("  Call her\n\n\n\nabout exams ") == "Call her\n\nabout exams"
    assert validate_note("   ") == {"note": "Write the note first."}
    assert "note" in validate_note("x" * 2001)


def test_state_changes() -> None:
    check_state_change(ACTIVE, PAUSED, None)
    check_state_change(PLACED, PLACED, Placement("x", date(2026, 1, 1)))  # correcting the details
    with pytest.raises(CohortRefused, match="already paused"):
        check_state_change(PAUSED, PAUSED, None)
    with pytest.raises(CohortRefused, match="what the job is"):
        check_state_change(ACTIVE, PLACED, None)
    with pytest.raises(CohortRefused):
        check_state_change(PLACED, ACTIVE, Placement("x", date(2026, 1, 1)))


def test_a_second_nudge_the_same_local_day_asks_first() -> None:
    morning = datetime(2026, 3, 2, 8, 0, tzinfo=NEW_YORK)
    assert ask_before_nudge([morning], morning + 10 * HOUR, NEW_YORK)
    assert not ask_before_nudge([morning], morning + 17 * HOUR, NEW_YORK)  # 01:00 the next day
    assert not ask_before_nudge([], morning, NEW_YORK)


# ---- permissions and status -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        CohortAction.REPORT,
        CohortAction.SEE_STUDENT,
        CohortAction.ADD_MENTOR,
        CohortAction.SETTINGS,
        CohortAction.NOTE,
        CohortAction.NUDGE,
        CohortAction.EXPORT,
        CohortAction.CLOSE,
    ],
)
def test_only_mentors_run_the_cohort(action: CohortAction) -> None:
    check_allowed(action, Role.MENTOR, CohortStatus.ACTIVE)
    for role in (Role.STUDENT, None):
        with pytest.raises(CohortRefused, match="Only this cohort's mentors"):
            check_allowed(action, role, CohortStatus.ACTIVE)


def test_students_see_their_own_row_and_may_leave() -> None:
    for action in (CohortAction.OWN_ROW, CohortAction.LEAVE):
        check_allowed(action, Role.STUDENT, CohortStatus.ACTIVE)
        with pytest.raises(CohortRefused, match="not in this cohort"):
            check_allowed(action, None, CohortStatus.ACTIVE)
    with pytest.raises(CohortRefused, match="no row of yours"):
        check_allowed(CohortAction.OWN_ROW, Role.MENTOR, CohortStatus.ACTIVE)


def test_joining() -> None:
    check_allowed(CohortAction.JOIN, None, CohortStatus.ACTIVE)
    with pytest.raises(CohortRefused, match="already in"):
        check_allowed(CohortAction.JOIN, Role.STUDENT, CohortStatus.ACTIVE)
    with pytest.raises(CohortRefused, match="mentor this cohort"):
        check_allowed(CohortAction.JOIN, Role.MENTOR, CohortStatus.ACTIVE)
    with pytest.raises(CohortRefused, match="new members"):
        check_allowed(CohortAction.JOIN, None, CohortStatus.PAUSED)


def test_a_closed_cohort_keeps_only_its_counts() -> None:
    check_allowed(CohortAction.EXPORT, Role.MENTOR, CohortStatus.CLOSED)
    check_allowed(CohortAction.LEAVE, Role.STUDENT, CohortStatus.CLOSED)
    for action in (CohortAction.REPORT, CohortAction.NUDGE, CohortAction.OWN_ROW, CohortAction.JOIN):
        with pytest.raises(CohortRefused, match="closed"):
            check_allowed(action, Role.MENTOR, CohortStatus.CLOSED)


def test_the_last_mentor_cannot_leave() -> None:
    check_mentor_leaves(2)
    with pytest.raises(CohortRefused, match="only mentor"):
        check_mentor_leaves(1)


def test_cohort_status() -> None:
    assert status_after(CohortStatus.ACTIVE, CohortEvent.CHANNEL_ARCHIVED) is CohortStatus.PAUSED
    assert status_after(CohortStatus.PAUSED, CohortEvent.APP_ADDED) is CohortStatus.ACTIVE
    assert status_after(CohortStatus.PAUSED, CohortEvent.CLOSED) is CohortStatus.CLOSED
    assert status_after(CohortStatus.CLOSED, CohortEvent.CHANNEL_UNARCHIVED) is CohortStatus.CLOSED
    with pytest.raises(CohortRefused, match="already closed"):
        status_after(CohortStatus.CLOSED, CohortEvent.CLOSED)
    for status in CohortStatus:
        for event in CohortEvent:
            if (status, event) != (CohortStatus.CLOSED, CohortEvent.CLOSED):
                assert status_after(status, event) in CohortStatus


# ---- sharing ----------------------------------------------------------------------------------------


def test_the_consent_preview_lists_exactly_the_report() -> None:
    preview = consent_preview()
    assert preview.shown[0] == "Your Slack name"
    assert set(REPORT_COLUMNS) - {"Student"} <= set(preview.shown)
    assert not any("stage" in field.lower() for field in preview.shown)
    assert any("names" in hidden for hidden in preview.never)
    stages = consent_preview(SharingLevel.STAGES)
    assert len(stages.shown) == len(preview.shown) + 1 and any("stage" in f for f in stages.shown)
    with pytest.raises(ValueError):
        consent_preview(SharingLevel.CONTACT)


def test_shared_items() -> None:
    assert share_key(ShareKind.CONTACT, 12) == "contact:12"
    assert ShareKind.INTERVIEW.level is SharingLevel.TAKEAWAYS and SharingLevel.TAKEAWAYS.per_item
    assert not SharingLevel.STAGES.per_item


def test_numbers_too_long_or_too_big_are_refused_in_words() -> None:
    """Found by the hostile-input suite: 5000 digits made int() raise (Python reads at most 4300), and a
    contact id past 2**31 - 1 failed the query on PostgreSQL (an INTEGER column)."""
    huge = "9" * 5000
    assert set(validate_targets({"requests": huge, "conversations": "1"})) == {"requests"}  # type: ignore[arg-type]
    today = date(2026, 3, 2)
    for contact in (huge, str(2**31), "0"):
        found = validate_placement(
            {"what": "UX researcher", "on": "2026-03-02", "contact_id": contact}, today
        )
        assert set(found) == {"contact_id"}  # type: ignore[arg-type]
    placed = validate_placement({"what": "UX", "on": "2026-03-02", "contact_id": str(2**31 - 1)}, today)
    assert isinstance(placed, Placement) and placed.contact_id == 2**31 - 1
