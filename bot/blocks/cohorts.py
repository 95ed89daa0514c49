"""Block Kit for cohorts: the announcement with its Join button, the mentor's report (pages with
Previous / Next and a CSV button, as a message or a modal), one student's detail, a student's own
row with their week against their own trend and the cohort's median, who looked, the App Home's
cohort sections, the mentor's attention DM and the nudge a mentor sends.

Students appear as Slack mentions (``<@U…>``: Slack shows the name, nothing typed is pasted in);
everything a user typed (a cohort's name, a placement, a note, a contact a student shared) goes
through :func:`~bot.blocks.kit.esc`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, DividerBlock, HeaderBlock, SectionBlock
from slack_sdk.models.views import View

from bot.blocks.kit import (
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    as_dicts,
    button,
    clip,
    esc,
    fit_lines,
    md,
    plain,
    slack_date,
)
from bot.domain.cohort_report import ReportRow
from bot.domain.cohort_weekly import Direction, Measure, Progress
from bot.domain.cohorts import MemberState, ShareKind
from bot.domain.ids import ActionId
from bot.queries.models import (
    CohortInfo,
    CohortReport,
    HomeCohort,
    Look,
    MyCohortRow,
    SharedItem,
    StudentDetail,
)

ATTENTION_ROWS = 20
"""Students in the mentor's DM (two blocks each); the report has the rest."""
STATE_MARKS = {MemberState.ACTIVE: "Active", MemberState.PAUSED: "⏸ Paused", MemberState.PLACED: "🎓 Placed"}
MEASURE_WORDS = {Measure.REQUESTS: "requests", Measure.INTERVIEWS: "conversations"}
ARROWS = {Direction.UP: "↑", Direction.DOWN: "↓", Direction.STEADY: "→", Direction.NEW: ""}


def name_of(info: CohortInfo) -> str:
    return esc(clip(info.name, 80))


def student_value(cohort_id: int, slack_id: str) -> str:
    return f"{cohort_id}:{slack_id}"


def ephemeral(text: str, blocks: Sequence[Block], replace: bool = False) -> dict[str, Any]:
    """An answer only the user sees (``replace``: instead of the message clicked)."""
    return {
        "response_type": "ephemeral",
        "replace_original": replace,
        "text": clip(text, 3000),
        "blocks": as_dicts(blocks[:MAX_MESSAGE_BLOCKS]),
    }


# The announcement and the channel's notices ---------------------------------------------------------


def announcement(info: CohortInfo) -> dict[str, Any]:
    mentors = ", ".join(f"<@{m}>" for m in info.mentors)
    text = (
        f"👥 *{name_of(info)}* is now a job-search cohort, run by {mentors}. Join to get a weekly digest "
        "of the group's progress and your mentors' support. Joining is opt-in: before you confirm, you "
        "see exactly what your mentors will see (counts and dates, never your contacts' details)."
    )
    blocks: list[Block] = [
        SectionBlock(text=md(text)),
        ActionsBlock(
            elements=[button("Join the cohort", ActionId.COHORT_JOIN, str(info.id), style="primary")]
        ),
        ContextBlock(elements=[md("Or type `/infoint cohort join` in this channel.")]),
    ]
    return {
        "text": f"{name_of(info)} is now a cohort: join it with the button.",
        "blocks": as_dicts(blocks),
    }


def closed_message(info: CohortInfo, by: str) -> dict[str, Any]:
    text = (
        f"🏁 <@{by}> closed the cohort *{name_of(info)}*. The weekly digest stops. Students keep their own "
        "records; the cohort keeps only its counts."
    )
    return {"text": "This cohort is closed.", "blocks": as_dicts([SectionBlock(text=md(text))])}


# Rows --------------------------------------------------------------------------------------------------


def _state(row: ReportRow) -> str:
    if row.state is MemberState.PLACED and row.placement is not None:
        return f"🎓 Placed: {clip(esc(row.placement.what), 100)} ({row.placement.on.isoformat()})"
    return STATE_MARKS[row.state]


