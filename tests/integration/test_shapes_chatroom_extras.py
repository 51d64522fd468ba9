"""Each chat room super admin / custom attribute response has the key set and JSON types
of its documented example (``chatrooms.super_admins.*``, ``chatrooms.attributes.*``).

The super admin list's example is filed under the DELETE request line before it
(``MISKEYED``); it is compared here by its doc section. The forced attribute examples
are fragments (only ``data``): only the keys they show are compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests._spec_files import doc_examples, lenient_json
from tests.integration._helpers import register
from tests.integration._shapes import Scenario, assert_like, body as _body, documented

if TYPE_CHECKING:
    from tests.integration._helpers import Raw

SUPER = "/chatrooms/super_admin"


async def _room(raw: Raw) -> str:
    await register(raw, "owner", "user1", "user2")
    room = {"name": "r", "description": "d", "owner": "owner", "members": ["user1", "user2"]}
    rid: str = (await _body(raw, "POST", "/chatrooms", room))["data"]["id"]
    return rid


def _attrs(rid: str, user: str = "", forced: bool = False) -> str:
    path = f"/metadata/chatroom/{rid}"
    if user:
        path += f"/user/{user}"
    return path + ("/forced" if forced else "")


async def _super_add(raw: Raw) -> Any:
    await register(raw, "user1")
    return await _body(raw, "POST", SUPER, {"superadmin": "user1"})


async def _super_remove(raw: Raw) -> Any:
    await _super_add(raw)
    return await _body(raw, "DELETE", f"{SUPER}/user1")


async def _super_list(raw: Raw) -> Any:
    for name in ("yifan2", "yifan3", "yifan4"):
        await register(raw, name)
        await _body(raw, "POST", SUPER, {"superadmin": name})
    return await _body(raw, "GET", SUPER)


async def _set(raw: Raw) -> Any:
    # key2 belongs to user2: user1's call sets key1 only
    rid = await _room(raw)
    await _body(raw, "PUT", _attrs(rid, "user2"), {"metaData": {"key2": "v"}})
    meta = {"metaData": {"key1": "value1", "key2": "value2"}, "autoDelete": "DELETE"}
    return await _body(raw, "PUT", _attrs(rid, "user1"), meta)


async def _set_forced(raw: Raw) -> Any:
    rid = await _room(raw)
    meta = {"metaData": {"key1": "value1", "key2": "v" * 4097}}
    return await _body(raw, "PUT", _attrs(rid, "user1", forced=True), meta)


async def _get(raw: Raw) -> Any:
    rid = await _room(raw)
    meta = {"metaData": {"key1": "value1", "key2": "value2"}}
    await _body(raw, "PUT", _attrs(rid, "user1"), meta)
    return await _body(raw, "POST", _attrs(rid), {"keys": ["key1", "key2"]})


async def _remove(raw: Raw) -> Any:
    rid = await _room(raw)
    await _body(raw, "PUT", _attrs(rid, "user1"), {"metaData": {"key1": "v"}})
    await _body(raw, "PUT", _attrs(rid, "user2"), {"metaData": {"key2": "v"}})
    return await _body(raw, "DELETE", _attrs(rid, "user1"), {"keys": ["key1", "key2"]})


async def _remove_forced(raw: Raw) -> Any:
    rid = await _room(raw)
    await _body(raw, "PUT", _attrs(rid, "user2"), {"metaData": {"key1": "v"}})
    keys = {"keys": ["key1", "key2"]}  # key2 was never set
    return await _body(raw, "DELETE", _attrs(rid, "user1", forced=True), keys)


SCENARIOS: dict[str, Scenario] = {
    "chatrooms.super_admins.add#0": _super_add,
    "chatrooms.super_admins.remove#0": _super_remove,
    "chatrooms.attributes.set#0": _set,
    "chatrooms.attributes.set_forced#0": _set_forced,
    "chatrooms.attributes.get#0": _get,
    "chatrooms.attributes.remove#0": _remove,
    "chatrooms.attributes.remove_forced#0": _remove_forced,
}

EXAMPLES = documented({"chatroom_super_admins", "chatroom_attributes"})


def test_every_documented_example_has_a_scenario() -> None:
    assert set(EXAMPLES) == set(SCENARIOS)


@pytest.mark.parametrize("example_id", sorted(SCENARIOS))
async def test_response_shape_matches_the_docs(raw: Raw, example_id: str) -> None:
    ours = await SCENARIOS[example_id](raw)
    example = EXAMPLES[example_id]
    if "timestamp" not in example:  # a fragment: compare what it shows
        ours = {key: ours[key] for key in example}
    assert_like(ours, example)


async def test_the_miskeyed_super_admin_list_example(raw: Raw) -> None:
    (raw_example,) = [
        e for e in doc_examples() if e["section"].startswith("Retrieving super admins of")
    ]
    example = lenient_json(raw_example["body"])
    assert example["data"] == ["yifan4", "yifan3", "yifan2"]
    ours = await _super_list(raw)
    assert_like(ours, example)
    assert (ours["data"], ours["count"]) == (example["data"], example["count"])
