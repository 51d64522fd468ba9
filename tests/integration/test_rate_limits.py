"""Optional rate limits: token buckets per documented limit, 429 ``reach_limit``."""

from __future__ import annotations

import asyncio

import pytest

from agora_chat_async import RateLimitError
from agora_chat_async.emulator import EmulatorServer
from tests.integration._helpers import agora_error, raw_requests


async def test_off_by_default(emulator: EmulatorServer) -> None:
    async with emulator.client(max_retries=0) as client:
        await asyncio.gather(*(client.users.get_statuses(["a"]) for _ in range(120)))
    assert {r.status for r in emulator.requests} == {200}


async def test_hammering_without_retries_gets_429_with_retry_after() -> None:
    async with (
        EmulatorServer(rate_limits={"users.get_status": 3}) as server,
        server.client() as client,
    ):
        await client.users.register("amy")
        quick = client.with_options(max_retries=0)
        results = await asyncio.gather(
            *(quick.users.get_status("amy") for _ in range(9)), return_exceptions=True
        )
    passed = [r for r in results if r == "offline"]
    refused = [r for r in results if isinstance(r, RateLimitError)]
    assert (len(passed), len(refused)) == (3, 6)
    for error in refused:
        assert (error.status, error.error, error.description) == (
            429,
            "reach_limit",
            "This request has reached API limit.",
        )
    # Each refused caller is sent to a later token: 1/3 s apart.
    waits = sorted(error.retry_after or 0.0 for error in refused)
    for k, wait in enumerate(waits, start=1):
        assert k / 3 - 0.05 < wait <= k / 3 + 0.001
    assert [r.status for r in server.requests].count(429) == 6


async def test_retry_after_header_is_decimal_seconds() -> None:
    server = EmulatorServer(rate_limits={"users.list": 4})
    async with server, raw_requests(server) as raw:
        responses = [await raw("GET", "/users") for _ in range(5)]
    assert [r.status for r in responses] == [200, 200, 200, 200, 429]
    agora_error(responses[-1], 429, "reach_limit", "This request has reached API limit.")
    value = responses[-1].headers["Retry-After"]
    assert 0 < float(value) <= 0.25
    assert len(value.partition(".")[2]) == 3


async def test_the_client_waits_and_succeeds() -> None:
    # Client pacing off: the 429 + Retry-After handling alone gets every call through.
    async with (
        EmulatorServer(rate_limits={"users.get": 20}) as server,
        server.client(rate_limits=False) as client,
    ):
        await client.users.register("bea")
        users = await asyncio.gather(*(client.users.get("bea") for _ in range(30)))
    assert {u.username for u in users} == {"bea"}
    statuses = [r.status for r in server.requests if r.endpoint == "users.get"]
    assert statuses.count(200) == 30
    assert 10 <= statuses.count(429) <= 12  # each refused call got its own later slot


async def test_client_pacing_at_the_servers_limit_wastes_no_call() -> None:
    async with (
        EmulatorServer(rate_limits={"users.get": 20}) as server,
        server.client(rate_limits={"users.get": 20}) as client,
    ):
        await client.users.register("bea")
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.gather(*(client.users.get("bea") for _ in range(30)))
        elapsed = loop.time() - started
    statuses = [r.status for r in server.requests if r.endpoint == "users.get"]
    assert statuses == [200] * 30
    # 30 calls at 0.97 * 20/s after a burst of one: about 1.5 s, not much faster.
    assert 1.3 < elapsed < 2.5


async def test_rows_sharing_a_limit_share_a_bucket() -> None:
    async with (
        EmulatorServer(rate_limits={"users.register": 2}) as server,
        server.client(max_retries=0) as client,
    ):
        await client.users.register("c1")
        await client.users.register_many(["c2"])
        with pytest.raises(RateLimitError):
            await client.users.register("c3")
        result = await client.users.register_many(["c4"])
        assert isinstance(result.failed[0].error, RateLimitError)
        # Other limits are separate buckets.
        assert (await client.users.get("c1")).username == "c1"
        assert await client.users.get_status("c2") == "offline"


async def test_documented_rates_and_scale() -> None:
    async with EmulatorServer(rate_limits=True, rate_scale=0.05) as server:
        rates = server.emulator.limiter.rates
        assert rates is not None
        assert rates["users.register"] == pytest.approx(5.0)
        assert rates["DELETE /users"] == pytest.approx(1.5)
        assert rates["POST /users/batch/status"] == pytest.approx(2.5)
        assert rates["PUT /users/{username}"] == pytest.approx(5.0)
        assert rates["token"] == pytest.approx(5.0)
        async with server.client(max_retries=0) as client:
            await client.users.register_many([f"d{i}" for i in range(3)])
            await client.users.delete_many(limit=1)
            with pytest.raises(RateLimitError):
                await client.users.delete_many(limit=1)


async def test_switching_limits_at_run_time(emulator: EmulatorServer) -> None:
    async with raw_requests(emulator) as raw, emulator.client(max_retries=0) as client:
        response = await raw("PUT", "/__emulator/rate_limits", json={"rates": {"users.list": 1}})
        assert response.body["rate_limits"]["GET /users"] == 1.0
        await client.users.list().first_page()
        with pytest.raises(RateLimitError):
            await client.users.list().first_page()
        response = await raw("PUT", "/__emulator/rate_limits", json={"enabled": False})
        assert response.body == {"rate_limits": None}
        await client.users.list().first_page()
        emulator.set_rate_limits({"users.list": 1})
        await client.users.list().first_page()
        with pytest.raises(RateLimitError):
            await client.users.list().first_page()
        emulator.set_rate_limits(False)
        await client.users.list().first_page()
        response = await raw("PUT", "/__emulator/rate_limits", json={"rates": {"users.nope": 1}})
        agora_error(response, 400, "illegal_argument", "no endpoint or limit key named users.nope")


def test_unknown_or_bad_rates_are_refused() -> None:
    with pytest.raises(ValueError, match=r"users\.nope"):
        EmulatorServer(rate_limits={"users.nope": 1})
    with pytest.raises(ValueError, match="positive"):
        EmulatorServer(rate_limits={"users.get": 0})
