"""``RedisRateLimiter``: one pace shared by every process of an app, kept in Redis.

Agora counts calls per app key and endpoint family, whichever process sends them, so N
worker processes that each pace themselves draw N times the limit in 429s. This limiter
keeps each family's schedule in Redis instead, with the same arithmetic as the
in-process :class:`TokenBucketLimiter` (headroom, burst, overrides).

Algorithm: GCRA, as one atomic Lua script per call. The key
``agora_chat_async:rate:{org#app}:<family>`` holds the family's next free slot (its
"theoretical arrival time", in the Redis server's microseconds: ``TIME`` inside the
script, so the processes' own clocks never matter). The script moves it on by one
emission interval (1/rate) and answers how long the caller must wait; calls within the
burst tolerance wait nothing. The key expires when its last reserved slot is due, so an
idle or crashed job leaves nothing behind.

Reservations: each call reserves its slot at once and sleeps until it, so waiters leave
in arrival order without polling Redis. A waiter cancelled while it sleeps gives its
slot back if no later caller has reserved after it; otherwise the slot passes unused,
which delays the callers queued behind it by at most one interval (1/rate seconds) per
cancelled waiter, never more.

When Redis cannot be reached or fails (``on_unavailable``): ``"fail"`` raises
:class:`RateLimiterUnavailableError` before the request is sent; ``"local"`` logs one
warning, paces this process alone at ``1/processes`` of each limit with a
:class:`TokenBucketLimiter`, tries Redis again every ``recheck_interval`` seconds and
shares the pace again as soon as it answers.

``redis`` (redis-py, the ``redis`` extra) is imported only when a limiter is made.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from typing import TYPE_CHECKING, Any, Literal

import anyio

from ._errors import RateLimiterUnavailableError
from ._ratelimit import TokenBucketLimiter
from ._spec import BY_NAME

if TYPE_CHECKING:
    from collections.abc import Mapping

    from redis.asyncio import Redis

__all__ = ["RedisRateLimiter"]

log = logging.getLogger("agora_chat_async")

DEFAULT_PREFIX = "agora_chat_async:rate"

# KEYS[1]: the family's key. ARGV: emission interval, burst tolerance (µs).
# Returns {µs to wait, the slot reserved}; the slot identifies the reservation.
_RESERVE = """
if redis.replicate_commands then redis.replicate_commands() end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or 0), now)
local reserved = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', reserved),
           'PX', math.ceil((reserved - now) / 1000))
return {math.max(slot - tonumber(ARGV[2]) - now, 0), reserved}
"""

# KEYS[1]: the family's key. ARGV: the slot reserved, emission interval (µs).
# Gives the slot back only while no later caller has reserved after it.
_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.replicate_commands then redis.replicate_commands() end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local slot = tonumber(ARGV[1]) - tonumber(ARGV[2])
if slot <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.0f', slot), 'PX', math.ceil((slot - now) / 1000))
end
return 1
"""

_APP_KEY = re.compile(r"[^#\s]+#[^#\s]+").fullmatch

_MISSING_REDIS = "RedisRateLimiter needs the redis package: pip install 'agora-chat-async[redis]'"


def redact_url(url: str) -> str:
    """``url`` without credentials or query (which may hold a password too)."""
    scheme, sep, rest = url.partition("://")
    shown = (rest if sep else url).partition("?")[0].rpartition("@")[2]
    return f"{scheme}://{shown}" if sep else shown


def _describe(client: Redis) -> str:
    """A credential-free URL for a client made without one."""
    kwargs = client.connection_pool.connection_kwargs
    if kwargs.get("path"):
        return f"unix://{kwargs['path']}"
    host, port, db = kwargs.get("host", "localhost"), kwargs.get("port", 6379), kwargs.get("db", 0)
    return f"redis://{host}:{port}/{db}"


