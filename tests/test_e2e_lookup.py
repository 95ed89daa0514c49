"""Search, the referral chain, outcomes and the objective/goals, end to end: signed requests into the
app, the fake Slack, a real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from helpers import STUDENT, T0, RunningApp, log_contact, sweeper, text_value, texts
from slackwire import TEAM
from sqlalchemy import select

from bot.domain.pipeline import Stage
from bot.fakeslack import FakeSlack, validate_message_blocks, validate_view
from storage.models import Contact, User
from storage.repository import Repository

OTHER = "U0OTHER"
HOSTILE = "<!channel> Ada & <@U999> <https://evil.example|x>"


def seed(
    app: RunningApp,
    name: str,
    user: str = STUDENT,
    team: str = TEAM,
    stage: Stage = Stage.TARGET,
    introducer: int | None = None,
    **values: Any,
) -> int:
    """A contact written straight into the database (fast set-up for many contacts)."""
    now = app.clock()
    with app.services.db.session() as session:
        repo = Repository(session, team)
        owner = repo.get_or_create_user(user, now)
        fields = {"name": name, "degree": "second" if introducer else "first", **values}
        if introducer:
            fields["introducer_contact_id"] = introducer
        return repo.add_contact(owner, fields, stage, now).id


def contact(app: RunningApp, contact_id: int) -> Contact:
    with app.services.db.session() as session:
        found = session.get(Contact, contact_id)
        assert found is not None
        return found


def find(app: RunningApp, text: str, user: str = STUDENT, team: str = TEAM) -> dict[str, Any]:
    body = app.answer(f"find {text}", user=user, team=team)
    assert body["response_type"] == "ephemeral"
    assert not validate_message_blocks(body["blocks"], body.get("text"))
    return body


def results(body: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Each result's section, by contact id."""
    return {
        int(b["block_id"].split(":")[1]): b
        for b in body["blocks"]
        if b["type"] == "section" and b.get("block_id", "").startswith("found:")
    }


def result_elements(body: dict[str, Any], contact_id: int) -> dict[str, dict[str, Any]]:
    [block] = [b for b in body["blocks"] if b.get("block_id") == f"found_actions:{contact_id}"]
    return {e["action_id"]: e for e in block["elements"]}


def choose(
    app: RunningApp, slack: FakeSlack, value: str, user: str = STUDENT, team: str = TEAM
) -> dict[str, Any]:
    """Pick an option of the outcome menu (value as drawn); return the ephemeral answer."""
    url_name = f"act-{user}-{time.monotonic_ns()}"
    before = len(slack.calls_to(f"response_url:{url_name}"))
    reply = app.sender.choose(
        "contact_outcome",
        value,
        user,
        team,
        channel="C0GENERAL",
        message_ts="1.2",
        ephemeral=True,
        response_url=slack.response_url(url_name),
    )
    assert reply.status == 200
    answer = slack.wait_for(f"response_url:{url_name}", before + 1)[-1]
    assert answer.response["ok"], answer.response
    assert not validate_message_blocks(answer.args.get("blocks"), answer.args.get("text"))
    return answer.args


def option(body: dict[str, Any], contact_id: int, outcome: str) -> str:
    menu = result_elements(body, contact_id)["contact_outcome"]
    return next(o["value"] for o in menu["options"] if o["value"].endswith(f":{outcome}"))


# Search -----------------------------------------------------------------------------------------------


