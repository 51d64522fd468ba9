"""Each push sending, push label and chat room broadcast answer has the key set and JSON
types of its documented example, top-level keys in the example's order; the data is set
up over REST (and the emulator's control path for who is online)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw

_MESSAGE = {"pushMessage": {"title": "Agora push", "content": "Hello and welcome"}}


async def _user(raw: Raw, name: str, *, online: bool = False) -> None:
    await _body(raw, "POST", "/users", {"username": name})
    if online:
        await _body(raw, "POST", "/__emulator/online", {"usernames": [name], "online": True})


async def _sync_success(raw: Raw) -> Any:
    await _user(raw, "test1", online=True)
    return await _body(raw, "POST", "/push/sync/test1", {**_MESSAGE, "strategy": 3})


async def _sync_no_binding(raw: Raw) -> Any:
    await _user(raw, "test1", online=True)
    return await _body(raw, "POST", "/push/sync/test1", _MESSAGE)


async def _sync_no_user(raw: Raw) -> Any:
    return await _body(raw, "POST", "/push/sync/test1", {**_MESSAGE, "strategy": 3})


async def _single(raw: Raw) -> Any:
    await _user(raw, "test2")
    return await _body(raw, "POST", "/push/single", {**_MESSAGE, "targets": ["test2"]})


async def _label(raw: Raw, *users: str) -> Any:
    made = await _body(raw, "POST", "/push/label", {"name": "post-90s", "description": "hah"})
    for name in users:
        await _user(raw, name)
    if users:
        await _body(raw, "POST", "/push/label/post-90s/user", {"usernames": list(users)})
    return made


async def _by_label(raw: Raw) -> Any:
    await _label(raw, "hx1")
    return await _body(raw, "POST", "/push/list/label", {**_MESSAGE, "targets": ["post-90s"]})


async def _to_all(raw: Raw) -> Any:
    return await _body(raw, "POST", "/push/task", _MESSAGE)


async def _get(raw: Raw) -> Any:
    await _label(raw)
    return await _body(raw, "GET", "/push/label/post-90s")


async def _list(raw: Raw) -> Any:
    await _body(raw, "POST", "/push/label", {"name": "post-80s", "description": "80s"})
    await _label(raw)
    return await _body(raw, "GET", "/push/label")


async def _delete(raw: Raw) -> Any:
    await _label(raw)
    return await _body(raw, "DELETE", "/push/label/post-90s")


async def _add_users(raw: Raw) -> Any:
    await _label(raw)
    await _user(raw, "hx1")
    await _user(raw, "hx2")
    return await _body(raw, "POST", "/push/label/post-90s/user", {"usernames": ["hx1", "hx2"]})


async def _get_user(raw: Raw) -> Any:
    await _label(raw, "hx1")
    return await _body(raw, "GET", "/push/label/post-90s/user/hx1")


async def _list_users(raw: Raw) -> Any:
    await _label(raw, "hx1", "hx2")
    return await _body(raw, "GET", "/push/label/post-90s/user?limit=1")


async def _remove_users(raw: Raw) -> Any:
    await _label(raw, "hx1", "hx2")
    return await _body(raw, "DELETE", "/push/label/post-90s/user", {"usernames": ["hx1", "hx2"]})


async def _broadcast(raw: Raw) -> Any:
    await _user(raw, "owner")
    room = {"name": "r", "description": "d", "owner": "owner"}
    room_id = (await _body(raw, "POST", "/chatrooms", room))["data"]["id"]
    message = {"to": [room_id], "type": "txt", "body": {"msg": "hi"}}
    await _body(raw, "POST", "/messages/chatrooms", message)
    broadcast = {"msg": {"type": "txt", "msg": "to all"}, "from": "admin", "ext": {"k": "v"}}
    return await _body(raw, "POST", "/messages/chatrooms/broadcast", broadcast)


SCENARIOS: dict[str, Scenario] = {
    "push.send_sync#0": _sync_success,
    "push.send_sync#1": _sync_no_binding,
    "push.send_sync#2": _sync_no_user,
    "push.send#0": _single,
    "push.send_by_labels#0": _by_label,
    "push.send_to_all#0": _to_all,
    "push.labels.create#0": _label,
    "push.labels.get#0": _get,
    "push.labels.list#0": _list,
    "push.labels.delete#0": _delete,
    "push.labels.users.add_many#0": _add_users,
    "push.labels.users.get#0": _get_user,
    "push.labels.users.list#0": _list_users,
    "push.labels.users.remove_many#0": _remove_users,
    "messages.broadcast_to_chatrooms#0": _broadcast,
}

EXAMPLES = {
    **documented({"push_service", "push_labels"}),
    **{
        k: v
        for k, v in documented({"messages"}).items()
        if k.startswith("messages.broadcast_to_chatrooms#")
    },
}

test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)


async def test_values_follow_the_docs(raw: Raw) -> None:
    async def fresh(scenario: Scenario) -> Any:
        await _body(raw, "POST", "/__emulator/reset")
        return await scenario(raw)

    assert (await fresh(_sync_no_binding))["data"] == [
        {"pushStatus": "FAIL", "desc": "no push binding"}
    ]
    assert (await fresh(_single))["data"] == [
        {"id": "test2", "pushStatus": "ASYNC_SUCCESS", "desc": "async success."}
    ]
    added = (await fresh(_add_users))["data"]
    assert added == EXAMPLES["push.labels.users.add_many#0"]["data"]
    assert (await fresh(_remove_users))["data"] == {"success": ["hx1", "hx2"], "fail": {}}
    assert (await fresh(_delete))["data"] == "success"
    labels = (await fresh(_list))["data"]
    assert [label["name"] for label in labels] == ["post-90s", "post-80s"]  # newest first
    listed = await fresh(_list_users)
    assert isinstance(listed["cursor"], str)  # the other user is on the next page
    assert (await fresh(_broadcast))["path"] == "/messages/chatrooms/broadcast"
