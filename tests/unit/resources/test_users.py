"""Wire-level tests of ``client.users.*`` (every users row of the endpoint table but
``register_many``, which has its own module): request method, URL, headers and JSON body,
decoded results, error mapping and validation before sending."""

from __future__ import annotations

import inspect
import json
from typing import Any

import aiohttp
import pytest

from agora_chat_async import (
    ENDPOINTS,
    AsyncPager,
    BadRequestError,
    DeletedUsers,
    NotFoundError,
    Page,
    ResponseValidationError,
    User,
)

# -- documented response bodies (docs examples, trimmed of XXXX placeholders) --------

USER1 = {
    "uuid": "0ffe2d80-ed76-11e8-8d66-279e3e1c214b",
    "type": "user",
    "created": 1542795196504,
    "modified": 1542795196504,
    "username": "user1",
    "activated": True,
}

REGISTER_OK = {
    "action": "post",
    "application": "8be024f0-e978-11e8-b697-5d598d5f8402",
    "path": "/users",
    "uri": "https://api.test/org/app/users",
    "entities": [USER1],
    "timestamp": 1542795196515,
    "duration": 0,
    "organization": "org",
    "applicationName": "app",
}

GET_OK = {
    "action": "get",
    "path": "/users",
    "uri": "http://api.test/org/app/users/user1",
    "entities": [
        {
            **USER1,
            "nickname": "testuser",
            "notification_display_style": 1,
            "notification_no_disturbing": True,
            "notification_no_disturbing_start": "22",
            "notification_no_disturbing_end": "7",
            "notifier_name": "2882303761517426801",
        }
    ],
    "timestamp": 1542798985011,
    "duration": 1,
    "count": 1,
}

NOT_FOUND = {
    "error": "service_resource_not_found",
    "exception": "org.apache.usergrid.services.exceptions.ServiceResourceNotFoundException",
    "timestamp": 1,
    "duration": 0,
    "error_description": "Service resource not found",
}

DUPLICATE = {
    "error": "duplicate_unique_property_exists",
    "exception": (
        "org.apache.usergrid.persistence.exceptions.DuplicateUniquePropertyExistsException"
    ),
    "timestamp": 1542795196515,
    "duration": 0,
    "error_description": "Application 8be024f0-e978-11e8-b697-5d598d5f8402 Entity user requires "
    "that property named username be unique, value of user1 exists",
}


def _user(name: str, created: int, nickname: str) -> dict[str, Any]:
    return {
        "uuid": f"uuid-{name}",
        "type": "user",
        "created": created,
        "modified": created,
        "username": name,
        "activated": True,
        "nickname": nickname,
    }


LIST_PAGE_1 = {
    "action": "get",
    "params": {"limit": ["2"]},
    "path": "/users",
    "uri": "http://api.test/org/app/users",
    "entities": [
        _user("user1", 1542356511855, "testuser1"),
        _user("user2", 1542356523769, "testuser2"),
    ],
    "timestamp": 1542558467056,
    "duration": 1,
    "cursor": "LTgzNDAxMjM3OToxTEFnNE9sNEVlaVQ0UEdhdmJNR2tB",
    "count": 2,
}

LIST_PAGE_2 = {
    "action": "get",
    "params": {"cursor": ["LTgzNDAxMjM3OToxTEFnNE9sNEVlaVQ0UEdhdmJNR2tB"], "limit": ["2"]},
    "path": "/users",
    "uri": "http://api.test/org/app/users",
    "entities": [
        _user("user3", 1542361376245, "testuser3"),
        _user("user4", 1542361376978, "testuser4"),
    ],
    "timestamp": 1542559337702,
    "duration": 2,
    "count": 2,
}

DELETE_OK = {
    "action": "delete",
    "path": "/users",
    "uri": "https://api.test/org/app/users",
    "entities": [_user("user1", 1542356511855, "user1")],
    "timestamp": 1542559539776,
    "duration": 39,
    "organization": "org",
    "applicationName": "app",
}

DELETE_MANY_OK = {
    "action": "delete",
    "application": "8be024f0-e978-11e8-b697-5d598d5f8402",
    "params": {"limit": ["2"]},
    "path": "/users",
    "uri": "https://api.test/org/app/users",
    "entities": [
        _user("user2", 1542356523769, "testuser"),
        _user("user3", 1542356535303, "user3"),
    ],
    "timestamp": 1542867197779,
    "duration": 504,
    "organization": "org",
    "applicationName": "app",
    "cursor": "LTgXXXXDNR",
}