class TestFind:
    def test_by_name_company_and_industry_in_any_case(self, running_app: RunningApp) -> None:
        ada = seed(
            running_app, "Ada Lovelace", company="Analytical Engines", role="Analyst", industry="Computing"
        )
        grace = seed(running_app, "Grace Hopper", company="US Navy", industry="Defense")
        linus = seed(running_app, "Linus", company="Acme", industry="Software", stage=Stage.REQUESTED)
        assert set(results(find(running_app, "ADA"))) == {ada}
        assert set(results(find(running_app, "navy"))) == {grace}
        assert set(results(find(running_app, "sOfTwArE"))) == {linus}
        assert set(results(find(running_app, "a"))) == {ada, grace, linus}
        body = find(running_app, "lovelace")
        shown = texts(results(body)[ada])
        assert "*Ada Lovelace*" in shown and "Analyst at Analytical Engines" in shown
        assert "Industry: Computing" in shown and "1st degree" in shown and "Stage: Targets" in shown
        assert "1* contact matches “lovelace”" in texts(body)

    def test_non_ascii_matches_in_any_case(self, running_app: RunningApp) -> None:
        zoe = seed(running_app, "Zoë Ångström", company="李氏科技", industry="Énergie")
        seed(running_app, "Zoe Plain", company="Other")
        for typed in ("Zoë", "zoë", "ZOË", "ångström", "ÅNGSTRÖM", "李", "李氏科技", "énergie", "ÉNERGIE"):
            assert set(results(find(running_app, typed))) == {zoe}, typed

    def test_wildcards_typed_by_the_user_are_literal(self, running_app: RunningApp) -> None:
        percent = seed(running_app, "Pat", company="50% Ventures")
        underscore = seed(running_app, "Sam", company="a_b Labs")
        backslash = seed(running_app, "Kim", company="Back\\slash")
        seed(running_app, "Plain", company="ab Labs 500 Ventures")
        assert set(results(find(running_app, "%"))) == {percent}
        assert set(results(find(running_app, "0%"))) == {percent}
        assert set(results(find(running_app, "_"))) == {underscore}
        assert set(results(find(running_app, "a_b"))) == {underscore}
        assert set(results(find(running_app, "\\"))) == {backslash}
        nothing = find(running_app, "a%b")
        assert not results(nothing) and "No contact of yours has “a%b”" in texts(nothing)

    def test_only_my_contacts_in_this_workspace(self, running_app: RunningApp) -> None:
        mine = seed(running_app, "Ada Mine")
        theirs = seed(running_app, "Ada Theirs", user=OTHER)
        far = seed(running_app, "Ada Far", team="T0OTHER")
        assert set(results(find(running_app, "ada"))) == {mine}
        assert set(results(find(running_app, "ada", user=OTHER))) == {theirs}
        assert set(results(find(running_app, "ada", team="T0OTHER"))) == {far}
        stranger = find(running_app, "ada", user="U0NEW")
        assert not results(stranger) and "No contact of yours" in texts(stranger)

    def test_twenty_shown_and_the_rest_counted(self, running_app: RunningApp) -> None:
        for n in range(25):
            seed(running_app, f"Person {n:02d}", company="Acme")
        seed(running_app, "Someone Else", company="Globex")
        body = find(running_app, "acme")
        assert len(results(body)) == 20
        shown = texts(body)
        assert "*25* contacts match “acme”" in shown and "…and 5 more" in shown
        assert "Someone Else" not in shown
        assert len(body["blocks"]) <= 50

    def test_long_hostile_names_and_deep_chains_stay_within_slack_limits(
        self, running_app: RunningApp
    ) -> None:
        introducer: int | None = None
        for n in range(30):
            introducer = seed(
                running_app,
                f"{n:02d} " + "&<>" * 32,
                company="<!here> " * 12,
                role="&" * 100,
                industry="Acme " + "&" * 70,
                introducer=introducer,
            )
        body = find(running_app, "acme")
        shown = results(body)
        assert 0 < len(shown) <= 20
        more = [b for b in body["blocks"] if b["type"] == "context" and "more" in texts(b)]
        assert more and f"…and {30 - len(shown)} more" in texts(more[0])
        assert "<!here>" not in texts(body) and "<>" not in texts(body)
        # A long search of nothing but escapable characters matches all of them, and still fits.
        wide = find(running_app, "&" * 70)
        assert "*30* contacts match" in texts(wide) and "more" in texts(wide["blocks"][-1])
        assert "Referral chain: " in texts(body)
        # The last one has 29 introducers above it: the chain is cut at 20 and says so.
        [deep] = results(find(running_app, "29 &")).values()
        chain = deep["text"]["text"].split("Referral chain: ")[1].split("\n")[0]  # then its next step
        assert chain.startswith("… → ") and chain.endswith("…") and len(chain) < 400

    def test_hostile_text_is_escaped(self, running_app: RunningApp) -> None:
        seed(running_app, HOSTILE, company="Acme & Co", industry="<!here>", role="<@U1>")
        body = find(running_app, "&")
        shown = texts(body)
        for raw in ("<!channel>", "<@U999>", "<!here>", "<@U1>", "<https://"):
            assert raw not in shown
        assert "&lt;!channel&gt; Ada &amp; &lt;@U999&gt;" in shown and "Acme &amp; Co" in shown
        assert "“&amp;”" in shown
        nothing = find(running_app, "<!channel> & <@U2>x")
        assert "<!channel>" not in texts(nothing) and "“&lt;!channel&gt; &amp; &lt;@U2&gt;x”" in texts(
            nothing
        )

    def test_empty_text_gets_a_usage_message(self, running_app: RunningApp) -> None:
        for typed in ("", "   ", "\u200b"):
            body = find(running_app, typed)
            assert "/infoint find [text]" in texts(body) and not results(body), repr(typed)

    def test_too_long_a_search_is_refused_kindly(self, running_app: RunningApp) -> None:
        assert "at most 100 characters" in texts(find(running_app, "x" * 101))

    def test_find_is_in_help(self, running_app: RunningApp) -> None:
        shown = texts(running_app.answer("help"))
        assert "/infoint find" in shown and "/infoint goal" in shown


