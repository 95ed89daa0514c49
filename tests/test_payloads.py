"""handlers/payloads.py: every value and metadata Slack sends back, read by one parser per kind."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.cohorts import ShareKind, SharingLevel
from handlers.cohort_payloads import (
    CohortMetadata,
    CohortRef,
    cohort_metadata,
    mentions,
    parse_cohort,
    parse_cohort_choice,
    parse_cohort_page,
    parse_cohort_student,
    parse_share_item,
    parse_sharing,
)
from handlers.payloads import (
    MAX_ID,
    MAX_ID_DIGITS,
    ContactMetadata,
    ContactRef,
    InterviewMetadata,
    NudgeMetadata,
    NudgeRef,
    action_value,
    contact_metadata,
    form_values,
    interview_metadata,
    message_location,
    message_ts,
    nudge_metadata,
    parse_contact,
    parse_contact_choice,
    parse_id,
    parse_interview,
    parse_nudge,
)

BIGGEST = MAX_ID
ids = st.integers(min_value=1, max_value=BIGGEST)
# Text that looks like ids: digits of every script, signs, spaces, colons and braces.
id_like = st.text(alphabet='0123456789²³¹١٢٣۴५０１-+ :_.e{}"', max_size=45)
anything = st.one_of(st.text(), id_like)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)

SLACK_CHANNELS = st.from_regex(r"[CDG][A-Z0-9]{1,31}", fullmatch=True)
SLACK_TSS = st.from_regex(r"[0-9]{1,12}\.[0-9]{1,8}", fullmatch=True)


# The one id parser ------------------------------------------------------------------------------------


class TestParseId:
    @given(ids)
    def test_accepts_every_canonical_id(self, n: int) -> None:
        assert parse_id(str(n)) == n

    @given(anything)
    def test_never_raises_and_accepts_only_canonical_ids(self, raw: str) -> None:
        parsed = parse_id(raw)
        assert parsed is None or (1 <= parsed <= BIGGEST and str(parsed) == raw)

    @pytest.mark.parametrize(
        "raw",
        [
            None,
            "",
            "0",
            "00",
            "007",
            "-1",
            "+1",
            " 1",
            "1 ",
            "1_000",
            "1e3",
            "0x10",
            "1.0",
            "²",
            "1²",
            "١٢٣",  # Arabic-Indic digits: str.isdigit() says yes
            "۴",
            "１２",  # fullwidth digits
            "9" * (MAX_ID_DIGITS + 1),
            str(10**MAX_ID_DIGITS),
            str(2**63),
            str(2**31),  # past PostgreSQL's INTEGER: the query would fail
            "9" * MAX_ID_DIGITS,
        ],
    )
    def test_rejects(self, raw: str | None) -> None:
        assert parse_id(raw) is None

    def test_the_biggest_id_fits_a_signed_32_bit_integer(self) -> None:
        """Every id column is PostgreSQL's INTEGER: a forged id past it failed the listener there."""
        assert parse_id(str(MAX_ID)) == BIGGEST == 2**31 - 1

    def test_rejects_what_is_not_a_string(self) -> None:
        assert parse_id(12) is None  # type: ignore[arg-type]


# Button and menu values --------------------------------------------------------------------------------


class TestContactValues:
    @given(ids, ids)
    def test_a_button_value(self, contact: int, version: int) -> None:
        assert parse_contact(f"{contact}:{version}") == ContactRef(contact, version)

    @given(anything)
    def test_never_raises_and_reads_only_canonical_values(self, raw: str) -> None:
        parsed = parse_contact(raw)
        assert parsed is None or raw == f"{parsed.contact_id}:{parsed.version}"

    @pytest.mark.parametrize(
        "raw",
        [None, "", "abc", "1", "1:", ":1", "1:x", "-1:1", "1:-1", "1:0", "9" * 60 + ":1", "1:2:3", "²:1"],
    )
    def test_rejects(self, raw: str | None) -> None:
        assert parse_contact(raw) is None

    def test_a_menu_value(self) -> None:
        assert parse_contact_choice("12:3:yes") == ContactRef(12, 3, "yes")
        assert parse_contact_choice("12:3:") == ContactRef(12, 3, "")

    @pytest.mark.parametrize("raw", [None, "", "x:1:offer", "1:offer", "1:1:2:offer", "12:3", "١:1:yes"])
    def test_rejects_a_bad_menu_value(self, raw: str | None) -> None:
        assert parse_contact_choice(raw) is None

    @given(anything)
    def test_a_menu_value_never_raises(self, raw: str) -> None:
        parsed = parse_contact_choice(raw)
        assert parsed is None or raw == f"{parsed.contact_id}:{parsed.version}:{parsed.choice}"


