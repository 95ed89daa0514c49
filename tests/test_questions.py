"""The question bank: themes, loose lookup, checking a selection, the Block Kit and the service."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from helpers import texts

from bot.blocks import questions as qb
from bot.blocks.nudges import nudge_message
from bot.domain import pipeline as core
from bot.domain import questions as bank
from bot.domain.nudges import NudgeKind
from bot.domain.questions import (
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    OWN,
    THEMES,
    find_theme,
    own_questions,
    split_saved,
    validate_selection,
)
from bot.fakeslack import validate_message_blocks, validate_view
from bot.queries.models import NudgeItem
from bot.services import ActionRefused
from bot.services.questions import QuestionService
from storage.db import Database
from storage.repository import Repository

HOSTILE = "<!channel> <@U123|boss> & <https://evil.example|click>"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def ids(theme_key: str, *numbers: int) -> list[str]:
    return [f"{theme_key}.{n}" for n in numbers]


def every_id() -> list[str]:
    return [q.id for t in THEMES for q in t.questions]


# The bank ---------------------------------------------------------------------------------------------


class TestBank:
    def test_the_five_themes_of_the_method(self) -> None:
        assert [t.key for t in THEMES] == ["career", "company", "role", "field", "advice"]
        assert all(t.label for t in THEMES)

    def test_six_to_nine_questions_each(self) -> None:
        for theme in THEMES:
            assert 6 <= len(theme.questions) <= 9, theme.key

    def test_every_question_fits_a_checkbox_option_and_ends_with_a_question_mark(self) -> None:
        for theme in THEMES:
            for question in theme.questions:
                assert 10 <= len(question.text) <= 75, question.text
                assert question.text.endswith("?") and question.text == question.text.strip()
                assert not set(question.text) & set("<>&*_`~"), question.text

    def test_ids_and_texts_are_unique(self) -> None:
        texts = [q.text.casefold() for t in THEMES for q in t.questions]
        assert len(set(every_id())) == len(every_id()) and len(set(texts)) == len(texts)
        assert all(len(i) <= 150 for i in every_id())

    def test_lookup_by_id(self) -> None:
        assert bank.question("company.1") is THEMES[1].questions[0]
        assert bank.theme_of("company.1") is THEMES[1]
        assert bank.question("company.99") is None and bank.theme_of("nope") is None


class TestFindTheme:
    @pytest.mark.parametrize(
        ("typed", "key"),
        [
            ("company", "company"),
            ("COMPANY", "company"),
            ("  the company ", "company"),
            ("comp", "company"),
            ("company culture", "company"),
            ("organisation", "company"),
            ("career", "career"),
            ("career path", "career"),
            ("Their career path", "career"),
            ("path", "career"),
            ("trends", "field"),
            ("industry", "field"),
            ("the field and its trends", "field"),
            ("typical day", "role"),
            ("day-to-day", "role"),
            ("role", "role"),
            ("job", "role"),
            ("advice", "advice"),
            ("tips!", "advice"),
        ],
    )
    def test_loose_names(self, typed: str, key: str) -> None:
        theme = find_theme(typed)
        assert theme is not None and theme.key == key

    @pytest.mark.parametrize(
        "typed", ["", "   ", None, "x", "co", "<!channel>", "astronomy", "wor", "career company"]
    )
    def test_nothing_or_ambiguous(self, typed: str | None) -> None:
        assert find_theme(typed) is None


# Checking a selection -------------------------------------------------------------------------------


class TestOwnQuestions:
    def test_one_per_line_cleaned_and_bullets_dropped(self) -> None:
        raw = (
            "  What is\t hard here?  \r\n\n- Who hires?\n• Why you?\n3. How long?\n2) Next?\n\u202eHidden?\n"
        )
        kept, too_long = own_questions(raw)
        assert kept == ["What is hard here?", "Who hires?", "Why you?", "How long?", "Next?", "Hidden?"]
        assert too_long == []

    def test_empty(self) -> None:
        assert own_questions(None) == ([], []) and own_questions("\n \n\t\n") == ([], [])

    def test_too_long_lines_are_reported_by_line_number(self) -> None:
        kept, too_long = own_questions("ok?\n" + "x" * 301 + "\n" + "y" * 300)
        assert kept == ["ok?", "y" * 300] and too_long == [(2, 301)]

    def test_a_number_alone_is_not_a_bullet(self) -> None:
        assert own_questions("2026 plans?")[0] == ["2026 plans?"]


class TestValidateSelection:
    def test_bank_questions_in_bank_order_then_own_as_typed(self) -> None:
        chosen = [*ids("advice", 1), *ids("career", 3, 1)]
        result = validate_selection(chosen, "Zeta?\nAlpha?")
        assert result == (
            THEMES[0].questions[0].text,
            THEMES[0].questions[2].text,
            THEMES[4].questions[0].text,
            "Zeta?",
            "Alpha?",
        )

    def test_nothing_chosen_is_an_empty_list(self) -> None:
        assert validate_selection([], None) == () and validate_selection([], "\n\n") == ()

    def test_duplicates_are_dropped(self) -> None:
        bank_text = THEMES[1].questions[0].text
        result = validate_selection(["company.1", "company.1"], f"Mine?\nmine?\n{bank_text.upper()}\nMine?")
        assert result == (bank_text, "Mine?")

    def test_twenty_is_fine(self) -> None:
        chosen = every_id()[:15]
        own = "\n".join(f"Own question {n}?" for n in range(5))
        result = validate_selection(chosen, own)
        assert isinstance(result, tuple) and len(result) == MAX_QUESTIONS

    def test_twenty_one_with_own_questions_is_an_error_on_the_own_box(self) -> None:
        chosen = every_id()[:15]
        own = "\n".join(f"Own question {n}?" for n in range(6))
        result = validate_selection(chosen, own)
        assert isinstance(result, dict) and set(result) == {OWN}
        assert "21 questions" in result[OWN] and "20 at most" in result[OWN]

    def test_too_many_from_the_bank_only_is_an_error_on_the_last_theme_used(self) -> None:
        chosen = every_id()[:21]
        result = validate_selection(chosen, "")
        assert isinstance(result, dict) and list(result) == [bank.theme_of(chosen[-1]).key]  # type: ignore[union-attr]

    def test_duplicates_do_not_count_toward_the_limit(self) -> None:
        own = "\n".join(["Same?"] * 30)
        assert validate_selection(every_id()[:19], own) == (
            *(bank.question(i).text for i in every_id()[:19]),  # type: ignore[union-attr]
            "Same?",
        )

    def test_own_question_length(self) -> None:
        assert isinstance(validate_selection([], "q" * MAX_QUESTION_LENGTH), tuple)
        result = validate_selection([], "fine?\n" + "q" * 400)
        assert isinstance(result, dict) and "Line 2 has 400 characters" in result[OWN]
        several = validate_selection([], "q" * 400 + "\n" + "r" * 500)
        assert isinstance(several, dict) and "Line 1" in several[OWN] and "2 lines" in several[OWN]

    def test_length_counts_after_cleaning(self) -> None:
        padded = "  " + "q" * 299 + "?" + "\u200b" * 50 + "   "
        assert validate_selection([], padded) == ("q" * 299 + "?",)

    def test_unknown_ids_mean_the_form_is_stale(self) -> None:
        result = validate_selection(["company.1", "company.99"], "")
        assert isinstance(result, dict) and "out of date" in next(iter(result.values()))

    def test_hostile_text_is_kept_as_text(self) -> None:
        assert validate_selection([], HOSTILE) == (HOSTILE,)


def test_split_saved() -> None:
    first = THEMES[0].questions[0].text
    chosen, own = split_saved([first, "Mine?", 42, "Also mine?"])  # type: ignore[list-item]
    assert chosen == frozenset({"career.1"}) and own == ("Mine?", "Also mine?")


# Block Kit ------------------------------------------------------------------------------------------


class TestMessages:
    def test_overview_shows_every_theme_with_a_few_questions(self) -> None:
        message = qb.overview_message()
        assert message["response_type"] == "ephemeral"
        assert not validate_message_blocks(message["blocks"], message["text"])
        shown = texts(message)
        for theme in THEMES:
            assert theme.label in shown and f"/infoint questions {theme.key}" in shown
            assert theme.questions[0].text in shown and theme.questions[-1].text not in shown

    @pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.key)
    def test_a_theme_shows_all_its_questions(self, theme: bank.Theme) -> None:
        message = qb.theme_message(theme)
        assert not validate_message_blocks(message["blocks"], message["text"])
        shown = texts(message)
        assert all(q.text in shown for q in theme.questions)
        assert f"1. {theme.questions[0].text}" in shown

    def test_unknown_theme_is_escaped_and_lists_the_themes(self) -> None:
        message = qb.unknown_theme_message(HOSTILE + " `x`")
        assert not validate_message_blocks(message["blocks"], message["text"])
        shown = texts(message)
        assert "<!channel>" not in shown and "<@U123" not in shown and "&lt;!channel&gt;" in shown
        assert "`x`" not in shown
        assert all(f"`{t.key}`" in shown for t in THEMES)

    def test_prepared_dm_lists_the_questions_numbered_and_escaped(self) -> None:
        message = qb.prepared_message(HOSTILE, NOW, ["Why? " + HOSTILE, "How?"], 7)
        assert not validate_message_blocks(message["blocks"], message["text"])
        shown = texts(message)
        assert "2 questions ready" in shown and "1. Why? &lt;!channel&gt;" in shown and "2. How?" in shown
        assert "<!channel>" not in shown and "<@U123" not in shown
        [button] = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert (button["action_id"], button["value"]) == ("prepare_questions", "7")

    def test_prepared_dm_stays_within_limits_with_the_longest_list(self) -> None:
        worst = [f"{n}" + "&<>" * 99 for n in range(MAX_QUESTIONS)]
        message = qb.prepared_message("x" * 300, NOW, worst, 1)
        assert not validate_message_blocks(message["blocks"], message["text"])

    def test_prepared_dm_with_no_questions(self) -> None:
        message = qb.prepared_message("Ada", None, [], 1)
        assert "No questions prepared yet" in texts(message)
        assert not validate_message_blocks(message["blocks"], message["text"])


class TestModal:
    def view(self, saved: list[str], name: str = "Ada") -> dict:
        return qb.prepare_modal(name, NOW, saved, json.dumps({"interview": 5}))

    def checkboxes(self, view: dict) -> dict[str, dict]:
        return {
            b["block_id"]: b["element"]
            for b in view["blocks"]
            if b["type"] == "input" and b["element"]["type"] == "checkboxes"
        }

    def test_valid_with_one_checkbox_group_per_theme_and_an_own_box(self) -> None:
        view = self.view([])
        assert not validate_view(view)
        assert view["callback_id"] == "prepare_questions" and json.loads(view["private_metadata"]) == {
            "interview": 5
        }
        groups = self.checkboxes(view)
        assert list(groups) == [f"questions_{t.key}" for t in THEMES]
        for theme in THEMES:
            options = groups[f"questions_{theme.key}"]["options"]
            assert [o["value"] for o in options] == [q.id for q in theme.questions]
            assert all(len(o["text"]["text"]) <= 75 for o in options)
            assert "initial_options" not in groups[f"questions_{theme.key}"]
        own = next(b for b in view["blocks"] if b.get("block_id") == "own_questions")
        assert own["optional"] and own["element"]["multiline"] and "initial_value" not in own["element"]

    def test_what_was_saved_is_checked_and_filled_in(self) -> None:
        saved = [THEMES[1].questions[2].text, "Mine & <!here>?", THEMES[4].questions[0].text, "Second?"]
        view = self.view(saved)
        assert not validate_view(view)
        groups = self.checkboxes(view)
        assert [o["value"] for o in groups["questions_company"]["initial_options"]] == ["company.3"]
        assert [o["value"] for o in groups["questions_advice"]["initial_options"]] == ["advice.1"]
        own = next(b for b in view["blocks"] if b.get("block_id") == "own_questions")
        assert own["element"]["initial_value"] == "Mine & <!here>?\nSecond?"

    def test_hostile_contact_name_is_escaped(self) -> None:
        shown = texts(self.view([], name=HOSTILE))
        assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown

    def test_a_long_own_list_is_prefilled_within_the_input_limit(self) -> None:
        saved = ["q" * 300 + f"{n}" for n in range(20)]
        view = self.view(saved)
        assert not validate_view(view)
        own = next(b for b in view["blocks"] if b.get("block_id") == "own_questions")
        assert len(own["element"]["initial_value"]) <= own["element"]["max_length"] == 3000

    def test_a_long_question_would_put_the_rest_in_the_description(self) -> None:
        option = qb._option(bank.Question("x.1", "w" * 120 + "?")).to_dict()
        assert len(option["text"]["text"]) <= 75 and len(option["description"]["text"]) <= 75
        assert option["description"]["text"].endswith("w?")

    def test_submitted_choices(self) -> None:
        state = {
            "questions_career": {
                "questions_career": {"type": "checkboxes", "selected_options": [{"value": "career.2"}]}
            },
            "questions_role": {"questions_role": {"type": "checkboxes", "selected_options": []}},
            "questions_field": {"questions_field": {"type": "checkboxes", "selected_options": None}},
            "own_questions": {"own_questions": {"type": "plain_text_input", "value": "Mine?"}},
            "junk": "not a dict",
        }
        assert qb.submitted_choices({"state": {"values": state}}) == (["career.2"], "Mine?")
        assert qb.submitted_choices({}) == ([], "")
        assert qb.submitted_choices({"state": {"values": []}}) == ([], "")

    def test_form_errors_map_to_block_ids(self) -> None:
        assert qb.form_errors({"company": "a", OWN: "b"}) == {"questions_company": "a", "own_questions": "b"}


# The preparation nudge ------------------------------------------------------------------------------


class TestPrepareNudge:
    def item(self, questions: tuple[str, ...] = (), interview_id: int | None = 9) -> NudgeItem:
        return NudgeItem(
            nudge_id=3,
            kind=NudgeKind.PREPARE,
            contact_name="Ada",
            learning_goal="g" * 500,
            interview_at=NOW + timedelta(days=1),
            interview_minutes=20,
            questions=questions,
            interview_id=interview_id,
        )

    def test_lists_the_chosen_questions_numbered_and_escaped(self) -> None:
        message = nudge_message([self.item(("Why this field?", HOSTILE))])
        assert not validate_message_blocks(message["blocks"], message["text"])
        shown = texts(message)
        assert "1. Why this field?" in shown and "2. &lt;!channel&gt;" in shown and "<!channel>" not in shown

    def test_no_questions_yet(self) -> None:
        assert "No questions prepared yet." in texts(nudge_message([self.item()]))

    def test_the_longest_list_stays_within_a_section(self) -> None:
        worst = tuple(f"{n} " + "&<>" * 99 for n in range(MAX_QUESTIONS))
        message = nudge_message([self.item(worst)])
        assert not validate_message_blocks(message["blocks"], message["text"])
        section = message["blocks"][0]["text"]["text"]
        assert (
            len(section) <= 3000
            and "1. 0 &amp;&lt;&gt;" in section
            and "<" not in section.replace("<!date", "")
        )

    def test_a_prepare_questions_button_with_the_interview_id(self) -> None:
        message = nudge_message([self.item()])
        buttons = {
            e["action_id"]: e.get("value")
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
        }
        assert buttons["prepare_questions"] == "9" and "nudge_done" in buttons

    def test_no_button_without_an_interview(self) -> None:
        message = nudge_message([self.item(interview_id=None)])
        assert "prepare_questions" not in texts(message)


# The service ----------------------------------------------------------------------------------------


class TestService:
    def setup(self, db: Database, team: str = "T1", user: str = "U1", status: str = "scheduled") -> int:
        with db.session() as session:
            repo = Repository(session, team)
            owner = repo.get_or_create_user(user, NOW)
            contact = repo.add_contact(owner, {"name": "Ada", "degree": "first"}, core.Stage.SCHEDULED, NOW)
            interview = repo.add_interview(
                contact, NOW + timedelta(days=2), 20, core.InterviewFormat.VIDEO, "", NOW
            )
            interview.status = status
            session.flush()
            return interview.id

    def test_load_and_save_your_own(self, db: Database) -> None:
        interview_id = self.setup(db)
        service = QuestionService(db, lambda: NOW)
        loaded = service.load("T1", "U1", interview_id)
        assert (loaded.contact_name, loaded.questions) == ("Ada", ())
        saved = service.save("T1", "U1", interview_id, ["One?", "Two?"]).prepared
        assert saved.questions == ("One?", "Two?")
        assert service.load("T1", "U1", interview_id).questions == ("One?", "Two?")
        assert service.save("T1", "U1", interview_id, []).prepared.questions == ()

    @pytest.mark.parametrize(("team", "user"), [("T1", "U2"), ("T2", "U1"), ("T2", "U2")])
    def test_anyone_else_is_refused(self, db: Database, team: str, user: str) -> None:
        interview_id = self.setup(db)
        self.setup(db, team="T2", user="U2")  # another workspace's own records exist too
        service = QuestionService(db, lambda: NOW)
        QuestionService(db).save("T1", "U1", interview_id, ["Mine?"])
        with pytest.raises(ActionRefused, match="isn't in your records"):
            service.load(team, user, interview_id)
        with pytest.raises(ActionRefused, match="isn't in your records"):
            service.save(team, user, interview_id, ["Hijack?"])
        assert service.load("T1", "U1", interview_id).questions == ("Mine?",)

    def test_unknown_interview(self, db: Database) -> None:
        self.setup(db)
        with pytest.raises(ActionRefused):
            QuestionService(db).load("T1", "U1", 999_999)

    @pytest.mark.parametrize(("status", "why"), [("done", "already happened"), ("missed", "isn't scheduled")])
    def test_not_for_an_interview_that_is_over(self, db: Database, status: str, why: str) -> None:
        interview_id = self.setup(db, status=status)
        with pytest.raises(ActionRefused, match=why):
            QuestionService(db).load("T1", "U1", interview_id)

    def test_the_service_rechecks_the_limits(self, db: Database) -> None:
        interview_id = self.setup(db)
        service = QuestionService(db)
        with pytest.raises(ActionRefused):
            service.save("T1", "U1", interview_id, [f"{n}?" for n in range(21)])
        with pytest.raises(ActionRefused):
            service.save("T1", "U1", interview_id, ["x" * 301])
        assert service.load("T1", "U1", interview_id).questions == ()
