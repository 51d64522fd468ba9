"""Message reactions against the emulator: adding, reading several messages' reactions,
paging a reaction's users, removing; the limits, the errors, and what goes with a
deleted user or an expired message."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from agora_chat_async import BadRequestError, NotFoundError
from tests.integration._helpers import agora_error, ok

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient


async def _users(client: AgoraChatClient, *names: str) -> None:
    await client.users.register_many(list(names))


async def _chat(client: AgoraChatClient, sender: str = "alice", to: str = "bob") -> str:
    ids = await client.messages.send("users", to=[to], type="txt", body={"msg": "hi"}, from_=sender)
    return ids[to]


async def _users_of(client: AgoraChatClient, user: str, message_id: str, emoji: str) -> list[str]:
    return [u async for u in client.reactions.list_users(user, message_id, emoji, page_size=2)]


async def test_a_reaction_from_adding_to_removing(client, clock) -> None:
    await _users(client, "alice", "bob", "carl")
    msg = await _chat(client)

    added = await client.reactions.add("bob", msg, "emoji_40")
    clock.offset = 2  # seconds later
    again = await client.reactions.add("bob", msg, "emoji_40")  # counted once
    await client.reactions.add("alice", msg, "emoji_40")
    await client.reactions.add("alice", msg, "thumbs_up")

    assert (added.message_id, added.chat_type, added.group_id, added.reaction) == (
        msg,
        "chat",
        None,
        "emoji_40",
    )
    assert again.id == added.id
    assert again.created_at == added.created_at
    assert added.created_at == added.updated_at
    assert (again.updated_at or "") > (added.updated_at or "")  # the adding moved it
    (seen,) = await client.reactions.get_many("carl", [msg], chat_type="chat")
    assert seen.message_id == msg
    assert [(r.reaction, r.count, r.state, r.users) for r in seen.reactions] == [
        ("emoji_40", 2, False, ["bob", "alice"]),
        ("thumbs_up", 1, False, ["alice"]),
    ]
    assert seen.reactions[0].reaction_id == added.id
    (mine,) = await client.reactions.get_many("alice", [msg], chat_type="chat")
    assert [r.state for r in mine.reactions] == [True, True]
    assert await _users_of(client, "carl", msg, "emoji_40") == ["bob", "alice"]

    assert await client.reactions.remove("bob", msg, "emoji_40") is True
    assert await client.reactions.remove("bob", msg, "emoji_40") is True  # idempotent
    assert await _users_of(client, "carl", msg, "emoji_40") == ["alice"]
    assert await client.reactions.remove("alice", msg, "emoji_40") is True
    (left,) = await client.reactions.get_many("carl", [msg], chat_type="chat")
    assert [r.reaction for r in left.reactions] == ["thumbs_up"]  # nobody left on emoji_40
    with pytest.raises(NotFoundError):
        await _users_of(client, "carl", msg, "emoji_40")
    await client.reactions.remove("alice", msg, "thumbs_up")
    assert await client.reactions.get_many("carl", [msg], chat_type="chat") == []


async def test_get_many_shows_the_first_three_users_and_the_asked_type(client) -> None:
    await _users(client, "alice", "bob", "u1", "u2", "u3", "u4")
    first, second, quiet = await _chat(client), await _chat(client), await _chat(client)
    for user in ("u1", "u2", "u3", "u4"):
        await client.reactions.add(user, first, "e")
    await client.reactions.add("u4", second, "e")

    found = await client.reactions.get_many(
        "u4", [second, quiet, first, "404", second], chat_type="chat"
    )

    assert [m.message_id for m in found] == [second, first]  # asked order, with reactions
    assert [(r.count, r.users, r.state) for r in found[1].reactions] == [
        (4, ["u1", "u2", "u3"], True)
    ]
    assert await client.reactions.get_many("u4", [first], chat_type="groupchat", group_id="1") == []


async def test_group_message_reactions_are_read_with_their_group(client) -> None:
    await _users(client, "alice", "bob")
    gid = await client.groups.create(name="g", description="d", owner="alice", members=["bob"])
    sent = await client.messages.send(
        "chatgroups", to=[gid], type="txt", body={"msg": "hi"}, from_="alice"
    )
    msg = sent[gid]

    added = await client.reactions.add("bob", msg, "heart")

    assert (added.chat_type, added.group_id) == ("groupchat", gid)
    (found,) = await client.reactions.get_many("alice", [msg], chat_type="groupchat", group_id=gid)
    assert [(r.reaction, r.users) for r in found.reactions] == [("heart", ["bob"])]
    assert await client.reactions.get_many("alice", [msg], chat_type="chat") == []
    other = await client.reactions.get_many("alice", [msg], chat_type="groupchat", group_id="1")
    assert other == []


async def test_users_page_in_adding_order_without_skips(client) -> None:
    names = [f"u{i}" for i in range(5)]
    await _users(client, "alice", "bob", *names)
    msg = await _chat(client)
    for name in names:
        await client.reactions.add(name, msg, "e")

    assert await _users_of(client, "alice", msg, "e") == names
    pages = client.reactions.list_users("alice", msg, "e", page_size=2).pages()
    first = await anext(pages)
    assert (first.items, first.has_more) == (["u0", "u1"], True)
    await client.reactions.remove("u2", msg, "e")  # the next page's first user goes
    rest = [page.items async for page in pages]
    assert rest == [["u3", "u4"]]


async def test_a_message_holds_at_most_20_emojis(client) -> None:
    await _users(client, "alice", "bob")
    msg = await _chat(client)
    for i in range(20):
        await client.reactions.add("bob", msg, f"e{i}")

    with pytest.raises(BadRequestError) as caught:
        await client.reactions.add("alice", msg, "e20")

    assert caught.value.error == "illegal_argument"
    assert caught.value.description == "a message can have at most 20 reactions"
    await client.reactions.add("alice", msg, "e0")  # an existing emoji still takes users
    (found,) = await client.reactions.get_many("alice", [msg], chat_type="chat")
    assert len(found.reactions) == 20


async def test_missing_users_messages_and_chat_room_messages(client, raw) -> None:
    await _users(client, "alice", "bob")
    msg = await _chat(client)
    with pytest.raises(NotFoundError):
        await client.reactions.add("nobody", msg, "e")
    with pytest.raises(NotFoundError):
        await client.reactions.get_many("nobody", [msg], chat_type="chat")
    with pytest.raises(NotFoundError) as unknown:
        await client.reactions.add("bob", "1234", "e")
    assert unknown.value.description == "message 1234 not found"
    room = await client.chatrooms.create(name="r", description="d", owner="alice")
    sent = await client.messages.send(
        "chatrooms", to=[room], type="txt", body={"msg": "hi"}, from_="alice"
    )
    refused = await raw("POST", "/reaction/user/bob", json={"msgId": sent[room], "message": "e"})
    agora_error(
        refused,
        400,
        "illegal_argument",
        "reactions are supported in one-to-one chats and groups only",
    )
    await client.reactions.add("bob", msg, "e")
    gone = await raw("GET", f"/reaction/user/bob/detail?msgId={msg}&message=other")
    agora_error(gone, 404, "service_resource_not_found", f"reaction other not found on {msg}")


async def test_requests_the_client_refuses_are_refused_by_the_emulator(client, raw) -> None:
    await _users(client, "alice", "bob")
    msg = await _chat(client)
    cases = [
        ("POST", "/reaction/user/bob", {"message": "e"}, "msgId cannot be empty"),
        ("POST", "/reaction/user/bob", {"msgId": msg}, "message cannot be empty"),
        (
            "POST",
            "/reaction/user/bob",
            {"msgId": msg, "message": "e" * 129},
            "message is limited to 128 characters",
        ),
        ("GET", "/reaction/user/bob?msgType=chat", None, "msgIdList cannot be empty"),
        ("GET", f"/reaction/user/bob?msgIdList={msg}", None, "msgType must be chat or groupchat"),
        (
            "GET",
            "/reaction/user/bob?msgIdList=" + ",".join(str(i) for i in range(21)) + "&msgType=chat",
            None,
            "msgIdList takes at most 20 message IDs",
        ),
        (
            "GET",
            f"/reaction/user/bob?msgIdList={msg}&msgType=groupchat",
            None,
            "groupId cannot be empty when msgType is groupchat",
        ),
        ("DELETE", f"/reaction/user/bob?msgId={msg}", None, "message cannot be empty"),
        (
            "GET",
            f"/reaction/user/bob/detail?msgId={msg}&message=e&cursor=abc",
            None,
            "cursor abc is not valid",
        ),
    ]
    for method, path, body, description in cases:
        agora_error(await raw(method, path, json=body), 400, "illegal_argument", description)


async def test_the_field_tables_msg_id_key_is_accepted(client, raw) -> None:
    await _users(client, "alice", "bob")
    msg = await _chat(client)
    body = await ok(raw, "POST", "/reaction/user/bob", {"msg_Id": msg, "message": "e"})
    assert list(body) == ["requestStatusCode", "timestamp", "data"]
    assert body["data"]["msgId"] == msg


async def test_deleting_a_user_takes_its_reactions_off(client) -> None:
    await _users(client, "alice", "bob", "carl")
    msg = await _chat(client)
    await client.reactions.add("bob", msg, "e")
    await client.reactions.add("bob", msg, "only_bob")
    await client.reactions.add("carl", msg, "e")

    await client.users.delete("bob")

    (found,) = await client.reactions.get_many("carl", [msg], chat_type="chat")
    assert [(r.reaction, r.users) for r in found.reactions] == [("e", ["carl"])]


async def test_reactions_go_with_an_expired_message(client, emulator) -> None:
    await _users(client, "alice", "bob")
    eight_days_ago = int(time.time() * 1000) - 8 * 24 * 3600 * 1000
    msg = await client.messages.import_to_user(
        from_="alice", to="bob", type="txt", body={"msg": "old"}, msg_timestamp=eight_days_ago
    )
    await client.reactions.add("bob", msg, "e")  # kept until the next message is sent
    assert msg in emulator.state.reactions

    await _chat(client)  # sending forgets the messages older than 7 days

    assert msg not in emulator.state.reactions
    with pytest.raises(NotFoundError):
        await client.reactions.add("bob", msg, "e")


async def test_a_recalled_message_takes_its_reactions_along(client, emulator) -> None:
    await _users(client, "alice", "bob")
    msg = await _chat(client)
    await client.reactions.add("bob", msg, "e")

    await client.messages.recall(msg, to="bob", chat_type="chat", from_="alice")

    assert msg not in emulator.state.reactions
    with pytest.raises(NotFoundError):
        await client.reactions.add("bob", msg, "e")