class TestNudgeValues:
    def test_a_button_and_an_overflow(self) -> None:
        assert parse_nudge("12") == NudgeRef(12)
        assert parse_nudge("12:1d") == NudgeRef(12, "1d")
        assert parse_nudge("12:") == NudgeRef(12, "")

    @pytest.mark.parametrize("raw", [None, "", "x", ":1d", "0", "-3", "+3", "٣", "٣:1d", "9" * 19 + ":1d"])
    def test_rejects(self, raw: str | None) -> None:
        assert parse_nudge(raw) is None

    @given(anything)
    def test_never_raises(self, raw: str) -> None:
        parsed = parse_nudge(raw)
        if parsed is not None:
            expected = str(parsed.nudge_id) if parsed.choice is None else f"{parsed.nudge_id}:{parsed.choice}"
            assert raw == expected

    def test_an_interview_button(self) -> None:
        assert parse_interview("7") == 7
        assert parse_interview("٧") is None and parse_interview("7:1") is None


class TestActionValue:
    def test_a_menu_option_before_the_button_value(self) -> None:
        assert action_value({"selected_option": {"value": "1:2:yes"}, "value": "x"}) == "1:2:yes"
        assert action_value({"value": "12"}) == "12"

    @pytest.mark.parametrize(
        "action", [{}, {"value": None}, {"value": 12}, {"selected_option": None}, {"selected_option": "1"}]
    )
    def test_nothing_readable(self, action: dict[str, Any]) -> None:
        assert action_value(action) is None


# Modal metadata ----------------------------------------------------------------------------------------


class TestContactMetadata:
    def test_what_the_modals_carry_is_unchanged(self) -> None:
        assert ContactMetadata(4, 2).dumps() == '{"contact": 4, "version": 2}'
        assert (
            ContactMetadata(4, 2, ("D1", "1.5")).dumps()
            == '{"contact": 4, "version": 2, "channel": "D1", "ts": "1.5"}'
        )

    @given(ids, ids, st.one_of(st.none(), st.tuples(SLACK_CHANNELS, SLACK_TSS)))
    def test_round_trip(self, contact: int, version: int, message: tuple[str, str] | None) -> None:
        metadata = ContactMetadata(contact, version, message)
        assert contact_metadata(metadata.dumps()) == metadata

    def test_ids_as_canonical_strings_are_read_too(self) -> None:
        assert contact_metadata('{"contact": "4", "version": "2"}') == ContactMetadata(4, 2)

    @pytest.mark.parametrize(
        "raw",
        [
            None,
            "",
            "not json",
            "[1]",
            "null",
            '{"nudge": 1}',
            '{"contact": 1}',
            '{"contact": true, "version": 1}',
            '{"contact": 1.0, "version": 1}',
            '{"contact": 0, "version": 1}',
            '{"contact": -1, "version": 1}',
            '{"contact": "04", "version": 1}',
            '{"contact": "٤", "version": 1}',
            '{"contact": 1000000000000000000, "version": 1}',
            '{"contact": ' + "9" * 5000 + ', "version": 1}',
        ],
    )
    def test_rejects(self, raw: str | None) -> None:
        assert contact_metadata(raw) is None

    def test_a_message_needs_both_a_channel_and_a_timestamp(self) -> None:
        for extra in (
            {"channel": "D1"},
            {"ts": "1.5"},
            {"channel": 1, "ts": "1.5"},
            {"channel": "", "ts": "1"},
        ):
            found = contact_metadata(json.dumps({"contact": 1, "version": 1, **extra}))
            assert found == ContactMetadata(1, 1), extra


class TestNudgeAndInterviewMetadata:
    def test_round_trip(self) -> None:
        assert NudgeMetadata(9).dumps() == '{"nudge": 9}'
        assert nudge_metadata(NudgeMetadata(9).dumps()) == NudgeMetadata(9)
        assert InterviewMetadata(3).dumps() == '{"interview": 3}'
        assert interview_metadata(InterviewMetadata(3).dumps()) == InterviewMetadata(3)

    @pytest.mark.parametrize(
        "raw", ["", "not json", '{"interview": "x"}', "[1]", '{"nudge": 1}', '{"interview": true}']
    )
    def test_a_garbled_interview_form(self, raw: str) -> None:
        assert interview_metadata(raw) is None

    @pytest.mark.parametrize("raw", ["", "{}", '{"nudge": "1 "}', '{"nudge": null}', '{"interview": 1}'])
    def test_a_garbled_nudge_form(self, raw: str) -> None:
        assert nudge_metadata(raw) is None


