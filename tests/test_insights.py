"""Insights core: cutting notes into points, key words, grouping similar things said, matching the
industry or company asked about, the per-industry summary; and the blocks that show them."""

from __future__ import annotations

import random

import pytest
from helpers import texts
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks import insights as blocks
from bot.domain import insights as core
from bot.domain.insights import InterviewedPerson, Takeaway
from bot.fakeslack import validate_message_blocks

HOSTILE = "<!channel> & <@U999> <https://evil.example|click>"
WORDS = ("hire", "pay", "grads", "sql", "mentor", "hours", "culture", "remote", "travel", "budget")


def said(
    person: str, text: str, industry: str = "Healthcare", company: str = "Mercy", pid: int | None = None
) -> Takeaway:
    return Takeaway(person=person, company=company, industry=industry, text=text, person_id=pid)


SIMILAR_INTERNSHIPS = [
    said("Ann", "The best way in is through internships.", pid=1),
    said("Bob", "Internships are the best way to break in.", company="Kaiser", pid=2),
    said("Cy", "Internship programs are the best way in for new grads", pid=3),
]
SIMILAR_NETWORK = [
    said("Dee", "Networking matters more than grades.", pid=4),
    said("Eve", "Your network matters more than your GPA!", pid=5),
]
DIFFERENT = [
    said("Fay", "Expect long hours in the first years.", pid=6),
    said("Gus", "Hospitals are short of data analysts.", pid=7),
    said("Hal", "Learn SQL before you apply.", pid=8),
]


def texts_of(theme: core.Theme) -> set[str]:
    return {s.text for s in theme.said}


# Text ------------------------------------------------------------------------------------------------


class TestPoints:
    def test_one_point_per_line_without_bullets(self) -> None:
        note = "- Hiring is slow\n• Pay is fair\n\n  * Mentors matter\n1. Learn SQL\n2) Network"
        expected = ["Hiring is slow", "Pay is fair", "Mentors matter", "Learn SQL", "Network"]
        assert core.points(note) == expected

    def test_sentences_are_separate_points(self) -> None:
        assert core.points("Hiring is slow. Pay is fair! Why? Because.") == [
            "Hiring is slow.",
            "Pay is fair!",
            "Why?",
            "Because.",
        ]

    def test_lower_case_after_a_full_stop_stays_one_point(self) -> None:
        assert core.points("Use e.g. the alumni list") == ["Use e.g. the alumni list"]

    def test_empty_and_blank(self) -> None:
        assert core.points("") == [] and core.points(" \n\r\n - \n") == []


class TestKeyWords:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("internships", "internship"),
            ("hiring", "hire"),
            ("hired", "hire"),
            ("networking", "network"),
            ("companies", "company"),
            ("studied", "study"),
            ("studying", "study"),
            ("planned", "plan"),
            ("agreed", "agree"),
            ("staffed", "staff"),
            ("applied", "apply"),
        ],
    )
    def test_light_stemming_brings_forms_together(self, a: str, b: str) -> None:
        assert core.stem(a) == core.stem(b)

    @pytest.mark.parametrize(("a", "b"), [("career", "car"), ("business", "busy"), ("sales", "salary")])
    def test_stemming_keeps_different_words_apart(self, a: str, b: str) -> None:
        assert core.stem(a) != core.stem(b)

    def test_short_words_are_kept_as_they_are(self) -> None:
        assert [core.stem(w) for w in ("gpa", "sql", "bus", "is")] == ["gpa", "sql", "bus", "is"]

    def test_stop_words_go_negations_stay(self) -> None:
        assert core.key_words("The hiring is NOT hard for them") == {"hir", "not", "hard"}

    def test_apostrophes_and_case(self) -> None:
        assert core.key_words("Mercy's nurses don't rest") == core.key_words("MERCY NURSE DONT REST")

    def test_jaccard(self) -> None:
        a, b = frozenset({"x", "y"}), frozenset({"y", "z"})
        assert core.jaccard(a, b) == pytest.approx(1 / 3)
        assert core.jaccard(frozenset(), b) == 0 and core.jaccard(frozenset(), frozenset()) == 0
        assert core.jaccard(a, a) == 1


# Grouping --------------------------------------------------------------------------------------------


