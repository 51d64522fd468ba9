"""Client-side pacing under Agora's documented per-endpoint rate limits.

Agora counts calls per app key and endpoint family and answers 429 above the limit. The
client keeps one token bucket per family (``Endpoint.limit_key``), shared by every
coroutine using the client, so a bulk job runs at the limit instead of bouncing off it.
The reactive 429/Retry-After handling in the client stays as the safety net.

The limiter sits behind a one-method protocol so that a shared store can pace many
processes against the same app (``RedisRateLimiter``, same rate arithmetic).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

__all__ = ["RateLimiter", "TokenBucketLimiter"]


@runtime_checkable
class RateLimiter(Protocol):
    """Paces calls: ``acquire`` returns when one more call of ``key`` may be sent."""

    async def acquire(self, key: str, rate: float) -> None:
        """Wait for a slot under ``rate`` calls per second for the family ``key``."""
        ...


class _Bucket:
    __slots__ = ("last", "tokens")

    def __init__(self, tokens: float, last: float) -> None:
        self.tokens = tokens
        self.last = last


class TokenBucketLimiter:
    """In-process token buckets, one per endpoint family.

    Each call reserves a token at once and sleeps off any deficit, so waiters leave in
    arrival order, evenly spaced, without polling.

    Args:
        headroom: Fraction of the documented rate to use. A little below 1 lets the
            server's own bucket refill, so network jitter that bunches requests
            together does not cost 429s.
        burst: Seconds' worth of calls that may go at once after an idle period.
        overrides: Rates (calls/s) by endpoint family key or endpoint name, e.g. for a
            plan with other limits: ``{"users.register": 20}``.
    """

    def __init__(
        self,
        *,
        headroom: float = 0.97,
        burst: float = 0.05,
        overrides: Mapping[str, float] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if not 0 < headroom <= 1:
            raise ValueError(f"headroom must be in (0, 1], got {headroom}")
        if burst < 0:
            raise ValueError(f"burst must be 0 or more seconds, got {burst}")
        self._headroom = headroom
        self._burst = burst
        self.overrides = dict(overrides or {})
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, _Bucket] = {}

    def rate_for(self, key: str, rate: float) -> float:
        """The rate actually used for ``key``: its override, else the documented one."""
        return self.overrides.get(key, rate) * self._headroom

    def capacity(self, rate: float) -> float:
        """Calls that may go at once after an idle period, at the used ``rate``."""
        return max(1.0, rate * self._burst)

    async def acquire(self, key: str, rate: float) -> None:
        rate = self.rate_for(key, rate)
        capacity = self.capacity(rate)
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(capacity, now)
        else:
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.last) * rate)
            bucket.last = now
        bucket.tokens -= 1.0
        if bucket.tokens >= 0:
            return
        try:
            await self._sleep(-bucket.tokens / rate)
        except BaseException:
            bucket.tokens += 1.0  # a cancelled waiter gives its reservation back
            raise
