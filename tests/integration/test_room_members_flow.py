"""Members, admins, block/allow lists and mutes of chat groups and chat rooms, over raw
HTTP against the emulator: both kinds share the semantics, with their own keys and
the status of ``forbidden_op`` refusals (groups 403, rooms 400)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async.emulator import EmulatorServer
from agora_chat_async.tokens import build_app_token
from tests.integration._helpers import agora_error, ok, raw_requests, register

if TYPE_CHECKING:
    from tests.integration._helpers import Raw


@dataclass(frozen=True)
class K:
    prefix: str
    id_key: str
    list_key: str
    refuse: int
    create_key: str
    where: str

    def body(self, owner: str, members: list[str] | None = None, **extra: Any) -> Any:
        body: dict[str, Any] = {"owner": owner, **extra}
        if self.prefix == "/chatgroups":
            body.setdefault("groupname", "g")
        else:
            body.setdefault("name", "r")
            body.setdefault("description", "d")
        if members is not None:
            body["members"] = members
        return body


GROUP = K("/chatgroups", "groupid", "groupid", 403, "groupid", "group")
ROOM = K("/chatrooms", "id", "chatroomid", 400, "id", "chatroom")


@pytest.fixture(params=[GROUP, ROOM], ids=["group", "room"])
def kind(request: pytest.FixtureRequest) -> K:
    return request.param  # type: ignore[no-any-return]


async def make(raw: Raw, kind: K, owner: str = "owner", members: list[str] | None = None) -> str:
    body = await ok(raw, "POST", kind.prefix, kind.body(owner, members))
    room_id: str = body["data"][kind.create_key]
    return room_id


async def members(raw: Raw, kind: K, rid: str) -> list[dict[str, str]]:
    body = await ok(raw, "GET", f"{kind.prefix}/{rid}/users?pagesize=100")
    return body["data"]  # type: ignore[no-any-return]


async def setup(raw: Raw, kind: K, *names: str) -> str:
    await register(raw, "owner", *names)
    return await make(raw, kind, members=list(names))


# -- members -----------------------------------------------------------------------------


async def test_add_list_and_remove_members(raw: Raw, kind: K) -> None:
    rid = await setup(raw, kind)
    await register(raw, "u1", "u2", "u3")
    body = await ok(raw, "POST", f"{kind.prefix}/{rid}/users/U1")
    assert body["data"] == {"result": True, "action": "add_member", kind.id_key: rid, "user": "u1"}
    batch = {"usernames": ["u1", "ghost", "u2", "u3"]}
    body = await ok(raw, "POST", f"{kind.prefix}/{rid}/users", batch)
    assert body["data"]["newmembers"] == ["u2", "u3"]  # only the new, existing ones
    assert body["data"][kind.id_key] == rid
    assert await members(raw, kind, rid) == [
        {"owner": "owner"},
        {"member": "u1"},
        {"member": "u2"},
        {"member": "u3"},
    ]
    body = await ok(raw, "DELETE", f"{kind.prefix}/{rid}/users/u1")
    assert body["data"] == {
        "result": True,
        "action": "remove_member",
        "user": "u1",
        kind.id_key: rid,
    }
    body = await ok(raw, "DELETE", f"{kind.prefix}/{rid}/users/u2,u1,ghost")
    assert body["data"] == [
        {"result": True, "action": "remove_member", "user": "u2", kind.id_key: rid},
        {
            "result": False,
            "action": "remove_member",
            "reason": f"user: u1 doesn't exist in group: {rid}",
            "user": "u1",
            kind.id_key: rid,
        },
        {
            "result": False,
            "action": "remove_member",
            "reason": "user ghost doesn't exist.",
            "user": "ghost",
            kind.id_key: rid,
        },
    ]
    assert await members(raw, kind, rid) == [{"owner": "owner"}, {"member": "u3"}]


async def test_member_errors(raw: Raw, kind: K) -> None:
    rid = await setup(raw, kind, "u1")
    await register(raw, "u2")
    p = kind.prefix
    agora_error(
        await raw("POST", f"{p}/{rid}/users/u1"),
        kind.refuse,
        "forbidden_op",
        f"can not join this group, reason:user: u1 already in group: {rid}",
    )
    agora_error(
        await raw("POST", f"{p}/{rid}/users", json={"usernames": ["u1", "owner"]}),
        kind.refuse,
        "forbidden_op",
        f"can not join this group, reason:user: u1 already in group: {rid}",
    )
    agora_error(
        await raw("POST", f"{p}/{rid}/users/nobody"),
        404,
        "resource_not_found",
        "username nobody doesn't exist!",
    )
    agora_error(
        await raw("POST", f"{p}/{rid}/users", json={"usernames": ["nobody", "u1"]}),
        404,
        "resource_not_found",
        "username nobody doesn't exist!",
    )
    agora_error(
        await raw("POST", f"{p}/999/users/u2"),
        404,
        "resource_not_found",
        "grpID 999 does not exist!",
    )
    agora_error(
        await raw("GET", f"{p}/999/users"),
        404,
        "service_resource_not_found",
        "do not find this group:999",
    )
    too_many = {"usernames": [f"x{i}" for i in range(61)]}
    agora_error(
        await raw("POST", f"{p}/{rid}/users", json=too_many),
        400,
        "invalid_parameter",
        "addMembers: addMembers number more than maxSize : 60",
    )
    agora_error(
        await raw("DELETE", f"{p}/{rid}/users/" + ",".join(f"x{i}" for i in range(61))),
        400,
        "invalid_parameter",
        "kickMember: kickMembers number more than maxSize : 60",
    )
    agora_error(
        await raw("DELETE", f"{p}/{rid}/users/owner"),
        kind.refuse,
        "forbidden_op",
        "forbidden operation on group owner!",
    )
    agora_error(
        await raw("DELETE", f"{p}/{rid}/users/u1,owner"),
        kind.refuse,
        "forbidden_op",
        "forbidden operation on group owner!",
    )
    agora_error(
        await raw("DELETE", f"{p}/{rid}/users/u2"),
        kind.refuse,
        "forbidden_op",
        "users [u2] are not members of this group!",
    )
    agora_error(
        await raw("DELETE", f"{p}/{rid}/users/u2,nobody"),
        kind.refuse,
        "forbidden_op",
        "users [u2, nobody] are not members of this group!",
    )
    # Nothing changed on the way.
    assert await members(raw, kind, rid) == [{"owner": "owner"}, {"member": "u1"}]


async def test_capacity_is_maxusers_including_the_owner(raw: Raw, kind: K) -> None:
    await register(raw, "owner", "u1", "u2", "u3")
    body = await ok(raw, "POST", kind.prefix, kind.body("owner", ["u1"], maxusers=3))
    rid = body["data"][kind.create_key]
    agora_error(
        await raw("POST", f"{kind.prefix}/{rid}/users", json={"usernames": ["u2", "u3"]}),
        403,
        "exceed_limit",
        "members size is greater than max user size !",
    )
    await ok(raw, "POST", f"{kind.prefix}/{rid}/users/u2")
    agora_error(
        await raw("POST", f"{kind.prefix}/{rid}/users/u3"),
        403,
        "exceed_limit",
        "members size is greater than max user size !",
    )


async def test_member_pages_end_with_a_short_page(raw: Raw, kind: K) -> None:
    names = [f"u{i}" for i in range(6)]
    rid = await setup(raw, kind, *names)
    seen: list[dict[str, str]] = []
    for pagenum in range(1, 10):
        body = await ok(raw, "GET", f"{kind.prefix}/{rid}/users?pagesize=3&pagenum={pagenum}")
        assert body["params"] == {"pagesize": ["3"], "pagenum": [str(pagenum)]}
        assert body["count"] == len(body["data"])
        seen += body["data"]
        if len(body["data"]) < 3:
            break
    assert pagenum == 3  # 7 affiliations: 3 + 3 + 1
    assert seen == [{"owner": "owner"}, *({"member": n} for n in names)]


async def test_concurrent_batch_adds_lose_nothing(raw: Raw, kind: K) -> None:
    names = [f"user{i}" for i in range(200)]
    await register(raw, "owner", *names)
    body = await ok(raw, "POST", kind.prefix, kind.body("owner", maxusers=1000))
    rid = body["data"][kind.create_key]
    batches = [names[i : i + 2] for i in range(0, 200, 2)]  # 100 concurrent requests
    results = await asyncio.gather(
        *(raw("POST", f"{kind.prefix}/{rid}/users", json={"usernames": b}) for b in batches)
    )
    assert {r.status for r in results} == {200}
    added = [n for r in results for n in r.body["data"]["newmembers"]]
    assert sorted(added) == sorted(names)
    listed = await members(raw, kind, rid)  # pagesize 100 caps groups; count via details
    assert len(listed) == 100
    details = await ok(raw, "GET", f"{kind.prefix}/{rid}")
    assert details["data"][0]["affiliations_count"] == 201


# -- admins ------------------------------------------------------------------------------


async def test_admins(raw: Raw, kind: K) -> None:
    rid = await setup(raw, kind, "u1", "u2")
    await register(raw, "out")
    p = f"{kind.prefix}/{rid}/admin"
    body = await ok(raw, "POST", p, {"newadmin": "u1"})
    assert body["data"] == {"result": "success", "newadmin": "u1"}
    body = await ok(raw, "GET", p)
    assert (body["data"], body["count"]) == (["u1"], 1)
    agora_error(
        await raw("POST", p, json={"newadmin": "out"}),
        404,
        "resource_not_found",
        f"user: out doesn't exist in group: {rid}",
    )
    agora_error(
        await raw("POST", p, json={"newadmin": "ghost"}),
        404,
        "resource_not_found",
        "username ghost doesn't exist!",
    )
    agora_error(
        await raw("POST", p, json={}), 400, "invalid_parameter", "newadmin must be provided"
    )
    agora_error(
        await raw("DELETE", f"{p}/u2"),
        kind.refuse,
        "forbidden_op",
        f"user:u2 is not admin of group:{rid}",
    )
    body = await ok(raw, "DELETE", f"{p}/u1")
    assert body["data"] == {"result": "success", "oldadmin": "u1"}
    assert (await ok(raw, "GET", p))["data"] == []
    # Admins show as members in the member list, and lose the role when they leave.
    await ok(raw, "POST", p, {"newadmin": "u2"})
    assert {"member": "u2"} in await members(raw, kind, rid)
    await ok(raw, "DELETE", f"{kind.prefix}/{rid}/users/u2")
    assert (await ok(raw, "GET", p))["data"] == []


async def test_at_most_99_admins(raw: Raw, kind: K) -> None:
    names = [f"m{i}" for i in range(100)]
    await register(raw, "owner", *names)
    body = await ok(raw, "POST", kind.prefix, kind.body("owner", names, maxusers=200))
    rid = body["data"][kind.create_key]
    for name in names[:99]:
        await ok(raw, "POST", f"{kind.prefix}/{rid}/admin", {"newadmin": name})
    agora_error(
        await raw("POST", f"{kind.prefix}/{rid}/admin", json={"newadmin": names[99]}),
        403,
        "exceed_limit",
        "the number of admins has reached the limit : 99",
    )


# -- blocklist -----------------------------------------------------------------------------


async def test_blocking_removes_and_keeps_out(raw: Raw, kind: K) -> None:
    rid = await setup(raw, kind, "u1", "u2", "u3")
    await register(raw, "out")
    p = f"{kind.prefix}/{rid}/blocks/users"
    body = await ok(raw, "POST", f"{p}/u1")
    assert body["data"] == {
        "result": True,
        "action": "add_blocks",
        "user": "u1",
        kind.list_key: rid,
    }
    body = await ok(raw, "POST", p, {"usernames": ["u2", "out"]})
    assert body["data"] == [
        {"result": True, "action": "add_blocks", "user": "u2", kind.list_key: rid},
        {
            "result": False,
            "action": "add_blocks",
            "reason": f"user: out doesn't exist in {kind.where}: {rid}",
            "user": "out",
            kind.list_key: rid,
        },
    ]
    assert await members(raw, kind, rid) == [{"owner": "owner"}, {"member": "u3"}]
    body = await ok(raw, "GET", p)
    assert (body["data"], body["count"]) == (["u2", "u1"], 2)  # newest first
    agora_error(
        await raw("POST", f"{kind.prefix}/{rid}/users/u1"),
        kind.refuse,
        "forbidden_op",
        f"can not join this group, reason:user: u1 is blocked in group: {rid}",
    )
    body = await ok(raw, "POST", f"{kind.prefix}/{rid}/users", {"usernames": ["u1", "out"]})
    assert body["data"]["newmembers"] == ["out"]  # the blocked one is skipped
    agora_error(
        await raw("POST", f"{p}/owner"),
        kind.refuse,
        "forbidden_op",
        "forbidden operation on group owner!",
    )
    agora_error(
        await raw("POST", p, json={"usernames": ["u3", "owner"]}),
        kind.refuse,
        "forbidden_op",
        "forbidden operation on group owner!",
    )
    agora_error(
        await raw("POST", f"{p}/u1"),
        kind.refuse,
        "forbidden_op",
        "users [u1] are not members of this group!",
    )
    body = await ok(raw, "DELETE", f"{p}/u1")
    assert body["data"] == {
        "result": True,
        "action": "remove_blocks",
        "user": "u1",
        kind.list_key: rid,
    }
    body = await ok(raw, "DELETE", f"{p}/u2%2Cu1")
    assert [(i["user"], i["result"]) for i in body["data"]] == [("u2", True), ("u1", False)]
    assert body["data"][1]["reason"] == f"user: u1 is not in the blocklist of {kind.where}: {rid}"
    assert (await ok(raw, "GET", p))["data"] == []
    await ok(raw, "POST", f"{kind.prefix}/{rid}/users/u1")  # unblocked: may rejoin
    agora_error(
        await raw("POST", p, json={"usernames": [f"x{i}" for i in range(61)]}),
        400,
        "invalid_parameter",
        "userNames is more than max limit : 60",
    )


async def test_group_blocklist_pages_with_page_size_and_cursor(raw: Raw) -> None:
    names = [f"u{i}" for i in range(5)]
    rid = await setup(raw, GROUP, *names)
    await ok(raw, "POST", f"/chatgroups/{rid}/blocks/users", {"usernames": names})
    p = f"/chatgroups/{rid}/blocks/users"
    first = await ok(raw, "GET", f"{p}?pageSize=2")
    assert (first["data"], first["count"]) == (["u4", "u3"], 2)
    second = await ok(raw, "GET", f"{p}?pageSize=2&cursor={first['cursor']}")
    assert second["data"] == ["u2", "u1"]
    last = await ok(raw, "GET", f"{p}?pageSize=2&cursor={second['cursor']}")
    assert last["data"] == ["u0"]
    assert "cursor" not in last
    everything = await ok(raw, "GET", p)
    assert everything["data"] == ["u4", "u3", "u2", "u1", "u0"]
    assert "cursor" not in everything
    agora_error(
        await raw("GET", f"{p}?cursor=nonsense"),
        400,
        "illegal_argument",
        "cursor nonsense is not valid",
    )


async def test_group_blocklist_paging_survives_changes_between_pages(raw: Raw) -> None:
    names = [f"u{i}" for i in range(5)]
    rid = await setup(raw, GROUP, *names, "late")
    p = f"/chatgroups/{rid}/blocks/users"
    await ok(raw, "POST", p, {"usernames": names})
    first = await ok(raw, "GET", f"{p}?pageSize=2")
    assert first["data"] == ["u4", "u3"]
    await ok(raw, "DELETE", f"{p}/u4%2Cu3")  # seen already: the next page does not shift
    await ok(raw, "POST", f"{p}/late")  # newer than the listing: not in its next pages
    second = await ok(raw, "GET", f"{p}?pageSize=2&cursor={first['cursor']}")
    assert second["data"] == ["u2", "u1"]
    last = await ok(raw, "GET", f"{p}?pageSize=2&cursor={second['cursor']}")
    assert (last["data"], "cursor" in last) == (["u0"], False)


async def test_group_blocklist_page_size_is_at_most_50(raw: Raw) -> None:
    names = [f"u{i:02d}" for i in range(60)]
    rid = await setup(raw, GROUP, *names)
    await ok(raw, "POST", f"/chatgroups/{rid}/blocks/users", {"usernames": names})
    first = await ok(raw, "GET", f"/chatgroups/{rid}/blocks/users?pageSize=100")
    assert first["count"] == 50
    rest = await ok(raw, "GET", f"/chatgroups/{rid}/blocks/users?cursor={first['cursor']}")
    assert rest["data"] == names[9::-1]  # without pageSize: up to 500
    assert "cursor" not in rest


# -- allowlist -----------------------------------------------------------------------------


async def test_allowlist(raw: Raw, kind: K) -> None:
    rid = await setup(raw, kind, "u1", "u2")
    await register(raw, "out")
    p = f"{kind.prefix}/{rid}/white/users"
    body = await ok(raw, "POST", f"{p}/u1")
    assert body["data"] == {
        "result": True,
        "action": "add_user_whitelist",
        "user": "u1",
        kind.list_key: rid,
    }
    body = await ok(raw, "POST", p, {"usernames": ["u2", "out"]})
    assert [(i["user"], i["result"]) for i in body["data"]] == [("u2", True), ("out", False)]
    body = await ok(raw, "GET", p)
    assert (body["data"], body["count"]) == (["u1", "u2"], 2)
    agora_error(
        await raw("POST", f"{p}/out"),
        kind.refuse,
        "forbidden_op",
        "users [out] are not members of this group!",
    )
    body = await ok(raw, "DELETE", f"{p}/u1")
    assert body["data"] == [  # a list even for one user
        {"result": True, "action": "remove_user_whitelist", "user": "u1", kind.list_key: rid}
    ]
    await ok(raw, "DELETE", f"{kind.prefix}/{rid}/users/u2")  # leaving drops the entry
    assert (await ok(raw, "GET", p))["data"] == []
    agora_error(
        await raw("DELETE", f"{p}/" + ",".join(f"x{i}" for i in range(61))),
        400,
        "invalid_parameter",
        "removeWhitelist size is more than max limit : 60",
    )


# -- mutes ---------------------------------------------------------------------------------


@pytest.fixture
def now() -> list[float]:
    return [1_700_000_000.0]


@pytest.fixture
async def clocked(now: list[float]) -> Any:
    async with EmulatorServer(clock=lambda: now[0]) as server, raw_requests(server) as raw:
        raw.token = _token(server, now[0])
        yield raw


def _token(server: EmulatorServer, issued: float) -> str:
    """A token valid at the fake clock's time."""
    return build_app_token(server.app_id, server.app_certificate, 3600, issue_ts=int(issued))


