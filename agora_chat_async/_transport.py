"""The HTTP layer: the only module of the client that imports aiohttp.

It owns one pooled keep-alive ``ClientSession`` per client, created lazily on the running
loop, sends bytes and returns bytes, and turns aiohttp's exceptions into ours. It knows
nothing about Agora: no auth, no retries, no JSON.

Requests queue for a connection at a gate of our own, sized to the connector's limit,
before aiohttp sees them: aiohttp starts a request's timeout when the request is made,
so a burst larger than the pool would time out in its queue. Past the gate a connection
is free, the request's own timeout starts, and ``Timeout.pool`` bounds the wait.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from threading import get_ident
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
from yarl import URL

from ._errors import APIConnectionError, APITimeoutError, PoolTimeoutError

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Mapping

__all__ = ["AiohttpTransport", "FileUpload", "RawResponse", "Timeout", "Transport"]


@dataclass(frozen=True, slots=True)
class Timeout:
    """Request time limits in seconds; ``None`` means no limit.

    Args:
        total: The request once a pooled connection is free for it: connecting if
            needed, sending, waiting for and reading the answer.
        connect: Opening a new connection (TCP and TLS handshakes) when no idle
            pooled one can be reused.
        pool: Waiting for a free connection while all ``limit`` of them are busy;
            ``None`` (the default): as long as it takes, so a burst larger than the
            pool queues instead of failing. Past it: :class:`PoolTimeoutError`, with
            nothing sent.
    """

    total: float | None = 30.0
    connect: float | None = 10.0
    pool: float | None = None


DEFAULT_TIMEOUT = Timeout()


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 0.49 µs instead of 0.14
class RawResponse:
    """Status, headers (case-insensitive mapping) and body bytes of a response."""

    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class FileUpload:
    """A file to send as ``multipart/form-data`` (one field); the transport encodes it,
    boundary and ``Content-Type`` header included, on every attempt."""

    field: str
    filename: str
    content_type: str
    data: bytes


class Transport(Protocol):
    """What the client needs from an HTTP layer; implement it to plug in another one."""

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | FileUpload | None,
        timeout: Timeout,
        *,
        endpoint: str | None = None,
    ) -> RawResponse: ...

    async def aclose(self) -> None: ...


class AiohttpTransport:
    """Sends requests over one pooled keep-alive aiohttp session.

    Args:
        limit: Most connections open at once (aiohttp ``TCPConnector(limit=)``);
            0: no limit.
        limit_per_host: Most connections per host; 0 means no separate limit.
        keepalive_timeout: Seconds an idle connection stays in the pool.
        session: A session of the caller's to use instead; it is then never closed
            here. Requests queue for the smaller of its connector's ``limit`` and
            ``limit_per_host``; requests it sends itself, beside ours, may still make
            ours wait inside aiohttp, where that wait counts against ``total``.

    aiohttp's own silent retry of GET/PUT/DELETE after a dropped connection is turned
    off on either session: the client's retry rules alone decide what is repeated.
    """

    def __init__(
        self,
        *,
        limit: int = 100,
        limit_per_host: int = 0,
        keepalive_timeout: float = 30.0,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._limit = limit
        self._limit_per_host = limit_per_host
        self._keepalive_timeout = keepalive_timeout
        self._session = session
        self._owns_session = session is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closer: AsyncGenerator[None, None] | None = None
        self._opened = False
        self._closed = False
        self._timeouts: dict[Timeout, aiohttp.ClientTimeout] = {}
        # The previous request's Timeout and its aiohttp twin: nearly every request uses
        # the client default, and hashing the dataclass is a Python-level call.
        self._last_timeout: Timeout | None = None
        self._last_client_timeout: aiohttp.ClientTimeout | None = None
        self._thread = 0  # the thread that last sent through self._loop
        # Requests wait here for a connection; None when the connector has no limit.
        self._gate: asyncio.Semaphore | None = None

    @property
    def is_open(self) -> bool:
        """True while we hold a session of our own that still has to be closed."""
        return self._owns_session and self._session is not None and not self._session.closed

    @property
    def unclosed(self) -> bool:
        """True if we opened a pool of our own and :meth:`aclose` was never called,
        even if the pool has since been closed with its event loop."""
        return self._opened and not self._closed

    async def _open(self) -> aiohttp.ClientSession:
        """The session to send through on the running loop, created on first use."""
        if self._closed:
            raise RuntimeError("this AgoraChatClient is closed; create a new one")
        loop = asyncio.get_running_loop()
        session = self._session
        if not self._owns_session:
            assert session is not None
            # Checked here because aiohttp fails later with "attached to a different loop".
            if getattr(session, "_loop", loop) is not loop:
                raise RuntimeError(
                    "the aiohttp session given as session= belongs to another event loop"
                )
            if self._loop is not loop:
                self._gate = _gate_for(session)
                _no_silent_retry(session)
            self._loop = loop
            return session
        if session is not None:
            assert self._loop is not None
            if self._loop is loop:
                return session
            if not self._loop.is_closed():
                raise RuntimeError(
                    "this AgoraChatClient is in use on another running event loop; "
                    "create one client per event loop"
                )
            # The loop closed without shutting down async generators (so _close_at_loop_end
            # did not run): its sockets cannot be closed any more; just forget them.
            self.abandon()
        connector = aiohttp.TCPConnector(
            limit=self._limit,
            limit_per_host=self._limit_per_host,
            keepalive_timeout=self._keepalive_timeout,
        )
        session = aiohttp.ClientSession(connector=connector, auto_decompress=True)
        _no_silent_retry(session)
        self._session, self._loop, self._opened = session, loop, True
        self._gate = _gate_for(session)
        # A pool belongs to its loop: close it when that loop shuts down (asyncio.run,
        # pytest-asyncio, a server reload), while the sockets can still be closed cleanly.
        # Loops close their open async generators on shutdown, so a suspended one is the
        # hook; the next use on another loop then simply starts a new pool.
        self._closer = self._close_at_loop_end(session)
        await self._closer.__anext__()
        return session

    async def _close_at_loop_end(
        self, session: aiohttp.ClientSession
    ) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            if self._session is session:
                self._session = self._closer = None
            await session.close()

    def _client_timeout(self, timeout: Timeout) -> aiohttp.ClientTimeout:
        cached = self._timeouts.get(timeout)
        if cached is None:
            cached = aiohttp.ClientTimeout(total=timeout.total, connect=timeout.connect)
            self._timeouts[timeout] = cached
        self._last_timeout, self._last_client_timeout = timeout, cached
        return cached

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | FileUpload | None,
        timeout: Timeout,
        *,
        endpoint: str | None = None,
    ) -> RawResponse:
        data: bytes | aiohttp.FormData | None
        if isinstance(body, FileUpload):
            # A stream, not bytes: aiohttp writes large bytes in one blocking piece.
            data = aiohttp.FormData()
            data.add_field(
                body.field,
                io.BytesIO(body.data),
                filename=body.filename,
                content_type=body.content_type,
            )
        else:
            data = body
        session, loop = self._session, self._loop
        # Our loop running, on the thread that last sent, is the running loop (a thread
        # runs one loop at a time). asyncio.get_running_loop() would say the same but
        # makes a getpid() system call per call on Python 3.11.
        if session is None or loop is None or not loop.is_running() or get_ident() != self._thread:
            session = await self._open()
            self._thread = get_ident()
        client_timeout = self._last_client_timeout
        if timeout is not self._last_timeout or client_timeout is None:
            client_timeout = self._client_timeout(timeout)
        gate = self._gate
        if gate is not None:
            if timeout.pool is None or not gate.locked():
                await gate.acquire()
            else:
                await _wait_for_slot(gate, timeout.pool, url, endpoint)
        try:
            # Awaited, not `async with`: the context manager costs four more coroutine
            # frames per request. read() takes the body; release() frees the connection.
            response = await session.request(
                method,
                URL(url, encoded=True),
                data=data,
                headers=headers,
                timeout=client_timeout,
                allow_redirects=False,
            )
            try:
                payload = await response.read()
            finally:
                response.release()
            return RawResponse(response.status, response.headers, payload)
        except aiohttp.ConnectionTimeoutError as exc:
            raise APITimeoutError(
                f"timed out connecting to {URL(url).host}",
                endpoint=endpoint,
                sent=False,
            ) from exc
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise APITimeoutError(
                f"request to {URL(url).host} timed out", endpoint=endpoint
            ) from exc
        except aiohttp.ClientConnectorError as exc:
            # Raised before the request was written: no byte reached the server. (On
            # aiohttp 3.11 a certificate error's os_error raises AttributeError.)
            reason = getattr(exc, "os_error", None) or exc
            raise APIConnectionError(
                f"cannot connect to {URL(url).host}: {reason}",
                endpoint=endpoint,
                sent=False,
            ) from exc
        except aiohttp.ClientError as exc:
            raise APIConnectionError(
                f"connection to {URL(url).host} failed: {type(exc).__name__}: {exc}",
                endpoint=endpoint,
            ) from exc
        finally:
            # The connection is back in the pool (or closed) by now: read() or aiohttp's
            # error path released it, so the next request in the queue finds it free.
            if gate is not None:
                gate.release()

    async def aclose(self) -> None:
        """Close the session if it is ours; a caller's session is left open.

        Sending afterwards raises ``RuntimeError``.
        """
        self._closed = True
        closer, self._closer = self._closer, None
        if closer is not None:
            await closer.aclose()  # closes our session (see _close_at_loop_end)
        if self._owns_session:
            self._session = None
        self._loop = None  # so that the next send goes through _open() and fails there

    def abandon(self) -> None:
        """Drop the pool without awaiting (for ``__del__``): close its sockets now."""
        if not self._owns_session:
            return
        session, self._session = self._session, None
        self._closer = None
        if session is not None:
            connector = session.connector
            session.detach()
            if connector is not None:
                # close() is a coroutine; its synchronous part closes the sockets (unless
                # the loop is already closed, when nothing can be done any more).
                connector._close()

    @property
    def gate(self) -> asyncio.Semaphore | None:
        """The queue for connections (for tests and debugging); ``None``: no limit."""
        return self._gate

    def describe(self) -> dict[str, Any]:
        """Pool settings, for reprs and debugging."""
        return {"limit": self._limit, "limit_per_host": self._limit_per_host}


def _gate_for(session: aiohttp.ClientSession) -> asyncio.Semaphore | None:
    """A gate as wide as the session's connector lets connections be open at once."""
    connector = session.connector
    if connector is None:
        return None
    limits = [n for n in (connector.limit, connector.limit_per_host) if n > 0]
    return asyncio.Semaphore(min(limits)) if limits else None


def _no_silent_retry(session: aiohttp.ClientSession) -> None:
    """Stop aiohttp from sending a GET/PUT/DELETE again when its connection drops.

    That repeat happens beneath our retry rules (a rewrite applied twice, two deletes
    with ``max_retries=0``). aiohttp's test client turns it off the same way; the
    attribute exists from aiohttp 3.11 on, our floor.
    """
    session._retry_connection = False


async def _wait_for_slot(
    gate: asyncio.Semaphore, pool: float, url: str, endpoint: str | None
) -> None:
    try:
        async with asyncio.timeout(pool):
            await gate.acquire()
    except TimeoutError:
        raise PoolTimeoutError(
            f"no connection to {URL(url).host} came free within {pool:g}s",
            endpoint=endpoint,
        ) from None