PASSWORD_OK = {"action": "set user password", "timestamp": 1542595598924, "duration": 8}

DEACTIVATE_OK = {
    "action": "Deactivate user",
    "entities": [{**USER1, "modified": 1542597578147, "activated": False, "nickname": "user"}],
    "timestamp": 1542602157258,
    "duration": 12,
}

ACTIVATE_OK = {"action": "activate user", "timestamp": 1542602404132, "duration": 9}


def _data(data: Any) -> dict[str, Any]:
    return {
        "action": "get",
        "uri": "http://api.test/org/app/users/user1",
        "entities": [],
        "data": data,
        "timestamp": 1542601284531,
        "duration": 4,
        "count": 0,
    }


BATCH_STATUS_OK = {
    "action": "get batch user status",
    "data": [{"user1": "offline"}, {"user2": "online"}],
    "timestamp": 1552280231926,
    "duration": 4,
}


# -- register ------------------------------------------------------------------------


async def test_register_sends_all_fields_and_returns_user(client, mock, wire):
    mock.post(wire.base + "/users", payload=REGISTER_OK)

    user = await client.users.register("user1", password="123", nickname="testuser")

    wire.only(
        "POST",
        "/users",
        body={"username": "user1", "password": "123", "nickname": "testuser"},
    )
    assert type(user) is User
    assert user.username == "user1"
    assert user.uuid == "0ffe2d80-ed76-11e8-8d66-279e3e1c214b"
    assert user.type == "user"
    assert user.created == 1542795196504
    assert user.activated is True
    assert user.nickname is None


async def test_register_sends_only_the_given_fields(client, mock, wire):
    mock.post(wire.base + "/users", payload=REGISTER_OK)

    await client.users.register("user1")

    wire.only("POST", "/users", body={"username": "user1"})


async def test_register_accepts_the_longest_legal_values(client, mock, wire):
    name, password, nickname = "a" * 64, "p" * 64, "n" * 100
    mock.post(wire.base + "/users", payload={**REGISTER_OK, "entities": [{"username": name}]})

    user = await client.users.register(name, password=password, nickname=nickname)

    wire.only("POST", "/users", body={"username": name, "password": password, "nickname": nickname})
    assert user.username == name
    assert user.activated is None


async def test_register_duplicate_raises_bad_request(client, mock, wire):
    mock.post(wire.base + "/users", status=400, payload=DUPLICATE)

    with pytest.raises(BadRequestError) as info:
        await client.users.register("user1", password="123")

    err = info.value
    assert err.status == 400
    assert err.error == "duplicate_unique_property_exists"
    assert err.description == DUPLICATE["error_description"]
    assert err.exception == DUPLICATE["exception"]
    assert err.endpoint == "users.register"
    assert err.body == json.dumps(DUPLICATE).encode()
    # A 400 is final: sent once, never repeated.
    wire.only("POST", "/users", body={"username": "user1", "password": "123"})


@pytest.mark.parametrize(
    ("username", "kwargs"),
    [
        ("", {}),
        ("bad name", {}),
        ("a" * 65, {}),
        ("tab\tname", {}),
        ("ünïcode", {}),
        ("user/1", {}),
        ("user1", {"password": "p" * 65}),
        ("user1", {"nickname": "n" * 101}),
    ],
    ids=["empty", "space", "65-chars", "tab", "non-ascii", "slash", "password-65", "nick-101"],
)
async def test_register_refuses_bad_arguments_without_sending(client, mock, username, kwargs):
    with pytest.raises(ValueError, match=r"username|password|nickname"):
        await client.users.register(username, **kwargs)
    assert mock.requests == {}


# -- get -----------------------------------------------------------------------------


async def test_get_returns_user_with_push_fields(client, mock, wire):
    mock.get(wire.base + "/users/user1", payload=GET_OK)

    user = await client.users.get("user1")

    wire.only("GET", "/users/user1")
    assert type(user) is User
    assert user.username == "user1"
    assert user.uuid == "0ffe2d80-ed76-11e8-8d66-279e3e1c214b"
    assert user.created == 1542795196504
    assert user.modified == 1542795196504
    assert user.activated is True
    assert user.nickname == "testuser"
    assert user.notification_display_style == 1
    assert user.notification_no_disturbing is True
    assert user.notification_no_disturbing_start == "22"
    assert user.notification_no_disturbing_end == "7"
    assert user.notifier_name == "2882303761517426801"
    assert user.device_token is None


