"""Each chat group / chat room response has the key set and JSON types of its documented
example (``groups.*``, ``groups.<members|admins|...>.*``, ``chatrooms.*`` rows).

Three room examples are fragments (only ``data``): the emulator answers with the full
envelope of the group equivalents, and only the example's keys are compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.integration._shapes import Scenario, assert_like, body as _body, documented

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.integration._helpers import Raw

G, R = "/chatgroups", "/chatrooms"


async def _setup(raw: Raw, prefix: str, members: tuple[str, ...] = ("user1", "user2")) -> str:
    names = ("owner", "user1", "user2", "user3", "user4")
    await _body(raw, "POST", "/users", [{"username": n} for n in names])
    fields = {"groupname": "g"} if prefix == G else {"name": "r", "description": "d"}
    created = await _body(raw, "POST", prefix, {**fields, "owner": "owner", "members": [*members]})
    key = "groupid" if prefix == G else "id"
    room_id: str = created["data"][key]
    return room_id


def _on(
    prefix: str,
    method: str,
    sub: str,
    json: Any = None,
    before: tuple[tuple[str, str, Any], ...] = (),
) -> Scenario:
    """A scenario: a group/room with owner, user1, user2; ``before`` requests; then one."""

    async def scenario(raw: Raw) -> Any:
        rid = await _setup(raw, prefix)
        for m, s, j in before:
            await _body(raw, m, f"{prefix}/{rid}{s}", j)
        return await _body(raw, method, f"{prefix}/{rid}{sub}", json)

    return scenario


async def _group_create(raw: Raw) -> Any:
    await _body(raw, "POST", "/users", {"username": "owner"})
    return await _body(raw, "POST", G, {"owner": "owner", "groupname": "g"})


async def _room_create(raw: Raw) -> Any:
    await _body(raw, "POST", "/users", {"username": "owner"})
    return await _body(raw, "POST", R, {"owner": "owner", "name": "r", "description": "d"})


def _list_all(prefix: str) -> Scenario:
    async def scenario(raw: Raw) -> Any:
        for _ in range(2):
            await _setup(raw, prefix, ())
        limit = 2 if prefix == G else 5  # the examples' queries
        return await _body(raw, "GET", f"{prefix}?limit={limit}")

    return scenario


async def _groups_first_page(raw: Raw) -> Any:
    await _body(raw, "POST", "/users", {"username": "owner"})
    for _ in range(3):
        await _body(raw, "POST", G, {"owner": "owner", "groupname": "g"})
    return await _body(raw, "GET", f"{G}?limit=2")  # the example has a cursor


def _joined(prefix: str, user: str) -> Scenario:
    async def scenario(raw: Raw) -> Any:
        await _setup(raw, prefix)
        what = "joined_chatgroups" if prefix == G else "joined_chatrooms"
        return await _body(raw, "GET", f"/users/{user}/{what}?pagesize=100&pagenum=1")

    return scenario


_EVERY_GROUP_FIELD = {
    "allowinvites": True,
    "invite_need_confirm": True,
    "membersonly": True,
    "public": True,
    "custom": "c",
    "description": "d",
    "maxusers": 300,
    "groupname": "n",
    "avatar": "https://x.io/a.png",
}
_BLOCK_TWO = (("POST", "/blocks/users", {"usernames": ["user1", "user2"]}),)
_MUTE = {"usernames": ["user1", "user2"], "mute_duration": 86_400_000}

SCENARIOS: dict[str, Scenario] = {
    # groups
    "groups.create#0": _group_create,
    "groups.list#0": _groups_first_page,
    "groups.list_joined#0": _joined(G, "user3"),  # the example: none
    "groups.delete#0": _on(G, "DELETE", ""),
    "groups.get#0": _on(G, "GET", ""),
    "groups.update#0": _on(G, "PUT", "", _EVERY_GROUP_FIELD),
    "groups.transfer_owner#0": _on(G, "PUT", "", {"newowner": "user1"}),
    # group members
    "groups.members.list#0": _on(G, "GET", "/users?pagesize=2&pagenum=1"),
    "groups.members.add#0": _on(G, "POST", "/users/user3", before=()),
    "groups.members.add_many#0": _on(G, "POST", "/users", {"usernames": ["user3", "user4"]}),
    "groups.members.remove#0": _on(G, "DELETE", "/users/user1"),
    "groups.members.remove_many#0": _on(G, "DELETE", "/users/user3,user1,user2"),
    "groups.admins.list#0": _on(
        G, "GET", "/admin", before=(("POST", "/admin", {"newadmin": "user1"}),)
    ),
    "groups.admins.add#0": _on(G, "POST", "/admin", {"newadmin": "user1"}),
    "groups.admins.remove#0": _on(
        G, "DELETE", "/admin/user1", before=(("POST", "/admin", {"newadmin": "user1"}),)
    ),
    "groups.blocklist.list#0": _on(G, "GET", "/blocks/users?pageSize=1", before=_BLOCK_TWO),
    "groups.blocklist.add#0": _on(G, "POST", "/blocks/users/user1"),
    "groups.blocklist.add_many#0": _on(
        G, "POST", "/blocks/users", {"usernames": ["user3", "user1"]}
    ),
    "groups.blocklist.remove#0": _on(G, "DELETE", "/blocks/users/user1", before=_BLOCK_TWO),
    "groups.blocklist.remove_many#0": _on(
        G, "DELETE", "/blocks/users/user1%2Cuser2", before=_BLOCK_TWO
    ),
    "groups.allowlist.list#0": _on(
        G, "GET", "/white/users", before=(("POST", "/white/users/user1", None),)
    ),
    "groups.allowlist.add#0": _on(G, "POST", "/white/users/user1"),
    "groups.allowlist.add_many#0": _on(
        G, "POST", "/white/users", {"usernames": ["user1", "user2"]}
    ),
    "groups.allowlist.remove#0": _on(
        G,
        "DELETE",
        "/white/users/user1,user2",
        before=(("POST", "/white/users", {"usernames": ["user1", "user2"]}),),
    ),
    "groups.mutes.list#0": _on(G, "GET", "/mute", before=(("POST", "/mute", _MUTE),)),
    "groups.mutes.add#0": _on(G, "POST", "/mute", _MUTE),
    "groups.mutes.remove#0": _on(G, "DELETE", "/mute/user1", before=(("POST", "/mute", _MUTE),)),
    "groups.mutes.mute_all#0": _on(G, "POST", "/ban"),
    "groups.mutes.unmute_all#0": _on(G, "DELETE", "/ban", before=(("POST", "/ban", None),)),
    # chat rooms
    "chatrooms.create#0": _room_create,
    "chatrooms.list#0": _list_all(R),
    "chatrooms.list_joined#0": _joined(R, "user1"),
    "chatrooms.update#0": _on(R, "PUT", "", {"name": "n", "description": "d", "maxusers": 50}),
    "chatrooms.delete#0": _on(R, "DELETE", ""),
    # chat room members
    "chatrooms.members.list#0": _on(R, "GET", "/users?pagesize=2&pagenum=1"),
    "chatrooms.members.add#0": _on(R, "POST", "/users/user3"),
    "chatrooms.members.add_many#0": _on(R, "POST", "/users", {"usernames": ["user3", "user4"]}),
    "chatrooms.members.remove#0": _on(R, "DELETE", "/users/user1"),
    "chatrooms.members.remove_many#0": _on(R, "DELETE", "/users/user3%2Cuser2"),
    "chatrooms.admins.list#0": _on(
        R, "GET", "/admin", before=(("POST", "/admin", {"newadmin": "user1"}),)
    ),
    "chatrooms.admins.add#0": _on(R, "POST", "/admin", {"newadmin": "user1"}),
    "chatrooms.admins.remove#0": _on(
        R, "DELETE", "/admin/user1", before=(("POST", "/admin", {"newadmin": "user1"}),)
    ),
    "chatrooms.mutes.list#0": _on(R, "GET", "/mute", before=(("POST", "/mute", _MUTE),)),
    "chatrooms.mutes.add#0": _on(R, "POST", "/mute", _MUTE),
    "chatrooms.mutes.remove#0": _on(R, "DELETE", "/mute/user1", before=(("POST", "/mute", _MUTE),)),
}

#: Where the emulator answers differently from an example on purpose, what the example
#: would be with the difference applied, and why.
DEVIATIONS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "chatrooms.list_joined#0": (
        lambda example: {"data": [{**example["data"], "disabled": "false"}]},
        "Agora shows data as one object, a doc error: Easemob's example and the Java "
        "model give a list of {id, name, disabled}, disabled as a string",
    ),
}

EXAMPLES = documented({"groups", "group_members", "chatrooms", "chatroom_members"})


def test_every_documented_example_has_a_scenario() -> None:
    assert set(EXAMPLES) <= set(SCENARIOS)


def test_every_scenario_is_for_a_documented_example() -> None:
    assert set(SCENARIOS) <= set(EXAMPLES)


@pytest.mark.parametrize("example_id", sorted(SCENARIOS))
async def test_response_shape_matches_the_docs(raw: Raw, example_id: str) -> None:
    ours = await SCENARIOS[example_id](raw)
    example = EXAMPLES[example_id]
    if example_id in DEVIATIONS:
        example = DEVIATIONS[example_id][0](example)
    if "timestamp" not in example:  # a fragment: compare what it shows
        ours = {key: ours[key] for key in example}
    assert_like(ours, example)
