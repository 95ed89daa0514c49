"""A slash command's text as the user typed it. Slack sends ``&``, ``<`` and ``>`` typed in a command
as ``&amp;``, ``&lt;``, ``&gt;``; the router reads the text back once for every subcommand, after
taking Slack's own sequences (a mention, ``<@U123|name>``) from the text as sent."""

from __future__ import annotations

import pytest
from cohortworld import MENTOR, OTHER, CohortWorld
from helpers import STUDENT, T0, RunningApp, log_contact, rows, texts

from bot.fakeslack import FakeSlack
from handlers.commands import unescape
from storage.cohorts import CohortStore
from storage.models import Cohort, Contact

#: What Slack sends when the user types "AT&T".
ATT = "AT&amp;T"


@pytest.fixture
def att(running_app: RunningApp, slack: FakeSlack) -> Contact:
    """A contact at AT&T (the log form's text is not escaped by Slack: stored as typed), and one
    elsewhere."""
    slack.set_user(STUDENT, tz="UTC")
    card = log_contact(running_app, slack, name="Ann Lee", company="AT&T")
    assert "AT&amp;T" in texts(card) and "AT&amp;amp;T" not in texts(card)
    log_contact(running_app, slack, name="Tom Tee", company="Tee & Co")
    [contact] = rows(running_app, Contact, name="Ann Lee")
    assert contact.company == "AT&T"
    return contact


def test_find_at_and_t(running_app: RunningApp, att: Contact) -> None:
    answer = running_app.answer(f"find {ATT}")
    shown = texts(answer)
    assert "Ann Lee" in shown and "Tom Tee" not in shown
    # Shown escaped once, as mrkdwn needs: never the "&amp;amp;" of text escaped twice.
    assert "AT&amp;T" in shown and "&amp;amp;" not in shown


def test_find_with_angle_brackets_is_read_as_typed(running_app: RunningApp, att: Contact) -> None:
    answer = running_app.answer("find &lt;AT&amp;T&gt;")
    shown = texts(answer)
    assert "Ann Lee" not in shown and "&lt;AT&amp;T&gt;" in shown and "<AT" not in shown


def test_schedule_at_and_t_preselects_the_contact(
    running_app: RunningApp, slack: FakeSlack, att: Contact
) -> None:
    before = len(slack.calls_to("views.open"))
    assert running_app.sender.command(f"schedule {ATT}").status == 200
    running_app.settle()
    view = slack.wait_for("views.open", before + 1)[-1].args["view"]
    picker = next(b for b in view["blocks"] if b.get("block_id") == "contact")["element"]
    assert picker["initial_option"]["value"].startswith(f"{att.id}:")
    assert picker["initial_option"]["text"]["text"] == "Ann Lee (AT&T)"  # plain text: not escaped


def test_insights_at_and_t_is_not_unescaped_twice(running_app: RunningApp, att: Contact) -> None:
    """A literal "&lt;" typed by the user arrives as "&amp;lt;": read once, it stays "&lt;"."""
    assert unescape("&amp;lt;") == "&lt;"
    answer = running_app.answer("insights AT&amp;lt;T")
    assert "AT&amp;lt;T" in texts(answer)


def test_a_mention_still_names_a_co_mentor(running_app: RunningApp, slack: FakeSlack) -> None:
    world = CohortWorld(running_app, slack)
    world.at(T0)
    world.create(f"Alumni {ATT}")
    assert [c.name for c in rows(running_app, Cohort)] == ["Alumni AT&T"]
    assert "now co-mentors" in world.answer(f"mentor <@{OTHER}|other &amp; co>")["text"]
    assert mentors(world) == [MENTOR, OTHER]


def test_a_mention_typed_out_by_hand_mentions_no_one(running_app: RunningApp, slack: FakeSlack) -> None:
    """ "<@U0OTHER>" typed as text arrives escaped: it names no one, so the user picker opens."""
    world = CohortWorld(running_app, slack)
    world.at(T0)
    world.create()
    before = len(slack.calls_to("views.open"))
    world.command(f"mentor &lt;@{OTHER}&gt;")
    assert len(slack.wait_for("views.open", before + 1)) == before + 1
    assert mentors(world) == [MENTOR]


def mentors(world: CohortWorld) -> list[str]:
    cohort = world.cohort()
    with world.app.services.db.session() as session:
        return [m.slack_user_id for m in CohortStore(session, "T0001").mentors(cohort)]
