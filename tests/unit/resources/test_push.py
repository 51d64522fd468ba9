"""Wire-level tests of ``client.push.*``: the three push settings that share
``PUT /users/{username}``."""

from __future__ import annotations

from typing import Any

import pytest

from agora_chat_async import ENDPOINTS, NotFoundError, ResponseValidationError, User

NOT_FOUND = {
    "error": "service_resource_not_found",
    "exception": "org.apache.usergrid.services.exceptions.ServiceResourceNotFoundException",
    "timestamp": 1,
    "duration": 0,
    "error_description": "Service resource not found",
}

_ENTITY = {
    "uuid": "4759aa70-eb57-11e8-925f-6fa0510823ba",
    "type": "user",
    "created": 1542595573399,
    "modified": 1542596083687,
    "username": "user1",
    "activated": True,
}


def _put_answer(**fields: Any) -> dict[str, Any]:
    """The documented answer to ``PUT /users/{username}``: the user entity, updated."""
    return {
        "action": "put",
        "application": "8be024f0-e978-11e8-b697-5d598d5f8402",
        "path": "/users",
        "uri": "https://api.test/org/app/users",
        "entities": [{**_ENTITY, **fields}],
        "timestamp": 1542596083685,
        "duration": 6,
        "organization": "org",
        "applicationName": "app",
    }


def test_every_push_endpoint_is_covered():
    assert {e.name for e in ENDPOINTS if e.area == "push"} == {
        "push.set_nickname",
        "push.set_display_style",
        "push.set_no_disturb",
    }


# -- set_nickname ------------------------------------------------------------------------


async def test_set_nickname(client, mock, wire):
    mock.put(wire.base + "/users/user1", payload=_put_answer(nickname="testuser"))

    user = await client.push.set_nickname("user1", nickname="testuser")

    wire.only("PUT", "/users/user1", body={"nickname": "testuser"})
    assert type(user) is User
    assert user.username == "user1"
    assert user.nickname == "testuser"
    assert user.activated is True
    assert user.modified == 1542596083687


async def test_set_nickname_accepts_100_characters_and_unicode(client, mock, wire):
    nickname = "测试" * 50
    mock.put(wire.base + "/users/user1", payload=_put_answer(nickname=nickname))

    user = await client.push.set_nickname("user1", nickname=nickname)

    wire.only("PUT", "/users/user1", body={"nickname": nickname})
    assert user.nickname == nickname


async def test_set_nickname_refuses_101_characters(client, mock):
    with pytest.raises(ValueError, match="nickname"):
        await client.push.set_nickname("user1", nickname="n" * 101)
    assert mock.requests == {}


# -- set_display_style -------------------------------------------------------------------


@pytest.mark.parametrize("style", [0, 1])
async def test_set_display_style_sends_an_integer(client, mock, wire, style):
    answer = _put_answer(
        notification_display_style=style, nickname="testuser", notifier_name="2882303761517426801"
    )
    mock.put(wire.base + "/users/user1", payload=answer)

    user = await client.push.set_display_style("user1", style=style)

    wire.only("PUT", "/users/user1", body={"notification_display_style": style})
    assert type(user) is User
    assert user.notification_display_style == style
    assert user.notifier_name == "2882303761517426801"
    assert user.nickname == "testuser"


@pytest.mark.parametrize("style", [2, -1, True, "1"])
async def test_set_display_style_refuses_anything_but_0_or_1(client, mock, style):
    with pytest.raises(ValueError, match="style"):
        await client.push.set_display_style("a", style=style)
    assert mock.requests == {}


# -- set_no_disturb ----------------------------------------------------------------------


async def test_set_no_disturb_sends_hours_as_strings(client, mock, wire):
    # The documented answer echoes the hours as numbers.
    answer = _put_answer(
        notification_no_disturbing=True,
        notification_no_disturbing_start=22,
        notification_no_disturbing_end=7,
    )
    mock.put(wire.base + "/users/user1", payload=answer)

    user = await client.push.set_no_disturb("user1", enabled=True, start=22, end=7)

    wire.only(
        "PUT",
        "/users/user1",
        body={
            "notification_no_disturbing": True,
            "notification_no_disturbing_start": "22",
            "notification_no_disturbing_end": "7",
        },
    )
    assert type(user) is User
    assert user.notification_no_disturbing is True
    assert user.notification_no_disturbing_start == 22
    assert user.notification_no_disturbing_end == 7


