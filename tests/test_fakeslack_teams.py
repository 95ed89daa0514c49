"""The fake Slack with several workspaces: each bot token is one team's (auth.test says which),
a revoked token is refused, and rate limits are counted per team."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack


def client(fake: FakeSlack, token: str) -> WebClient:
    return WebClient(token=token, base_url=fake.api_url, retry_handlers=[])


def test_auth_test_answers_for_each_token(slack: FakeSlack) -> None:
    slack.add_team("T0AAA", "xoxb-aaa", name="Alpha")
    assert client(slack, "xoxb-aaa").auth_test()["team_id"] == "T0AAA"
    assert client(slack, "xoxb-aaa").auth_test()["team"] == "Alpha"
    assert client(slack, slack.bot_token).auth_test()["team_id"] == slack.TEAM_ID
    with pytest.raises(SlackApiError) as unknown:
        client(slack, "xoxb-nobody").auth_test()
    assert unknown.value.response["error"] == "invalid_auth"
    assert [c.team for c in slack.calls_to("auth.test")] == ["T0AAA", "T0AAA", slack.TEAM_ID, ""]


@pytest.mark.parametrize("refusal", ["invalid_auth", "account_inactive", "token_revoked"])
def test_a_revoked_token_is_refused_until_installed_again(slack: FakeSlack, refusal: str) -> None:
    slack.add_team("T0AAA", "xoxb-aaa")
    slack.revoke_token("xoxb-aaa", refusal)
    with pytest.raises(SlackApiError) as refused:
        client(slack, "xoxb-aaa").chat_postMessage(channel="U1", text="hi")
    assert refused.value.response["error"] == refusal
    assert slack.messages_in("D1") == []
    assert client(slack, slack.bot_token).chat_postMessage(channel="U2", text="hi")["ok"]
    slack.add_team("T0AAA", "xoxb-aaa")
    assert client(slack, "xoxb-aaa").chat_postMessage(channel="U1", text="hi")["ok"]


def test_rate_limits_are_counted_per_team(slack: FakeSlack) -> None:
    slack.add_team("T0AAA", "xoxb-aaa")
    slack.add_team("T0BBB", "xoxb-bbb")
    slack.limit_method("chat.postMessage", per_minute=6, burst=2)
    a, b = client(slack, "xoxb-aaa"), client(slack, "xoxb-bbb")
    for n in range(2):
        a.chat_postMessage(channel=f"U{n}", text="x")
    with pytest.raises(SlackApiError) as limited:
        a.chat_postMessage(channel="U9", text="x")
    assert limited.value.response.status_code == 429
    assert int(limited.value.response.headers["Retry-After"]) == 10  # 6 a minute: a token each 10 s
    for n in range(2):  # the other team's bucket is whole
        assert b.chat_postMessage(channel=f"U{n + 10}", text="x")["ok"]
    with pytest.raises(SlackApiError):
        b.chat_postMessage(channel="U19", text="x")


def test_a_limit_for_one_team_and_a_method_tier(slack: FakeSlack) -> None:
    slack.add_team("T0AAA", "xoxb-aaa")
    slack.limit_method("users.info", per_minute=1, burst=1, team="T0AAA")
    a = client(slack, "xoxb-aaa")
    a.users_info(user="U1")
    with pytest.raises(SlackApiError) as limited:
        a.users_info(user="U1")
    assert limited.value.response.status_code == 429 and limited.value.response.headers["Retry-After"] == "60"
    for _ in range(3):  # the default team has no limit on it
        client(slack, slack.bot_token).users_info(user="U1")
    slack.disable_rate_limits()
    a.users_info(user="U1")


def test_a_hold_for_one_team_holds_only_its_calls(slack: FakeSlack) -> None:
    slack.add_team("T0AAA", "xoxb-aaa")
    slack.add_team("T0BBB", "xoxb-bbb")
    a, b = client(slack, "xoxb-aaa"), client(slack, "xoxb-bbb")
    slack.delay_response_next("auth.test", 0.2, team="T0AAA")
    assert b.auth_test()["team_id"] == "T0BBB"  # not the held team: answered at once
    assert a.auth_test()["team_id"] == "T0AAA"
    assert a.auth_test()["ok"]  # the team's one hold is used up
    assert [(c.team, c.delayed) for c in slack.calls_to("auth.test")] == [
        ("T0BBB", 0.0),
        ("T0AAA", pytest.approx(0.2)),
        ("T0AAA", 0.0),
    ]
    slack.delay_response_next("auth.test", 0.1)  # any team's
    slack.delay_response_next("auth.test", 0.2, team="T0AAA")
    a.auth_test()  # the team's own hold first
    b.auth_test()  # then the one for any team
    a.auth_test()
    held = [c.delayed for c in slack.calls_to("auth.test")[3:]]
    assert held == [pytest.approx(0.2), pytest.approx(0.1), 0.0]


def test_reset_forgets_the_teams(slack: FakeSlack) -> None:
    slack.add_team("T0AAA", "xoxb-aaa")
    slack.reset()
    with pytest.raises(SlackApiError) as unknown:
        client(slack, "xoxb-aaa").auth_test()
    assert unknown.value.response["error"] == "invalid_auth"