async def test_get_leaves_unset_push_fields_none(client, mock, wire):
    mock.get(wire.base + "/users/user1", payload={**GET_OK, "entities": [USER1]})

    user = await client.users.get("user1")

    assert user.activated is True
    assert user.nickname is None
    assert user.notification_display_style is None
    assert user.notification_no_disturbing is None


async def test_get_puts_legal_username_characters_in_the_path_verbatim(client, mock, wire):
    mock.get(wire.base + "/users/A.b-c_9", payload={**GET_OK, "entities": [USER1]})

    await client.users.get("A.b-c_9")

    wire.only("GET", "/users/A.b-c_9")


async def test_get_not_found(client, mock, wire):
    mock.get(wire.base + "/users/ghost", status=404, payload=NOT_FOUND)

    with pytest.raises(NotFoundError) as info:
        await client.users.get("ghost")

    err = info.value
    assert err.status == 404
    assert err.error == "service_resource_not_found"
    assert err.description == "Service resource not found"
    assert err.error_description == "Service resource not found"
    assert err.exception == NOT_FOUND["exception"]
    assert err.endpoint == "users.get"
    wire.only("GET", "/users/ghost")


@pytest.mark.parametrize(
    "body",
    [
        b"<html>502 Bad Gateway</html>",
        b"",
        json.dumps({**GET_OK, "entities": []}).encode(),
        json.dumps({**GET_OK, "entities": [{"uuid": "no-username"}]}).encode(),
        json.dumps({**GET_OK, "entities": [{**USER1, "activated": "yes"}]}).encode(),
        json.dumps({**GET_OK, "entities": {"username": "user1"}}).encode(),
    ],
    ids=["html", "empty", "no-entities", "no-username", "bad-type", "entities-object"],
)
async def test_get_malformed_body_raises_response_validation_error(client, mock, wire, body):
    mock.get(wire.base + "/users/user1", body=body)

    with pytest.raises(ResponseValidationError) as info:
        await client.users.get("user1")

    assert info.value.endpoint == "users.get"
    assert info.value.status == 200
    assert info.value.body == body
    wire.only("GET", "/users/user1")


async def test_get_passes_the_call_timeout_to_aiohttp(client, mock, wire):
    mock.get(wire.base + "/users/user1", payload=GET_OK)

    await client.users.get("user1", timeout=2.5)

    call = wire.only("GET", "/users/user1")
    assert call.kwargs["timeout"] == aiohttp.ClientTimeout(total=2.5, connect=10.0)


# -- list (pager) ----------------------------------------------------------------------


async def test_list_creates_a_pager_without_sending(client, mock):
    pager = client.users.list()

    assert not inspect.iscoroutine(pager)
    assert isinstance(pager, AsyncPager)
    assert mock.requests == {}


async def test_list_follows_the_cursor_until_it_is_absent(client, mock, wire):
    cursor = LIST_PAGE_1["cursor"]
    mock.get(wire.base + "/users?limit=100", payload=LIST_PAGE_1)
    mock.get(wire.base + f"/users?limit=100&cursor={cursor}", payload=LIST_PAGE_2)

    users = [user async for user in client.users.list()]

    assert [type(u) for u in users] == [User] * 4
    assert [u.username for u in users] == ["user1", "user2", "user3", "user4"]
    assert [u.nickname for u in users] == ["testuser1", "testuser2", "testuser3", "testuser4"]
    assert wire.sent() == {
        ("GET", wire.url("/users?limit=100")): 1,
        ("GET", wire.url(f"/users?limit=100&cursor={cursor}")): 1,
    }
    wire.check(wire.calls("GET", "/users?limit=100")[0])
    wire.check(wire.calls("GET", f"/users?limit=100&cursor={cursor}")[0])


async def test_list_stops_after_a_page_without_cursor(client, mock, wire):
    mock.get(wire.base + "/users?limit=100", payload=LIST_PAGE_2)

    users = [user async for user in client.users.list()]

    assert [u.username for u in users] == ["user3", "user4"]
    wire.only("GET", "/users?limit=100")


