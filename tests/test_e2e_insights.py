"""`/infoint insights` and `/infoint stats` end to end: records in a real database, signed slash
commands, the ephemeral answers checked for counts, escaping, Block Kit limits and scoping."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from helpers import (
    BOT_TOKEN,
    STUDENT,
    T0,
    RunningApp,
    elements,
    log_contact,
    opened_view,
    submit_modal,
    sweeper,
    texts,
)

from bot.domain import pipeline as core
from bot.fakeslack import FakeSlack, validate_message_blocks
from storage.db import Database
from storage.models import Contact, User
from storage.repository import Repository

TEAM = "T0001"
OTHER_TEAM = "T0OTHER"
OTHER_STUDENT = "U0OTHER"
HOSTILE = "<!channel> & <@U999> <https://evil.example|x>"

assert BOT_TOKEN  # the fake Slack and the app share it (conftest)


def ask(app: RunningApp, text: str, user: str = STUDENT, team: str = TEAM) -> dict[str, Any]:
    """Send ``/infoint <text>``; return the ephemeral answer after checking it is valid Block Kit."""
    body = app.answer(text, user=user, team=team)
    assert body["response_type"] == "ephemeral"
    assert not validate_message_blocks(body["blocks"], body.get("text"))
    assert len(body["blocks"]) <= 50
    return body


def strings(payload: Any) -> list[str]:
    if isinstance(payload, dict):
        return [s for v in payload.values() for s in strings(v)]
    if isinstance(payload, list):
        return [s for v in payload for s in strings(v)]
    return [payload] if isinstance(payload, str) else []


def assert_escaped(body: dict[str, Any]) -> None:
    """No raw angle bracket anywhere but mrkdwn's own quote marks ("\n>" at a line start)."""
    for text in strings(body):
        assert "<" not in text, text
        assert ">" not in re.sub(r"(^|\n)>", r"\1", text), text


class Seeder:
    """Records written through the repository, the way the app's own flows write them."""

    def __init__(self, db: Database, team: str, user: str) -> None:
        self.db, self.team, self.user = db, team, user

    def contact(
        self,
        name: str,
        industry: str = "",
        company: str = "",
        degree: str = "first",
        source: str = "alumni",
        introducer: int | None = None,
        outcome: str | None = None,
        attempts: tuple[str, ...] = (),
        interviews: tuple[str, ...] = (),
        takeaways: tuple[str, ...] = (),
    ) -> int:
        with self.db.session() as session:
            repo = Repository(session, self.team)
            owner = repo.get_or_create_user(self.user, T0)
            stage = core.Stage.INTERVIEWED if "done" in interviews else core.Stage.TARGET
            contact = repo.add_contact(
                owner,
                {
                    "name": name,
                    "industry": industry,
                    "company": company,
                    "degree": degree,
                    "source": source,
                    "introducer_contact_id": introducer,
                    "outcome": outcome,
                },
                stage,
                T0,
            )
            for answer in attempts:
                attempt = repo.add_attempt(contact, core.OutreachChannel.EMAIL, T0)
                attempt.outcome = answer
            interview_id = None
            for status in interviews:
                interview = repo.add_interview(contact, T0, 20, core.InterviewFormat.VIDEO, "", T0)
                interview.status = status
                interview_id = interview.id
            for body in takeaways:
                repo.add_note(contact, body, T0, kind="takeaway", interview_id=interview_id)
                repo.add_note(contact, f"ADVICE-NOT-A-TAKEAWAY {body}", T0, kind="advice")
            return contact.id


