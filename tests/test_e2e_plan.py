"""The Monday plan end to end (issue 9, point 3): it opens with its week, its notification says what
matters, each line has its button, reminders due the same morning come in the same DM, Pick this
week's targets and Skip this week, and after two quiet weeks it offers help instead of the same lines."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import T0, RunningApp, paris, rows, texts
from student import Student, find_element

from bot.fakeslack import FakeSlack, validate_message_blocks
from storage.models import Contact


@pytest.fixture
def student(running_app: RunningApp, slack: FakeSlack) -> Student:
    you = Student(running_app, slack)
    you.at(T0)
    return you


def where(dm: Any) -> dict[str, Any]:
    return {**dm.args, **dm.response}


def plan_of(slack: FakeSlack, dm: Any) -> dict[str, Any]:
    """The plan's DM as it stands now."""
    message = slack.message(dm.response["channel"], dm.response["ts"])
    assert message is not None and not validate_message_blocks(message["blocks"], message["text"])
    return {**message, "channel": dm.response["channel"], "ts": dm.response["ts"]}


def ids(app: RunningApp) -> dict[str, int]:
    return {c.name: c.id for c in rows(app, Contact)}


def test_the_plan_opens_with_its_week_says_what_matters_and_acts_on_each_line(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    student.log_by_command(name="Ada")
    student.log_by_command(name="Bo", standing="request_sent", request_channel="email")
    # Monday 9 March: the plan, and Bo's follow-up due the same morning, in one DM.
    [dm] = student.sweep(paris(9, 10))
    blocks = dm.args["blocks"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"] == "🗓 Your week of Mon 9 Mar"
    assert "No reply from *Bo* yet" in texts(blocks)
    assert dm.args["text"] == "This week: follow up with Bo, write to Ada, 0 of 2 requests sent"
    who = ids(running_app)
    assert find_element(dm.args, f"plan:{who['Ada']}", "request_sent")[1]["text"]["text"] == "Request sent"
    assert find_element(dm.args, f"plan:{who['Bo']}", "request_sent")[1]["text"]["text"] == "Follow-up sent"
    posts = len(student.posts())

    # Ada's line: the request goes out, and the plan is drawn again in place.
    student.click(where(dm), f"plan:{who['Ada']}", "request_sent")
    plan = plan_of(slack, dm)
    # Her next step (a follow-up on Mon 16 Mar) is next week's: this week's plan counts the request.
    assert "Ada" not in texts(plan["blocks"]) and "New requests: *1* of 2" in texts(plan)
    assert plan["text"].endswith("1 of 2 requests sent") and len(student.posts()) == posts


def test_pick_this_weeks_targets_puts_them_first(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    for name in ("Ada", "Bo", "Cy"):
        student.log_by_command(name=name)
    [dm] = student.sweep(paris(9, 9))
    before = student.modals_opened()
    student.click(where(dm), "plan_actions", "plan_pick_targets")
    picker = student.opened(before)
    who = ids(running_app)
    options = [o["value"] for b in picker["blocks"] if b["type"] == "input" for o in b["element"]["options"]]
    assert sorted(map(int, options)) == sorted(who.values())
    state = {
        "targets": {
            "targets": {"type": "multi_static_select", "selected_options": [{"value": str(who["Cy"])}]}
        }
    }
    reply = running_app.sender.submit("plan_targets", state, private_metadata=picker["private_metadata"])
    running_app.settle()
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    shown = texts(plan_of(slack, dm))
    assert (
        shown.index("Your targets this week")
        < shown.index("Send a request to Cy")
        < shown.index("Send a request to Ada")
    )
    assert plan_of(slack, dm)["text"].startswith("This week: write to Cy, write to Ada")
    # Picked again: the picker shows what was picked.
    before = student.modals_opened()
    student.click(where(dm), "plan_actions", "plan_pick_targets")
    again = student.opened(before)
    [chosen] = [b["element"].get("initial_options") for b in again["blocks"] if b["type"] == "input"]
    assert [o["value"] for o in chosen] == [str(who["Cy"])]


def test_skip_this_week(student: Student, running_app: RunningApp, slack: FakeSlack) -> None:
    student.log_by_command(name="Ada", standing="request_sent")
    [dm] = student.sweep(paris(9, 9))
    student.click(where(dm), "plan_actions", "plan_skip_week")
    plan = plan_of(slack, dm)
    assert "You're skipping this week" in texts(plan) and "next plan comes on Mon 16 Mar" in texts(plan)
    assert plan["text"] == "You're skipping the week of Mon 9 Mar. Your next plan comes on Mon 16 Mar."
    assert "plan_skip_week" not in str(plan["blocks"])
    assert "skipped. Your next plan comes on Mon 16 Mar" in texts(student.open_home())
    # Reminders still come when due; the next plan comes the Monday after.
    assert any("No reply from" in texts(d.args["blocks"]) for d in student.sweep(paris(9, 11)))
    [next_plan] = student.sweep(paris(16, 9, 5))
    assert next_plan.args["blocks"][0]["text"]["text"] == "🗓 Your week of Mon 16 Mar"
    assert "skipping" not in texts(next_plan.args["blocks"])


def test_two_quiet_weeks_change_the_tone_and_the_plan_can_pause(
    student: Student, running_app: RunningApp, slack: FakeSlack
) -> None:
    student.log_by_command(name="Cold Cal", degree="cold")
    student.log_by_command(name="Ada")
    student.log_by_command(name="Bo", degree="second", introducer="Grace")
    student.log_by_command(name="Di")
    first = student.sweep(paris(9, 9))[0].args
    assert "Two quiet weeks" not in texts(first["blocks"])
    [quiet] = student.sweep(paris(23, 9))
    shown = texts(quiet.args["blocks"])
    assert "Two quiet weeks" in shown and "Send a request to" not in shown  # not the same lines again
    assert shown.index("*Ada*") < shown.index("*Di*") < shown.index("*Bo*")  # people you know first
    assert "Cold Cal" not in shown
    assert quiet.args["text"] == "Two quiet weeks: start small, write to Ada, write to Di, write to Bo"
    who = ids(running_app)
    assert find_element(quiet.args, f"plan:{who['Ada']}", "request_sent")
    # Pausing: the plan says so, no plan next Monday, the Home offers to resume.
    student.click(where(quiet), "plan_actions", "plan_pause")
    assert "Your Monday plan is paused" in texts(plan_of(slack, quiet))
    assert student.sweep(paris(30, 9, 5)) == []
    home = student.open_home()
    student.click({}, "home_plan", "plan_resume", view=home)
    assert "Your Monday plan is back" in texts(student.home())
    [back] = student.sweep(paris(6, 9, 5, month=4))
    assert back.args["blocks"][0]["text"]["text"] == "🗓 Your week of Mon 6 Apr"


def test_a_request_sent_ends_the_quiet(student: Student, running_app: RunningApp) -> None:
    student.log_by_command(name="Ada")
    student.log_by_command(name="Bo")
    student.at(paris(20, 11))
    card = student.answers()[-1].args
    card["channel"], card["ts"] = "D0STUDENT", "1.0"
    student.click(card, "contact:", "request_sent", ephemeral=True)
    [plan] = student.sweep(paris(23, 9))
    assert "Two quiet weeks" not in texts(plan.args["blocks"]) and "Your week of Mon 23 Mar" in texts(
        plan.args["blocks"]
    )
