"""Users endpoints through the public client, against the emulator over real sockets."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from agora_chat_async import (
    BadRequestError,
    NotFoundError,
    RateLimitError,
    RegisterUser,
    User,
)
from agora_chat_async.emulator import EmulatorServer

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient

UUID1 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


async def test_full_user_lifecycle(client: AgoraChatClient, emulator: EmulatorServer) -> None:
    state = emulator.state
    user = await client.users.register("Alice", password="pw-1", nickname="Ally")
    assert UUID1.fullmatch(user.uuid or "")
    assert user == User(
        username="alice",
        uuid=user.uuid,
        type="user",
        created=user.created,
        modified=user.created,
        activated=True,
        nickname="Ally",
    )
    assert await client.users.get("ALICE") == user
    bob = await client.users.register("bob")
    assert [u.username async for u in client.users.list()] == ["alice", "bob"]

    await client.users.set_password("alice", password="pw-2")
    record = state.get("alice")
    assert record is not None
    assert record.password == "pw-2"

    banned = await client.users.deactivate("alice")
    assert (banned.username, banned.activated) == ("alice", False)
    assert (await client.users.get("alice")).activated is False
    await client.users.activate("alice")
    assert (await client.users.get("alice")).activated is True

    assert await client.users.get_status("alice") == "offline"
    state.set_online(["alice"])
    assert await client.users.get_status("alice") == "online"
    assert await client.users.get_statuses(["alice", "bob", "nobody"]) == {
        "alice": "online",
        "bob": "offline",
        "nobody": "offline",
    }
    assert await client.users.disconnect("alice") is True
    assert await client.users.get_status("alice") == "offline"

    assert await client.users.offline_message_count("alice") == 0
    assert await client.users.offline_message_status("alice", "123") == "delivered"
    state.undelivered["alice"] = {"123"}
    assert await client.users.offline_message_count("alice") == 1
    assert await client.users.offline_message_status("alice", "123") == "undelivered"
    assert await client.users.offline_message_status("alice", "456") == "delivered"

    deleted = await client.users.delete("alice")
    assert (deleted.username, deleted.uuid) == ("alice", user.uuid)
    with pytest.raises(NotFoundError) as caught:
        await client.users.get("alice")
    assert (caught.value.status, caught.value.error, caught.value.description) == (
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    assert [u.username async for u in client.users.list()] == [bob.username]
    assert "alice" not in state.undelivered


async def test_deactivation_logs_the_user_out(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    await client.users.register("carol")
    emulator.state.set_online("carol")
    await client.users.deactivate("carol")
    assert await client.users.get_status("carol") == "offline"


async def test_duplicate_registration(client: AgoraChatClient, emulator: EmulatorServer) -> None:
    await client.users.register("dave")
    with pytest.raises(BadRequestError) as caught:
        await client.users.register("DAVE")
    error = caught.value
    assert (error.status, error.error) == (400, "duplicate_unique_property_exists")
    assert error.description == (
        f"Application {emulator.state.app_uuid} Entity user requires that property named "
        "username be unique, value of DAVE exists"
    )
    assert error.exception == (
        "org.apache.usergrid.persistence.exceptions.DuplicateUniquePropertyExistsException"
    )


@pytest.mark.parametrize(
    ("call", "status", "error", "description"),
    [
        ("get", 404, "service_resource_not_found", "Service resource not found"),
        ("delete", 404, "service_resource_not_found", "Service resource not found"),
        ("deactivate", 404, "service_resource_not_found", "Service resource not found"),
        ("activate", 404, "service_resource_not_found", "Service resource not found"),
        ("disconnect", 404, "service_resource_not_found", "Service resource not found"),
        ("get_status", 404, "service_resource_not_found", "Service resource not found"),
        ("offline_message_count", 404, "service_resource_not_found", "Service resource not found"),
    ],
)
async def test_missing_user_is_404(
    client: AgoraChatClient, call: str, status: int, error: str, description: str
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await getattr(client.users, call)("ghost")
    assert (caught.value.status, caught.value.error, caught.value.description) == (
        status,
        error,
        description,
    )
    assert caught.value.endpoint == f"users.{call}"


async def test_missing_user_password_and_offline_status(client: AgoraChatClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.users.set_password("ghost", password="x")
    assert (caught.value.error, caught.value.description) == (
        "entity_not_found",
        "User null not found",
    )
    with pytest.raises(NotFoundError):
        await client.users.offline_message_status("ghost", "1")


async def test_list_pages_in_registration_order_and_stops_at_the_end(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    names = [f"user-{i:02d}" for i in range(25)]
    result = await client.users.register_many(reversed(names[:10]))
    assert len(result.succeeded) == 10
    for name in names[10:]:
        await client.users.register(name)
    expected = [f"user-{i:02d}" for i in (*range(9, -1, -1), *range(10, 25))]
    emulator.clear_requests()

    pages = [page async for page in client.users.list(page_size=4).pages()]
    assert [len(p.items) for p in pages] == [4, 4, 4, 4, 4, 4, 1]
    assert [u.username for p in pages for u in p.items] == expected
    assert all(p.cursor for p in pages[:-1])
    assert (pages[-1].cursor, pages[-1].has_more) == (None, False)
    log = emulator.requests
    assert [(r.endpoint, r.query["limit"], r.status) for r in log] == [
        ("users.list", ["4"], 200)
    ] * 7
    assert "cursor" not in log[0].query
    assert all(r.query["cursor"] == [p.cursor] for r, p in zip(log[1:], pages, strict=False))

    assert [u.username async for u in client.users.list(page_size=500)] == expected
    assert emulator.requests[-1].query["limit"] == ["100"]


async def test_empty_app_lists_nothing(client: AgoraChatClient) -> None:
    pages = [page async for page in client.users.list().pages()]
    assert [(p.items, p.cursor) for p in pages] == [([], None)]


async def test_delete_many_with_cursor(client: AgoraChatClient, emulator: EmulatorServer) -> None:
    await client.users.register_many([f"u{i:02d}" for i in range(12)])
    first = await client.users.delete_many(limit=5)
    assert [u.username for u in first.entities] == ["u00", "u01", "u02", "u03", "u04"]
    assert first.cursor
    second = await client.users.delete_many(limit=5, cursor=first.cursor)
    assert [u.username for u in second.entities] == ["u05", "u06", "u07", "u08", "u09"]
    assert second.cursor
    last = await client.users.delete_many(limit=5, cursor=second.cursor)
    assert [u.username for u in last.entities] == ["u10", "u11"]
    assert last.cursor is None
    assert len(emulator.state) == 0
    again = await client.users.delete_many()
    assert (again.entities, again.cursor) == ([], None)


async def test_delete_many_default_limit_is_ten(client: AgoraChatClient) -> None:
    await client.users.register_many([f"v{i:02d}" for i in range(11)])
    result = await client.users.delete_many()
    assert len(result.entities) == 10
    assert [u.username async for u in client.users.list()] == ["v10"]


async def test_register_many_accounts_for_every_item(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    names = [f"bulk-{i:03d}" for i in range(150)]
    existing = names[::15]  # 10 users registered before
    for name in existing:
        await client.users.register(name)
    invalid = ["not valid!", "", "x" * 65]
    items = [*names[:70], *invalid, *names[70:]]
    emulator.clear_requests()
    progress: list[tuple[int, int | None]] = []

    result = await client.users.register_many(
        items, concurrency=3, progress=lambda done, total: progress.append((done, total))
    )

    assert result.total == 153
    assert result.calls == 3
    assert sorted(u.username for u in result.succeeded) == sorted(set(names) - set(existing))
    assert sorted((f.item.username, f.reason) for f in result.failed) == sorted(
        (name, f"the {name} already exists") for name in existing
    )
    skipped: list[object] = [f.item for f in result.skipped]
    assert skipped == invalid
    assert all(f.reason.startswith("invalid: ") for f in result.skipped)
    assert len(emulator.state) == 150
    assert [r.endpoint for r in emulator.requests] == ["users.register_many"] * 3
    assert progress[-1] == (153, 153)


async def test_register_many_with_passwords_and_nicknames(client: AgoraChatClient) -> None:
    result = await client.users.register_many(
        [RegisterUser(username="eve", password="pw", nickname="Eve"), {"username": "Fay"}]
    )
    assert result.ok
    assert [(u.username, u.nickname) for u in result.succeeded] == [("eve", "Eve"), ("fay", None)]


async def test_plan_quota_is_resource_limited_and_not_retried() -> None:
    async with EmulatorServer(max_users=3) as server, server.client() as client:
        await client.users.register_many(["a1", "a2"])
        await client.users.register("a3")
        with pytest.raises(RateLimitError) as caught:
            await client.users.register("a4")
        error = caught.value
        assert (error.status, error.error, error.is_quota) == (429, "resource_limited", True)
        assert error.description == (
            "You have exceeded the limit of the free edition. Please upgrade to higher edition."
        )
        result = await client.users.register_many(["a5"])
        assert result.succeeded == []
        [failure] = result.failed
        assert isinstance(failure.error, RateLimitError)
        assert (failure.item.username, failure.error.error) == ("a5", "resource_limited")
        assert [(r.endpoint, r.status) for r in server.requests[-2:]] == [
            ("users.register", 429),
            ("users.register_many", 429),
        ]
        assert len(server.requests) == 4


async def test_plan_quota_mid_batch_fails_the_rest() -> None:
    async with EmulatorServer(max_users=2) as server, server.client() as client:
        result = await client.users.register_many(["b1", "b2", "b3"])
        assert [u.username for u in result.succeeded] == ["b1", "b2"]
        assert [(f.item.username, f.reason) for f in result.failed] == [
            (
                "b3",
                "You have exceeded the limit of the free edition. "
                "Please upgrade to higher edition.",
            )
        ]
