"""Optional per-endpoint rate limits: one token bucket per documented limit.

Each bucket refills at the endpoint's documented rate (calls per second) and holds one
second's worth, so a burst of ``rate`` calls passes and the steady rate is ``rate``/s.
Endpoints that share a documented limit (``limit_key``) share a bucket. A refused
call costs nothing and is answered 429 ``reach_limit`` with a ``Retry-After`` of
decimal seconds with millisecond precision (``"0.125"``), not whole seconds, so
clients can wait exactly as long as needed. Refusals are spread out: the k-th caller
refused while others still wait is told when the k-th next token will be there, so a
burst of retries arrives one token apart instead of all at once.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping

from .._spec import ENDPOINTS

__all__ = ["TOKEN_RATE", "RateLimiter", "RateSpec", "format_retry_after", "resolve_rates"]

#: Documented rate of ``POST /{org}/{app}/token`` (A-price; E-limapi says 300/s).
TOKEN_RATE = 100.0

#: ``True``: documented rates; a mapping: rates by endpoint name or limit key
#: (calls/s), documented for the rest; ``False``: no limits.
RateSpec = bool | Mapping[str, float]


def resolve_rates(
    overrides: Mapping[str, float] | None = None, scale: float = 1.0
) -> dict[str, float]:
    """Calls per second per limit key (and ``"token"``): documented, overridden, scaled.

    Rows sharing a key with different rates get the lowest.
    """
    overrides = dict(overrides or {})
    known = {e.name for e in ENDPOINTS} | {e.limit_key for e in ENDPOINTS} | {"token"}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"no endpoint or limit key named {', '.join(unknown)}")
    for name, rate in overrides.items():
        if not rate > 0:
            raise ValueError(f"rate for {name!r} must be positive, got {rate!r}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    rates: dict[str, float] = {"token": overrides.get("token", TOKEN_RATE)}
    for endpoint in ENDPOINTS:
        rate = overrides.get(endpoint.name, overrides.get(endpoint.limit_key, endpoint.rate))
        key = endpoint.limit_key
        rates[key] = min(rates.get(key, math.inf), rate)
    return {key: rate * scale for key, rate in rates.items()}


class _Bucket:
    __slots__ = ("capacity", "promised", "rate", "tokens", "updated")

    #: Most refused callers remembered while they wait (bounds memory under floods).
    MAX_WAITING = 10_000

    def __init__(self, rate: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(rate, 1.0)  # one second's worth, and at least one call
        self.tokens = self.capacity
        self.updated = now
        self.promised: deque[float] = deque(maxlen=self.MAX_WAITING)
        """When each refused caller still waiting was told to come back."""

    def take(self, now: float) -> float:
        """0.0 if a call may pass now (and count it), else the seconds to wait."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        promised = self.promised
        while promised and promised[0] <= now:
            promised.popleft()
        wait = (len(promised) + 1.0 - self.tokens) / self.rate
        promised.append(now + wait)
        return wait


class RateLimiter:
    """Token buckets by limit key; disabled unless given rates.

    Args:
        rates: Calls per second by limit key (see :func:`resolve_rates`); ``None``
            switches limiting off.
        monotonic: Time source (seconds), for tests.
    """

    def __init__(
        self,
        rates: Mapping[str, float] | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._monotonic = monotonic
        self._buckets: dict[str, _Bucket] = {}
        self.rates: dict[str, float] | None = None
        self.configure(rates)

    @property
    def enabled(self) -> bool:
        return self.rates is not None

    def configure(self, rates: Mapping[str, float] | None) -> None:
        """Switch limiting on with these rates (fresh, full buckets), or off."""
        self.rates = dict(rates) if rates is not None else None
        self._buckets.clear()

    def reset(self) -> None:
        """Refill every bucket."""
        self._buckets.clear()

    def take(self, key: str) -> float:
        """0.0 if a call on ``key`` may pass now, else seconds until one may."""
        if self.rates is None:
            return 0.0
        rate = self.rates.get(key)
        if rate is None:
            return 0.0
        now = self._monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(rate, now)
        return bucket.take(now)


def format_retry_after(seconds: float) -> str:
    """``Retry-After`` value: seconds rounded up to the millisecond, at least 0.001."""
    return f"{max(math.ceil(seconds * 1000), 1) / 1000:.3f}"
