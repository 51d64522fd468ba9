"""``messages.recall``, ``conversations.delete`` and ``messages.history_file`` on the wire."""

from __future__ import annotations

import pytest

from agora_chat_async import (
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
)
from agora_chat_async.models.message_admin import RecallResult

RECALLED = {
    "path": "/messages/msg_recall",
    "action": "post",
    "data": {
        "recalled": "yes",
        "chattype": "chat",
        "from": "admin",
        "to": "bob",
        "msg_id": "1028442084794698104",
    },
}


async def test_recall_sends_the_required_fields_and_decodes_the_result(client, mock, wire) -> None:
    mock.post(wire.url("/messages/msg_recall"), payload=RECALLED)

    result = await client.messages.recall("1028442084794698104", to="bob", chat_type="chat")

    wire.only(
        "POST",
        "/messages/msg_recall",
        body={"msg_id": "1028442084794698104", "to": "bob", "chat_type": "chat"},
    )
    assert result == RecallResult(
        msg_id="1028442084794698104", recalled="yes", chat_type="chat", from_="admin", to="bob"
    )
    assert result.ok


async def test_recall_sends_the_optional_fields_only_when_given(client, mock, wire) -> None:
    mock.post(wire.url("/messages/msg_recall"), payload=RECALLED)

    await client.messages.recall(
        "42", to="g1", chat_type="groupchat", from_="alice", force=True, sync_device=False
    )

    wire.only(
        "POST",
        "/messages/msg_recall",
        body={
            "msg_id": "42",
            "to": "g1",
            "chat_type": "groupchat",
            "from": "alice",
            "force": True,
            "sync_device": False,
        },
    )


async def test_recall_reads_the_per_message_form_too(client, mock, wire) -> None:
    body = {"msgs": [{"msg_id": "673296835082717140", "recalled": "not_found msg"}]}
    mock.post(wire.url("/messages/msg_recall"), payload=body)

    result = await client.messages.recall("673296835082717140", to="bob", chat_type="chat")

    assert (result.msg_id, result.recalled, result.ok) == (
        "673296835082717140",
        "not_found msg",
        False,
    )


async def test_recall_is_never_repeated(client, mock, wire) -> None:
    # A second recall of a recalled message fails: the request is not safe to repeat.
    fast = client.with_options(retry=RetryPolicy(max_retries=2, backoff_base=0, backoff_max=0))
    mock.post(wire.url("/messages/msg_recall"), status=503)
    with pytest.raises(ServerError):
        await fast.messages.recall("42", to="bob", chat_type="chat")
    assert wire.sent() == {("POST", wire.url("/messages/msg_recall")): 1}


async def test_recall_errors_are_typed(client, mock, wire) -> None:
    late = {"error": "message_recall_error", "error_description": "exceed recall time limit"}
    empty = {"error": "message_recall_error", "error_description": "can't find msg to"}
    mock.post(wire.url("/messages/msg_recall"), status=403, payload=late)
    mock.post(wire.url("/messages/msg_recall"), status=400, payload=empty)

    with pytest.raises(PermissionDeniedError) as denied:
        await client.messages.recall("42", to="bob", chat_type="chat")
    assert (denied.value.status, denied.value.error, denied.value.description) == (
        403,
        "message_recall_error",
        "exceed recall time limit",
    )
    with pytest.raises(BadRequestError) as bad:
        await client.messages.recall("42", to="carol", chat_type="chat")
    assert bad.value.description == "can't find msg to"
    assert bad.value.endpoint == "messages.recall"


async def test_conversation_delete_sends_a_json_body_on_delete(client, mock, wire) -> None:
    body = {"path": "/users/user_channel", "entities": [], "data": {"result": "ok"}}
    mock.delete(wire.url("/users/alice/user_channel"), payload=body)

    done = await client.conversations.delete("alice", channel="bob", type="chat", delete_roam=True)

    wire.only(
        "DELETE",
        "/users/alice/user_channel",
        body={"channel": "bob", "type": "chat", "delete_roam": True},
    )
    assert done is True


async def test_conversation_delete_reports_a_result_other_than_ok(client, mock, wire) -> None:
    mock.delete(wire.url("/users/alice/user_channel"), payload={"data": {"result": "fail"}})
    assert (
        await client.conversations.delete(
            "alice", channel="g1", type="groupchat", delete_roam=False
        )
        is False
    )
    wire.only(
        "DELETE",
        "/users/alice/user_channel",
        body={"channel": "g1", "type": "groupchat", "delete_roam": False},
    )


async def test_conversation_delete_error(client, mock, wire) -> None:
    refused = {"error": "illegal_argument", "error_description": "field channel cannot be null"}
    mock.delete(wire.url("/users/alice/user_channel"), status=400, payload=refused)
    with pytest.raises(BadRequestError) as bad:
        await client.conversations.delete("alice", channel="bob", type="chat", delete_roam=True)
    assert (bad.value.status, bad.value.error) == (400, "illegal_argument")


async def test_history_file_returns_the_download_url(client, mock, wire) -> None:
    url = "http://files.test/h.gz?Expires=1543316122&Signature=abc"
    mock.get(
        wire.url("/chatmessages/2018112717"), payload={"action": "get", "data": [{"url": url}]}
    )

    assert await client.messages.history_file("2018112717") == url

    wire.only("GET", "/chatmessages/2018112717")


async def test_history_file_errors(client, mock, wire) -> None:
    missing = {
        "error": "storage_object_not_found",
        "error_description": "Failed to find chat message history download url for appkey: "
        "org#app, time: 2018112717",
    }
    mock.get(wire.url("/chatmessages/2018112717"), status=404, payload=missing)
    mock.get(wire.url("/chatmessages/2018112718"), payload={"data": [{"link": 1}]})
    mock.get(wire.url("/chatmessages/2018112719"), payload={"data": []})

    with pytest.raises(NotFoundError) as absent:
        await client.messages.history_file("2018112717")
    assert absent.value.error == "storage_object_not_found"
    assert absent.value.description == missing["error_description"]
    with pytest.raises(ResponseValidationError):
        await client.messages.history_file("2018112718")
    with pytest.raises(ResponseValidationError):
        await client.messages.history_file("2018112719")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.messages.recall("", to="bob", chat_type="chat"), "msg_id"),
        (lambda c: c.messages.recall("42", to="", chat_type="chat"), "'to'"),
        (lambda c: c.messages.recall("42", to="bob", chat_type="users"), "chat_type"),
        (lambda c: c.messages.recall("42", to="bob", chat_type="chat", from_=""), "from_"),
        (
            lambda c: c.conversations.delete("", channel="b", type="chat", delete_roam=True),
            "username",
        ),
        (
            lambda c: c.conversations.delete("a", channel="", type="chat", delete_roam=True),
            "channel",
        ),
        (
            lambda c: c.conversations.delete("a", channel="b", type="chatroom", delete_roam=True),
            "type",
        ),
        (lambda c: c.messages.history_file("2018112724"), "YYYYMMDDHH"),
        (lambda c: c.messages.history_file("201811271"), "YYYYMMDDHH"),
        (lambda c: c.messages.history_file("2018-11-27"), "YYYYMMDDHH"),
        (lambda c: c.messages.history_file("20181131 7"), "YYYYMMDDHH"),
        (lambda c: c.messages.history_file(2018112717), "YYYYMMDDHH"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(client, mock, call, message) -> None:
    with pytest.raises(ValueError, match=message):
        await call(client)
    assert mock.requests == {}