async def test_mutes_expire_and_permanent_ones_stay(
    clocked: Raw, now: list[float], kind: K
) -> None:
    raw = clocked
    rid = await setup(raw, kind, "u1", "u2", "u3")
    p = f"{kind.prefix}/{rid}/mute"
    start = int(now[0] * 1000)
    body = await ok(raw, "POST", p, {"usernames": ["u1", "u2"], "mute_duration": 60_000})
    assert body["data"] == [
        {"result": True, "expire": start + 60_000, "user": "u1"},
        {"result": True, "expire": start + 60_000, "user": "u2"},
    ]
    await ok(raw, "POST", p, {"usernames": ["u3"], "mute_duration": -1})
    body = await ok(raw, "GET", p)
    assert [m["user"] for m in body["data"]] == ["u1", "u2", "u3"]
    body = await ok(raw, "DELETE", f"{p}/u2,u3,nobody")
    assert body["data"] == [
        {"result": True, "user": "u2"},
        {"result": True, "user": "u3"},
        {"result": False, "user": "nobody"},
    ]
    await ok(raw, "POST", p, {"usernames": ["u3"], "mute_duration": -1})
    now[0] += 61
    body = await ok(raw, "GET", p)
    assert body["data"] == [{"expire": -1, "user": "u3"}]