class RedisRateLimiter:
    """Paces calls under Agora's rate limits across every process sharing one Redis.

    Pass it to each client of every process (``AgoraChatClient(..., rate_limiter=...)``);
    it replaces the client's in-process pacing. Use it as an async context manager or
    call :meth:`aclose` (which closes the Redis client only if :meth:`from_url` made it).

    Args:
        redis: A ``redis.asyncio.Redis`` client.
        app_key: The app key the limits belong to, ``"org_name#app_name"``.
        headroom: Fraction of each documented rate to use, as for
            :class:`TokenBucketLimiter`.
        burst: Seconds' worth of calls that may go at once after an idle period.
        overrides: Rates (calls/s) by endpoint name or family key.
        on_unavailable: ``"fail"``: raise :class:`RateLimiterUnavailableError`, nothing
            sent; ``"local"``: warn once and pace this process alone until Redis is back.
        processes: How many processes share the limits; with ``"local"`` each paces at
            this fraction of the rate, so together they stay under the limit.
        recheck_interval: Seconds between attempts to reach Redis again (``"local"``).
        prefix: Prefix of the Redis keys.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        app_key: str,
        headroom: float = 0.97,
        burst: float = 0.05,
        overrides: Mapping[str, float] | None = None,
        on_unavailable: Literal["fail", "local"] = "fail",
        processes: int = 1,
        recheck_interval: float = 1.0,
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        from redis.exceptions import RedisError

        if not isinstance(app_key, str) or not _APP_KEY(app_key):
            raise ValueError(f"app_key must be 'org_name#app_name', got {app_key!r}")
        if on_unavailable not in ("fail", "local"):
            raise ValueError(f"on_unavailable must be 'fail' or 'local', got {on_unavailable!r}")
        if not isinstance(processes, int) or processes < 1:
            raise ValueError(f"processes must be a whole number of 1 or more, got {processes!r}")
        if not recheck_interval > 0:
            raise ValueError(f"recheck_interval must be positive, got {recheck_interval!r}")
        # Endpoints sharing a documented limit share a key: accept either name.
        keys = {
            (BY_NAME[k].limit_key if k in BY_NAME else k): v for k, v in (overrides or {}).items()
        }
        self._rates = TokenBucketLimiter(headroom=headroom, burst=burst, overrides=keys)
        self._local = TokenBucketLimiter(headroom=headroom / processes, burst=burst, overrides=keys)
        self._redis = redis
        self._reserve = redis.register_script(_RESERVE)
        self._release_script = redis.register_script(_RELEASE)
        self._failures: tuple[type[BaseException], ...] = (RedisError, OSError)
        self._owns_redis = False
        self.app_key = app_key
        self.on_unavailable = on_unavailable
        self.processes = processes
        self.recheck_interval = recheck_interval
        self.prefix = prefix
        self.url = _describe(redis)
        self._down = False
        self._recheck_at = 0.0

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        app_key: str,
        on_unavailable: Literal["fail", "local"] = "fail",
        processes: int = 1,
        timeout: float = 2.0,
        headroom: float = 0.97,
        burst: float = 0.05,
        overrides: Mapping[str, float] | None = None,
        recheck_interval: float = 1.0,
        prefix: str = DEFAULT_PREFIX,
        **redis_options: Any,
    ) -> RedisRateLimiter:
        """A limiter with its own Redis client for ``url`` (``redis://``, ``rediss://``
        or ``unix://``), closed by :meth:`aclose`.

        Args:
            timeout: Seconds to connect to Redis and for each script call; a dead Redis
                costs at most about twice this per call (one reconnect is tried).
            **redis_options: More arguments for ``redis.asyncio.Redis.from_url``.

        Raises:
            ValueError: ``url`` is not a Redis URL (nothing is connected yet: an
                unreachable server shows at the first call).
            ImportError: The ``redis`` package is not installed.
        """
        try:
            import redis.asyncio
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff
        except ImportError:
            raise ImportError(_MISSING_REDIS) from None
        options: dict[str, Any] = {
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            # One quick retry replaces a pooled connection a restarted Redis dropped;
            # redis-py's default (10 with backoff) would stall every call of a dead one.
            "retry": Retry(NoBackoff(), 1),
            **redis_options,
        }
        try:
            client = redis.asyncio.Redis.from_url(url, **options)
        except ValueError as exc:
            raise ValueError(f"invalid Redis URL {redact_url(url)!r}: {exc}") from None
        limiter = cls(
            client,
            app_key=app_key,
            headroom=headroom,
            burst=burst,
            overrides=overrides,
            on_unavailable=on_unavailable,
            processes=processes,
            recheck_interval=recheck_interval,
            prefix=prefix,
        )
        limiter._owns_redis = True
        limiter.url = redact_url(url)
        return limiter

    def redis_key(self, family: str) -> str:
        """The Redis key holding ``family``'s schedule (hash tag: one cluster slot per app)."""
        return f"{self.prefix}:{{{self.app_key}}}:{family}"

    async def acquire(self, key: str, rate: float) -> None:
        used = self._rates.rate_for(key, rate)
        interval = math.ceil(1e6 / used)  # whole µs, rounded so the rate is never exceeded
        tolerance = int((self._rates.capacity(used) - 1.0) * interval)
        reservation = await self._reserve_slot(key, interval, tolerance)
        if reservation is None:
            await self._local.acquire(key, rate)
            return
        wait, slot = reservation
        if wait <= 0:
            return
        try:
            await asyncio.sleep(wait / 1e6)
        except BaseException:
            await self._give_back(key, slot, interval)
            raise

    async def _reserve_slot(
        self, key: str, interval: int, tolerance: int
    ) -> tuple[int, int] | None:
        """(µs to wait, slot) from Redis, or ``None`` to pace locally."""
        if self._down:
            now = time.monotonic()
            if now < self._recheck_at:
                return None
            self._recheck_at = now + self.recheck_interval  # one probe per interval
        try:
            wait, slot = await self._reserve(keys=[self.redis_key(key)], args=[interval, tolerance])
        except self._failures as exc:
            cause = f"{type(exc).__name__}: {exc}"
            if self.on_unavailable == "fail":
                raise RateLimiterUnavailableError(
                    f"not sent: the rate limiter's Redis at {self.url} is unavailable ({cause})",
                    url=self.url,
                    key=key,
                ) from exc
            if not self._down:
                self._down = True
                log.warning(
                    "rate limiter: Redis at %s is unavailable (%s); pacing this process "
                    "alone at 1/%d of each limit until it is back",
                    self.url,
                    cause,
                    self.processes,
                )
            self._recheck_at = time.monotonic() + self.recheck_interval
            return None
        if self._down:
            self._down = False
            log.warning("rate limiter: Redis at %s is back; pacing is shared again", self.url)
        return int(wait), int(slot)

    async def _give_back(self, key: str, slot: int, interval: int) -> None:
        """Return a cancelled waiter's slot if it is still the latest (bounded, shielded:
        the cancellation goes on right after)."""
        try:
            with anyio.move_on_after(1.0, shield=True):
                await self._release_script(keys=[self.redis_key(key)], args=[slot, interval])
        except self._failures as exc:
            log.debug("rate limiter: could not give a slot back: %s", exc)

    async def aclose(self) -> None:
        """Close the Redis client if :meth:`from_url` made it."""
        if self._owns_redis:
            await self._redis.aclose()

    async def __aenter__(self) -> RedisRateLimiter:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"RedisRateLimiter(url={self.url!r}, app_key={self.app_key!r}, "
            f"on_unavailable={self.on_unavailable!r})"
        )
