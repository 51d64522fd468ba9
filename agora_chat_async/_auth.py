"""Where the client's bearer tokens come from, and when they are renewed.

A provider hands out a token, caches it and renews it well before it expires; however
many requests wait at that moment, one renewal runs. On a 401 the client calls
``invalidate`` and asks again once. Tokens never appear in reprs, logs or errors.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .tokens import MAX_EXPIRE, build_app_token

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = [
    "AppTokenProvider",
    "CallableTokenProvider",
    "CachedTokenProvider",
    "StaticToken",
    "TokenProvider",
]


@runtime_checkable
class TokenProvider(Protocol):
    """Anything that can hand the client a bearer token."""

    async def get_token(self) -> str:
        """A currently valid token."""
        ...

    def invalidate(self, token: str) -> None:
        """The server refused ``token`` (401): do not hand it out again."""
        ...


class StaticToken:
    """A fixed token, e.g. one minted elsewhere; it cannot be renewed."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("token must be a non-empty string")
        self._token = token

    async def get_token(self) -> str:
        return self._token

    def invalidate(self, token: str) -> None:
        """Nothing to renew: the next call fails with the same 401."""

    def __repr__(self) -> str:
        return "StaticToken(<hidden>)"


class CachedTokenProvider:
    """Caches a fetched token until ``renew_margin`` of its lifetime is left.

    Subclasses implement :meth:`fetch`, returning the token and its lifetime in seconds.
    """

    def __init__(self, *, renew_margin: float = 0.2) -> None:
        if not 0.0 <= renew_margin < 1.0:
            raise ValueError(f"renew_margin must be in [0, 1), got {renew_margin}")
        self._renew_margin = renew_margin
        self._token: str | None = None
        self._renew_at = 0.0
        self._renewal: asyncio.Task[str] | None = None
        self.renewals = 0
        """How many tokens this provider has fetched (for tests and metrics)."""

    async def fetch(self) -> tuple[str, float]:
        raise NotImplementedError

    async def get_token(self) -> str:
        token = self._token
        if token is not None and time.monotonic() < self._renew_at:
            return token
        # Every caller that arrives while a renewal runs waits for that same renewal and
        # shares its outcome: one fetch, and one error (not one failing fetch per waiter).
        loop = asyncio.get_running_loop()
        renewal = self._renewal
        if renewal is None or renewal.get_loop() is not loop:
            # (A renewal left on another, closed loop -- a test's, a reload's -- is dropped.)
            renewal = self._renewal = loop.create_task(self._renew())
        # shield: a cancelled caller must not cancel the renewal the others wait for.
        return await asyncio.shield(renewal)

    async def _renew(self) -> str:
        try:
            token, lifetime = await self.fetch()
        finally:
            if self._renewal is asyncio.current_task():
                self._renewal = None
        self.renewals += 1
        self._token = token
        self._renew_at = time.monotonic() + lifetime * (1.0 - self._renew_margin)
        return token

    def invalidate(self, token: str) -> None:
        if self._token == token:
            self._token = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<hidden>)"


class AppTokenProvider(CachedTokenProvider):
    """Builds AccessToken2 app tokens from the project's App ID and App Certificate.

    Args:
        app_id: The Agora project's App ID (32 hex characters).
        app_certificate: Its App Certificate (32 hex characters).
        ttl: Lifetime of each token in seconds (at most 24 h).
        renew_margin: Fraction of the lifetime left when a new token is built.
    """

    def __init__(
        self,
        app_id: str,
        app_certificate: str,
        *,
        ttl: int = 3600,
        renew_margin: float = 0.2,
    ) -> None:
        super().__init__(renew_margin=renew_margin)
        if not 60 <= ttl <= MAX_EXPIRE:
            raise ValueError(f"ttl must be 60 to {MAX_EXPIRE} seconds, got {ttl}")
        build_app_token(app_id, app_certificate, ttl)  # fail now on a malformed id/cert
        self.app_id = app_id
        self._certificate = app_certificate
        self._ttl = ttl

    async def fetch(self) -> tuple[str, float]:
        return build_app_token(self.app_id, self._certificate, self._ttl), float(self._ttl)

    def __repr__(self) -> str:
        return f"AppTokenProvider(app_id={self.app_id!r}, ttl={self._ttl})"


class CallableTokenProvider(CachedTokenProvider):
    """Wraps ``async () -> (token, lifetime_seconds)``, e.g. the ``/token`` exchange."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[tuple[str, float]]],
        *,
        renew_margin: float = 0.2,
    ) -> None:
        super().__init__(renew_margin=renew_margin)
        self._fetch = fetch

    async def fetch(self) -> tuple[str, float]:
        return await self._fetch()
