"""Threads through the public client against the emulator: the life of a thread, its
members, paging with Agora's end signal, and the documented refusals.

Groups are created with ``POST /chatgroups`` and group messages sent over REST (the
client's groups methods belong to another area, so ``raw`` stands in for them).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from agora_chat_async import BadRequestError, NotFoundError, PermissionDeniedError
from agora_chat_async.emulator._handlers import threads as thread_handlers
from tests.integration._helpers import agora_error

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw


async def _group(raw: Raw, client: AgoraChatClient, owner: str, *members: str) -> str:
    """A chat group of registered users (the owner is a member too)."""
    for name in (owner, *members):
        if (await raw("GET", f"/users/{name}")).status == 404:
            await client.users.register(name)
    body = {"groupname": "g", "owner": owner, "members": list(members), "public": False}
    response = await raw("POST", "/chatgroups", json=body)
    assert response.status == 200, response.body
    return str(response.body["data"]["groupid"])


async def _message(client: AgoraChatClient, group_id: str, sender: str = "alice") -> str:
    ids = await client.messages.send(
        "chatgroups", to=[group_id], type="txt", body={"msg": "hi"}, from_=sender
    )
    return ids[group_id]


async def test_a_thread_from_creation_to_deletion(client, raw) -> None:
    gid = await _group(raw, client, "alice", "bob", "carl")
    msg = await _message(client, gid)
    before = int(time.time() * 1000)
    thread_id = await client.threads.create(gid, "plans", msg, "alice")

    assert [i async for i in client.threads.list()] == [thread_id]
    [thread] = [t async for t in client.threads.list_joined("alice")]
    assert (thread.id, thread.name, thread.owner, thread.group_id) == (
        thread_id,
        "plans",
        "alice",
        gid,
    )
    assert thread.msg_id == msg
    assert thread.created is not None
    assert before <= thread.created <= time.time() * 1000
    assert [m async for m in client.threads.members.list(thread_id)] == ["alice"]

    added = await client.threads.members.add_many(thread_id, ["bob", "CARL"])
    assert (added.succeeded, added.failed) == (["bob", "CARL"], [])
    assert [m async for m in client.threads.members.list(thread_id)] == ["alice", "bob", "carl"]
    assert [t.id async for t in client.threads.list_joined_in_group(gid, "carl")] == [thread_id]

    assert await client.threads.update(thread_id, name="plans, v2") == "plans, v2"
    assert [t.name async for t in client.threads.list_joined("bob")] == ["plans, v2"]

    removed = await client.threads.members.remove_many(thread_id, ["bob", "dave"])
    assert removed.succeeded == ["bob"]
    assert [(f.item, f.reason) for f in removed.failed] == [
        ("dave", "not removed: not a member of the thread")
    ]
    assert [t async for t in client.threads.list_joined("bob")] == []

    assert await client.threads.delete(thread_id) is True
    assert [i async for i in client.threads.list()] == []
    assert [t async for t in client.threads.list_joined("alice")] == []
    with pytest.raises(NotFoundError) as gone:
        await client.threads.delete(thread_id)
    assert (gone.value.error, gone.value.description) == ("group_error", "thread not found.")


async def _start(client: AgoraChatClient, gid: str, name: str, owner: str = "alice") -> str:
    return await client.threads.create(gid, name, await _message(client, gid, owner), owner)


async def test_create_refusals(client, raw) -> None:
    gid = await _group(raw, client, "alice", "bob")
    other = await _group(raw, client, "olga")
    msg = await _message(client, gid)
    foreign = await _message(client, other, "olga")
    sent = await client.messages.send("users", to=["bob"], type="txt", body={"msg": "hi"})
    direct = sent["bob"]  # a one-to-one message

    cases = [
        (("999999", "t", msg, "alice"), NotFoundError, 404, "group not found."),
        ((gid, "t", msg, "olga"), NotFoundError, 404, "user not in group."),
        ((gid, "t", "42", "alice"), NotFoundError, 404, "msg not exist."),
        ((gid, "t", foreign, "alice"), BadRequestError, 400, "msg not belong to group ."),
        (
            (gid, "t", direct, "alice"),
            BadRequestError,
            400,
            "thread must on group message to create.",
        ),
    ]
    for args, kind, status, description in cases:
        with pytest.raises(kind) as refused:
            await client.threads.create(*args)
        assert (refused.value.status, refused.value.error) == (status, "group_error")
        assert refused.value.description == description

    await client.threads.create(gid, "first", msg, "bob")  # any member may start one
    with pytest.raises(PermissionDeniedError) as twice:
        await client.threads.create(gid, "second", msg, "alice")
    assert twice.value.description == "msg already create thread.not allow to create."
    assert len([i async for i in client.threads.list()]) == 1


async def test_server_side_checks_of_what_the_client_refuses(client, raw: Raw) -> None:
    gid = await _group(raw, client, "alice", "bob")
    msg = await _message(client, gid)
    body = {"group_id": int(gid), "name": "n" * 65, "msg_id": int(msg), "owner": "alice"}
    response = await raw("POST", "/thread", json=body)
    agora_error(response, 400, "group_error", "thread name limit reached.")
    response = await raw("POST", "/thread", json={"group_id": gid, "name": "n"})
    agora_error(response, 400, "param_illegal", "Failed to read HTTP message")
    response = await raw("POST", "/thread", json={**body, "name": "numbers as ids"})
    assert response.status == 200, response.body  # the docs send the ids as numbers
    thread_id = response.body["data"]["thread_id"]

    response = await raw("PUT", f"/thread/{thread_id}", json={"name": "m" * 65})
    agora_error(response, 400, "group_error", "thread name limit reached.")
    response = await raw("PUT", "/thread/123", json={"name": "m"})
    agora_error(response, 404, "group_error", "thread not found.")
    eleven = {"usernames": [f"u{i}" for i in range(11)]}
    for method in ("POST", "DELETE"):
        response = await raw(method, f"/thread/{thread_id}/users", json=eleven)
        agora_error(response, 400, "group_error", "request body reaches limit.")
    response = await raw("GET", "/thread?limit=51")
    agora_error(response, 400, "group_error", "query param reaches limit.")
    response = await raw("GET", f"/thread/{thread_id}/users?limit=51")
    agora_error(response, 400, "group_error", "query param reaches limit.")
    response = await raw("GET", "/thread?sort=newest")
    assert (response.status, response.body["error"]) == (400, "illegal_argument")
    response = await raw("GET", "/thread?cursor=bm90LW91cnM")
    assert (response.status, response.body["error"]) == (400, "illegal_argument")


async def test_lists_page_by_creation_and_end_on_a_short_page(client, raw) -> None:
    gid = await _group(raw, client, "alice", "bob")
    ids = [await _start(client, gid, f"t{i}") for i in range(7)]

    pages = [page.items async for page in client.threads.list(page_size=3).pages()]
    assert pages == [ids[6:3:-1], ids[3:0:-1], ids[:1]]  # newest first by default
    ascending = client.threads.list(sort="asc", page_size=3)
    assert [i async for i in ascending] == ids
    joined = client.threads.list_joined("alice", sort="asc", page_size=2)
    assert [t.name async for t in joined] == [f"t{i}" for i in range(7)]
    in_group = client.threads.list_joined_in_group(gid, "alice", page_size=4)
    assert [t.id async for t in in_group] == ids[::-1]

    # The last page carries a cursor too; asking past it gives an empty page.
    first = (await raw("GET", "/thread?limit=4&sort=asc")).body
    second = await raw("GET", f"/thread?limit=4&sort=asc&cursor={first['properties']['cursor']}")
    assert [e["id"] for e in second.body["entities"]] == ids[4:]
    cursor = second.body["properties"]["cursor"]
    after = (await raw("GET", f"/thread?limit=4&sort=asc&cursor={cursor}")).body
    assert after["entities"] == []
    assert after["properties"] == {"cursor": cursor}


async def test_a_full_last_page_ends_on_the_next_empty_one(client, raw) -> None:
    gid = await _group(raw, client, "alice")
    for i in range(4):
        await _start(client, gid, f"t{i}")
    pages = [len(page.items) async for page in client.threads.list(page_size=2).pages()]
    assert pages == [2, 2, 0]


async def test_members_page_in_joining_order(client, raw) -> None:
    names = [f"m{i:02d}" for i in range(12)]
    gid = await _group(raw, client, "alice", *names)
    thread_id = await _start(client, gid, "crowd")
    assert (await client.threads.members.add_many(thread_id, names)).ok

    pages = [p.items async for p in client.threads.members.list(thread_id, page_size=5).pages()]
    assert pages == [["alice", *names[:4]], names[4:9], names[9:]]


async def test_add_many_spreads_over_calls_and_refuses_non_members(client, raw) -> None:
    names = [f"m{i:02d}" for i in range(23)]
    gid = await _group(raw, client, "alice", *names)
    await client.users.register("outsider")
    thread_id = await _start(client, gid, "crowd")

    batch = [*names[:15], "outsider", *names[15:]]
    result = await client.threads.members.add_many(thread_id, batch, concurrency=1)

    assert result.calls == 3
    assert result.succeeded == batch[:10] + batch[20:]
    assert [f.item for f in result.failed] == batch[10:20]  # the chunk with the outsider
    assert all("user not in group." in f.reason for f in result.failed)
    members = {m async for m in client.threads.members.list(thread_id)}
    assert members == {"alice", *batch[:10], *batch[20:]}

    again = await client.threads.members.add_many(thread_id, names[:3])  # already in: fine
    assert again.ok
    with pytest.raises(NotFoundError):
        [m async for m in client.threads.members.list("404")]
    missing = await client.threads.members.add_many("404", ["m01"])
    assert missing.failed[0].error is not None
    assert missing.failed[0].error.description == "thread not found."


async def test_remove_many_reports_each_user_and_the_legacy_path_works(client, raw) -> None:
    names = [f"m{i:02d}" for i in range(14)]
    gid = await _group(raw, client, "alice", *names)
    thread_id = await _start(client, gid, "crowd")
    await client.threads.members.add_many(thread_id, names[:12])

    result = await client.threads.members.remove_many(thread_id, names, concurrency=1)

    assert result.succeeded == names[:12]
    assert [f.item for f in result.failed] == names[12:]
    assert [m async for m in client.threads.members.list(thread_id)] == ["alice"]

    response = await raw("DELETE", f"/threads/{thread_id}/users", json={"usernames": ["ALICE"]})
    assert response.status == 200, response.body
    assert response.body["entities"] == [{"result": True, "user": "alice"}]
    assert [m async for m in client.threads.members.list(thread_id)] == []


async def test_a_deleted_user_leaves_every_thread(client, raw) -> None:
    gid = await _group(raw, client, "alice", "bob")
    first = await _start(client, gid, "one")
    second = await _start(client, gid, "two", owner="bob")
    await client.threads.members.add_many(first, ["bob"])

    await client.users.delete("bob")

    assert [m async for m in client.threads.members.list(first)] == ["alice"]
    assert [m async for m in client.threads.members.list(second)] == []
    assert len([i async for i in client.threads.list()]) == 2  # threads it started stay


async def test_joined_in_an_unknown_group(client, raw) -> None:
    with pytest.raises(NotFoundError) as missing:
        [t async for t in client.threads.list_joined_in_group("404", "alice")]
    assert missing.value.description == "group not found."
    assert [t async for t in client.threads.list_joined("nobody")] == []


async def test_quotas(client, raw, monkeypatch) -> None:
    gid = await _group(raw, client, "alice", "bob")
    monkeypatch.setattr(thread_handlers, "MAX_JOINED", 1)
    first = await _start(client, gid, "one")
    with pytest.raises(PermissionDeniedError) as joined:
        await _start(client, gid, "two")
    assert joined.value.description == "user join thread reach limit."
    second = await _start(client, gid, "two", owner="bob")
    refused = await client.threads.members.add_many(first, ["bob"])
    assert refused.failed[0].error is not None
    assert refused.failed[0].error.description == "user join thread reach limit."
    assert [m async for m in client.threads.members.list(second)] == ["bob"]

    monkeypatch.setattr(thread_handlers, "MAX_THREADS", 2)
    await client.users.register("carl")
    assert (await raw("POST", f"/chatgroups/{gid}/users/carl")).status == 200
    with pytest.raises(PermissionDeniedError) as full:
        await _start(client, gid, "three", owner="carl")
    assert full.value.description == "thread number has reached limit."


async def test_leaving_or_deleting_the_group_reaches_its_threads(client, raw) -> None:
    gid = await _group(raw, client, "alice", "bob", "carl")
    thread_id = await _start(client, gid, "one")
    await client.threads.members.add_many(thread_id, ["bob", "carl"])

    assert (await raw("DELETE", f"/chatgroups/{gid}/users/bob")).status == 200
    assert [m async for m in client.threads.members.list(thread_id)] == ["alice", "carl"]

    assert (await raw("DELETE", f"/chatgroups/{gid}")).status == 200
    assert [i async for i in client.threads.list()] == []
    with pytest.raises(NotFoundError):
        await client.threads.update(thread_id, name="gone")