@given(st.one_of(anything, json_values.map(json.dumps)))
def test_no_metadata_parser_ever_raises(raw: str) -> None:
    for parse in (contact_metadata, nudge_metadata, interview_metadata, cohort_metadata):
        parse(raw)


# Where a click came from, and a modal's state --------------------------------------------------------


def test_message_location() -> None:
    message = {"type": "message", "channel_id": "D1", "message_ts": "1.5"}
    assert message_location({"container": message}) == ("D1", "1.5")
    assert message_location({"container": {**message, "is_ephemeral": True}}) is None
    assert message_location({"container": {"type": "view", "view_id": "V1"}}) is None
    assert message_location({"container": None}) is None and message_location({}) is None
    assert message_ts({"container": message}) == "1.5" and message_ts({}) is None


@pytest.mark.parametrize(
    ("channel", "ts"),
    [
        ("D1" * 3000, "1.5"),  # megabytes of channel would overflow a form's 3000-character metadata
        ("<!channel>", "1.5"),
        ("D1", "1.5" + "0" * 40),
        ("D1", "١.٥"),
        ("d1", "1.5"),
        ("", "1.5"),
        ("D1", ""),
        ("D1", "1"),
    ],
)
def test_a_forged_message_place_is_no_place(channel: str, ts: str) -> None:
    message = {"type": "message", "channel_id": channel, "message_ts": ts}
    assert message_location({"container": message}) is None
    raw = json.dumps({"contact": 1, "version": 1, "channel": channel, "ts": ts})
    found = contact_metadata(raw)
    assert found is not None and found.message is None


def test_form_values() -> None:
    view = {
        "state": {
            "values": {
                "name": {"name": {"type": "plain_text_input", "value": "Ada"}},
                "stage": {"stage": {"type": "static_select", "selected_option": {"value": "target"}}},
                "when": {"when": {"type": "datetimepicker", "selected_date_time": 1700000000}},
                "empty": {"empty": {"type": "plain_text_input", "value": None}},
            }
        }
    }
    assert form_values(view) == {"name": "Ada", "stage": "target", "when": "1700000000", "empty": None}
    assert form_values({}) == {}


# Cohorts --------------------------------------------------------------------------------------------------


class TestCohortValues:
    @given(ids, ids)
    def test_pages_students_and_choices_round_trip(self, cohort: int, page: int) -> None:
        assert parse_cohort_page(f"{cohort}:{page}") == CohortRef(cohort, page=page)
        assert parse_cohort_student(f"{cohort}:U0ABC12") == CohortRef(cohort, student="U0ABC12")
        assert parse_cohort_choice(f"{cohort}:paused", frozenset({"paused"})) == CohortRef(
            cohort, choice="paused"
        )
        assert cohort_metadata(CohortMetadata(cohort, "W0X1").dumps()) == CohortMetadata(cohort, "W0X1")
        assert parse_share_item(f"interview:{page}") == (ShareKind.INTERVIEW, page)

    @given(anything)
    def test_no_cohort_parser_ever_raises(self, raw: str) -> None:
        for parser in (
            parse_cohort,
            parse_cohort_page,
            parse_cohort_student,
            parse_share_item,
            parse_sharing,
        ):
            parser(raw)
        assert parse_cohort_choice(raw, frozenset({"active"})) is None or raw.endswith(":active")
        assert cohort_metadata(raw) is None or isinstance(cohort_metadata(raw), CohortMetadata)
        assert all(user.startswith(("U", "W")) for user in mentions(raw))

    @pytest.mark.parametrize(
        "raw",
        ["1:u0abc", "1:U0ABC:x", "0:U0ABC", "1:<@U0ABC>", "1:", ":U0ABC", "1:U", "1:UA B"],
    )
    def test_a_student_must_be_a_slack_user_id(self, raw: str) -> None:
        assert parse_cohort_student(raw) is None

    def test_forged_metadata_and_levels(self) -> None:
        assert cohort_metadata(json.dumps({"cohort": 3, "student": "<!channel>"})) is None
        assert cohort_metadata(json.dumps({"cohort": True})) is None
        assert parse_sharing("contact") is None and parse_sharing("stages") is SharingLevel.STAGES
        assert parse_share_item("note:3") is None and parse_share_item("contact:03") is None

    def test_mentions_with_and_without_a_name(self) -> None:
        assert mentions("<@U0ANN|ann> and <@W0BOB>, not @carl or <#C0X>") == ["U0ANN", "W0BOB"]
