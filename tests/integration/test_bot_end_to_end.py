"""End to end through the emulator: a user's message goes in, the emulator calls the echo
bot (``agora_chat_async.examples.echo_bot``), the bot answers through the REST client,
and the answer is stored for the user; the bot's pre-delivery filter blocks a banned
word; forged and replayed callbacks are refused."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web

from agora_chat_async.emulator import EmulatorServer
from tests.integration._helpers import raw_requests

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

pytest.importorskip("agora_chat_async.callbacks")
from agora_chat_async.examples.echo_bot import build_bot

SECRET = "e2e-secret"


@pytest.fixture
async def setup() -> AsyncIterator[tuple[EmulatorServer, str]]:
    async with EmulatorServer(callback_secret=SECRET) as server, server.client() as client:
        await client.users.register_many(["alice", "echo_bot"])
        bot = build_bot(client, SECRET, "echo_bot", "spam")
        runner = web.AppRunner(bot.aiohttp_app("/"), access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            url = f"http://127.0.0.1:{runner.addresses[0][1]}/"
            server.configure_callbacks(url=url, pre_delivery_url=url)
            yield server, url
            await server.flush_callbacks()
        finally:
            await runner.cleanup()
            await bot.aclose()


async def _answers(server: EmulatorServer, count: int) -> list[dict[str, Any]]:
    """The bot's messages to alice, once ``count`` are stored."""
    async with asyncio.timeout(5):
        while True:
            got = [m for m in server.messages_for("alice") if m["from"] == "echo_bot"]
            if len(got) >= count:
                return got
            await asyncio.sleep(0.02)


async def test_a_user_message_is_echoed_and_a_banned_word_is_blocked(
    setup: tuple[EmulatorServer, str],
) -> None:
    server, _ = setup
    async with raw_requests(server) as raw:
        said = await raw(
            "POST",
            "/__emulator/user_messages",
            json={"from": "alice", "to": ["echo_bot"], "type": "txt", "body": {"msg": "hello"}},
        )
        assert said.body["delivered"] is True
        [answer] = await _answers(server, 1)
        assert (answer["to"], answer["body"]) == ("alice", {"msg": "hello"})

        blocked = await raw(
            "POST",
            "/__emulator/user_messages",
            json={"from": "alice", "to": ["echo_bot"], "type": "txt", "body": {"msg": "SPAM!"}},
        )
        assert blocked.body == {"delivered": False, "code": "banned_word"}
    await server.flush_callbacks()
    assert [m["body"]["msg"] for m in server.messages_for("echo_bot")] == ["hello", "hello"]
    # Every callback was taken, the bot's own echo and the offline copies included.
    callbacks = server.emulator.callbacks
    assert callbacks.storage_info() == []
    assert callbacks.counters["failed_attempts"] == 0
    assert callbacks.pre_counters == {"passed": 1, "rejected": 1, "modified": 0, "fallback": 0}


def _callback(secret: str) -> bytes:
    call_id = f"demo#demo_{uuid.uuid4()}"
    timestamp = int(time.time() * 1000)
    body = {
        "callId": call_id,
        "eventType": "chat",
        "timestamp": timestamp,
        "chat_type": "chat",
        "from": "echo_bot",  # its own message: nothing to answer
        "to": "alice",
        "msg_id": "1",
        "payload": {"ext": {}, "bodies": [{"msg": "x", "type": "txt"}]},
        "securityVersion": "1.0.0",
        "security": hashlib.md5(f"{call_id}{secret}{timestamp}".encode()).hexdigest(),
    }
    return json.dumps(body).encode()


async def test_forged_and_replayed_callbacks_are_refused(
    setup: tuple[EmulatorServer, str],
) -> None:
    _, url = setup
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=_callback("wrong"), headers=headers) as response:
            assert response.status in (401, 403)
        genuine = _callback(SECRET)
        async with session.post(url, data=genuine, headers=headers) as response:
            assert response.status == 200
        async with session.post(url, data=genuine, headers=headers) as response:
            assert response.status in (401, 403)
