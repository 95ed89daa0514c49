"""Checking user input: hostile text, lengths, shapes, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.forms import (
    ContactInput,
    InterviewInput,
    Standing,
    clean_text,
    validate_contact,
    validate_interview,
)
from bot.domain.pipeline import Degree, InterviewFormat, OutreachChannel, Source

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def epoch(delta: timedelta) -> str:
    return str(int((NOW + delta).timestamp()))


def valid(**fields: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = {"name": "Ada Lovelace", "degree": "first"}
    base.update(fields)
    return base


class TestCleanText:
    def test_folds_white_space_and_trims(self) -> None:
        assert clean_text("  Ada \t  Lovelace\n ") == "Ada Lovelace"

    def test_strips_control_and_hidden_characters(self) -> None:
        assert clean_text("A\x00d\u202ea\u200b\ufeff") == "Ada"

    def test_drops_lone_surrogates(self) -> None:
        """JSON carries "\\ud800"; UTF-8, and so the database, can't: it was a failed listener."""
        cleaned = clean_text("A\ud800d\udfffa \U0001f469\u200d\U0001f467", multiline=True)
        assert cleaned == "Ada \U0001f469\u200d\U0001f467"
        cleaned.encode("utf-8")

    def test_normalises_to_nfc(self) -> None:
        assert clean_text("Jose\u0301") == "Jos\u00e9"

    def test_multiline_keeps_paragraphs_but_not_runs(self) -> None:
        assert clean_text("one\r\n\n\n\n two  three", multiline=True) == "one\n\ntwo three"

    def test_none_and_empty(self) -> None:
        assert clean_text(None) == "" and clean_text("   ") == ""

    def test_keeps_emoji_and_scripts(self) -> None:
        assert clean_text("李 👩‍💻 Zoë") == "李 👩‍💻 Zoë"


