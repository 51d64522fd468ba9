"""``AiohttpTransport`` over real sockets: a tiny ``aiohttp.web`` app on 127.0.0.1:0.

Pool reuse and limits, exception mapping (refused, dropped, timed out), a caller's
session, and the lifecycle (closed transport, event loops).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import ssl
import struct
import subprocess
import time
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from agora_chat_async import (
    AgoraChatClient,
    AiohttpTransport,
    APIConnectionError,
    APITimeoutError,
    PoolTimeoutError,
    RetryPolicy,
    Timeout,
)
from agora_chat_async._transport import RawResponse

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

FAST = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.001)


@asynccontextmanager
async def serve(handler: Any) -> AsyncIterator[TestServer]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        yield server
    finally:
        await server.close()


def base(server: TestServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Recorder:
    """A handler answering one user, recording each request's client address."""

    def __init__(self) -> None:
        self.peers: list[Any] = []
        self.headers: list[Any] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.gate: asyncio.Event | None = None
        self.arrived = asyncio.Event()  # set on each request

    async def handle(self, request: web.Request) -> web.Response:
        assert request.transport is not None
        self.peers.append(request.transport.get_extra_info("peername"))
        self.headers.append(request.headers)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.arrived.set()
        try:
            if self.gate is not None:
                await self.gate.wait()
        finally:
            self.in_flight -= 1
        return web.json_response({"entities": [{"username": "alice"}]})


@pytest.fixture
def release() -> Any:
    """An event that slow handlers wait on; set at teardown so the server can stop."""
    event = asyncio.Event()
    yield event
    event.set()


# -- the pool ----------------------------------------------------------------------------


async def test_sequential_requests_reuse_one_keep_alive_connection():
    recorder = Recorder()
    async with (
        serve(recorder.handle) as server,
        AgoraChatClient(host=base(server), org_name="org", app_name="app", token="t") as client,
    ):
        for _ in range(20):
            await client.users.get("alice")

    assert len(recorder.peers) == 20
    assert len(set(recorder.peers)) == 1


@pytest.mark.parametrize(("limits", "bound"), [({"limit": 2}, 2), ({"limit_per_host": 1}, 1)])
async def test_connection_limits_bound_the_requests_in_flight(limits, bound):
    recorder = Recorder()
    recorder.gate = asyncio.Event()
    async with (
        serve(recorder.handle) as server,
        AgoraChatClient(
            host=base(server), org_name="org", app_name="app", token="t", **limits
        ) as client,
    ):
        calls = [asyncio.create_task(client.users.get("alice")) for _ in range(6)]
        async with asyncio.timeout(5):  # generous: a loaded CI machine may be slow
            while recorder.in_flight < bound:
                recorder.arrived.clear()
                await recorder.arrived.wait()
        await asyncio.sleep(0.05)  # time for more to arrive if the limit did not hold
        assert recorder.in_flight == bound
        recorder.gate.set()
        await asyncio.gather(*calls)

    assert recorder.max_in_flight == bound
    assert len(set(recorder.peers)) == bound


# -- exception mapping -------------------------------------------------------------------


async def test_connection_refused_is_a_connection_error_that_was_not_sent():
    transport = AiohttpTransport()
    try:
        with pytest.raises(APIConnectionError) as info:
            await transport.send(
                "GET", f"http://127.0.0.1:{free_port()}/x", {}, None, Timeout(), endpoint="e"
            )
    finally:
        await transport.aclose()

    assert type(info.value) is APIConnectionError
    assert info.value.sent is False
    assert info.value.endpoint == "e"
    assert isinstance(info.value.__cause__, aiohttp.ClientConnectorError)
    assert not isinstance(info.value, aiohttp.ClientError)


async def test_connection_refused_is_retried_even_for_a_post(caplog):
    caplog.set_level("DEBUG", logger="agora_chat_async")
    async with AgoraChatClient(
        host=f"http://127.0.0.1:{free_port()}", org_name="o", app_name="a", token="t", retry=FAST
    ) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.users.register("alice")

    assert info.value.sent is False
    retries = [r.getMessage() for r in caplog.records if r.name == "agora_chat_async"]
    assert [m.split(" in ")[0] for m in retries] == [
        "users.register: APIConnectionError, retry 1/2",
        "users.register: APIConnectionError, retry 2/2",
    ]


async def _drop(request: web.Request) -> web.Response:
    assert request.transport is not None
    request.transport.close()
    await asyncio.sleep(0)
    return web.Response(text="never sent")


