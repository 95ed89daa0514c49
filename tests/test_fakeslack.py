"""Tests for the fake Slack Web API, driven through a real slack_sdk WebClient."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

import bot.fakeslack
from bot.fakeslack import FakeSlack, validate_message_blocks, validate_view

TOKEN = "xoxb-test-token"
TS_RE = re.compile(r"^\d{10}\.\d{6}$")


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=TOKEN) as server:
        yield server
    assert server.internal_errors == []


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.api_url)


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def modal(
    title: str = "Settings", blocks: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks if blocks is not None else [section("hello")],
        **extra,
    }


def text_input_block(block_id: str = "b1", **element: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": "Name"},
        "element": {"type": "plain_text_input", "action_id": "name", **element},
    }


# -- lifecycle and auth ----------------------------------------------------------------------------


def test_api_url_is_loopback_and_stop_closes_the_port() -> None:
    fake = FakeSlack()
    with fake:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/", fake.api_url)
        url = fake.api_url
        assert WebClient(token="xoxb-test-token", base_url=url).auth_test()["ok"] is True
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "auth.test", data=b"", timeout=2)


def test_auth_test(client: WebClient) -> None:
    resp = client.auth_test()
    assert resp["team_id"] == "T0001"
    assert resp["user_id"] == "UBOT"
    assert resp["bot_id"] == "B0001"
    assert resp["team"] == "Test Team"
    assert resp["url"].startswith("https://")


def test_missing_token_is_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as info:
        WebClient(base_url=fake.api_url).auth_test()
    assert info.value.response.status_code == 200
    assert info.value.response["error"] == "not_authed"
    assert fake.calls[0].method == "auth.test"


def test_wrong_token_is_invalid_auth(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as info:
        WebClient(token="xoxb-wrong", base_url=fake.api_url).chat_postMessage(channel="C1", text="hi")
    assert info.value.response.status_code == 200
    assert info.value.response["error"] == "invalid_auth"
    assert fake.messages == {}


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as info:
        client.api_call("reactions.add", json={"channel": "C1", "name": "tada", "timestamp": "1.2"})
    assert info.value.response["error"] == "unknown_method"


# -- chat.* ----------------------------------------------------------------------------------------


def test_post_message_records_call_and_echoes_message(fake: FakeSlack, client: WebClient) -> None:
    blocks = [section("*hello*")]
    first = client.chat_postMessage(channel="C123", text="hello", blocks=blocks)
    second = client.chat_postMessage(channel="C123", text="again")

    assert first["channel"] == "C123"
    assert TS_RE.match(first["ts"]) and TS_RE.match(second["ts"])
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "hello"
    assert first["message"]["blocks"] == blocks

    calls = fake.calls_to("chat.postMessage")
    assert [c.args["text"] for c in calls] == ["hello", "again"]
    assert calls[0].args["blocks"] == blocks
    assert calls[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert calls[0].at <= calls[1].at
    assert fake.message("C123", first["ts"])["text"] == "hello"  # type: ignore[index]


def test_form_encoded_json_fields_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    blocks = [section("form")]
    client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "[not json]", "blocks": json.dumps(blocks)}
    )
    call = fake.calls_to("chat.postMessage")[0]
    assert call.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert call.args["blocks"] == blocks
    assert call.args["text"] == "[not json]"


def test_post_to_user_id_answers_with_stable_dm_channel(client: WebClient) -> None:
    first = client.chat_postMessage(channel="U42ABC", text="hi")
    second = client.chat_postMessage(channel="U42ABC", text="hi again")
    opened = client.conversations_open(users="U42ABC")
    assert first["channel"] == second["channel"] == opened["channel"]["id"] == "D42ABC"


def test_post_message_requires_channel_and_text(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as no_text:
        client.api_call("chat.postMessage", json={"channel": "C1"})
    assert no_text.value.response["error"] == "no_text"
    with pytest.raises(SlackApiError) as no_channel:
        client.api_call("chat.postMessage", json={"text": "hi"})
    assert no_channel.value.response["error"] == "channel_not_found"


def test_long_text_is_accepted_and_truncated_in_echo(fake: FakeSlack, client: WebClient) -> None:
    resp = client.chat_postMessage(channel="C1", text="x" * 45_000)
    assert len(resp["message"]["text"]) == 40_000
    assert len(fake.calls_to("chat.postMessage")[0].args["text"]) == 45_000


def test_update_existing_message(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="before", blocks=[section("before")])
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="after")
    assert updated["ts"] == posted["ts"]
    stored = fake.message("C1", posted["ts"])
    assert stored is not None
    assert stored["text"] == "after"
    assert stored["blocks"] == [section("before")]  # omitted blocks are kept, as on Slack
    client.chat_update(channel="C1", ts=posted["ts"], text="after", blocks=[section("new")])
    assert fake.message("C1", posted["ts"])["blocks"] == [section("new")]  # type: ignore[index]


def test_update_unknown_message_is_message_not_found(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="x")
    with pytest.raises(SlackApiError) as wrong_ts:
        client.chat_update(channel="C1", ts="1600000000.000001", text="y")
    assert wrong_ts.value.response["error"] == "message_not_found"
    with pytest.raises(SlackApiError) as wrong_channel:
        client.chat_update(channel="C2", ts=posted["ts"], text="y")
    assert wrong_channel.value.response["error"] == "message_not_found"
    assert len(fake.calls_to("chat.update")) == 2


def test_post_ephemeral(fake: FakeSlack, client: WebClient) -> None:
    resp = client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert TS_RE.match(resp["message_ts"])
    assert fake.ephemeral_messages[0]["to_user"] == "U1"
    with pytest.raises(SlackApiError) as info:
        client.api_call("chat.postEphemeral", json={"channel": "C1", "text": "x"})
    assert info.value.response["error"] == "user_not_found"


# -- message metadata ------------------------------------------------------------------------------

META = {"event_type": "contact_card_posted", "event_payload": {"contact": 7, "version": 2}}


def test_post_message_stores_metadata(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="card", metadata=META)
    assert fake.message("C1", posted["ts"])["metadata"] == META  # type: ignore[index]
    form = client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "form", "metadata": json.dumps(META)}
    )
    assert fake.message("C1", form["ts"])["metadata"] == META  # type: ignore[index]
    longest = {"event_type": "e" * 255, "event_payload": {}}
    assert client.chat_postMessage(channel="C1", text="x", metadata=longest)["ok"] is True
    plain = client.chat_postMessage(channel="C1", text="no metadata")
    assert "metadata" not in fake.message("C1", plain["ts"])  # type: ignore[operator]


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param({"event_payload": {"a": 1}}, id="no-event-type"),
        pytest.param({"event_type": "", "event_payload": {}}, id="empty-event-type"),
        pytest.param({"event_type": "e" * 256, "event_payload": {}}, id="event-type-256"),
        pytest.param({"event_type": "has space", "event_payload": {}}, id="event-type-space"),
        pytest.param({"event_type": "card-posted", "event_payload": {}}, id="event-type-dash"),
        pytest.param({"event_type": 5, "event_payload": {}}, id="event-type-int"),
        pytest.param({"event_type": "card_posted"}, id="no-payload"),
        pytest.param({"event_type": "card_posted", "event_payload": [1]}, id="payload-list"),
        pytest.param({"event_type": "card_posted", "event_payload": "{}"}, id="payload-string"),
        pytest.param(["card_posted"], id="array"),
        pytest.param("{not json", id="bad-json-string"),
    ],
)
def test_invalid_metadata_is_rejected(fake: FakeSlack, client: WebClient, metadata: Any) -> None:
    with pytest.raises(SlackApiError) as info:
        client.api_call("chat.postMessage", json={"channel": "C1", "text": "x", "metadata": metadata})
    assert info.value.response["error"] == "invalid_metadata_format"
    assert fake.messages == {}


def test_form_encoded_invalid_metadata_is_rejected(fake: FakeSlack, client: WebClient) -> None:
    bad = json.dumps({"event_type": "a b", "event_payload": {}})
    with pytest.raises(SlackApiError) as info:
        client.api_call("chat.postMessage", data={"channel": "C1", "text": "x", "metadata": bad})
    assert info.value.response["error"] == "invalid_metadata_format"
    assert fake.messages == {}


def test_update_replaces_or_keeps_metadata(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="v1", metadata=META)
    client.chat_update(channel="C1", ts=posted["ts"], text="v2")
    assert fake.message("C1", posted["ts"])["metadata"] == META  # type: ignore[index]
    newer = {"event_type": "contact_card_posted", "event_payload": {"contact": 7, "version": 3}}
    client.chat_update(channel="C1", ts=posted["ts"], text="v3", metadata=newer)
    assert fake.message("C1", posted["ts"])["metadata"] == newer  # type: ignore[index]
    with pytest.raises(SlackApiError) as info:
        client.chat_update(channel="C1", ts=posted["ts"], text="v4", metadata={"event_type": "x"})
    assert info.value.response["error"] == "invalid_metadata_format"
    stored = fake.message("C1", posted["ts"])
    assert stored is not None
    assert (stored["text"], stored["metadata"]) == ("v3", newer)  # a rejected update changes nothing


# -- conversations.history -------------------------------------------------------------------------


def test_history_newest_first_with_message_fields(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C1", text="first", blocks=[section("first")], metadata=META)
    second = client.chat_postMessage(channel="C1", text="second")
    client.chat_postMessage(channel="C2", text="elsewhere")
    history = client.conversations_history(channel="C1")
    assert history["has_more"] is False
    assert "response_metadata" not in history.data  # type: ignore[operator]
    messages = history["messages"]
    assert [m["ts"] for m in messages] == [second["ts"], first["ts"]]
    newest, oldest = messages
    assert oldest["text"] == "first"
    assert oldest["blocks"] == [section("first")]
    assert {m["type"] for m in messages} == {"message"}
    assert {m["user"] for m in messages} == {"UBOT"}
    assert {m["bot_id"] for m in messages} == {"B0001"}
    assert "metadata" not in oldest  # only with include_all_metadata
    assert "channel" not in newest
    with_meta = client.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    assert with_meta[1]["metadata"] == META
    assert "metadata" not in with_meta[0]


def test_history_unknown_channel_dms_and_deletes(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as unknown:
        client.conversations_history(channel="C404")
    assert unknown.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as missing:
        client.api_call("conversations.history", http_verb="GET", params={})
    assert missing.value.response["error"] == "channel_not_found"

    assert client.conversations_history(channel="D77")["messages"] == []  # a DM always exists
    fake.set_user("UGONE", exists=False)
    with pytest.raises(SlackApiError) as gone:
        client.conversations_history(channel="DGONE")
    assert gone.value.response["error"] == "channel_not_found"

    dm = client.chat_postMessage(channel="U42", text="to a user")
    assert [m["text"] for m in client.conversations_history(channel="D42")["messages"]] == ["to a user"]

    posted = client.chat_postMessage(channel="C9", text="short-lived")
    client.chat_delete(channel="C9", ts=posted["ts"])
    assert client.conversations_history(channel="C9")["messages"] == []  # still a known channel
    client.chat_delete(channel="D42", ts=dm["ts"])
    assert client.conversations_history(channel="D42")["messages"] == []


def test_history_shows_updates_and_hides_thread_replies(client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C1", text="parent")
    client.chat_postMessage(channel="C1", text="reply", thread_ts=parent["ts"])
    broadcast = client.chat_postMessage(
        channel="C1", text="broadcast", thread_ts=parent["ts"], reply_broadcast=True
    )
    client.chat_update(channel="C1", ts=parent["ts"], text="parent (edited)")
    messages = client.conversations_history(channel="C1")["messages"]
    assert [m["text"] for m in messages] == ["broadcast", "parent (edited)"]
    assert messages[0]["ts"] == broadcast["ts"]
    assert messages[0]["subtype"] == "thread_broadcast"
    assert "edited" in messages[1]


def test_history_oldest_latest_and_inclusive(client: WebClient) -> None:
    ts = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(5)]

    def texts(**kwargs: Any) -> list[str]:
        return [m["text"] for m in client.conversations_history(channel="C1", **kwargs)["messages"]]

    assert texts() == ["4", "3", "2", "1", "0"]
    assert texts(oldest=ts[1]) == ["4", "3", "2"]
    assert texts(latest=ts[3]) == ["2", "1", "0"]
    assert texts(oldest=ts[1], latest=ts[3]) == ["2"]
    assert texts(oldest=ts[1], latest=ts[3], inclusive=True) == ["3", "2", "1"]
    assert texts(oldest="0", latest="9999999999") == ["4", "3", "2", "1", "0"]
    assert texts(oldest=ts[4]) == []
    for key in ("oldest", "latest"):
        with pytest.raises(SlackApiError) as info:
            client.conversations_history(channel="C1", **{key: "yesterday"})
        assert info.value.response["error"] == f"invalid_ts_{key}"


def test_history_limit_and_cursor_paging(fake: FakeSlack, client: WebClient) -> None:
    ts = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(5)]
    first = client.conversations_history(channel="C1", limit=2)
    assert [m["text"] for m in first["messages"]] == ["4", "3"]
    assert first["has_more"] is True
    cursor = first["response_metadata"]["next_cursor"]
    client.chat_postMessage(channel="C1", text="newer")  # does not shift the pages
    second = client.conversations_history(channel="C1", limit=2, cursor=cursor)
    assert [m["text"] for m in second["messages"]] == ["2", "1"]
    last = client.conversations_history(
        channel="C1", limit=2, cursor=second["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in last["messages"]] == ["0"]
    assert last["has_more"] is False
    bounded = client.conversations_history(channel="C1", limit=1, oldest=ts[2])
    assert [m["text"] for m in bounded["messages"]] == ["newer"]
    assert bounded["has_more"] is True
    with pytest.raises(SlackApiError) as info:
        client.conversations_history(channel="C1", cursor="not-a-cursor")
    assert info.value.response["error"] == "invalid_cursor"

    # slack_sdk's iteration follows next_cursor (it reuses one response object: read it per page)
    sizes = [len(page["messages"]) for page in client.conversations_history(channel="C1", limit=4)]
    assert sizes == [4, 2]


def test_history_limit_default_and_maximum(fake: FakeSlack, client: WebClient) -> None:
    with fake._lock:  # seed directly: 1,200 HTTP posts would be slow
        for i in range(1200):
            ts = f"1600000000.{i:06d}"
            fake.messages[("C1", ts)] = {"type": "message", "text": str(i), "ts": ts, "channel": "C1"}
    default = client.conversations_history(channel="C1")
    assert len(default["messages"]) == 100
    assert default["messages"][0]["text"] == "1199"
    assert default["has_more"] is True
    capped = client.conversations_history(channel="C1", limit=5000)
    assert len(capped["messages"]) == 999
    assert capped["messages"][-1]["text"] == "201"


# -- Block Kit validation --------------------------------------------------------------------------


def test_51_blocks_in_a_message_is_invalid_blocks(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="ok", blocks=[section(str(i)) for i in range(50)])
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="too many", blocks=[section(str(i)) for i in range(51)])
    assert info.value.response["error"] == "invalid_blocks"
    assert any("50" in error for error in info.value.response["errors"])
    assert len(fake.messages) == 1
    assert fake.calls_to("chat.postMessage")[1].response["error"] == "invalid_blocks"


def test_too_much_block_text_is_msg_blocks_too_long(client: WebClient) -> None:
    blocks = [section("y" * 2900) for _ in range(5)]  # each valid, 14,500 characters together
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="long", blocks=blocks)
    assert info.value.response["error"] == "msg_blocks_too_long"


def test_invalid_blocks_in_chat_update_are_rejected(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="x")
    with pytest.raises(SlackApiError) as info:
        client.chat_update(
            channel="C1", ts=posted["ts"], text="x", blocks=[{"type": "header", "text": "bare"}]
        )
    assert info.value.response["error"] == "invalid_blocks"


def test_modal_title_of_25_chars_is_rejected(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id="111.222.aaa", view=modal("x" * 25))
    assert info.value.response["error"] == "invalid_arguments"
    messages = info.value.response["response_metadata"]["messages"]
    assert any("/view/title" in m and "24" in m for m in messages)

    opened = client.views_open(trigger_id="111.222.bbb", view=modal("x" * 24, callback_id="settings"))
    view = opened["view"]
    assert view["id"].startswith("V")
    assert view["callback_id"] == "settings"
    assert view["state"] == {"values": {}}
    assert fake.views[view["id"]]["title"]["text"] == "x" * 24


def test_modal_with_input_needs_submit(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id="1.2.3", view=modal(blocks=[text_input_block()]))
    assert any("submit" in m for m in info.value.response["response_metadata"]["messages"])
    ok = client.views_open(
        trigger_id="1.2.4",
        view=modal(blocks=[text_input_block()], submit={"type": "plain_text", "text": "Save"}),
    )
    assert ok["ok"] is True


def test_trigger_id_is_single_use_and_expires(client: WebClient) -> None:
    client.views_open(trigger_id="9.9.9", view=modal())
    with pytest.raises(SlackApiError) as reused:
        client.views_open(trigger_id="9.9.9", view=modal())
    assert reused.value.response["error"] == "exchanged_trigger_id"

    fake_short = FakeSlack(trigger_ttl=0.05)
    with fake_short:
        short_client = WebClient(token=TOKEN, base_url=fake_short.api_url)
        trigger = fake_short.trigger_id()
        time.sleep(0.1)
        with pytest.raises(SlackApiError) as expired:
            short_client.views_open(trigger_id=trigger, view=modal())
        assert expired.value.response["error"] == "expired_trigger_id"
        assert short_client.views_open(trigger_id=fake_short.trigger_id(), view=modal())["ok"] is True


def test_views_update_and_push(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id="t1", view=modal(external_id="ext-1"))["view"]
    updated = client.views_update(view_id=opened["id"], view=modal("Updated"), hash=opened["hash"])
    assert updated["view"]["id"] == opened["id"]
    assert updated["view"]["title"]["text"] == "Updated"
    with pytest.raises(SlackApiError) as stale:
        client.views_update(view_id=opened["id"], view=modal(), hash=opened["hash"])
    assert stale.value.response["error"] == "hash_conflict"
    with pytest.raises(SlackApiError) as missing:
        client.views_update(external_id="nope", view=modal())
    assert missing.value.response["error"] == "not_found"
    pushed = client.views_push(trigger_id="t2", view=modal("Second"))
    assert pushed["view"]["id"] != opened["id"]
    assert len(fake.views) == 2


def test_views_publish_requires_home(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as info:
        client.views_publish(user_id="U1", view=modal())
    assert info.value.response["error"] == "invalid_arguments"
    home = {"type": "home", "blocks": [section(f"row {i}") for i in range(100)]}
    first = client.views_publish(user_id="U1", view=home)
    again = client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("x")]})
    assert first["view"]["id"] == again["view"]["id"]
    assert fake.home_view("U1")["blocks"] == [section("x")]  # type: ignore[index]
    with pytest.raises(SlackApiError):
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("r")] * 101})


def test_validator_accepts_a_rich_valid_view() -> None:
    option = {"text": {"type": "plain_text", "text": "One"}, "value": "1"}
    view = modal(
        blocks=[
            {"type": "header", "text": {"type": "plain_text", "text": "Header"}},
            {"type": "divider"},
            section(
                "pick",
                block_id="s1",
                accessory={"type": "static_select", "action_id": "sel", "options": [option]},
            ),
            {
                "type": "actions",
                "block_id": "a1",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "b",
                        "text": {"type": "plain_text", "text": "Go"},
                        "value": "v",
                    },
                    {"type": "datepicker", "action_id": "d", "initial_date": "2024-02-29"},
                    {"type": "timepicker", "action_id": "t", "initial_time": "09:30"},
                    {"type": "overflow", "action_id": "o", "options": [option]},
                    {"type": "users_select", "action_id": "u"},
                    {"type": "conversations_select", "action_id": "c"},
                ],
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "ctx"}]},
            text_input_block("i1", max_length=3000, placeholder={"type": "plain_text", "text": "type"}),
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "n"},
                "element": {"type": "number_input", "is_decimal_allowed": False},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "r"},
                "element": {"type": "radio_buttons", "options": [option]},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "m"},
                "element": {"type": "multi_static_select", "options": [option]},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "e"},
                "element": {"type": "email_text_input"},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "dt"},
                "element": {"type": "datetimepicker"},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "cb"},
                "element": {"type": "checkboxes", "options": [option]},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "url"},
                "element": {"type": "url_text_input"},
            },
        ],
        submit={"type": "plain_text", "text": "Save"},
        close={"type": "plain_text", "text": "Cancel"},
        private_metadata="x" * 3000,
    )
    assert validate_view(view) == []


def _with(block: dict[str, Any], **changes: Any) -> list[dict[str, Any]]:
    return [{**block, **changes}]


BUTTON = {"type": "button", "action_id": "b", "text": {"type": "plain_text", "text": "Go"}}


@pytest.mark.parametrize(
    ("blocks", "fragment"),
    [
        pytest.param(
            _with(section("x"), text={"type": "mrkdwn", "text": "a" * 3001}), "3000", id="section-text"
        ),
        pytest.param(
            _with(section("x"), fields=[{"type": "mrkdwn", "text": "f"}] * 11),
            "at most 10",
            id="fields-count",
        ),
        pytest.param(
            _with(section("x"), fields=[{"type": "mrkdwn", "text": "f" * 2001}]), "2000", id="field-length"
        ),
        pytest.param(
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "150", id="header-length"
        ),
        pytest.param(
            [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "plain_text", id="header-mrkdwn"
        ),
        pytest.param([{"type": "header", "text": "bare"}], "text object", id="bare-string"),
        pytest.param([section("")], "empty", id="empty-text"),
        pytest.param(
            [{"type": "section", "text": {"type": "markdown", "text": "x"}}], "type", id="bad-text-type"
        ),
        pytest.param([{"type": "carousel"}], "unknown block type", id="unknown-block"),
        pytest.param(
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "at most 10",
            id="context",
        ),
        pytest.param(
            [{"type": "actions", "elements": [{**BUTTON, "action_id": f"b{i}"} for i in range(26)]}],
            "at most 25",
            id="actions-count",
        ),
        pytest.param(
            [{"type": "actions", "elements": [BUTTON, BUTTON]}], "duplicate action_id", id="dup-action-id"
        ),
        pytest.param(
            [section("a", block_id="x"), section("b", block_id="x")], "duplicate block_id", id="dup-block"
        ),
        pytest.param([section("a", block_id="x" * 256)], "255", id="block-id-length"),
        pytest.param(
            [{"type": "actions", "elements": [{**BUTTON, "text": {"type": "plain_text", "text": "t" * 76}}]}],
            "75",
            id="button-text",
        ),
        pytest.param(
            [{"type": "actions", "elements": [{**BUTTON, "value": "v" * 2001}]}], "2000", id="button-value"
        ),
        pytest.param(
            [{"type": "actions", "elements": [{**BUTTON, "url": "https://x/" + "u" * 3000}]}],
            "3000",
            id="button-url",
        ),
        pytest.param(
            [{"type": "actions", "elements": [{**BUTTON, "action_id": "a" * 256}]}],
            "255",
            id="action-id-length",
        ),
        pytest.param(
            [
                section(
                    "s",
                    accessory={
                        "type": "static_select",
                        "options": [
                            {"text": {"type": "plain_text", "text": "o"}, "value": str(i)} for i in range(101)
                        ],
                    },
                )
            ],
            "at most 100",
            id="select-options",
        ),
        pytest.param(
            [
                section(
                    "s",
                    accessory={
                        "type": "static_select",
                        "options": [{"text": {"type": "plain_text", "text": "o" * 76}, "value": "v" * 151}],
                    },
                )
            ],
            "150",
            id="option-lengths",
        ),
        pytest.param(
            [
                {
                    "type": "input",
                    "label": {"type": "plain_text", "text": "l"},
                    "element": {"type": "plain_text_input", "max_length": 3001},
                }
            ],
            "max_length",
            id="input-max-length",
        ),
        pytest.param(
            [
                {
                    "type": "input",
                    "label": {"type": "plain_text", "text": "l"},
                    "element": {
                        "type": "plain_text_input",
                        "placeholder": {"type": "plain_text", "text": "p" * 151},
                    },
                }
            ],
            "150",
            id="placeholder",
        ),
        pytest.param(
            [{"type": "input", "label": {"type": "plain_text", "text": "l"}, "element": BUTTON}],
            "not allowed",
            id="button-in-input",
        ),
        pytest.param(
            [
                {
                    "type": "actions",
                    "elements": [{"type": "datepicker", "action_id": "d", "initial_date": "2024-02-30"}],
                }
            ],
            "YYYY-MM-DD",
            id="bad-date",
        ),
    ],
)
def test_validator_rejects(blocks: list[dict[str, Any]], fragment: str) -> None:
    errors = validate_message_blocks(blocks, text="fallback")
    assert errors, "expected a validation error"
    assert any(fragment in error for error in errors), errors


def test_validator_message_counts_and_view_limits() -> None:
    assert validate_message_blocks([section("x")] * 50, text="t") == []
    assert validate_message_blocks(None, text="only text") == []
    assert validate_message_blocks(None) != []
    too_long = validate_message_blocks([section("z" * 2800) for _ in range(5)])
    assert too_long and too_long[0].startswith("msg_blocks_too_long")
    assert validate_view(modal(blocks=[section(str(i)) for i in range(100)])) == []
    assert validate_view(modal(blocks=[section(str(i)) for i in range(101)])) != []
    assert validate_view(modal(title="")) != []
    assert validate_view(modal(private_metadata="m" * 3001)) != []
    assert validate_view(modal(submit={"type": "plain_text", "text": "s" * 25})) != []
    assert validate_view(modal(callback_id="c" * 256)) != []
    assert validate_view({"type": "home", "blocks": [section("h")]}) == []
    assert validate_view(
        {"type": "home", "blocks": [{"type": "file", "external_id": "x", "source": "remote"}]}
    )


# -- users.info ------------------------------------------------------------------------------------


def test_users_info_timezones(fake: FakeSlack, client: WebClient) -> None:
    fake.set_user("UTOKYO", tz="Asia/Tokyo", real_name="Aiko")
    tokyo = client.users_info(user="UTOKYO")["user"]
    assert tokyo["id"] == "UTOKYO"
    assert tokyo["team_id"] == "T0001"
    assert tokyo["real_name"] == "Aiko"
    assert tokyo["tz"] == "Asia/Tokyo"
    assert tokyo["tz_offset"] == 9 * 3600  # Japan has no DST

    fake.default_tz = "UTC"
    assert client.users_info(user="UOTHER")["user"]["tz"] == "UTC"
    assert client.users_info(user="UOTHER")["user"]["tz_offset"] == 0


def test_users_info_unknown_and_deleted(fake: FakeSlack, client: WebClient) -> None:
    fake.set_user("UGONE", exists=False)
    with pytest.raises(SlackApiError) as info:
        client.users_info(user="UGONE")
    assert info.value.response["error"] == "user_not_found"
    with pytest.raises(SlackApiError) as dm:
        client.chat_postMessage(channel="UGONE", text="hi")
    assert dm.value.response["error"] == "channel_not_found"

    fake.set_user("UOLD", deleted=True)
    old = client.users_info(user="UOLD")["user"]
    assert old["deleted"] is True
    assert "tz" not in old
    with pytest.raises(SlackApiError) as opened:
        client.conversations_open(users="UOLD")
    assert opened.value.response["error"] == "user_disabled"


# -- failure injection and rate limits -------------------------------------------------------------


def test_429_is_retried_by_rate_limit_handler(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    client = WebClient(
        token=TOKEN, base_url=fake.api_url, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)]
    )
    resp = client.chat_postMessage(channel="C1", text="eventually")
    assert resp["ok"] is True
    calls = fake.calls_to("chat.postMessage")
    assert [(c.status, c.injected) for c in calls] == [(429, True), (200, False)]
    assert calls[1].at - calls[0].at >= 1.0  # the client honoured Retry-After


def test_429_without_retry_handler_raises_with_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as info:
        client.users_info(user="U1")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "7"
    assert info.value.response["error"] == "ratelimited"
    assert client.users_info(user="U1")["ok"] is True  # only the next call fails


def test_500_injection(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=500)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="boom")
    assert info.value.response.status_code == 500
    assert fake.calls_to("chat.postMessage")[0].injected is True

    fake.fail_next("chat.postMessage", status=503, times=1)
    retrying = WebClient(token=TOKEN, base_url=fake.api_url, retry_handlers=[ServerErrorRetryHandler()])
    assert retrying.chat_postMessage(channel="C1", text="retried")["ok"] is True
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [500, 503, 200]


def test_error_injection_with_times(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("conversations.open", error="cannot_dm_bot", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            client.conversations_open(users="U1")
        assert info.value.response.status_code == 200
        assert info.value.response["error"] == "cannot_dm_bot"
    assert client.conversations_open(users="U1")["channel"]["id"] == "D1"
    assert [c.injected for c in fake.calls_to("conversations.open")] == [True, True, False]


def test_enforced_rate_limits_per_channel(fake: FakeSlack, client: WebClient) -> None:
    fake.enforce_rate_limits(per_channel_per_second=1.0, burst=2)
    client.chat_postMessage(channel="C1", text="1")
    client.chat_postMessage(channel="C1", text="2")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C1", text="3")
    assert info.value.response.status_code == 429
    assert int(info.value.response.headers["Retry-After"]) >= 1
    assert client.chat_postMessage(channel="C2", text="other channel")["ok"] is True
    fake.disable_rate_limits()
    assert client.chat_postMessage(channel="C1", text="4")["ok"] is True


def test_rate_limit_user_id_and_its_dm_share_a_bucket(fake: FakeSlack, client: WebClient) -> None:
    fake.enforce_rate_limits(per_channel_per_second=0.1, burst=2)
    assert client.chat_postMessage(channel="U42", text="1")["channel"] == "D42"
    client.chat_postMessage(channel="D42", text="2")
    for channel in ("U42", "D42"):
        with pytest.raises(SlackApiError) as info:
            client.chat_postMessage(channel=channel, text="3")
        assert info.value.response.status_code == 429
    assert client.chat_postMessage(channel="U43", text="another user")["ok"] is True
    assert len(fake.messages_in("D42")) == 2


def test_enforced_workspace_limit(fake: FakeSlack, client: WebClient) -> None:
    fake.enforce_rate_limits(per_channel_per_second=10, burst=10, workspace_per_minute=60, workspace_burst=3)
    for i in range(3):
        client.chat_postMessage(channel=f"C{i}", text="x")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="C9", text="x")
    assert info.value.response.status_code == 429


# -- dropped responses ----------------------------------------------------------------------------


def test_dropped_response_raises_promptly_but_message_is_posted(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.api_url, timeout=2, retry_handlers=[])
    fake.drop_response_next("chat.postMessage")
    start = time.monotonic()
    with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)) as info:
        client.chat_postMessage(channel="U42", text="lost answer", metadata=META)
    assert time.monotonic() - start < 1.0  # a disconnect, not the 2 s timeout
    assert not isinstance(info.value, TimeoutError)

    history = client.conversations_history(channel="D42", include_all_metadata=True)["messages"]
    assert [(m["text"], m["metadata"]) for m in history] == [("lost answer", META)]
    call = fake.calls_to("chat.postMessage")[0]
    assert call.dropped is True
    assert call.response["ok"] is True
    assert "[dropped]" in fake.describe_calls()

    again = client.chat_postMessage(channel="U42", text="answered")  # only the next call is dropped
    assert again["ok"] is True
    assert fake.calls_to("chat.postMessage")[1].dropped is False


def test_drop_response_times_and_other_methods(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.api_url, timeout=2, retry_handlers=[])
    posted = client.chat_postMessage(channel="C1", text="v1")
    fake.drop_response_next("chat.update", times=2)
    for text in ("v2", "v3"):
        with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
            client.chat_update(channel="C1", ts=posted["ts"], text=text)
    assert fake.message("C1", posted["ts"])["text"] == "v3"  # type: ignore[index]
    assert client.chat_update(channel="C1", ts=posted["ts"], text="v4")["ok"] is True
    assert [c.dropped for c in fake.calls_to("chat.update")] == [True, True, False]

    fake.drop_response_next("response_url")
    with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
        urllib.request.urlopen(
            urllib.request.Request(
                fake.response_url("r9"),
                data=json.dumps({"text": "hi"}).encode(),
                headers={"Content-Type": "application/json"},
            ),
            timeout=2,
        )
    assert fake.calls_to("response_url:r9")[0].dropped is True

    fake.drop_response_next("auth.test")
    fake.reset()  # forgets queued drops
    assert client.auth_test()["ok"] is True


def test_default_connection_retry_posts_a_dropped_message_twice(fake: FakeSlack) -> None:
    # slack_sdk's default retry handler retries on a disconnect, so a lost answer means a duplicate.
    retry = ConnectionErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.0))
    client = WebClient(token=TOKEN, base_url=fake.api_url, timeout=2, retry_handlers=[retry])
    fake.drop_response_next("chat.postMessage")
    assert client.chat_postMessage(channel="C1", text="once?")["ok"] is True
    assert [m["text"] for m in client.conversations_history(channel="C1")["messages"]] == ["once?"] * 2


def test_a_held_post_times_out_then_lands_late(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.api_url, timeout=0.3, retry_handlers=[])
    fake.delay_response_next("chat.postMessage", 0.8)
    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel="U42", text="late", metadata=META)
    # The client gave up; Slack has not carried the post out yet.
    assert client.conversations_history(channel="D42")["messages"] == []
    assert fake.calls_to("chat.postMessage") == []
    fake.wait_idle(timeout=5)
    [call] = fake.calls_to("chat.postMessage")
    assert call.delayed == pytest.approx(0.8) and call.response["ok"] is True
    assert "[held 0.8s]" in fake.describe_calls()
    assert [m["text"] for m in client.conversations_history(channel="D42")["messages"]] == ["late"]
    # Only the next call was held.
    start = time.monotonic()
    assert client.chat_postMessage(channel="U42", text="now")["ok"] is True
    assert time.monotonic() - start < 0.3


def test_a_short_hold_is_answered(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.api_url, timeout=5, retry_handlers=[])
    fake.delay_response_next("auth.test", 0.2, times=2)
    for _ in range(2):
        start = time.monotonic()
        assert client.auth_test()["ok"] is True
        assert time.monotonic() - start >= 0.2
    fake.delay_response_next("auth.test", 5)
    fake.reset()  # forgets queued holds
    assert client.auth_test()["ok"] is True
    with pytest.raises(ValueError):
        fake.delay_response_next("auth.test", 1, times=0)


# -- response_url, files, wait_for -----------------------------------------------------------------


def test_response_url_is_recorded_and_validated(fake: FakeSlack) -> None:
    webhook = WebhookClient(fake.response_url("r1"))
    resp = webhook.send(text="done", blocks=[section("done")], replace_original=True)
    assert resp.status_code == 200
    assert json.loads(resp.body) == {"ok": True}
    call = fake.wait_for("response_url:r1")[0]
    assert call.args["replace_original"] is True
    assert call.args["blocks"] == [section("done")]

    bad = webhook.send(text="bad", blocks=[section(str(i)) for i in range(51)])
    assert json.loads(bad.body)["error"] == "invalid_blocks"


def test_files_upload_v2_round_trip(fake: FakeSlack, client: WebClient) -> None:
    resp = client.files_upload_v2(
        content=b"col1,col2\n1,2\n", filename="report.csv", channel="C1", title="Report"
    )
    file_id = resp["file"]["id"]
    assert fake.uploads[file_id] == b"col1,col2\n1,2\n"
    assert resp["file"]["title"] == "Report"
    assert fake.files[file_id]["channels"] == ["C1"]
    with pytest.raises(SlackApiError) as info:
        client.files_completeUploadExternal(files=[{"id": "FNOPE", "title": "x"}])
    assert info.value.response["error"] == "file_not_found"


def test_wait_for_returns_when_call_arrives(fake: FakeSlack, client: WebClient) -> None:
    def later() -> None:
        time.sleep(0.2)
        client.chat_postMessage(channel="C1", text="late")

    thread = threading.Thread(target=later)
    start = time.monotonic()
    thread.start()
    calls = fake.wait_for("chat.postMessage", timeout=5)
    thread.join()
    assert calls[0].args["text"] == "late"
    assert 0.15 <= time.monotonic() - start < 5


def test_wait_for_times_out_with_listing(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    with pytest.raises(AssertionError) as info:
        fake.wait_for("views.open", count=1, timeout=0.1)
    message = str(info.value)
    assert "views.open" in message
    assert "auth.test" in message


def test_reset_restores_the_initial_state(fake: FakeSlack, client: WebClient) -> None:
    fake.set_user("UTZ", tz="Asia/Tokyo")
    fake.set_user("UGONE", exists=False)
    fake.default_tz = "UTC"
    fake.enforce_rate_limits(per_channel_per_second=0.01, burst=1)
    posted = client.chat_postMessage(channel="C1", text="x")
    client.views_open(trigger_id="used", view=modal())
    fake.fail_next("auth.test", error="fatal_error")
    fake.reset()
    assert fake.calls == []
    assert fake.message("C1", posted["ts"]) is None
    assert fake.views == {}
    assert client.auth_test()["ok"] is True
    assert client.users_info(user="UTZ")["user"]["tz"] == "America/New_York"
    assert client.users_info(user="UGONE")["ok"] is True
    assert client.views_open(trigger_id="used", view=modal())["ok"] is True
    again = [client.chat_postMessage(channel="C1", text="y")["ts"] for _ in range(2)]  # no rate limit left
    assert float(again[0]) > float(posted["ts"])


# The package itself ----------------------------------------------------------------------------------


def test_the_package_imports_nothing_of_the_app() -> None:
    """bot.fakeslack ships with the app but stands alone: the standard library and slack_sdk only."""
    code = "import sys, bot.fakeslack\nprint('\\n'.join(sorted(name for name in sys.modules)))\n"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    names = loaded.stdout.split()
    ours = [n for n in names if n.split(".")[0] in ("bot", "handlers", "storage")]
    assert ours and all(n == "bot" or n.startswith("bot.fakeslack") for n in ours), ours
    assert not [n for n in names if n.split(".")[0] in ("slack_bolt", "sqlalchemy", "waitress")]


def test_every_module_of_the_package_stays_small() -> None:
    package = Path(bot.fakeslack.__file__).parent
    sizes = {path.name: len(path.read_text().splitlines()) for path in package.glob("*.py")}
    assert len(sizes) > 3 and max(sizes.values()) <= 400, sizes