@pytest.fixture
def seeded(running_app: RunningApp) -> RunningApp:
    """The student: a referral chain Ann → Bob → Cy → Dee in healthcare and fintech; plus another
    student of the workspace and the same Slack user id in another workspace, both with look-alike
    notes marked SECRET."""
    db = running_app.services.db
    me = Seeder(db, TEAM, STUDENT)
    ann = me.contact(
        "Ann",
        "Healthcare",
        "Mercy",
        attempts=("yes",),
        interviews=("done",),
        takeaways=("The best way in is through internships.\nExpect long hours in the first years.",),
    )
    bob = me.contact(
        "Bob",
        "health care",
        "Kaiser",
        degree="second",
        source="referral",
        introducer=ann,
        interviews=("done",),
        takeaways=("Internships are the best way to break in.", f"{HOSTILE} says hospitals hire in spring"),
    )
    cy = me.contact(
        "Cy <@U777>",
        "Healthcare",
        "AT&T Health",
        degree="cold",
        source="linkedin",
        introducer=bob,
        outcome="offer",
        interviews=("done", "scheduled"),
        takeaways=("Internship programs are the best way in for new grads",),
    )
    me.contact(
        "Dee", "Fintech", "Stripe", degree="cold", source="linkedin", introducer=cy, attempts=("pending",)
    )
    me.contact("Eve", "Fintech", "Plaid", source="family_friends", attempts=("no",))

    Seeder(db, TEAM, OTHER_STUDENT).contact(
        "Mallory",
        "Healthcare",
        "Mercy",
        outcome="offer",
        attempts=("yes",),
        interviews=("done",),
        takeaways=("SECRET internships are the best way in",),
    )
    Seeder(db, OTHER_TEAM, STUDENT).contact(
        "Trudy",
        "Healthcare",
        "Mercy",
        interviews=("done",),
        takeaways=("SECRET-WORKSPACE internships are the best way in",),
    )
    return running_app


# /infoint insights -----------------------------------------------------------------------------------


def test_help_lists_both_commands(running_app: RunningApp) -> None:
    shown = texts(ask(running_app, "help"))
    assert "/infoint insights [industry | company]" in shown and "/infoint stats" in shown


def test_insights_about_an_industry(seeded: RunningApp) -> None:
    body = ask(seeded, "insights healthcare")
    shown = texts(body)
    assert_escaped(body)
    assert "About *healthcare*: 5 takeaways from 3 people." in shown
    assert "Matches: industry " in shown  # "Healthcare" and "health care" are one industry
    # The three internship remarks side by side, counted as three people.
    [theme] = [b for b in body["blocks"] if b.get("fields")]
    assert "3 people said something similar." in theme["text"]["text"]
    fields = " ".join(f["text"] for f in theme["fields"])
    for name in ("*Ann*, Mercy", "*Bob*, Kaiser", "*Cy &lt;@U777&gt;*, AT&amp;T Health"):
        assert name in fields, name
    # What only one person said, as one data point each, escaped.
    assert "Only one person said these" in shown and "Expect long hours in the first years." in shown
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in shown
    assert "one data point" in shown
    # Only this student's takeaway notes: not another student's, another workspace's, or advice.
    assert "SECRET" not in shown and "Mallory" not in shown and "Trudy" not in shown
    assert "ADVICE-NOT-A-TAKEAWAY" not in shown


def test_insights_about_a_company_partial_and_slack_escaped(seeded: RunningApp) -> None:
    # Slack sends "&" typed in a command as "&amp;": it still finds AT&T Health, and shows it escaped.
    for typed in ("insights AT&amp;T health", "insights at&t HEALTH"):
        body = ask(seeded, typed)
        shown = texts(body)
        assert "1 takeaway from 1 person" in shown and "Internship programs" in shown
        assert "Matches: company AT&amp;T Health" in shown
        assert "Only one person said" in shown
    partial = texts(ask(seeded, "insights kai"))
    assert "Partial matches: company Kaiser" in partial and "2 takeaways from 1 person" in partial


def test_insights_summary_per_industry(seeded: RunningApp) -> None:
    body = ask(seeded, "insights")
    shown = texts(body)
    assert_escaped(body)
    assert "*3 interviews* done across *1 industry*" in shown
    assert "*Healthcare*: 3 interviews with 3 people, 5 takeaways" in shown
    assert "AT&amp;T Health, Kaiser, Mercy" in shown
    assert "/infoint insights &lt;industry or company&gt;" in shown
    assert "Mallory" not in shown and "Trudy" not in shown and "Fintech" not in shown


