"""Contacts and blocklists through the public client against the emulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from agora_chat_async import NotFoundError, PermissionDeniedError
from agora_chat_async.emulator._handlers import contacts as contacts_area
from tests.integration._helpers import agora_error

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient

NOT_FOUND = ("service_resource_not_found", "Service resource not found")


async def _users(client: AgoraChatClient, *names: str) -> None:
    for name in names:
        await client.users.register(name)


async def _contacts(client: AgoraChatClient, owner: str) -> list[str]:
    return [name async for name in client.contacts.list(owner)]


async def _blocked(client: AgoraChatClient, owner: str, page_size: int | None = None) -> list[str]:
    return [name async for name in client.blocks.list(owner, page_size=page_size)]


async def test_contacts_are_one_way_newest_first_and_idempotent(client) -> None:
    await _users(client, "alice", "bob", "carol")

    bob = await client.contacts.add("alice", "bob")
    assert (bob.username, bob.uuid) == ("bob", (await client.users.get("bob")).uuid)
    await client.contacts.add("ALICE", "Carol")  # usernames are case-insensitive
    again = await client.contacts.add("alice", "bob")  # a second add changes nothing
    assert again.username == "bob"

    assert await _contacts(client, "alice") == ["carol", "bob"]
    assert await _contacts(client, "bob") == []  # not mutual

    removed = await client.contacts.remove("alice", "bob")
    assert removed.username == "bob"
    assert await _contacts(client, "alice") == ["carol"]
    await client.contacts.remove("alice", "bob")  # no longer a contact: still fine
    assert await _contacts(client, "alice") == ["carol"]


async def test_unknown_users_are_404_and_change_nothing(client) -> None:
    await _users(client, "alice")
    for call in (
        client.contacts.add("alice", "ghost"),
        client.contacts.add("ghost", "alice"),
        client.contacts.remove("alice", "ghost"),
        client.blocks.add("alice", ["ghost"]),
        client.blocks.remove("alice", "ghost"),
    ):
        with pytest.raises(NotFoundError) as missing:
            await call
        assert (missing.value.error, missing.value.description) == NOT_FOUND
    with pytest.raises(NotFoundError):
        await _contacts(client, "ghost")
    with pytest.raises(NotFoundError):
        await _blocked(client, "ghost")
    assert await _contacts(client, "alice") == []


async def test_contact_list_limit(client, monkeypatch) -> None:
    monkeypatch.setattr(contacts_area, "MAX_CONTACTS", 2)
    await _users(client, "alice", "u1", "u2", "u3")
    await client.contacts.add("alice", "u1")
    await client.contacts.add("alice", "u2")
    await client.contacts.add("alice", "u2")  # already there: no new slot needed
    with pytest.raises(PermissionDeniedError) as full:
        await client.contacts.add("alice", "u3")
    assert (full.value.status, full.value.error, full.value.description) == (
        403,
        "exceed_limit",
        "user contact number exceed limit",
    )
    assert await _contacts(client, "alice") == ["u2", "u1"]


async def test_blocking_keeps_contacts_and_unblocking_restores_nothing(client) -> None:
    await _users(client, "alice", "bob", "carol")
    await client.contacts.add("alice", "bob")

    assert await client.blocks.add("alice", ["bob", "carol"]) == ["bob", "carol"]
    assert await _blocked(client, "alice") == ["carol", "bob"]
    assert await _contacts(client, "alice") == ["bob"]  # a blocked contact stays
    assert await _blocked(client, "bob") == []

    unblocked = await client.blocks.remove("alice", "bob")
    assert unblocked.username == "bob"
    assert await _blocked(client, "alice") == ["carol"]
    assert await _contacts(client, "alice") == ["bob"]
    await client.blocks.remove("alice", "bob")  # not blocked any more: still fine
    assert await client.blocks.add("alice", ["carol"]) == ["carol"]  # blocked twice
    assert await _blocked(client, "alice") == ["carol"]


async def test_block_list_pages_newest_first(client) -> None:
    names = [f"u{i:02}" for i in range(7)]
    await _users(client, "alice", *names)
    await client.blocks.add("alice", names[:4])
    await client.blocks.add("alice", names[4:])

    pages = [page.items async for page in client.blocks.list("alice", page_size=3).pages()]

    assert pages == [["u06", "u05", "u04"], ["u03", "u02", "u01"], ["u00"]]
    assert await _blocked(client, "alice", page_size=7) == names[::-1]


async def test_block_list_paging_survives_changes_between_pages(client) -> None:
    names = [f"u{i:02}" for i in range(6)]
    await _users(client, "alice", *names)
    await client.blocks.add("alice", names)
    pages = client.blocks.list("alice", page_size=2).pages()
    assert (await anext(pages)).items == ["u05", "u04"]

    await client.blocks.remove("alice", "u03")  # the user the next page starts with
    await client.blocks.add("alice", ["u04"])  # blocked again: keeps its place

    assert [page.items async for page in pages] == [["u02", "u01"], ["u00"]]


async def test_block_list_without_paging_parameters_is_one_answer(raw) -> None:
    for name in ("alice", "bob", "carol"):
        assert (await raw("POST", "/users", json={"username": name})).status == 200
    await raw("POST", "/users/alice/blocks/users", json={"usernames": ["bob", "carol"]})

    whole = await raw("GET", "/users/alice/blocks/users")
    paged = await raw("GET", "/users/alice/blocks/users", params={"pageSize": "1"})
    rest = await raw(
        "GET", "/users/alice/blocks/users", params={"pageSize": "1", "cursor": paged.body["cursor"]}
    )

    assert (whole.body["data"], whole.body["count"], "cursor" in whole.body) == (
        ["carol", "bob"],
        2,
        False,
    )
    assert (paged.body["data"], paged.body["count"]) == (["carol"], 1)
    assert (rest.body["data"], "cursor" in rest.body) == (["bob"], False)
    bad = await raw("GET", "/users/alice/blocks/users", params={"cursor": "bm9wZQ=="})
    agora_error(bad, 400, "illegal_argument", "cursor bm9wZQ== is not valid")


async def test_blocklist_limits_are_enforced_by_the_server(raw, monkeypatch) -> None:
    names = [f"u{i}" for i in range(51)]
    for name in ["alice", *names]:
        assert (await raw("POST", "/users", json={"username": name})).status == 200

    too_many = await raw("POST", "/users/alice/blocks/users", json={"usernames": names})
    agora_error(too_many, 400, "illegal_argument", "usernames size 51 exceeds the limit of 50")
    empty = await raw("POST", "/users/alice/blocks/users", json={"usernames": []})
    agora_error(empty, 400, "illegal_argument", "usernames can't be empty")
    wrong = await raw("POST", "/users/alice/blocks/users", json={"usernames": "u1"})
    agora_error(
        wrong,
        400,
        "invalid_request_body",
        "Request body is invalid. Please check body is correct.",
    )
    partly_unknown = await raw("POST", "/users/alice/blocks/users", json={"usernames": ["u1", "x"]})
    agora_error(partly_unknown, 404, *NOT_FOUND)

    monkeypatch.setattr(contacts_area, "MAX_BLOCKED", 3)
    ok = await raw("POST", "/users/alice/blocks/users", json={"usernames": names[:3]})
    assert ok.status == 200
    full = await raw("POST", "/users/alice/blocks/users", json={"usernames": ["u3"]})
    agora_error(full, 403, "exceed_limit", "user blocklist exceed limit 3")
    listed = await raw("GET", "/users/alice/blocks/users")
    assert listed.body["data"] == ["u2", "u1", "u0"]  # the refused call changed nothing


async def test_a_deleted_user_leaves_every_list(client) -> None:
    await _users(client, "alice", "bob", "carol")
    await client.contacts.add("alice", "bob")
    await client.contacts.add("bob", "alice")
    await client.contacts.add("carol", "bob")
    await client.blocks.add("alice", ["bob", "carol"])
    await client.blocks.add("bob", ["carol"])

    await client.users.delete("bob")

    assert await _contacts(client, "alice") == []
    assert await _contacts(client, "carol") == []
    assert await _blocked(client, "alice") == ["carol"]
    await client.users.register("bob")  # a new bob starts with empty lists
    assert await _contacts(client, "bob") == []
    assert await _blocked(client, "bob") == []
