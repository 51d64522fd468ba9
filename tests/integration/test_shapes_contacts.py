"""Each contacts/blocklist response has the key set and JSON types of its documented
example; users user1..user3 (tst04, tst05 for the blocklist) are set up over REST."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._helpers import register
from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw


async def _add(raw: Raw) -> Any:
    await register(raw, "user1", "user2")
    return await _body(raw, "POST", "/users/user1/contacts/users/user2")


async def _remove(raw: Raw) -> Any:
    await _add(raw)
    return await _body(raw, "DELETE", "/users/user1/contacts/users/user2")


async def _list(raw: Raw) -> Any:
    await _add(raw)
    await register(raw, "user3")
    await _body(raw, "POST", "/users/user1/contacts/users/user3")
    return await _body(raw, "GET", "/users/user1/contacts/users")


async def _block(raw: Raw) -> Any:
    await register(raw, "user1", "user2")
    return await _body(raw, "POST", "/users/user1/blocks/users", {"usernames": ["user2"]})


async def _blocked(raw: Raw) -> Any:
    await register(raw, "user1", "tst04", "tst05")
    await _body(raw, "POST", "/users/user1/blocks/users", {"usernames": ["tst04", "tst05"]})
    return await _body(raw, "GET", "/users/user1/blocks/users?pageSize=2")


async def _unblock(raw: Raw) -> Any:
    await _block(raw)
    return await _body(raw, "DELETE", "/users/user1/blocks/users/user2")


SCENARIOS: dict[str, Scenario] = {
    "contacts.add#0": _add,
    "contacts.remove#0": _remove,
    "contacts.list#0": _list,
    "blocks.add#0": _block,
    "blocks.list#0": _blocked,
    "blocks.remove#0": _unblock,
}

EXAMPLES = documented({"contacts"})
test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)


async def test_lists_show_the_documented_values(raw: Raw) -> None:
    assert (await _list(raw))["data"] == ["user3", "user2"]
    assert (await _body(raw, "GET", "/users/user1/blocks/users"))["data"] == []


async def test_paths_name_the_owner_by_uuid(raw: Raw) -> None:
    added = await _add(raw)
    owner = (await _body(raw, "GET", "/users/user1"))["entities"][0]["uuid"]
    assert added["path"] == f"/users/{owner}/contacts"
    assert added["uri"].endswith(f"/users/{owner}/contacts")
    unblocked = await _body(raw, "DELETE", "/users/user1/blocks/users/user2")
    assert unblocked["path"] == f"/users/{owner}/blocks"
