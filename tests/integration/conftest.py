"""Fixtures for integration tests: a fresh emulator on a real loopback socket per test,
running on a ``clock`` the test may move, a client wired to it, and ``raw`` for requests
the client would refuse to send."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from agora_chat_async.emulator import EmulatorServer
from tests.integration._helpers import Clock, raw_requests
from tests.integration._redis import app_key, own_redis, redis_url  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def emulator(clock: Clock) -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(clock=clock) as server:
        yield server


@pytest.fixture
async def client(emulator: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    async with emulator.client() as c:
        yield c


@pytest.fixture
async def raw(emulator: EmulatorServer) -> AsyncIterator[Raw]:
    async with raw_requests(emulator) as requests:
        yield requests
