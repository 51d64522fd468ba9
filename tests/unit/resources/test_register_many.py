"""``client.users.register_many``: chunking by 60, per-item outcome, progress, stop_on_error.

A fake server (an aioresponses callback) answers each ``POST /users`` chunk the way Agora
does: it creates the users in the body, reports taken ones under ``data`` with their
``registerUserFailReason``, and can refuse a whole chunk with a 400.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import pytest
from aioresponses import CallbackResult

from agora_chat_async import (
    BadRequestError,
    BulkFailure,
    RegisterUser,
    ResponseValidationError,
    User,
)

NAMES = [f"user{i:03d}" for i in range(130)]
STOPPED = "not sent: stopped after an earlier failure"

DUPLICATE = {
    "error": "duplicate_unique_property_exists",
    "exception": (
        "org.apache.usergrid.persistence.exceptions.DuplicateUniquePropertyExistsException"
    ),
    "timestamp": 1542795196515,
    "duration": 0,
    "error_description": "the same user user070 has a different password",
}


def _envelope(entities: list[dict[str, Any]], failures: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "action": "post",
        "application": "22bcffa0-e274-11e8-9df8-516f6df68c6d",
        "path": "/users",
        "uri": "https://api.test/org/app/users",
        "entities": entities,
        "timestamp": 1541587920714,
        "data": failures,
        "duration": 0,
        "organization": "org",
        "applicationName": "app",
    }


def _entity(username: str) -> dict[str, Any]:
    return {
        "uuid": f"uuid-{username}",
        "type": "user",
        "created": 1541587920710,
        "modified": 1541587920710,
        "username": username.lower(),  # Agora stores usernames lower-case
        "activated": True,
    }


class FakeServer:
    """Answers batch registrations; records every body it receives, in order."""

    def __init__(
        self,
        *,
        taken: tuple[str, ...] = (),
        reject_chunk_with: tuple[str, ...] = (),
        delay: float = 0.0,
    ) -> None:
        self.taken = {t.lower() for t in taken}
        self.reject_chunk_with = set(reject_chunk_with)
        self.delay = delay
        self.bodies: list[list[dict[str, Any]]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def handle(self, url: Any, **kwargs: Any) -> CallbackResult:
        body = json.loads(kwargs["data"])
        self.bodies.append(body)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        if any(item["username"] in self.reject_chunk_with for item in body):
            return CallbackResult(status=400, payload=DUPLICATE)
        created, failures = [], []
        for item in body:
            name = item["username"]
            if name.lower() in self.taken:
                failures.append(
                    {"username": name, "registerUserFailReason": f"the {name} already exists"}
                )
            else:
                self.taken.add(name.lower())
                created.append(_entity(name))
        return CallbackResult(payload=_envelope(created, failures))


@pytest.fixture
def server(mock, wire) -> FakeServer:
    fake = FakeServer()
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)
    return fake


def _username(item: Any) -> Any:
    if isinstance(item, RegisterUser):
        return item.username
    if isinstance(item, Mapping):
        return item.get("username")
    return item


def _check_all_requests(wire, server: FakeServer) -> None:
    calls = wire.calls("POST", "/users")
    assert wire.sent() == {("POST", wire.url("/users")): len(server.bodies)}
    assert len(calls) == len(server.bodies)
    for call in calls:
        wire.check(call, body=wire.body(call))


# -- chunking ------------------------------------------------------------------------------


async def test_130_users_go_out_as_60_60_10(client, server, wire):
    result = await client.users.register_many(NAMES)

    expected = [[{"username": n} for n in NAMES[a:b]] for a, b in ((0, 60), (60, 120), (120, 130))]
    assert sorted(server.bodies, key=lambda b: b[0]["username"]) == expected
    _check_all_requests(wire, server)
    assert result.calls == 3
    assert [type(u) for u in result.succeeded] == [User] * 130
    assert sorted(u.username for u in result.succeeded) == NAMES
    assert result.failed == []
    assert result.skipped == []
    assert result.ok is True
    assert result.total == 130


async def test_chunks_go_out_in_input_order_with_concurrency_1(client, server, wire):
    result = await client.users.register_many(NAMES, concurrency=1)

    assert [[i["username"] for i in body] for body in server.bodies] == [
        NAMES[:60],
        NAMES[60:120],
        NAMES[120:],
    ]
    assert [u.username for u in result.succeeded] == NAMES
    assert result.total == 130


async def test_exactly_60_users_take_one_call(client, server):
    result = await client.users.register_many(NAMES[:60])

    assert [len(b) for b in server.bodies] == [60]
    assert result.calls == 1
    assert result.total == 60


async def test_str_dict_and_register_user_items(client, server, wire):
    items = [
        "alice",
        {"username": "bob", "password": "pw2"},
        RegisterUser(username="carol", password="pw3", nickname="Carol"),
        {"username": "dave", "nickname": "D"},
    ]

    result = await client.users.register_many(items)

    wire.only(
        "POST",
        "/users",
        body=[
            {"username": "alice"},
            {"username": "bob", "password": "pw2"},
            {"username": "carol", "password": "pw3", "nickname": "Carol"},
            {"username": "dave", "nickname": "D"},
        ],
    )
    assert [u.username for u in result.succeeded] == ["alice", "bob", "carol", "dave"]
    assert result.succeeded[0].uuid == "uuid-alice"
    assert result.succeeded[0].activated is True
    assert result.total == 4


async def test_async_iterable_input(client, server):
    async def names():
        for name in NAMES[:65]:
            await asyncio.sleep(0)
            yield name

    progress: list[tuple[int, int | None]] = []
    result = await client.users.register_many(
        names(), concurrency=1, progress=lambda done, total: progress.append((done, total))
    )

    assert [[i["username"] for i in b] for b in server.bodies] == [NAMES[:60], NAMES[60:65]]
    assert [u.username for u in result.succeeded] == NAMES[:65]
    assert result.total == 65
    assert progress[-1] == (65, None)
    assert {total for _, total in progress} == {None}


async def test_concurrency_bounds_calls_in_flight(client, mock, wire):
    fake = FakeServer(delay=0.01)
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)
    names = [f"u{i}" for i in range(300)]

    result = await client.users.register_many(names, concurrency=2)

    assert len(fake.bodies) == 5
    assert fake.max_in_flight == 2
    assert result.calls == 5
    assert len(result.succeeded) == 300


@pytest.mark.parametrize("concurrency", [0, -1])
async def test_concurrency_below_1_is_refused(client, mock, concurrency):
    with pytest.raises(ValueError, match="concurrency"):
        await client.users.register_many(NAMES, concurrency=concurrency)
    assert mock.requests == {}


# -- failures --------------------------------------------------------------------------------


async def test_users_the_server_refuses_are_failed_with_its_reason(client, mock, wire):
    fake = FakeServer(taken=("user3",))
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)

    result = await client.users.register_many(["user1", "user3", "user2"])

    wire.only(
        "POST",
        "/users",
        body=[{"username": "user1"}, {"username": "user3"}, {"username": "user2"}],
    )
    assert [u.username for u in result.succeeded] == ["user1", "user2"]
    assert result.failed == [
        BulkFailure(RegisterUser(username="user3"), "the user3 already exists")
    ]
    assert result.failed[0].error is None
    assert result.skipped == []
    assert result.ok is False
    assert result.total == 3


async def test_documented_partial_answer(client, mock, wire):
    answer = _envelope(
        [_entity("user1"), _entity("user2")],
        [{"username": "user3", "registerUserFailReason": "the user3 already exists"}],
    )
    mock.post(wire.base + "/users", payload=answer)

    result = await client.users.register_many(
        [{"username": n, "password": "123"} for n in ("user1", "user2", "user3")]
    )

    assert [u.username for u in result.succeeded] == ["user1", "user2"]
    assert result.failed == [
        BulkFailure(RegisterUser(username="user3", password="123"), "the user3 already exists")
    ]
    assert result.total == 3


async def test_a_user_missing_from_the_answer_is_failed(client, mock, wire):
    mock.post(wire.base + "/users", payload=_envelope([_entity("user1")], []))

    result = await client.users.register_many(["user1", "user2"])

    assert [u.username for u in result.succeeded] == ["user1"]
    assert result.failed == [
        BulkFailure(
            RegisterUser(username="user2"), "the server did not report this user as created"
        )
    ]
    assert result.total == 2


async def test_usernames_are_matched_case_insensitively(client, server):
    result = await client.users.register_many(["Alice", "BOB"])

    assert [u.username for u in result.succeeded] == ["alice", "bob"]
    assert result.failed == []


async def test_an_answer_echoing_another_case_still_matches(client, mock, wire):
    mock.post(wire.base + "/users", payload=_envelope([{**_entity("x"), "username": "Alice"}], []))

    result = await client.users.register_many(["ALICE"])

    wire.only("POST", "/users", body=[{"username": "ALICE"}])
    assert [u.username for u in result.succeeded] == ["Alice"]
    assert result.failed == []


async def test_a_chunk_refused_with_400_fails_whole_and_the_rest_succeeds(client, mock, wire):
    fake = FakeServer(reject_chunk_with=("user070",))
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)

    result = await client.users.register_many(NAMES)

    assert result.calls == 3
    assert len(fake.bodies) == 3  # the 400 is not repeated
    assert sorted(u.username for u in result.succeeded) == NAMES[:60] + NAMES[120:]
    assert sorted(_username(f.item) for f in result.failed) == NAMES[60:120]
    assert all(type(f.item) is RegisterUser for f in result.failed)
    errors = {id(f.error) for f in result.failed}
    assert len(errors) == 1  # one exception, shared by the chunk's items
    for failure in result.failed:
        err = failure.error
        assert isinstance(err, BadRequestError)
        assert err.status == 400
        assert err.error == "duplicate_unique_property_exists"
        assert err.description == DUPLICATE["error_description"]
        assert err.endpoint == "users.register_many"
        assert failure.reason == str(err)
        assert "duplicate_unique_property_exists" in failure.reason
    assert result.skipped == []
    assert result.total == 130


async def test_a_malformed_answer_fails_its_chunk(client, mock, wire):
    mock.post(wire.base + "/users", payload={"entities": [{"uuid": "no-username"}]})

    result = await client.users.register_many(["user1", "user2"])

    assert result.succeeded == []
    assert [_username(f.item) for f in result.failed] == ["user1", "user2"]
    assert all(isinstance(f.error, ResponseValidationError) for f in result.failed)
    assert result.failed[0].error.endpoint == "users.register_many"
    assert result.total == 2


# -- invalid items -----------------------------------------------------------------------------


async def test_invalid_items_are_skipped_and_never_sent(client, server, wire):
    bad = [
        "bad name",
        "",
        "a" * 65,
        42,
        None,
        {"username": 5},
        {"password": "no-username"},
        {"username": "ok9", "password": 123},
        RegisterUser(username="ok8", password="p" * 65),
        {"username": "ok7", "nickname": "n" * 101},
    ]
    items = ["ok1", *bad, RegisterUser(username="ok2"), {"username": "ok3"}]

    result = await client.users.register_many(items)

    wire.only(
        "POST",
        "/users",
        body=[{"username": "ok1"}, {"username": "ok2"}, {"username": "ok3"}],
    )
    assert [u.username for u in result.succeeded] == ["ok1", "ok2", "ok3"]
    assert [f.item for f in result.skipped] == bad
    assert all(f.item is b for f, b in zip(result.skipped, bad, strict=True))
    assert all(f.reason.startswith("invalid: ") for f in result.skipped)
    assert all(f.error is None for f in result.skipped)
    assert result.failed == []
    assert result.ok is False
    assert result.total == len(items)


async def test_only_invalid_items_send_nothing(client, mock):
    result = await client.users.register_many(["bad name", "", 7])

    assert mock.requests == {}
    assert result.calls == 0
    assert [f.item for f in result.skipped] == ["bad name", "", 7]
    assert result.total == 3


async def test_empty_input_sends_nothing(client, mock):
    progress: list[tuple[int, int | None]] = []
    result = await client.users.register_many(
        [], progress=lambda done, total: progress.append((done, total))
    )

    assert mock.requests == {}
    assert result.calls == 0
    assert result.total == 0
    assert result.ok is True
    assert progress == [(0, 0)]


# -- progress ----------------------------------------------------------------------------------


async def test_progress_counts_up_to_the_total(client, server):
    progress: list[tuple[int, int | None]] = []

    result = await client.users.register_many(
        NAMES, concurrency=1, progress=lambda done, total: progress.append((done, total))
    )

    counts = [done for done, _ in progress]
    assert counts == sorted(counts)
    assert sorted(set(counts)) == [60, 120, 130]
    assert {total for _, total in progress} == {130}
    assert progress[-1] == (130, 130)
    assert result.total == 130


async def test_progress_counts_failed_and_skipped_items_too(client, mock, wire):
    fake = FakeServer(reject_chunk_with=("user000",))
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)
    progress: list[tuple[int, int | None]] = []

    result = await client.users.register_many(
        [*NAMES[:70], "bad name"],
        concurrency=1,
        progress=lambda done, total: progress.append((done, total)),
    )

    assert progress[-1] == (71, 71)
    assert len(result.failed) == 60
    assert len(result.succeeded) == 10
    assert len(result.skipped) == 1
    assert result.total == 71


# -- stop_on_error -----------------------------------------------------------------------------


async def test_stop_on_error_after_a_400_skips_the_rest(client, mock, wire):
    fake = FakeServer(reject_chunk_with=("user000",))
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)

    result = await client.users.register_many(NAMES, concurrency=1, stop_on_error=True)

    assert [len(b) for b in fake.bodies] == [60]
    assert result.calls == 1
    assert result.succeeded == []
    assert [_username(f.item) for f in result.failed] == NAMES[:60]
    assert all(isinstance(f.error, BadRequestError) for f in result.failed)
    assert sorted(_username(f.item) for f in result.skipped) == NAMES[60:]
    assert {f.reason for f in result.skipped} == {STOPPED}
    assert result.total == 130


async def test_stop_on_error_after_a_partial_failure_skips_the_rest(client, mock, wire):
    fake = FakeServer(taken=("user005",))
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)

    result = await client.users.register_many(NAMES, concurrency=1, stop_on_error=True)

    assert result.calls == 1
    assert len(result.succeeded) == 59
    assert result.failed == [
        BulkFailure(RegisterUser(username="user005"), "the user005 already exists")
    ]
    assert sorted(_username(f.item) for f in result.skipped) == NAMES[60:]
    assert result.total == 130


async def test_stop_on_error_with_a_streamed_input_accounts_for_every_item(client, mock, wire):
    fake = FakeServer(reject_chunk_with=("user000",))
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)

    result = await client.users.register_many(iter(NAMES), concurrency=1, stop_on_error=True)

    assert result.calls == 1
    assert len(result.failed) == 60
    assert sorted(_username(f.item) for f in result.skipped) == NAMES[60:]
    assert result.total == 130


async def test_without_stop_on_error_every_chunk_is_sent(client, mock, wire):
    fake = FakeServer(reject_chunk_with=("user000",))
    mock.post(wire.base + "/users", callback=fake.handle, repeat=True)

    result = await client.users.register_many(NAMES, concurrency=1)

    assert result.calls == 3
    assert len(result.failed) == 60
    assert len(result.succeeded) == 70
    assert result.skipped == []
    assert result.total == 130
