"""``Window``: how many calls a bulk job keeps in flight, decided with a fake clock.

Little's law on the pacer's rate and the job's fastest answer, a fixed number without
pacing, multiplicative back-off on overload that only successes undo, and starts spaced
at the rate.
"""

from __future__ import annotations

import itertools
from typing import Any

import anyio
import pytest

from agora_chat_async import AgoraChatClient
from agora_chat_async._bulk import DEFAULT_CONCURRENCY, MAX_IN_FLIGHT, Window, window_for
from agora_chat_async._spec import BY_NAME, HELPERS

RATE = 97.0  # 100/s documented, paced at 0.97


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def window(fake: FakeTime, cap: int = MAX_IN_FLIGHT, rate: float | None = RATE) -> Window:
    return Window(cap, rate, clock=fake.clock, sleep=fake.sleep)


def answer(fake: FakeTime, w: Window, latency: float, outcome: Any = "ok") -> None:
    """One call that starts now and ends ``latency`` later with ``outcome``."""
    started = fake.now
    w.in_flight += 1
    fake.now += latency
    w.release(started, outcome)


def test_without_pacing_the_window_is_fixed(fake):
    w = window(fake, cap=DEFAULT_CONCURRENCY, rate=None)
    assert w.limit == 8
    for outcome in ("ok", "overload", "answered"):
        answer(fake, w, 5.0, outcome)
    assert w.limit == 8


def test_before_the_first_answer_half_a_second_is_assumed(fake):
    assert window(fake).limit == 49  # ceil(97/s x 0.5 s)
    assert window(fake, rate=10.0).limit == DEFAULT_CONCURRENCY  # never fewer than 8


@pytest.mark.parametrize(
    ("latency", "expected"),
    [
        (0.001, 8),  # a fast server needs no more than 8
        (0.05, 8),  # 97 x 0.05 x 1.5 = 7.3
        (0.15, 22),  # 97 x 0.15 x 1.5 = 21.8
        (0.30, 44),  # 43.7
        (1.0, 146),  # 145.5
        (5.0, MAX_IN_FLIGHT),  # 727, bounded
    ],
)
def test_littles_law_on_the_rate_and_the_latency_with_headroom(fake, latency, expected):
    w = window(fake)
    answer(fake, w, latency)
    assert w.baseline == pytest.approx(latency)
    assert w.limit == expected


def test_an_explicit_concurrency_caps_it(fake):
    w = window(fake, cap=5)
    assert w.limit == 5
    answer(fake, w, 0.3)
    assert w.limit == 5


def test_it_sizes_from_the_fastest_answer_not_the_mean(fake):
    w = window(fake)
    answer(fake, w, 0.15)
    for _ in range(50):  # answers twice as slow, short of the overload threshold (0.4 s)
        answer(fake, w, 0.3)
    assert w.baseline == pytest.approx(0.15)
    assert w.limit == 22  # the mean (0.3 s) would give 44

    answer(fake, w, 0.1)  # a faster answer lowers the baseline
    assert w.limit == 15


def test_a_server_that_slows_down_gets_fewer_calls_in_flight(fake):
    w = window(fake)
    answer(fake, w, 0.15)
    limits = [w.limit]
    for _ in range(8):  # every answer now takes 1 s (> 2 x 0.15 + 0.1): queued or retried
        answer(fake, w, 1.0)
        limits.append(w.limit)
    assert limits == [22, 11, 5, 2, 1, 1, 1, 1, 1]
    assert w.baseline == pytest.approx(0.15)  # slow answers are no baseline


def test_overload_halves_it_once_for_the_calls_already_out(fake):
    w = window(fake)
    answer(fake, w, 0.15)
    assert w.limit == 22
    # 22 calls go out together; every one comes back 429 / 5xx / timed out.
    started = fake.now
    fake.now += 0.15
    for _ in range(22):
        w.in_flight += 1
        w.release(started, "overload")
    assert w.limit == 11  # one cut: they were all sized before it
    answer(fake, w, 0.15, "overload")  # a call sent after the cut: cut again
    assert w.limit == 5


def test_failing_calls_never_make_it_grow(fake):
    w = window(fake)
    answer(fake, w, 0.15)
    answer(fake, w, 0.15, "overload")
    limits = [w.limit]
    for i in range(40):
        answer(fake, w, 0.15 if i % 2 else 0.01, "answered" if i % 3 else "overload")
        limits.append(w.limit)
    assert limits[0] == 11
    assert all(b <= a for a, b in itertools.pairwise(limits)), limits


