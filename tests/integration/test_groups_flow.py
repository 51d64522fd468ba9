"""Chat groups over raw HTTP against the emulator: creation, listing, details, updates,
ownership transfer, deletion (with the group's threads)."""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import NotFoundError, PermissionDeniedError, RegisterUser
from agora_chat_async.models.groups import Member
from tests.integration._helpers import agora_error, ok, register

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer
    from tests.integration._helpers import Raw


async def group(raw: Raw, owner: str = "owner", **fields: Any) -> str:
    body = await ok(raw, "POST", "/chatgroups", {"owner": owner, **fields})
    gid: str = body["data"]["groupid"]
    return gid


async def test_create_and_read_back(raw: Raw) -> None:
    await register(raw, "Owner", "u1", "u2")
    before = int(time.time() * 1000)
    body = await ok(
        raw,
        "POST",
        "/chatgroups",
        {
            "groupname": "team",
            "description": "about",
            "public": True,
            "allowinvites": True,
            "membersonly": True,
            "maxusers": "300",
            "owner": "OWNER",
            "members": ["u1", "U2", "owner"],
            "custom": "x" * 5000,
            "avatar": "https://example.com/a.png",
        },
    )
    gid = body["data"]["groupid"]
    assert gid.isdigit()
    assert list(body) == [
        "action",
        "application",
        "uri",
        "entities",
        "data",
        "timestamp",
        "duration",
        "organization",
        "applicationName",
    ]
    details = await ok(raw, "GET", f"/chatgroups/{gid}")
    assert details["count"] == 1
    item = details["data"][0]
    created = item.pop("created")
    assert item == {
        "id": gid,
        "name": "team",
        "avatar": "https://example.com/a.png",
        "description": "about",
        "membersonly": True,
        "allowinvites": False,  # forced off for a public group
        "maxusers": 300,
        "owner": "owner",
        "custom": "x" * 5000,
        "mute": False,
        "affiliations_count": 3,
        "disabled": False,
        "affiliations": [{"member": "u1"}, {"member": "u2"}, {"owner": "owner"}],
        "public": True,
    }
    assert before <= created <= time.time() * 1000


async def test_create_defaults(raw: Raw) -> None:
    await register(raw, "owner")
    gid = await group(raw)
    item = (await ok(raw, "GET", f"/chatgroups/{gid}"))["data"][0]
    assert (item["maxusers"], item["public"], item["allowinvites"], item["name"]) == (
        200,
        False,
        False,
        "",
    )


