"""Argument checks run before anything is sent (``_validate.CHECKS``), on their own and
through the client."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from aioresponses import aioresponses

from agora_chat_async import AgoraChatClient
from agora_chat_async._spec import ENDPOINTS
from agora_chat_async._validate import CHECKS, check_username

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.mark.parametrize("name", ["a", "Alice_01", "a.b-c_d", "x" * 64, "0", "..."])
def test_valid_usernames(name):
    check_username("username", name)


@pytest.mark.parametrize(
    "name", ["", "x" * 65, "has space", "émile", "a/b", "a@b", "tab\t", None, 42, b"bytes"]
)
def test_invalid_usernames(name):
    with pytest.raises(ValueError, match="username must be 1-64 characters"):
        check_username("username", name)


@pytest.mark.parametrize("value", ["x", "msg-1", "a b"])
def test_nonempty_accepts(value):
    CHECKS["nonempty"]("msg_id", value)


@pytest.mark.parametrize("value", ["", " x", "x ", "\n", None, 5])
def test_nonempty_refuses(value):
    with pytest.raises(ValueError, match="expected a non-empty value for 'msg_id'"):
        CHECKS["nonempty"]("msg_id", value)


@pytest.mark.parametrize(("check", "limit"), [("password", 64), ("nickname", 100)])
def test_length_limits(check, limit):
    CHECKS[check](check, "p" * limit)
    with pytest.raises(ValueError, match=f"limited to {limit} characters, got {limit + 1}"):
        CHECKS[check](check, "p" * (limit + 1))


def test_a_refused_password_is_not_echoed():
    secret = "S3cr3t!" * 10
    with pytest.raises(ValueError) as info:  # noqa: PT011 -- the message is checked below
        CHECKS["password"]("password", secret)
    assert secret not in str(info.value)


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        ("limit_100", [1, 50, 100], [0, 101, -1, True, 1.0, "10", None]),
        ("display_style", [0, 1], [2, -1, False, "0"]),
        ("hour", [0, 12, 24], [25, -1, True, 3.5]),
    ],
)
def test_integer_ranges(check, good, bad):
    for value in good:
        CHECKS[check]("n", value)
    for value in bad:
        with pytest.raises(ValueError, match="must be an integer from"):
            CHECKS[check]("n", value)


def test_username_batches():
    check = CHECKS["usernames_100"]
    check("usernames", ["a"])
    check("usernames", ("a", "b"))
    check("usernames", [f"u{i}" for i in range(100)])
    with pytest.raises(ValueError, match="1 to 100 items"):
        check("usernames", [])
    with pytest.raises(ValueError, match="1 to 100 items"):
        check("usernames", [f"u{i}" for i in range(101)])
    with pytest.raises(TypeError, match="must be a list"):
        check("usernames", "alice")
    with pytest.raises(TypeError, match="must be a list"):
        check("usernames", 5)
    with pytest.raises(ValueError, match="each of usernames"):
        check("usernames", ["ok", "not ok"])


def test_every_check_the_table_names_exists():
    named = {p.check for e in ENDPOINTS for p in e.params if p.check is not None}
    assert named <= CHECKS.keys()


def test_every_typed_path_parameter_has_a_check():
    # An empty segment would silently reach another endpoint (/users/ -> /users).
    unchecked = [
        (e.name, p.name)
        for e in ENDPOINTS
        if e.typed
        for p in e.params
        if p.location == "path" and p.check is None
    ]
    assert unchecked == []


# -- through the client: refused before anything is sent --------------------------------


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def client() -> Any:
    async with AgoraChatClient(host="api.test", org_name="org", app_name="app", token="t") as c:
        yield c


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: c.users.get("not valid"), "username"),
        (lambda c: c.users.register("alice", password="p" * 65), "password"),
        (lambda c: c.users.register("alice", nickname="n" * 101), "nickname"),
        (lambda c: c.users.register(""), "username"),
        (lambda c: c.users.delete_many(limit=0), "limit"),
        (lambda c: c.users.delete_many(limit=101), "limit"),
        (lambda c: c.users.get_statuses([]), "usernames"),
        (lambda c: c.users.get_statuses(["ok", "no way"]), "usernames"),
        (lambda c: c.users.offline_message_status("alice", " id"), "msg_id"),
    ],
)
async def test_invalid_arguments_never_reach_the_wire(client, mock, call, match):
    with pytest.raises(ValueError, match=match):
        await call(client)
    assert mock.requests == {}


async def test_get_statuses_refuses_a_string(client, mock):
    with pytest.raises(TypeError, match="must be a list"):
        await client.users.get_statuses("alice")
    assert mock.requests == {}