async def test_mute_errors(raw: Raw, kind: K) -> None:
    rid = await setup(raw, kind, "u1")
    await register(raw, "out")
    p = f"{kind.prefix}/{rid}/mute"
    agora_error(
        await raw("POST", p, json={"usernames": ["u1"]}),
        400,
        "invalid_parameter",
        "mute_duration must be provided",
    )
    agora_error(
        await raw("POST", p, json={"usernames": ["u1"], "mute_duration": 0}),
        400,
        "invalid_parameter",
        "mute_duration must be a positive number of milliseconds or -1",
    )
    agora_error(
        await raw("POST", p, json={"usernames": ["u1", "out"], "mute_duration": 5}),
        kind.refuse,
        "forbidden_op",
        "users [out] are not members of this group!",
    )
    agora_error(
        await raw("POST", p, json={"usernames": ["owner"], "mute_duration": 5}),
        kind.refuse,
        "forbidden_op",
        "forbidden operation on group owner!",
    )
    many = {"usernames": [f"x{i}" for i in range(61)], "mute_duration": 5}
    agora_error(
        await raw("POST", p, json=many),
        400,
        "invalid_parameter",
        "userNames size is more than max limit : 60",
    )
    agora_error(
        await raw("DELETE", f"{p}/" + ",".join(f"x{i}" for i in range(61))),
        400,
        "invalid_parameter",
        "removeMute member size more than max limit : 60",
    )
    assert (await ok(raw, "GET", p))["data"] == []