async def test_create_errors(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    cases: list[tuple[Any, int, str, str]] = [
        ({"groupname": "g"}, 400, "invalid_parameter", "owner must be provided"),
        ({"owner": "ghost"}, 404, "resource_not_found", "username ghost doesn't exist!"),
        (
            {"owner": "owner", "members": ["u1", "ghost"]},
            404,
            "resource_not_found",
            "username ghost doesn't exist!",
        ),
        (
            {"owner": "owner", "members": ["u1"], "maxusers": 1},
            403,
            "exceed_limit",
            "members size is greater than max user size !",
        ),
        ({"owner": "owner", "maxusers": 5001}, 403, "exceed_limit", "maxUsers cannot exceed 5000"),
        (
            {"owner": "owner", "maxusers": 0},
            400,
            "invalid_parameter",
            "maxusers must be a positive integer",
        ),
        (
            {"owner": "owner", "groupname": "n" * 129},
            403,
            "exceed_limit",
            "title cannot exceed to 128",
        ),
        (
            {"owner": "owner", "description": "d" * 513},
            403,
            "exceed_limit",
            "desc cannot exceed to 512",
        ),
        (
            {"owner": "owner", "avatar": "a" * 1025},
            400,
            "invalid_parameter",
            "avatar length is too big",
        ),
        (
            {"owner": "owner", "custom": "c" * 8193},
            403,
            "exceed_limit",
            "custom cannot exceed to 8192",
        ),
        (
            {"owner": "owner", "public": "yes"},
            400,
            "invalid_parameter",
            "public must be true or false",
        ),
        (
            {"owner": "owner", "members": "u1"},
            400,
            "invalid_parameter",
            "members must be a list of usernames",
        ),
    ]
    for body, status, error, description in cases:
        agora_error(await raw("POST", "/chatgroups", json=body), status, error, description)
    assert (await ok(raw, "GET", "/chatgroups"))["data"] == []  # nothing was created


async def test_custom_group_id(raw: Raw) -> None:
    await register(raw, "owner")
    assert await group(raw, groupid="123456789") == "123456789"
    agora_error(
        await raw("POST", "/chatgroups", json={"owner": "owner", "groupid": "123456789"}),
        400,
        "illegal_argument",
        "group ID 123456789 already exists!",
    )


async def test_list_all_pages_newest_first_until_no_cursor(
    raw: Raw, emulator: EmulatorServer
) -> None:
    await register(raw, "owner", "u1")
    ids = [await group(raw, groupname=f"g{i}") for i in range(5)]
    await ok(raw, "POST", f"/chatgroups/{ids[0]}/users/u1")
    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        path = "/chatgroups?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = await ok(raw, "GET", path)
        pages += 1
        assert body["params"]["limit"] == ["2"]
        assert body["count"] == len(body["data"])
        seen += body["data"]
        cursor = body.get("cursor")
        if cursor is None:
            break
    assert pages == 3
    assert [g["groupid"] for g in seen] == ids[::-1]
    first = seen[-1]
    assert first == {
        "owner": f"{emulator.org_name}#{emulator.app_name}_owner",
        "groupid": ids[0],
        "affiliations": 2,
        "type": "group",
        "lastModified": first["lastModified"],
        "groupname": "g0",
    }
    assert first["lastModified"].isdigit()
    everything = await ok(raw, "GET", "/chatgroups")
    assert "params" not in everything
    assert len(everything["data"]) == 5
    assert "cursor" not in everything
    agora_error(
        await raw("GET", "/chatgroups?cursor=abc"),
        400,
        "illegal_argument",
        "cursor abc is not valid",
    )
    other = base64.b64encode(b"-3:users").decode()  # not a groups cursor
    assert (await raw("GET", f"/chatgroups?cursor={other}")).status == 400


async def test_list_cursor_survives_deletions(raw: Raw) -> None:
    await register(raw, "owner")
    ids = [await group(raw) for _ in range(4)]
    body = await ok(raw, "GET", "/chatgroups?limit=2")
    await ok(raw, "DELETE", f"/chatgroups/{ids[3]}")  # already seen
    await ok(raw, "DELETE", f"/chatgroups/{ids[1]}")  # not seen yet
    rest = await ok(raw, "GET", f"/chatgroups?limit=2&cursor={body['cursor']}")
    assert [g["groupid"] for g in rest["data"]] == [ids[0]]
    assert "cursor" not in rest


async def test_joined_groups_page_by_pagenum(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    ids = [await group(raw, groupname=f"g{i}", members=["u1"]) for i in range(7)]
    await group(raw)  # not joined
    body = await ok(raw, "GET", "/users/u1/joined_chatgroups?pagesize=3&pagenum=1")
    assert body["params"] == {"pagesize": ["3"], "pagenum": ["1"]}
    assert (
        body["data"]
        == [{"groupid": g, "groupname": f"g{i}"} for i, g in reversed(list(enumerate(ids)))][:3]
    )
    pages = [body["data"]]
    for n in (2, 3):
        page = await ok(raw, "GET", f"/users/u1/joined_chatgroups?pagesize=3&pagenum={n}")
        assert page["count"] == len(page["data"])
        pages.append(page["data"])
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [g["groupid"] for p in pages for g in p] == ids[::-1]
    default = await ok(raw, "GET", "/users/u1/joined_chatgroups")
    assert len(default["data"]) == 5  # Agora's default page size
    capped = await ok(raw, "GET", "/users/u1/joined_chatgroups?pagesize=1000")
    assert len(capped["data"]) == 7
    agora_error(
        await raw("GET", "/users/ghost/joined_chatgroups"),
        404,
        "resource_not_found",
        "username ghost doesn't exist!",
    )


async def test_details_of_many_and_of_missing_ids(raw: Raw) -> None:
    await register(raw, "owner")
    a, b = await group(raw, groupname="a"), await group(raw, groupname="b")
    body = await ok(raw, "GET", f"/chatgroups/{a},{b}")
    assert [g["name"] for g in body["data"]] == ["a", "b"]
    assert body["count"] == 2
    body = await ok(raw, "GET", f"/chatgroups/{b}%2C999")
    assert body["data"][1] == {"id": "999", "error": "group id doesn't exist"}
    agora_error(
        await raw("GET", "/chatgroups/999"),
        404,
        "resource_not_found",
        "grpID 999 does not exist!",
    )
    agora_error(
        await raw("GET", "/chatgroups/" + ",".join(str(i) for i in range(101))),
        400,
        "invalid_parameter",
        "the number of ids cannot exceed 100",
    )


async def test_update_changes_only_what_is_sent(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    gid = await group(raw, groupname="old", description="keep", members=["u1"])
    changes = {
        "groupname": "new",
        "maxusers": 500,
        "membersonly": True,
        "allowinvites": True,
        "invite_need_confirm": False,
        "public": True,
        "custom": "c",
        "avatar": "https://example.com/b.png",
    }
    body = await ok(raw, "PUT", f"/chatgroups/{gid}", changes)
    assert body["data"] == dict.fromkeys(changes, True)
    assert list(body)[:3] == ["action", "application", "applicationName"]
    item = (await ok(raw, "GET", f"/chatgroups/{gid}"))["data"][0]
    assert (item["name"], item["description"], item["maxusers"], item["public"]) == (
        "new",
        "keep",
        500,
        True,
    )
    assert (item["allowinvites"], item["custom"], item["avatar"]) == (True, "c", changes["avatar"])
    listed = (await ok(raw, "GET", "/chatgroups"))["data"][0]
    assert int(listed["lastModified"]) >= item["created"]


async def test_update_errors_change_nothing(raw: Raw) -> None:
    await register(raw, "owner", "u1")
    gid = await group(raw, groupname="g", members=["u1"])
    agora_error(
        await raw(
            "PUT", f"/chatgroups/{gid}", json={"groupname": "x", "groupid": "1", "owner": "u1"}
        ),
        400,
        "invalid_parameter",
        "some of [groupid, owner] are not valid fields",
    )
    agora_error(
        await raw("PUT", f"/chatgroups/{gid}", json={"groupname": "x", "custom": "c" * 1025}),
        403,
        "exceed_limit",
        "custom cannot exceed to 1024",
    )
    agora_error(
        await raw("PUT", f"/chatgroups/{gid}", json={"maxusers": 1}),
        403,
        "exceed_limit",
        "members size is greater than max user size !",
    )
    agora_error(
        await raw("PUT", f"/chatgroups/{gid}", json={}),
        400,
        "invalid_parameter",
        "request body must name at least one field",
    )
    agora_error(
        await raw("PUT", "/chatgroups/999", json={"groupname": "x"}),
        404,
        "resource_not_found",
        "grpID 999 does not exist!",
    )
    assert (await ok(raw, "GET", f"/chatgroups/{gid}"))["data"][0]["name"] == "g"


async def test_transfer_ownership(raw: Raw) -> None:
    await register(raw, "owner", "u1", "out")
    gid = await group(raw, members=["u1"])
    await ok(raw, "POST", f"/chatgroups/{gid}/admin", {"newadmin": "u1"})
    for body, status, error, description in [
        ({"newowner": "owner"}, 403, "forbidden_op", "new owner and old owner are the same"),
        ({"newowner": "out"}, 403, "forbidden_op", f"user: out doesn't exist in group: {gid}"),
        ({"newowner": "ghost"}, 404, "resource_not_found", "username ghost doesn't exist!"),
    ]:
        agora_error(await raw("PUT", f"/chatgroups/{gid}", json=body), status, error, description)
    body = await ok(raw, "PUT", f"/chatgroups/{gid}", {"newowner": "U1"})
    assert body["data"] == {"newowner": True}
    assert list(body) == [
        "action",
        "application",
        "uri",
        "entities",
        "data",
        "timestamp",
        "duration",
        "organization",
        "applicationName",
    ]
    item = (await ok(raw, "GET", f"/chatgroups/{gid}"))["data"][0]
    assert item["owner"] == "u1"
    assert item["affiliations"] == [{"member": "owner"}, {"owner": "u1"}]
    assert (await ok(raw, "GET", f"/chatgroups/{gid}/admin"))["data"] == []
    # The former owner is an ordinary member now: it can be removed.
    await ok(raw, "DELETE", f"/chatgroups/{gid}/users/owner")


async def _thread(raw: Raw, gid: str, owner: str) -> str:
    sent = await ok(
        raw,
        "POST",
        "/messages/chatgroups",
        {"from": owner, "to": [gid], "type": "txt", "body": {"msg": "hi"}},
    )
    msg_id = sent["data"][gid]
    body = await ok(
        raw, "POST", "/thread", {"group_id": gid, "name": "t", "msg_id": msg_id, "owner": owner}
    )
    thread_id: str = body["data"]["thread_id"]
    return thread_id


async def test_threads_follow_the_group(raw: Raw, emulator: EmulatorServer) -> None:
    await register(raw, "owner", "u1", "u2")
    gid = await group(raw, members=["u1", "u2"])
    other = await group(raw, members=["u1"])
    thread = await _thread(raw, gid, "owner")
    kept = await _thread(raw, other, "owner")
    await ok(raw, "POST", f"/thread/{thread}/users", {"usernames": ["u1", "u2"]})
    await ok(raw, "POST", f"/thread/{kept}/users", {"usernames": ["u1"]})
    threads = emulator.state.threads
    await ok(raw, "DELETE", f"/chatgroups/{gid}/users/u1")
    assert list(threads[thread].members) == ["owner", "u2"]
    await ok(raw, "POST", f"/chatgroups/{gid}/blocks/users/u2")
    assert list(threads[thread].members) == ["owner"]
    assert list(threads[kept].members) == ["owner", "u1"]  # another group's thread
    await ok(raw, "DELETE", f"/chatgroups/{gid}")
    assert thread not in threads
    assert kept in threads
    assert gid not in emulator.state.group_messages.values()


# -- through the typed client ------------------------------------------------------------


async def test_typed_group_lifecycle(client: AgoraChatClient) -> None:
    await client.users.register_many([RegisterUser(username=f"u{i}") for i in range(130)])
    await client.users.register("owner")
    gid = await client.groups.create(owner="owner", name="team", max_users=500, members=["u0"])
    added = await client.groups.members.add_many(gid, [f"u{i}" for i in range(130)])
    assert len(added.succeeded) == 129
    assert [f.item for f in added.failed] == ["u0"]  # a member already
    pages = [page async for page in client.groups.members.list(gid, page_size=50).pages()]
    assert [len(p.items) for p in pages] == [50, 50, 31]
    assert pages[0].items[0] == Member(owner="owner")
    (detail,) = await client.groups.get([gid])
    assert (detail.name, detail.max_users, detail.affiliations_count) == ("team", 500, 131)
    assert await client.groups.admins.add(gid, "u1") is True
    assert await client.groups.update(gid, name="renamed", public=True) == {
        "groupname": True,
        "public": True,
    }
    assert await client.groups.transfer_owner(gid, "u1") is True
    removed = await client.groups.members.remove_many(gid, ["u2", "u3", "nobody"])
    assert removed.succeeded == ["u2", "u3"]
    assert [(f.item, f.reason) for f in removed.failed] == [
        ("nobody", "user nobody doesn't exist.")
    ]
    blocked = await client.groups.blocklist.add_many(gid, ["u4", "u5"])
    assert blocked.succeeded == ["u4", "u5"]
    assert [u async for u in client.groups.blocklist.list(gid)] == ["u5", "u4"]
    (summary,) = [g async for g in client.groups.list()]
    assert (summary.group_id, summary.name, summary.affiliations_count) == (gid, "renamed", 127)
    assert [g.group_id async for g in client.groups.list_joined("u6")] == [gid]
    await client.groups.mutes.add(gid, ["u7"], mute_duration=60_000)
    assert [m.user async for m in client.groups.mutes.list(gid)] == ["u7"]
    assert await client.groups.delete(gid) is True
    with pytest.raises(NotFoundError) as caught:
        await client.groups.get([gid])
    assert caught.value.error == "resource_not_found"
    assert caught.value.description == f"grpID {gid} does not exist!"


async def test_typed_errors_carry_the_status_and_code(client: AgoraChatClient) -> None:
    await client.users.register("owner")
    await client.users.register("u1")
    gid = await client.groups.create(owner="owner", members=["u1"])
    with pytest.raises(PermissionDeniedError) as caught:
        await client.groups.members.add(gid, "u1")
    assert caught.value.status == 403
    assert caught.value.error == "forbidden_op"
    with pytest.raises(PermissionDeniedError):
        await client.groups.members.remove(gid, "owner")
