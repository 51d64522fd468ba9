"""Chat room ownership transfer, super admins and custom attributes, end to end: the
typed client (and raw requests it would refuse to send) against the emulator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
)
from agora_chat_async.models.chatrooms import ChatroomAttributeResult
from tests.integration._helpers import agora_error, ok, register

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw


async def room(raw: Raw, owner: str = "owner", members: tuple[str, ...] = ()) -> str:
    body: dict[str, Any] = {"name": "r", "description": "d", "owner": owner}
    if members:
        body["members"] = list(members)
    rid: str = (await ok(raw, "POST", "/chatrooms", body))["data"]["id"]
    return rid


# -- transfer_owner --------------------------------------------------------------------


async def test_transfer_owner_makes_a_member_the_owner(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "owner", "u1", "u2")
    rid = await room(raw, members=("u1", "u2"))
    await client.chatrooms.admins.add(rid, "u1")

    assert await client.chatrooms.transfer_owner(rid, "U1") is True

    (detail,) = await client.chatrooms.get([rid])
    assert detail.owner == "u1"
    roles = {m.username: m.role for m in await client.chatrooms.members.list(rid).to_list()}
    assert roles == {"u1": "owner", "owner": "member", "u2": "member"}
    assert [a async for a in client.chatrooms.admins.list(rid)] == []  # no longer an admin
    # the update row still answers on the same path
    assert await client.chatrooms.update(rid, name="renamed") == {"groupname": True}
    (detail,) = await client.chatrooms.get([rid])
    assert (detail.name, detail.owner) == ("renamed", "u1")


async def test_transfer_owner_errors(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "owner", "u1", "stranger")
    rid = await room(raw, members=("u1",))

    cases = [
        (rid, "owner", 400, "forbidden_op", "new owner and old owner are the same"),
        (rid, "stranger", 400, "forbidden_op", f"user: stranger doesn't exist in group: {rid}"),
        (rid, "nobody", 404, "resource_not_found", "username nobody doesn't exist!"),
        ("1", "u1", 404, "resource_not_found", "grpID 1 does not exist!"),
    ]
    for room_id, new_owner, status, error, description in cases:
        with pytest.raises((BadRequestError, NotFoundError)) as info:
            await client.chatrooms.transfer_owner(room_id, new_owner)
        got = (info.value.status, info.value.error, info.value.description)
        assert got == (status, error, description)
    (detail,) = await client.chatrooms.get([rid])
    assert detail.owner == "owner"


async def test_the_body_tells_transfer_from_update(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    rid = await room(raw, members=("u1",))
    await ok(raw, "DELETE", "/__emulator/requests")
    transfer = await ok(raw, "PUT", f"/chatrooms/{rid}", {"newowner": "u1"})
    assert transfer["data"] == {"newowner": True}
    both = await ok(raw, "PUT", f"/chatrooms/{rid}", {"newowner": "owner", "name": "n"})
    assert both["data"] == {"groupname": True, "newowner": True}
    log = (await ok(raw, "GET", "/__emulator/requests"))["requests"]
    assert [e["endpoint"] for e in log if e["method"] == "PUT"] == [
        "chatrooms.transfer_owner",
        "chatrooms.update",
    ]


# -- super admins ---------------------------------------------------------------------------


async def test_super_admins_add_list_remove(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "a", "b", "c")
    assert await client.chatrooms.super_admins.list().to_list() == []

    for name in ("a", "B", "c"):
        assert await client.chatrooms.super_admins.add(name) is True
    assert await client.chatrooms.super_admins.add("a") is True  # again: unchanged

    assert await client.chatrooms.super_admins.list().to_list() == ["c", "b", "a"]
    pages = [p.items async for p in client.chatrooms.super_admins.list(page_size=2).pages()]
    assert pages == [["c", "b"], ["a"]]

    assert await client.chatrooms.super_admins.remove("b") is True
    assert await client.chatrooms.super_admins.list().to_list() == ["c", "a"]


async def test_super_admin_errors(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "a")
    with pytest.raises(NotFoundError) as info:
        await client.chatrooms.super_admins.add("nobody")
    assert (info.value.error, info.value.description) == (
        "resource_not_found",
        "username nobody doesn't exist!",
    )
    with pytest.raises(NotFoundError, match="username nobody doesn't exist!"):
        await client.chatrooms.super_admins.remove("nobody")
    with pytest.raises(BadRequestError) as refused:
        await client.chatrooms.super_admins.remove("a")
    assert (refused.value.error, refused.value.description) == (
        "forbidden_op",
        "user: a is not a super admin",
    )
    agora_error(
        await raw("POST", "/chatrooms/super_admin", json={}),
        400,
        "invalid_parameter",
        "superadmin must be provided",
    )


async def test_a_deleted_user_is_no_longer_a_super_admin(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "a", "b")
    await client.chatrooms.super_admins.add("a")
    await client.chatrooms.super_admins.add("b")
    await client.users.delete("a")
    assert await client.chatrooms.super_admins.list().to_list() == ["b"]


async def test_super_admin_routes_are_not_room_ids(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "owner", "ban")
    rid = await room(raw)
    await client.chatrooms.super_admins.add("ban")

    body = await ok(raw, "GET", "/chatrooms/super_admin")
    assert (body["data"], body["count"]) == (["ban"], 1)
    assert (await ok(raw, "GET", f"/chatrooms/{rid}"))["data"][0]["id"] == rid
    paged = await ok(raw, "GET", "/chatrooms/super_admin?pagenum=2&pagesize=1")
    assert (paged["data"], paged["params"]) == ([], {"pagenum": ["2"], "pagesize": ["1"]})
    # DELETE /chatrooms/super_admin/ban revokes a role; it does not unmute a room
    removed = await ok(raw, "DELETE", "/chatrooms/super_admin/ban")
    assert removed["data"] == {"newSuperAdmin": "ban", "resource": ""}
    assert [r.id for r in await client.chatrooms.list().to_list()] == [rid]


# -- custom attributes ------------------------------------------------------------------------


def _result(success: list[str], errors: dict[str, str] | None = None) -> ChatroomAttributeResult:
    return ChatroomAttributeResult(success_keys=success, error_keys=errors or {})


async def test_attributes_set_get_remove(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "owner", "u1")
    rid = await room(raw, members=("u1",))
    attrs = client.chatrooms.attributes

    assert await attrs.get(rid) == {}
    assert await attrs.set(rid, "u1", {"topic": "cats", "mode": "open"}) == _result(
        ["topic", "mode"]
    )
    assert await attrs.set(rid, "U1", {"topic": "dogs"}) == _result(["topic"])  # its own key
    assert await attrs.get(rid) == {"topic": "dogs", "mode": "open"}
    assert await attrs.get(rid, keys=["mode", "missing"]) == {"mode": "open"}

    removed = await attrs.remove(rid, "u1", ["mode", "missing"])
    assert removed == _result(["mode"], {"missing": "properties key 'missing' does not exist"})
    assert removed.ok is False
    assert await attrs.get(rid) == {"topic": "dogs"}


async def test_only_the_setter_changes_its_keys_unless_forced(
    client: AgoraChatClient, raw: Raw
) -> None:
    await register(raw, "owner", "u1", "u2")
    rid = await room(raw, members=("u1", "u2"))
    attrs = client.chatrooms.attributes
    await attrs.set(rid, "u1", {"k": "by u1"})

    taken = await attrs.set(rid, "u2", {"k": "by u2", "own": "x"})
    assert taken == _result(["own"], {"k": "others are not allowed to be set"})
    refused = await attrs.remove(rid, "u2", ["k"])
    assert refused == _result([], {"k": "others are not allowed to be removed"})
    assert await attrs.get(rid) == {"k": "by u1", "own": "x"}

    assert await attrs.set_forced(rid, "u2", {"k": "by u2"}) == _result(["k"])
    assert await attrs.get(rid, keys=["k"]) == {"k": "by u2"}
    # u2 owns the key now: u1 may no longer remove it, u2 may
    assert (await attrs.remove(rid, "u1", ["k"])).error_keys == {
        "k": "others are not allowed to be removed"
    }
    assert await attrs.remove_forced(rid, "owner", ["own", "k"]) == _result(["own", "k"])
    assert await attrs.get(rid) == {}


async def test_attribute_call_errors(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "owner", "u1", "outsider")
    rid = await room(raw, members=("u1",))
    attrs = client.chatrooms.attributes

    outsider_calls: list[Callable[[], Awaitable[object]]] = [
        lambda: attrs.set(rid, "outsider", {"k": "v"}),
        lambda: attrs.set_forced(rid, "outsider", {"k": "v"}),
        lambda: attrs.remove(rid, "outsider", ["k"]),
    ]
    for call in outsider_calls:
        with pytest.raises(AuthenticationError) as info:
            await call()
        assert (info.value.status, info.value.error, info.value.description) == (
            401,
            "MetadataException",
            "user is not in chatroom",
        )
    with pytest.raises(NotFoundError, match="username nobody doesn't exist!"):
        await attrs.set(rid, "nobody", {"k": "v"})
    unknown_room: list[Callable[[], Awaitable[object]]] = [
        lambda: attrs.get("1"),
        lambda: attrs.set("1", "u1", {"k": "v"}),
        lambda: attrs.remove("1", "u1", ["k"]),
    ]
    for call in unknown_room:
        with pytest.raises(NotFoundError) as missing:
            await call()
        assert (missing.value.error, missing.value.description) == (
            "resource_not_found",
            "grpID 1 does not exist!",
        )
    # forced removal does not ask who the operator is (the Java SDK sends "admin")
    assert await attrs.remove_forced(rid, "admin", ["k"]) == _result(
        [], {"k": "properties key 'k' does not exist"}
    )


async def test_attribute_limits_on_the_server(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    rid = await room(raw, members=("u1",))
    path = f"/metadata/chatroom/{rid}/user/u1"

    eleven = {f"k{i}": "v" for i in range(11)}
    for method, body in (("PUT", {"metaData": eleven}), ("DELETE", {"keys": list(eleven)})):
        agora_error(
            await raw(method, path, json=body),
            400,
            "illegal_argument",
            "exceed allowed batch size 10",
        )
    for body, description in (
        ({}, "metaData must be provided"),
        ({"metaData": {}}, "metaData must be provided"),
        (
            {"metaData": {"k": "v"}, "autoDelete": "yes"},
            "autoDelete must be DELETE or NO_DELETE, got yes",
        ),
    ):
        agora_error(await raw("PUT", path, json=body), 400, "illegal_argument", description)
    agora_error(
        await raw("DELETE", path, json={}), 400, "illegal_argument", "keys must be provided"
    )

    long_key, long_value = "k" * 129, "v" * 4097
    body = {"metaData": {long_key: "v", "bad key": "v", "big": long_value, "num": 1, "ok": "v"}}
    answer = await ok(raw, "PUT", path, body)
    assert answer["data"] == {
        "successKeys": ["ok"],
        "errorKeys": {
            long_key: f"properties key '{long_key}' is exceeding maximum limit 128",
            "bad key": "properties key 'bad key' is illegal",
            "big": "properties value of key 'big' is exceeding maximum limit 4096",
            "num": "properties value of key 'num' must be a string",
        },
    }
    edge = {"metaData": {"k" * 128: "v" * 4096}}
    assert (await ok(raw, "PUT", path, edge))["data"]["successKeys"] == ["k" * 128]


async def test_a_room_holds_at_most_100_attributes(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "owner", "u1")
    rid = await room(raw, members=("u1",))
    attrs = client.chatrooms.attributes
    for batch in range(10):
        keys = {f"k{batch}-{i}": "v" for i in range(10)}
        assert (await attrs.set(rid, "u1", keys)).ok
    assert len(await attrs.get(rid)) == 100

    full = await attrs.set(rid, "u1", {"k0-0": "changed", "new": "v"})
    assert full == _result(
        ["k0-0"], {"new": "the number of chatroom attributes exceeds the limit 100"}
    )
    await attrs.remove(rid, "u1", ["k9-9"])
    assert (await attrs.set(rid, "u1", {"new": "v"})).ok


async def test_auto_delete_drops_a_leaving_members_keys(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "owner", "u1", "u2", "u3", "u4")
    rid = await room(raw, members=("u1", "u2", "u3", "u4"))
    attrs = client.chatrooms.attributes
    await attrs.set(rid, "u1", {"a1": "v"})  # autoDelete defaults to DELETE
    await attrs.set(rid, "u1", {"a2": "v"}, auto_delete="NO_DELETE")
    await attrs.set(rid, "u2", {"b": "v"}, auto_delete="DELETE")
    await attrs.set(rid, "u3", {"c": "v"})
    await attrs.set(rid, "u4", {"d": "v"}, auto_delete="NO_DELETE")

    await client.chatrooms.members.remove(rid, "u1")
    assert set(await attrs.get(rid)) == {"a2", "b", "c", "d"}
    await client.chatrooms.blocklist.add(rid, "u2")
    assert set(await attrs.get(rid)) == {"a2", "c", "d"}
    await client.users.delete("u3")
    await client.users.delete("u4")
    assert await attrs.get(rid) == {"a2": "v", "d": "v"}


async def test_setting_again_takes_the_calls_auto_delete(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "owner", "u1")
    rid = await room(raw, members=("u1",))
    attrs = client.chatrooms.attributes
    await attrs.set(rid, "u1", {"k": "v"}, auto_delete="NO_DELETE")
    await attrs.set(rid, "u1", {"k": "v2"})  # DELETE now
    await client.chatrooms.members.remove(rid, "u1")
    assert await attrs.get(rid) == {}


async def test_get_with_no_body_answers_everything(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    rid = await room(raw, members=("u1",))
    await ok(raw, "PUT", f"/metadata/chatroom/{rid}/user/u1", {"metaData": {"a": "1"}})
    assert (await ok(raw, "POST", f"/metadata/chatroom/{rid}"))["data"] == {"a": "1"}
    answer = await ok(raw, "POST", f"/metadata/chatroom/{rid}", {"keys": []})
    assert answer["data"] == {"a": "1"}