async def test_mute_all_shows_in_details(raw: Raw, kind: K) -> None:
    rid = await setup(raw, kind)
    details = f"{kind.prefix}/{rid}"
    assert (await ok(raw, "GET", details))["data"][0]["mute"] is False
    assert (await ok(raw, "POST", f"{details}/ban"))["data"] == {"mute": True}
    assert (await ok(raw, "GET", details))["data"][0]["mute"] is True
    assert (await ok(raw, "GET", f"{details}/mute"))["data"] == []  # list untouched
    body = await ok(raw, "DELETE", f"{details}/ban")
    assert (body["action"], body["data"]) == ("delete", {"mute": False})
    assert (await ok(raw, "GET", details))["data"][0]["mute"] is False
    await ok(raw, "POST", f"{details}/ban")
    body = await ok(raw, "PUT", f"{details}/ban")  # the older form of unmute-all
    assert body["data"] == {"mute": False}


# -- deletion and the user-removed cascade --------------------------------------------------


async def test_deleting_a_user_cascades(raw: Raw, kind: K) -> None:
    await register(raw, "alice", "bob", "carol")
    owned = await make(raw, kind, "alice", ["bob", "carol"])
    other = await make(raw, kind, "bob", ["alice", "carol"])
    p = f"{kind.prefix}/{other}"
    await ok(raw, "POST", f"{p}/admin", {"newadmin": "alice"})
    await ok(raw, "POST", f"{p}/mute", {"usernames": ["alice"], "mute_duration": 10_000})
    await ok(raw, "POST", f"{p}/white/users/alice")
    await ok(raw, "POST", f"{p}/blocks/users/carol")
    await ok(raw, "DELETE", "/users/alice")
    agora_error(
        await raw("GET", f"{kind.prefix}/{owned}"),
        404,
        "resource_not_found" if kind is GROUP else "service_resource_not_found",
        f"grpID {owned} does not exist!" if kind is GROUP else f"do not find this group:{owned}",
    )
    assert await members(raw, kind, other) == [{"owner": "bob"}]
    for sub in ("admin", "mute", "white/users"):
        assert (await ok(raw, "GET", f"{p}/{sub}"))["data"] == [], sub
    assert (await ok(raw, "GET", f"{p}/blocks/users"))["data"] == ["carol"]
    await ok(raw, "DELETE", "/users/carol")
    assert (await ok(raw, "GET", f"{p}/blocks/users"))["data"] == []
    # A new user of the same name starts with no memberships.
    await register(raw, "alice")
    joined = "joined_chatgroups" if kind is GROUP else "joined_chatrooms"
    assert (await ok(raw, "GET", f"/users/alice/{joined}"))["data"] == []


