"""Chat rooms over raw HTTP against the emulator: creation, listing, details, updates,
announcements (members, admins and lists: ``test_room_members_flow``)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import BadRequestError, NotFoundError, RegisterUser
from tests.integration._helpers import agora_error, ok, register

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw


async def room(raw: Raw, owner: str = "owner", **fields: Any) -> str:
    body = {"name": "r", "description": "d", "owner": owner, **fields}
    rid: str = (await ok(raw, "POST", "/chatrooms", body))["data"]["id"]
    return rid


async def test_create_and_read_back(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    before = int(time.time() * 1000)
    rid = await room(raw, name="lobby", members=["u1"], custom="c", maxusers=50)
    body = await ok(raw, "GET", f"/chatrooms/{rid}")
    assert body["count"] == 1
    assert "properties" not in body
    item = body["data"][0]
    created = item.pop("created")
    assert item == {
        "id": rid,
        "name": "lobby",
        "description": "d",
        "membersonly": False,
        "allowinvites": False,
        "invite_need_confirm": True,
        "maxusers": 50,
        "owner": "owner",
        "custom": "c",
        "mute": False,
        "affiliations_count": 2,
        "affiliations": [{"member": "u1"}, {"owner": "owner"}],
        "public": True,
        "disabled": False,
    }
    assert before <= created <= time.time() * 1000
    assert (await ok(raw, "GET", f"/chatrooms/{await room(raw)}"))["data"][0]["maxusers"] == 1000


async def test_create_errors(raw: Raw) -> None:
    await register(raw, "owner")
    base = {"name": "r", "description": "d", "owner": "owner"}
    for missing in ("name", "description", "owner"):
        body = {k: v for k, v in base.items() if k != missing}
        agora_error(
            await raw("POST", "/chatrooms", json=body),
            400,
            "invalid_parameter",
            f"{missing} must be provided",
        )
    for extra, status, error, description in [
        ({"maxusers": 10_001}, 403, "exceed_limit", "maxUsers cannot exceed 10000"),
        ({"custom": "c" * 1025}, 403, "exceed_limit", "custom cannot exceed to 1024"),
        ({"members": ["ghost"]}, 404, "resource_not_found", "username ghost doesn't exist!"),
        ({"owner": "ghost"}, 404, "resource_not_found", "username ghost doesn't exist!"),
    ]:
        response = await raw("POST", "/chatrooms", json={**base, **extra})
        agora_error(response, status, error, description)
    assert await room(raw, groupid="4242") == "4242"
    agora_error(
        await raw("POST", "/chatrooms", json={**base, "groupid": "4242"}),
        400,
        "illegal_argument",
        "group ID 4242 already exists!",
    )
    await register(raw, "gowner")
    group = await ok(raw, "POST", "/chatgroups", {"owner": "gowner"})
    taken = group["data"]["groupid"]  # rooms and groups share the id space
    agora_error(
        await raw("POST", "/chatrooms", json={**base, "groupid": taken}),
        400,
        "illegal_argument",
        f"group ID {taken} already exists!",
    )


async def test_list_all_pages_with_cursor_limit_at_most_100(raw: Raw) -> None:
    await register(raw, "owner")
    ids = [await room(raw, name=f"r{i}") for i in range(105)]
    body = await ok(raw, "GET", "/chatrooms?limit=1000")
    assert body["count"] == 100
    assert body["params"] == {"limit": ["1000"]}
    assert body["data"][0] == {
        "affiliations_count": 1,
        "disabled": False,
        "id": ids[-1],
        "name": "r104",
        "owner": "owner",
    }
    rest = await ok(raw, "GET", f"/chatrooms?limit=1000&cursor={body['cursor']}")
    assert [r["id"] for r in body["data"] + rest["data"]] == ids[::-1]
    assert "cursor" not in rest
    assert len((await ok(raw, "GET", "/chatrooms"))["data"]) == 10


async def test_joined_rooms(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    ids = [await room(raw, name=f"r{i}", members=["u1"]) for i in range(3)]
    await room(raw)
    body = await ok(raw, "GET", "/users/u1/joined_chatrooms")
    assert body["data"] == [{"id": ids[i], "name": f"r{i}", "disabled": "false"} for i in (2, 1, 0)]
    assert body["count"] == 3
    page = await ok(raw, "GET", "/users/u1/joined_chatrooms?pagesize=2&pagenum=2")
    assert [r["id"] for r in page["data"]] == [ids[0]]
    assert (await ok(raw, "GET", "/users/owner/joined_chatrooms"))["count"] == 4


async def test_details_of_missing_rooms(raw: Raw) -> None:
    await register(raw, "owner")
    rid = await room(raw)
    agora_error(
        await raw("GET", "/chatrooms/999"),
        404,
        "service_resource_not_found",
        "do not find this group:999",
    )
    body = await ok(raw, "GET", f"/chatrooms/999%2C{rid}")
    assert body["data"][0] == {"id": "999", "error": "group id doesn't exist"}
    assert body["data"][1]["id"] == rid


async def test_update(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    rid = await room(raw, members=["u1"])
    body = await ok(
        raw, "PUT", f"/chatrooms/{rid}", {"name": "n", "description": "e", "maxusers": 20}
    )
    assert body["data"] == {"groupname": True, "description": True, "maxusers": True}
    item = (await ok(raw, "GET", f"/chatrooms/{rid}"))["data"][0]
    assert (item["name"], item["description"], item["maxusers"]) == ("n", "e", 20)
    for changes, status, error, description in [
        (
            {"name": "x", "custom": "c"},
            400,
            "invalid_parameter",
            "some of [custom] are not valid fields",
        ),
        ({"name": "x" * 129}, 403, "exceed_limit", "title cannot exceed to 128"),
        ({"description": "x" * 513}, 403, "exceed_limit", "desc cannot exceed to 512"),
        ({"maxusers": 10_001}, 403, "exceed_limit", "maxUsers cannot exceed 10000"),
        ({"maxusers": 1}, 403, "exceed_limit", "members size is greater than max user size !"),
        ({"newowner": "owner"}, 400, "forbidden_op", "new owner and old owner are the same"),
    ]:
        response = await raw("PUT", f"/chatrooms/{rid}", json=changes)
        agora_error(response, status, error, description)
    assert (await ok(raw, "GET", f"/chatrooms/{rid}"))["data"][0]["name"] == "n"
    body = await ok(raw, "PUT", f"/chatrooms/{rid}", {"newowner": "u1"})
    assert body["data"] == {"newowner": True}
    assert (await ok(raw, "GET", f"/chatrooms/{rid}"))["data"][0]["owner"] == "u1"


async def test_announcement(raw: Raw) -> None:
    await register(raw, "owner")
    rid = await room(raw)
    p = f"/chatrooms/{rid}/announcement"
    assert (await ok(raw, "GET", p))["data"] == {"announcement": ""}
    body = await ok(raw, "POST", p, {"announcement": "a" * 512})
    assert body["data"] == {"id": rid, "result": True}
    assert (await ok(raw, "GET", p))["data"] == {"announcement": "a" * 512}
    await ok(raw, "PUT", p, {"announcement": "older form"})
    assert (await ok(raw, "GET", p))["data"] == {"announcement": "older form"}
    agora_error(
        await raw("POST", p, json={"announcement": "a" * 513}),
        403,
        "forbidden_op",
        "announce info length exceeds limit!",
    )
    agora_error(await raw("POST", p, json={}), 400, "illegal_argument", "announcement is null")
    agora_error(
        await raw("GET", "/chatrooms/999/announcement"),
        404,
        "resource_not_found",
        "grpID 999 does not exist!",
    )
    assert (await ok(raw, "GET", p))["data"] == {"announcement": "older form"}


# -- through the typed client ------------------------------------------------------------


async def test_typed_room_lifecycle(client: AgoraChatClient) -> None:
    await client.users.register_many([RegisterUser(username=f"u{i}") for i in range(70)])
    await client.users.register("owner")
    rids = [
        await client.chatrooms.create(name=f"r{i}", description="d", owner="owner")
        for i in range(3)
    ]
    rid = rids[0]
    added = await client.chatrooms.members.add_many(rid, [f"u{i}" for i in range(70)])
    assert len(added.succeeded) == 70
    pages = [p async for p in client.chatrooms.members.list(rid, page_size=30).pages()]
    assert [len(p.items) for p in pages] == [30, 30, 11]
    assert [r.id async for r in client.chatrooms.list(page_size=2)] == rids[::-1]
    assert [r.id async for r in client.chatrooms.list_joined("u1")] == [rid]
    (detail,) = await client.chatrooms.get([rid])
    assert (detail.owner, detail.affiliations_count, detail.max_users) == ("owner", 71, 1000)
    assert await client.chatrooms.update(rid, name="n") == {"groupname": True}
    assert await client.chatrooms.set_announcement(rid, "hello") is True
    assert await client.chatrooms.get_announcement(rid) == "hello"
    removed = await client.chatrooms.members.remove_many(rid, ["u1", "u2", "owner9"])
    assert removed.succeeded == ["u1", "u2"]
    assert await client.chatrooms.admins.add(rid, "u3") is True
    assert [a async for a in client.chatrooms.admins.list(rid)] == ["u3"]
    assert await client.chatrooms.delete(rid) is True
    with pytest.raises(NotFoundError) as caught:
        await client.chatrooms.get([rid])
    assert caught.value.description == f"do not find this group:{rid}"


async def test_typed_room_refusals_are_400(client: AgoraChatClient) -> None:
    await client.users.register("owner")
    await client.users.register("u1")
    rid = await client.chatrooms.create(name="r", description="d", owner="owner", members=["u1"])
    with pytest.raises(BadRequestError) as caught:
        await client.chatrooms.members.add(rid, "u1")
    assert caught.value.error == "forbidden_op"
