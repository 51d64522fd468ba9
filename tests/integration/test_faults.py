"""Fault injection drives the client's retry rules: what is repeated and what is not."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from agora_chat_async import (
    APIConnectionError,
    APITimeoutError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from agora_chat_async.emulator import EmulatorServer, Fault
from tests.integration._helpers import agora_error

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw


#: Retries without a Retry-After wait a random backoff; keep it short here.
FAST = RetryPolicy(backoff_base=0.01, backoff_max=0.02)


@pytest.fixture
def client(client: AgoraChatClient) -> AgoraChatClient:
    return client.with_options(retry=FAST)


def _log(emulator: EmulatorServer) -> list[tuple[str | None, int | None]]:
    return [(r.endpoint, r.status) for r in emulator.requests]


async def test_503_on_a_get_is_retried(client: AgoraChatClient, emulator: EmulatorServer) -> None:
    await client.users.register("ann")
    emulator.clear_requests()
    emulator.add_fault(status=503, endpoint="users.get")
    user = await client.users.get("ann")
    assert user.username == "ann"
    assert _log(emulator) == [("users.get", 503), ("users.get", 200)]


async def test_503_on_register_is_not_retried(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    emulator.add_fault(Fault(status=503, endpoint="users.register"))
    with pytest.raises(ServerError) as caught:
        await client.users.register("ben")
    error = caught.value
    assert (error.status, error.error, error.description) == (
        503,
        "service_unavailable",
        "Service Unavailable",
    )
    assert _log(emulator) == [("users.register", 503)]
    assert len(emulator.state) == 0


async def test_429_with_retry_after_is_retried_after_the_wait(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    await client.users.register("cat")
    emulator.clear_requests()
    emulator.add_fault(status=429, endpoint="users.get", retry_after=0.2)
    started = time.monotonic()
    assert (await client.users.get("cat")).username == "cat"
    assert time.monotonic() - started >= 0.2
    assert _log(emulator) == [("users.get", 429), ("users.get", 200)]


async def test_429_on_a_post_is_retried_too(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    emulator.add_fault(status=429, endpoint="users.register", retry_after=0.01)
    assert (await client.users.register("dan")).username == "dan"
    assert _log(emulator) == [("users.register", 429), ("users.register", 200)]


async def test_resource_limited_is_not_retried(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    emulator.add_fault(status=429, error="resource_limited", retry_after=0.01)
    with pytest.raises(RateLimitError) as caught:
        await client.users.get("x")
    assert (caught.value.is_quota, caught.value.retry_after) == (True, 0.01)
    assert caught.value.description == (
        "You have exceeded the limit of the free edition. Please upgrade to higher edition."
    )
    assert _log(emulator) == [("users.get", 429)]


async def test_dropped_connection_on_a_get_is_retried(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    await client.users.register("eli")
    emulator.clear_requests()
    emulator.add_fault(drop=True, status=None, endpoint="users.get")
    assert (await client.users.get("eli")).username == "eli"
    assert _log(emulator) == [("users.get", None), ("users.get", 200)]


async def test_dropped_connection_on_register_is_not_retried(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    emulator.add_fault(drop=True, endpoint="users.register")
    with pytest.raises(APIConnectionError) as caught:
        await client.users.register("fox")
    assert caught.value.sent is True
    assert _log(emulator) == [("users.register", None)]


async def test_delay_only_slows_the_request(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    emulator.add_fault(status=None, delay=0.15, endpoint="users.register")
    started = time.monotonic()
    assert (await client.users.register("gus")).username == "gus"
    assert time.monotonic() - started >= 0.15
    assert _log(emulator) == [("users.register", 200)]


async def test_delay_beyond_the_timeout(client: AgoraChatClient, emulator: EmulatorServer) -> None:
    emulator.add_fault(status=None, delay=0.3, endpoint="users.get")
    with pytest.raises(APITimeoutError):
        await client.with_options(timeout=0.05, max_retries=0).users.get("x")


async def test_500_is_not_retried(client: AgoraChatClient, emulator: EmulatorServer) -> None:
    emulator.add_fault(status=500, endpoint="users.get")
    with pytest.raises(ServerError) as caught:
        await client.users.get("x")
    assert (caught.value.status, caught.value.error) == (500, "internal_server_error")
    assert _log(emulator) == [("users.get", 500)]


async def test_times_and_endpoint_matching(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    emulator.add_fault(status=503, times=2, endpoint="users.get_status")
    emulator.add_fault(status=502, times=None, endpoint="users.activate")
    await client.users.register("hal")  # not targeted
    assert await client.users.get_status("hal") == "offline"  # 503, 503, then served
    with pytest.raises(ServerError) as caught:
        await client.with_options(max_retries=2).users.activate("hal")
    assert caught.value.status == 502
    emulator.clear_faults()
    await client.users.activate("hal")
    assert _log(emulator) == [
        ("users.register", 200),
        ("users.get_status", 503),
        ("users.get_status", 503),
        ("users.get_status", 200),
        ("users.activate", 502),
        ("users.activate", 502),
        ("users.activate", 502),
        ("users.activate", 200),
    ]


async def test_faults_from_the_constructor() -> None:
    async with (
        EmulatorServer(faults=[Fault(status=504, endpoint="users.list")]) as server,
        server.client(retry=FAST) as client,
    ):
        assert [u async for u in client.users.list()] == []
        assert [(r.endpoint, r.status) for r in server.requests] == [
            ("users.list", 504),
            ("users.list", 200),
        ]


async def test_control_api(raw: Raw, emulator: EmulatorServer) -> None:
    response = await raw(
        "POST", "/__emulator/faults", json={"status": 500, "times": 3, "endpoint": "users.get"}
    )
    assert response.status == 200
    expected = {
        "status": 500,
        "times": 3,
        "endpoint": "users.get",
        "delay": 0.0,
        "drop": False,
        "error": None,
        "description": None,
        "retry_after": None,
        "body": "agora",
        "after_handler": False,
        "truncate": None,
        "remaining": 3,
    }
    assert response.body == {"faults": [expected]}
    agora_error(await raw("GET", "/users/x"), 500, "internal_server_error", "Internal Server Error")
    assert (await raw("GET", "/__emulator/faults")).body == {
        "faults": [{**expected, "remaining": 2}]
    }
    assert (await raw("DELETE", "/__emulator/faults")).body == {"faults": []}
    assert (await raw("GET", "/users/x")).status == 404
    response = await raw("POST", "/__emulator/faults", json={"status": 200})
    agora_error(
        response,
        400,
        "illegal_argument",
        "invalid fault: status must be 400-599 or None, got 200",
    )
    response = await raw("POST", "/__emulator/faults", json={"status": 503, "color": "red"})
    assert response.status == 400
    assert "color" in response.body["error_description"]


def test_fault_validation() -> None:
    with pytest.raises(ValueError, match="times must be at least 1"):
        Fault(times=0)
    with pytest.raises(ValueError, match="needs a status"):
        Fault(status=None)
    with pytest.raises(ValueError, match="delay"):
        Fault(delay=-1)
