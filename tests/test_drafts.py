"""Drafts of the messages the method asks for (METHOD.md sections 4, 7, 8), filled from the records. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.drafts import (
    MAX_DRAFT,
    Draft,
    DraftFacts,
    first_name,
    follow_up,
    introduction_ask,
    introduction_follow_up,
    keep_in_touch,
    propose_times,
    request_after_introduction,
    request_cold,
    request_first,
    request_via_introducer,
    salutation,
    sorry_we_missed,
    thank_introducer,
    thank_you,
    voicemail,
)
from bot.domain.phrasing import TITLES, phrase, quoted

SLOTS = ("Thursday 5 March at 09:00", "Friday 6 March at 09:00", "Monday 9 March at 09:00")


def propose(facts: DraftFacts) -> Draft:
    return propose_times(facts, SLOTS)


def sorry(facts: DraftFacts) -> Draft:
    return sorry_we_missed(facts, SLOTS)


MAKERS: list[Callable[[DraftFacts], Draft]] = [
    follow_up,
    voicemail,
    thank_you,
    thank_introducer,
    keep_in_touch,
    request_first,
    request_via_introducer,
    request_after_introduction,
    request_cold,
    introduction_ask,
    introduction_follow_up,
    propose,
    sorry,
]
# Drafts written to the introducer, not to the contact.
TO_INTRODUCER = (thank_introducer, introduction_ask, introduction_follow_up)
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
    advice="Publish early and often.",
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
    def test_mentions_the_takeaway_and_quotes_their_advice(self) -> None:
        draft = thank_you(FULL)
        assert draft.body.startswith("Hi Ada,")
        assert "One thing you said stays with me: publishing notes early." in draft.body
        assert "Your advice, “Publish early and often”, is the first thing I'm acting on." in draft.body
        # The student's own action items are theirs, not something the contact said.
        assert "write up my first project" not in draft.body
        assert "[what you learned]" not in draft.body
        assert draft.subject == "Thank you for your time"

    def test_advice_alone_leaves_a_placeholder_for_what_was_learned(self) -> None:
        body = thank_you(DraftFacts("Ada", advice="build a portfolio", action_item="write it up")).body
        assert "One thing you said stays with me: [what you learned]." in body
        assert "“build a portfolio”" in body and "write it up" not in body

    def test_takeaway_alone_needs_no_placeholder(self) -> None:
        body = thank_you(DraftFacts("Ada", takeaway="Publishing notes early.")).body
        assert "stays with me: publishing notes early.\n" in body
        assert "[what you learned]" not in body and "advice" not in body

    def test_placeholder_when_nothing_was_noted(self) -> None:
        body = thank_you(DraftFacts("Ada")).body
        assert "One thing you said stays with me: [what you learned]." in body
        assert "advice" not in body


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
    def test_quotes_their_advice_not_the_student_s_action_items(self) -> None:
        body = keep_in_touch(FULL).body
        assert body.startswith("Hi Ada,")
        assert "I've been following your advice, “Publish early and often”." in body
        assert "write up my first project" not in body
        assert "[Say what you have done" in body

    def test_without_advice(self) -> None:
        body = keep_in_touch(DraftFacts("Ada", action_item="write it up")).body
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
        greeting = "Hi <!here>," if make in TO_INTRODUCER else "<!channel>,"
        assert greeting in draft.body

    def test_defaults_only(self, make: Callable[[DraftFacts], Draft]) -> None:
        draft = make(DraftFacts(""))
        assert draft.body and draft.subject
        assert "there" in draft.body or "[introducer]" in draft.body


# Grammar: names, salutations, phrases, quotes ------------------------------------------------------


class TestSalutation:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Elena Ruiz", "Hi Elena,"),
            ("Prof. Maria Alvarez", "Dear Prof. Alvarez,"),
            ("Professor Alvarez", "Dear Professor Alvarez,"),
            ("prof. maria alvarez", "Dear Prof. alvarez,"),
            ("Dr Elena Ruiz, PhD", "Dear Dr Ruiz,"),
            ("Dr. Ruiz Jr.", "Dear Dr. Ruiz,"),
            ("Prof. Dr. Hans Weber", "Dear Prof. Weber,"),
            ("Ms. Jane Doe", "Dear Ms. Doe,"),
            ("Dr.", "Hi there,"),
            ("Elena.", "Hi Elena,"),
            ("", "Hi there,"),
        ],
    )
    def test_first_name_or_title_and_surname(self, name: str, expected: str) -> None:
        assert salutation(name) == expected

    def test_titles_are_not_first_names(self) -> None:
        assert first_name("Prof. Maria Alvarez") == "Maria"
        assert first_name("Dr") == "there"

    def test_every_draft_greets_with_the_title(self) -> None:
        facts = DraftFacts("Prof. Maria Alvarez", introducer="Dr. Sam Lee", student_name="Grace")
        for make in MAKERS:
            greeting = "Dear Dr. Lee," if make in TO_INTRODUCER else "Dear Prof. Alvarez,"
            if make is voicemail:
                greeting = "Hello Prof. Alvarez, this is Grace."
            assert make(facts).body.startswith(greeting), make.__name__


class TestPhrase:
    @pytest.mark.parametrize(
        ("typed", "embedded"),
        [
            ("How engineers move into research.", "how engineers move into research"),
            ("UX research in fintech!", "UX research in fintech"),
            ("I want to see a typical day.", "I want to see a typical day"),
            ("I'm curious about hiring", "I'm curious about hiring"),
            ("McKinsey's strategy work", "McKinsey's strategy work"),
            ("- Research ops is growing fast\n- hiring is slow", "research ops is growing fast"),
            ("\n\n1. Bootcamps work.\n", "bootcamps work"),
            ("Élan matters...", "élan matters"),
            (" . ", ""),
            ("", ""),
        ],
    )
    def test_lower_first_letter_and_no_final_stop(self, typed: str, embedded: str) -> None:
        assert phrase(typed, 200) == embedded

    def test_quotes_keep_the_words_as_typed(self) -> None:
        assert quoted("Build a portfolio.\nAnd learn SQL", 200) == "“Build a portfolio”"
        assert quoted("   ", 200) == ""

    def test_a_goal_reads_inside_the_sentence(self) -> None:
        body = follow_up(DraftFacts("Ada", learning_goal="How engineers move into research.")).body
        assert "to learn about how engineers move into research. I'm not asking" in body


class TestBookingDrafts:
    def test_propose_times_lists_three_slots(self) -> None:
        body = propose(DraftFacts("Ada Lovelace", student_name="Grace")).body
        assert body.startswith("Hi Ada,\n\nThank you for agreeing to talk with me.")
        assert "\n- Thursday 5 March at 09:00\n- Friday 6 March at 09:00\n- Monday 9 March at 09:00\n" in body
        assert "[a time you could offer]" not in body

    def test_without_slots_a_placeholder(self) -> None:
        assert "- [a time you could offer]" in propose_times(DraftFacts("Ada"), ()).body

    def test_sorry_we_missed_each_other(self) -> None:
        draft = sorry(DraftFacts("Ada", learning_goal="What a UX researcher does.", student_name="Grace"))
        assert draft.subject == "Sorry we missed each other"
        assert "I'm sorry we missed each other." in draft.body
        assert "hear about what a UX researcher does. Would one of these times work instead?" in draft.body
        assert "- Friday 6 March at 09:00" in draft.body

    def test_introduction_follow_up_is_to_the_introducer_about_the_contact(self) -> None:
        facts = DraftFacts("Daniel Kim", company="Acme", introducer="Prof. Maria Alvarez")
        draft = introduction_follow_up(facts)
        assert draft.body.startswith("Dear Prof. Alvarez,\n\nI'm following up on my note about Daniel Kim at")
        assert draft.subject == "Following up: an introduction to Daniel Kim"

    def test_after_the_introduction_the_request_thanks_the_introducer(self) -> None:
        body = request_after_introduction(DraftFacts("Daniel Kim", introducer="Maria Alvarez")).body
        assert body.startswith("Hi Daniel,\n\nThank you, and thanks to Maria Alvarez for connecting us.")


# Properties over every draft kind and random facts --------------------------------------------------

WORD = st.text(st.characters(categories=("Lu", "Ll", "Lo", "Nd")), min_size=1, max_size=9).filter(
    lambda w: "None" not in w
)
TRAIL = st.sampled_from(["", "", ".", "!", "?", "...", ",", ";", ":", " .", "!!", "…"])
PAD = st.sampled_from(["", "", " ", "  ", "\t", "\n"])
EMPTY = st.sampled_from(["", " ", "   ", ".", "...", " , ", "\n", "- ", "\t;"])


@st.composite
def lines(draw: st.DrawFn, max_lines: int = 1) -> str:
    """A typed value: words with odd Unicode, maybe a bullet, trailing punctuation, padding."""
    if draw(st.integers(0, 3)) == 0:
        return draw(EMPTY)
    typed = []
    for _ in range(draw(st.integers(1, max_lines))):
        bullet = draw(st.sampled_from(["", "", "- ", "• ", "1. "])) if max_lines > 1 else ""
        typed.append(bullet + " ".join(draw(st.lists(WORD, min_size=1, max_size=6))) + draw(TRAIL))
    return draw(PAD) + "\n".join(typed) + draw(PAD)


@st.composite
def names(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(EMPTY)
    title = draw(st.sampled_from(["", "", "", "Prof. ", "Dr ", "dr. ", "Professor ", "Ms. "]))
    words = " ".join(draw(st.lists(WORD, min_size=0 if title else 1, max_size=3)))
    suffix = draw(st.sampled_from(["", "", ", PhD", " Jr.", "."]))
    return draw(PAD) + title + words + suffix + draw(PAD)


FACTS = st.builds(
    DraftFacts,
    contact_name=names(),
    company=lines(),
    role=lines(),
    learning_goal=lines(max_lines=3),
    introducer=names(),
    takeaway=lines(max_lines=3),
    action_item=lines(max_lines=3),
    student_name=names(),
    advice=lines(max_lines=3),
)

# (placeholder, the field it stands for, the drafts that use that field)
PLACEHOLDER_FIELDS: list[tuple[str, str, tuple[Callable[[DraftFacts], Draft], ...]]] = [
    ("[your name]", "student_name", tuple(MAKERS)),
    ("[introducer]", "introducer", (*TO_INTRODUCER, request_via_introducer, request_after_introduction)),
    ("[their name]", "contact_name", TO_INTRODUCER),
    ("[what you learned]", "takeaway", (thank_you,)),
]


def empty(value: str) -> bool:
    return not any(ch.isalnum() for ch in value)


def sentence_starts(body: str) -> Iterator[str]:
    """The text from each sentence start on (the signature, the last line, aside: it is a name)."""
    for line in body.split("\n")[:-1]:
        words = line.split(" ")
        for n in range(len(words)):
            ended = n > 0 and words[n - 1].rstrip("”’)]").endswith((".", "!", "?"))
            after_title = n > 0 and words[n - 1].rstrip(".").casefold() in TITLES
            if n == 0 or (ended and not after_title):
                yield " ".join(words[n:])


@settings(max_examples=300, deadline=None)
@given(facts=FACTS, make=st.sampled_from(MAKERS))
def test_every_draft_reads_as_a_person_would_write_it(
    facts: DraftFacts, make: Callable[[DraftFacts], Draft]
) -> None:
    draft = make(facts)
    for text in (draft.subject, draft.body):
        for doubled in (",,", "..", " .", " ,", "  ", " \n"):
            assert doubled not in text, (doubled, text)
        for slot in ("{", "}", "None"):
            assert slot not in text, (slot, text)
    for start in sentence_starts(draft.body):
        letter = next((ch for ch in start if ch.isalpha()), "")
        assert not letter.islower(), (start, draft.body)
    for placeholder, field, users in PLACEHOLDER_FIELDS:
        wanted = make in users and empty(getattr(facts, field))
        assert (placeholder in draft.body) == wanted, (placeholder, draft.body)
    assert "[a time you could offer]" not in draft.body


@settings(max_examples=100, deadline=None)
@given(facts=FACTS, make=st.sampled_from(MAKERS))
def test_every_draft_greets_someone_on_its_first_line(
    facts: DraftFacts, make: Callable[[DraftFacts], Draft]
) -> None:
    first_line = make(facts).body.split("\n", 1)[0]
    greeted = facts.introducer if make in TO_INTRODUCER else facts.contact_name
    assert first_line.startswith(("Hi ", "Hello ", "Dear "))
    if make is not voicemail:
        assert first_line.endswith(",")
        assert first_line in (salutation(greeted), f"Hello {first_name(greeted)},", "Hi [introducer],")
