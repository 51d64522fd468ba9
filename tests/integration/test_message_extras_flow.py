"""Directed group messages, rewrite and import against the emulator.

The emulator runs on a clock the tests move, so that a message can land in an hour
whose history file is ready (tokens are checked against it for expiry only).
"""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from agora_chat_async import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from tests.integration._helpers import HOUR, agora_error

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer


@pytest.fixture
async def client(emulator: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    async with emulator.client(rate_limits=False) as c:
        yield c


async def _history(client: AgoraChatClient, hour: str) -> list[dict[str, Any]]:
    """The records of an hour's history file."""
    link = await client.messages.history_file(hour)
    async with aiohttp.ClientSession() as session, session.get(link) as response:
        assert response.status == 200
        data = await response.read()
    return [json.loads(line) for line in gzip.decompress(data).splitlines()]


async def _group(client: AgoraChatClient, *members: str) -> str:
    await client.users.register_many([{"username": n} for n in ("alice", *members)])
    return await client.groups.create(name="g", owner="alice", members=list(members))


async def _text(client: AgoraChatClient, to: str = "bob", msg: str = "hi") -> str:
    ids = await client.messages.send("users", to=[to], type="txt", body={"msg": msg})
    return ids[to]


# -- messages.send_to_group_members ------------------------------------------------------


async def test_only_the_listed_members_receive_a_directed_message(client) -> None:
    group = await _group(client, "bob", "carol")
    await client.users.register("dave")  # not a member

    msg_id = await client.messages.send_to_group_members(
        group, users=["BOB", "dave"], type="txt", body={"msg": "psst"}, from_="alice"
    )

    counts = [await client.users.offline_message_count(n) for n in ("bob", "carol", "dave")]
    assert counts == [1, 0, 0]
    assert await client.users.offline_message_status("bob", msg_id) == "undelivered"
    recalled = await client.messages.recall(msg_id, to=group, chat_type="groupchat")
    assert recalled.ok
    assert await client.users.offline_message_count("bob") == 0


async def test_a_directed_message_online_only_is_not_stored(client) -> None:
    group = await _group(client, "bob")
    msg_id = await client.messages.send_to_group_members(
        group, users=["bob"], type="txt", body={"msg": "now"}, routetype="ROUTE_ONLINE"
    )
    assert msg_id.isdigit()
    assert await client.users.offline_message_count("bob") == 0


async def test_a_directed_message_is_in_the_group_history(client, clock) -> None:
    hour = clock.go_back(2)
    group = await _group(client, "bob")
    msg_id = await client.messages.send_to_group_members(
        group, users=["bob"], type="txt", body={"msg": "psst"}
    )
    clock.offset = 0
    (record,) = await _history(client, hour)
    assert (record["msg_id"], record["to"], record["from"], record["chat_type"]) == (
        msg_id,
        group,
        "admin",
        "groupchat",
    )


async def test_directed_messages_to_several_groups_get_an_id_each(raw) -> None:
    # The client sends one group; Easemob's error table takes up to 3.
    body = {"to": ["1", "2"], "users": ["bob"], "type": "txt", "body": {"msg": "x"}}
    response = await raw("POST", "/messages/chatgroups/users", json=body)
    assert response.status == 200
    assert sorted(response.body["data"]) == ["1", "2"]
    assert len(set(response.body["data"].values())) == 2


_SEND_ERROR = "message_send_error"


@pytest.mark.parametrize(
    ("change", "description"),
    [
        ({"users": []}, "param users can't be empty"),
        ({"users": None}, "param users can't be empty"),
        ({"users": [f"u{i}" for i in range(21)]}, "params users's size can't exceed limit 20"),
        ({"to": []}, "param to can't be empty"),
        ({"to": ["1", "2", "3", "4"]}, "params to's size can't exceed limit 3"),
        ({"from": ""}, "param from can't be empty"),
        ({"type": ""}, "param type can't be empty"),
        ({"body": {}}, "param body can't be empty"),
        ({"ext": "x"}, "param ext must be JSONObject"),
        ({"body": {"msg": "x" * 5200}}, "message is too large"),
    ],
)
async def test_directed_message_refusals(raw, change, description) -> None:
    body = {"to": ["1"], "users": ["bob"], "type": "txt", "body": {"msg": "x"}, **change}
    response = await raw("POST", "/messages/chatgroups/users", json=body)
    agora_error(response, 400, _SEND_ERROR, description)


# -- messages.rewrite ------------------------------------------------------------------


async def test_rewrite_changes_what_the_history_holds(client, clock) -> None:
    hour = clock.go_back(2)
    msg_id = await _text(client)
    other = await _text(client, "carol")

    assert await client.messages.rewrite(msg_id, new_msg={"type": "txt", "msg": "edited"})
    # new_ext counts for custom messages only
    assert await client.messages.rewrite(
        msg_id, new_msg={"type": "txt", "msg": "again"}, user="admin", new_ext={"k": "v"}
    )
    clock.offset = 0

    records = {r["msg_id"]: r for r in await _history(client, hour)}
    assert records[msg_id]["payload"]["bodies"] == [{"msg": "again", "type": "txt"}]
    assert records[msg_id]["payload"]["ext"] == {}
    assert records[other]["payload"]["bodies"] == [{"msg": "hi", "type": "txt"}]


async def test_rewrite_merges_or_replaces_a_custom_messages_ext(client, clock) -> None:
    hour = clock.go_back(2)
    body = {"customEvent": "gift", "customExts": {"name": "rose"}}
    ids = await client.messages.send(
        "users", to=["bob", "carol"], type="custom", body=body, ext={"a": "1", "b": "2"}
    )
    merged, replaced = ids["bob"], ids["carol"]

    await client.messages.rewrite(
        merged,
        new_msg={"type": "custom", "customEvent": "gift2", "customExts": {"name": "tulip"}},
        new_ext={"b": "3", "c": "4"},
    )
    await client.messages.rewrite(
        replaced, new_msg={"type": "custom"}, new_ext={"c": "4"}, is_combine_ext=False
    )
    clock.offset = 0

    records = {r["msg_id"]: r["payload"] for r in await _history(client, hour)}
    assert records[merged]["bodies"] == [
        {"customEvent": "gift2", "customExts": {"name": "tulip"}, "type": "custom"}
    ]
    assert records[merged]["ext"] == {"a": "1", "b": "3", "c": "4"}
    assert records[replaced]["bodies"] == [{"customExts": {}, "type": "custom"}]
    assert records[replaced]["ext"] == {"c": "4"}


async def test_rewrite_stops_after_ten_edits(client) -> None:
    msg_id = await _text(client)
    for i in range(10):
        assert await client.messages.rewrite(msg_id, new_msg={"type": "txt", "msg": str(i)})
    with pytest.raises(PermissionDeniedError) as limited:
        await client.messages.rewrite(msg_id, new_msg={"type": "txt", "msg": "11"})
    assert (limited.value.error, limited.value.exception, limited.value.description) == (
        "EditLimitExceededException",
        "EditLimitExceededException",
        "The message has reached its edit limit and cannot be modified further.",
    )


async def test_rewrite_keeps_the_type(client) -> None:
    text = await _text(client)
    image = {"url": "https://example.test/a.jpg", "filename": "a.jpg"}
    ids = await client.messages.send("users", to=["bob"], type="img", body=image)
    unsupported = (
        "UnsupportedMessageTypeException",
        "The message is of a type that is currently not supported for modification.",
    )
    for msg_id, new_msg in (
        (ids["bob"], {"type": "txt", "msg": "x"}),
        (text, {"type": "custom", "customEvent": "e"}),
    ):
        with pytest.raises(BadRequestError) as refused:
            await client.messages.rewrite(msg_id, new_msg=new_msg)
        assert (refused.value.error, refused.value.description) == unsupported


async def test_rewrite_of_messages_that_are_gone_or_foreign(client) -> None:
    recalled = await _text(client)
    await client.messages.recall(recalled, to="bob", chat_type="chat")
    with pytest.raises(NotFoundError) as gone:
        await client.messages.rewrite(recalled, new_msg={"type": "txt", "msg": "x"})
    assert (gone.value.error, gone.value.description) == (
        "MessageUnavailableException",
        "The message is unavailable or has expired.",
    )
    # An id this app never gave out: another app's message. A 401 that is no token
    # refusal raises at once (the client renews its token only for those).
    with pytest.raises(AuthenticationError) as foreign:
        await client.messages.rewrite("1235807318835202004", new_msg={"type": "txt", "msg": "x"})
    assert (foreign.value.error, foreign.value.description) == (
        "RewriteMessageNotAuthorizedException",
        "You are not authorized to edit this message.",
    )


async def test_messages_can_be_rewritten_for_seven_days(client, clock) -> None:
    clock.offset = -7 * 24 * HOUR - 60
    old = await _text(client)
    clock.offset += 120
    recent = await _text(client)
    clock.offset = 0
    await _text(client)  # keeping a new message forgets those older than 7 days
    assert await client.messages.rewrite(recent, new_msg={"type": "txt", "msg": "x"})
    with pytest.raises(NotFoundError):
        await client.messages.rewrite(old, new_msg={"type": "txt", "msg": "x"})


_INVALID = ("invalid_request_body", "Request body is invalid. Please check body is correct.")


async def test_rewrite_refusals_for_what_the_client_would_not_send(client, raw) -> None:
    msg_id = await _text(client)
    response = await raw("PUT", "/messages/rewrite/12ab", json={"new_msg": {"type": "txt"}})
    agora_error(
        response,
        400,
        "InvalidMessageIdException",
        "The provided message ID is not a valid number.",
    )
    assert response.body["exception"] == "InvalidMessageIdException"
    for body in (
        {},
        {"new_msg": "x"},
        {"new_msg": {"type": "txt"}},
        {"new_msg": {"type": "custom", "customExts": []}},
        {"new_msg": {"type": "txt", "msg": "x"}, "is_combine_ext": "yes"},
        {"new_msg": {"type": "txt", "msg": "x"}, "new_ext": [1]},
    ):
        response = await raw("PUT", f"/messages/rewrite/{msg_id}", json=body)
        agora_error(response, 400, *_INVALID)
    response = await raw("PUT", f"/messages/rewrite/{msg_id}", json={"new_msg": {"type": "loc"}})
    assert response.body["error"] == "UnsupportedMessageTypeException"


# -- messages.import_to_user / import_to_group -----------------------------------------


async def test_imports_are_stored_at_their_time_and_not_delivered(client, clock) -> None:
    await client.users.register_many([{"username": "bob"}, {"username": "carol"}])
    hour = clock.go_back(2)
    when = int(clock() * 1000)
    clock.offset = 0

    to_bob = await client.messages.import_to_user(
        from_="carol",
        to="bob",
        type="txt",
        body={"msg": "import message."},
        ext={"key1": "value1"},
        is_ack_read=True,
        msg_timestamp=when,
    )
    to_group = await client.messages.import_to_group(
        from_="bob", group_id="1123376564212", type="txt", body={"msg": "old"}, msg_timestamp=when
    )
    now = await client.messages.import_to_user(
        from_="carol", to="bob", type="txt", body={"msg": "now"}
    )

    assert len({to_bob, to_group, now}) == 3
    assert await client.users.offline_message_count("bob") == 0
    records = await _history(client, hour)
    assert [(r["msg_id"], r["timestamp"], r["chat_type"], r["to"]) for r in records] == [
        (to_bob, when, "chat", "bob"),
        (to_group, when, "groupchat", "1123376564212"),
    ]
    assert records[0]["payload"] == {
        "bodies": [{"msg": "import message.", "type": "txt"}],
        "ext": {"key1": "value1"},
        "from": "carol",
        "to": "bob",
    }
    # An imported message can be rewritten like a sent one.
    assert await client.messages.rewrite(to_bob, new_msg={"type": "txt", "msg": "fixed"})
    (first, _) = await _history(client, hour)
    assert first["payload"]["bodies"] == [{"msg": "fixed", "type": "txt"}]


async def test_a_thread_may_start_on_an_imported_group_message(client) -> None:
    group = await _group(client, "bob")
    msg_id = await client.messages.import_to_group(
        from_="bob", group_id=group, type="txt", body={"msg": "old"}
    )
    thread_id = await client.threads.create(group_id=group, name="t", owner="bob", msg_id=msg_id)
    [thread] = [t async for t in client.threads.list_joined("bob")]
    assert (thread.id, thread.msg_id, thread.group_id) == (thread_id, msg_id, group)


@pytest.mark.parametrize("path", ["/messages/users/import", "/messages/chatgroups/import"])
@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"from": None}, (_SEND_ERROR, "param from can't be empty")),
        ({"from": ""}, (_SEND_ERROR, "param from can't be empty")),
        ({"target": None}, (_SEND_ERROR, "param target can't be empty")),
        ({"type": "text"}, (_SEND_ERROR, "param type can't be empty")),
        ({"body": {}}, (_SEND_ERROR, "param body can't be empty")),
        ({"ext": [1]}, (_SEND_ERROR, "param ext must be JSONObject")),
        ({"body": {"msg": "x" * 5200}}, (_SEND_ERROR, "message is too large")),
        ({"msg_timestamp": "yesterday"}, _INVALID),
        ({"msg_timestamp": -5}, _INVALID),
    ],
)
async def test_import_refusals(raw, path, change, refusal) -> None:
    body = {"from": "a", "target": "b", "type": "txt", "body": {"msg": "x"}, **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = await raw("POST", path, json=body)
    agora_error(response, 400, *refusal)
