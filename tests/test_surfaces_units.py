"""The pure pieces behind the student's surfaces: notification sentences, "Did you mean", referrals in
one box, the Monday plan's choices and its quiet weeks, a contact's buttons on every surface."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_e2e_journey import notification_problems

from bot.blocks import actions, notify
from bot.blocks.kit import MAX_NOTIFICATION, esc, plain_sentence
from bot.domain import plan
from bot.domain.forms import ReferralInput, parse_referrals
from bot.domain.nextstep import StepKind
from bot.domain.pipeline import Degree, Stage
from bot.domain.reminders import NudgeKind
from bot.domain.spelling import closest, distance
from bot.queries.models import ContactCard, NudgeItem, StepLine, WeeklySummary, WeekProgress

NOW = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
# Names as people type them (marks such as * in a name are the name's own, not the app's markup).
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="*_~`"),
    min_size=1,
    max_size=120,
)


# Notification texts -----------------------------------------------------------------------------------


@given(st.text(max_size=600))
def test_a_plain_sentence_is_short_one_line_and_unmarked(mrkdwn: str) -> None:
    text = plain_sentence(esc(mrkdwn))
    assert len(text) <= MAX_NOTIFICATION and "\n" not in text
    assert "<!date^" not in text and "<" not in text


def test_a_plain_sentence_keeps_the_date_fallback_and_drops_emphasis() -> None:
    assert (
        plain_sentence("📅 *Ada* at <!date^1^{time}|10:00 UTC>, _1st degree_")
        == "📅 Ada at 10:00 UTC, 1st degree"
    )
    assert plain_sentence("ada_lovelace and 2*3") == "ada_lovelace and 2*3"
    long = plain_sentence("word " * 60)
    assert long.endswith("…") and len(long) <= MAX_NOTIFICATION and " wor…" not in long


def item(n: int, kind: NudgeKind, name: str = "", weekly: WeeklySummary | None = None) -> NudgeItem:
    return NudgeItem(n, kind, contact_name=name, weekly=weekly)


@given(
    st.lists(
        st.tuples(st.sampled_from([k for k in NudgeKind if k is not NudgeKind.WEEKLY_PLAN]), names),
        max_size=12,
    )
)
def test_a_reminder_dm_names_each_person_once_in_a_short_sentence(
    reminders: list[tuple[NudgeKind, str]],
) -> None:
    items = [item(n + 1, kind, name) for n, (kind, name) in enumerate(reminders)]
    text = notify.nudge_fallback(items)
    assert not notification_problems(text, ())
    for _, name in reminders:
        if len(name) > 3 and name.strip() == name:
            assert text.count(esc(name)) <= 1 or esc(name) in ("and", "more")


def test_a_plan_says_what_matters() -> None:
    def card(n: int, name: str, kind: StepKind) -> ContactCard:
        return ContactCard(n, 1, name, Stage.REQUESTED, Degree.FIRST, next_step=StepLine(n, name, kind))

    summary = WeeklySummary(
        requests_sent=0,
        requests_goal=3,
        interviews=0,
        interviews_goal=1,
        targets=2,
        progress=WeekProgress("Mon 2 Mar", 0, 3, 0, 1),
        cards=(card(1, "Sofia", StepKind.PHONE_CALL), card(2, "Priya", StepKind.SCHEDULE)),
    )
    text = notify.nudge_fallback([item(9, NudgeKind.WEEKLY_PLAN, weekly=summary)])
    assert text == "This week: call Sofia, book Priya, 0 of 3 requests sent"
    many = WeeklySummary(
        0, 3, 0, 1, 0, cards=tuple(card(n, f"Person number {n}", StepKind.FOLLOW_UP) for n in range(1, 11))
    )
    long = notify.nudge_fallback([item(9, NudgeKind.WEEKLY_PLAN, weekly=many)])
    assert len(long) <= MAX_NOTIFICATION and long.endswith(", 0 of 3 requests sent") and " more" in long


def test_the_same_person_comes_once_with_what_matters_most() -> None:
    text = notify.nudge_fallback([item(1, NudgeKind.REFERRALS, "Ada"), item(2, NudgeKind.THANK_YOU, "Ada")])
    assert text == "Thank Ada"


# Did you mean -------------------------------------------------------------------------------------------


def test_edit_distance() -> None:
    assert distance("list", "lsit") == 1 and distance("", "abc") == 3 and distance("find", "find") == 0


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("lsit", "list"),
        ("LIST", "list"),
        ("sched", "schedule"),
        ("stat", "stats"),
        ("banana", None),
        ("", None),
    ],
)
def test_closest(typed: str, meant: str | None) -> None:
    assert closest(typed, ["log", "list", "find", "schedule", "stats", "settings", "help"]) == meant


def test_closest_does_not_measure_a_page_of_text() -> None:
    """A 40,000-character "subcommand" was measured letter by letter against every name: seconds of
    CPU before the command's acknowledgement. Now a word too long to be near is not measured."""
    started = time.monotonic()
    assert closest("&amp;" * 8000, ["log", "list", "find", "schedule", "help"]) is None
    assert closest("schedul" + "e" * 3, ["log", "schedule"]) == "schedule"
    assert time.monotonic() - started < 1.0