async def test_a_dropped_connection_is_a_connection_error_that_may_have_been_sent():
    async with serve(_drop) as server:
        transport = AiohttpTransport()
        try:
            with pytest.raises(APIConnectionError) as info:
                await transport.send("POST", str(server.make_url("/x")), {}, b"{}", Timeout())
        finally:
            await transport.aclose()

    assert type(info.value) is APIConnectionError
    assert info.value.sent is True
    assert isinstance(info.value.__cause__, aiohttp.ServerDisconnectedError)


async def test_a_dropped_register_is_not_retried_but_a_dropped_get_is():
    hits = {"POST": 0, "GET": 0}

    async def flaky(request: web.Request) -> web.Response:
        hits[request.method] += 1
        if hits[request.method] == 1:
            return await _drop(request)
        return web.json_response({"entities": [{"username": "alice"}]})

    async with (
        serve(flaky) as server,
        AgoraChatClient(
            host=base(server), org_name="org", app_name="app", token="t", retry=FAST
        ) as client,
    ):
        with pytest.raises(APIConnectionError) as info:
            await client.users.register("alice")
        user = await client.users.get("alice")

    assert info.value.sent is True
    assert hits == {"POST": 1, "GET": 2}
    assert user.username == "alice"


async def test_a_slow_response_is_a_timeout(release):
    async def slow(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response()

    async with serve(slow) as server:
        transport = AiohttpTransport()
        started = time.monotonic()
        try:
            with pytest.raises(APITimeoutError) as info:
                await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout(0.05))
        finally:
            await transport.aclose()
            release.set()

    assert time.monotonic() - started < 1.0
    assert info.value.sent is True  # the request was written before time ran out
    assert isinstance(info.value.__cause__, TimeoutError)
    assert not isinstance(info.value, (aiohttp.ClientError, TimeoutError))


async def _hold_the_only_connection(
    transport: AiohttpTransport, url: str, arrived: asyncio.Event
) -> asyncio.Task[RawResponse]:
    busy = asyncio.create_task(transport.send("GET", url, {}, None, Timeout(None, None)))
    async with asyncio.timeout(5):
        await arrived.wait()
    return busy


async def test_time_queued_for_a_pooled_connection_does_not_count_against_total(release):
    arrived = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        arrived.set()
        await release.wait()
        return web.Response(text="ok")

    async with serve(slow) as server:
        transport = AiohttpTransport(limit=1)
        url = str(server.make_url("/x"))
        try:
            busy = await _hold_the_only_connection(transport, url, arrived)
            queued = asyncio.create_task(
                transport.send("POST", url, {}, b"{}", Timeout(total=0.05, connect=0.05))
            )
            await asyncio.sleep(0.3)  # six times `total` in the queue
            assert not queued.done()
            release.set()
            response = await queued
            await busy
        finally:
            await transport.aclose()

    assert response.status == 200


async def test_waiting_longer_than_the_pool_timeout_is_a_pool_timeout_before_sending(release):
    arrived = asyncio.Event()
    methods: list[str] = []

    async def slow(request: web.Request) -> web.Response:
        methods.append(request.method)
        arrived.set()
        await release.wait()
        return web.Response()

    async with serve(slow) as server:
        transport = AiohttpTransport(limit=1)
        url = str(server.make_url("/x"))
        try:
            busy = await _hold_the_only_connection(transport, url, arrived)
            started = time.monotonic()
            with pytest.raises(PoolTimeoutError) as info:
                await transport.send(
                    "POST", url, {}, b"{}", Timeout(total=None, pool=0.05), endpoint="e"
                )
            waited = time.monotonic() - started
            release.set()
            await busy
        finally:
            await transport.aclose()

    assert 0.05 <= waited < 1.0
    assert isinstance(info.value, APITimeoutError)
    assert info.value.sent is False
    assert info.value.endpoint == "e"
    assert str(info.value) == "no connection to 127.0.0.1 came free within 0.05s"
    assert methods == ["GET"]  # the POST never reached the server


async def test_error_statuses_come_back_as_responses_with_case_insensitive_headers():
    async def teapot(request: web.Request) -> web.Response:
        return web.Response(status=418, body=b"\x00raw", headers={"Retry-After": "3"})

    async with serve(teapot) as server:
        transport = AiohttpTransport()
        try:
            response = await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout())
        finally:
            await transport.aclose()

    assert isinstance(response, RawResponse)
    assert response.status == 418
    assert response.body == b"\x00raw"
    assert response.headers["retry-after"] == response.headers["RETRY-AFTER"] == "3"


