"""Sending messages through the public client, and what the emulator makes of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from agora_chat_async import APIConnectionError, ServerError

if TYPE_CHECKING:
    from agora_chat_async.emulator import EmulatorServer


async def test_messages_to_offline_users_wait_for_them(client, emulator) -> None:
    await client.users.register_many(["bob", "cleo"])
    emulator.state.set_online("cleo")

    ids = await client.messages.send(
        "users", from_="admin", to=["bob", "cleo", "ghost"], type="txt", body={"msg": "hi"}
    )

    assert set(ids) == {"bob", "cleo", "ghost"}  # unknown users get an id too
    assert len(set(ids.values())) == 3
    assert all(len(i) == 19 and i.isdigit() for i in ids.values())
    assert await client.users.offline_message_count("bob") == 1
    assert await client.users.offline_message_count("cleo") == 0
    assert await client.users.offline_message_status("bob", ids["bob"]) == "undelivered"
    assert await client.users.offline_message_status("cleo", ids["cleo"]) == "delivered"

    await client.messages.send(
        "users", to=["bob"], type="txt", body={"msg": "now"}, routetype="ROUTE_ONLINE"
    )
    assert await client.users.offline_message_count("bob") == 1  # online-only: not stored


async def test_groups_and_rooms_get_one_id_per_target(client) -> None:
    groups = await client.messages.send(
        "chatgroups", to=["1", "2", "3"], type="txt", body={"msg": "x"}, need_group_ack=True
    )
    rooms = await client.messages.send(
        "chatrooms", to=["9"], type="custom", body={"customEvent": "e"}
    )
    assert list(groups) == ["1", "2", "3"]
    assert list(rooms) == ["9"]


async def test_server_refusals_are_typed(raw) -> None:
    too_many = {"to": ["1", "2", "3", "4"], "type": "txt", "body": {"msg": "x"}}
    response = await raw("POST", "/messages/chatgroups", json=too_many)
    assert (response.status, response.body["error"]) == (400, "message_send_error")
    assert response.body["error_description"] == "params to's size can't exceed limit 3"
    big = {"to": ["u"], "type": "txt", "body": {"msg": "x" * 6000}}
    response = await raw("POST", "/messages/users", json=big)
    assert response.body["error_description"] == "message is too large"
    empty_from = {"from": "", "to": ["u"], "type": "txt", "body": {"msg": "x"}}
    response = await raw("POST", "/messages/users", json=empty_from)
    assert response.body["error_description"] == "param from can't be empty"


async def test_the_size_limit_is_counted_as_the_client_counts(client, raw) -> None:
    # {"msg": "..."} is 10 bytes around the text: 5,110 characters make exactly 5 KB.
    at_limit = {"msg": "x" * 5110}
    ids = await client.messages.send("users", to=["u"], type="txt", body=at_limit)
    assert list(ids) == ["u"]  # no ext given: nothing counted for it
    over = {"to": ["u"], "type": "txt", "body": {"msg": "x" * 5109}, "ext": {}}
    response = await raw("POST", "/messages/users", json=over)
    assert response.body["error_description"] == "message is too large"  # {} is 2 bytes


async def test_chatroom_priority_takes_three_values(client, raw) -> None:
    sent = await client.messages.send(
        "chatrooms", to=["9"], type="txt", body={"msg": "x"}, chatroom_msg_level="low"
    )
    assert list(sent) == ["9"]
    urgent = {"to": ["9"], "type": "txt", "body": {"msg": "x"}, "chatroom_msg_level": "urgent"}
    response = await raw("POST", "/messages/chatrooms", json=urgent)
    assert (response.status, response.body["error_description"]) == (
        400,
        "param chatroom_msg_level must be high, normal or low",
    )


async def test_the_legacy_send_path_is_accepted(raw, emulator) -> None:
    legacy = {"target_type": "users", "target": ["u1", "u2"], "msg": {"type": "txt", "msg": "hi"}}
    response = await raw("POST", "/messages", json=legacy)
    assert response.status == 200
    assert response.body["data"] == {"u1": "success", "u2": "success"}
    response = await raw("POST", "/messages", json=legacy, params={"useMsgId": "true"})
    assert all(v.isdigit() for v in response.body["data"].values())
    response = await raw("POST", "/messages", json={**legacy, "target_type": "people"})
    assert response.body["error_description"] == (
        "'Target_type' can only be 'users', 'chatgroups', or 'chatrooms'."
    )


async def test_a_failed_send_is_not_sent_twice(emulator: EmulatorServer) -> None:
    async with emulator.client(max_retries=3) as client:
        emulator.add_fault(status=503, endpoint="messages.send", times=1)
        with pytest.raises(ServerError):
            await client.messages.send("users", to=["bob"], type="txt", body={"msg": "1"})
        emulator.add_fault(drop=True, endpoint="messages.send", times=1)
        with pytest.raises(APIConnectionError):
            await client.messages.send("users", to=["bob"], type="txt", body={"msg": "2"})
        emulator.add_fault(status=429, error="reach_limit", endpoint="messages.send", times=1,
                           retry_after=0.01)  # fmt: skip
        await client.messages.send("users", to=["bob"], type="txt", body={"msg": "3"})
    sends = [r.status for r in emulator.requests if r.endpoint == "messages.send"]
    assert sends == [503, None, 429, 200]  # one attempt each; only the refused one repeated
