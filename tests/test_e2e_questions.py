"""The question bank end to end: `/infoint questions`, the "Prepare questions" button and modal, the DM,
and the preparation nudge listing the chosen questions. Signed requests into the app, fake Slack, real DB."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import (
    PARIS,
    STUDENT,
    T0,
    RunningApp,
    buttons,
    log_contact,
    nudge_dms,
    opened_view,
    paris,
    sweeper,
    texts,
)
from sqlalchemy import select

from bot.domain.questions import THEMES
from bot.fakeslack import FakeSlack, validate_message_blocks, validate_view
from storage.models import Interview

INTRUDER = "U0INTRUDER"
HOSTILE = "<!channel> & <@U999>"


def stored_questions(app: RunningApp) -> list[list[str]]:
    with app.services.db.session() as session:
        return [list(q) for q in session.scalars(select(Interview.questions).order_by(Interview.id))]


def checked(*question_ids: str, own: str | None = None) -> dict[str, dict[str, Any]]:
    """A submitted 'Prepare questions' state: the ticked ids by theme, and the own-questions box."""
    state: dict[str, dict[str, Any]] = {}
    for theme in THEMES:
        block = f"questions_{theme.key}"
        picked = [{"value": i, "text": {"type": "plain_text", "text": "…"}} for i in question_ids]
        mine = [o for o in picked if o["value"].startswith(f"{theme.key}.")]
        state[block] = {block: {"type": "checkboxes", "selected_options": mine}}
    state["own_questions"] = {"own_questions": {"type": "plain_text_input", "value": own}}
    return state


class Student:
    """A Paris student with an interview on Thursday 5 March, 14:00 Paris, logged on Monday."""

    def __init__(self, app: RunningApp, slack: FakeSlack) -> None:
        self.app, self.slack = app, slack
        slack.set_user(STUDENT, tz=PARIS)
        app.clock.set(T0)
        self.starts = paris(5, 14)
        log_contact(
            app,
            slack,
            name="Ada " + HOSTILE,
            company="Acme",
            standing="interview_scheduled",
            interview_at=str(int(self.starts.timestamp())),
        )
        with app.services.db.session() as session:
            self.interview_id = session.scalars(select(Interview.id)).one()

    def open_modal(self, value: str | None = None, user: str = STUDENT) -> dict[str, Any]:
        interview = value or str(self.interview_id)
        return opened_view(
            self.app, self.slack, lambda: self.app.sender.click("prepare_questions", interview, user=user)
        )

    def submit(self, state: dict[str, Any], view: dict[str, Any], user: str = STUDENT) -> Any:
        reply = self.app.sender.submit(
            "prepare_questions", state, user=user, private_metadata=view["private_metadata"]
        )
        assert reply.status == 200, reply.body
        return reply.json()


@pytest.fixture
def student(running_app: RunningApp, slack: FakeSlack) -> Student:
    return Student(running_app, slack)


# /infoint questions --------------------------------------------------------------------------------------


class TestCommand:
    def test_no_argument_lists_every_theme(self, running_app: RunningApp) -> None:
        body = running_app.answer("questions")
        assert body["response_type"] == "ephemeral"
        assert not validate_message_blocks(body["blocks"], body.get("text"))
        shown = texts(body)
        for theme in THEMES:
            assert theme.label in shown and theme.questions[0].text in shown

    @pytest.mark.parametrize("typed", ["company", "  COMPANY ", "the company", "culture"])
    def test_a_theme(self, running_app: RunningApp, typed: str) -> None:
        body = running_app.answer(f"questions {typed}")
        assert not validate_message_blocks(body["blocks"], body.get("text"))
        shown = texts(body)
        company = next(t for t in THEMES if t.key == "company")
        assert all(q.text in shown for q in company.questions)
        assert THEMES[0].questions[0].text not in shown  # only that theme

    def test_trends(self, running_app: RunningApp) -> None:
        shown = texts(running_app.answer("questions trends"))
        assert "The field and its trends" in shown

    def test_unknown_theme_is_escaped_and_helpful(self, running_app: RunningApp) -> None:
        body = running_app.answer("questions <!channel> & <@U999>")
        assert not validate_message_blocks(body["blocks"], body.get("text"))
        shown = texts(body)
        assert "<!channel>" not in shown and "<@U999>" not in shown
        assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in shown and "don't have a theme" in shown
        assert all(f"`{t.key}`" in shown for t in THEMES)

    def test_help_lists_it(self, running_app: RunningApp) -> None:
        assert "/infoint questions [theme]" in texts(running_app.answer("help"))


# Preparing an interview's questions ----------------------------------------------------------------------


class TestPrepare:
    def test_pick_and_add_your_own_then_see_them_in_the_form(
        self, student: Student, slack: FakeSlack
    ) -> None:
        view = student.open_modal()
        assert not validate_view(view)
        assert view["callback_id"] == "prepare_questions"
        assert json.loads(view["private_metadata"]) == {"interview": student.interview_id}
        assert "&lt;!channel&gt;" in texts(view) and "<!channel>" not in texts(view)

        before = len(slack.calls_to("chat.postMessage"))
        own = f"  What would you ask {HOSTILE}?\n\n- Is remote work common?\n"
        answer = student.submit(checked("field.2", "career.1", own=own), view)
        saved = [THEMES[0].questions[0].text, THEMES[3].questions[1].text]
        saved += [f"What would you ask {HOSTILE}?", "Is remote work common?"]
        assert stored_questions(student.app) == [saved]

        # Saved: the form itself shows them (not a new DM).
        assert answer["response_action"] == "update"
        shown_view = answer["view"]
        assert not validate_view(shown_view)
        shown = texts(shown_view["blocks"])
        assert "4 questions ready" in shown and "1. How did you first get into this field?" in shown
        assert "3. What would you ask &lt;!channel&gt; &amp; &lt;@U999&gt;?" in shown
        assert "<!channel>" not in texts(shown_view)
        student.app.settle()
        assert len(slack.calls_to("chat.postMessage")) == before

        # Opening it again: what was saved is ticked and filled in.
        again = student.open_modal(str(student.interview_id))
        assert not validate_view(again)
        ticked = {
            o["value"]
            for b in again["blocks"]
            if b["type"] == "input" and b["element"]["type"] == "checkboxes"
            for o in b["element"].get("initial_options", [])
        }
        assert ticked == {"career.1", "field.2"}
        own_box = next(b for b in again["blocks"] if b.get("block_id") == "own_questions")
        assert own_box["element"]["initial_value"] == f"What would you ask {HOSTILE}?\nIs remote work common?"

        # Changing the list replaces it.
        student.submit(checked("advice.6"), again)
        assert stored_questions(student.app) == [["Who else would you suggest I talk to?"]]

    def test_someone_else_is_refused_and_nothing_changes(self, student: Student, slack: FakeSlack) -> None:
        view = student.open_modal()
        student.submit(checked("role.1"), view)
        student.app.settle()
        opened = len(slack.calls_to("views.open"))

        student.app.sender.click("prepare_questions", str(student.interview_id), user=INTRUDER)
        notice = slack.wait_for(f"response_url:act-{INTRUDER}")[0]
        assert "isn't in your records" in texts(notice.args)
        assert "Ada" not in texts(notice.args)
        student.app.settle()
        assert len(slack.calls_to("views.open")) == opened

        # Even with the student's form in hand, a submission from someone else changes nothing.
        posts = len(slack.calls_to("chat.postMessage"))
        answer = student.submit(checked("advice.1", own="Hijacked?"), view, user=INTRUDER)
        assert answer["response_action"] == "errors" and "isn't in your records" in texts(answer)
        # Another workspace's user with the same id is a different person.
        reply = student.app.sender.submit(
            "prepare_questions",
            checked("advice.1"),
            user=STUDENT,
            team="T0OTHER",
            private_metadata=view["private_metadata"],
        )
        assert reply.json()["response_action"] == "errors"
        student.app.settle()
        assert stored_questions(student.app) == [[THEMES[2].questions[0].text]]
        assert len(slack.calls_to("chat.postMessage")) == posts

    def test_garbled_button_values(self, student: Student, slack: FakeSlack) -> None:
        values = ["", "abc", "-1", "1:2", "9" * 30, "١٢"]
        for n, value in enumerate(values, start=1):
            student.app.sender.click("prepare_questions", value)
            notice = slack.wait_for(f"response_url:act-{STUDENT}", n)[-1]
            assert "doesn't carry an interview" in texts(notice.args), value
        assert slack.calls_to("views.open") == []

    def test_unknown_interview(self, student: Student, slack: FakeSlack) -> None:
        student.app.sender.click("prepare_questions", str(student.interview_id + 1000))
        assert "isn't in your records" in texts(slack.wait_for(f"response_url:act-{STUDENT}")[0].args)

    def test_more_than_twenty_is_an_inline_error(self, student: Student, slack: FakeSlack) -> None:
        view = student.open_modal()
        every = [q.id for t in THEMES for q in t.questions]
        answer = student.submit(checked(*every[:18], own="Mine?\nAlso mine?\nA third?"), view)
        assert answer["response_action"] == "errors"
        assert "21 questions" in answer["errors"]["own_questions"]
        only_bank = student.submit(checked(*every[:21]), view)
        assert only_bank["response_action"] == "errors" and "questions_role" in only_bank["errors"]
        student.app.settle()
        assert stored_questions(student.app) == [[]]

    def test_a_long_own_question_is_an_inline_error(self, student: Student, slack: FakeSlack) -> None:
        view = student.open_modal()
        answer = student.submit(checked("career.1", own="Short?\n" + "x" * 400), view)
        assert answer["response_action"] == "errors"
        assert "Line 2 has 400 characters" in answer["errors"]["own_questions"]
        student.app.settle()
        assert stored_questions(student.app) == [[]]

    def test_a_garbled_form_is_an_inline_error(self, student: Student) -> None:
        for metadata in ["", "not json", '{"interview": "x"}', "[1]", '{"nudge": 1}', '{"interview": true}']:
            answer = student.submit(checked("career.1"), {"private_metadata": metadata})
            assert answer["response_action"] == "errors", metadata
            assert "out of date" in answer["errors"]["own_questions"]
        assert stored_questions(student.app) == [[]]

    def test_a_forged_question_id_is_an_inline_error(self, student: Student) -> None:
        view = student.open_modal()
        answer = student.submit(checked("career.77"), view)
        assert answer["response_action"] == "errors" and "out of date" in texts(answer)


# The preparation nudge ---------------------------------------------------------------------------------


def test_the_preparation_nudge_lists_the_chosen_questions(student: Student, slack: FakeSlack) -> None:
    view = student.open_modal()
    student.submit(checked("role.1", "advice.1", own=f"Why {HOSTILE}?"), view)
    student.app.settle()

    sweep = sweeper(student.app)
    wednesday = paris(4, 10)  # the working day before, 10:00 in Paris
    student.app.clock.set(wednesday)
    report = sweep.run(wednesday)
    assert report.dms >= 1
    [dm] = [d for d in nudge_dms(slack) if "Interview with" in texts(d.args["blocks"])]
    assert not validate_message_blocks(dm.args["blocks"], dm.args["text"])
    shown = texts(dm.args["blocks"])
    assert "1. What does a typical day or week look like for you?" in shown
    assert "2. What is your biggest tip for someone starting out?" in shown
    assert "3. Why &lt;!channel&gt; &amp; &lt;@U999&gt;?" in shown and "<!channel>" not in shown
    assert buttons(dm.args)["prepare_questions"] == str(student.interview_id)

    # Its button opens the same form, with those questions ticked.
    from_nudge = student.open_modal(buttons(dm.args)["prepare_questions"])
    assert not validate_view(from_nudge)
    assert "role.1" in json.dumps(from_nudge["blocks"])


def test_a_nudge_without_questions_says_so(student: Student, slack: FakeSlack) -> None:
    sweep = sweeper(student.app)
    student.app.clock.set(paris(4, 10))
    sweep.run(paris(4, 10))
    [dm] = [d for d in nudge_dms(slack) if "Interview with" in texts(d.args["blocks"])]
    assert "No questions prepared yet." in texts(dm.args["blocks"])


def test_questions_saved_from_the_reminder_show_in_it(student: Student, slack: FakeSlack) -> None:
    """The preparation reminder is where the questions are needed: saved from it, it is drawn again
    listing them (no new DM)."""
    student.app.clock.set(paris(4, 10))
    sweeper(student.app).run(paris(4, 10))
    [dm] = [d for d in nudge_dms(slack) if "Interview with" in texts(d.args["blocks"])]
    assert "No questions prepared yet." in texts(dm.args["blocks"])
    posts = len(slack.calls_to("chat.postMessage"))
    view = student.open_modal(buttons(dm.args)["prepare_questions"])
    student.submit(checked("role.1"), view)
    student.app.settle()
    redrawn = slack.message(dm.response["channel"], dm.response["ts"])
    assert redrawn is not None and "1. What does a typical day or week look like for you?" in texts(redrawn)
    assert len(slack.calls_to("chat.postMessage")) == posts
