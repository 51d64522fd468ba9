"""RedisRateLimiter against a real Redis server: GCRA pacing shared by coroutines, clients
and processes, keys per app and family, the server's clock, cancelled waiters, Redis
going away (fail closed / local fallback), wrong URLs, bulk jobs and the CLI's --redis."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import redis.asyncio

from agora_chat_async import RateLimiterUnavailableError, RedisRateLimiter
from agora_chat_async.emulator import EmulatorServer
from benchmarks._redis import RedisServer
from tests.integration.test_cli import ThreadedEmulator, run

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

ROOT = Path(__file__).resolve().parents[2]
FAMILY = "users.register"


@pytest.fixture
async def store(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    """A plain client to look at what the limiter stored."""
    client = redis.asyncio.Redis.from_url(redis_url)
    yield client
    await client.aclose()


def paced(url: str, app_key: str, rate: float, burst: float = 0.05, **kw) -> RedisRateLimiter:
    """A limiter at exactly ``rate`` calls/s for FAMILY (no headroom)."""
    return RedisRateLimiter.from_url(
        url, app_key=app_key, headroom=1.0, burst=burst, overrides={FAMILY: rate}, **kw
    )


def assert_never_above(times: list[float], rate: float, burst_calls: int, jitter: float) -> None:
    """No window [t_i, t_j] holds more calls than the rate allows plus the burst; ``jitter``
    is how late a woken waiter may run on a loaded machine (it can bunch calls)."""
    times = sorted(times)
    worst = max(
        (j - i + 1) - rate * (times[j] - times[i])
        for i in range(len(times))
        for j in range(i, len(times))
    )
    assert worst <= burst_calls + rate * jitter, worst


# -- pacing and atomicity ------------------------------------------------------------------


async def warm_up(limiter: RedisRateLimiter, connections: int) -> None:
    """Open the connections first: connecting is not what these tests time."""
    await asyncio.gather(*(limiter.acquire("warm-up", 1e6) for _ in range(connections)))


async def test_coroutines_of_three_clients_share_one_pace(redis_url: str, app_key: str) -> None:
    # Three limiters with their own connection pools stand for three processes; all 150
    # calls ask for a slot at the same moment, so a read-modify-write race would show.
    limiters = [paced(redis_url, app_key, rate=100) for _ in range(3)]
    for limiter in limiters:
        await warm_up(limiter, 50)
    times: list[float] = []

    async def call(limiter: RedisRateLimiter) -> None:
        await limiter.acquire(FAMILY, 1.0)  # the override (100/s) wins over the rate given
        times.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(*(call(limiter) for limiter in limiters for _ in range(50)))
    for limiter in limiters:
        await limiter.aclose()

    assert len(times) == 150
    # 5 go at once (burst 0.05 s at 100/s), the other 145 one interval (10 ms) apart.
    assert max(times) - started >= 1.45 - 0.01
    assert_never_above(times, rate=100, burst_calls=5, jitter=0.02)


_WORKER = """
import asyncio, json, sys, time
from agora_chat_async import RedisRateLimiter

async def main(url, app_key):
    async with RedisRateLimiter.from_url(
        url, app_key=app_key, headroom=1.0, burst=0.05, overrides={"users.register": 100}
    ) as limiter:
        await asyncio.gather(*(limiter.acquire("warm-up", 1e6) for _ in range(50)))
        print("ready", flush=True)
        start = float(sys.stdin.readline())  # the same moment for every process
        await asyncio.sleep(start - time.time())
        times = []

        async def call():
            await limiter.acquire("users.register", 100.0)
            times.append(time.time())

        await asyncio.gather(*(call() for _ in range(50)))
    print(json.dumps(times))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_processes_acquiring_at_once_never_exceed_the_rate(redis_url: str, app_key: str) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, redis_url, app_key],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline() == "ready\n"
    start = time.time() + 0.05
    times: list[float] = []
    for worker in workers:
        out, _ = worker.communicate(f"{start}\n", timeout=30)
        assert worker.returncode == 0
        times += json.loads(out)
    assert len(times) == 150
    assert max(times) - min(times) >= 1.45 - 0.03
    assert_never_above(times, rate=100, burst_calls=5, jitter=0.03)


async def test_keys_per_app_and_family_with_a_ttl(
    redis_url: str, app_key: str, store: redis.asyncio.Redis
) -> None:
    other_app = app_key + "x"
    keys = [
        f"agora_chat_async:rate:{{{app_key}}}:users.register",
        f"agora_chat_async:rate:{{{app_key}}}:GET /users",
        f"agora_chat_async:rate:{{{other_app}}}:users.register",
    ]
    async with (
        paced(redis_url, app_key, rate=2, burst=0) as one,
        paced(redis_url, other_app, rate=2, burst=0) as two,
    ):
        assert one.redis_key(FAMILY) == keys[0]
        started = time.monotonic()
        await one.acquire(FAMILY, 100.0)
        await one.acquire("GET /users", 2.0)  # another family: its own schedule
        await two.acquire(FAMILY, 100.0)  # another app: its own schedule
        assert time.monotonic() - started < 0.2
        for key in keys:  # each holds one reserved slot, and expires when it is due
            assert 300 < await store.pttl(key) <= 500
        await one.acquire(FAMILY, 100.0)  # the same app and family: half a second on
        assert 0.45 <= time.monotonic() - started < 0.7
    await asyncio.sleep(0.55)
    assert await store.exists(*keys) == 0