# Referrals in one box -------------------------------------------------------------------------------------


def test_referrals_one_per_line() -> None:
    typed = "• Linus Torvalds, Kernel Co, Maintainer, Linux\n\n2) Barbara\n- Grace Hopper\tNavy\n"
    assert parse_referrals(typed) == [
        ReferralInput("Linus Torvalds", "Kernel Co", "Maintainer, Linux"),
        ReferralInput("Barbara"),
        ReferralInput("Grace Hopper", "Navy"),
    ]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "at least one"),
        ("   \n ", "at least one"),
        (", Acme", "Line 1"),
        ("x" * 101, "under 100"),
        ("a\n" * 11, "At most 10"),
    ],
)
def test_referrals_refused_with_a_reason(typed: str, said: str) -> None:
    checked = parse_referrals(typed)
    assert isinstance(checked, dict) and said in checked["referrals"]


@given(st.text(max_size=400))
def test_referrals_never_raise(typed: str) -> None:
    checked = parse_referrals(typed)
    assert isinstance(checked, dict) or all(p.name and "\n" not in p.name for p in checked)


# The plan's choices and quiet weeks ----------------------------------------------------------------------


def test_choices_belong_to_their_week() -> None:
    monday = date(2026, 3, 23)
    prefs = plan.picked({}, monday, [3, 1, 3, 2])
    assert plan.choices(prefs, monday).targets == (3, 1, 2)
    assert plan.choices(prefs, monday + timedelta(weeks=1)).targets == ()
    skipped = {**prefs, **plan.skipped(prefs, monday)}
    assert plan.choices(skipped, monday) == plan.WeekChoices(monday, (3, 1, 2), skipped=True)
    assert plan.choices({**skipped, **plan.paused(True)}, monday).paused
    assert plan.choices({"plan": "nonsense", "plan_skipped_weeks": [1, "x"]}, monday) == plan.WeekChoices(
        monday
    )


def test_quiet_after_two_weeks_unless_a_week_was_skipped() -> None:
    three_weeks_ago = NOW - timedelta(weeks=3)
    assert plan.is_quiet(None, three_weeks_ago, NOW)
    assert not plan.is_quiet(NOW - timedelta(days=13), three_weeks_ago, NOW)
    assert not plan.is_quiet(None, NOW - timedelta(days=10), NOW)
    assert not plan.is_quiet(None, None, NOW)
    assert not plan.is_quiet(None, three_weeks_ago, NOW, [date(2026, 3, 16)])


def test_suggestions_start_with_people_you_know() -> None:
    t = datetime(2026, 3, 1, tzinfo=UTC)
    targets = [
        plan.Target(1, Degree.COLD, t),
        plan.Target(2, Degree.SECOND, t),
        plan.Target(3, Degree.FIRST, t + timedelta(days=1)),
        plan.Target(4, Degree.FIRST, t),
    ]
    assert plan.suggestions(targets) == [4, 3, 2]


