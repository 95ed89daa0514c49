"""Block Kit building: escaping, clipping and staying inside Slack's limits, however much there is."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from helpers import elements, texts

from bot.blocks import contacts, home, kit, nudges
from bot.blocks import help as help_blocks
from bot.blocks.modals import log_contact, schedule
from bot.domain.nextstep import StepKind
from bot.domain.nudges import NudgeKind
from bot.domain.pipeline import Degree, Stage
from bot.fakeslack import validate_message_blocks, validate_view
from bot.queries.models import ContactCard, HomeScreen, NudgeItem, StepLine

HOSTILE = "<!channel> <@U123|boss> & <https://evil.example|click> <#C1> <!subteam^S1>"


def card(i: int = 1, name: str = "Ada", stage: Stage = Stage.TARGET, **kw: object) -> ContactCard:
    return ContactCard(id=i, version=1, name=name, stage=stage, degree=Degree.FIRST, **kw)  # type: ignore[arg-type]


def test_esc_order_and_characters() -> None:
    assert kit.esc("a & <b> &amp;") == "a &amp; &lt;b&gt; &amp;amp;"


def test_clip_never_cuts_an_escape() -> None:
    text = kit.esc("x" * 8 + "&&&")
    clipped = kit.clip(text, 12)
    assert clipped.endswith("…") and len(clipped) <= 12
    assert "&" not in clipped or clipped.count("&") == clipped.count(";")


def test_clip_leaves_short_text() -> None:
    assert kit.clip("short", 10) == "short"


@pytest.mark.parametrize(
    "render",
    [
        lambda c: contacts.contact_message(c, "Saved"),
        lambda c: contacts.pipeline_message([c]),
        lambda c: contacts.pipeline_modal([c]),
    ],
)
def test_user_text_is_escaped_everywhere(render) -> None:  # type: ignore[no-untyped-def]
    hostile = card(
        name=HOSTILE,
        company=HOSTILE,
        role=HOSTILE,
        industry=HOSTILE,
        introducer=HOSTILE,
        learning_goal=HOSTILE,
    )
    text = texts(render(hostile))
    for raw in ("<!channel>", "<@U123", "<https://evil", "<#C1>", "<!subteam"):
        assert raw not in text
    assert "&lt;!channel&gt;" in text


def test_home_escapes_next_steps() -> None:
    step = StepLine(1, HOSTILE, StepKind.FOLLOW_UP, "Tue 3 Feb", overdue=True)
    hostile = card(name=HOSTILE, stage=Stage.REQUESTED, company=HOSTILE, next_step=step)
    view = home.home_view(
        HomeScreen({**{s: 0 for s in Stage}, Stage.REQUESTED: 1}, (hostile,)), news=kit.esc(HOSTILE)
    )
    text = texts(view)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert not validate_view(view)


def test_unknown_subcommand_is_escaped_and_clipped() -> None:
    message = help_blocks.unknown_subcommand_message([("/infoint log", "Log.")], "<!here> " + "y" * 500)
    text = texts(message)
    assert "<!here>" not in text and "y" * 100 not in text


@pytest.mark.parametrize("count", [0, 1, 9, 10, 11, 49, 500])
def test_pipeline_message_fits_any_length(count: int) -> None:
    """Every page fits Slack's limits, and the pages show every contact once, each with its buttons."""
    step = StepLine(0, "x", StepKind.SEND_REQUEST)
    cards = [
        card(
            i + 1,
            name=f"Person {i} " + "é" * 90,
            stage=list(Stage)[i % len(Stage)],
            company="C" * 100,
            role="R" * 100,
            introducer="I" * 100,
            next_step=step,
        )
        for i in range(count)
    ]
    seen: list[str] = []
    page = 1
    while True:
        message = contacts.pipeline_message(cards, page)
        assert not validate_message_blocks(message["blocks"], message["text"])
        assert len(message["blocks"]) <= kit.MAX_MESSAGE_BLOCKS
        assert sum(len(texts(b)) for b in message["blocks"]) <= kit.MAX_MESSAGE_TEXT_BUDGET
        seen += re.findall(r"\*(Person \d+) ", texts(message))
        rows = [b for b in message["blocks"] if b["type"] == "actions" and b["block_id"].startswith("list:")]
        assert len(rows) == len(re.findall(r"\*(Person \d+) ", texts(message)))
        pages = elements(message).get("list_page")
        turn = [
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == "list_page"
        ]
        following = [e["value"] for e in turn if e["text"]["text"] == "Next page"]
        if not following:
            break
        assert pages is not None
        page = int(following[0])
    assert sorted(seen) == sorted(f"Person {i}" for i in range(count))
    if count == 0:
        assert "No contacts yet" in texts(contacts.pipeline_message(cards))


