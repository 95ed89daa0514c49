"""A user's stored preferences, the settings read from them, and the settings form's check. Pure."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.nudges import NudgeSettings
from bot.domain.pipeline import DEFAULT_SETTINGS
from bot.domain.preferences import DEFAULTS, RANGES, current, nudge_settings, validate_settings
from bot.domain.window import WorkingWindow

# The values on the settings form (the module may keep more per user; these tests are about these).
FORM_NUMBERS = ("follow_up_days", "keep_in_touch_weeks", "weekly_requests", "weekly_interviews")
FORM_KEYS = ("window_days", "window_start", "window_end", *FORM_NUMBERS)
FORM_DEFAULTS: dict[str, Any] = {
    "window_days": [0, 1, 2, 3, 4],
    "window_start": "09:00",
    "window_end": "18:00",
    "follow_up_days": 7,
    "keep_in_touch_weeks": 6,
    "weekly_requests": 2,
    "weekly_interviews": 1,
}


def shown(prefs: dict[str, Any] | None) -> dict[str, Any]:
    """What the settings form shows for the stored preferences."""
    values = current(prefs)
    return {key: values[key] for key in FORM_KEYS}


GOOD_STORED: dict[str, Any] = {
    "window_days": [5, 6],
    "window_start": "07:30",
    "window_end": "12:15",
    "follow_up_days": 10,
    "keep_in_touch_weeks": 4,
    "weekly_requests": 5,
    "weekly_interviews": 3,
}

GOOD_FORM: dict[str, Any] = {
    "window_days": ["0", "2", "4"],
    "window_start": "08:00",
    "window_end": "17:30",
    "follow_up_days": "5",
    "keep_in_touch_weeks": "8",
    "weekly_requests": "3",
    "weekly_interviews": "2",
}


class TestDefaults:
    @pytest.mark.parametrize("prefs", [None, {}])
    def test_method_defaults(self, prefs: dict[str, Any] | None) -> None:
        s = nudge_settings(prefs, None)
        assert isinstance(s, NudgeSettings)
        assert s.window == WorkingWindow()
        assert s.pipeline.follow_up_after == timedelta(days=7)
        assert s.pipeline.keep_in_touch_after == timedelta(weeks=6)
        assert (s.weekly_requests, s.weekly_interviews) == (2, 1)
        assert s.timezone is None
        # What the form can't change stays as the method says.
        assert s.pipeline.max_attempts == DEFAULT_SETTINGS.max_attempts == 3
        assert s.pipeline.later_follow_up_after == DEFAULT_SETTINGS.later_follow_up_after
        assert s.pipeline.referrals_wanted == 2

    @pytest.mark.parametrize("prefs", [None, {}])
    def test_current_is_the_defaults(self, prefs: dict[str, Any] | None) -> None:
        assert shown(prefs) == FORM_DEFAULTS
        assert {key: DEFAULTS[key] for key in FORM_KEYS} == FORM_DEFAULTS
        assert current(prefs) is not DEFAULTS

    def test_timezone_is_passed_through(self) -> None:
        assert nudge_settings({}, "Asia/Tokyo").timezone == "Asia/Tokyo"

    def test_defaults_dict_is_not_mutated(self) -> None:
        shown = current(None)
        shown["window_days"].append(6)
        assert DEFAULTS["window_days"] == [0, 1, 2, 3, 4]


class TestStored:
    def test_good_values_are_used(self) -> None:
        s = nudge_settings(GOOD_STORED, "Europe/London")
        assert s.window == WorkingWindow(frozenset({5, 6}), time(7, 30), time(12, 15))
        assert s.pipeline.follow_up_after == timedelta(days=10)
        assert s.pipeline.keep_in_touch_after == timedelta(weeks=4)
        assert (s.weekly_requests, s.weekly_interviews) == (5, 3)
        assert shown(GOOD_STORED) == GOOD_STORED

    @pytest.mark.parametrize(
        ("key", "value"),
        [(key, RANGES[key][0]) for key in FORM_NUMBERS] + [(key, RANGES[key][1]) for key in FORM_NUMBERS],
    )
    def test_range_ends_are_accepted(self, key: str, value: int) -> None:
        assert shown({key: value})[key] == value

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("follow_up_days", 1),
            ("follow_up_days", 31),
            ("follow_up_days", -7),
            ("follow_up_days", "7"),
            ("follow_up_days", 7.0),
            ("follow_up_days", None),
            ("follow_up_days", [7]),
            ("follow_up_days", {"days": 7}),
            ("keep_in_touch_weeks", 1),
            ("keep_in_touch_weeks", 27),
            ("keep_in_touch_weeks", "6"),
            ("weekly_requests", -1),
            ("weekly_requests", 51),
            ("weekly_requests", "two"),
            ("weekly_interviews", 21),
            ("weekly_interviews", 10**100),
            ("window_start", "9:00"),
            ("window_start", "24:00"),
            ("window_start", "09:60"),
            ("window_start", "0900"),
            ("window_start", "09-00"),
            ("window_start", " 9:00"),
            ("window_start", "ab:cd"),
            ("window_start", "+9:00"),
            ("window_start", 900),
            ("window_start", None),
            ("window_start", ["09:00"]),
            ("window_end", "18:00:00"),
            ("window_end", "-1:00"),
            ("window_end", 18),
            ("window_days", []),
            ("window_days", [7]),
            ("window_days", [-1]),
            ("window_days", [0, 9]),
            ("window_days", ["Mon"]),
            ("window_days", [None]),
            ("window_days", [[1]]),
            ("window_days", None),
            ("window_days", 3),
        ],
    )
    def test_garbage_falls_back_to_the_default_for_that_value(self, key: str, value: Any) -> None:
        good = {k: v for k, v in GOOD_STORED.items() if not k.startswith("window")}
        values = shown({**good, key: value})
        assert values[key] == FORM_DEFAULTS[key]
        # The other, good values are kept.
        for other, expected in good.items():
            if other != key:
                assert values[other] == expected

    def test_end_before_start_gives_the_default_window(self) -> None:
        s = nudge_settings({"window_days": [6], "window_start": "18:00", "window_end": "09:00"}, None)
        assert s.window == WorkingWindow()

    def test_start_equal_to_end_gives_the_default_window(self) -> None:
        assert (
            nudge_settings({"window_start": "10:00", "window_end": "10:00"}, None).window == WorkingWindow()
        )

    def test_bad_start_with_a_good_end(self) -> None:
        s = nudge_settings({"window_start": "nope", "window_end": "20:00"}, None)
        assert (s.window.start, s.window.end) == (time(9), time(20))

    def test_unknown_keys_are_ignored(self) -> None:
        assert shown({"colour": "blue", "follow_up_days": 9}) == {**FORM_DEFAULTS, "follow_up_days": 9}

    def test_days_are_deduplicated_and_sorted(self) -> None:
        assert shown({"window_days": [4, 1, 1, 0]})["window_days"] == [0, 1, 4]

    def test_bool_is_not_a_number(self) -> None:
        values = shown({"weekly_requests": True, "weekly_interviews": False})
        assert values["weekly_requests"] == 2 and type(values["weekly_requests"]) is int
        assert values["weekly_interviews"] == 1 and type(values["weekly_interviews"]) is int

    @pytest.mark.parametrize("value", ["²²:00", "0²:00", "09:¹⁵"])
    def test_superscript_digits_in_a_stored_time_fall_back(self, value: str) -> None:
        assert nudge_settings({"window_start": value}, None).window.start == time(9)


def form(**changes: Any) -> dict[str, Any]:
    return {**GOOD_FORM, **changes}


def errors(raw: dict[str, Any]) -> dict[str, str]:
    result = validate_settings(raw)
    assert set(result) == {"errors"}, result
    return result["errors"]


class TestValidateSettings:
    def test_accepts_a_good_form(self) -> None:
        assert validate_settings(GOOD_FORM) == {
            "prefs": {
                "window_days": [0, 2, 4],
                "window_start": "08:00",
                "window_end": "17:30",
                "follow_up_days": 5,
                "keep_in_touch_weeks": 8,
                "weekly_requests": 3,
                "weekly_interviews": 2,
            }
        }

    def test_the_result_is_what_the_settings_read_back(self) -> None:
        prefs = validate_settings(GOOD_FORM)["prefs"]
        assert shown(prefs) == prefs
        s = nudge_settings(prefs, None)
        assert s.window == WorkingWindow(frozenset({0, 2, 4}), time(8), time(17, 30))
        assert s.pipeline.follow_up_after == timedelta(days=5)
        assert s.pipeline.keep_in_touch_after == timedelta(weeks=8)

    def test_days_are_sorted_and_deduplicated(self) -> None:
        assert validate_settings(form(window_days=["6", "0", "6", "3"]))["prefs"]["window_days"] == [0, 3, 6]

    def test_numbers_are_stripped(self) -> None:
        prefs = validate_settings(form(follow_up_days=" 12 ", weekly_requests="\t0\n"))["prefs"]
        assert (prefs["follow_up_days"], prefs["weekly_requests"]) == (12, 0)

    @pytest.mark.parametrize("key", FORM_NUMBERS)
    def test_range_ends(self, key: str) -> None:
        low, high = RANGES[key]
        assert validate_settings(form(**{key: str(low)}))["prefs"][key] == low
        assert validate_settings(form(**{key: str(high)}))["prefs"][key] == high
        assert key in errors(form(**{key: str(high + 1)}))
        if low > 0:
            assert key in errors(form(**{key: str(low - 1)}))

    def test_zero_weekly_goals_are_allowed(self) -> None:
        prefs = validate_settings(form(weekly_requests="0", weekly_interviews="0"))["prefs"]
        assert (prefs["weekly_requests"], prefs["weekly_interviews"]) == (0, 0)

    def test_one_minute_window(self) -> None:
        prefs = validate_settings(form(window_start="23:58", window_end="23:59"))["prefs"]
        assert (prefs["window_start"], prefs["window_end"]) == ("23:58", "23:59")

    @pytest.mark.parametrize("days", [[], None, ["7"], ["-1"], ["x"], ["1.0"], [1, 2], ["", " "]])
    def test_no_days(self, days: Any) -> None:
        assert errors(form(window_days=days)) == {"window_days": "Pick at least one day."}

    def test_missing_everything(self) -> None:
        found = errors({})
        assert set(found) == set(FORM_KEYS)
        assert found["window_start"] == "Pick a start time."
        assert found["window_end"] == "Pick an end time."

    def test_bad_days_are_dropped_if_some_are_good(self) -> None:
        assert validate_settings(form(window_days=["1", "9", "x"]))["prefs"]["window_days"] == [1]

    @pytest.mark.parametrize(("start", "end"), [("18:00", "09:00"), ("09:00", "09:00"), ("09:01", "09:00")])
    def test_end_must_come_after_start(self, start: str, end: str) -> None:
        assert errors(form(window_start=start, window_end=end)) == {
            "window_end": "The end must come after the start."
        }

    @pytest.mark.parametrize("value", [None, "", "9:00", "25:00", "12:60", "noon", "12:00:00", 900])
    def test_bad_start(self, value: Any) -> None:
        assert set(errors(form(window_start=value))) == {"window_start"}

    @pytest.mark.parametrize("value", [None, "", "18", "18h00", "99:99"])
    def test_bad_end(self, value: Any) -> None:
        assert set(errors(form(window_end=value))) == {"window_end"}

    @pytest.mark.parametrize(
        "value", ["", None, "abc", "7.5", "-3", "1e3", "7 days", "0x7", "1", "31", "999"]
    )
    def test_bad_follow_up_days(self, value: Any) -> None:
        assert errors(form(follow_up_days=value)) == {"follow_up_days": "A whole number from 2 to 30."}

    def test_every_number_gets_its_own_message(self) -> None:
        found = errors(form(keep_in_touch_weeks="1", weekly_requests="51", weekly_interviews="x"))
        assert found == {
            "keep_in_touch_weeks": "A whole number from 2 to 26.",
            "weekly_requests": "A whole number from 0 to 50.",
            "weekly_interviews": "A whole number from 0 to 20.",
        }

    def test_errors_together(self) -> None:
        found = errors(form(window_days=[], window_start="12:00", window_end="11:00", follow_up_days="0"))
        assert set(found) == {"window_days", "window_end", "follow_up_days"}

    @pytest.mark.parametrize(
        "changes",
        [
            {"follow_up_days": "²"},
            {"weekly_requests": "1²"},
            {"window_days": ["²"]},
            {"window_start": "0²:00"},
        ],
    )
    def test_superscript_digits_are_rejected_not_a_crash(self, changes: dict[str, Any]) -> None:
        assert set(errors(form(**changes))) == set(changes)


FIELD_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    raw=st.fixed_dictionaries(
        {},
        optional={
            "window_days": st.lists(FIELD_TEXT | st.sampled_from([str(d) for d in range(7)]), max_size=8),
            "window_start": FIELD_TEXT | st.sampled_from(["00:00", "09:00", "12:30", "23:59"]),
            "window_end": FIELD_TEXT | st.sampled_from(["00:00", "09:00", "18:00", "23:59"]),
            **{key: FIELD_TEXT | st.integers(-5, 60).map(str) for key in FORM_NUMBERS},
        },
    )
)
def test_validate_settings_answers_prefs_or_errors(raw: dict[str, Any]) -> None:
    result = validate_settings(raw)
    assert set(result) in ({"prefs"}, {"errors"})
    if "errors" in result:
        assert result["errors"]
        assert set(result["errors"]) <= set(FORM_KEYS)
        assert all(isinstance(message, str) and message for message in result["errors"].values())
    else:
        # Accepted preferences are read back unchanged: nothing valid falls back to a default.
        assert set(result["prefs"]) == set(FORM_KEYS)
        assert shown(result["prefs"]) == result["prefs"]


def test_a_number_of_five_thousand_digits_is_refused_in_words() -> None:
    """Found by the hostile-input suite: int() refuses more than 4300 digits, and the form raised."""
    raw = {"window_days": ["0"], "window_start": "09:00", "window_end": "18:00", "follow_up_days": "9" * 5000}
    found = validate_settings(raw)
    assert found["errors"]["follow_up_days"] == "A whole number from 2 to 30."
