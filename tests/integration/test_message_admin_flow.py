"""Recall, conversation deletion and chat-history files against the emulator.

The emulator runs on a clock the tests move (tokens stay valid: they are checked
against it for expiry only, and it never runs far ahead of real time).
"""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from agora_chat_async import BadRequestError, NotFoundError, PermissionDeniedError
from tests.integration._helpers import HOUR, agora_error

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer


@pytest.fixture
async def client(emulator: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    async with emulator.client(rate_limits=False) as c:  # history_file paces at 10/min
        yield c


async def _send(client: AgoraChatClient, to: str, target_type: Any = "users", **kw: Any) -> str:
    body = kw.pop("body", {"msg": "hi"})
    ids = await client.messages.send(
        target_type, to=[to], type=kw.pop("type", "txt"), body=body, **kw
    )
    return ids[to]


# -- recall ----------------------------------------------------------------------------


async def test_recall_takes_back_an_undelivered_message(client) -> None:
    await client.users.register("bob")
    msg_id = await _send(client, "bob", from_="alice")
    kept = await _send(client, "bob")
    assert await client.users.offline_message_count("bob") == 2

    result = await client.messages.recall(msg_id, to="bob", chat_type="chat", from_="alice")

    assert (result.ok, result.msg_id, result.chat_type, result.from_, result.to) == (
        True,
        msg_id,
        "chat",
        "alice",
        "bob",
    )
    assert await client.users.offline_message_count("bob") == 1
    recalled_by_admin = await client.messages.recall(kept, to="bob", chat_type="chat")
    assert recalled_by_admin.from_ == "admin"
    with pytest.raises(PermissionDeniedError) as gone:
        await client.messages.recall(msg_id, to="bob", chat_type="chat")  # already recalled
    assert (gone.value.status, gone.value.error, gone.value.description) == (
        403,
        "message_recall_error",
        "not_found msg",
    )


async def test_recall_window_and_force(client, clock) -> None:
    msg_id = await _send(client, "bob")
    clock.offset += 121  # the default window is 2 minutes

    with pytest.raises(PermissionDeniedError) as late:
        await client.messages.recall(msg_id, to="bob", chat_type="chat")
    assert (late.value.error, late.value.description) == (
        "message_recall_error",
        "exceed recall time limit",
    )
    forced = await client.messages.recall(msg_id, to="bob", chat_type="chat", force=True)
    assert forced.ok


async def test_recall_needs_the_right_conversation(client) -> None:
    group_msg = await _send(client, "212126099636226", "chatgroups")
    room_msg = await _send(client, "room1", "chatrooms")

    with pytest.raises(BadRequestError) as wrong:
        await client.messages.recall(group_msg, to="212126099636226", chat_type="chat")
    assert (wrong.value.error, wrong.value.description) == (
        "message_recall_error",
        "can't find msg to",
    )
    with pytest.raises(BadRequestError):
        await client.messages.recall(room_msg, to="room2", chat_type="chatroom")
    assert (await client.messages.recall(group_msg, to="212126099636226", chat_type="groupchat")).ok
    assert (await client.messages.recall(room_msg, to="room1", chat_type="chatroom")).ok
    with pytest.raises(PermissionDeniedError):
        await client.messages.recall("1", to="bob", chat_type="chat")  # never sent


async def test_recall_refusals_for_what_the_client_would_not_send(raw) -> None:
    for missing in ("msg_id", "to", "chat_type"):
        body = {"msg_id": "1", "to": "bob", "chat_type": "chat"}
        del body[missing]
        response = await raw("POST", "/messages/msg_recall", json=body)
        agora_error(response, 400, "message_recall_error", f"param {missing} can't be empty")
    body = {"msg_id": "1", "to": "bob", "chat_type": "chat", "force": "yes"}
    response = await raw("POST", "/messages/msg_recall", json=body)
    agora_error(response, 400, "message_recall_error", "param force can't be empty")


async def test_legacy_recall_path_takes_one_message_or_a_batch(client, raw) -> None:
    first, second = await _send(client, "bob"), await _send(client, "bob")

    single = await raw(
        "POST", "/messages/recall", json={"msg_id": first, "to": "bob", "chat_type": "chat"}
    )
    assert single.status == 200
    assert single.body["data"]["recalled"] == "yes"

    items = [
        {"msg_id": first, "to": "bob", "chat_type": "chat"},
        {"msg_id": second, "to": "carol", "chat_type": "chat"},
        {"msg_id": second, "to": "bob", "chat_type": "chat"},
    ]
    batch = await raw("POST", "/messages/recall", json={"msgs": items})
    assert batch.status == 200
    assert batch.body == {
        "msgs": [
            {"msg_id": first, "recalled": "not_found msg"},
            {"msg_id": second, "recalled": "can't find msg to"},
            {"msg_id": second, "recalled": "yes"},
        ]
    }
    empty = await raw("POST", "/messages/recall", json={"msgs": []})
    agora_error(empty, 400, "message_recall_error", "param msgs can't be empty")


# -- conversations ---------------------------------------------------------------------


async def test_delete_conversation(client) -> None:
    await client.users.register("alice")
    assert await client.conversations.delete("alice", channel="bob", type="chat", delete_roam=True)
    assert await client.conversations.delete(
        "ALICE", channel="212126099636226", type="groupchat", delete_roam=False
    )
    with pytest.raises(NotFoundError) as missing:
        await client.conversations.delete("ghost", channel="bob", type="chat", delete_roam=True)
    assert missing.value.description == "Service resource not found"


_INVALID = ("invalid_request_body", "Request body is invalid. Please check body is correct.")
_NO_CHANNEL = ("illegal_argument", "field channel cannot be null or empty")
_NO_TYPE = ("illegal_argument", "field type cannot be null or empty")
_NO_ROAM = ("illegal_argument", "field delete_roam cannot be null")


@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        ({"type": "chat", "delete_roam": True}, _NO_CHANNEL),
        ({"channel": "", "type": "chat", "delete_roam": True}, _NO_CHANNEL),
        ({"channel": "bob", "delete_roam": True}, _NO_TYPE),
        ({"channel": "bob", "type": "chat"}, _NO_ROAM),
        ({"channel": "bob", "type": "chatroom", "delete_roam": True}, _INVALID),
        ({"channel": "bob", "type": "chat", "delete_roam": "yes"}, _INVALID),
        (["bob"], _INVALID),
    ],
)  # fmt: skip
async def test_delete_conversation_refusals(raw, body, refusal) -> None:
    assert (await raw("POST", "/users", json={"username": "alice"})).status == 200
    response = await raw("DELETE", "/users/alice/user_channel", json=body)
    agora_error(response, 400, *refusal)