async def test_the_schedule_is_kept_in_the_redis_servers_clock(
    redis_url: str, app_key: str, store: redis.asyncio.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This process's wall clock is an hour off: the limiter must not care.
    skewed = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: skewed)
    monkeypatch.setattr(time, "time_ns", lambda: int(skewed * 1e9))
    async with paced(redis_url, app_key, rate=10, burst=0) as limiter:
        await limiter.acquire(FAMILY, 100.0)
        seconds, micros = await store.time()
        slot = int(await store.get(limiter.redis_key(FAMILY)))
        assert 0 < slot - (seconds * 1_000_000 + micros) <= 100_000  # one interval on

        # Another process reserved up to 300 ms from the server's now: we wait for it.
        seconds, micros = await store.time()
        await store.set(limiter.redis_key(FAMILY), seconds * 1_000_000 + micros + 300_000)
        started = time.monotonic()
        await limiter.acquire(FAMILY, 100.0)
        assert 0.28 <= time.monotonic() - started < 0.45


async def test_a_cancelled_waiter_gives_its_slot_back(redis_url: str, app_key: str) -> None:
    async with paced(redis_url, app_key, rate=5, burst=0) as limiter:  # 200 ms apart
        await limiter.acquire(FAMILY, 100.0)
        started = time.monotonic()
        waiter = asyncio.create_task(limiter.acquire(FAMILY, 100.0))
        await asyncio.sleep(0.05)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await limiter.acquire(FAMILY, 100.0)  # takes the freed slot, not the one after
        assert 0.12 <= time.monotonic() - started < 0.3

        # A cancelled waiter with a later one behind it: its slot passes unused, which
        # costs the next caller one interval, no more.
        started = time.monotonic()
        first = asyncio.create_task(limiter.acquire(FAMILY, 100.0))  # slot at +0.2 s
        second = asyncio.create_task(limiter.acquire(FAMILY, 100.0))  # +0.4 s
        await asyncio.sleep(0.05)
        first.cancel()
        await second
        await limiter.acquire(FAMILY, 100.0)  # +0.6 s (+0.4 s had the slot been reused)
        assert 0.52 <= time.monotonic() - started < 0.75


# -- Redis unreachable or gone --------------------------------------------------------------


async def test_fail_mode_raises_a_typed_error_naming_the_url_without_password() -> None:
    server = RedisServer(password="s3cret-pw").start()
    try:
        limiter = RedisRateLimiter.from_url(server.url, app_key="org#app")
        async with limiter:
            await limiter.acquire(FAMILY, 100.0)
            server.kill()
            started = time.monotonic()
            with pytest.raises(RateLimiterUnavailableError) as caught:
                await limiter.acquire(FAMILY, 100.0)
            assert time.monotonic() - started < 2.0  # a refused connection fails at once
    finally:
        server.kill()
    error = caught.value
    url = f"redis://127.0.0.1:{server.port}/0"
    assert str(error).startswith(f"not sent: the rate limiter's Redis at {url} is unavailable (")
    assert "s3cret-pw" not in str(error)
    assert "s3cret-pw" not in repr(limiter)
    assert (error.url, error.key, error.sent) == (url, FAMILY, False)


async def test_wrong_url_fails_at_construction_or_first_use() -> None:
    with pytest.raises(ValueError, match=r"invalid Redis URL 'http://127\.0\.0\.1:6379'"):
        RedisRateLimiter.from_url("http://user:pw@127.0.0.1:6379", app_key="org#app")
    nobody = RedisServer()  # a free port nothing listens on
    async with RedisRateLimiter.from_url(
        f"redis://user:hunter2@127.0.0.1:{nobody.port}/0", app_key="org#app"
    ) as limiter:
        with pytest.raises(RateLimiterUnavailableError, match=r"Connection refused|connect") as e:
            await limiter.acquire(FAMILY, 100.0)
    assert "hunter2" not in str(e.value)
    assert f"127.0.0.1:{nobody.port}/0" in str(e.value)


