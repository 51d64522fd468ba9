"""The fault matrix: every fault a client meets, through the public client over sockets.

For each fault kind (see ``KINDS``) and each kind of call:

* a read and an idempotent write succeed after retries, with the exact number of
  requests the emulator saw (or fail at once when the rules say no retry);
* a message send is never sent twice, and the caller can tell "unknown outcome"
  (``APIConnectionError`` with ``sent=True``, timeouts included) from "failed" (a status
  error; or ``sent=False``), the emulator's state telling which was true;
* a bulk registration accounts for every item exactly once, and its report matches the
  users the emulator holds;
* a 100,000-member pagination with faults between pages neither skips nor repeats.

The server restarting on the same port is covered at the end.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from agora_chat_async.emulator import EmulatorServer, Fault

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient

#: Short backoffs; three retries (the default count).
FAST = RetryPolicy(max_retries=3, backoff_base=0.01, backoff_max=0.02)
#: The per-call timeout in the "slow" cases, and how slow the slow answer is.
TIMEOUT = 0.25
SLOW = 0.6


@dataclass(frozen=True)
class Kind:
    """One fault kind and what the client's rules make of it."""

    fault: dict[str, Any]
    status: int | None = None
    """The status the client gets, for status faults."""
    handled: bool = False
    """Whether the faulted request took effect on the server."""

    @property
    def connection(self) -> bool:
        return self.status is None

    @property
    def slow(self) -> bool:
        return bool(self.fault.get("delay"))

    def retried(self, safe: bool) -> bool:
        """Whether the client repeats the faulted request (design: RetryPolicy)."""
        if self.status == 429:
            return True  # refused without acting: any endpoint may repeat it
        if self.status == 500:
            return False
        return safe


def _statuses() -> dict[str, Kind]:
    kinds = {
        "429-retry-after": Kind({"status": 429, "retry_after": 0.05}, 429),
        "429-no-retry-after": Kind({"status": 429}, 429),
    }
    for status in (500, 502, 503, 504):
        for body in ("agora", "html", "empty"):
            kinds[f"{status}-{body}"] = Kind({"status": status, "body": body}, status)
    return kinds


KINDS: dict[str, Kind] = {
    **_statuses(),
    "reset-before-read": Kind({"status": None, "drop": True}),
    "reset-after-read": Kind({"status": None, "drop": True, "after_handler": True}, handled=True),
    "truncated": Kind({"status": None, "truncate": 7}, handled=True),
    # Slow before the handler: the client gives up, then the server still acts.
    "slow-before": Kind({"status": None, "delay": SLOW}, handled=True),
    "slow-after": Kind({"status": None, "delay": SLOW, "after_handler": True}, handled=True),
}


@pytest.fixture
async def server() -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer() as server:
        yield server


