"""TokenBucketLimiter: pacing arithmetic with a fake clock, and fairness under contention."""

from __future__ import annotations

import asyncio

import pytest

from agora_chat_async._ratelimit import RateLimiter, TokenBucketLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def limiter(fake: FakeTime, **kwargs) -> TokenBucketLimiter:
    return TokenBucketLimiter(clock=fake.clock, sleep=fake.sleep, **kwargs)


async def test_burst_then_even_spacing_at_the_headroom_rate() -> None:
    fake = FakeTime()
    pace = limiter(fake, headroom=0.5, burst=0.02)  # 100/s -> 50/s, capacity max(1, 1)
    for _ in range(4):
        await pace.acquire("POST /users", 100)
    # The first call goes at once; each later one waits 1/50 s.
    assert fake.sleeps == [0.02, 0.02, 0.02]
    assert fake.now == pytest.approx(1000.06)


async def test_capacity_allows_a_burst_after_idle() -> None:
    fake = FakeTime()
    pace = limiter(fake, headroom=1.0, burst=0.05)  # 100/s -> 5 tokens
    for _ in range(5):
        await pace.acquire("k", 100)
    assert fake.sleeps == []
    await pace.acquire("k", 100)
    assert fake.sleeps == [0.01]
    fake.now += 10  # idle: refills to capacity, not beyond
    for _ in range(5):
        await pace.acquire("k", 100)
    assert fake.sleeps == [0.01]


async def test_families_are_paced_independently() -> None:
    fake = FakeTime()
    pace = limiter(fake, headroom=1.0, burst=0.0)
    await pace.acquire("a", 10)
    await pace.acquire("b", 10)
    assert fake.sleeps == []
    await pace.acquire("a", 10)
    assert fake.sleeps == [0.1]


async def test_overrides_replace_the_documented_rate() -> None:
    fake = FakeTime()
    pace = limiter(fake, headroom=1.0, burst=0.0, overrides={"k": 2})
    assert pace.rate_for("k", 100) == 2
    assert pace.rate_for("other", 100) == 100
    await pace.acquire("k", 100)
    await pace.acquire("k", 100)
    assert fake.sleeps == [0.5]


async def test_concurrent_waiters_leave_evenly_spaced_in_real_time() -> None:
    pace = TokenBucketLimiter(headroom=1.0, burst=0.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    times: list[float] = []

    async def call() -> None:
        await pace.acquire("k", 200)
        times.append(loop.time() - started)

    await asyncio.gather(*(call() for _ in range(21)))
    # 21 calls at 200/s: the first at once, the last after 20/200 = 0.1 s.
    assert times[-1] == pytest.approx(0.1, abs=0.03)
    assert sorted(times) == times


async def test_a_cancelled_waiter_returns_its_reservation() -> None:
    fake = FakeTime()
    cancel_next = True

    async def sleep(seconds: float) -> None:
        nonlocal cancel_next
        if cancel_next:
            cancel_next = False
            raise asyncio.CancelledError
        await fake.sleep(seconds)

    pace = TokenBucketLimiter(headroom=1.0, burst=0.0, clock=fake.clock, sleep=sleep)
    await pace.acquire("k", 10)
    with pytest.raises(asyncio.CancelledError):
        await pace.acquire("k", 10)
    await pace.acquire("k", 10)
    assert fake.sleeps == [0.1]  # one token's wait, not two


def test_arguments_are_checked_and_the_protocol_holds() -> None:
    with pytest.raises(ValueError, match="headroom"):
        TokenBucketLimiter(headroom=0)
    with pytest.raises(ValueError, match="burst"):
        TokenBucketLimiter(burst=-1)
    assert isinstance(TokenBucketLimiter(), RateLimiter)
