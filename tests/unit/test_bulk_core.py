"""``run_bulk`` through ``client.users.register_many``: bounded concurrency, back-pressure on
streamed input, and every input item accounted for."""

from __future__ import annotations

import asyncio
import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from aioresponses import CallbackResult, aioresponses

from agora_chat_async import (
    AgoraChatClient,
    APITimeoutError,
    BadRequestError,
    ResponseValidationError,
    RetryPolicy,
)
from agora_chat_async._spec import ENDPOINTS, HELPERS

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from agora_chat_async._spec import Endpoint

BASE = "https://api.test/org/app"
USERS = BASE + "/users"
CHUNK = 60  # users.register_many's documented batch size


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def client() -> Any:
    policy = RetryPolicy(backoff_base=0.0, backoff_max=0.0)
    async with AgoraChatClient(
        host="api.test",
        org_name="org",
        app_name="app",
        token="t",
        retry=policy,
        rate_limits=False,  # concurrency is under test here, not pacing
    ) as c:
        yield c


class Server:
    """An aioresponses callback for POST /users that tracks requests in flight.

    Usernames in ``taken`` are refused one by one; a chunk holding a name in
    ``poison`` fails as a whole with a 400. ``gate``, when given, holds every request
    until it is set.
    """

    def __init__(self, *, taken: set[str] = frozenset(), poison: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.taken = taken
        self.poison = poison
        self.in_flight = 0
        self.max_in_flight = 0
        self.bodies: list[list[dict[str, Any]]] = []
        self.gate: asyncio.Event | None = None
        self.done_items = 0

    async def handle(self, url: Any, **kwargs: Any) -> CallbackResult:
        body = json.loads(kwargs["data"])
        self.bodies.append(body)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.gate is not None:
                await self.gate.wait()
            else:
                for _ in range(20):  # stay in flight for a few loop turns (no real time)
                    await asyncio.sleep(0)
        finally:
            self.in_flight -= 1
        self.done_items += len(body)
        names = [u["username"] for u in body]
        if self.poison & set(names):
            return CallbackResult(status=400, payload={"error": "invalid_parameter"})
        return CallbackResult(
            payload={
                "entities": [{"username": n} for n in names if n not in self.taken],
                "data": [
                    {"username": n, "registerUserFailReason": "the user already exists"}
                    for n in names
                    if n in self.taken
                ],
            }
        )


def names(n: int) -> list[str]:
    return [f"user{i:05d}" for i in range(n)]


@pytest.mark.parametrize("concurrency", [1, 3, 8])
async def test_concurrency_bound_is_respected_and_reached(client, mock, concurrency):
    server = Server()
    mock.post(USERS, callback=server.handle, repeat=True)
    users = names(CHUNK * 10)

    result = await client.users.register_many(users, concurrency=concurrency)

    assert server.max_in_flight == concurrency
    assert result.calls == 10
    assert [len(b) for b in server.bodies] == [CHUNK] * 10
    assert sorted(u.username for u in result.succeeded) == users


async def test_a_streamed_input_is_not_read_more_than_concurrency_chunks_ahead(client, mock):
    concurrency = 3
    server = Server()
    server.gate = asyncio.Event()
    mock.post(USERS, callback=server.handle, repeat=True)
    pulled = 0
    worst_lead = 0
    total = CHUNK * 20 + 7

    async def source() -> AsyncIterator[dict[str, str]]:
        nonlocal pulled, worst_lead
        for name in names(total):
            pulled += 1
            worst_lead = max(worst_lead, pulled - server.done_items)
            yield {"username": name, "password": "pw"}

    job = asyncio.create_task(client.users.register_many(source(), concurrency=concurrency))
    for _ in range(50):
        await asyncio.sleep(0)
    # Every slot is taken and the reader waits: it has read exactly the chunks in flight.
    assert server.in_flight == concurrency
    assert pulled == concurrency * CHUNK
    server.gate.set()
    result = await job

    assert worst_lead <= concurrency * CHUNK
    assert pulled == total
    assert len(result.succeeded) == total
    assert result.calls == 21


async def test_every_item_is_accounted_for(client, mock):
    server = Server(taken={"user00007", "user00100"}, poison={"user00130"})
    mock.post(USERS, callback=server.handle, repeat=True)
    good = names(200)
    invalid = ["bad name!", "", {"username": "x", "password": "p" * 65}, 42]
    items: list[Any] = [*good[:50], *invalid, *good[50:]]
    progress: list[tuple[int, int | None]] = []

    result = await client.users.register_many(
        items, concurrency=4, progress=lambda done, total: progress.append((done, total))
    )

    failed_chunk = set(good[120:180])  # the chunk holding user00130 fails as a whole
    assert result.calls == 4
    assert result.total == len(items)
    assert sorted(u.username for u in result.succeeded) == sorted(
        set(good) - failed_chunk - {"user00007", "user00100"}
    )
    failed = {f.item.username: f for f in result.failed}
    assert set(failed) == failed_chunk | {"user00007", "user00100"}
    assert failed["user00007"].reason == "the user already exists"
    assert failed["user00007"].error is None
    assert isinstance(failed["user00130"].error, BadRequestError)
    assert [f.item for f in result.skipped] == invalid
    assert all(f.reason.startswith("invalid: ") for f in result.skipped)
    assert progress[-1] == (len(items), len(items))
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert result.ok is False


async def test_a_user_the_server_does_not_mention_is_reported_failed(client, mock):
    # A partial answer must not lose items: whoever is neither created nor refused fails.
    mock.post(USERS, payload={"entities": [{"username": "a"}], "data": []})

    result = await client.users.register_many(["a", "b"])

    assert [u.username for u in result.succeeded] == ["a"]
    assert [(f.item.username, f.reason) for f in result.failed] == [
        ("b", "the server did not report this user as created")
    ]


async def test_a_rate_limited_chunk_is_retried_inside_the_bulk_run(client, mock):
    server = Server()
    mock.post(USERS, status=429, payload={"error": "reach_limit"})
    mock.post(USERS, callback=server.handle, repeat=True)

    result = await client.users.register_many(names(CHUNK * 2), concurrency=1)

    assert result.ok
    assert len(result.succeeded) == CHUNK * 2
    assert result.calls == 2  # calls count chunks; the retry happens inside one call


async def test_stop_on_error_with_a_streamed_input_reads_the_rest_as_skipped(client, mock):
    server = Server(poison={"user00000"})
    mock.post(USERS, callback=server.handle, repeat=True)

    async def source() -> AsyncIterator[str]:
        for name in names(CHUNK * 3 + 5):
            yield name

    result = await client.users.register_many(source(), concurrency=1, stop_on_error=True)

    assert result.calls == 1
    assert len(result.failed) == CHUNK
    assert len(result.skipped) == CHUNK * 2 + 5
    assert result.total == CHUNK * 3 + 5


async def test_progress_without_a_known_total(client, mock):
    server = Server()
    mock.post(USERS, callback=server.handle, repeat=True)
    progress: list[tuple[int, int | None]] = []

    await client.users.register_many(
        iter(names(CHUNK + 1)),
        concurrency=1,
        progress=lambda done, total: progress.append((done, total)),
    )

    # after each chunk, then once at the end
    assert progress == [(CHUNK, None), (CHUNK + 1, None), (CHUNK + 1, None)]


async def test_an_empty_input_sends_nothing(client, mock):
    result = await client.users.register_many([])

    assert result.total == 0
    assert result.calls == 0
    assert mock.requests == {}


@pytest.mark.parametrize("concurrency", [0, -1])
async def test_concurrency_must_be_positive(client, concurrency):
    with pytest.raises(ValueError, match="concurrency"):
        await client.users.register_many(["a"], concurrency=concurrency)


# -- a 2xx answer without the expected payload ------------------------------------------------

# Every bulk helper, with the arguments it needs beyond its items.
_EXTRA: dict[str, dict[str, Any]] = {
    "messages.send_many": {"type": "txt", "body": {"msg": "hi"}, "from_": "admin"},
    "groups.mutes.add_many": {"mute_duration": 60_000},
    "chatrooms.mutes.add_many": {"mute_duration": 60_000},
}
_BULK = [e for e in (*ENDPOINTS, *HELPERS) if e.bulk is not None]


def _bulk_method(client: AgoraChatClient, endpoint: Endpoint) -> Callable[..., Any]:
    target: Any = client
    for part in endpoint.name.split("."):
        target = getattr(target, part)
    fixed = [
        "target-1"
        for p in endpoint.params
        if p.location == "path" and p.name in endpoint.bulk.takes
    ]  # type: ignore[union-attr]
    return lambda items: target(*fixed, items, concurrency=1, **_EXTRA.get(endpoint.name, {}))


def _items(endpoint: Endpoint, n: int) -> list[Any]:
    if endpoint.bulk.splitter == "attributes":  # type: ignore[union-attr]
        return [(f"user{i:04d}", {"nickname": f"N{i}"}) for i in range(n)]
    return [f"user{i:04d}" for i in range(n)]


def _sent(item: Any) -> Any:
    """The input item of a failure (register_many reports its RegisterUser)."""
    return getattr(item, "username", item)


@pytest.mark.parametrize("body", [{}, {"data": None}, {"entities": None}, {"data": [7]}])
@pytest.mark.parametrize("endpoint", _BULK, ids=lambda e: e.name)
async def test_an_unexpected_2xx_answer_fails_its_chunk_as_outcome_unknown_and_the_job_goes_on(
    client, mock, endpoint, body
):
    size = endpoint.bulk.chunk_size
    items = _items(endpoint, size + 1)  # two chunks
    anything = re.compile(r"https://api\.test/.*")
    mock.add(anything, method=endpoint.method, payload=body)  # the first chunk's answer
    mock.add(anything, method=endpoint.method, status=400, payload={"error": "x"}, repeat=True)

    result = await _bulk_method(client, endpoint)(items)

    # No ExceptionGroup: every item is in the result, the second chunk was sent too.
    assert result.calls == 2
    assert result.total == len(items)
    assert result.succeeded == []
    unknown = [f for f in result.failed if f.reason.startswith("outcome unknown")]
    assert [_sent(f.item) for f in unknown] == items[:size]
    for failure in unknown:
        assert "the server accepted the call" in failure.reason
        assert "a rerun may repeat it" in failure.reason
        assert isinstance(failure.error, ResponseValidationError)
        assert failure.error.endpoint == endpoint.name
    rest = [f for f in result.failed if f not in unknown]
    assert [_sent(f.item) for f in rest] == items[size:]
    assert all(isinstance(f.error, BadRequestError) for f in rest)


async def test_messages_sent_before_an_unreadable_answer_stay_reported(client, mock):
    # 1,200 recipients: the first 600 sent and answered with ids, the next answered {}.
    sends = BASE + "/messages/users"
    first = [f"r{i:04d}" for i in range(600)]
    mock.post(sends, payload={"data": {name: f"id-{name}" for name in first}})
    mock.post(sends, payload={})
    names_ = [*first, *(f"r{i:04d}" for i in range(600, 1200))]

    result = await client.messages.send_many(
        names_, type="txt", body={"msg": "news"}, from_="admin", concurrency=1
    )

    assert result.succeeded == [(name, f"id-{name}") for name in first]
    assert [f.item for f in result.failed] == names_[600:]
    assert {f.reason.split(":")[0] for f in result.failed} == {"outcome unknown"}
    assert result.total == 1200


async def test_a_request_sent_without_an_answer_is_outcome_unknown(mock):
    # A message send is never repeated once sent; a timeout leaves its outcome unknown.
    async with AgoraChatClient(
        host="api.test", org_name="org", app_name="app", token="t", rate_limits=False
    ) as client:
        mock.post(BASE + "/messages/users", exception=TimeoutError())
        result = await client.messages.send_many(
            ["a", "b"], type="txt", body={"msg": "x"}, from_="admin"
        )

    assert [f.item for f in result.failed] == ["a", "b"]
    assert result.failed[0].reason.startswith("outcome unknown: the request may have reached")
    assert isinstance(result.failed[0].error, APITimeoutError)


# -- adaptive parallelism, wired: the pacer's rate and the measured latency -----------------


class SlowServer(Server):
    """Answers after ``latency`` seconds of real time."""

    def __init__(self, latency: float) -> None:
        super().__init__()
        self.latency = latency

    async def handle(self, url: Any, **kwargs: Any) -> CallbackResult:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.latency)
        finally:
            self.in_flight -= 1
        body = json.loads(kwargs["data"])
        return CallbackResult(payload={"entities": [{"username": u["username"]} for u in body]})


async def _paced_run(
    mock: aioresponses, concurrency: int | None, chunks: int
) -> tuple[SlowServer, Any]:
    server = SlowServer(latency=0.05)
    mock.post(USERS, callback=server.handle, repeat=True)
    # 2,000 calls/s paced: Little's law wants ~2,000 x 0.05 x 1.5 = 146 calls in flight.
    async with AgoraChatClient(
        host="api.test",
        org_name="org",
        app_name="app",
        token="t",
        rate_limits={"users.register": 2000},
    ) as client:
        result = await client.users.register_many(names(CHUNK * chunks), concurrency=concurrency)
    return server, result


async def test_by_default_calls_in_flight_follow_the_rate_and_latency(mock):
    server, result = await _paced_run(mock, None, chunks=300)

    assert result.calls == 300
    assert len(result.succeeded) == CHUNK * 300
    assert 60 <= server.max_in_flight <= 256  # far above the old fixed 8, and bounded


async def test_an_explicit_concurrency_caps_the_adaptive_window(mock):
    server, result = await _paced_run(mock, 5, chunks=40)

    assert server.max_in_flight == 5
    assert len(result.succeeded) == CHUNK * 40
