"""The cohort buttons go through the same steps as every other button (``handlers.flows.act``): an
unreadable value or a refusal is told where the click was made: ephemerally under a message, at the
top of the App Home on the Home, and never a failure."""

from __future__ import annotations

import logging

import pytest
from cohortworld import MENTOR, CohortWorld
from helpers import STUDENT, T0, RunningApp, texts

from bot.fakeslack import FakeSlack

HOME = {"type": "home", "id": "VHOME1"}


@pytest.fixture
def world(running_app: RunningApp, slack: FakeSlack) -> CohortWorld:
    found = CohortWorld(running_app, slack)
    found.at(T0)
    return found


def home_news(world: CohortWorld, user: str) -> str:
    published = [c for c in world.slack.calls_to("views.publish") if c.args.get("user_id") == user]
    assert published, world.slack.describe_calls()
    return texts(published[-1].args["view"]["blocks"][:3])


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        ("cohort_open_report", "x"),
        ("cohort_csv", "01"),
        ("cohort_student", "1:not-a-user"),
        ("cohort_state", "1:placed"),
        ("request_sent", "²:1"),
    ],
)
def test_an_unreadable_button_on_the_home_is_answered_on_the_home(
    world: CohortWorld, caplog: pytest.LogCaptureFixture, action_id: str, value: str
) -> None:
    caplog.set_level(logging.INFO)
    reply = world.app.sender.click(action_id, value, user=MENTOR, view=HOME)
    world.app.settle()
    assert reply.status == 200
    assert "doesn't carry" in home_news(world, MENTOR)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_refusal_on_the_home_is_said_on_the_home(
    world: CohortWorld, caplog: pytest.LogCaptureFixture
) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    caplog.set_level(logging.INFO)
    opened = len(world.slack.calls_to("views.open"))
    world.app.sender.click("cohort_open_report", str(cohort_id), user=STUDENT, view=HOME)
    world.app.settle()
    assert "Only this cohort's mentors" in home_news(world, STUDENT)
    assert len(world.slack.calls_to("views.open")) == opened  # no report for a student
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_refusal_under_a_message_is_ephemeral(world: CohortWorld) -> None:
    cohort_id = world.create()
    world.join(STUDENT)
    world.click("cohort_csv", str(cohort_id), user=STUDENT)
    answer = world.responded(STUDENT)[-1].args
    assert "Only this cohort's mentors" in texts(answer) and answer["response_type"] == "ephemeral"