async def test_redirects_are_not_followed():
    async def moved(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "/elsewhere"})

    async with serve(moved) as server:
        transport = AiohttpTransport()
        try:
            response = await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout())
        finally:
            await transport.aclose()

    assert response.status == 302


# -- a caller's session ------------------------------------------------------------------


async def test_a_callers_session_is_used_and_left_open():
    recorder = Recorder()
    async with (
        serve(recorder.handle) as server,
        aiohttp.ClientSession(headers={"X-Mine": "yes"}) as session,
    ):
        transport = AiohttpTransport(session=session)
        await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout())
        await transport.aclose()

        assert not session.closed
        assert recorder.headers[0]["X-Mine"] == "yes"
        with pytest.raises(RuntimeError, match="closed"):
            await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout())


def test_a_callers_session_from_another_loop_is_a_clear_error():
    async def make() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    session = asyncio.run(make())
    transport = AiohttpTransport(session=session)

    async def use() -> None:
        await transport.send("GET", "http://127.0.0.1:9/x", {}, None, Timeout())

    try:
        with pytest.raises(RuntimeError, match="session= belongs to another event loop"):
            asyncio.run(use())
    finally:
        asyncio.run(session.close())


# -- lifecycle ---------------------------------------------------------------------------


async def test_the_session_is_created_lazily_and_closed_by_aclose():
    recorder = Recorder()
    transport = AiohttpTransport(limit=7, limit_per_host=3)
    assert transport._session is None
    async with serve(recorder.handle) as server:
        await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout())
        session = transport._session
        assert session is not None
        assert session.connector is not None
        assert (session.connector.limit, session.connector.limit_per_host) == (7, 3)
        assert transport.is_open

        await transport.aclose()
        await transport.aclose()  # twice is fine

        assert session.closed
        assert not transport.is_open
        with pytest.raises(RuntimeError, match="closed"):
            await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout())
    assert transport._session is None


async def test_closing_an_unused_transport_creates_nothing():
    transport = AiohttpTransport()
    await transport.aclose()

    assert transport._session is None
    assert not transport.unclosed


# -- aiohttp's own retry is off ----------------------------------------------------------


class Resetter:
    """A raw asyncio server that reads each request whole, then resets the connection
    (RST, no answer): the request arrived, its outcome is unknown to the client."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []
        self.server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            self.requests.append(
                head.split(b"\r\n", 1)[0] + b" " + await reader.readexactly(length)
            )
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def __aexit__(self, *exc_info: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def test_a_reset_rewrite_reaches_the_server_once_and_its_outcome_is_unknown():
    resetter = Resetter()
    async with (
        resetter as url,
        AgoraChatClient(host=url, org_name="org", app_name="app", token="t", retry=FAST) as client,
    ):
        with pytest.raises(APIConnectionError) as info:
            await client.messages.rewrite("1001", new_msg={"type": "txt", "msg": "new"})

    assert resetter.requests == [
        b'PUT /org/app/messages/rewrite/1001 HTTP/1.1 {"new_msg":{"type":"txt","msg":"new"}}'
    ]
    assert type(info.value) is APIConnectionError
    assert info.value.sent is True  # it may have been applied: the caller cannot know
    assert info.value.endpoint == "messages.rewrite"


@pytest.mark.parametrize(("max_retries", "requests"), [(0, 1), (3, 4)])
@pytest.mark.parametrize("own_session", [False, True])
async def test_max_retries_counts_every_request_sent(max_retries, requests, own_session):
    resetter = Resetter()
    async with resetter as url, aiohttp.ClientSession() as session:
        async with AgoraChatClient(
            host=url,
            org_name="org",
            app_name="app",
            token="t",
            retry=RetryPolicy(max_retries=max_retries, backoff_base=0.001, backoff_max=0.001),
            session=session if own_session else None,
        ) as client:
            with pytest.raises(APIConnectionError):
                await client.users.delete("alice")
            assert resetter.requests == [b"DELETE /org/app/users/alice HTTP/1.1 "] * requests


# -- waiting for a connection ------------------------------------------------------------


class HeldPool:
    """A server whose ``GET`` waits for ``release`` (holding a client's only connection)
    while message sends are answered at once; it records what arrived."""

    def __init__(self, release: asyncio.Event) -> None:
        self.release = release
        self.arrived: list[str] = []
        self.holding = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.arrived.append(f"{request.method} {request.path}")
        if request.method == "GET":
            self.holding.set()
            await self.release.wait()
            return web.json_response({"entities": [{"username": "alice"}]})
        return web.json_response({"data": {"bob": "1001"}})


class OnRecord(logging.Handler):
    """Sets ``event`` when a log record containing ``text`` is emitted."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text, self.event = text, asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.event.set()


@contextmanager
def on_log(text: str) -> Iterator[asyncio.Event]:
    """An event set once the client logs a record containing ``text``."""
    logger = logging.getLogger("agora_chat_async")
    handler, level = OnRecord(text), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.event
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


SEND = {"from_": "a", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}}