@pytest.mark.parametrize("count", [0, 30, 3000])
def test_pipeline_modal_fits_any_length(count: int) -> None:
    view = contacts.pipeline_modal([card(i, name="N" * 100) for i in range(count)])
    assert not validate_view(view)


def test_fit_lines_respects_section_size_and_block_budget() -> None:
    lines = ["z" * 1000] * 100
    packed = [b.to_dict() for b in kit.fit_lines(lines, max_blocks=5)]
    assert len(packed) <= 5
    assert all(len(b["text"]["text"]) <= kit.MAX_SECTION_TEXT for b in packed if b["type"] == "section")
    assert texts(packed[-1]).startswith("…and ")


def test_modals_are_valid() -> None:
    assert not validate_view(log_contact.log_contact_modal())
    assert not validate_view(schedule.schedule_modal(HOSTILE * 40, '{"contact": 1, "version": 1}'))
    assert "&lt;!channel&gt;" in texts(schedule.schedule_modal(HOSTILE, "{}"))


def test_contact_buttons_follow_the_next_step() -> None:
    """The step's own button first, They replied… while a reply is possible, the ⋯ menu always."""

    def action_ids(stage: Stage, kind: StepKind | None = None) -> list[str]:
        step = StepLine(1, "Ada", kind) if kind else None
        message = contacts.contact_message(card(stage=stage, next_step=step), "x")
        return [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]

    more = "contact_more"
    assert action_ids(Stage.TARGET, StepKind.SEND_REQUEST) == [
        "request_sent",
        "contact_draft",
        "schedule_interview",
        more,
    ]
    assert action_ids(Stage.REQUESTED, StepKind.FOLLOW_UP) == [
        "request_sent",
        "contact_draft",
        "contact_reply",
        "schedule_interview",
        more,
    ]
    assert action_ids(Stage.REQUESTED, StepKind.MOVE_ON)[:3] == [
        "contact_move_on",
        "contact_draft",
        "contact_reply",
    ]
    assert action_ids(Stage.INTERVIEWED, StepKind.THANK_YOU) == ["contact_draft", more]
    # After a yes (or a missed interview): a reply with times, or a note to say sorry.
    assert action_ids(Stage.AGREED, StepKind.SCHEDULE) == ["schedule_interview", "contact_draft", more]
    assert action_ids(Stage.SCHEDULED) == [more]
    assert action_ids(Stage.NO_RESPONSE) == [more]


def test_they_replied_is_a_labelled_menu_and_the_more_menu_fits() -> None:
    message = contacts.contact_message(
        card(stage=Stage.REQUESTED, next_step=StepLine(1, "A", StepKind.FOLLOW_UP, overdue=True, nudge_id=9)),
        "x",
    )
    found = elements(message)
    assert found["contact_reply"]["type"] == "static_select"
    assert found["contact_reply"]["placeholder"]["text"] == "They replied…"
    menu = found["contact_more"]
    assert menu["type"] == "overflow" and 1 <= len(menu["options"]) <= 5
    assert [o["value"].rsplit(":", 1)[1] for o in menu["options"]] == [
        "snooze_1d",
        "snooze_1w",
        "edit",
        "remove",
    ]


