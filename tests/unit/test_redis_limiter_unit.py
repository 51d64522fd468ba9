"""RedisRateLimiter without a server: arguments, the script's inputs (the rate arithmetic
shared with TokenBucketLimiter), URL redaction, the failure modes and a missing redis
package. Against a real Redis: tests/integration/test_redis_limiter.py."""

from __future__ import annotations

import asyncio
import logging
import math
import sys

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from agora_chat_async import RateLimiterUnavailableError, RedisRateLimiter
from agora_chat_async._ratelimit import TokenBucketLimiter
from agora_chat_async._redis_limiter import redact_url


class FakeRedis:
    """Just enough of redis.asyncio.Redis: scripts that answer, or fail, as told."""

    def __init__(self, answers: list[object]) -> None:
        self.answers = answers
        self.calls: list[tuple[list[str], list[int]]] = []
        self.connection_pool = type("Pool", (), {"connection_kwargs": {"host": "h", "port": 1}})

    def register_script(self, script: str):
        async def run(keys: list[str], args: list[int]) -> object:
            self.calls.append((keys, args))
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

        return run


async def test_the_script_gets_the_same_rate_as_the_in_process_buckets() -> None:
    fake = FakeRedis([[0, 1], [0, 2], [0, 3]])
    limiter = RedisRateLimiter(fake, app_key="org#app", overrides={"users.get": 10})  # type: ignore[arg-type]
    reference = TokenBucketLimiter(overrides={"GET /users/{username}": 10})

    await limiter.acquire("users.register", 100.0)
    await limiter.acquire("GET /users/{username}", 100.0)  # overridden by endpoint name
    await limiter.acquire("POST /users/batch/status", 50.0)
    for (keys, (interval, tolerance)), (family, rate) in zip(
        fake.calls,
        [
            ("users.register", 100.0),
            ("GET /users/{username}", 100.0),
            ("POST /users/batch/status", 50.0),
        ],
        strict=True,
    ):
        used = reference.rate_for(family, rate)
        assert keys == [f"agora_chat_async:rate:{{org#app}}:{family}"]
        assert interval == math.ceil(1e6 / used)  # 97/s -> 10,310 µs: never above the rate
        assert tolerance == int((reference.capacity(used) - 1) * interval)
    assert fake.calls[0][1] == [10310, 39693]  # 97/s, 4.85 calls of burst
    assert fake.calls[1][1] == [103093, 0]  # 9.7/s: a burst of one call


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"app_key": "orgapp"}, "app_key must be 'org_name#app_name', got 'orgapp'"),
        ({"app_key": "org#app", "on_unavailable": "ignore"}, "on_unavailable must be"),
        ({"app_key": "org#app", "processes": 0}, "processes must be a whole number"),
        ({"app_key": "org#app", "recheck_interval": 0}, "recheck_interval must be positive"),
        ({"app_key": "org#app", "headroom": 1.5}, "headroom must be in"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RedisRateLimiter(FakeRedis([]), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:pw@host:6379/0", "redis://host:6379/0"),
        ("rediss://user:pw@host/2?password=pw2", "rediss://host/2"),
        ("redis://host", "redis://host"),
        ("unix:///run/redis.sock?password=pw", "unix:///run/redis.sock"),
        ("user:pw@localhost:6379", "localhost:6379"),  # no scheme: still no password
    ],
)
def test_urls_are_shown_without_credentials(url: str, shown: str) -> None:
    assert redact_url(url) == shown


async def test_fail_mode_raises_before_anything_is_sent() -> None:
    limiter = RedisRateLimiter(FakeRedis([RedisConnectionError("refused")]), app_key="o#a")  # type: ignore[arg-type]
    with pytest.raises(RateLimiterUnavailableError) as caught:
        await limiter.acquire("users.register", 100.0)
    assert str(caught.value) == (
        "not sent: the rate limiter's Redis at redis://h:1/0 is unavailable "
        "(ConnectionError: refused)"
    )
    assert isinstance(caught.value.__cause__, RedisConnectionError)


async def test_local_mode_probes_redis_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeRedis([RedisConnectionError("refused"), [0, 1]])
    limiter = RedisRateLimiter(
        fake,  # type: ignore[arg-type]
        app_key="o#a",
        on_unavailable="local",
        recheck_interval=0.05,
    )
    with caplog.at_level(logging.WARNING, logger="agora_chat_async"):
        for _ in range(3):  # the first finds Redis gone; the next two pace locally
            await limiter.acquire("users.register", 100.0)
        assert len(fake.calls) == 1
        await asyncio.sleep(0.06)
        await limiter.acquire("users.register", 100.0)  # one probe: Redis answers again
    assert len(fake.calls) == 2
    assert [r.getMessage().split(";")[0] for r in caplog.records] == [
        "rate limiter: Redis at redis://h:1/0 is unavailable (ConnectionError: refused)",
        "rate limiter: Redis at redis://h:1/0 is back",
    ]


def test_from_url_without_the_redis_package(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "redis" or m.startswith("redis.")]:
        monkeypatch.setitem(sys.modules, name, None)  # type: ignore[arg-type]
    with pytest.raises(ImportError, match=r"pip install 'agora-chat-async\[redis\]'"):
        RedisRateLimiter.from_url("redis://localhost", app_key="org#app")