async def test_list_empty_app(client, mock, wire):
    mock.get(wire.base + "/users?limit=100", payload={**LIST_PAGE_2, "entities": [], "count": 0})

    assert [user async for user in client.users.list()] == []
    wire.only("GET", "/users?limit=100")


async def test_list_page_size_sets_limit(client, mock, wire):
    mock.get(wire.base + "/users?limit=5", payload=LIST_PAGE_2)

    users = [user async for user in client.users.list(page_size=5)]

    assert len(users) == 2
    wire.only("GET", "/users?limit=5")


async def test_list_page_size_is_capped_at_100(client, mock, wire):
    mock.get(wire.base + "/users?limit=100", payload=LIST_PAGE_2)

    users = [user async for user in client.users.list(page_size=500)]

    assert len(users) == 2
    wire.only("GET", "/users?limit=100")


@pytest.mark.parametrize("page_size", [0, -1, True, 2.5, "10"])
async def test_list_refuses_bad_page_size(client, mock, page_size):
    with pytest.raises(ValueError, match="page_size"):
        client.users.list(page_size=page_size)
    assert mock.requests == {}


async def test_list_pages_yields_pages_with_items(client, mock, wire):
    cursor = LIST_PAGE_1["cursor"]
    mock.get(wire.base + "/users?limit=2", payload=LIST_PAGE_1)
    mock.get(wire.base + f"/users?limit=2&cursor={cursor}", payload=LIST_PAGE_2)

    pages = [page async for page in client.users.list(page_size=2).pages()]

    assert [type(p) for p in pages] == [Page, Page]
    assert [[u.username for u in p.items] for p in pages] == [
        ["user1", "user2"],
        ["user3", "user4"],
    ]
    assert [p.cursor for p in pages] == [cursor, None]
    assert [p.has_more for p in pages] == [True, False]
    assert [p.number for p in pages] == [1, 2]
    assert len(wire.sent()) == 2


async def test_list_sends_the_cursor_url_encoded(client, mock, wire):
    cursor = "LTg+/abc=="
    mock.get(wire.base + "/users?limit=100", payload={**LIST_PAGE_1, "cursor": cursor})
    mock.get(wire.base + "/users?limit=100&cursor=LTg%2B%2Fabc%3D%3D", payload=LIST_PAGE_2)

    users = [user async for user in client.users.list()]

    assert len(users) == 4
    [second] = [u for (_, u) in mock.requests if "cursor" in u.query]
    assert dict(second.query) == {"limit": "100", "cursor": cursor}
    assert "cursor=LTg%2B" in str(second)  # '+' must not reach the server as a space


async def test_list_not_found(client, mock, wire):
    mock.get(wire.base + "/users?limit=100", status=404, payload=NOT_FOUND)

    with pytest.raises(NotFoundError) as info:
        [user async for user in client.users.list()]

    assert info.value.endpoint == "users.list"
    assert info.value.error == "service_resource_not_found"
    wire.only("GET", "/users?limit=100")


async def test_list_malformed_page_raises_response_validation_error(client, mock, wire):
    mock.get(wire.base + "/users?limit=100", payload={"entities": [{"uuid": "x"}]})

    with pytest.raises(ResponseValidationError) as info:
        [user async for user in client.users.list()]

    assert info.value.endpoint == "users.list"
    wire.only("GET", "/users?limit=100")


# -- delete / delete_many --------------------------------------------------------------


async def test_delete_returns_the_deleted_user(client, mock, wire):
    mock.delete(wire.base + "/users/user1", payload=DELETE_OK)

    user = await client.users.delete("user1")

    wire.only("DELETE", "/users/user1")
    assert type(user) is User
    assert user.username == "user1"
    assert user.nickname == "user1"
    assert user.uuid == "uuid-user1"


async def test_delete_many_default_limit(client, mock, wire):
    mock.delete(wire.base + "/users?limit=10", payload=DELETE_MANY_OK)

    result = await client.users.delete_many()

    wire.only("DELETE", "/users?limit=10")
    assert type(result) is DeletedUsers
    assert [type(u) for u in result.entities] == [User, User]
    assert [u.username for u in result.entities] == ["user2", "user3"]
    assert result.cursor == "LTgXXXXDNR"
    assert result.action == "delete"