async def test_local_mode_warns_once_paces_a_share_and_returns_to_redis(
    own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="agora_chat_async")
    limiter = paced(
        own_redis.url,
        "org#app",
        rate=40,
        burst=0,
        on_unavailable="local",
        processes=2,
        recheck_interval=0.3,
    )
    async with limiter:
        await limiter.acquire(FAMILY, 100.0)
        own_redis.kill()
        started = time.monotonic()
        for _ in range(9):
            await limiter.acquire(FAMILY, 100.0)
        # Alone, at half of 40/s: the first goes at once, then 50 ms apart.
        assert 0.38 <= time.monotonic() - started < 0.7
        warnings = [r.getMessage() for r in caplog.records]
        assert len(warnings) == 1
        assert warnings[0].startswith(
            f"rate limiter: Redis at redis://127.0.0.1:{own_redis.port}/0 is unavailable ("
        )
        assert "1/2 of each limit" in warnings[0]

        own_redis.start()  # back, same port, empty
        await asyncio.sleep(0.35)
        await limiter.acquire(FAMILY, 100.0)
        assert caplog.records[-1].getMessage().endswith("is back; pacing is shared again")
        check = redis.asyncio.Redis.from_url(own_redis.url)
        assert await check.exists(limiter.redis_key(FAMILY)) == 1
        await check.aclose()


async def test_bulk_job_when_redis_dies_loses_and_repeats_nothing(own_redis: RedisServer) -> None:
    users = [f"user{i:04d}" for i in range(600)]  # 10 chunks of 60
    async with EmulatorServer() as emulator:
        limiter = RedisRateLimiter.from_url(own_redis.url, app_key="demo#demo")
        async with limiter, emulator.client(rate_limiter=limiter) as client:

            def kill_after_three_chunks(done: int, total: int | None) -> None:
                if done >= 180:
                    own_redis.kill()

            result = await client.users.register_many(
                users, concurrency=1, progress=kill_after_three_chunks
            )
            assert len(result.succeeded) == 180
            assert {f.item.username for f in result.failed} == set(users[180:])
            assert {f.reason.split(" at ")[0] for f in result.failed} == {
                "not sent: the rate limiter's Redis"
            }
            assert all(isinstance(f.error, RateLimiterUnavailableError) for f in result.failed)
            assert sorted(emulator.state.users) == users[:180]

            own_redis.start()  # back: the report's items go through, each once
            rerun = await client.users.register_many([f.item for f in result.failed])
        assert rerun.ok
        assert len(rerun.succeeded) == 420
        assert sorted(emulator.state.users) == users
        sent = [r for r in emulator.requests if r.endpoint == "users.register_many"]
        assert [r.status for r in sent] == [200] * 10  # no chunk sent twice


# -- the CLI --------------------------------------------------------------------------------


@pytest.fixture
def emu(monkeypatch: pytest.MonkeyPatch):
    from agora_chat_async import _cli

    for env in [*_cli.CONNECTION.values(), "AGORA_REDIS_URL"]:
        monkeypatch.delenv(env, raising=False)
    with ThreadedEmulator() as emulator:
        yield emulator


def _users_file(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "users.jsonl"
    source.write_text("".join(json.dumps({"username": f"u{i:03d}"}) + "\n" for i in range(count)))
    return source


def _paced_calls(url: str) -> int:
    """How many acquire scripts that Redis ran (its keys expire too soon to look at)."""

    async def count() -> int:
        async with redis.asyncio.Redis.from_url(url) as client:
            stats = (await client.info("commandstats")).get("cmdstat_evalsha", {})
        return int(stats.get("calls", 0)) - int(stats.get("failed_calls", 0))  # -NOSCRIPT

    return asyncio.run(count())


def test_cli_redis_option_and_environment_variable(
    emu, own_redis: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _users_file(tmp_path, 60)
    code, out = run("users", "import", str(source), "--redis", own_redis.url, *emu.args())
    assert code == 0, out
    assert _paced_calls(own_redis.url) == 1  # one chunk of 60
    assert len(emu.server.state.users) == 60

    monkeypatch.setenv("AGORA_REDIS_URL", own_redis.url)
    assert run("users", "delete", str(source), *emu.args())[0] == 0
    assert emu.server.state.users == {}
    assert _paced_calls(own_redis.url) == 1 + 60  # one call per user

    own_redis.kill()  # a dead Redis: nothing is sent, every item is reported
    report = tmp_path / "failed.jsonl"
    code, out = run("users", "import", str(source), "--report", str(report), *emu.args())
    assert code == 1
    assert emu.server.state.users == {}
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert len(lines) == 60
    assert all(line["reason"].startswith("not sent: the rate limiter's Redis") for line in lines)
    assert "not sent" in out


def test_cli_wrong_redis_url_is_a_usage_error(emu, tmp_path: Path, capsys) -> None:
    source = _users_file(tmp_path, 1)
    code, _ = run("users", "import", str(source), "--redis", "http://:pw@localhost", *emu.args())
    assert code == 2
    err = capsys.readouterr().err
    assert "agora-chat: invalid Redis URL 'http://localhost'" in err
    assert ":pw@" not in err
    assert emu.server.state.users == {}
