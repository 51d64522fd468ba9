"""Post-delivery callbacks over real sockets: what the emulator posts for messages,
recalls and membership changes, signed as documented, with exactly the keys of the
documented examples (Agora's "Callbacks and events" page; Easemob's message-callback
page for ``appkey``/``host``/``content_type`` and the ``chat_offline`` recipients)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async.emulator import EmulatorServer
from tests.integration._receiver import APPKEY, SECRET, Receiver, signed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Clock

#: Agora's message callback example, then the three common parameters Easemob adds.
MESSAGE_KEYS = [
    "callId",
    "eventType",
    "timestamp",
    "chat_type",
    "group_id",
    "from",
    "to",
    "msg_id",
    "payload",
    "securityVersion",
    "security",
    "appkey",
    "host",
    "content_type",
]
USER_MESSAGE_KEYS = [k for k in MESSAGE_KEYS if k != "group_id"]
#: Agora's recall example.
RECALL_KEYS = [
    "chat_type",
    "callId",
    "security",
    "payload",
    "host",
    "appkey",
    "from",
    "recall_id",
    "to",
    "eventType",
    "msg_id",
    "timestamp",
]
#: Agora's group and chat room event example.
MUC_KEYS = [
    "chat_type",
    "callId",
    "security",
    "payload",
    "group_id",
    "host",
    "appkey",
    "from",
    "to",
    "eventType",
    "msg_id",
    "timestamp",
]
OK_STATUS = {"description": "", "error_code": "ok"}

#: The documented payload body of each message type (Agora's page; ``file``: Easemob's).
DOCUMENTED_BODIES = {
    "txt": ({"msg": "rr", "type": "txt"}, "text"),
    "img": (
        {
            "filename": "image",
            "size": {"width": 746, "height": 1325},
            "secret": "XXXXqnkRXXXXAUHNhFQyIhTJxWxvGOwyx1",
            "file_length": 118179,
            "type": "img",
            "url": "https://a1.agora.com/",
        },
        "image",
    ),
    "audio": (
        {
            "filename": "audio",
            "length": 4,
            "secret": "XXXXynkRXXXX1e0Ksmmt2Ym6AzpRr9SxsUpF",
            "file_length": 6374,
            "type": "audio",
            "url": "https://a1.agora.com/",
        },
        "voice",
    ),
    "video": (
        {
            "thumb_secret": "t1AEXXXXEeyS81-d10_HOpjSZc8TD-ud40XXXXOStQrr7Mbc",
            "filename": "video.mp4",
            "size": {"width": 360, "height": 480},
            "thumb": "https://a1.agora.com/agora-demo/shuang/chatfiles/XXXX0400",
            "length": 10,
            "secret": "XXXXgHqLXXXXBfuoalZCJPD7PVcoOu_RHTRa78bjU_KQAPr2",
            "file_length": 601404,
            "type": "video",
            "url": "https://a1.agora.com/agora-demo/shuang/chatfiles/XXXX3270",
        },
        "video",
    ),
    "file": (
        {
            "file_length": 3279,
            "filename": "record.md",
            "secret": "2RNXCgeeEeeXXXX-XXXXbtZXJH4cgr2admVXn560He2PD3RX",
            "type": "file",
            "url": "https://XXXX/XXXX/XXXX/chatfiles/d9135700",
        },
        "file",
    ),
    "loc": (
        {"lng": 116.32309156766605, "type": "loc", "addr": "********", "lat": 39.96612729238626},
        "location",
    ),
    "cmd": ({"msg": "rr", "type": "cmd"}, "command"),
    "custom": (
        {
            "customExts": [{"name": 1}],
            "v2:customExts": {"k": "v", "k1": "v1"},
            "customEvent": "flower",
            "type": "custom",
        },
        "custom",
    ),
}


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with Receiver() as r:
        yield r


@pytest.fixture
async def server(receiver: Receiver, clock: Clock) -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(
        clock=clock, callback_url=receiver.url, callback_secret=SECRET, callback_timeout=1.0
    ) as s:
        yield s


@pytest.fixture
async def client(server: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    async with server.client() as c:
        yield c


def _content(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "type"}


async def test_a_message_to_an_online_user_is_one_signed_chat_callback(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    clock.freeze()
    await client.users.register_many(["alice", "bob"])
    server.state.set_online("bob")
    ids = await client.messages.send(
        "users", from_="alice", to=["bob"], type="txt", body={"msg": "hi"}, ext={"k": "v"}
    )
    await server.flush_callbacks()

    [got] = receiver.received
    body = got.body
    assert list(body) == USER_MESSAGE_KEYS
    assert got.headers["Content-Type"] == "application/json"
    assert body == {
        "callId": f"{APPKEY}_{ids['bob']}",
        "eventType": "chat",
        "timestamp": int(clock() * 1000),
        "chat_type": "chat",
        "from": "alice",
        "to": "bob",
        "msg_id": ids["bob"],
        "payload": {"ext": {"k": "v"}, "bodies": [{"msg": "hi", "type": "txt"}]},
        "securityVersion": "1.0.0",
        "security": body["security"],
        "appkey": APPKEY,
        "host": server.base_url.removeprefix("http://"),
        "content_type": "chat:user:text",
    }
    assert signed(body)
    assert not signed(body, "another secret")


async def test_an_offline_recipient_also_gets_chat_offline(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    await client.users.register_many(["alice", "bob"])
    ids = await client.messages.send(
        "users", from_="alice", to=["bob"], type="txt", body={"msg": "hi"}
    )
    await server.flush_callbacks()

    chat, offline = receiver.bodies
    assert (chat["eventType"], offline["eventType"]) == ("chat", "chat_offline")
    assert list(offline) == USER_MESSAGE_KEYS
    # The docs' callId is the app key and message id: both callbacks share it.
    assert offline["callId"] == chat["callId"] == f"{APPKEY}_{ids['bob']}"
    assert offline["to"] == "bob"
    assert signed(offline)
    assert {k: v for k, v in offline.items() if k not in ("eventType",)} == {
        k: v for k, v in chat.items() if k != "eventType"
    }


async def test_online_only_messages_to_offline_users_have_no_offline_callback(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    await client.users.register("bob")
    await client.messages.send(
        "users", to=["bob"], type="txt", body={"msg": "hi"}, routetype="ROUTE_ONLINE"
    )
    await server.flush_callbacks()
    assert [(b["eventType"], b["from"]) for b in receiver.bodies] == [("chat", "admin")]


@pytest.mark.parametrize("kind", list(DOCUMENTED_BODIES))
async def test_each_message_type_carries_its_documented_payload(
    kind: str, server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    documented, content_type = DOCUMENTED_BODIES[kind]
    await client.messages.send("users", to=["nobody"], type=kind, body=_content(documented))
    await server.flush_callbacks()
    [body] = receiver.bodies
    assert body["payload"] == {"ext": {}, "bodies": [documented]}
    assert body["content_type"] == f"chat:user:{content_type}"


async def test_group_messages_name_the_group_and_each_offline_member(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    await client.users.register_many(["owner", "ann", "ben", "cat"])
    gid = await client.groups.create(owner="owner", members=["ann", "ben", "cat"])
    server.state.set_online(["owner", "ann"])
    await server.flush_callbacks()
    receiver.received.clear()  # the presence events of the creation

    ids = await client.messages.send(
        "chatgroups", from_="owner", to=[gid], type="txt", body={"msg": "all"}
    )
    await server.flush_callbacks()

    chat, *offline = receiver.bodies
    assert list(chat) == MESSAGE_KEYS
    assert (chat["eventType"], chat["chat_type"], chat["group_id"], chat["to"]) == (
        "chat",
        "groupchat",
        gid,
        gid,
    )
    assert chat["msg_id"] == ids[gid]
    assert chat["content_type"] == "chat:group:text"
    assert [(b["eventType"], b["to"], b["group_id"]) for b in offline] == [
        ("chat_offline", "ben", gid),
        ("chat_offline", "cat", gid),
    ]
    assert all(signed(b) and list(b) == MESSAGE_KEYS for b in receiver.bodies)


async def test_directed_group_messages_go_offline_only_to_their_receivers(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    await client.users.register_many(["owner", "ann", "ben"])
    gid = await client.groups.create(owner="owner", members=["ann", "ben"])
    await server.flush_callbacks()
    receiver.received.clear()
    await client.messages.send_to_group_members(
        gid, users=["ann"], from_="owner", type="txt", body={"msg": "psst"}
    )
    await server.flush_callbacks()
    assert [(b["eventType"], b["to"]) for b in receiver.bodies] == [
        ("chat", gid),
        ("chat_offline", "ann"),
    ]


async def test_chat_room_messages_and_broadcasts_are_groupchat_without_offline(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    await client.users.register_many(["owner", "ann"])
    room = await client.chatrooms.create(name="r", description="d", owner="owner", members=["ann"])
    await server.flush_callbacks()
    receiver.received.clear()

    await client.messages.send("chatrooms", from_="owner", to=[room], type="txt", body={"msg": "a"})
    await client.messages.broadcast_to_chatrooms({"type": "txt", "msg": "b"})
    await server.flush_callbacks()

    sent, broadcast = receiver.bodies
    for body, text in ((sent, "a"), (broadcast, "b")):
        assert list(body) == MESSAGE_KEYS
        assert signed(body)
        assert (body["chat_type"], body["group_id"], body["to"]) == ("groupchat", room, room)
        assert body["content_type"] == "chat:room:text"
        assert body["payload"]["bodies"] == [{"msg": text, "type": "txt"}]
    assert broadcast["from"] == "admin"


async def test_a_recall_posts_the_documented_recall_body(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    await client.users.register_many(["alice", "bob"])
    server.state.set_online("bob")
    ids = await client.messages.send(
        "users", from_="alice", to=["bob"], type="txt", body={"msg": "x"}
    )
    await client.messages.recall(ids["bob"], to="bob", chat_type="chat", from_="alice")
    await server.flush_callbacks()

    _, recall = receiver.bodies
    assert list(recall) == RECALL_KEYS
    assert recall["chat_type"] == "recall"
    assert recall["eventType"] == "chat"
    assert (recall["from"], recall["to"], recall["recall_id"]) == ("alice", "bob", ids["bob"])
    assert recall["payload"] == {"ext": {}, "ack_message_id": ids["bob"], "bodies": []}
    assert recall["msg_id"] != ids["bob"]
    assert recall["msg_id"].isdigit()
    assert recall["callId"] == f"{APPKEY}_{recall['msg_id']}"
    assert recall["appkey"] == APPKEY
    assert signed(recall)
    assert abs(recall["timestamp"] - clock() * 1000) < 5000


def _muc(body: dict[str, Any]) -> tuple[str, str, str]:
    return body["payload"]["operation"], body["from"], body["to"]


@pytest.mark.parametrize("area", ["groups", "chatrooms"])
async def test_membership_changes_post_muc_events(
    area: str, server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    await client.users.register_many(["owner", "ann", "ben", "cat", "dan"])
    rooms = getattr(client, area)
    if area == "groups":
        rid = await rooms.create(owner="owner", members=["ann"])
    else:
        rid = await rooms.create(name="r", description="d", owner="owner", members=["ann"])
    await rooms.members.add(rid, "ben")
    await rooms.members.add_many(rid, ["cat", "dan"])
    await rooms.members.remove(rid, "ann")
    await rooms.blocklist.add(rid, "ben")
    await rooms.delete(rid)
    await server.flush_callbacks()

    jid = f"{APPKEY}_{{}}@easemob.com".format
    assert [_muc(b) for b in receiver.bodies] == [
        ("presence", jid("ann"), rid),
        ("presence", jid("ben"), rid),
        ("presence", jid("cat"), rid),
        ("presence", jid("dan"), rid),
        ("kick", APPKEY, "ann"),
        ("absence", jid("ann"), rid),
        ("ban", APPKEY, "ben"),
        ("absence", jid("ben"), rid),
        ("destroy", APPKEY, "owner"),
    ]
    muc_id = f"{APPKEY}_{rid}@conference.easemob.com"
    for body in receiver.bodies:
        assert list(body) == MUC_KEYS
        assert signed(body)
        assert (body["chat_type"], body["eventType"], body["group_id"]) == ("muc", "chat", rid)
        assert body["callId"] == f"{APPKEY}_{body['msg_id']}"
        payload = body["payload"]
        with_reason = payload["operation"] in ("ban", "destroy")  # as their examples
        expected = ["muc_id", "reason", "is_chatroom", "operation", "status"]
        assert list(payload) == [k for k in expected if with_reason or k != "reason"]
        assert (payload["muc_id"], payload["status"]) == (muc_id, OK_STATUS)
        assert payload["is_chatroom"] is (area == "chatrooms")
    assert len({b["callId"] for b in receiver.bodies}) == len(receiver.bodies)


async def test_batch_removal_kicks_only_the_members(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    await client.users.register_many(["owner", "ann", "ben"])
    gid = await client.groups.create(owner="owner", members=["ann"])
    await client.groups.members.remove_many(gid, ["ann", "ben"])
    await server.flush_callbacks()
    assert [_muc(b)[0] for b in receiver.bodies] == ["presence", "kick", "absence"]


async def test_the_rest_answer_does_not_wait_for_a_slow_receiver(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    receiver.delay = 0.8  # under the 1 s delivery timeout: each delivery succeeds late
    started = time.monotonic()
    for _ in range(3):
        await client.messages.send("users", to=["u"], type="txt", body={"msg": "hi"})
    assert time.monotonic() - started < 0.5
    assert server.emulator.callbacks.pending == 3
    await server.flush_callbacks()
    assert server.emulator.callbacks.counters["delivered"] == 3
    assert server.emulator.callbacks.pending == 0


async def test_callbacks_are_configured_at_run_time(receiver: Receiver) -> None:
    async with EmulatorServer() as server, server.client() as client:
        await client.messages.send("users", to=["u"], type="txt", body={"msg": "unseen"})
        server.configure_callbacks(url=receiver.url, secret="later")
        await client.messages.send("users", to=["u"], type="txt", body={"msg": "seen"})
        await server.flush_callbacks()
        [body] = receiver.bodies
        assert body["payload"]["bodies"][0]["msg"] == "seen"
        assert signed(body, "later")
        server.configure_callbacks(url=None)
        await client.messages.send("users", to=["u"], type="txt", body={"msg": "off"})
        await server.flush_callbacks()
        assert len(receiver.bodies) == 1
        with pytest.raises(ValueError, match="callback_url"):
            server.configure_callbacks(url="ftp://x")
        with pytest.raises(ValueError, match="pre_delivery_fallback"):
            server.configure_callbacks(pre_delivery_fallback="drop")  # type: ignore[arg-type]


async def test_without_a_secret_callbacks_are_signed_with_the_empty_string(
    receiver: Receiver,
) -> None:
    async with EmulatorServer(callback_url=receiver.url) as server, server.client() as client:
        await client.messages.send("users", to=["u"], type="txt", body={"msg": "x"})
        await server.flush_callbacks()
        assert signed(receiver.bodies[0], "")


def test_bad_callback_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="callback_url"):
        EmulatorServer(callback_url="not a url")
    with pytest.raises(ValueError, match="pre_delivery_timeout"):
        EmulatorServer(pre_delivery_timeout=0)
    with pytest.raises(ValueError, match="timeout"):
        EmulatorServer(callback_timeout=-1)


async def test_closing_with_deliveries_pending_is_quick_and_clean(receiver: Receiver) -> None:
    receiver.delay = 30  # never answers in time
    server = EmulatorServer(callback_url=receiver.url)
    await server.start()
    async with server.client() as client:
        for _ in range(10):
            await client.messages.send("users", to=["u"], type="txt", body={"msg": "x"})
    await receiver.wait_for(4)  # the workers are busy, the rest wait in the queue
    started = time.monotonic()
    await server.close()
    assert time.monotonic() - started < 2
    assert server.emulator.callbacks.pending == 0
    tasks = [t for t in asyncio.all_tasks() if "Callbacks._work" in repr(t.get_coro())]
    assert tasks == []