class TestChainAndButtons:
    def test_a_referral_shows_its_chain(self, running_app: RunningApp, slack: FakeSlack) -> None:
        # Ada is logged through the modal (the real path); Linus and Barbara came as referrals.
        log_contact(running_app, slack, name="Ada", company="Acme")
        with running_app.services.db.session() as session:
            ada = session.scalars(select(Contact.id).where(Contact.name == "Ada")).one()
        linus = seed(running_app, "Linus <b>", introducer=ada, introducer_name="Ada")
        barbara = seed(running_app, "Barbara", introducer=linus, introducer_name="Linus <b>")
        body = find(running_app, "barbara")
        shown = texts(results(body)[barbara])
        assert "Referral chain: Ada → Linus &lt;b&gt; → Barbara" in shown and "via Linus &lt;b&gt;" in shown
        # A contact nobody introduced shows no chain.
        assert "Referral chain" not in texts(results(find(running_app, "acme"))[ada])

    def test_schedule_button_only_where_the_stage_allows(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        target = seed(running_app, "Tara")
        done = seed(running_app, "Tom", stage=Stage.INTERVIEWED)
        body = find(running_app, "t")
        # Every result carries its contact's buttons (tests/test_e2e_surfaces.py); scheduling only
        # where the stage allows.
        assert set(result_elements(body, target)) == {
            "request_sent",
            "contact_draft",
            "schedule_interview",
            "contact_more",
            "contact_outcome",
        }
        assert set(result_elements(body, done)) == {"contact_draft", "contact_more", "contact_outcome"}
        button = result_elements(body, target)["schedule_interview"]
        assert button["value"] == f"{target}:1"
        running_app.sender.click("schedule_interview", button["value"])
        view = slack.wait_for("views.open")[-1].args["view"]
        assert view["callback_id"] == "schedule_interview" and "Tara" in texts(view)
        assert not validate_view(view)


# Outcomes ---------------------------------------------------------------------------------------------


class TestOutcome:
    def test_recorded_then_cleared(self, running_app: RunningApp, slack: FakeSlack) -> None:
        when = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)
        running_app.clock.set(when)
        ada = seed(running_app, "Ada & <!here>", stage=Stage.INTERVIEWED)
        body = find(running_app, "ada")
        labels = [o["text"]["text"] for o in result_elements(body, ada)["contact_outcome"]["options"]]
        assert labels == ["Led to a job lead", "Led to an application", "Led to an offer"]
        answer = choose(running_app, slack, option(body, ada, "offer"))
        assert "🎯 Recorded: *Ada &amp; &lt;!here&gt;* led to an offer." in texts(answer)
        assert "<!here>" not in texts(answer)
        saved = contact(running_app, ada)
        assert saved.outcome == "offer" and saved.outcome_at == when and saved.version == 2
        assert saved.stage == "interviewed"

        body = find(running_app, "ada")
        assert "🎯 Led to an offer" in texts(results(body)[ada])
        labels = [o["text"]["text"] for o in result_elements(body, ada)["contact_outcome"]["options"]]
        assert labels == ["Led to a job lead", "Led to an application", "Clear outcome"]
        answer = choose(running_app, slack, option(body, ada, "none"))
        assert "Cleared the outcome" in texts(answer)
        cleared = contact(running_app, ada)
        assert cleared.outcome is None and cleared.outcome_at is None and cleared.version == 3

    def test_a_stale_menu_is_refused(self, running_app: RunningApp, slack: FakeSlack) -> None:
        ada = seed(running_app, "Ada")
        body = find(running_app, "ada")
        assert "led to a job lead" in texts(choose(running_app, slack, option(body, ada, "lead")))
        refused = choose(running_app, slack, option(body, ada, "offer"))
        assert "Already done, or out of date" in texts(refused)
        assert contact(running_app, ada).outcome == "lead"

    def test_another_user_or_workspace_is_refused(self, running_app: RunningApp, slack: FakeSlack) -> None:
        ada = seed(running_app, "Ada")
        value = option(find(running_app, "ada"), ada, "offer")
        seed(running_app, "Someone", user=OTHER)
        for user, team in ((OTHER, TEAM), (STUDENT, "T0OTHER"), ("U0NOBODY", TEAM)):
            answer = choose(running_app, slack, value, user=user, team=team)
            assert "isn't in your list" in texts(answer), (user, team)
        saved = contact(running_app, ada)
        assert saved.outcome is None and saved.version == 1

    def test_a_bad_value_is_answered(self, running_app: RunningApp, slack: FakeSlack) -> None:
        for value in ("", "x:1:offer", "1:1:promotion", "1:offer", "1:1:2:offer"):
            answer = texts(choose(running_app, slack, value))
            assert "doesn't carry a contact" in answer and "<text>" not in answer, value