def row_text(row: ReportRow, who: str | None = None) -> str:
    """One student's row: counts and dates, their state and flags; never a contact. At most ~650
    characters, so a page of rows stays inside Slack's text budget for a message."""
    flags = " · ".join(f"🚩 {f.label}" for f in row.flags)
    if not flags and row.state is MemberState.ACTIVE:
        flags = "✅ On track"
    head = f"*{who or f'<@{row.slack_user_id}>'}* · {_state(row)}" + (f" · {flags}" if flags else "")
    counts = (
        f"Contacts {row.contacts} · requests {row.requests_this_week} this week, {row.requests} in all · "
        f"replies {row.replies} · interviews {row.interviews} · thanked within 48 h "
        f"{row.thank_yous_on_time} · referrals asked {row.referrals_asked}, received {row.referrals_received}"
    )
    last = row.last_activity_at
    seen = f"Last activity: {slack_date(last, '{date_short_pretty}')}" if last else "No activity yet"
    lines = [head, counts, seen]
    if row.stages is not None:
        stages = " · ".join(f"{s.replace('_', ' ')} {n}" for s, n in sorted(row.stages.items()) if n)
        lines.append(f"Stages: {stages or 'none yet'}")
    return "\n".join(lines)


def _shared_lines(items: Sequence[SharedItem]) -> list[str]:
    lines = []
    for item in items:
        who = esc(clip(item.contact_name, 80)) + (f" ({esc(clip(item.company, 60))})" if item.company else "")
        if item.kind is ShareKind.CONTACT:
            lines.append(f"• 📇 {who}: {item.stage.label}")
        else:
            said = "; ".join(esc(clip(t, 300)) for t in item.takeaways) or "no takeaways written yet"
            lines.append(f"• 🗣 Interview with {who}: {clip(said, 900)}")
    return lines


# The report ---------------------------------------------------------------------------------------------


def report_blocks(report: CohortReport) -> list[Block]:
    info, page = report.cohort, report.page
    states = " · ".join(f"{STATE_MARKS[s]} {report.states.get(s, 0)}" for s in MemberState)
    blocks: list[Block] = [
        HeaderBlock(text=plain(f"Cohort report: {info.name}", MAX_HEADER_TEXT)),
        SectionBlock(
            text=md(
                f"*{page.total}* students · *{report.flagged}* need attention · {states} · "
                f"page {page.number} of {page.pages}"
            )
        ),
    ]
    if page.number == 1:
        blocks.append(
            ContextBlock(
                elements=[
                    md(
                        "Who needs attention comes first. Counts and dates only: a contact stays private "
                        "unless the student shares it. All rows as a spreadsheet: *Download CSV* below (or "
                        "`/infoint cohort report csv`). Looks are recorded: students can see who looked."
                    )
                ]
            )
        )
    if not page.items:
        blocks.append(SectionBlock(text=md("No students yet: they join with the announcement's button.")))
    for row in page.items:
        blocks.append(
            SectionBlock(
                text=md(row_text(row)),
                accessory=button("Open", ActionId.COHORT_STUDENT, student_value(info.id, row.slack_user_id)),
            )
        )
    nav = []
    if page.has_previous:
        nav.append(button("◀ Previous", ActionId.COHORT_PREVIOUS, f"{info.id}:{page.number - 1}"))
    if page.has_next:
        nav.append(button("Next ▶", ActionId.COHORT_NEXT, f"{info.id}:{page.number + 1}"))
    nav.append(button("Download CSV", ActionId.COHORT_CSV, str(info.id)))
    blocks.append(ActionsBlock(elements=nav))
    return blocks


def report_message(report: CohortReport, replace: bool = False) -> dict[str, Any]:
    page = report.page
    text = f"Cohort report: {name_of(report.cohort)}, page {page.number} of {page.pages}"
    return ephemeral(text, report_blocks(report), replace)


def report_modal(report: CohortReport) -> dict[str, Any]:
    return View(
        type="modal", title=plain("Cohort report", 24), close=plain("Close", 24), blocks=report_blocks(report)
    ).to_dict()


def student_modal(detail: StudentDetail) -> dict[str, Any]:
    info, row = detail.cohort, detail.row
    blocks: list[Block] = [SectionBlock(text=md(f"{name_of(info)}\n{row_text(row)}"))]
    shared = _shared_lines(detail.shared)
    blocks.append(
        SectionBlock(text=md("*Shared with you*\n" + ("\n".join(shared) or "Nothing shared: counts only.")))
    )
    notes = [
        f"• {esc(clip(n.body, 500))} ({f'<@{n.author}>, ' if n.author else ''}{slack_date(n.at)})"
        for n in detail.notes
    ]
    blocks.append(
        SectionBlock(
            text=md(
                "*Mentors' notes* (only this cohort's mentors see them)\n"
                + ("\n".join(notes[-15:]) or "None yet.")
            )
        )
    )
    value = student_value(info.id, row.slack_user_id)
    blocks.append(
        ActionsBlock(
            elements=[
                button("Send a nudge", ActionId.COHORT_NUDGE, value),
                button("Add a note", ActionId.COHORT_NOTE, value),
            ]
        )
    )
    return View(type="modal", title=plain("Student", 24), close=plain("Close", 24), blocks=blocks).to_dict()


