"""Bulk operations against the emulator with its documented rate limits enforced."""

from __future__ import annotations

import time

import anyio

from agora_chat_async import NotFoundError, RegisterUser
from agora_chat_async.emulator import EmulatorServer


async def test_10k_users_register_at_the_rate_limit_with_no_429_and_none_lost() -> None:
    # The documented limit of POST /users is 100 calls/s; 10,000 users are 167 calls.
    async with EmulatorServer(rate_limits=True) as server, server.client() as client:
        await client.users.register("user00042")  # one that already exists
        users = (RegisterUser(username=f"user{i:05d}", password="pw") for i in range(10_000))
        seen: list[int] = []
        started = time.perf_counter()
        result = await client.users.register_many(
            users, concurrency=8, progress=lambda done, _total: seen.append(done)
        )
        elapsed = time.perf_counter() - started

    assert result.total == 10_000
    assert len(result.succeeded) == 9_999
    assert [(f.item.username, f.reason) for f in result.failed] == [
        ("user00042", "the user00042 already exists")
    ]
    assert result.skipped == []
    assert result.calls == 167
    statuses = [r.status for r in server.requests if r.endpoint == "users.register_many"]
    assert len(statuses) == 167
    assert statuses.count(429) == 0
    assert seen[-1] == 10_000
    assert seen == sorted(seen)
    # 1 call registers "user00042"; 167 more at 0.97 x 100/s take ~1.7 s. Loose bound for
    # a loaded CI machine; benchmarks/ measures the fraction of the limit precisely.
    rate = result.calls / elapsed
    assert 60 <= rate <= 101, rate


async def test_delete_each_reports_every_user(emulator: EmulatorServer) -> None:
    async with emulator.client() as client:
        await client.users.register_many([f"gone{i}" for i in range(25)])
        targets = [*(f"gone{i}" for i in range(25)), "ghost", "not valid!"]
        result = await client.users.delete_each(targets, concurrency=4)
        remaining = [u.username async for u in client.users.list()]

    assert sorted(u.username for u in result.succeeded) == sorted(f"gone{i}" for i in range(25))
    assert [f.item for f in result.failed] == ["ghost"]
    failure = result.failed[0]
    assert isinstance(failure.error, NotFoundError)
    assert failure.error.error == "service_resource_not_found"
    assert [f.item for f in result.skipped] == ["not valid!"]
    assert remaining == []
    assert result.calls == 26


async def test_one_failing_chunk_does_not_stop_the_others(emulator: EmulatorServer) -> None:
    emulator.add_fault(status=500, endpoint="users.register_many", times=1)
    async with emulator.client() as client:
        result = await client.users.register_many([f"u{i:03d}" for i in range(180)], concurrency=1)
    assert result.total == 180
    assert len(result.failed) == 60
    assert {f.error.status for f in result.failed if f.error} == {500}
    assert len(result.succeeded) == 120


async def test_set_attributes_for_many_users(emulator: EmulatorServer) -> None:
    async with emulator.client() as client:
        items = [(f"u{i}", {"nickname": f"N{i}"}) for i in range(30)]
        items.append({"username": "flat", "nickname": "F", "sign": "hi"})  # type: ignore[arg-type]
        items.append(("bad name", {"a": "b"}))
        items.append(("empty", {}))
        result = await client.metadata.set_each(items, concurrency=4)
        stored = await client.metadata.get_many(["u7", "flat"], properties=["nickname", "sign"])

    assert result.total == 33
    assert result.calls == 31
    assert sorted(name for name, _ in result.succeeded)[:2] == ["flat", "u0"]
    assert ("u7", {"nickname": "N7"}) in result.succeeded
    assert sorted(f.item[0] for f in result.skipped) == ["bad name", "empty"]
    assert result.failed == []
    assert stored == {"u7": {"nickname": "N7"}, "flat": {"nickname": "F", "sign": "hi"}}


async def test_send_a_message_to_many_users(emulator: EmulatorServer) -> None:
    async with emulator.client() as client:
        await client.users.register_many([f"r{i}" for i in range(700)])
        result = await client.messages.send_many(
            (f"r{i}" for i in range(700)), type="txt", body={"msg": "news"}, from_="admin"
        )
        counts = [await client.users.offline_message_count(f"r{i}") for i in (0, 699)]
    assert len(result.succeeded) == 700
    assert result.calls == 2
    assert len({message_id for _, message_id in result.succeeded}) == 700
    assert counts == [1, 1]


class Answers:
    """A progress callback that notes when each call was answered."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._done = 0

    def __call__(self, done: int, _total: int | None) -> None:
        if done > self._done:
            self._done = done
            self.times.append(time.perf_counter())

    def per_second(self) -> float:
        """Calls answered per second from the first answer to the last: the sustained
        rate, without the first round trip and the last, which no client can avoid."""
        return (len(self.times) - 1) / (self.times[-1] - self.times[0])


async def test_default_bulk_reaches_the_limit_over_a_150_ms_round_trip() -> None:
    # DELETE /users/{username}: 100 calls/s documented, one user per call. With every
    # answer 150 ms late, 8 calls in flight (the old default) could make 53/s at most.
    names = [f"gone{i:04d}" for i in range(200)]
    async with EmulatorServer(rate_limits=True) as server, server.client() as client:
        created = await client.users.register_many(names)
        server.add_fault(status=None, delay=0.15, times=None)
        answers = Answers()
        started = time.perf_counter()
        result = await client.users.delete_each([*names, "ghost"], progress=answers)
        elapsed = time.perf_counter() - started

    assert created.ok
    assert sorted(u.username for u in result.succeeded) == names
    assert [f.item for f in result.failed] == ["ghost"]
    assert result.total == 201
    assert result.calls == 201
    deletes = [r.status for r in server.requests if r.endpoint == "users.delete"]
    assert len(deletes) == 201
    assert deletes.count(429) == 0
    # Paced at 0.97 x 100/s: 201 calls take ~2.1 s plus one round trip.
    assert answers.per_second() >= 95, (answers.per_second(), elapsed)
    assert elapsed < 4


async def test_a_server_that_slows_down_gets_fewer_calls_in_flight_not_more() -> None:
    # 80 deletions answered in 150 ms (the window opens to ~15-23 calls), then every
    # answer takes 0.6 s. Sizing by the mean latency would open it to ~90; sizing by the
    # fastest answer keeps it, and the slow answers halve it once per round trip.
    names = [f"slow{i:04d}" for i in range(400)]
    async with EmulatorServer(rate_limits=True) as server, server.client() as client:
        await client.users.register_many(names)
        server.add_fault(status=None, delay=0.15, times=80, endpoint="users.delete")
        server.add_fault(status=None, delay=0.6, times=None, endpoint="users.delete")
        samples: list[tuple[float, int]] = []

        async def watch() -> None:
            started = time.perf_counter()
            while True:
                busy = sum(1 for r in server.requests if r.status is None)
                samples.append((time.perf_counter() - started, busy))
                await anyio.sleep(0.02)

        async with anyio.create_task_group() as tg:
            tg.start_soon(watch)
            with anyio.move_on_after(2.8):
                await client.users.delete_each(names)
            tg.cancel_scope.cancel()

    # Measured: ~15 in flight at 150 ms, 23 (the window) once answers slow down, 11
    # after the first slow answers (~1.5 s), 5 after the next (~2.1 s).
    fast = max(busy for t, busy in samples if t < 0.8)
    assert fast >= 12, samples
    assert max(busy for _, busy in samples) <= 24, samples  # never beyond the fast window
    assert samples[-1][1] <= fast // 2 + 1, samples
