"""The HTTP layer: the only module of the client that imports aiohttp.

It owns one pooled keep-alive ``ClientSession`` per client, created lazily on the running
loop, sends bytes and returns bytes, and turns aiohttp's exceptions into ours. It knows
nothing about Agora: no auth, no retries, no JSON.
"""

from __future__ import annotations

import asyncio
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
from yarl import URL

from ._errors import APIConnectionError, APITimeoutError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["AiohttpTransport", "RawResponse", "Timeout", "Transport"]


@dataclass(frozen=True, slots=True)
class Timeout:
    """Request time limits in seconds; ``None`` means no limit.

    Args:
        total: The whole request, connection and body included.
        connect: Getting a connection from the pool, including a new TCP/TLS handshake.
    """

    total: float | None = 30.0
    connect: float | None = 10.0


DEFAULT_TIMEOUT = Timeout()


@dataclass(frozen=True, slots=True)
class RawResponse:
    """Status, headers (case-insensitive mapping) and body bytes of a response."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Transport(Protocol):
    """What the client needs from an HTTP layer; implement it to plug in another one."""

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        timeout: Timeout,
        *,
        endpoint: str | None = None,
    ) -> RawResponse: ...

    async def aclose(self) -> None: ...


class AiohttpTransport:
    """Sends requests over one pooled keep-alive aiohttp session.

    Args:
        limit: Most connections open at once (aiohttp ``TCPConnector(limit=)``).
        limit_per_host: Most connections per host; 0 means no separate limit.
        keepalive_timeout: Seconds an idle connection stays in the pool.
        session: A session of the caller's to use instead; it is then never closed here.
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
        self._timeouts: dict[Timeout, aiohttp.ClientTimeout] = {}

    @property
    def is_open(self) -> bool:
        """True while we hold a session of our own that still has to be closed."""
        return self._owns_session and self._session is not None and not self._session.closed

    def _get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._session
        if session is not None and not self._owns_session:
            return session
        if session is not None and not session.closed:
            if self._loop is loop:
                return session
            assert self._loop is not None
            if not self._loop.is_closed():
                raise RuntimeError(
                    "this AgoraChatClient is in use on another running event loop; "
                    "create one client per event loop"
                )
            # The loop that owned the pool is gone (a test's loop, a server reload):
            # its sockets died with it, so forget them and start a new pool here.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                session.connector.close()  # type: ignore[union-attr]
        connector = aiohttp.TCPConnector(
            limit=self._limit,
            limit_per_host=self._limit_per_host,
            keepalive_timeout=self._keepalive_timeout,
        )
        self._session = aiohttp.ClientSession(connector=connector, auto_decompress=True)
        self._loop = loop
        return self._session

    def _client_timeout(self, timeout: Timeout) -> aiohttp.ClientTimeout:
        cached = self._timeouts.get(timeout)
        if cached is None:
            cached = aiohttp.ClientTimeout(total=timeout.total, connect=timeout.connect)
            self._timeouts[timeout] = cached
        return cached

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        timeout: Timeout,
        *,
        endpoint: str | None = None,
    ) -> RawResponse:
        session = self._get_session()
        try:
            async with session.request(
                method,
                URL(url, encoded=True),
                data=body,
                headers=headers,
                timeout=self._client_timeout(timeout),
                allow_redirects=False,
            ) as response:
                payload = await response.read()
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
            # Raised before the request was written: no byte reached the server.
            raise APIConnectionError(
                f"cannot connect to {URL(url).host}: {exc.os_error}",
                endpoint=endpoint,
                sent=False,
            ) from exc
        except aiohttp.ClientError as exc:
            raise APIConnectionError(
                f"connection to {URL(url).host} failed: {type(exc).__name__}: {exc}",
                endpoint=endpoint,
            ) from exc

    async def aclose(self) -> None:
        """Close the session if it is ours; a caller's session is left open."""
        session, self._session = self._session, None
        if session is not None and self._owns_session and not session.closed:
            await session.close()

    def abandon(self) -> None:
        """Drop the pool without awaiting (for ``__del__``): close its sockets now."""
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            connector = session.connector
            session.detach()
            if connector is not None:
                # close() would schedule a task; the synchronous part is all we can do.
                connector._close()

    def describe(self) -> dict[str, Any]:
        """Pool settings, for reprs and debugging."""
        return {"limit": self._limit, "limit_per_host": self._limit_per_host}