class TestGroup:
    def test_similar_sentences_are_grouped_different_ones_are_not(self) -> None:
        themes = core.group(SIMILAR_INTERNSHIPS + SIMILAR_NETWORK + DIFFERENT)
        by_size = [(t.people, texts_of(t)) for t in themes]
        assert by_size[0] == (3, {t.text for t in SIMILAR_INTERNSHIPS})
        assert by_size[1] == (2, {t.text for t in SIMILAR_NETWORK})
        assert sorted(by_size[2:]) == sorted((1, {t.text}) for t in DIFFERENT)
        assert len(themes) == 5

    def test_verdicts(self) -> None:
        themes = core.group(SIMILAR_NETWORK + DIFFERENT[:1])
        assert themes[0].verdict == "2 people said something similar."
        assert themes[1].verdict == "Only one person said this: one data point."

    def test_the_same_person_twice_is_still_one_data_point(self) -> None:
        twice = [
            said("Ann", "Networking matters more than grades.", pid=1),
            said("Ann", "Networking matters far more than grades!", pid=1),
        ]
        (theme,) = core.group(twice)
        assert theme.people == 1 and len(theme.said) == 2 and theme.names == ("Ann",)
        assert theme.verdict == "Only one person said this (more than once): one data point."

    def test_two_contacts_with_one_name_are_two_people(self) -> None:
        (theme,) = core.group(
            [said("Sam Lee", "Networking matters", pid=1), said("Sam Lee", "Networking matters", pid=2)]
        )
        assert theme.people == 2

    def test_without_ids_people_are_told_apart_by_name(self) -> None:
        (theme,) = core.group([said("Sam", "Networking matters"), said(" sam ", "networking matters!")])
        assert theme.people == 1

    def test_one_shared_word_is_not_enough(self) -> None:
        pair = [said("A", "Hospitals are hiring", pid=1), said("B", "Hospitals pay badly", pid=2)]
        themes = core.group(pair)
        assert [t.people for t in themes] == [1, 1]

    def test_negation_keeps_opposites_apart(self) -> None:
        themes = core.group([said("A", "Hiring is hard", pid=1), said("B", "Hiring is not hard", pid=2)])
        assert len(themes) == 2
        assert core.similar(core.key_words("Hiring is hard"), core.key_words("Hiring isn't hard")) == 0
        assert core.similar(core.key_words("Nothing beats a referral"), core.key_words("Referral")) == 0

    def test_two_negated_points_can_agree(self) -> None:
        (theme,) = core.group(
            [said("A", "Grades don't matter much", pid=1), said("B", "Grades do not matter", pid=2)]
        )
        assert theme.people == 2 and core.similar(frozenset({"x", "not"}), frozenset({"x", "not"})) == 1

    def test_identical_points_without_key_words_still_match(self) -> None:
        (theme,) = core.group([said("A", "Yes!", pid=1), said("B", "yes!", pid=2)])
        assert theme.people == 2

    def test_a_note_with_several_lines_makes_several_points(self) -> None:
        note = said("Ann", "Internships are the best way in\nExpect long hours early on", pid=1)
        themes = core.group([note, SIMILAR_INTERNSHIPS[1], DIFFERENT[0]])
        assert {frozenset(texts_of(t)) for t in themes} == {
            frozenset({"Internships are the best way in", SIMILAR_INTERNSHIPS[1].text}),
            frozenset({"Expect long hours early on", DIFFERENT[0].text}),
        }
        assert [t.people for t in themes] == [2, 2]

    def test_shared_words_explain_the_theme(self) -> None:
        theme = core.group(SIMILAR_INTERNSHIPS)[0]
        assert "internships" in theme.words or "internship" in theme.words
        assert "best" in theme.words
        assert core.group(DIFFERENT[:1])[0].words == ()

    def test_empty(self) -> None:
        assert core.group([]) == []
        assert core.group([said("A", "   ")]) == []

    def test_most_agreed_first(self) -> None:
        themes = core.group(DIFFERENT + SIMILAR_NETWORK + SIMILAR_INTERNSHIPS)
        assert [t.people for t in themes] == [3, 2, 1, 1, 1]

    def test_deterministic_whatever_the_order(self) -> None:
        everything = SIMILAR_INTERNSHIPS + SIMILAR_NETWORK + DIFFERENT
        expected = core.group(everything)
        for seed in range(10):
            shuffled = everything[:]
            random.Random(seed).shuffle(shuffled)
            assert core.group(shuffled) == expected

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(st.integers(1, 4), st.lists(st.sampled_from(WORDS[:6]))),
            max_size=12,
        ),
        st.randoms(use_true_random=False),
    )
    def test_property_order_free_and_every_point_kept(self, rows, rnd) -> None:
        notes = [said(f"P{pid}", " ".join(words) or "ok", pid=pid) for pid, words in rows]
        themes = core.group(notes)
        shuffled = notes[:]
        rnd.shuffle(shuffled)
        assert core.group(shuffled) == themes
        assert sum(len(t.said) for t in themes) == sum(len(core.points(n.text)) for n in notes)
        for theme in themes:
            assert theme.people == len(theme.names) >= 1

    def test_many_points_are_quick(self) -> None:
        words = list(WORDS)
        rnd = random.Random(7)
        notes = [
            said(f"P{i % 40}", " ".join(rnd.sample(words, 4)), pid=i % 40, industry="X") for i in range(1500)
        ]
        import time

        started = time.perf_counter()
        core.group(notes)
        assert time.perf_counter() - started < 2.5