async def test_delete_many_sends_limit_and_cursor(client, mock, wire):
    last = {k: v for k, v in DELETE_MANY_OK.items() if k != "cursor"}
    mock.delete(wire.base + "/users?limit=2&cursor=LTgXXXXDNR", payload=last)

    result = await client.users.delete_many(limit=2, cursor="LTgXXXXDNR")

    wire.only("DELETE", "/users?limit=2&cursor=LTgXXXXDNR")
    assert result.cursor is None
    assert len(result.entities) == 2


@pytest.mark.parametrize("limit", [0, 101, -5, True])
async def test_delete_many_refuses_bad_limit(client, mock, limit):
    with pytest.raises(ValueError, match="limit"):
        await client.users.delete_many(limit=limit)
    assert mock.requests == {}


async def test_delete_many_accepts_limit_100(client, mock, wire):
    mock.delete(wire.base + "/users?limit=100", payload=DELETE_MANY_OK)

    await client.users.delete_many(limit=100)

    wire.only("DELETE", "/users?limit=100")


# -- password, deactivate, activate ----------------------------------------------------


async def test_set_password_sends_newpassword_and_returns_none(client, mock, wire):
    mock.put(wire.base + "/users/user1/password", payload=PASSWORD_OK)

    result = await client.users.set_password("user1", password="new-pw")

    assert result is None
    wire.only("PUT", "/users/user1/password", body={"newpassword": "new-pw"})


async def test_set_password_refuses_65_characters(client, mock):
    with pytest.raises(ValueError, match="password"):
        await client.users.set_password("user1", password="p" * 65)
    assert mock.requests == {}


async def test_set_password_user_not_found(client, mock, wire):
    body = {
        "error": "entity_not_found",
        "exception": "org.apache.usergrid.persistence.exceptions.EntityNotFoundException",
        "timestamp": 1542595598924,
        "duration": 1,
        "error_description": "User null not found",
    }
    mock.put(wire.base + "/users/ghost/password", status=404, payload=body)

    with pytest.raises(NotFoundError) as info:
        await client.users.set_password("ghost", password="pw")

    assert info.value.error == "entity_not_found"
    assert info.value.description == "User null not found"
    assert info.value.endpoint == "users.set_password"


async def test_deactivate_posts_without_body_and_returns_user(client, mock, wire):
    mock.post(wire.base + "/users/user1/deactivate", payload=DEACTIVATE_OK)

    user = await client.users.deactivate("user1")

    wire.only("POST", "/users/user1/deactivate")
    assert type(user) is User
    assert user.username == "user1"
    assert user.activated is False
    assert user.modified == 1542597578147


async def test_activate_posts_without_body_and_returns_none(client, mock, wire):
    mock.post(wire.base + "/users/user1/activate", payload=ACTIVATE_OK)

    result = await client.users.activate("user1")

    assert result is None
    wire.only("POST", "/users/user1/activate")


# -- disconnect, status, offline messages ----------------------------------------------


@pytest.mark.parametrize("flag", [True, False])
async def test_disconnect_returns_the_result_flag(client, mock, wire, flag):
    mock.get(wire.base + "/users/user1/disconnect", payload=_data({"result": flag}))

    result = await client.users.disconnect("user1")

    assert result is flag
    wire.only("GET", "/users/user1/disconnect")


@pytest.mark.parametrize("state", ["online", "offline"])
async def test_get_status(client, mock, wire, state):
    mock.get(wire.base + "/users/user1/status", payload=_data({"user1": state}))

    assert await client.users.get_status("user1") == state

    wire.only("GET", "/users/user1/status")


async def test_get_statuses_posts_usernames_and_merges_the_answer(client, mock, wire):
    mock.post(wire.base + "/users/batch/status", payload=BATCH_STATUS_OK)

    result = await client.users.get_statuses(["user1", "user2"])

    assert type(result) is dict
    assert result == {"user1": "offline", "user2": "online"}
    wire.only("POST", "/users/batch/status", body={"usernames": ["user1", "user2"]})


async def test_get_statuses_accepts_a_tuple_of_100(client, mock, wire):
    names = tuple(f"u{i}" for i in range(100))
    answer = {**BATCH_STATUS_OK, "data": [{n: "offline"} for n in names]}
    mock.post(wire.base + "/users/batch/status", payload=answer)

    result = await client.users.get_statuses(names)

    assert result == dict.fromkeys(names, "offline")
    wire.only("POST", "/users/batch/status", body={"usernames": list(names)})