async def test_a_pool_timeout_is_retried_even_for_a_message_send(release, caplog):
    caplog.set_level("DEBUG", logger="agora_chat_async")
    pool = HeldPool(release)
    async with (
        serve(pool.handle) as server,
        AgoraChatClient(
            host=base(server), org_name="org", app_name="app", token="t", limit=1, retry=FAST
        ) as client,
    ):
        holder = asyncio.create_task(client.users.get("alice"))
        async with asyncio.timeout(5):
            await pool.holding.wait()
        with pytest.raises(PoolTimeoutError) as info:
            await client.messages.send("users", **SEND, timeout=Timeout(pool=0.02))
        release.set()
        await holder

    assert info.value.sent is False
    assert info.value.endpoint == "messages.send"
    assert pool.arrived == ["GET /org/app/users/alice"]  # no send ever reached it
    retries = [
        r.getMessage().split(" in ")[0] for r in caplog.records if r.name == "agora_chat_async"
    ]
    assert retries == [
        "messages.send: PoolTimeoutError, retry 1/2",
        "messages.send: PoolTimeoutError, retry 2/2",
    ]


async def test_a_send_that_timed_out_in_the_queue_goes_once_a_connection_is_free(release):
    pool = HeldPool(release)
    with on_log("PoolTimeoutError, retry 1/2") as first_retry:
        await _send_after_the_first_pool_timeout(pool, first_retry)

    assert pool.arrived == ["GET /org/app/users/alice", "POST /org/app/messages/users"]


async def _send_after_the_first_pool_timeout(pool: HeldPool, first_retry: asyncio.Event) -> None:
    async with (
        serve(pool.handle) as server,
        AgoraChatClient(
            host=base(server), org_name="org", app_name="app", token="t", limit=1, retry=FAST
        ) as client,
    ):
        holder = asyncio.create_task(client.users.get("alice"))
        async with asyncio.timeout(5):
            await pool.holding.wait()
        send = asyncio.create_task(client.messages.send("users", **SEND, timeout=Timeout(pool=0.2)))
        async with asyncio.timeout(5):
            await first_retry.wait()
        pool.release.set()  # the retry finds the connection free
        assert await send == {"bob": "1001"}
        await holder


# -- TLS ---------------------------------------------------------------------------------


@pytest.fixture
def self_signed(tmp_path: Any) -> ssl.SSLContext:
    """A server TLS context with a self-signed certificate for 127.0.0.1."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def test_tls_certificates_are_verified_by_default(self_signed):
    recorder = Recorder()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", recorder.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self_signed)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with AgoraChatClient(
            host=f"https://127.0.0.1:{port}", org_name="org", app_name="app", token="t", retry=FAST
        ) as client:
            with pytest.raises(APIConnectionError) as info:
                await client.users.get("alice")
    finally:
        await runner.cleanup()

    assert info.value.sent is False
    assert isinstance(info.value.__cause__, aiohttp.ClientConnectorCertificateError)
    assert "certificate verify failed" in str(info.value)
    assert recorder.peers == []  # not one request went to the unverified server


@pytest.mark.parametrize(
    ("limits", "width"),
    [
        ({}, 100),  # aiohttp's default limit
        ({"limit": 7, "limit_per_host": 3}, 3),
        ({"limit": 2, "limit_per_host": 5}, 2),
        ({"limit": 0, "limit_per_host": 4}, 4),
        ({"limit": 0}, None),  # no limit, no queue
    ],
)
@pytest.mark.parametrize("own_session", [False, True])
async def test_the_gate_is_as_wide_as_the_connector_allows(limits, width, own_session):
    recorder = Recorder()
    async with serve(recorder.handle) as server:
        if own_session:
            connector = aiohttp.TCPConnector(**limits)
            async with aiohttp.ClientSession(connector=connector) as session:
                transport = AiohttpTransport(session=session)
                await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout())
                gate = transport.gate
                await transport.aclose()
        else:
            transport = AiohttpTransport(**limits)
            await transport.send("GET", str(server.make_url("/x")), {}, None, Timeout())
            gate = transport.gate
            await transport.aclose()

    assert (None if gate is None else gate._value) == width