async def test_delete(raw: Raw, kind: K) -> None:
    rid = await setup(raw, kind, "u1")
    body = await ok(raw, "DELETE", f"{kind.prefix}/{rid}")
    assert body["data"] == {"success": True, kind.id_key: rid}
    agora_error(
        await raw("DELETE", f"{kind.prefix}/{rid}"),
        404,
        "resource_not_found",
        f"grpID {rid} does not exist!",
    )
    agora_error(
        await raw("POST", f"{kind.prefix}/{rid}/users/u1"),
        404,
        "resource_not_found",
        f"grpID {rid} does not exist!",
    )


PATHS = [
    ("GET", "/admin"),
    ("GET", "/mute"),
    ("GET", "/white/users"),
    ("GET", "/blocks/users"),
    ("POST", "/ban"),
    ("DELETE", "/ban"),
    ("DELETE", "/mute/u1"),
    ("DELETE", "/users/u1,u2"),
    ("DELETE", "/admin/u1"),
    ("POST", "/blocks/users/u1"),
    ("POST", "/white/users/u1"),
]


@pytest.mark.parametrize(("method", "sub"), PATHS)
async def test_unknown_room_is_404_everywhere(raw: Raw, kind: K, method: str, sub: str) -> None:
    agora_error(
        await raw(method, f"{kind.prefix}/123{sub}"),
        404,
        "resource_not_found",
        "grpID 123 does not exist!",
    )