# A contact's buttons ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("kind", [None, *StepKind])
@pytest.mark.parametrize("compact", [False, True])
def test_every_contact_has_buttons_within_slacks_limits(
    stage: Stage, kind: StepKind | None, compact: bool
) -> None:
    step = StepLine(1, "Ada", kind, "Tue 3 Mar", overdue=True, nudge_id=5, interview_id=6) if kind else None
    card = ContactCard(1, 2, "Ada", stage, Degree.FIRST, next_step=step)
    found = actions.action_elements(card, compact=compact)
    assert 1 <= len(found) <= 5
    ids = [e.action_id for e in found]
    assert len(ids) == len(set(ids)) and ids[-1] == "contact_more"
    menu = found[-1].to_dict()
    assert 1 <= len(menu["options"]) <= 5  # an overflow holds five at most
    if stage is Stage.REQUESTED:
        assert "contact_reply" in ids


def test_the_notes_form_labels_optional_only_what_is() -> None:
    from bot.blocks.modals.notes import notes_modal
    from handlers.nudges import check_notes

    view = notes_modal("Ada", "{}")
    optional = {b["block_id"]: bool(b.get("optional")) for b in view["blocks"] if b["type"] == "input"}
    assert optional == {"takeaways": False, "advice": True, "action_items": True, "talk_again": True}
    filled = {
        "state": {"values": {"takeaways": {"takeaways": {"type": "plain_text_input", "value": "Ops grows"}}}}
    }
    assert not isinstance(check_notes(filled, NOW), dict)
    assert "takeaways" in check_notes({}, NOW)  # type: ignore[operator]


# What a form and a click carry back -------------------------------------------------------------------


@given(st.one_of(st.none(), st.text(max_size=300)))
def test_metadata_and_places_never_raise(raw: str | None) -> None:
    from handlers.origins import form_metadata, parse_place

    form_metadata(raw)
    parse_place(raw)


def test_form_metadata_round_trip_and_only_slacks_response_urls() -> None:
    from handlers.origins import FormMetadata, form_metadata

    kept = FormMetadata(True, 4, 7, "list:4:2|V123", "https://hooks.slack.com/actions/T1/2/x", ("D1", "1.2"))
    assert form_metadata(kept.dumps()) == kept
    assert form_metadata("") == FormMetadata()  # a form opened by an earlier version
    forged = FormMetadata(response_url="https://evil.example/steal").dumps()
    assert form_metadata(forged) == FormMetadata()
    assert form_metadata('{"form": "contact", "contact": 4}') is None  # an id without its version


def test_places_read_from_block_ids() -> None:
    from bot.domain.ids import Surface
    from handlers.origins import Place, parse_place

    assert parse_place("list:12:3") == Place(Surface.LIST, 12, page=3)
    assert parse_place("cards:5:4,5,6") == Place(Surface.CARDS, 5, ids=(4, 5, 6))
    assert parse_place("cards:9:4,5") is None  # the clicked one must be among them
    assert parse_place("home:7", {"view": {"type": "home", "id": "V1"}}) == Place(Surface.HOME, 7)
    # A modal is known by its key (the external id the app gave it), never by the view id clicked.
    in_modal = {"view": {"type": "modal", "id": "V9", "external_id": "U1.00ff00ff00ff00ff"}}
    assert parse_place("list:1:1", in_modal).view_key == "U1.00ff00ff00ff00ff"  # type: ignore[union-attr]
    assert parse_place("list:1:1", {"view": {"type": "modal", "id": "V9"}}).view_key == ""  # type: ignore[union-attr]
    assert parse_place("list:1:1|U1.8") == Place(Surface.LIST, 1, view_key="U1.8")
    for bad in ("b", "home", "home:x", "nowhere:1", "contact:0", "list:1:1|V 8:x"):
        place = parse_place(bad)
        assert place is None or place.view_key == ""
