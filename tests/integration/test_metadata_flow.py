"""User attributes through the public client against the emulator."""

from __future__ import annotations

import pytest

from agora_chat_async import PermissionDeniedError


async def test_set_merges_get_reads_delete_clears_and_capacity_counts(client) -> None:
    assert await client.metadata.get("alice") == {}
    first = await client.metadata.set("alice", {"nickname": "Al", "url": "http://x/?a=1&b="})
    assert first == {"nickname": "Al", "url": "http://x/?a=1&b="}
    second = await client.metadata.set("alice", {"nickname": "Alice", "sign": ""})
    assert second == {"nickname": "Alice", "sign": ""}  # only what this call set
    assert await client.metadata.get("ALICE") == {
        "nickname": "Alice",
        "url": "http://x/?a=1&b=",
        "sign": "",
    }
    await client.metadata.set("bob", {"nickname": "B"})
    size = len("nicknameAliceurlhttp://x/?a=1&b=sign") + len("nicknameB")
    assert await client.metadata.capacity() == size

    assert await client.metadata.get_many(["alice", "bob", "carl"], properties=["nickname"]) == {
        "alice": {"nickname": "Alice"},
        "bob": {"nickname": "B"},
        "carl": {},
    }
    assert await client.metadata.delete("alice") is True
    assert await client.metadata.delete("alice") is True  # nothing left: still true
    assert await client.metadata.get("alice") == {}
    assert await client.metadata.capacity() == len("nicknameB")


async def test_per_user_limit_is_enforced_by_the_server(client) -> None:
    await client.metadata.set("alice", {"a": "x" * 1500})
    with pytest.raises(PermissionDeniedError) as denied:
        await client.metadata.set("alice", {"b": "y" * 600})
    assert denied.value.error == "FORBIDDEN"
    assert "2048Bytes" in (denied.value.description or "")
    assert await client.metadata.get("alice") == {"a": "x" * 1500}  # nothing half-written


async def test_deleting_the_user_drops_its_attributes(client) -> None:
    await client.users.register("dora")
    await client.metadata.set("dora", {"k": "v"})
    await client.users.delete("dora")
    assert await client.metadata.get("dora") == {}


async def test_server_side_checks_for_what_the_client_lets_through(raw) -> None:
    too_many = {"targets": [f"u{i}" for i in range(101)], "properties": ["a"]}
    response = await raw("POST", "/metadata/user/get", json=too_many)
    assert (response.status, response.body["error"]) == (400, "BAD_REQUEST")
    assert response.body["error_description"] == "exceed allowed batch size 100"
    response = await raw("PUT", "/metadata/user/alice", data="")
    assert (response.status, response.body["error"]) == (400, "illegal_argument")
    response = await raw("GET", "/metadata/user/bad%20name")
    assert (response.status, response.body["error"]) == (400, "illegal_argument")


async def test_client_refuses_an_oversize_set_before_sending(client, emulator) -> None:
    with pytest.raises(ValueError, match="2048"):
        await client.metadata.set("alice", {"a": "x" * 3000})
    assert [r for r in emulator.requests if r.endpoint == "metadata.set"] == []