# Objective and goals ----------------------------------------------------------------------------------


def goal_state(
    objective: str | None = "How UX research works in healthcare",
    industries: str | None = "Healthcare",
    companies: str | None = "Acme",
    roles: str | None = "UX researcher",
    requests: str | None = "3",
    interviews: str | None = "2",
) -> dict[str, dict[str, Any]]:
    return {
        "objective": {"objective": text_value(objective)},
        "target_industries": {"target_industries": text_value(industries)},
        "target_companies": {"target_companies": text_value(companies)},
        "target_roles": {"target_roles": text_value(roles)},
        "weekly_requests": {"weekly_requests": text_value(requests)},
        "weekly_interviews": {"weekly_interviews": text_value(interviews)},
    }


def preferences(app: RunningApp, user: str = STUDENT) -> dict[str, Any]:
    with app.services.db.session() as session:
        found = session.scalars(select(User).where(User.slack_user_id == user)).one()
        return dict(found.preferences)


def open_goal(app: RunningApp, slack: FakeSlack) -> dict[str, Any]:
    before = len(slack.calls_to("views.open"))
    started = time.monotonic()
    assert app.sender.command("goal").status == 200
    opened = slack.wait_for("views.open", before + 1)[-1]
    assert opened.response["ok"], opened.response
    assert opened.at - started < 3
    view = opened.args["view"]
    assert view["callback_id"] == "goal" and not validate_view(view)
    return view


