"""Each users/push response has the key set and JSON types of its documented example.

The examples come from ``shared/spec/doc_response_examples.json`` via the contract
tests' matcher; each scenario below sets up the data the example shows (a nickname,
a second page, a refused user ...) and compares shapes recursively.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw


async def _user(raw: Raw, name: str = "user1", nickname: str | None = "testuser") -> None:
    body = {"username": name, **({"nickname": nickname} if nickname else {})}
    assert (await raw("POST", "/users", json=body)).status == 200


async def _register(raw: Raw) -> Any:
    return await _body(raw, "POST", "/users", {"username": "user1", "password": "123"})


async def _register_many(raw: Raw) -> Any:
    return await _body(raw, "POST", "/users", [{"username": "user1"}, {"username": "user2"}])


async def _register_many_partly(raw: Raw) -> Any:
    await _user(raw, "user3", None)
    items = [{"username": "user1"}, {"username": "user2"}, {"username": "user3"}]
    return await _body(raw, "POST", "/users", items)


async def _get(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "GET", "/users/user1")


async def _four_users(raw: Raw) -> None:
    for i in range(1, 5):
        await _user(raw, f"user{i}", f"testuser{i}")


async def _list_first(raw: Raw) -> Any:
    await _four_users(raw)
    return await _body(raw, "GET", "/users?limit=2")


async def _list_second(raw: Raw) -> Any:
    await _four_users(raw)
    cursor = (await _body(raw, "GET", "/users?limit=2"))["cursor"]
    return await _body(raw, "GET", f"/users?limit=2&cursor={cursor}")


async def _delete(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "DELETE", "/users/user1")


async def _delete_many(raw: Raw) -> Any:
    await _four_users(raw)
    return await _body(raw, "DELETE", "/users?limit=2")


async def _set_password(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "PUT", "/users/user1/password", {"newpassword": "456"})


async def _deactivate(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "POST", "/users/user1/deactivate")


async def _activate(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "POST", "/users/user1/activate")


async def _disconnect(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "GET", "/users/user1/disconnect")


async def _status(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "GET", "/users/user1/status")


async def _statuses(raw: Raw) -> Any:
    return await _body(raw, "POST", "/users/batch/status", {"usernames": ["user1", "user2"]})


async def _offline_count(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "GET", "/users/user1/offline_msg_count")


async def _offline_status(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "GET", "/users/user1/offline_msg_status/123")


async def _set_nickname(raw: Raw) -> Any:
    await _user(raw, nickname=None)
    return await _body(raw, "PUT", "/users/user1", {"nickname": "testuser"})


async def _set_display_style(raw: Raw) -> Any:
    await _user(raw)
    return await _body(raw, "PUT", "/users/user1", {"notification_display_style": "1"})


_ATTRS = "ext=ext&nickname=nickname&avatar=http%3A%2F%2Fexample.com%2Fa.png"


async def _metadata_set(raw: Raw) -> Any:
    return await _body_form(raw, _ATTRS.replace("avatar=", "avatarurl="))


async def _body_form(raw: Raw, form: str, user: str = "user1") -> Any:
    response = await raw("PUT", f"/metadata/user/{user}", data=form)
    assert response.status == 200, response.body
    return response.body


async def _metadata_get(raw: Raw) -> Any:
    await _body_form(raw, _ATTRS)
    return await _body(raw, "GET", "/metadata/user/user1")


async def _metadata_get_many(raw: Raw) -> Any:
    users = ["user1", "user2", "user3"]
    for user in users:
        await _body_form(raw, _ATTRS, user)
    query = {"targets": users, "properties": ["ext", "nickname", "avatar"]}
    return await _body(raw, "POST", "/metadata/user/get", query)


async def _metadata_capacity(raw: Raw) -> Any:
    await _body_form(raw, _ATTRS)
    return await _body(raw, "GET", "/metadata/user/capacity")


async def _metadata_delete(raw: Raw) -> Any:
    await _body_form(raw, _ATTRS)
    return await _body(raw, "DELETE", "/metadata/user/user1")


SCENARIOS: dict[str, Scenario] = {
    "metadata.set#0": _metadata_set,
    "metadata.get#0": _metadata_get,
    "metadata.get_many#0": _metadata_get_many,
    "metadata.delete#0": _metadata_delete,
    "metadata.capacity#0": _metadata_capacity,
    "users.register#0": _register,
    "users.register_many#0": _register_many,
    "users.register_many#1": _register_many_partly,
    "users.get#0": _get,
    "users.list#0": _list_first,
    "users.list#1": _list_second,
    "users.delete#0": _delete,
    "users.delete_many#0": _delete_many,
    "users.set_password#0": _set_password,
    "users.deactivate#0": _deactivate,
    "users.activate#0": _activate,
    "users.disconnect#0": _disconnect,
    "users.get_status#0": _status,
    "users.get_statuses#0": _statuses,
    "users.offline_message_count#0": _offline_count,
    "users.offline_message_status#0": _offline_status,
    "push.set_nickname#0": _set_nickname,
    "push.set_display_style#0": _set_display_style,
}

EXAMPLES = documented({"users", "push", "metadata"})
test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)


async def test_no_disturb_answers_like_the_other_push_settings(raw: Raw) -> None:
    await _user(raw)
    body = {
        "notification_no_disturbing": True,
        "notification_no_disturbing_start": "22",
        "notification_no_disturbing_end": "7",
    }
    ours = await _body(raw, "PUT", "/users/user1", body)
    documented = EXAMPLES["push.set_nickname#0"]
    assert list(ours) == list(documented)
    entity = ours["entities"][0]
    assert set(entity) == {*documented["entities"][0], *body}
    assert [entity[k] for k in body] == [True, 22, 7]