@pytest.mark.parametrize(
    "usernames",
    [[], [f"u{i}" for i in range(101)], ["user1", "bad name"], ["user1", ""]],
    ids=["empty", "101", "bad-name", "empty-name"],
)
async def test_get_statuses_refuses_bad_lists(client, mock, usernames):
    with pytest.raises(ValueError, match="usernames"):
        await client.users.get_statuses(usernames)
    assert mock.requests == {}


async def test_offline_message_count_returns_an_int(client, mock, wire):
    mock.get(wire.base + "/users/user1/offline_msg_count", payload=_data({"user1": 3}))

    count = await client.users.offline_message_count("user1")

    assert type(count) is int
    assert count == 3
    wire.only("GET", "/users/user1/offline_msg_count")


@pytest.mark.parametrize("state", ["delivered", "undelivered"])
async def test_offline_message_status(client, mock, wire, state):
    mock.get(wire.base + "/users/user1/offline_msg_status/123", payload=_data({"123": state}))

    assert await client.users.offline_message_status("user1", "123") == state

    wire.only("GET", "/users/user1/offline_msg_status/123")


async def test_offline_message_status_quotes_the_message_id(client, mock, wire):
    path = "/users/user1/offline_msg_status/a%2Fb%3Fc%23d%20e"
    mock.get(wire.base + path, payload=_data({"a/b?c#d e": "delivered"}))

    assert await client.users.offline_message_status("user1", "a/b?c#d e") == "delivered"

    wire.only("GET", path)
    [(_, url)] = mock.requests
    assert url.raw_path == "/org/app" + path
    assert url.query == {}


@pytest.mark.parametrize(
    ("username", "msg_id"),
    [("user1", ""), ("", "123"), ("user1", " 123"), ("bad name", "123")],
)
async def test_offline_message_status_refuses_empty_path_parameters(client, mock, username, msg_id):
    with pytest.raises(ValueError, match=r"username|msg_id"):
        await client.users.offline_message_status(username, msg_id)
    assert mock.requests == {}


# -- every single-request users endpoint: errors and argument checks -------------------

# (endpoint name, METHOD, path for username "user1", call taking (client, username))
SINGLE: list[tuple[str, str, str, Any]] = [
    ("users.register", "POST", "/users", lambda c, u: c.users.register(u)),
    ("users.get", "GET", "/users/user1", lambda c, u: c.users.get(u)),
    ("users.delete", "DELETE", "/users/user1", lambda c, u: c.users.delete(u)),
    (
        "users.set_password",
        "PUT",
        "/users/user1/password",
        lambda c, u: c.users.set_password(u, password="pw"),
    ),
    ("users.deactivate", "POST", "/users/user1/deactivate", lambda c, u: c.users.deactivate(u)),
    ("users.activate", "POST", "/users/user1/activate", lambda c, u: c.users.activate(u)),
    ("users.disconnect", "GET", "/users/user1/disconnect", lambda c, u: c.users.disconnect(u)),
    ("users.get_status", "GET", "/users/user1/status", lambda c, u: c.users.get_status(u)),
    (
        "users.get_statuses",
        "POST",
        "/users/batch/status",
        lambda c, u: c.users.get_statuses([u]),
    ),
    (
        "users.offline_message_count",
        "GET",
        "/users/user1/offline_msg_count",
        lambda c, u: c.users.offline_message_count(u),
    ),
    (
        "users.offline_message_status",
        "GET",
        "/users/user1/offline_msg_status/123",
        lambda c, u: c.users.offline_message_status(u, "123"),
    ),
]

# users.list is a pager, users.register_many a bulk helper: tested on their own.
COVERED = {name for name, *_ in SINGLE} | {"users.list", "users.delete_many", "users.register_many"}


def test_every_users_endpoint_is_covered():
    assert {e.name for e in ENDPOINTS if e.area == "users"} == COVERED


@pytest.mark.parametrize(("name", "method", "path", "call"), SINGLE, ids=[s[0] for s in SINGLE])
async def test_not_found_maps_to_not_found_error(client, mock, wire, name, method, path, call):
    mock.add(wire.base + path, method, status=404, payload=NOT_FOUND)

    with pytest.raises(NotFoundError) as info:
        await call(client, "user1")

    err = info.value
    assert (err.status, err.error, err.description) == (
        404,
        "service_resource_not_found",
        "Service resource not found",
    )
    assert err.endpoint == name
    assert wire.sent() == {(method, wire.url(path)): 1}