# Selecting what was asked about -----------------------------------------------------------------------


NOTES = [
    said("Ann", "a", industry="Healthcare", company="Mercy Hospital", pid=1),
    said("Bob", "b", industry="health care", company="Kaiser", pid=2),
    said("Cy", "c", industry="Fintech", company="Health Bank", pid=3),
    said("Dee", "d", industry="Fintech", company="Stripe", pid=4),
    said("Eve", "e", industry="", company="", pid=5),
]


class TestSelect:
    def test_exact_industry_case_spaces_and_punctuation_ignored(self) -> None:
        for query in ("healthcare", "HEALTH CARE", " Health-Care "):
            chosen = core.select(NOTES, query)
            assert [t.person for t in chosen.takeaways] == ["Ann", "Bob"], query
            assert chosen.exact and chosen.companies == ()
            assert set(chosen.industries) <= {"Healthcare", "health care"} and len(chosen.industries) == 1

    def test_exact_company(self) -> None:
        chosen = core.select(NOTES, "stripe")
        assert [t.person for t in chosen.takeaways] == ["Dee"]
        assert chosen.companies == ("Stripe",) and chosen.industries == ()

    def test_partial_only_when_nothing_matches_exactly(self) -> None:
        chosen = core.select(NOTES, "health")
        assert [t.person for t in chosen.takeaways] == ["Ann", "Bob", "Cy"]
        assert not chosen.exact and chosen.companies == ("Health Bank",)

    def test_exact_wins_over_partial(self) -> None:
        notes = [*NOTES, said("Fay", "f", industry="Fintech Lending", company="", pid=6)]
        assert [t.person for t in core.select(notes, "fintech").takeaways] == ["Cy", "Dee"]

    @pytest.mark.parametrize("query", ["", "   ", "!!!", "nothing-like-it"])
    def test_no_match(self, query: str) -> None:
        assert core.select(NOTES, query).takeaways == ()

    def test_blank_fields_never_match(self) -> None:
        assert "Eve" not in [t.person for t in core.select(NOTES, "e").takeaways]


class TestReport:
    def test_counts(self) -> None:
        notes = [*SIMILAR_INTERNSHIPS, *SIMILAR_NETWORK, said("Ann", "Hiring is slow", pid=1)]
        report = core.report(notes, "healthcare")
        assert report.people == 5 and report.points == 6 and report.agreed == 2 and report.left_out == 0

    def test_very_long_histories_group_the_latest_only(self) -> None:
        notes = [said(f"P{i}", f"point number {i}", pid=i) for i in range(30)]
        report = core.report(notes, "healthcare", max_points=10)
        assert report.points == 30 and report.left_out == 20
        assert {s.text for t in report.themes for s in t.said} == {f"point number {i}" for i in range(20, 30)}


