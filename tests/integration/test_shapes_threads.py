"""Each threads response has the key set and JSON types of its documented example.

Everything is set up over REST: users, the chat group, a group message, the thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._helpers import register
from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw


async def _group(raw: Raw, owner: str, *members: str) -> str:
    """A chat group of registered users."""
    await register(raw, owner, *members)
    group = {"groupname": "g", "owner": owner, "members": list(members), "public": False}
    return str((await _body(raw, "POST", "/chatgroups", group))["data"]["groupid"])


async def _group_message(raw: Raw, group_id: str) -> str:
    message = {"from": "test4", "to": [group_id], "type": "txt", "body": {"msg": "hi"}}
    return str((await _body(raw, "POST", "/messages/chatgroups", message))["data"][group_id])


async def _setup(raw: Raw) -> tuple[str, str]:
    """A group of test4, test2, test3 and a thread of test4's on one of its messages."""
    group_id = await _group(raw, "test4", "test2", "test3")
    msg_id = await _group_message(raw, group_id)
    thread = {"group_id": group_id, "name": "1", "owner": "test4", "msg_id": msg_id}
    thread_id = (await _body(raw, "POST", "/thread", thread))["data"]["thread_id"]
    return group_id, thread_id


async def _create(raw: Raw) -> Any:
    group_id = await _group(raw, "test4")
    msg_id = await _group_message(raw, group_id)
    # As in the docs' request example: the ids as JSON numbers.
    thread = {"group_id": int(group_id), "name": "1", "owner": "test4", "msg_id": int(msg_id)}
    return await _body(raw, "POST", "/thread", thread)


async def _update(raw: Raw) -> Any:
    _, thread_id = await _setup(raw)
    return await _body(raw, "PUT", f"/thread/{thread_id}", {"name": "test4"})


async def _delete(raw: Raw) -> Any:
    _, thread_id = await _setup(raw)
    return await _body(raw, "DELETE", f"/thread/{thread_id}")


async def _list(raw: Raw) -> Any:
    await _setup(raw)
    return await _body(raw, "GET", "/thread")


async def _list_joined(raw: Raw) -> Any:
    await _setup(raw)
    return await _body(raw, "GET", "/threads/user/test4")


async def _list_joined_in_group(raw: Raw) -> Any:
    group_id, _ = await _setup(raw)
    return await _body(raw, "GET", f"/threads/chatgroups/{group_id}/user/test4")


async def _members(raw: Raw) -> Any:
    _, thread_id = await _setup(raw)
    return await _body(raw, "GET", f"/thread/{thread_id}/users")


async def _add(raw: Raw) -> Any:
    _, thread_id = await _setup(raw)
    return await _body(raw, "POST", f"/thread/{thread_id}/users", {"usernames": ["test2", "test3"]})


async def _remove(raw: Raw) -> Any:
    _, thread_id = await _setup(raw)
    await _body(raw, "POST", f"/thread/{thread_id}/users", {"usernames": ["test2"]})
    users = {"usernames": ["test2", "test6"]}
    return await _body(raw, "DELETE", f"/thread/{thread_id}/users", users)


SCENARIOS: dict[str, Scenario] = {
    "threads.create#0": _create,
    "threads.update#0": _update,
    "threads.delete#0": _delete,
    "threads.list#0": _list,
    "threads.list_joined#0": _list_joined,
    "threads.list_joined_in_group#0": _list_joined_in_group,
    "threads.members.list#0": _members,
    "threads.members.add_many#0": _add,
    "threads.members.remove_many#0": _remove,
}

EXAMPLES = documented({"threads"})
test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)


async def test_removal_reports_each_user_like_the_example(raw: Raw) -> None:
    ours = await _remove(raw)
    assert ours["entities"] == [
        {"result": True, "user": "test2"},
        {"result": False, "user": "test6"},
    ]


async def test_the_add_answer_names_joined_thread_like_the_example(raw: Raw) -> None:
    ours = await _add(raw)
    assert ours["uri"].endswith("/joined_thread")
    assert EXAMPLES["threads.members.add_many#0"]["uri"].endswith("/joined_thread")
