"""What each person sees in the fake Slack (`bot.fakeslack.people`): their modal stack, ephemeral
replies through response URLs, shared files, and timestamps that follow a clock; all of it through
a real slack_sdk client, as the app (and the demo) use it."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.fakeslack import FakeSlack

TOKEN = "xoxb-test-token"
ALICE, BOB = "U0ALICE", "U0BOB"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=TOKEN) as server:
        yield server
    assert server.internal_errors == []


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.api_url)


def form(title: str = "Form", block_id: str = "name") -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": block_id,
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": block_id},
            }
        ],
    }


def message(text: str) -> dict[str, Any]:
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def titles(fake: FakeSlack, user: str) -> list[str]:
    return [view["title"]["text"] for view in fake.modal_stack(user)]


def test_a_modal_opened_with_a_persons_trigger_is_in_front_of_them(
    fake: FakeSlack, client: WebClient
) -> None:
    client.views_open(trigger_id=fake.trigger_id(ALICE), view=form("First"))
    assert titles(fake, ALICE) == ["First"]
    assert titles(fake, BOB) == []
    pushed = client.views_push(trigger_id=fake.trigger_id(ALICE), view=form("Second"))["view"]
    assert titles(fake, ALICE) == ["First", "Second"]
    assert pushed["previous_view_id"] == fake.modal_stack(ALICE)[0]["id"]
    client.views_update(view_id=pushed["id"], view=form("Second, updated"))
    assert titles(fake, ALICE) == ["First", "Second, updated"]
    client.views_open(trigger_id=fake.trigger_id(ALICE), view=form("Fresh"))
    assert titles(fake, ALICE) == ["Fresh"]
    # A trigger the tests make without a person still opens views, in front of nobody.
    client.views_open(trigger_id=fake.trigger_id(), view=form("Anonymous"))
    assert titles(fake, ALICE) == ["Fresh"]


def test_views_push_past_three_is_refused(fake: FakeSlack, client: WebClient) -> None:
    client.views_open(trigger_id=fake.trigger_id(ALICE), view=form("1"))
    client.views_push(trigger_id=fake.trigger_id(ALICE), view=form("2"))
    client.views_push(trigger_id=fake.trigger_id(ALICE), view=form("3"))
    with pytest.raises(SlackApiError) as refused:
        client.views_push(trigger_id=fake.trigger_id(ALICE), view=form("4"))
    assert refused.value.response["error"] == "push_limit_reached"
    assert titles(fake, ALICE) == ["1", "2", "3"]


def test_answers_to_a_submission_act_as_in_slack(fake: FakeSlack, client: WebClient) -> None:
    view_id = client.views_open(trigger_id=fake.trigger_id(ALICE), view=form("Form"))["view"]["id"]
    before = fake.revision
    assert (
        fake.answer_submission(ALICE, view_id, {"response_action": "errors", "errors": {"name": "Too short"}})
        is None
    )
    assert fake.modal_stack(ALICE)[0]["errors"] == {"name": "Too short"}
    assert fake.revision > before
    # Errors must name an input of the view, and be text.
    problem = fake.answer_submission(ALICE, view_id, {"response_action": "errors", "errors": {"nope": "x"}})
    assert problem is not None and "nope" in problem
    # An update replaces the view in place and clears its errors; an invalid one is refused.
    assert (
        fake.answer_submission(ALICE, view_id, {"response_action": "update", "view": form("Again")}) is None
    )
    assert titles(fake, ALICE) == ["Again"] and fake.modal_stack(ALICE)[0]["errors"] == {}
    bad = form("x" * 30)
    assert "title" in str(fake.answer_submission(ALICE, view_id, {"response_action": "update", "view": bad}))
    assert fake.answer_submission(ALICE, view_id, {"response_action": "push", "view": form("Next")}) is None
    assert titles(fake, ALICE) == ["Again", "Next"]
    top = fake.modal_stack(ALICE)[-1]["id"]
    # An empty answer closes the submitted view; clear closes them all.
    assert fake.answer_submission(ALICE, top, None) is None
    assert titles(fake, ALICE) == ["Again"]
    assert fake.answer_submission(ALICE, view_id, {"response_action": "clear"}) is None
    assert titles(fake, ALICE) == []
    assert fake.answer_submission(ALICE, view_id, None) is not None  # no longer open


def test_closing_a_modal_closes_those_above_it(fake: FakeSlack, client: WebClient) -> None:
    first = client.views_open(trigger_id=fake.trigger_id(ALICE), view=form("1"))["view"]["id"]
    client.views_push(trigger_id=fake.trigger_id(ALICE), view=form("2"))
    fake.close_modal(ALICE, first)
    assert titles(fake, ALICE) == []


def test_response_url_posts_reach_the_person_who_acted(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel=ALICE, **message("a card"))
    channel, ts = posted["channel"], posted["ts"]
    # A new ephemeral reply, seen by Alice only.
    url = fake.response_url_for(ALICE, channel, message_ts=ts)
    WebhookClient(url).send_dict(
        {"response_type": "ephemeral", "replace_original": False, **message("only you")}
    )
    assert [m["text"] for m in fake.ephemerals_for(ALICE)] == ["only you"]
    assert fake.ephemerals_for(BOB) == []
    # replace_original updates the message acted on, in place.
    WebhookClient(url).send_dict({"replace_original": True, **message("replaced")})
    stored = fake.message(channel, ts)
    assert stored is not None and stored["text"] == "replaced" and "edited" in stored
    # On an ephemeral message: replaced, then deleted.
    ephemeral_ts = fake.ephemerals_for(ALICE)[0]["ts"]
    url = fake.response_url_for(ALICE, channel, ephemeral_ts=ephemeral_ts)
    WebhookClient(url).send_dict({"replace_original": True, **message("new answer")})
    assert [m["text"] for m in fake.ephemerals_for(ALICE)] == ["new answer"]
    WebhookClient(url).send_dict({"delete_original": True})
    assert fake.ephemerals_for(ALICE) == []
    # in_channel: a message for everyone in the channel.
    WebhookClient(fake.response_url_for(ALICE, "C0SHARED")).send_dict(
        {"response_type": "in_channel", "text": "hi"}
    )
    assert [m["text"] for m in fake.messages_in("C0SHARED")] == ["hi"]


def test_invalid_blocks_to_a_response_url_show_nothing(fake: FakeSlack) -> None:
    url = fake.response_url_for(ALICE, "D0ALICE")
    answer = WebhookClient(url).send_dict({"text": "x", "blocks": [{"type": "nonsense"}]})
    assert answer.status_code == 200 and json.loads(answer.body)["ok"] is False
    assert fake.ephemerals_for(ALICE) == []


def test_a_slash_commands_answer_is_an_ephemeral_message(fake: FakeSlack) -> None:
    assert fake.post_ephemeral_answer(ALICE, "C0GENERAL", message("help text")) is None
    assert [(m["text"], m["channel"]) for m in fake.ephemerals_for(ALICE)] == [("help text", "C0GENERAL")]
    assert fake.post_ephemeral_answer(ALICE, "C0GENERAL", {"text": ""}) == "no_text"
    assert (
        fake.post_ephemeral_answer(ALICE, "C0GENERAL", {"blocks": [{"type": "nonsense"}]}) == "invalid_blocks"
    )
    assert fake.post_in_channel("C0GENERAL", {"text": "for everyone"}) is None
    assert [m["text"] for m in fake.messages_in("C0GENERAL")] == ["for everyone"]


def test_shared_files_keep_where_they_were_shared_and_their_bytes(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel=ALICE, text="before")["ts"]
    client.files_upload_v2(
        channel="D0ALICE", content=b"BEGIN:VCALENDAR", filename="interview.ics", title="Add it"
    )
    shared = fake.shared_files()
    assert [(f["name"], f["channels"]) for f in shared] == [("interview.ics", ["D0ALICE"])]
    assert float(shared[0]["shared_ts"]) > float(first)
    assert fake.file_content(shared[0]["id"]) == b"BEGIN:VCALENDAR"
    client.chat_postMessage(channel="C0SHARED", text="hello")
    assert fake.conversations() == ["C0SHARED", "D0ALICE"]
    answered = fake.calls_to("files.completeUploadExternal")[0].response["files"][0]
    assert "shared_ts" not in answered  # kept by the fake, not part of Slack's answer


def test_message_timestamps_follow_a_clock_and_only_go_up() -> None:
    now = [1_800_000_000.0]
    with FakeSlack(bot_token=TOKEN, clock=lambda: now[0]) as fake:
        client = WebClient(token=TOKEN, base_url=fake.api_url)
        first = client.chat_postMessage(channel=ALICE, text="a")["ts"]
        assert first == "1800000000.000000"
        now[0] -= 3600  # a clock set back: still after the last one
        second = client.chat_postMessage(channel=ALICE, text="b")["ts"]
        assert float(second) > float(first)
        now[0] += 86400
        assert client.chat_postMessage(channel=ALICE, text="c")["ts"] == "1800082800.000000"
        fake.reset()
        now[0] = 1_700_000_000.0
        assert client.chat_postMessage(channel=ALICE, text="d")["ts"] == "1700000000.000000"


def test_reset_forgets_what_people_saw(fake: FakeSlack, client: WebClient) -> None:
    client.views_open(trigger_id=fake.trigger_id(ALICE), view=form())
    fake.post_ephemeral_answer(ALICE, "C1", {"text": "x"})
    url = fake.response_url_for(ALICE, "C1")
    fake.reset()
    assert fake.modal_stack(ALICE) == [] and fake.ephemerals_for(ALICE) == []
    late = urllib.request.Request(
        url, data=b'{"text": "late"}', headers={"Content-Type": "application/json"}, method="POST"
    )
    urllib.request.urlopen(late, timeout=5).close()
    assert fake.ephemerals_for(ALICE) == []  # a response URL from before the reset shows nothing