class TestSummary:
    def test_per_industry(self) -> None:
        interviewed = [
            InterviewedPerson(1, "Ann", "Mercy", "Healthcare", 2),
            InterviewedPerson(2, "Bob", "Kaiser", "health care", 1),
            InterviewedPerson(3, "Cy", "Stripe", "Fintech", 1),
            InterviewedPerson(9, "Zed", "", "", 1),
        ]
        notes = [
            said("Ann", "x", industry="Healthcare", pid=1),
            said("Ann", "y\n- y2", industry="Healthcare", pid=1),
            said("Cy", "z", industry="Fintech", company="Stripe", pid=3),
            said("Dee", "w", industry="Fintech", company="Plaid", pid=4),  # notes, interview not marked done
        ]
        lines = core.industry_summary(interviewed, notes)
        assert [(x.industry, x.interviews, x.people, x.takeaways) for x in lines] == [
            ("Fintech", 1, 2, 2),
            ("Healthcare", 3, 2, 3),
            (core.NO_INDUSTRY, 1, 1, 0),
        ]
        assert lines[0].companies == ("Plaid", "Stripe")
        assert lines[2].verdict == "One person so far: one data point."
        assert lines[0].verdict == "2 people to compare."

    def test_empty(self) -> None:
        assert core.industry_summary([], []) == []


# Blocks ----------------------------------------------------------------------------------------------


class TestBlocks:
    def test_hostile_text_is_escaped_everywhere(self) -> None:
        notes = [
            said(HOSTILE, f"Hiring is slow {HOSTILE}", industry=HOSTILE, company=HOSTILE, pid=1),
            said("Bob", f"hiring is slow & {HOSTILE}", industry=HOSTILE, company="B", pid=2),
        ]
        report = core.report(notes, HOSTILE)
        assert report.people == 2
        for message in (
            blocks.insights_message(report),
            blocks.no_match_message(HOSTILE, core.industry_summary([], notes)),
            blocks.summary_message(core.industry_summary([], notes)),
        ):
            shown = texts(message)
            assert "<!channel>" not in shown and "<@U999>" not in shown and "<https" not in shown
            assert "&lt;!channel&gt;" in shown
            assert not validate_message_blocks(message["blocks"], message["text"])

    def test_agreed_themes_side_by_side(self) -> None:
        message = blocks.insights_message(core.report(SIMILAR_INTERNSHIPS + DIFFERENT, "healthcare"))
        sections = [b for b in message["blocks"] if b["type"] == "section" and b.get("fields")]
        assert len(sections) == 1 and len(sections[0]["fields"]) == 3
        assert "3 people said something similar." in sections[0]["text"]["text"]
        shown = texts(message)
        assert "Only one person said these" in shown and "Learn SQL before you apply." in shown

    def test_no_agreement_says_so(self) -> None:
        shown = texts(blocks.insights_message(core.report(DIFFERENT, "healthcare")))
        assert "No two people said similar things yet" in shown

    @pytest.mark.parametrize("size", [1, 60, 400, 3000])
    def test_within_limits_however_many_notes(self, size: int) -> None:
        long = "word " * 400
        notes = [said(f"P{i}", f"Point {i} {long}" if i % 3 else "Hiring slow", pid=i) for i in range(size)]
        notes += [said(f"Q{i}", f"Theme {i // 2} x{i // 2} y{i // 2} z", pid=10_000 + i) for i in range(size)]
        message = blocks.insights_message(core.report(notes, "healthcare"))
        assert not validate_message_blocks(message["blocks"], message["text"])
        assert len(message["blocks"]) <= 50

    def test_a_theme_of_many_people_uses_at_most_ten_fields(self) -> None:
        notes = [said(f"P{i}", "Hiring is slow this year", pid=i) for i in range(25)]
        message = blocks.insights_message(core.report(notes, "healthcare"))
        (theme,) = [b for b in message["blocks"] if b.get("fields")]
        assert len(theme["fields"]) == 10 and "…and 16 more points" in theme["fields"][-1]["text"]
        assert "25 people said something similar." in theme["text"]["text"]

    def test_summary_within_limits(self) -> None:
        lines = core.industry_summary(
            [InterviewedPerson(i, f"P{i}", f"Company {i}", f"Industry {i}", 1) for i in range(500)], []
        )
        message = blocks.summary_message(lines)
        assert not validate_message_blocks(message["blocks"], message["text"])
        assert "more industries not shown" in texts(message)

    def test_empty_summary_explains_how_to_start(self) -> None:
        assert "No interviews or takeaways yet" in texts(blocks.summary_message([]))
