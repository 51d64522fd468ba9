"""Failed post-delivery callbacks: the documented retry, storage by 10-minute date key,
the two storage endpoints served from what really failed, and the rule that 90
failures in 30 s switch off for 5 minutes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import msgspec
import pytest

from agora_chat_async import BadRequestError, CallableTokenProvider, StoredCallbackSet
from agora_chat_async.emulator import EmulatorServer, _callbacks
from agora_chat_async.tokens import build_app_token
from tests.contract.test_callback_storage_docs import INFO_EXAMPLE, RETRY_EXAMPLE
from tests.integration._helpers import agora_error, raw_requests
from tests.integration._receiver import SECRET, Receiver, signed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Clock


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with Receiver() as r:
        yield r


@pytest.fixture
async def server(receiver: Receiver, clock: Clock) -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(
        clock=clock, callback_url=receiver.url, callback_secret=SECRET, callback_timeout=0.3
    ) as s:
        yield s


@pytest.fixture
async def client(server: EmulatorServer, clock: Clock) -> AsyncIterator[AgoraChatClient]:
    # Tokens dated by the emulator's movable clock: it refuses tokens issued ahead of it,
    # and these tests move it days back. A refused token is renewed once, on the new time.
    async def token() -> tuple[str, float]:
        issued = int(clock())
        return build_app_token(server.app_id, server.app_certificate, 3600, issue_ts=issued), 3600.0

    async with server.client(token_provider=CallableTokenProvider(token)) as c:
        yield c


def _key(seconds: float) -> str:
    """The 10-minute date key (UTC) of a Unix time."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.replace(minute=moment.minute - moment.minute % 10).strftime("%Y%m%d%H%M")


async def _send(client: AgoraChatClient, text: str = "hi") -> str:
    ids = await client.messages.send("users", to=["u"], type="txt", body={"msg": text})
    return ids["u"]