def test_insights_about_something_unknown_or_hostile(seeded: RunningApp) -> None:
    body = ask(seeded, f"insights {HOSTILE}")
    shown = texts(body)
    assert_escaped(body)
    assert "I found no takeaways about *&lt;!channel&gt; &amp; &lt;@U999&gt;" in shown
    assert "these industries: Healthcare" in shown and "Kaiser" in shown
    body = ask(seeded, "insights <!channel>")
    assert_escaped(body)
    assert "no takeaways about *&lt;!channel&gt;*" in texts(body)


def test_insights_for_someone_new(running_app: RunningApp) -> None:
    assert "No interviews or takeaways yet" in texts(ask(running_app, "insights", user="U0NEW"))
    shown = texts(ask(running_app, "insights healthcare", user="U0NEW"))
    assert "I found no takeaways about *healthcare*" in shown and "Add notes" in shown


def test_the_other_workspace_sees_only_its_own(seeded: RunningApp) -> None:
    shown = texts(ask(seeded, "insights healthcare", team=OTHER_TEAM))
    assert "SECRET-WORKSPACE" in shown and "1 takeaway from 1 person" in shown
    assert "Ann" not in shown and "Kaiser" not in shown and "Mallory" not in shown
    other = texts(ask(seeded, "insights healthcare", user=OTHER_STUDENT))
    assert "Mallory" in other and "Ann" not in other and "SECRET-WORKSPACE" not in other


def test_many_notes_stay_within_limits_and_answer_in_time(running_app: RunningApp) -> None:
    db = running_app.services.db
    with db.session() as session:
        repo = Repository(session, TEAM)
        owner = repo.get_or_create_user(STUDENT, T0)
        for i in range(120):
            contact = repo.add_contact(
                owner,
                {"name": f"Person {i} {HOSTILE}", "industry": "Healthcare", "degree": "first"},
                core.Stage.INTERVIEWED,
                T0,
            )
            for j in range(5):
                words = " ".join(f"idea{i}x{j}x{k}" for k in range(40))
                repo.add_note(contact, f"Point {i}-{j}: {HOSTILE} {words}", T0, kind="takeaway")
            repo.add_note(contact, f"Hiring is slow this year, says number {i}", T0, kind="takeaway")
    started = time.monotonic()
    body = ask(running_app, "insights healthcare")
    assert time.monotonic() - started < 3  # a slash command must be answered within 3 s
    shown = texts(body)
    assert_escaped(body)
    assert "720 takeaways from 120 people" in shown and "120 people said something similar." in shown
    assert "only one person said, not shown" in shown or "said by one person only, not shown" in shown


# /infoint stats -------------------------------------------------------------------------------------


def test_stats(seeded: RunningApp) -> None:
    body = ask(seeded, "stats")
    shown = texts(body)
    assert_escaped(body)
    # Ann (yes), Bob and Cy (interviews), Dee (waiting), Eve (no): 5 asked, 4 answered, 3 interviewed.
    assert "*5* targets → *5* requests → *4* replies → *3* interviews" in shown
    assert "*3* referrals · *1* lead · *1* application · *1* offer" in shown
    assert "Reply rate* (replied of those you asked): 4 of 5 (80%)" in shown
    assert "1st degree: 2 of 2 (100%)" in shown  # Ann and Eve
    assert "2nd degree: 1 of 1 (100%)" in shown  # Bob
    assert "Cold: 1 of 2 (50%)" in shown  # Cy yes, Dee waiting
    assert "LinkedIn: 1 of 2 (50%)" in shown and "Family and friends: 1 of 1 (100%)" in shown
    # Referrals from the three people interviewed: Bob (from Ann), Cy (from Bob), Dee (from Cy).
    assert "3 referrals from 3 people interviewed: 1 per person" in shown
    assert "Longest chain of introductions: 3 steps" in shown
    assert "From the 3 referred contacts: 2 interviews, 1 offer" in shown
    assert "1 offer per 3 interviews (1 from 3)." in shown
    assert "Career advisers quote about 1 offer per 12 informational interviews." in shown


