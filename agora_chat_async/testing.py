"""Opt-in pytest fixtures for your own tests: a fresh emulator and a client per test.

Enable in your ``conftest.py`` (it is not auto-registered)::

    pytest_plugins = ["agora_chat_async.testing"]

    async def test_signup(agora_client):
        user = await agora_client.users.register("alice")
        assert user.activated

Needs pytest-asyncio (or another plugin that runs async fixtures and tests).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .emulator import EmulatorServer

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from ._client import AgoraChatClient

__all__ = ["agora_client", "agora_emulator"]


@pytest.fixture
async def agora_emulator() -> AsyncIterator[EmulatorServer]:
    """An empty emulator on a free loopback port, stopped after the test."""
    async with EmulatorServer() as server:
        yield server


@pytest.fixture
async def agora_client(agora_emulator: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    """An :class:`AgoraChatClient` wired to ``agora_emulator``, closed after the test."""
    async with agora_emulator.client() as client:
        yield client