# -- history files ---------------------------------------------------------------------


async def _download(url: str) -> tuple[int, bytes]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.read()


def _records(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in gzip.decompress(data).splitlines()]


async def test_history_file_holds_the_hours_messages(client, clock) -> None:
    hour = clock.go_back(2)
    await client.users.register("bob")
    text = await _send(client, "bob", from_="alice", ext={"k": "v"})
    recalled = await _send(client, "bob")
    await client.messages.recall(recalled, to="bob", chat_type="chat")
    upload = await client.files.upload(b"x" * 300, filename="a.jpg")
    url = f"https://example.test/org/app/chatfiles/{upload.uuid}"
    image_body = {"url": url, "filename": "a.jpg", "secret": upload.share_secret}
    image = await _send(client, "g1", "chatgroups", type="img", body=image_body)
    place = await _send(
        client, "room1", "chatrooms", type="loc", body={"lat": "39.9", "lng": "116.3", "addr": "x"}
    )
    clock.offset += HOUR  # the next hour: nothing more goes into that file
    await _send(client, "bob")
    clock.offset = 0

    link = await client.messages.history_file(hour)
    status, data = await _download(link)

    assert status == 200
    records = _records(data)
    assert [r["msg_id"] for r in records] == [text, image, place]
    first = records[0]
    assert {k: first[k] for k in ("direction", "from", "to", "chat_type")} == {
        "direction": "outgoing",
        "from": "alice",
        "to": "bob",
        "chat_type": "chat",
    }
    assert first["payload"] == {
        "bodies": [{"msg": "hi", "type": "txt"}],
        "ext": {"k": "v"},
        "from": "alice",
        "to": "bob",
    }
    assert records[1]["chat_type"] == "groupchat"
    assert records[1]["payload"]["bodies"] == [{**image_body, "file_length": 300, "type": "img"}]
    assert records[2]["payload"]["bodies"] == [
        {"lat": 39.9, "lng": 116.3, "addr": "x", "type": "loc"}
    ]
    assert records[2]["from"] == "admin"


async def test_history_file_errors(client, clock, emulator) -> None:
    appkey = f"{emulator.org_name}#{emulator.app_name}"
    await _send(client, "bob")  # in the current hour, which is not over yet
    for hour in (clock.hour(), clock.hour(-5 * HOUR), clock.hour(HOUR)):
        with pytest.raises(NotFoundError) as missing:
            await client.messages.history_file(hour)
        assert (missing.value.error, missing.value.description) == (
            "storage_object_not_found",
            f"Failed to find chat message history download url for appkey: {appkey}, time: {hour}",
        )
    old = clock.hour(-73 * HOUR)
    with pytest.raises(BadRequestError) as expired:
        await client.messages.history_file(old)
    assert (expired.value.error, expired.value.description) == (
        "illegal_argument",
        f"illegal arguments: appkey: {appkey}, time: {old}, "
        "maybe chat message history is expired or unstored",
    )


async def test_history_time_is_checked_by_the_server(raw, emulator) -> None:
    appkey = f"{emulator.org_name}#{emulator.app_name}"
    for time_ in ("2018112724", "2018-11-27", "20181127170"):
        response = await raw("GET", f"/chatmessages/{time_}")
        agora_error(
            response, 400, "illegal_argument", f"illegal arguments: appkey: {appkey}, time: {time_}"
        )


async def test_history_links_are_signed_and_expire(client, clock) -> None:
    hour = clock.go_back(2)
    await _send(client, "bob")
    clock.offset = 0
    link = await client.messages.history_file(hour)

    forged = link.replace(f"/history/{hour}", f"/history/{clock.hour(-3 * HOUR)}")
    assert (await _download(forged))[0] == 403
    assert (await _download(link.replace("Signature=", "Signature=0")))[0] == 403
    assert (await _download(link))[0] == 200
    clock.offset = 2 * HOUR  # past the link's hour of validity
    status, body = await _download(link)
    assert status == 403
    assert json.loads(body)["error"] == "access_denied"


async def test_recall_deletes_the_attachment_once_unused(client) -> None:
    uploaded = await client.files.upload(b"image bytes", filename="a.jpg")
    url = f"{client.base_url}/chatfiles/{uploaded.uuid}"
    image = {"url": url, "filename": "a.jpg", "secret": uploaded.share_secret}
    ids = await client.messages.send("users", to=["bob", "carol"], type="img", body=image)

    await client.messages.recall(ids["bob"], to="bob", chat_type="chat")
    assert await client.files.download(uploaded.uuid, share_secret=uploaded.share_secret)
    await client.messages.recall(ids["carol"], to="carol", chat_type="chat")
    with pytest.raises(NotFoundError):
        await client.files.download(uploaded.uuid, share_secret=uploaded.share_secret)