def test_stats_are_scoped(seeded: RunningApp) -> None:
    other_team = texts(ask(seeded, "stats", team=OTHER_TEAM))
    assert "*1* target → *1* request → *1* reply → *1* interview" in other_team
    assert "*0* offers" in other_team and "No offer yet after 1 interview." in other_team
    other_student = texts(ask(seeded, "stats", user=OTHER_STUDENT))
    assert "*1* target → *1* request → *1* reply → *1* interview" in other_student
    assert "*0* referrals" in other_student and "1 offer per 1 interviews" in other_student


def test_stats_for_someone_new(running_app: RunningApp) -> None:
    shown = texts(ask(running_app, "stats", user="U0NEW"))
    assert "*0* targets → *0* requests → *0* replies → *0* interviews" in shown
    assert "No contacts yet" in shown and "1st degree: —" in shown
    assert "No informational interview done yet." in shown and "1 offer per 12" in shown
    with running_app.services.db.session() as session:
        assert Repository(session, TEAM).find_user("U0NEW") is None  # reading creates nobody


# Through the app's own flows -------------------------------------------------------------------------


def test_a_logged_interview_and_its_notes_show_up(running_app: RunningApp, slack: FakeSlack) -> None:
    app = running_app
    slack.set_user(STUDENT, tz="UTC")
    start = T0 + timedelta(days=1, hours=3)  # Tuesday 12:00 UTC
    app.clock.set(T0)
    log_contact(
        app,
        slack,
        name="Grace <@U1>",
        company="Navy & Co",
        industry="Healthcare",
        degree="cold",
        source="linkedin",
        standing="interview_scheduled",
        interview_at=str(int(start.timestamp())),
    )
    stats = texts(ask(app, "stats"))
    assert "*1* target → *1* request → *1* reply → *0* interviews" in stats

    # The interview ends; the wrap-up reminder's "Add notes" opens the notes form.
    end = start + timedelta(minutes=21)
    app.clock.set(end)
    sweeper(app).run(end)
    wrap = next(
        c
        for c in reversed(slack.calls_to("chat.postMessage"))
        if (c.args.get("metadata") or {}).get("event_type") == "infoint_nudges"
    )
    button = elements(wrap.args)["nudge_notes"]
    in_dm = {"channel": wrap.response["channel"], "message_ts": wrap.response["ts"]}
    view = opened_view(app, slack, lambda: app.sender.click("nudge_notes", button["value"], **in_dm))
    state = {
        "takeaways": {
            "takeaways": {"type": "plain_text_input", "value": f"Data skills are scarce {HOSTILE}"}
        },
        "advice": {"advice": {"type": "plain_text_input", "value": "build a portfolio"}},
    }
    submitted = submit_modal(app, "interview_notes", state, view)
    assert submitted.status == 200, submitted.body

    body = ask(app, "insights Healthcare")
    shown = texts(body)
    assert_escaped(body)
    assert "1 takeaway from 1 person" in shown and "Data skills are scarce &lt;!channel&gt;" in shown
    assert "*Grace &lt;@U1&gt;*, Navy &amp; Co" in shown and "build a portfolio" not in shown
    assert "*1* target → *1* request → *1* reply → *1* interview" in texts(ask(app, "stats"))
    summary = texts(ask(app, "insights"))
    assert "*Healthcare*: 1 interview with 1 person, 1 takeaway" in summary
    with app.services.db.session() as session:
        user = session.query(User).filter_by(team_id=TEAM, slack_user_id=STUDENT).one()
        assert session.query(Contact).filter_by(owner_id=user.id).count() == 1