async def test_one_failure_is_retried_once_and_then_delivered(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    receiver.statuses.extend([503])
    await _send(client)
    await server.flush_callbacks()
    first, second = receiver.received
    assert first.raw == second.raw  # the same signed body, sent again
    assert await client.callbacks.get_storage() == []
    counters = server.emulator.callbacks.counters
    assert (counters["delivered"], counters["failed_attempts"], counters["stored"]) == (1, 1, 0)


@pytest.mark.parametrize("failure", ["status", "timeout", "long reply", "refused"])
async def test_two_failures_store_the_callback_under_its_date_key(
    failure: str, server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    if failure == "status":
        receiver.statuses.extend([500, 500])
    elif failure == "timeout":
        receiver.delay = 0.6  # over the 0.3 s delivery timeout
    elif failure == "long reply":
        receiver.reply = lambda _: "x" * 1001  # "attack packets", say Agora's docs
    else:
        server.configure_callbacks(url="http://127.0.0.1:9/closed")
    clock.freeze()
    msg_id = await _send(client)
    await server.flush_callbacks()

    expected_attempts = 0 if failure == "refused" else 2
    assert len(receiver.received) == expected_attempts
    assert await client.callbacks.get_storage() == [
        StoredCallbackSet(date=_key(clock()), size=1, retry=0)
    ]
    stored = server.emulator.callbacks.stored[_key(clock())].items[0]
    assert msgspec.json.decode(stored.body)["msg_id"] == msg_id


async def test_a_reply_of_1000_characters_is_still_a_success(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    receiver.reply = lambda _: "é" * 1000  # characters, not bytes
    await _send(client)
    await server.flush_callbacks()
    assert len(receiver.received) == 1
    assert await client.callbacks.get_storage() == []


async def test_stored_sets_are_resent_to_a_target_and_counted(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    receiver.status = 500
    clock.freeze()
    await _send(client, "one")
    await _send(client, "two")
    await server.flush_callbacks()
    failed = sorted({r.raw for r in receiver.received})
    assert len(receiver.received) == 4  # each was tried twice
    date = _key(clock())
    assert await client.callbacks.get_storage() == [StoredCallbackSet(date=date, size=2, retry=0)]

    async with Receiver() as healthy:
        assert await client.callbacks.retry_storage(date, retry=0, target_url=healthy.url)
        assert sorted(r.raw for r in healthy.received) == failed
        assert all(signed(b) for b in healthy.bodies)  # as first signed
    assert await client.callbacks.get_storage() == [StoredCallbackSet(date=date, size=2, retry=1)]

    # To the original URL, still failing: one attempt each, and "failure".
    before = len(receiver.received)
    assert await client.callbacks.retry_storage(date) is False
    assert len(receiver.received) == before + 2
    receiver.status = 200
    assert await client.callbacks.retry_storage(date, retry=2) is True
    assert await client.callbacks.get_storage() == [StoredCallbackSet(date=date, size=2, retry=3)]


async def test_the_storage_answers_have_the_documented_keys(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    receiver.status = 500
    clock.freeze()
    await _send(client)
    await server.flush_callbacks()
    async with raw_requests(server) as raw:
        info = await raw("GET", "/callbacks/storage/info")
        retry = await raw("POST", "/callbacks/storage/retry", json={"date": _key(clock())})
    for answer, example in ((info, INFO_EXAMPLE), (retry, RETRY_EXAMPLE)):
        assert answer.status == 200
        assert list(answer.body) == list(msgspec.json.decode(example))
        assert answer.body["path"] == "/callbacks"
    assert info.body["data"] == [{"date": _key(clock()), "size": 1, "retry": 0}]
    assert (info.body["action"], retry.body["action"], retry.body["data"]) == (
        "get",
        "post",
        "failure",
    )


async def test_sets_are_kept_by_slice_for_three_days(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    receiver.status = 500
    clock.go_back(80)  # 10 minutes into the hour 80 hours ago
    start = clock()
    await _send(client, "a")
    clock.offset += 9 * 60  # the same slice
    await _send(client, "b")
    clock.offset += 2 * 60  # the next one
    await _send(client, "c")
    await server.flush_callbacks()
    assert await client.callbacks.get_storage() == [
        StoredCallbackSet(date=_key(start), size=2, retry=0),
        StoredCallbackSet(date=_key(start + 600), size=1, retry=0),
    ]
    clock.offset = 0.0  # now: more than 3 days after both slices
    assert await client.callbacks.get_storage() == []
    with pytest.raises(BadRequestError, match="no callback data is stored"):
        await client.callbacks.retry_storage(_key(start))


async def test_retry_refusals(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    receiver.status = 500
    clock.freeze()
    await _send(client)
    await server.flush_callbacks()
    date = _key(clock())
    async with raw_requests(server) as raw:
        for body, description in (
            (
                {"date": "2021090914"},
                "date must be a date key YYYYMMDDHHmm (minutes by 10): 2021090914",
            ),
            (
                {"date": "202109091445"},
                "date must be a date key YYYYMMDDHHmm (minutes by 10): 202109091445",
            ),
            ({"date": "202109091440"}, "no callback data is stored under date 202109091440"),
            ({}, "date can't be empty"),
            ({"date": date, "retry": -1}, "retry must be a non-negative integer"),
            (
                {"date": date, "targetUrl": "mailto:x"},
                "targetUrl must be an http(s) URL or None, got 'mailto:x'",
            ),
        ):
            response = await raw("POST", "/callbacks/storage/retry", json=body)
            agora_error(response, 400, "illegal_argument", description)
    for _ in range(10):
        assert await client.callbacks.retry_storage(date) is False
    with pytest.raises(BadRequestError, match="resent 10 times already") as caught:
        await client.callbacks.retry_storage(date)
    assert caught.value.status == 400
    assert await client.callbacks.get_storage() == [StoredCallbackSet(date=date, size=1, retry=10)]


async def test_90_failures_in_30_seconds_disable_the_rule_for_5_minutes(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    receiver.status = 500
    clock.freeze()
    for _ in range(45):  # two failed attempts each
        await _send(client)
    await server.flush_callbacks()
    callbacks = server.emulator.callbacks
    assert len(receiver.received) == 90
    assert callbacks.disabled_until == int(clock() * 1000) + 300_000

    receiver.status = 200
    await _send(client)  # stored untried while the rule is off
    await server.flush_callbacks()
    assert len(receiver.received) == 90
    [stored] = await client.callbacks.get_storage()
    assert stored.size == 46

    assert clock.frozen_at is not None
    clock.frozen_at += 300
    await _send(client)
    await server.flush_callbacks()
    assert len(receiver.received) == 91
    assert callbacks.disabled_until is None


async def test_failures_spread_over_more_than_30_seconds_keep_the_rule_on(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver, clock: Clock
) -> None:
    receiver.status = 500
    clock.freeze()
    assert clock.frozen_at is not None
    for _ in range(2):
        for _ in range(30):
            await _send(client)
        await server.flush_callbacks()
        clock.frozen_at += 31  # 60 failures per window at most
    assert server.emulator.callbacks.disabled_until is None
    assert len(receiver.received) == 120


async def test_reset_forgets_the_stored_sets_but_keeps_the_settings(
    server: EmulatorServer, client: AgoraChatClient, receiver: Receiver
) -> None:
    receiver.status = 500
    await _send(client)
    await server.flush_callbacks()
    assert len(await client.callbacks.get_storage()) == 1
    server.reset()
    assert await client.callbacks.get_storage() == []
    assert server.emulator.callbacks.url == receiver.url


async def test_a_full_queue_stores_instead_of_waiting(receiver: Receiver) -> None:
    receiver.delay = 1.0  # the workers stay busy while the next six are sent
    server = EmulatorServer(callback_url=receiver.url)
    server.emulator.callbacks.queue_size = 2
    async with server, server.client() as client:
        for i in range(4):  # the four workers take these
            await _send(client, str(i))
        await receiver.wait_for(4)
        for i in range(4, 10):  # two wait, four overflow into the storage
            await _send(client, str(i))
        counters = server.emulator.callbacks.counters
        assert (counters["queued"], counters["overflowed"], counters["stored"]) == (10, 4, 4)
        [stored] = await client.callbacks.get_storage()
        assert stored.size == 4
        await server.flush_callbacks()
        assert counters["delivered"] == 6


async def test_storage_is_bounded(
    server: EmulatorServer,
    client: AgoraChatClient,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_callbacks, "MAX_STORED", 3)
    receiver.status = 500
    for i in range(5):
        await _send(client, str(i))
    await server.flush_callbacks()
    [stored] = await client.callbacks.get_storage()
    assert stored.size == 3
    counters = server.emulator.callbacks.counters
    assert (counters["stored"], counters["dropped"]) == (3, 2)
