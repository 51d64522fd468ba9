"""The gate in front of the connection pool, over real sockets against the emulator.

A burst many times larger than the pool queues for connections instead of timing out
(each request's timeout starts once a connection is free for it), and thousands of
calls cancelled while queued or in flight leave the pool whole: every slot free, no
connection or file descriptor left open, no warning.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import random
import warnings
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from agora_chat_async import AgoraChatClient, AiohttpTransport
from agora_chat_async.emulator import EmulatorServer, Fault

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable

#: Connections in the pool, and how long the emulator takes per answer.
LIMIT = 10
DELAY = 0.01


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def transport_of(client: AgoraChatClient) -> AiohttpTransport:
    transport = client._transport
    assert isinstance(transport, AiohttpTransport)
    return transport


def pool_state(client: AgoraChatClient) -> dict[str, Any]:
    """Free gate slots, connections handed out, connections kept open in the pool."""
    transport = transport_of(client)
    assert transport.gate is not None
    assert transport._session is not None
    connector = transport._session.connector
    assert isinstance(connector, aiohttp.TCPConnector)
    return {
        "free_slots": transport.gate._value,
        "waiting": len(transport.gate._waiters or ()),
        "in_use": len(connector._acquired),
        "idle_open": sum(len(conns) for conns in connector._conns.values()),
    }


@pytest.fixture
async def emulator() -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(request_log_size=10_000) as server:
        yield server


async def slow_emulator(
    emulator: EmulatorServer, client: AgoraChatClient, delay: float = DELAY
) -> None:
    await client.users.register("alice")
    emulator.add_fault(Fault(status=None, delay=delay, times=None, endpoint="users.get"))
    emulator.clear_requests()


async def test_a_burst_far_larger_than_the_pool_queues_instead_of_timing_out(
    emulator: EmulatorServer,
) -> None:
    calls = 1500  # 150 rounds of the pool: at least 1.5 s of queueing, 3x the timeout
    async with emulator.client(
        limit=LIMIT, timeout=0.5, max_retries=0, rate_limits=False
    ) as client:
        await slow_emulator(emulator, client)
        results = await asyncio.gather(
            *(client.users.get("alice") for _ in range(calls)), return_exceptions=True
        )
        errors = [type(r).__name__ for r in results if isinstance(r, BaseException)]
        assert errors == []
        state = pool_state(client)

    assert {r.username for r in results} == {"alice"}  # type: ignore[union-attr]
    assert [(r.endpoint, r.status) for r in emulator.requests] == [("users.get", 200)] * calls
    assert state == {"free_slots": LIMIT, "waiting": 0, "in_use": 0, "idle_open": LIMIT}


async def test_a_callers_session_is_gated_to_its_connector_limit(
    emulator: EmulatorServer,
) -> None:
    calls = 600  # 1.2 s of queueing through 5 connections, 4x the timeout
    connector = aiohttp.TCPConnector(limit=50, limit_per_host=5)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        emulator.client(session=session, timeout=0.3, max_retries=0, rate_limits=False) as client,
    ):
        await slow_emulator(emulator, client)
        results = await asyncio.gather(
            *(client.users.get("alice") for _ in range(calls)), return_exceptions=True
        )
        assert [type(r).__name__ for r in results if isinstance(r, BaseException)] == []
        gate = transport_of(client).gate

    assert len(emulator.requests) == calls
    assert gate is not None
    assert gate._value == 5


async def _cancel_at(call: Awaitable[Any], how: str, deadline: float) -> str:
    """Run ``call`` until ``deadline`` (loop time): under asyncio.timeout_at, or by
    task.cancel()."""
    if how == "timeout":
        try:
            async with asyncio.timeout_at(deadline):
                await call
        except TimeoutError:
            return "cancelled"
        return "done"
    task = asyncio.ensure_future(call)
    await asyncio.sleep(deadline - asyncio.get_running_loop().time())
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        return "cancelled"
    return "done"


async def test_thousands_of_cancellations_leave_the_pool_whole(
    emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="asyncio")
    rng = random.Random(10)
    fds_before = open_fds()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with emulator.client(limit=LIMIT, rate_limits=False) as client:
            await slow_emulator(emulator, client, delay=0.05)  # long in flight
            start = asyncio.get_running_loop().time()
            outcomes = await asyncio.gather(
                *(
                    _cancel_at(client.users.get("alice"), how, start + rng.uniform(0.0, 1.0))
                    for how in ["timeout", "cancel"] * 1500
                )
            )
            # Cancelled both while queued (most of them) and in flight (the server saw
            # more requests than were answered to a caller).
            cancelled = outcomes.count("cancelled")
            assert cancelled > 2000
            assert len(emulator.requests) > outcomes.count("done") + LIMIT
            after_storm = pool_state(client)

            # Every slot comes back: a full round of LIMIT concurrent calls is served,
            # all of them in flight at once.
            emulator.clear_requests()
            users = await asyncio.gather(*(client.users.get("alice") for _ in range(3 * LIMIT)))
            assert {u.username for u in users} == {"alice"}
            assert len(emulator.requests) == 3 * LIMIT
            after_round = pool_state(client)
        gc.collect()

    assert after_storm["free_slots"] == LIMIT
    assert (after_storm["waiting"], after_storm["in_use"]) == (0, 0)
    assert after_storm["idle_open"] <= LIMIT
    assert after_round == {"free_slots": LIMIT, "waiting": 0, "in_use": 0, "idle_open": LIMIT}
    # The client closed its pool; the emulator closes its side once it sees that.
    for _ in range(250):
        if open_fds() <= fds_before:
            break
        await asyncio.sleep(0.02)
    assert open_fds() == fds_before
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records] == []