def initial(view: dict[str, Any]) -> dict[str, str | None]:
    return {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"}


class TestGoal:
    def test_modal_opens_prefilled_with_the_defaults(self, running_app: RunningApp, slack: FakeSlack) -> None:
        assert initial(open_goal(running_app, slack)) == {
            "objective": None,
            "target_industries": None,
            "target_companies": None,
            "target_roles": None,
            "weekly_requests": "2",
            "weekly_interviews": "1",
        }

    def test_saved_merged_confirmed_and_prefilled_next_time(
        self, running_app: RunningApp, slack: FakeSlack
    ) -> None:
        running_app.services.users.save_preferences(
            TEAM, STUDENT, {"window_start": "10:00", "follow_up_days": 9}
        )
        state = goal_state(
            objective="Learn <!channel> how\n\n\n\nresearch & design work", companies="Acme <@U1>"
        )
        reply = running_app.sender.submit("goal", state)
        # Confirmed in the form itself, not by a DM.
        assert reply.status == 200 and reply.json()["response_action"] == "update", reply.body
        saved = reply.json()["view"]
        running_app.settle()
        assert slack.calls_to("chat.postMessage") == []
        shown = texts(saved)
        assert "Objective saved" in shown and "<!channel>" not in shown and "<@U1>" not in shown
        assert "Learn &lt;!channel&gt; how\n\nresearch &amp; design work" in shown
        assert "*Companies:* Acme &lt;@U1&gt;" in shown and "3 new requests and 2 interviews" in shown
        assert not validate_view(saved)
        prefs = preferences(running_app)
        assert prefs["objective"] == "Learn <!channel> how\n\nresearch & design work"
        assert prefs["target_industries"] == "Healthcare" and prefs["target_companies"] == "Acme <@U1>"
        assert prefs["target_roles"] == "UX researcher"
        assert prefs["weekly_requests"] == 3 and prefs["weekly_interviews"] == 2
        assert prefs["window_start"] == "10:00" and prefs["follow_up_days"] == 9  # merged, not replaced
        again = initial(open_goal(running_app, slack))
        assert again["objective"] == prefs["objective"] and again["target_companies"] == "Acme <@U1>"
        assert again["weekly_requests"] == "3" and again["weekly_interviews"] == "2"
        # Another user's modal shows none of it.
        running_app.sender.command("goal", user=OTHER)
        other = slack.wait_for("views.open", 2)[-1].args["view"]
        assert other["callback_id"] == "goal"
        assert initial(other)["objective"] is None and "design work" not in texts(other)

    def test_errors_inline_and_nothing_saved(self, running_app: RunningApp, slack: FakeSlack) -> None:
        state = goal_state(
            objective="  ",
            industries="x" * 201,
            companies="y" * 201,
            roles="z" * 201,
            requests="51",
            interviews="²",
        )
        body = running_app.sender.submit("goal", state).json()
        assert body["response_action"] == "errors"
        assert set(body["errors"]) == {
            "objective",
            "target_industries",
            "target_companies",
            "target_roles",
            "weekly_requests",
            "weekly_interviews",
        }
        assert "under 200 characters" in body["errors"]["target_roles"]
        assert body["errors"]["weekly_requests"] == "A whole number from 0 to 50."
        assert body["errors"]["weekly_interviews"] == "A whole number from 0 to 20."
        for bad in (goal_state(objective="o" * 501), goal_state(requests="-1"), goal_state(interviews=None)):
            assert running_app.sender.submit("goal", bad).json()["response_action"] == "errors"
        assert slack.calls_to("chat.postMessage") == []
        with running_app.services.db.session() as session:
            assert session.scalars(select(User)).all() == []

    def test_weekly_plan_shows_the_objective(self, running_app: RunningApp, slack: FakeSlack) -> None:
        running_app.clock.set(T0)
        running_app.services.users.remember_user(TEAM, STUDENT, timezone="Europe/Paris")
        seed(running_app, "Ada")
        state = goal_state(objective="How <!here> hospitals buy software & why", requests="4", interviews="0")
        assert running_app.sender.submit("goal", state).status == 200
        running_app.settle()
        monday = datetime(2026, 3, 9, 9, 5, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
        running_app.clock.set(monday)
        report = sweeper(running_app).run(monday)
        assert report.dms == 1
        weekly = [
            c
            for c in slack.calls_to("chat.postMessage")
            if (c.args.get("metadata") or {}).get("event_type") == "infoint_nudges"
        ]
        assert len(weekly) == 1 and weekly[0].response["ok"]
        shown = texts(weekly[0].args["blocks"])
        assert "Your week" in shown
        assert "How &lt;!here&gt; hospitals buy software &amp; why" in shown and "<!here>" not in shown
        assert (
            "Industries: Healthcare" in shown
            and "Companies: Acme" in shown
            and "Roles: UX researcher" in shown
        )
        assert "New requests: *0* of 4" in shown
        assert shown.index("Your week") < shown.index("hospitals") < shown.index("New requests")
        assert not validate_message_blocks(weekly[0].args["blocks"], weekly[0].args.get("text"))
        assert json.dumps(weekly[0].args["metadata"])
