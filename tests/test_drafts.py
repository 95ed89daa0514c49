"""Drafts of the messages the method asks for (METHOD.md sections 4, 7, 8), filled from the records. Pure."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.drafts import (
    MAX_DRAFT,
    Draft,
    DraftFacts,
    first_name,
    follow_up,
    keep_in_touch,
    thank_introducer,
    thank_you,
    voicemail,
)

MAKERS: list[Callable[[DraftFacts], Draft]] = [
    follow_up,
    voicemail,
    thank_you,
    thank_introducer,
    keep_in_touch,
]
SUBJECT_MAX = 150

FULL = DraftFacts(
    contact_name="Ada Lovelace",
    company="Analytical Engines Ltd",
    role="Lead Programmer",
    learning_goal="how engineers move into research",
    introducer="Charles Babbage",
    takeaway="publishing notes early",
    action_item="write up my first project",
    student_name="Grace Hopper",
)


class TestFirstName:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Ada Lovelace", "Ada"),
            ("  ada   lovelace ", "ada"),
            ("Ada", "Ada"),
            ("Ada\nLovelace", "Ada"),
            ("Zoë Ångström", "Zoë"),
            ("李 小龙", "李"),
            ("", "there"),
            ("   ", "there"),
            ("\u3000", "there"),
        ],
    )
    def test_first_word(self, name: str, expected: str) -> None:
        assert first_name(name) == expected

    def test_a_very_long_name_is_shortened(self) -> None:
        result = first_name("A" * 10_000 + " B")
        assert len(result) <= 40
        assert result.endswith("…")
        assert result.startswith("AAAA")


class TestFollowUp:
    def test_names_the_person_and_the_request(self) -> None:
        draft = follow_up(FULL)
        assert draft.body.startswith("Hi Ada,\n")
        assert "Lovelace" not in draft.body
        assert "15 to 20 minutes" in draft.body
        assert "not asking about jobs" in draft.body
        assert "how engineers move into research" in draft.body
        assert draft.body.rstrip().endswith("Grace Hopper")
        assert draft.subject.startswith("Following up:")
        assert "[your name]" not in draft.body

    def test_what_it_is_about(self) -> None:
        assert (
            "your work as Lead Programmer at Analytical Engines Ltd"
            in follow_up(DraftFacts("Ada", company="Analytical Engines Ltd", role="Lead Programmer")).body
        )
        assert (
            "your work at Analytical Engines Ltd"
            in follow_up(DraftFacts("Ada", company="Analytical Engines Ltd")).body
        )
        # A role without a company says nothing half-finished.
        bare = follow_up(DraftFacts("Ada", role="Lead Programmer")).body
        assert "your field and how you got into it" in bare
        assert "Lead Programmer" not in bare

    def test_placeholders_when_nothing_is_known(self) -> None:
        draft = follow_up(DraftFacts(""))
        assert draft.body.startswith("Hi there,")
        assert "[your name]" in draft.body
        assert "your field and how you got into it" in draft.body

    def test_blank_student_name_gets_the_placeholder(self) -> None:
        assert "[your name]" in follow_up(DraftFacts("Ada", student_name="   ")).body


class TestVoicemail:
    def test_repeats_the_number_and_says_slowly(self) -> None:
        body = voicemail(FULL).body
        assert body.count("[your number]") == 2
        assert "slowly" in body
        assert body.startswith("Hello Ada, this is Grace Hopper.")
        assert "15 minutes" in body
        assert "Charles Babbage suggested I get in touch." in body

    def test_without_an_introducer(self) -> None:
        body = voicemail(DraftFacts("Ada")).body
        assert "suggested" not in body
        assert body.count("[your number]") == 2


class TestThankYou:
    def test_mentions_the_takeaway_and_the_action(self) -> None:
        draft = thank_you(FULL)
        assert draft.body.startswith("Hi Ada,")
        assert "publishing notes early" in draft.body
        assert "write up my first project" in draft.body
        assert "[Mention" not in draft.body
        assert draft.subject == "Thank you for your time"

    @pytest.mark.parametrize(
        ("takeaway", "action", "present"),
        [("publishing notes early", "", "publishing notes early"), ("", "write it up", "write it up")],
    )
    def test_either_one_is_enough(self, takeaway: str, action: str, present: str) -> None:
        body = thank_you(DraftFacts("Ada", takeaway=takeaway, action_item=action)).body
        assert present in body
        assert "[Mention" not in body

    def test_placeholder_when_nothing_was_noted(self) -> None:
        body = thank_you(DraftFacts("Ada")).body
        assert "[Mention one thing they said that helped you" in body


class TestThankIntroducer:
    def test_names_the_introducer_and_the_contact(self) -> None:
        draft = thank_introducer(FULL)
        assert draft.body.startswith("Hi Charles,")
        assert "Ada Lovelace" in draft.body
        assert "publishing notes early" in draft.body
        assert draft.subject == "I met Ada Lovelace: thank you"

    def test_placeholders(self) -> None:
        body = thank_introducer(DraftFacts("Ada")).body
        assert body.startswith("Hi [introducer],")
        assert "I learned a lot" not in body
        assert "[your name]" in body


class TestKeepInTouch:
    def test_mentions_the_advice(self) -> None:
        body = keep_in_touch(FULL).body
        assert body.startswith("Hi Ada,")
        assert "following your advice on write up my first project" in body
        assert "[Say what you have done" in body

    def test_without_advice(self) -> None:
        body = keep_in_touch(DraftFacts("Ada")).body
        assert "following your advice" not in body
        assert "[Say what you have done" in body


HUGE = DraftFacts(
    contact_name="N" * 10_000,
    company="C" * 10_000,
    role="R" * 10_000,
    learning_goal="goal " * 2_000,
    introducer="I" * 10_000,
    takeaway="T" * 10_000,
    action_item="word " * 2_000,
    student_name="S" * 10_000,
)


@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
class TestLimits:
    def test_huge_inputs_still_fit(self, make: Callable[[DraftFacts], Draft]) -> None:
        draft = make(HUGE)
        assert 0 < len(draft.body) <= MAX_DRAFT
        assert 0 < len(draft.subject) <= SUBJECT_MAX
        # The long names are shortened, not dropped, and nothing is cut off: the closing survives.
        assert "NNNN" in draft.body or "IIII" in draft.body
        if make is voicemail:
            assert draft.body.endswith("(Say it slowly, and repeat the number.)")
        else:
            assert draft.body.endswith("\n" + "S" * 79 + "…")

    def test_huge_inputs_without_spaces_or_with_only_spaces(
        self, make: Callable[[DraftFacts], Draft]
    ) -> None:
        for filler in ("x" * 10_000, " " * 10_000, "\n" * 10_000):
            facts = DraftFacts(filler, filler, filler, filler, filler, filler, filler, filler)
            draft = make(facts)
            assert len(draft.body) <= MAX_DRAFT
            assert len(draft.subject) <= SUBJECT_MAX

    def test_odd_text_passes_through_as_plain_text(self, make: Callable[[DraftFacts], Draft]) -> None:
        odd = "<!channel> *bold* <@U123|x> &amp; 🙂‍↔️ \u202eevil\u202c \u200b\ud800 عربى"
        facts = DraftFacts(
            contact_name="<!channel> Smith",
            company=odd,
            role=odd,
            learning_goal=odd,
            introducer="<!here> Jones",
            takeaway=odd,
            action_item=odd,
            student_name=odd,
        )
        draft = make(facts)
        assert len(draft.body) <= MAX_DRAFT
        assert len(draft.subject) <= SUBJECT_MAX
        # No escaping here: that happens where a draft is shown in a message.
        assert "&lt;" not in draft.body
        greeting = "Hi <!here>," if make is thank_introducer else "<!channel>,"
        assert greeting in draft.body

    def test_defaults_only(self, make: Callable[[DraftFacts], Draft]) -> None:
        draft = make(DraftFacts(""))
        assert draft.body and draft.subject
        assert "there" in draft.body or "[introducer]" in draft.body


# Short odd text, or a short piece repeated into something huge (cheap to generate).
TEXT = st.text(max_size=60) | st.tuples(st.text(min_size=1, max_size=30), st.integers(100, 600)).map(
    lambda piece: piece[0] * piece[1]
)


@settings(max_examples=100, deadline=None)
@given(
    facts=st.builds(
        DraftFacts,
        contact_name=TEXT,
        company=TEXT,
        role=TEXT,
        learning_goal=TEXT,
        introducer=TEXT,
        takeaway=TEXT,
        action_item=TEXT,
        student_name=TEXT,
    ),
    make=st.sampled_from(MAKERS),
)
def test_every_draft_fits_and_greets_someone(facts: DraftFacts, make: Callable[[DraftFacts], Draft]) -> None:
    draft = make(facts)
    assert len(draft.body) <= MAX_DRAFT
    assert 0 < len(draft.subject) <= SUBJECT_MAX
    if make is thank_introducer:
        name = first_name(facts.introducer) if facts.introducer else "[introducer]"
    else:
        name = first_name(facts.contact_name)
    assert draft.body.startswith((f"Hi {name},", f"Hello {name},"))