async def test_set_no_disturb_accepts_hours_echoed_as_strings(client, mock, wire):
    answer = _put_answer(
        notification_no_disturbing=True,
        notification_no_disturbing_start="0",
        notification_no_disturbing_end="23",
    )
    mock.put(wire.base + "/users/user1", payload=answer)

    user = await client.push.set_no_disturb("user1", enabled=True, start=0, end=23)

    call = wire.only(
        "PUT",
        "/users/user1",
        body={
            "notification_no_disturbing": True,
            "notification_no_disturbing_start": "0",
            "notification_no_disturbing_end": "23",
        },
    )
    assert call.kwargs["data"].count(b'"0"') == 1  # hour 0 is sent, not dropped
    assert user.notification_no_disturbing_start == "0"
    assert user.notification_no_disturbing_end == "23"


async def test_set_no_disturb_off_omits_the_hours(client, mock, wire):
    mock.put(wire.base + "/users/user1", payload=_put_answer(notification_no_disturbing=False))

    user = await client.push.set_no_disturb("user1", enabled=False)

    wire.only("PUT", "/users/user1", body={"notification_no_disturbing": False})
    assert user.notification_no_disturbing is False
    assert user.notification_no_disturbing_start is None


async def test_set_no_disturb_sends_only_the_given_hour(client, mock, wire):
    mock.put(wire.base + "/users/user1", payload=_put_answer(notification_no_disturbing=True))

    await client.push.set_no_disturb("user1", enabled=True, start=1)

    wire.only(
        "PUT",
        "/users/user1",
        body={"notification_no_disturbing": True, "notification_no_disturbing_start": "1"},
    )


@pytest.mark.parametrize(
    "hours",
    [{"start": 25}, {"end": 25}, {"start": -1}, {"end": "7"}, {"start": 1.5}, {"start": True}],
    ids=["start-25", "end-25", "start-neg", "end-str", "start-float", "start-bool"],
)
async def test_set_no_disturb_refuses_bad_hours(client, mock, hours):
    with pytest.raises(ValueError, match=r"start|end"):
        await client.push.set_no_disturb("user1", enabled=True, **hours)
    assert mock.requests == {}


# -- all three: errors and argument checks -----------------------------------------------

CALLS = [
    pytest.param(
        "push.set_nickname", lambda c, u: c.push.set_nickname(u, nickname="n"), id="nickname"
    ),
    pytest.param(
        "push.set_display_style",
        lambda c, u: c.push.set_display_style(u, style=1),
        id="display_style",
    ),
    pytest.param(
        "push.set_no_disturb",
        lambda c, u: c.push.set_no_disturb(u, enabled=True),
        id="no_disturb",
    ),
]


@pytest.mark.parametrize(("name", "call"), CALLS)
async def test_unknown_user_raises_not_found(client, mock, wire, name, call):
    mock.put(wire.base + "/users/ghost", status=404, payload=NOT_FOUND)

    with pytest.raises(NotFoundError) as info:
        await call(client, "ghost")

    err = info.value
    assert err.status == 404
    assert err.error == "service_resource_not_found"
    assert err.description == "Service resource not found"
    assert err.endpoint == name
    assert wire.sent() == {("PUT", wire.url("/users/ghost")): 1}


@pytest.mark.parametrize(("name", "call"), CALLS)
@pytest.mark.parametrize(
    "body",
    [b'{"entities": []}', b'{"entities": [{"nickname": "x"}]}', b"not json"],
    ids=["no-entity", "no-username", "not-json"],
)
async def test_malformed_answer_raises_response_validation_error(
    client, mock, wire, name, call, body
):
    mock.put(wire.base + "/users/user1", body=body)

    with pytest.raises(ResponseValidationError) as info:
        await call(client, "user1")

    assert info.value.endpoint == name
    assert info.value.status == 200
    assert info.value.body == body


@pytest.mark.parametrize(("name", "call"), CALLS)
@pytest.mark.parametrize("username", ["", "bad name", "a" * 65, "user/1"])
async def test_illegal_username_is_refused_before_sending(client, mock, name, call, username):
    with pytest.raises(ValueError, match="username"):
        await call(client, username)
    assert mock.requests == {}
