"""Callback receivers over real loopback sockets (aiohttp), the ASGI app driven directly,
and the echo bot answering through the emulator's REST API."""

from __future__ import annotations

import asyncio
import inspect
import os
import signal
import socket
import sys
import types
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web

from agora_chat_async.callbacks import (
    CallbackEvent,
    CallbackReceiver,
    CallbackVerifier,
    MessageEvent,
    PreDeliveryReply,
    PreDeliveryRequest,
    fastapi_dependency,
)
from agora_chat_async.examples.echo_bot import build_bot
from tests.unit.callbacks._signed import SECRET, message, pre_delivery, signed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port); yields its base URL."""
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def post(url: str, body: bytes, **headers: str) -> tuple[int, bytes]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers={"Content-Type": "application/json", **headers}) as r,
    ):
        return r.status, await r.read()


# -- aiohttp over sockets ---------------------------------------------------------------


async def test_aiohttp_app_over_a_socket(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[CallbackEvent] = []
    release = asyncio.Event()

    async def on_event(event: CallbackEvent) -> None:
        await release.wait()
        seen.append(event)

    async def verdict(request: PreDeliveryRequest) -> PreDeliveryReply:
        return PreDeliveryReply.reject("nope")

    receiver = CallbackReceiver(
        CallbackVerifier(SECRET), on_event=on_event, on_pre_delivery=verdict, max_body_size=10_000
    )
    async with serve(receiver.aiohttp_app("/agora")) as base:
        url = base + "/agora"
        async with asyncio.timeout(2):  # answered while the handler still waits
            assert await post(url, signed(message("hi"))) == (200, b"")
        assert await post(url, signed(message("hi"))) == (403, b'{"error":"replayed"}')
        assert await post(url, signed(message(), secret="x")) == (401, b'{"error":"bad_signature"}')
        assert await post(url, b"<xml/>") == (400, b'{"error":"malformed_body"}')
        assert await post(url, b"{" * 20_000) == (413, b'{"error":"body_too_large"}')
        assert "refused callback: 413 body over 10000 bytes (20000)" in caplog.messages
        assert await post(url, signed(pre_delivery())) == (200, b'{"valid":false,"code":"nope"}')
        async with aiohttp.ClientSession() as session, session.get(url) as r:
            assert r.status == 405
        release.set()
        await receiver.drain()
    assert len(seen) == 1
    assert isinstance(seen[0], MessageEvent)
    assert seen[0].text == "hi"


async def test_aiohttp_app_shutdown_drains_and_cancels_handlers() -> None:
    finished: list[str] = []

    async def on_event(event: CallbackEvent) -> None:
        await asyncio.sleep(0.05 if event.call_id.endswith("_1") else 60)
        finished.append(event.call_id)

    receiver = CallbackReceiver(CallbackVerifier(SECRET), on_event=on_event, shutdown_timeout=0.3)
    async with serve(receiver.aiohttp_app()) as base:
        for i in (1, 2):
            assert (await post(base + "/", signed(message(call_id=f"org#app_{i}"))))[0] == 200
        receiver_closing = asyncio.get_running_loop().time()
    # runner.cleanup ran the app's shutdown: the quick handler finished, the slow one was
    # cancelled after the 0.3 s drain period.
    assert finished == ["org#app_1"]
    assert receiver.pending == 0
    assert 0.25 < asyncio.get_running_loop().time() - receiver_closing < 3


# -- ASGI, called directly ----------------------------------------------------------------


async def asgi_call(
    app: Any, method: str, chunks: list[bytes], scope_type: str = "http"
) -> tuple[int, dict[bytes, bytes], bytes]:
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": scope_type, "method": method, "path": "/cb", "headers": []}, receive, send)
    start, body = sent
    assert start["type"] == "http.response.start"
    assert body["type"] == "http.response.body"
    return start["status"], dict(start["headers"]), body["body"]


async def test_asgi_app_answers_like_the_aiohttp_one(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[CallbackEvent] = []

    async def on_event(event: CallbackEvent) -> None:
        seen.append(event)

    receiver = CallbackReceiver(CallbackVerifier(SECRET), on_event=on_event, max_body_size=5000)
    app = receiver.asgi_app()
    # Starlette's Route wraps functions and methods as request handlers, and takes any
    # other callable as an ASGI app: the receiver must be the latter.
    assert not inspect.isfunction(app)
    assert not inspect.ismethod(app)
    body = signed(message("chunked"))
    status, headers, answer = await asgi_call(app, "POST", [body[:10], body[10:40], body[40:]])
    assert (status, answer) == (200, b"")
    assert headers[b"content-length"] == b"0"
    assert (await asgi_call(app, "POST", [body]))[::2] == (403, b'{"error":"replayed"}')
    forged = signed(message(call_id="org#app_2"), secret="x")
    assert (await asgi_call(app, "POST", [forged]))[::2] == (401, b'{"error":"bad_signature"}')
    assert (await asgi_call(app, "POST", [b"\xff\xfe"]))[::2] == (
        400,
        b'{"error":"malformed_body"}',
    )
    assert (await asgi_call(app, "POST", [b"x" * 3000] * 2))[0] == 413
    assert "refused callback: 413 body over 5000 bytes (streamed)" in caplog.messages
    status, headers, _ = await asgi_call(app, "GET", [b""])
    assert (status, headers[b"allow"]) == (405, b"POST")
    await receiver.drain()
    assert [e.text for e in seen if isinstance(e, MessageEvent)] == ["chunked"]


async def test_asgi_lifespan_shutdown_drains_and_disconnect_sends_nothing() -> None:
    done: list[str] = []

    async def on_event(event: CallbackEvent) -> None:
        await asyncio.sleep(0.05)
        done.append(event.call_id)

    receiver = CallbackReceiver(CallbackVerifier(SECRET), on_event=on_event)
    await asgi_call(receiver.asgi_app(), "POST", [signed(message())])
    lifespan = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return lifespan.pop(0)

    async def send(m: dict[str, Any]) -> None:
        sent.append(m)

    await receiver.asgi_app()({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert done == ["org#app_1001"]  # drained before shutdown completed

    sent.clear()

    async def disconnect() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    await receiver.asgi_app()({"type": "http", "method": "POST"}, disconnect, send)
    assert sent == []


# -- the FastAPI dependency (with a stand-in for fastapi, which is not installed) -----------


class _HTTPException(Exception):
    def __init__(self, status_code: int, detail: str) -> None:
        self.status_code, self.detail = status_code, detail


class _Request:
    def __init__(self, body: bytes) -> None:
        self._body = body

    async def body(self) -> bytes:
        return self._body


async def test_fastapi_dependency_verifies_raw_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("fastapi")
    fake.HTTPException = _HTTPException  # type: ignore[attr-defined]
    fake.Request = _Request  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastapi", fake)
    verifier = CallbackVerifier(SECRET)
    dependency = fastapi_dependency(verifier)
    assert dependency.__annotations__["request"] is _Request  # what FastAPI injects by

    events = dependency(_Request(signed(message("dep"))))
    event = await anext(events)
    assert isinstance(event, MessageEvent)
    assert event.text == "dep"
    assert await anext(events, None) is None  # FastAPI's teardown after the response

    with pytest.raises(_HTTPException) as info:
        await anext(dependency(_Request(signed(message("dep")))))
    assert (info.value.status_code, info.value.detail) == (403, "replayed")
    with pytest.raises(_HTTPException) as info:
        await anext(dependency(_Request(b"[]")))
    assert (info.value.status_code, info.value.detail) == (400, "malformed_body")

    # a route that fails releases the callId, so Agora's retry is accepted
    retried = signed(message(call_id="org#app_77"))
    events = dependency(_Request(retried))
    await anext(events)
    with pytest.raises(RuntimeError):
        await events.athrow(RuntimeError("route failed"))
    events = dependency(_Request(retried))
    assert (await anext(events)).call_id == "org#app_77"
    assert await anext(events, None) is None


# -- the echo bot against the emulator -----------------------------------------------------


def _sent_by(emulator: EmulatorServer, sender: str) -> list[tuple[str, str, str, dict]]:
    return [
        (m.to, m.chat_type, m.type, m.body)
        for m in emulator.state.sent.values()
        if m.sender == sender
    ]


async def test_echo_bot_answers_through_the_emulator(
    emulator: EmulatorServer, client: AgoraChatClient
) -> None:
    await client.users.register("alice", password="pw")
    await client.users.register("echo_bot", password="pw")
    bot = build_bot(client, SECRET, "echo_bot", ban="spam")
    async with serve(bot.aiohttp_app()) as url:
        callback = message("hello there", to="echo_bot", call_id="demo#demo_5001")
        assert await post(url, signed(callback)) == (200, b"")
        await bot.receiver.drain()
        assert _sent_by(emulator, "echo_bot") == [("alice", "chat", "txt", {"msg": "hello there"})]
        sends = [r for r in emulator.requests if r.path == "/demo/demo/messages/users"]
        assert [(r.method, r.status) for r in sends] == [("POST", 200)]

        # the callback of its own reply is not answered (no loop)
        own = message("hello there", call_id="demo#demo_5002")
        own.update({"from": "echo_bot", "to": "alice"})
        assert (await post(url, signed(own)))[0] == 200
        # a forged callback and a replay are refused
        forged = message("evil", to="echo_bot", call_id="demo#demo_5003")
        assert (await post(url, signed(forged, secret="guess")))[0] == 401
        assert (await post(url, signed(callback)))[0] == 403
        await bot.receiver.drain()
        assert len(_sent_by(emulator, "echo_bot")) == 1

        # pre-delivery: the banned word is blocked, the rest passes
        banned = pre_delivery("buy SPAM now", call_id="demo#demo_p1")
        assert await post(url, signed(banned)) == (200, b'{"valid":false,"code":"banned_word"}')
        fine = pre_delivery("hello", call_id="demo#demo_p2")
        assert await post(url, signed(fine)) == (200, b'{"valid":true}')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_echo_bot_cli_serves_until_sigterm(emulator: EmulatorServer) -> None:
    async with emulator.client() as client:
        await client.users.register("alice", password="pw")
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONWARNINGS": "error",
        "AGORA_HOST": emulator.base_url,
        "AGORA_ORG_NAME": emulator.org_name,
        "AGORA_APP_NAME": emulator.app_name,
        "AGORA_APP_ID": emulator.app_id,
        "AGORA_APP_CERTIFICATE": emulator.app_certificate,
        "AGORA_CALLBACK_SECRET": SECRET,
    }
    env.pop("AGORA_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "agora_chat_async.examples.echo_bot", "--port", str(port),
        "--username", "helper", stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        async with asyncio.timeout(20):
            while True:
                try:
                    status, _ = await post(
                        f"http://127.0.0.1:{port}/", signed(message("ping", to="helper"))
                    )
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            assert status == 200
            for _ in range(1000):  # the reply is sent in the bot's background
                if _sent_by(emulator, "helper"):
                    break
                await asyncio.sleep(0.02)
        assert _sent_by(emulator, "helper") == [("alice", "chat", "txt", {"msg": "ping"})]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(20):
                _, stderr = await process.communicate()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert process.returncode == 0, stderr.decode()


async def test_echo_bot_cli_needs_the_callback_secret() -> None:
    env = {k: v for k, v in os.environ.items() if k != "AGORA_CALLBACK_SECRET"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "agora_chat_async.examples.echo_bot",
        stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    _, stderr = await process.communicate()
    assert process.returncode == 2
    assert "set AGORA_CALLBACK_SECRET" in stderr.decode()