@pytest.mark.parametrize(("name", "method", "path", "call"), SINGLE, ids=[s[0] for s in SINGLE])
@pytest.mark.parametrize("username", ["", "bad name", "a" * 65])
async def test_illegal_username_is_refused_before_sending(
    client, mock, name, method, path, call, username
):
    with pytest.raises(ValueError, match="username"):
        await call(client, username)
    assert mock.requests == {}


# Well-formed JSON that does not have the documented shape, per decoding endpoint.
MALFORMED = [
    pytest.param(
        "users.register",
        "POST",
        "/users",
        lambda c: c.users.register("user1"),
        {"entities": []},
        id="register-no-entity",
    ),
    pytest.param(
        "users.delete",
        "DELETE",
        "/users/user1",
        lambda c: c.users.delete("user1"),
        {"x": 1},
        id="delete-no-entities",
    ),
    pytest.param(
        "users.deactivate",
        "POST",
        "/users/user1/deactivate",
        lambda c: c.users.deactivate("user1"),
        {"entities": [{"activated": False}]},
        id="deactivate-no-username",
    ),
    pytest.param(
        "users.delete_many",
        "DELETE",
        "/users?limit=10",
        lambda c: c.users.delete_many(),
        {"entities": [{"username": 7}]},
        id="delete_many-bad-type",
    ),
    pytest.param(
        "users.disconnect",
        "GET",
        "/users/user1/disconnect",
        lambda c: c.users.disconnect("user1"),
        {"data": ["result"]},
        id="disconnect-data-list",
    ),
    pytest.param(
        "users.disconnect",
        "GET",
        "/users/user1/disconnect",
        lambda c: c.users.disconnect("user1"),
        {"action": "get", "entities": []},
        id="disconnect-no-data",
    ),
    pytest.param(
        "users.get_status",
        "GET",
        "/users/user1/status",
        lambda c: c.users.get_status("user1"),
        {"data": {"user1": 1}},
        id="get_status-bad-type",
    ),
    pytest.param(
        "users.get_status",
        "GET",
        "/users/user1/status",
        lambda c: c.users.get_status("user1"),
        {"action": "get", "entities": []},
        id="get_status-no-data",
    ),
    pytest.param(
        "users.get_status",
        "GET",
        "/users/user1/status",
        lambda c: c.users.get_status("user1"),
        {"data": {}},
        id="get_status-empty-data",
    ),
    pytest.param(
        "users.get_statuses",
        "POST",
        "/users/batch/status",
        lambda c: c.users.get_statuses(["user1"]),
        {"data": {"user1": "offline"}},
        id="get_statuses-data-object",
    ),
    pytest.param(
        "users.get_statuses",
        "POST",
        "/users/batch/status",
        lambda c: c.users.get_statuses(["user1"]),
        {"action": "get batch user status", "data": None},
        id="get_statuses-null-data",
    ),
    pytest.param(
        "users.offline_message_count",
        "GET",
        "/users/user1/offline_msg_count",
        lambda c: c.users.offline_message_count("user1"),
        {"data": {"user1": "three"}},
        id="offline_message_count-bad-type",
    ),
    pytest.param(
        "users.offline_message_count",
        "GET",
        "/users/user1/offline_msg_count",
        lambda c: c.users.offline_message_count("user1"),
        {"action": "get"},
        id="offline_message_count-no-data",
    ),
    pytest.param(
        "users.offline_message_status",
        "GET",
        "/users/user1/offline_msg_status/123",
        lambda c: c.users.offline_message_status("user1", "123"),
        {"data": {}},
        id="offline_message_status-empty-data",
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "path", "call", "payload"),
    MALFORMED,
)
async def test_malformed_200_raises_response_validation_error(
    client, mock, wire, name, method, path, call, payload
):
    mock.add(wire.base + path, method, payload=payload)

    with pytest.raises(ResponseValidationError) as info:
        await call(client)

    assert info.value.endpoint == name
    assert info.value.status == 200
    assert wire.sent() == {(method, wire.url(path)): 1}