def test_successes_rebuild_it_one_call_each_up_to_littles_law(fake):
    w = window(fake)
    answer(fake, w, 0.15)
    answer(fake, w, 0.15, "overload")
    assert w.limit == 11
    limits = []
    for _ in range(15):
        answer(fake, w, 0.15)
        limits.append(w.limit)
    assert limits == [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 22, 22, 22, 22]


def test_other_answers_are_latency_samples_but_no_growth(fake):
    w = window(fake)
    answer(fake, w, 0.15)
    answer(fake, w, 0.15, "overload")
    answer(fake, w, 0.1, "answered")  # e.g. a 404: the server answered, quickly
    assert w.baseline == pytest.approx(0.1)
    assert w.limit == 11  # allowance unchanged by it


async def test_starts_are_spaced_at_the_rate_after_a_burst_of_50_ms(fake):
    w = window(fake)
    starts = []
    for _ in range(8):
        await w.acquire()
        starts.append(fake.now - 1000.0)
    # 0.05 s x 97/s: 4.85 calls may go at once (as the pacer's burst allows), then 1/97 s apart
    assert starts[:5] == [0.0] * 5
    gaps = [b - a for a, b in itertools.pairwise(starts[4:])]
    assert gaps[0] == pytest.approx(5 / RATE - 0.05)
    assert gaps[1:] == pytest.approx([1 / RATE] * 2)
    assert w.in_flight == 8


async def test_a_stall_is_made_up_only_within_the_burst(fake):
    w = window(fake)
    await w.acquire()
    fake.now += 1.0  # nothing started for a second (the window was full)
    for _ in range(5):
        await w.acquire()
    assert fake.sleeps == []  # 4.85 starts' worth go at once ...
    await w.acquire()
    assert fake.sleeps == [pytest.approx(5 / RATE - 0.05)]  # ... then the rate again


async def test_acquire_waits_for_room_in_the_window():
    w = Window(2)
    await w.acquire()
    await w.acquire()
    got_third = anyio.Event()

    async def third() -> None:
        await w.acquire()
        got_third.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(third)
        await anyio.sleep(0.01)
        assert not got_third.is_set()
        w.release(0.0, None)
        with anyio.fail_after(1):
            await got_third.wait()
    assert w.in_flight == 2


# -- window_for: the rate comes from the client's pacer ----------------------------------


def _client(**kwargs: Any) -> AgoraChatClient:
    return AgoraChatClient(host="api.test", org_name="o", app_name="a", token="t", **kwargs)


async def test_the_rate_is_the_pacers_for_the_endpoint_family():
    delete_each = next(e for e in HELPERS if e.name == "users.delete_each")
    async with _client() as client:
        w = window_for(client, delete_each, None)
        assert (w.rate, w.cap) == (pytest.approx(97.0), MAX_IN_FLIGHT)
        assert window_for(client, delete_each, 12).cap == 12
    # An override by endpoint name applies to the family's bucket, and to the window.
    async with _client(rate_limits={"users.delete": 20}) as client:
        assert window_for(client, delete_each, None).rate == pytest.approx(19.4)


async def test_without_pacing_eight_or_the_given_number():
    register = BY_NAME["users.register_many"]
    async with _client(rate_limits=False) as client:
        w = window_for(client, register, None)
        assert (w.rate, w.limit) == (None, DEFAULT_CONCURRENCY)
        assert window_for(client, register, 3).limit == 3


async def test_a_limiter_that_cannot_tell_its_rate_is_taken_at_the_documented_one():
    class Shared:  # e.g. a limiter in another store: only the protocol's acquire
        async def acquire(self, key: str, rate: float) -> None:
            return None

    async with _client(rate_limiter=Shared()) as client:
        assert window_for(client, BY_NAME["users.register_many"], None).rate == 100.0


@pytest.mark.parametrize("concurrency", [0, -1, True])
async def test_concurrency_must_be_a_positive_number_or_none(concurrency):
    async with _client() as client:
        with pytest.raises(ValueError, match="concurrency"):
            window_for(client, BY_NAME["users.register_many"], concurrency)