class TestValidateContact:
    def test_minimal_valid(self) -> None:
        result = validate_contact(valid(), NOW)
        assert isinstance(result, ContactInput)
        assert result.name == "Ada Lovelace" and result.degree is Degree.FIRST
        assert result.standing is Standing.TARGET and result.source is Source.OTHER
        assert result.request_channel is None and result.interview_at is None

    def test_name_required(self) -> None:
        assert validate_contact(valid(name="  \u200b "), NOW) == {"name": "Give the contact's name."}

    def test_degree_required_and_checked(self) -> None:
        assert "degree" in validate_contact(valid(degree=None), NOW)  # type: ignore[operator]
        assert "degree" in validate_contact(valid(degree="third"), NOW)  # type: ignore[operator]

    def test_second_degree_needs_an_introducer(self) -> None:
        errors = validate_contact(valid(degree="second"), NOW)
        assert isinstance(errors, dict) and set(errors) == {"introducer"}
        ok = validate_contact(valid(degree="second", introducer="Grace"), NOW)
        assert isinstance(ok, ContactInput) and ok.introducer == "Grace"

    def test_introducer_dropped_for_other_degrees(self) -> None:
        ok = validate_contact(valid(degree="cold", introducer="Grace"), NOW)
        assert isinstance(ok, ContactInput) and ok.introducer == ""

    @pytest.mark.parametrize("field", ["name", "company", "role", "industry", "introducer", "learning_goal"])
    def test_length_limits(self, field: str) -> None:
        errors = validate_contact(valid(**{"degree": "second", "introducer": "G", field: "x" * 2000}), NOW)
        assert isinstance(errors, dict) and "Keep it under" in errors[field]

    def test_limit_counts_characters_after_cleaning(self) -> None:
        ok = validate_contact(valid(name="  " + "é" * 100 + "  "), NOW)
        assert isinstance(ok, ContactInput) and len(ok.name) == 100

    @pytest.mark.parametrize("email", ["ada@example.org", "a.b+c@sub.example.co.uk"])
    def test_good_emails(self, email: str) -> None:
        assert isinstance(validate_contact(valid(email=email), NOW), ContactInput)

    @pytest.mark.parametrize(
        "email", ["ada", "ada@", "@example.org", "ada@example", "a b@example.org", "<a@b.co>"]
    )
    def test_bad_emails(self, email: str) -> None:
        errors = validate_contact(valid(email=email), NOW)
        assert isinstance(errors, dict) and set(errors) == {"email"}

    @pytest.mark.parametrize(
        "url",
        ["linkedin.com/in/ada", "javascript:alert(1)", "https://", "ftp://example.org", "https://x y.com"],
    )
    def test_bad_urls(self, url: str) -> None:
        errors = validate_contact(valid(linkedin_url=url), NOW)
        assert isinstance(errors, dict) and set(errors) == {"linkedin_url"}

    def test_good_url_and_phone(self) -> None:
        ok = validate_contact(
            valid(linkedin_url="https://www.linkedin.com/in/ada-l?x=1", phone="+1 (415) 555-0100 ext 12"), NOW
        )
        assert isinstance(ok, ContactInput)

    @pytest.mark.parametrize("phone", ["call me", "12", "+1 415 <!channel>"])
    def test_bad_phones(self, phone: str) -> None:
        errors = validate_contact(valid(phone=phone), NOW)
        assert isinstance(errors, dict) and set(errors) == {"phone"}

    def test_mrkdwn_control_sequences_are_kept_as_text(self) -> None:
        """Escaping happens when rendering; the stored name is what the user typed."""
        ok = validate_contact(valid(name="<!channel> & <@U123>"), NOW)
        assert isinstance(ok, ContactInput) and ok.name == "<!channel> & <@U123>"

    def test_request_sent_defaults_the_channel_by_degree(self) -> None:
        first = validate_contact(valid(standing="request_sent"), NOW)
        second = validate_contact(valid(standing="request_sent", degree="second", introducer="G"), NOW)
        chosen = validate_contact(valid(standing="request_sent", request_channel="linkedin"), NOW)
        assert isinstance(first, ContactInput) and first.request_channel is OutreachChannel.EMAIL
        assert isinstance(second, ContactInput) and second.request_channel is OutreachChannel.INTRODUCTION
        assert isinstance(chosen, ContactInput) and chosen.request_channel is OutreachChannel.LINKEDIN

    def test_channel_ignored_unless_request_sent(self) -> None:
        ok = validate_contact(valid(request_channel="linkedin"), NOW)
        assert isinstance(ok, ContactInput) and ok.request_channel is None

    def test_unknown_choices_are_refused(self) -> None:
        errors = validate_contact(valid(source="dark_web", standing="hired", request_channel="pigeon"), NOW)
        assert isinstance(errors, dict) and set(errors) == {"source", "standing", "request_channel"}

    def test_scheduled_needs_a_future_time(self) -> None:
        missing = validate_contact(valid(standing="interview_scheduled"), NOW)
        past = validate_contact(
            valid(standing="interview_scheduled", interview_at=epoch(-timedelta(hours=1))), NOW
        )
        far = validate_contact(
            valid(standing="interview_scheduled", interview_at=epoch(timedelta(days=400))), NOW
        )
        junk = validate_contact(valid(standing="interview_scheduled", interview_at="soon"), NOW)
        ok = validate_contact(
            valid(standing="interview_scheduled", interview_at=epoch(timedelta(days=2))), NOW
        )
        assert isinstance(missing, dict) and "Pick" in missing["interview_at"]
        assert isinstance(past, dict) and "passed" in past["interview_at"]
        assert isinstance(far, dict) and "year" in far["interview_at"]
        assert isinstance(junk, dict) and "read" in junk["interview_at"]
        assert isinstance(ok, ContactInput) and ok.interview_at == NOW + timedelta(days=2)

    def test_all_errors_at_once(self) -> None:
        errors = validate_contact({"name": "", "degree": "second", "email": "x"}, NOW)
        assert isinstance(errors, dict) and set(errors) == {"name", "introducer", "email"}


class TestValidateInterview:
    def test_defaults(self) -> None:
        ok = validate_interview({"starts_at": epoch(timedelta(days=1))}, NOW)
        assert isinstance(ok, InterviewInput)
        assert ok.duration_minutes == 20 and ok.format is InterviewFormat.VIDEO and ok.place == ""

    def test_bad_values(self) -> None:
        errors = validate_interview(
            {"starts_at": epoch(-timedelta(days=1)), "duration": "90", "format": "smoke", "place": "x" * 301},
            NOW,
        )
        assert isinstance(errors, dict) and set(errors) == {"starts_at", "duration", "format", "place"}

    def test_within_five_minutes_of_now_is_accepted(self) -> None:
        assert isinstance(
            validate_interview({"starts_at": epoch(-timedelta(minutes=4))}, NOW), InterviewInput
        )