@pytest.fixture
async def client(server: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    async with server.client(retry=FAST) as client:
        await client.users.register_many(["ann", "bob"])
        server.clear_requests()
        yield client


def _seen(server: EmulatorServer, endpoint: str) -> list[int | None]:
    """Statuses of the requests the emulator received for ``endpoint``."""
    return [r.status for r in server.requests if r.endpoint == endpoint]


def _timeout(kind: Kind) -> dict[str, float]:
    return {"timeout": TIMEOUT} if kind.slow else {}


def _check_error(kind: Kind, error: Exception) -> None:
    if kind.connection:
        assert isinstance(error, APITimeoutError if kind.slow else APIConnectionError)
        assert isinstance(error, APIConnectionError)
        assert error.sent is True
    else:
        assert isinstance(error, RateLimitError if kind.status == 429 else ServerError)
        assert isinstance(error, APIStatusError)
        assert error.status == kind.status


# -- reads and idempotent writes --------------------------------------------------------


@pytest.mark.parametrize("name", KINDS)
async def test_read(client: AgoraChatClient, server: EmulatorServer, name: str) -> None:
    kind = KINDS[name]
    server.add_fault(Fault(endpoint="users.get", **kind.fault))
    if kind.retried(safe=True):
        user = await client.users.get("ann", **_timeout(kind))
        assert user.username == "ann"
        await asyncio.sleep(SLOW if kind.slow else 0)
        assert len(_seen(server, "users.get")) == 2
        assert _seen(server, "users.get")[-1] == 200
    else:
        with pytest.raises(APIStatusError) as caught:
            await client.users.get("ann")
        _check_error(kind, caught.value)
        assert _seen(server, "users.get") == [kind.status]


@pytest.mark.parametrize("name", KINDS)
async def test_idempotent_write(client: AgoraChatClient, server: EmulatorServer, name: str) -> None:
    """``PUT /users/{u}/password`` is safe to repeat: it ends with the new password."""
    kind = KINDS[name]
    server.add_fault(Fault(endpoint="users.set_password", **kind.fault))
    if kind.retried(safe=True):
        assert await client.users.set_password("ann", password="n3w", **_timeout(kind)) is None
        await asyncio.sleep(SLOW if kind.slow else 0)
        assert len(_seen(server, "users.set_password")) == 2
        assert server.state.users["ann"].password == "n3w"
    else:
        with pytest.raises(APIStatusError) as caught:
            await client.users.set_password("ann", password="n3w")
        _check_error(kind, caught.value)
        assert _seen(server, "users.set_password") == [kind.status]
        assert server.state.users["ann"].password is None


@pytest.mark.parametrize(
    "name",
    [
        "reset-before-read",
        "reset-after-read",
        "truncated",
        "slow-before",
        "503-html",
    ],
)
async def test_max_retries_is_exact(
    client: AgoraChatClient, server: EmulatorServer, name: str
) -> None:
    """With the fault outlasting every retry, the client sends exactly 1 + max_retries."""
    kind = KINDS[name]
    server.add_fault(Fault(endpoint="users.get", times=None, **kind.fault))
    with pytest.raises(APIConnectionError if kind.connection else ServerError) as caught:
        await client.with_options(max_retries=2).users.get("ann", **_timeout(kind))
    _check_error(kind, caught.value)
    server.clear_faults()
    await asyncio.sleep(SLOW if kind.slow else 0)
    assert len(_seen(server, "users.get")) == 3


# -- message sends: never twice, and the outcome is told apart --------------------------


@pytest.mark.parametrize("name", KINDS)
async def test_send(client: AgoraChatClient, server: EmulatorServer, name: str) -> None:
    kind = KINDS[name]
    server.add_fault(Fault(endpoint="messages.send", **kind.fault))
    send = client.messages.send(
        "users", from_="ann", to=["bob"], type="txt", body={"msg": "hi"}, **_timeout(kind)
    )
    if kind.retried(safe=False):  # 429 only: the server did not act on it
        ids = await send
        assert list(ids) == ["bob"]
        assert _seen(server, "messages.send") == [429, 200]
        assert list(server.state.sent) == [ids["bob"]]
        return
    with pytest.raises((APIConnectionError, APIStatusError)) as caught:
        await send
    error = caught.value
    _check_error(kind, error)
    if kind.slow:
        await asyncio.sleep(SLOW)  # the server finishes what the client gave up on
    assert len(_seen(server, "messages.send")) == 1  # never repeated
    unknown = isinstance(error, APIConnectionError) and error.sent
    # A status error means "failed": nothing was sent. "Unknown" may go either way.
    assert unknown or not server.state.sent
    assert len(server.state.sent) == (1 if kind.handled else 0)


async def test_send_while_the_server_is_down_is_retried(
    client: AgoraChatClient, server: EmulatorServer
) -> None:
    """Refused connections send no byte (``sent=False``): even a send is repeated."""
    restart = asyncio.create_task(server.restart(downtime=0.3))
    await asyncio.sleep(0.05)  # the listener is closed now
    patient = client.with_options(
        retry=RetryPolicy(max_retries=8, backoff_base=0.1, backoff_max=0.1)
    )
    ids = await patient.messages.send(
        "users", from_="ann", to=["bob"], type="txt", body={"msg": "hi"}
    )
    await restart
    assert _seen(server, "messages.send") == [200]
    assert list(server.state.sent) == [ids["bob"]]


async def test_send_refused_beyond_retries_is_sent_false(server: EmulatorServer) -> None:
    async with server.client(
        retry=RetryPolicy(max_retries=1, backoff_base=0.01, backoff_max=0.01)
    ) as client:
        await client.users.register_many(["ann", "bob"])
        await server.close()
        await asyncio.sleep(0.05)  # the client sees its pooled connection close
        with pytest.raises(APIConnectionError) as caught:
            await client.messages.send(
                "users", from_="ann", to=["bob"], type="txt", body={"msg": "hi"}
            )
        assert caught.value.sent is False
        assert not server.state.sent
        await server.start()


@pytest.mark.parametrize("name", ["reset-after-read", "truncated", "slow-after"])
async def test_rewrite_is_never_repeated(
    client: AgoraChatClient, server: EmulatorServer, name: str
) -> None:
    """A PUT the endpoint table marks unsafe (an edit counts against 10) is sent once."""
    kind = KINDS[name]
    ids = await client.messages.send(
        "users", from_="ann", to=["bob"], type="txt", body={"msg": "hi"}
    )
    server.add_fault(Fault(endpoint="messages.rewrite", **kind.fault))
    with pytest.raises(APIConnectionError) as caught:
        await client.messages.rewrite(
            ids["bob"], new_msg={"type": "txt", "msg": "edited"}, **_timeout(kind)
        )
    _check_error(kind, caught.value)
    await asyncio.sleep(SLOW if kind.slow else 0)
    assert len(_seen(server, "messages.rewrite")) == 1
    assert server.state.sent[ids["bob"]].edits == 1


# -- bulk reports ------------------------------------------------------------------------


@pytest.mark.parametrize("name", KINDS)
async def test_bulk_register(client: AgoraChatClient, server: EmulatorServer, name: str) -> None:
    kind = KINDS[name]
    names = [f"user{i:03d}" for i in range(300)]  # 5 calls of 60
    server.add_fault(Fault(endpoint="users.register_many", **kind.fault))
    result = await client.users.register_many(names, concurrency=2, **_timeout(kind))
    if kind.slow:
        await asyncio.sleep(SLOW)

    succeeded = [u.username for u in result.succeeded]
    failed = [f.item.username for f in result.failed]
    skipped = [f.item.username for f in result.skipped]
    assert sorted(succeeded + failed + skipped) == names  # each item exactly once
    assert not skipped
    stored = {n for n in server.state.users if n.startswith("user")}
    unknown = {
        f.item.username
        for f in result.failed
        if isinstance(f.error, APIConnectionError) and f.error.sent
    }
    assert set(succeeded) <= stored  # what it says succeeded is there
    assert not (set(failed) - unknown) & stored  # what surely failed is not
    assert stored <= set(succeeded) | unknown  # nothing else is there

    assert result.calls == 5
    retried = kind.retried(safe=False)
    assert len(_seen(server, "users.register_many")) == 5 + retried
    if retried:
        assert len(succeeded) == 300
    else:
        assert (len(succeeded), len(failed)) == (240, 60)
        assert stored == set(succeeded) | (unknown if kind.handled else set())
        assert unknown == (set(failed) if kind.connection else set())


# -- a long pagination under faults -------------------------------------------------------

MEMBERS = 100_000
PAGE = 1000


@pytest.fixture
async def big_room(client: AgoraChatClient, server: EmulatorServer) -> str:
    """A chat room of 100,000 members (the owner and 99,999 others), seeded directly."""
    room_id = await client.chatrooms.create(name="big", description="d", owner="ann")
    record = server.state.chatrooms[room_id]
    record.members.update(dict.fromkeys(f"m{i:06d}" for i in range(MEMBERS - 1)))
    server.clear_requests()
    return room_id


@pytest.mark.parametrize(
    "name",
    [
        "429-retry-after",
        "502-empty",
        "503-html",
        "504-agora",
        "reset-before-read",
        "reset-after-read",
        "truncated",
        "slow-before",
    ],
)
async def test_pagination(
    client: AgoraChatClient, server: EmulatorServer, big_room: str, name: str
) -> None:
    kind = KINDS[name]
    seen: list[str] = []
    injected = 0
    async for page in client.chatrooms.members.list(big_room, **_timeout(kind)).pages():
        seen += [m.owner or m.member or "" for m in page.items]
        if len(seen) % (10 * PAGE) == 5 * PAGE and injected < 3:  # pages 5, 15, 25
            server.add_fault(Fault(endpoint="chatrooms.members.list", **kind.fault))
            injected += 1
    assert injected == 3
    assert len(seen) == MEMBERS
    assert seen == ["ann", *(f"m{i:06d}" for i in range(MEMBERS - 1))]  # in order, once each
    await asyncio.sleep(SLOW if kind.slow else 0)
    pages = MEMBERS // PAGE + 1  # the last request finds an empty page
    assert len(_seen(server, "chatrooms.members.list")) == pages + injected


async def test_pagination_across_restarts(
    client: AgoraChatClient, server: EmulatorServer, big_room: str
) -> None:
    """The server restarts twice mid-run on the same port; the pool recovers."""
    port = server.port
    seen: list[str] = []
    async for page in client.chatrooms.members.list(big_room).pages():
        seen += [m.owner or m.member or "" for m in page.items]
        if len(seen) in (20 * PAGE, 60 * PAGE):
            await server.restart()
    assert server.port == port
    assert seen == ["ann", *(f"m{i:06d}" for i in range(MEMBERS - 1))]
    assert len(_seen(server, "chatrooms.members.list")) == MEMBERS // PAGE + 1


# -- restarts ----------------------------------------------------------------------------


async def test_restart_keeps_port_and_state(
    client: AgoraChatClient, server: EmulatorServer
) -> None:
    port = server.port
    await server.restart()
    assert server.port == port
    assert (await client.users.get("bob")).username == "bob"  # pooled connection replaced
    await server.restart(downtime=0.05)
    await client.users.register("cat")
    assert sorted(server.state.users) == ["ann", "bob", "cat"]
    assert _seen(server, "users.get") == [200]
    assert _seen(server, "users.register") == [200]


async def test_restart_with_calls_in_flight(
    client: AgoraChatClient, server: EmulatorServer
) -> None:
    """Reads running while the server goes down and up again all succeed."""
    patient = client.with_options(
        retry=RetryPolicy(max_retries=8, backoff_base=0.05, backoff_max=0.1)
    )

    async def reads() -> list[str]:
        out = []
        for _ in range(20):
            out.append((await patient.users.get("ann")).username)
            await asyncio.sleep(0.01)
        return out

    task = asyncio.gather(*(reads() for _ in range(5)))
    await asyncio.sleep(0.05)
    await server.restart(downtime=0.2)
    results = await task
    assert [u for r in results for u in r] == ["ann"] * 100
    assert _seen(server, "users.get") == [200] * 100


def test_fault_field_validation() -> None:
    with pytest.raises(ValueError, match="truncate"):
        Fault(status=None, truncate=-1)
    with pytest.raises(ValueError, match="truncate"):
        Fault(status=None, truncate=3, drop=True)
    assert Fault(status=None, truncate=0).serves_first
    assert Fault(status=503, after_handler=True).serves_first
    assert not Fault(status=503, truncate=5).serves_first  # cuts the error answer
    with pytest.raises(ValueError, match="body"):
        Fault(status=502, body="xml")  # type: ignore[arg-type]
