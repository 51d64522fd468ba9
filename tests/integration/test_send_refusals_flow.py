"""Sends the emulator refuses, end to end: into a disabled group (and thread changes in
one), from a globally muted user, from a member muted in a group or chat room, and
from an ordinary member while all members are muted; and that each refusal ends (the
group enabled again, the mute run out or lifted).

A refused send fails as a whole with 403 ``forbidden_op`` and stores nothing (see the
``messages`` handler module for why)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import PermissionDeniedError
from tests.integration._helpers import agora_error, ok, register

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer
    from tests.integration._helpers import Clock, Raw

TEXT: dict[str, Any] = {"type": "txt", "body": {"msg": "hi"}}


async def group(raw: Raw, *members: str, owner: str = "owner") -> str:
    await register(raw, owner, *members)
    body = await ok(raw, "POST", "/chatgroups", {"owner": owner, "members": list(members)})
    gid: str = body["data"]["groupid"]
    return gid


async def room(raw: Raw, *members: str, owner: str = "owner") -> str:
    await register(raw, owner, *members)
    body = {"name": "r", "description": "d", "owner": owner, "members": list(members)}
    rid: str = (await ok(raw, "POST", "/chatrooms", body))["data"]["id"]
    return rid


async def refused(call: Awaitable[object], description: str) -> None:
    """``call`` fails with the send refusal ``description``."""
    with pytest.raises(PermissionDeniedError) as caught:
        await call
    error = caught.value
    assert (error.status, error.error, error.description) == (403, "forbidden_op", description)


def send(client: AgoraChatClient, kind: Any, to: list[str], sender: str | None) -> Any:
    if sender is None:
        return client.messages.send(kind, to=to, **TEXT)
    return client.messages.send(kind, to=to, from_=sender, **TEXT)


# -- a disabled group -------------------------------------------------------------------------


async def test_a_disabled_group_refuses_every_send_until_enabled(
    client: AgoraChatClient, raw: Raw, emulator: EmulatorServer
) -> None:
    gid = await group(raw, "u1", "u2")
    other = await group(raw, "u1", owner="boss")
    assert set(await send(client, "chatgroups", [gid], "u1")) == {gid}

    await client.groups.disable(gid)
    stored = len(emulator.state.sent)
    disabled = f"group: {gid} is disabled"
    for sender in ("u1", "owner", None):  # members, its owner, the app: nobody sends
        await refused(send(client, "chatgroups", [gid], sender), disabled)
    # With another, open group in the same call, the whole call is refused.
    await refused(send(client, "chatgroups", [other, gid], "u1"), disabled)
    directed = client.messages.send_to_group_members(gid, users=["u2"], from_="u1", **TEXT)
    await refused(directed, disabled)
    legacy = {"target_type": "chatgroups", "target": [gid], "msg": {"type": "txt", "msg": "x"}}
    agora_error(await raw("POST", "/messages", json=legacy), 403, "forbidden_op", disabled)
    assert len(emulator.state.sent) == stored  # nothing was sent
    assert emulator.state.offline_messages("u2") == set()

    # Other groups are not affected, and an import (history, not a send) is kept.
    assert set(await send(client, "chatgroups", [other], "u1")) == {other}
    imported = await client.messages.import_to_group(from_="u1", group_id=gid, **TEXT)
    assert emulator.state.group_messages[imported] == gid

    await client.groups.enable(gid)
    ids = await send(client, "chatgroups", [other, gid], "u1")
    assert set(ids) == {other, gid}
    message = await client.messages.send_to_group_members(gid, users=["u2"], from_="u1", **TEXT)
    assert emulator.state.offline_messages("u2") == {message}
    assert (await ok(raw, "POST", "/messages", legacy))["data"] == {gid: "success"}


async def test_a_disabled_group_refuses_thread_changes_until_enabled(
    client: AgoraChatClient, raw: Raw, emulator: EmulatorServer
) -> None:
    gid = await group(raw, "u1", "u2")
    first, second = [(await send(client, "chatgroups", [gid], "u1"))[gid] for _ in range(2)]
    thread = await client.threads.create(gid, "plans", first, "u1")

    await client.groups.disable(gid)
    disabled = f"group: {gid} is disabled"
    await refused(client.threads.create(gid, "more", second, "u1"), disabled)
    await refused(client.threads.update(thread, name="renamed"), disabled)
    members = f"/thread/{thread}/users"
    for method in ("POST", "DELETE"):
        answer = await raw(method, members, json={"usernames": ["u2"]})
        agora_error(answer, 403, "forbidden_op", disabled)
    added = await client.threads.members.add_many(thread, ["u2"])
    reason = f"threads.members.add_many failed with HTTP 403 (forbidden_op: {disabled})"
    assert [(f.item, f.reason) for f in added.failed] == [("u2", reason)]

    # Reads still answer, and nothing above changed.
    assert [m async for m in client.threads.members.list(thread)] == ["u1"]
    assert [t.name async for t in client.threads.list_joined("u1")] == ["plans"]
    assert list(emulator.state.threads) == [thread]

    await client.groups.enable(gid)
    assert await client.threads.update(thread, name="renamed") == "renamed"
    assert (await client.threads.members.add_many(thread, ["u2"])).failed == []
    later = await client.threads.create(gid, "more", second, "u1")

    # Like the group itself, a disabled group's thread can still be deleted.
    await client.groups.disable(gid)
    assert await client.threads.delete(later) is True
    assert list(emulator.state.threads) == [thread]


# -- global mutes -------------------------------------------------------------------------------


async def test_a_global_mute_refuses_its_chat_type_until_it_runs_out(
    client: AgoraChatClient, raw: Raw, clock: Clock
) -> None:
    gid = await group(raw, "alice")
    rid = await room(raw, "alice")
    await register(raw, "bob")

    await client.global_mutes.set("alice", chat=100)
    muted = "user: alice is globally muted in chat"
    await refused(send(client, "users", ["bob"], "alice"), muted)
    await refused(send(client, "users", ["bob"], "ALICE"), muted)  # usernames ignore case
    # Other chat types, and other senders, are not muted.
    assert set(await send(client, "chatgroups", [gid], "alice")) == {gid}
    assert set(await send(client, "chatrooms", [rid], "alice")) == {rid}
    assert set(await send(client, "users", ["alice"], "bob")) == {"alice"}

    clock.offset += 50
    await refused(send(client, "users", ["bob"], "alice"), muted)
    clock.offset += 51  # the 100 seconds are over
    assert set(await send(client, "users", ["bob"], "alice")) == {"bob"}

    await client.global_mutes.set("alice", groupchat=-1, chatroom=30)
    muted_in_groups = "user: alice is globally muted in groupchat"
    clock.offset += 3000  # -1 is for ever; the room mute has run out by then
    await refused(send(client, "chatgroups", [gid], "alice"), muted_in_groups)
    directed = client.messages.send_to_group_members(gid, users=["owner"], from_="alice", **TEXT)
    await refused(directed, muted_in_groups)
    assert set(await send(client, "chatrooms", [rid], "alice")) == {rid}

    await client.global_mutes.set("alice", groupchat=0)
    assert set(await send(client, "chatgroups", [gid], "alice")) == {gid}


async def test_a_global_chat_room_mute_refuses_room_messages(
    client: AgoraChatClient, raw: Raw
) -> None:
    rid = await room(raw, "alice")
    await client.global_mutes.set("alice", chatroom=30)
    muted = "user: alice is globally muted in chatroom"
    await refused(send(client, "chatrooms", [rid], "alice"), muted)
    legacy = {
        "target_type": "chatrooms",
        "target": [rid],
        "from": "alice",
        "msg": {"type": "txt", "msg": "x"},
    }
    agora_error(await raw("POST", "/messages", json=legacy), 403, "forbidden_op", muted)


# -- member mutes -----------------------------------------------------------------------------


async def test_a_muted_group_member_cannot_send_until_the_mute_ends(
    client: AgoraChatClient, raw: Raw, clock: Clock
) -> None:
    gid = await group(raw, "u1", "u2")
    await client.groups.mutes.add(gid, ["u1"], mute_duration=60_000)
    muted = f"user: u1 is muted in group: {gid}"

    await refused(send(client, "chatgroups", [gid], "u1"), muted)
    await refused(
        client.messages.send_to_group_members(gid, users=["u2"], from_="u1", **TEXT), muted
    )
    assert set(await send(client, "chatgroups", [gid], "u2")) == {gid}
    assert set(await send(client, "chatgroups", [gid], None)) == {gid}
    assert set(await send(client, "users", ["u2"], "u1")) == {"u2"}  # only the group

    clock.offset += 61  # the minute is over
    assert set(await send(client, "chatgroups", [gid], "u1")) == {gid}

    await client.groups.mutes.add(gid, ["u1"], mute_duration=-1)
    clock.offset += 3000  # (less than the client's tokens live)
    await refused(send(client, "chatgroups", [gid], "u1"), muted)
    await client.groups.mutes.remove(gid, ["u1"])
    assert set(await send(client, "chatgroups", [gid], "u1")) == {gid}


async def test_a_muted_chat_room_member_cannot_send_until_unmuted(
    client: AgoraChatClient, raw: Raw
) -> None:
    rid = await room(raw, "u1", "u2")
    other = await room(raw, "u1")
    await client.chatrooms.mutes.add(rid, ["u1"], mute_duration=-1)
    muted = f"user: u1 is muted in chatroom: {rid}"

    await refused(send(client, "chatrooms", [other, rid], "u1"), muted)
    assert set(await send(client, "chatrooms", [other], "u1")) == {other}
    assert set(await send(client, "chatrooms", [rid], "u2")) == {rid}

    await client.chatrooms.mutes.remove(rid, ["u1"])
    assert set(await send(client, "chatrooms", [other, rid], "u1")) == {other, rid}


async def test_mute_all_leaves_the_owner_admins_and_allow_list_able_to_send(
    client: AgoraChatClient, raw: Raw
) -> None:
    gid = await group(raw, "admin1", "listed", "plain")
    await register(raw, "stranger")
    await client.groups.admins.add(gid, "admin1")
    await client.groups.allowlist.add(gid, "listed")
    await client.groups.mutes.mute_all(gid)

    await refused(
        send(client, "chatgroups", [gid], "plain"),
        f"user: plain is muted in group: {gid} (all members are muted)",
    )
    for sender in ("owner", "admin1", "listed", None, "stranger"):
        assert set(await send(client, "chatgroups", [gid], sender)) == {gid}, sender
    # The mute list still applies to an allow-listed member.
    await client.groups.mutes.add(gid, ["listed"], mute_duration=60_000)
    await refused(
        send(client, "chatgroups", [gid], "listed"), f"user: listed is muted in group: {gid}"
    )

    await client.groups.mutes.unmute_all(gid)
    assert set(await send(client, "chatgroups", [gid], "plain")) == {gid}


async def test_mute_all_in_a_chat_room(client: AgoraChatClient, raw: Raw) -> None:
    rid = await room(raw, "admin1", "listed", "plain")
    await client.chatrooms.admins.add(rid, "admin1")
    await client.chatrooms.allowlist.add(rid, "listed")
    await client.chatrooms.mutes.mute_all(rid)

    await refused(
        send(client, "chatrooms", [rid], "plain"),
        f"user: plain is muted in chatroom: {rid} (all members are muted)",
    )
    for sender in ("owner", "admin1", "listed", None):
        assert set(await send(client, "chatrooms", [rid], sender)) == {rid}, sender

    await client.chatrooms.mutes.unmute_all(rid)
    assert set(await send(client, "chatrooms", [rid], "plain")) == {rid}