# A student's own row --------------------------------------------------------------------------------------


def progress_text(p: Progress) -> str:
    """A student's last week on one measure: the target, their own trend, the cohort's median."""
    mark = "✅" if p.on_target else "▫️"
    words = MEASURE_WORDS.get(p.measure, p.measure.label.lower())
    if p.trend.average is None:
        trend = "your first week"
    else:
        trend = f"your usual {p.trend.average:.1f} a week {ARROWS[p.trend.direction]}".rstrip()
    median = f"cohort median {p.cohort_median:g}" if p.cohort_median is not None else "no cohort median yet"
    return f"{mark} Last week: *{p.done}* {words} of {p.target} · {trend} · {median}"


def me_message(mine: MyCohortRow) -> dict[str, Any]:
    info, cid = mine.cohort, mine.cohort.id
    blocks: list[Block] = [
        SectionBlock(text=md(f"*Your row in {name_of(info)}*, exactly as its mentors see it:")),
        SectionBlock(text=md(row_text(mine.row, "You"))),
        SectionBlock(text=md("\n".join(progress_text(p) for p in mine.progress) or " ")),
        ContextBlock(
            elements=[
                md("Against your own weeks and the cohort's middle value: no ranking, no one else's numbers.")
            ]
        ),
    ]
    shared = _shared_lines(mine.shared)
    level = "counts, dates and your stages" if mine.row.stages is not None else "counts and dates"
    blocks.append(
        SectionBlock(text=md(f"*Your mentors see:* {level}." + ("\n" + "\n".join(shared) if shared else "")))
    )
    state = mine.member.state
    actions = []
    if state is MemberState.ACTIVE:
        actions.append(button("Pause (holiday, exams)", ActionId.COHORT_STATE, f"{cid}:paused"))
    else:
        actions.append(button("Back to active", ActionId.COHORT_STATE, f"{cid}:active"))
    actions += [
        button("I got a job 🎉", ActionId.COHORT_PLACED, str(cid), style="primary"),
        button("What my mentors see", ActionId.COHORT_SHARING, str(cid)),
        button("Who looked?", ActionId.COHORT_WHO_LOOKED, str(cid)),
    ]
    blocks.append(ActionsBlock(elements=actions))
    return ephemeral(f"Your row in {name_of(info)}", blocks)


def looks_message(info: CohortInfo, looks: Sequence[Look]) -> dict[str, Any]:
    what = {
        "report": "the report",
        "report_csv": "the report's CSV",
        "export": "the weekly export",
        "home": "the report on their App Home",
        "attention": "the weekly attention list",
        "student": "your row",
    }
    lines = [
        f"• <@{look.viewer}> saw {what.get(look.what, esc(look.what))} ({slack_date(look.at)})"
        for look in looks
    ]
    head = SectionBlock(text=md(f"*Who looked at your numbers in {name_of(info)}*, newest first:"))
    body = fit_lines(lines, MAX_MESSAGE_BLOCKS - 1, more="…and {n} earlier.") if lines else []
    return ephemeral("Who looked", [head, *(body or [SectionBlock(text=md("Nobody has looked yet."))])])


# The App Home -------------------------------------------------------------------------------------------


def home_blocks(cohorts: Sequence[HomeCohort], max_blocks: int) -> list[Block]:
    """The user's cohorts on their App Home, within ``max_blocks``."""
    if not cohorts or max_blocks < 4:
        return []
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text=plain("Your cohorts", MAX_HEADER_TEXT))]
    for home in cohorts:
        info = home.cohort
        if len(blocks) + 2 > max_blocks:
            break
        if home.mentor:
            lines = [
                f"*{name_of(info)}* (<#{info.channel_id}>) · {home.students} students · "
                f"{home.flagged} need attention"
            ]
            lines += [f"• {row_text(r).splitlines()[0]}" for r in home.rows if r.flags]
            blocks.append(SectionBlock(text=md("\n".join(lines))))
            blocks.append(
                ActionsBlock(
                    elements=[
                        button("Open the report", ActionId.COHORT_OPEN_REPORT, str(info.id)),
                        button("Download CSV", ActionId.COHORT_CSV, str(info.id)),
                    ]
                )
            )
        else:
            row = home.rows[0]
            text = (
                f"*{name_of(info)}* (<#{info.channel_id}>): {row_text(row, 'You').splitlines()[0]}\n"
                "`/infoint cohort me` in the channel: your week and who looked."
            )
            blocks.append(SectionBlock(text=md(text)))
    return blocks
