"""A token refused under load: however many calls get the 401 at once, the client gets
one new token, and every call goes through with it. Both renewing sources: app tokens
built from the app certificate, and the Easemob-style ``POST /token`` exchange (a
renewal that takes a round trip, while more 401s arrive)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async._auth import CachedTokenProvider
from agora_chat_async.emulator import EmulatorServer, Fault

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

CALLS = 100
CLIENT_ID = "YXA6storm-client"
CLIENT_SECRET = "YXA6storm-secret"


@pytest.fixture
async def emulator() -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as server:
        yield server


@pytest.mark.parametrize(
    "credentials",
    [{}, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}],
    ids=["app-certificate", "client-credentials"],
)
async def test_a_401_storm_under_100_concurrent_calls_renews_the_token_once(
    emulator: EmulatorServer, credentials: dict[str, Any]
) -> None:
    async with emulator.client(rate_limits=False, **credentials) as client:
        provider = client._auth
        assert isinstance(provider, CachedTokenProvider)
        await client.users.register("alice")
        refused = await provider.get_token()
        assert provider.renewals == 1
        emulator.clear_requests()
        # The server stops taking the token all 100 calls in flight hold: each gets a 401.
        emulator.add_fault(
            Fault(status=401, error="unauthorized", times=CALLS, endpoint="users.get")
        )
        users = await asyncio.gather(*(client.users.get("alice") for _ in range(CALLS)))

        assert {u.username for u in users} == {"alice"}
        assert provider.renewals == 2
        assert await provider.get_token() != refused
    log = [(r.endpoint, r.status) for r in emulator.requests]
    assert log.count(("users.get", 401)) == CALLS
    assert log.count(("users.get", 200)) == CALLS
    assert log.count(("token", 200)) == (1 if credentials else 0)
    assert len(log) == 2 * CALLS + log.count(("token", 200))