def test_button_value_carries_id_and_version() -> None:
    step = StepLine(7, "A", StepKind.SEND_REQUEST)
    message = contacts.contact_message(ContactCard(7, 3, "A", Stage.TARGET, Degree.COLD, next_step=step), "x")
    found = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert {e["value"] for e in found if e["type"] == "button"} == {"7:3"}
    options = [o["value"] for e in found if e["type"] != "button" for o in e["options"]]
    assert options and all(v.startswith("7:3:") for v in options)


def test_slack_date_has_a_fallback() -> None:
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert (
        kit.slack_date(when)
        == f"<!date^{int(when.timestamp())}^{{date_short_pretty}} at {{time}}|2026-03-02 09:30 UTC>"
    )


# What a reminder's line says once dealt with (issue 9) ---------------------------------------------------


def done(kind: NudgeKind, step: StepLine | None, name: str = HOSTILE, **kw: object) -> str:
    item = NudgeItem(1, kind, contact_name=name, resolution="done", next_step=step, **kw)  # type: ignore[arg-type]
    return nudges.resolved_line(item)


def test_done_names_the_next_reminder_and_its_day_escaped() -> None:
    step = StepLine(1, HOSTILE, StepKind.PHONE_CALL, "Mon 1 Feb")
    line = done(NudgeKind.FOLLOW_UP, step)
    assert line.startswith("✅ Follow-up logged. If *&lt;!channel&gt;")
    assert line.endswith("* stays silent I'll suggest a call on Mon 1 Feb.")
    assert "<!channel>" not in line


@pytest.mark.parametrize("kind", list(StepKind))
def test_every_next_step_reads_whole(kind: StepKind) -> None:
    dated = done(NudgeKind.THANK_YOU, StepLine(1, "Sofia", kind, "Tue 3 Feb"), name="Sofia")
    assert dated.startswith("✅ Thank-you logged. ") and "{" not in dated and dated.endswith(".")
    assert "Tue 3 Feb" in dated
    overdue = done(NudgeKind.THANK_YOU, StepLine(1, "Sofia", kind, "Tue 3 Feb", overdue=True), name="Sofia")
    assert "Next: " in overdue and "overdue since Tue 3 Feb" in overdue
    undated = done(NudgeKind.THANK_YOU, StepLine(1, "Sofia", kind), name="Sofia")
    assert undated.startswith("✅ Thank-you logged. Next: ") and undated.endswith(".")


def test_done_with_nothing_next_and_for_every_kind() -> None:
    assert done(NudgeKind.KEEP_IN_TOUCH, None, name="Sofia") == (
        "✅ Update logged. Nothing more to do about *Sofia* for now."
    )
    for kind in NudgeKind:
        line = done(kind, None, name="Sofia", introducer="Prof. Alvarez <!here>")
        assert line.startswith("✅ ") and "{" not in line and "<!here>" not in line


def test_a_snooze_says_when_and_why_not_later() -> None:
    item = NudgeItem(
        1, NudgeKind.FOLLOW_UP, contact_name="A", resolution="snoozed", snoozed_until="Thu 5 Mar at 09:00"
    )
    assert nudges.resolved_line(item) == "⏰ Snoozed: I'll bring it back on Thu 5 Mar at 09:00."
    capped = NudgeItem(
        1,
        NudgeKind.THANK_YOU,
        contact_name="A",
        resolution="snoozed",
        snoozed_until="Wed 4 Mar at 14:30",
        snooze_capped_hours=48,
    )
    assert nudges.resolved_line(capped).endswith("a thank-you shouldn't wait more than 48 hours.")


def test_other_resolutions_keep_their_words() -> None:
    for key, words in nudges.RESOLVED_WORDS.items():
        if key not in ("done", "introduced"):
            assert nudges.resolved_line(NudgeItem(1, NudgeKind.FOLLOW_UP, resolution=key)) == words
    assert nudges.resolved_line(NudgeItem(1, NudgeKind.PREPARE, resolution="expired")) == "✅ Done."
