"""Cohort Block Kit at its extremes: the longest texts, the most students, every surface checked by the
fake Slack's validator (Slack's limits) and for escaping; the chart with no data and a "$" name."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from helpers import texts

from bot.blocks.chart import digest_chart
from bot.blocks.cohort_digest import digest_message, digest_thread
from bot.blocks.cohort_dms import ATTENTION_ROWS, attention_message
from bot.blocks.cohorts import looks_message, me_message, report_message, report_modal, student_modal
from bot.blocks.home import home_view
from bot.domain.cohort_digest import CohortFunnel, DigestNumbers, DigestSchedule
from bot.domain.cohort_report import Flag, ReportRow
from bot.domain.cohort_weekly import WEEK, Change, Measure, Progress, Trend, WeekCounts
from bot.domain.cohorts import CohortStatus, CohortTargets, Member, MemberState, Placement, ShareKind
from bot.domain.nextstep import StepKind
from bot.domain.paging import paginate
from bot.domain.pipeline import Degree, Stage
from bot.fakeslack import validate_message_blocks, validate_view
from bot.queries.cohorts import REPORT_PAGE
from bot.queries.models import (
    CohortInfo,
    CohortReport,
    ContactCard,
    DigestContent,
    HomeCohort,
    HomeScreen,
    Look,
    MentorNote,
    MyCohortRow,
    SharedItem,
    StepLine,
    StudentDetail,
)

NOW = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
EVIL = "<!channel> & <@U0BOSS> <https://evil.example|click> " * 20
INFO = CohortInfo(
    1,
    "C1",
    EVIL,
    CohortStatus.ACTIVE,
    CohortTargets(),
    DigestSchedule(0, time(9), "Europe/Berlin"),
    ("UM1", "UM2"),
)


def row(n: int, state: MemberState = MemberState.ACTIVE) -> ReportRow:
    placement = Placement(EVIL, date(2026, 3, 2)) if state is MemberState.PLACED else None
    return ReportRow(
        n, f"U{n:06d}", state, 9999, 99, 9999, 9999, 9999, 9999, 9999, 9999, NOW, tuple(Flag), placement,
        {s.value: 999 for s in Stage},
    )  # fmt: skip


def parsed(payload: object) -> str:
    """What Slack parses as mrkdwn (mentions, links): mrkdwn objects and a message's text; plain_text
    is shown as typed."""
    if isinstance(payload, dict):
        found = [payload.get("text")] if payload.get("type") == "mrkdwn" or "blocks" in payload else []
        return " ".join([t for t in found if isinstance(t, str)] + [parsed(v) for v in payload.values()])
    if isinstance(payload, list):
        return " ".join(parsed(v) for v in payload)
    return ""


def unescaped(payload: object) -> bool:
    shown = parsed(payload)
    return any(raw in shown for raw in ("<!channel>", "<@U0BOSS>", "<https://evil"))


def numbers() -> DigestNumbers:
    counts = WeekCounts(9, 8, 7, 6, 5)
    week = date(2026, 3, 2)
    return DigestNumbers(
        week, counts, {m: Change(5, 0) for m in Measure}, tuple((week - WEEK * n, counts) for n in range(6)),
        CohortFunnel(500, 20000, 9000, 3000, 900, 300), {s: 1 for s in MemberState}, 3, ("U000001",),
    )  # fmt: skip


def test_report_pages_and_the_student_modal_stay_within_limits() -> None:
    rows = [row(n, [MemberState.ACTIVE, MemberState.PAUSED, MemberState.PLACED][n % 3]) for n in range(500)]
    report = CohortReport(INFO, paginate(rows, 2, REPORT_PAGE), 500, {s: 167 for s in MemberState})
    message = report_message(report)
    assert not validate_message_blocks(message["blocks"], message["text"]) and not unescaped(message)
    assert not validate_view(report_modal(report))
    shared = tuple(
        SharedItem(ShareKind.INTERVIEW, EVIL, EVIL, Stage.INTERVIEWED, NOW, (EVIL,) * 9, 3) for _ in range(30)
    )
    notes = tuple(MentorNote("UM1", EVIL, NOW) for _ in range(40))
    modal = student_modal(StudentDetail(INFO, rows[2], shared, notes))
    assert not validate_view(modal) and not unescaped(modal)


def test_a_students_own_row_and_who_looked() -> None:
    member = Member(1, "U000001", NOW, MemberState.PLACED, placement=Placement(EVIL, date(2026, 3, 2)))
    progress = (
        Progress(Measure.REQUESTS, 2, 3, Trend((1, 2, 3, 2), 2.0), 2.5),
        Progress(Measure.INTERVIEWS, 0, 1, Trend((0,), None), None),
    )
    mine = me_message(MyCohortRow(INFO, member, row(1, MemberState.PLACED), progress))
    assert not validate_message_blocks(mine["blocks"], mine["text"]) and not unescaped(mine)
    assert (
        "your usual 2.0 a week" in texts(mine)
        and "cohort median 2.5" in texts(mine)
        and "your first week" in texts(mine)
    )
    looks = looks_message(INFO, [Look("UM1", "report", NOW, True)] * 200)
    assert not validate_message_blocks(looks["blocks"], looks["text"]) and "earlier." in texts(looks)


def test_the_digest_and_the_mentors_dm_within_limits_and_escaped() -> None:
    content = DigestContent(INFO, numbers(), (("U000001", EVIL),), 10, 400, tuple(row(n) for n in range(60)))
    for message in (digest_message(content), digest_thread(content), attention_message(content)):
        assert not validate_message_blocks(message["blocks"], message["text"])
        assert not unescaped({k: v for k, v in message.items()})
    dm = attention_message(content)
    assert texts(dm).count("cohort_nudge") == ATTENTION_ROWS and "…and 40 more" in texts(dm)


def test_the_home_with_many_cohorts() -> None:
    cohorts = [HomeCohort(INFO, n % 2 == 0, tuple(row(k) for k in range(8)), 500, 300) for n in range(40)]
    # With a first use's welcome, and with a full list of next steps and their buttons.
    step = StepLine(1, "Ada", StepKind.SEND_REQUEST)
    full = tuple(
        ContactCard(n, 1, f"Ada {n}", Stage.TARGET, Degree.FIRST, next_step=step) for n in range(1, 13)
    )
    for screen in (HomeScreen({}), HomeScreen({Stage.TARGET: 12}, full, more=30)):
        view = home_view(screen, cohorts=cohorts)
        assert not validate_view(view) and len(view["blocks"]) <= 100 and not unescaped(view)


def test_the_chart_is_a_png_even_with_nothing_to_show() -> None:
    empty = DigestNumbers(
        date(2026, 3, 2), WeekCounts(), {m: Change(0, 0) for m in Measure}, (), CohortFunnel(), {}, 0, ()
    )
    for data, title in ((empty, "$x^2$ cohort"), (numbers(), EVIL)):
        png = digest_chart(data, title)
        assert png.startswith(b"\x89PNG") and len(png) > 1000
