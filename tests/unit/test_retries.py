"""Retries in ``AgoraChatClient._send``: what is repeated, how long it waits, when it stops,
and the one token renewal on a 401.

Waits never happen for real: ``clock`` swaps ``_client``'s ``asyncio.sleep`` and
``time.monotonic`` for a fake clock that sleeping advances.
"""

from __future__ import annotations

import asyncio
import logging
import random
import types
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aioresponses import CallbackResult, aioresponses
from aioresponses.compat import normalize_url

from agora_chat_async import (
    AgoraChatClient,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AppTokenProvider,
    AuthenticationError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    User,
    _client,
)
from agora_chat_async.tokens import parse_token

if TYPE_CHECKING:
    from collections.abc import Iterator

BASE = "https://api.test/org/app"
TOKEN = "static-secret-token-0123456789"
APP_ID = "970CA35de60c44645bbae8a215061b33"
APP_CERT = "5CFd2fd1755d40ecb72977518be15d3b"
ALICE = {"entities": [{"username": "alice"}]}
GET_ALICE = BASE + "/users/alice"
USERS = BASE + "/users"


def make_client(**kwargs: Any) -> AgoraChatClient:
    if not {"token", "app_id", "token_provider", "client_id"} & kwargs.keys():
        kwargs["token"] = TOKEN
    return AgoraChatClient(host="api.test", org_name="org", app_name="app", **kwargs)


def sent(mock: aioresponses, method: str, url: str) -> list[Any]:
    return list(mock.requests.get((method, normalize_url(url)), []))


def auth_headers(mock: aioresponses, method: str, url: str) -> list[str]:
    return [call.kwargs["headers"]["Authorization"] for call in sent(mock, method, url)]


class FakeClock:
    """``time.monotonic`` and ``asyncio.sleep`` for ``_client``: sleeping advances time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay
        await _real_sleep(0)


_real_sleep = asyncio.sleep


def _module_with(module: types.ModuleType, **overrides: Any) -> types.SimpleNamespace:
    """A stand-in for ``module`` whose other attributes are the real ones."""
    return types.SimpleNamespace(**{**vars(module), **overrides})


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(_client, "asyncio", _module_with(asyncio, sleep=fake.sleep))
    monkeypatch.setattr(_client, "time", types.SimpleNamespace(monotonic=fake.monotonic))
    return fake


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def client(clock: FakeClock) -> Any:
    async with make_client() as c:
        yield c


def rate_limited(error: str, retry_after: str | None = None) -> dict[str, Any]:
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return {"status": 429, "payload": {"error": error}, "headers": headers}


# -- what is retried -------------------------------------------------------------------


async def test_503_on_get_is_retried_until_it_succeeds(client, mock, clock):
    mock.get(GET_ALICE, status=503)
    mock.get(GET_ALICE, status=503)
    mock.get(GET_ALICE, payload=ALICE)

    user = await client.users.get("alice")

    assert user == User(username="alice")
    assert len(sent(mock, "GET", GET_ALICE)) == 3
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_gateway_errors_on_get_are_retried(client, mock, clock, status):
    mock.get(GET_ALICE, status=status)
    mock.get(GET_ALICE, payload=ALICE)

    assert (await client.users.get("alice")).username == "alice"
    assert len(sent(mock, "GET", GET_ALICE)) == 2


@pytest.mark.parametrize("status", [500, 400, 403, 404, 413])
async def test_other_errors_are_not_retried(client, mock, clock, status):
    mock.get(GET_ALICE, status=status, repeat=True)

    with pytest.raises(APIStatusError) as info:
        await client.users.get("alice")

    assert info.value.status == status
    assert len(sent(mock, "GET", GET_ALICE)) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_gateway_errors_on_register_are_not_retried(client, mock, clock, status):
    # users.register is a POST the table does not mark safe: a 503 may come after the
    # user was created, so repeating it could fail with "duplicate" or do it twice.
    mock.post(USERS, status=status, repeat=True)

    with pytest.raises(ServerError) as info:
        await client.users.register("alice", password="pw")

    assert info.value.status == status
    assert len(sent(mock, "POST", USERS)) == 1
    assert clock.sleeps == []


async def test_503_on_a_post_the_table_marks_safe_is_retried(client, mock, clock):
    url = BASE + "/users/alice/deactivate"
    mock.post(url, status=503)
    mock.post(url, payload=ALICE)

    assert (await client.users.deactivate("alice")).username == "alice"
    assert len(sent(mock, "POST", url)) == 2


async def test_429_reach_limit_on_register_is_retried(client, mock, clock):
    # The server refused without acting, so even a non-repeatable POST may go again.
    mock.post(USERS, **rate_limited("reach_limit"))
    mock.post(USERS, payload=ALICE)

    user = await client.users.register("alice", password="pw")

    assert user.username == "alice"
    assert len(sent(mock, "POST", USERS)) == 2
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize(("method", "url"), [("POST", USERS), ("GET", GET_ALICE)])
async def test_429_resource_limited_is_not_retried(client, mock, clock, method, url):
    mock.add(url, method, repeat=True, **rate_limited("resource_limited", "7"))

    call = client.users.register("alice") if method == "POST" else client.users.get("alice")
    with pytest.raises(RateLimitError) as info:
        await call

    assert info.value.retry_after == 7.0
    assert info.value.is_quota is True
    assert info.value.error == "resource_limited"
    assert len(sent(mock, method, url)) == 1
    assert clock.sleeps == []


async def test_429_without_an_error_body_is_retried(client, mock, clock):
    mock.post(USERS, status=429, body="Too Many Requests")
    mock.post(USERS, payload=ALICE)

    assert (await client.users.register("alice")).username == "alice"
    assert len(sent(mock, "POST", USERS)) == 2


async def test_a_429_that_stays_raises_rate_limit_error_after_the_retries(client, mock, clock):
    mock.get(GET_ALICE, repeat=True, **rate_limited("reach_limit", "1"))

    with pytest.raises(RateLimitError) as info:
        await client.users.get("alice")

    assert info.value.is_quota is False
    assert info.value.retry_after == 1.0
    assert len(sent(mock, "GET", GET_ALICE)) == 4  # the default policy: 3 retries
    assert clock.sleeps == [1.0, 1.0, 1.0]


# -- how long it waits -----------------------------------------------------------------


async def test_retry_after_is_honoured(client, mock, clock, monkeypatch):
    monkeypatch.setattr(random, "uniform", lambda a, b: pytest.fail("backoff used"))
    mock.get(GET_ALICE, status=503, headers={"Retry-After": "2"})
    mock.get(GET_ALICE, **rate_limited("reach_limit", "0.5"))
    mock.get(GET_ALICE, payload=ALICE)

    await client.users.get("alice")

    assert clock.sleeps == [2.0, 0.5]


async def test_retry_after_as_an_http_date_is_honoured(client, mock, clock, monkeypatch):
    monkeypatch.setattr(_client, "parse_retry_after", _parse_at(1445412470.0))
    mock.get(GET_ALICE, status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    mock.get(GET_ALICE, payload=ALICE)

    await client.users.get("alice")

    assert clock.sleeps == [10.0]


def _parse_at(now: float) -> Any:
    from agora_chat_async._errors import parse_retry_after

    return lambda value: parse_retry_after(value, now=now)


async def test_backoff_is_full_jitter_below_a_doubling_capped_ceiling(mock, clock, monkeypatch):
    ceilings: list[tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        ceilings.append((low, high))
        return high * 0.75

    monkeypatch.setattr(random, "uniform", uniform)
    policy = RetryPolicy(max_retries=5, backoff_base=0.5, backoff_max=3.0)
    mock.get(GET_ALICE, status=503, repeat=5)
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client(retry=policy) as client:
        await client.users.get("alice")

    # ceiling = min(backoff_max, base * 2**attempt); the wait is drawn from [0, ceiling].
    assert ceilings == [(0.0, 0.5), (0.0, 1.0), (0.0, 2.0), (0.0, 3.0), (0.0, 3.0)]
    assert clock.sleeps == [0.375, 0.75, 1.5, 2.25, 2.25]


def test_backoff_draws_stay_within_bounds_and_use_the_whole_range():
    policy = RetryPolicy(backoff_base=0.25, backoff_max=4.0)
    rng_state = random.getstate()
    random.seed(1234)
    try:
        for attempt in range(8):
            ceiling = min(4.0, 0.25 * 2**attempt)
            draws = [policy.backoff(attempt) for _ in range(300)]
            assert all(0.0 <= d <= ceiling for d in draws)
            # full jitter: draws spread over [0, ceiling], not bunched near it
            assert min(draws) < ceiling * 0.05
            assert max(draws) > ceiling * 0.95
    finally:
        random.setstate(rng_state)


# -- when it stops ---------------------------------------------------------------------


@pytest.mark.parametrize("max_retries", [0, 1, 2])
async def test_max_retries_caps_the_attempts(mock, clock, max_retries):
    mock.get(GET_ALICE, status=503, repeat=True)

    async with make_client(max_retries=max_retries) as client:
        with pytest.raises(ServerError):
            await client.users.get("alice")

    assert len(sent(mock, "GET", GET_ALICE)) == max_retries + 1
    assert len(clock.sleeps) == max_retries


async def test_max_elapsed_stops_before_a_wait_that_would_end_too_late(mock, clock):
    # Retry-After 4 s with a 10 s budget: wait 4 (t=4), wait 4 (t=8), then 8+4 > 10.
    policy = RetryPolicy(max_retries=10, max_elapsed=10.0)
    mock.get(GET_ALICE, status=503, headers={"Retry-After": "4"}, repeat=True)

    async with make_client(retry=policy) as client:
        with pytest.raises(ServerError):
            await client.users.get("alice")

    assert clock.sleeps == [4.0, 4.0]
    assert len(sent(mock, "GET", GET_ALICE)) == 3


async def test_a_retry_after_beyond_max_elapsed_raises_at_once(mock, clock):
    mock.get(GET_ALICE, **rate_limited("reach_limit", "120"))

    async with make_client(retry=RetryPolicy(max_elapsed=60.0)) as client:
        with pytest.raises(RateLimitError) as info:
            await client.users.get("alice")

    assert info.value.retry_after == 120.0
    assert clock.sleeps == []


async def test_time_spent_in_requests_counts_against_max_elapsed(mock, clock):
    async def slow_503(url: Any, **kwargs: Any) -> CallbackResult:
        clock.now += 7.0  # the request itself took 7 s
        return CallbackResult(status=503, headers={"Retry-After": "1"})

    mock.get(GET_ALICE, callback=slow_503, repeat=True)

    async with make_client(retry=RetryPolicy(max_retries=10, max_elapsed=20.0)) as client:
        with pytest.raises(ServerError):
            await client.users.get("alice")

    # t=7 (+1 ok), t=15 (+1 ok), t=23 > 20: stop.
    assert clock.sleeps == [1.0, 1.0]
    assert len(sent(mock, "GET", GET_ALICE)) == 3


def test_retry_policy_rejects_negative_settings():
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ValueError, match="backoff"):
        RetryPolicy(backoff_base=-0.1)
    with pytest.raises(ValueError, match="max_elapsed"):
        RetryPolicy(max_elapsed=-1)


# -- connection failures ---------------------------------------------------------------


def _refused() -> aiohttp.ClientConnectorError:
    key = types.SimpleNamespace(host="api.test", port=443, ssl=True)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))  # type: ignore[arg-type]


async def test_connection_refused_is_retried_even_for_register(client, mock, clock):
    # Nothing was sent (sent=False), so repeating cannot do anything twice.
    mock.post(USERS, exception=_refused())
    mock.post(USERS, exception=_refused())
    mock.post(USERS, payload=ALICE)

    user = await client.users.register("alice", password="pw")

    assert user.username == "alice"
    assert len(sent(mock, "POST", USERS)) == 3
    assert len(clock.sleeps) == 2


async def test_connection_refused_gives_up_after_the_retries(client, mock, clock):
    mock.post(USERS, exception=_refused(), repeat=True)

    with pytest.raises(APIConnectionError) as info:
        await client.users.register("alice")

    assert info.value.sent is False
    assert info.value.endpoint == "users.register"
    assert isinstance(info.value.__cause__, aiohttp.ClientConnectorError)
    assert len(sent(mock, "POST", USERS)) == 4


@pytest.mark.parametrize(
    "exception",
    [
        aiohttp.ServerDisconnectedError(),
        aiohttp.ClientOSError(104, "Connection reset by peer"),
        aiohttp.ClientPayloadError("Response payload is not completed"),
    ],
    ids=["disconnected", "reset", "payload"],
)
async def test_a_connection_error_after_sending_register_is_not_retried(
    client, mock, clock, exception
):
    # The request may have reached the server: a second send could create twice.
    mock.post(USERS, exception=exception)
    mock.post(USERS, payload=ALICE)

    with pytest.raises(APIConnectionError) as info:
        await client.users.register("alice", password="pw")

    assert info.value.sent is True
    assert info.value.__cause__ is exception
    assert len(sent(mock, "POST", USERS)) == 1
    assert clock.sleeps == []


async def test_a_timeout_on_register_is_not_retried(client, mock, clock):
    mock.post(USERS, exception=TimeoutError())
    mock.post(USERS, payload=ALICE)

    with pytest.raises(APITimeoutError) as info:
        await client.users.register("alice")

    assert info.value.sent is True
    assert len(sent(mock, "POST", USERS)) == 1


async def test_a_connect_timeout_on_register_is_retried(client, mock, clock):
    mock.post(USERS, exception=aiohttp.ConnectionTimeoutError("connect timed out"))
    mock.post(USERS, payload=ALICE)

    assert (await client.users.register("alice")).username == "alice"
    assert len(sent(mock, "POST", USERS)) == 2


@pytest.mark.parametrize(
    "exception",
    [aiohttp.ServerDisconnectedError(), TimeoutError(), aiohttp.ClientOSError(104, "reset")],
    ids=["disconnected", "timeout", "reset"],
)
async def test_connection_errors_on_get_are_retried(client, mock, clock, exception):
    mock.get(GET_ALICE, exception=exception)
    mock.get(GET_ALICE, payload=ALICE)

    assert (await client.users.get("alice")).username == "alice"
    assert len(sent(mock, "GET", GET_ALICE)) == 2
    assert len(clock.sleeps) == 1


# -- logging ---------------------------------------------------------------------------


async def test_each_retry_is_logged_at_debug_without_the_token(mock, clock, caplog):
    caplog.set_level(logging.DEBUG)
    mock.get(GET_ALICE, status=503, headers={"Retry-After": "1"})
    mock.get(GET_ALICE, exception=aiohttp.ServerDisconnectedError())
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client(app_id=APP_ID, app_certificate=APP_CERT) as client:
        await client.users.get("alice")
        token = await client._auth.get_token()

    retries = [r for r in caplog.records if r.name == "agora_chat_async"]
    assert [r.levelno for r in retries] == [logging.DEBUG, logging.DEBUG]
    assert retries[0].getMessage() == "users.get: HTTP 503, retry 1/3 in 1.00s"
    assert retries[1].getMessage().startswith("users.get: APIConnectionError, retry 2/3 in ")
    assert token not in caplog.text
    assert APP_CERT not in caplog.text


async def test_no_log_record_when_nothing_is_retried(client, mock, clock, caplog):
    caplog.set_level(logging.DEBUG, logger="agora_chat_async")
    mock.get(GET_ALICE, payload=ALICE)

    await client.users.get("alice")

    assert [r for r in caplog.records if r.name == "agora_chat_async"] == []


# -- 401: renew the token once ---------------------------------------------------------


async def test_401_renews_the_app_token_once_and_retries_with_a_new_one(mock, clock):
    mock.get(GET_ALICE, status=401, payload={"error": "unauthorized"})
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client(app_id=APP_ID, app_certificate=APP_CERT) as client:
        user = await client.users.get("alice")
        provider = client._auth

    assert user.username == "alice"
    first, second = auth_headers(mock, "GET", GET_ALICE)
    assert first != second
    for header in (first, second):
        scheme, _, token = header.partition(" ")
        assert scheme == "Bearer"
        parsed = parse_token(token)
        assert parsed.app_id == APP_ID
        assert parsed.is_app_token
        assert parsed.verify(APP_CERT)
    assert isinstance(provider, AppTokenProvider)
    assert provider.renewals == 2
    assert clock.sleeps == []  # a renewal is not a backoff


async def test_a_second_401_raises_authentication_error(mock, clock):
    mock.get(GET_ALICE, status=401, payload={"error": "unauthorized"}, repeat=True)

    async with make_client(app_id=APP_ID, app_certificate=APP_CERT) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.users.get("alice")

    assert info.value.status == 401
    assert info.value.error == "unauthorized"
    headers = auth_headers(mock, "GET", GET_ALICE)
    assert len(headers) == 2
    assert headers[0] != headers[1]


async def test_401_with_a_static_token_tries_once_more_then_raises(client, mock, clock):
    mock.get(GET_ALICE, status=401, payload={"error": "unauthorized"}, repeat=True)

    with pytest.raises(AuthenticationError):
        await client.users.get("alice")

    assert auth_headers(mock, "GET", GET_ALICE) == [f"Bearer {TOKEN}"] * 2


async def test_401_renewal_does_not_use_the_retry_budget_and_covers_posts(mock, clock):
    mock.post(USERS, status=401, payload={"error": "unauthorized"})
    mock.post(USERS, payload=ALICE)

    async with make_client(app_id=APP_ID, app_certificate=APP_CERT, max_retries=0) as client:
        assert (await client.users.register("alice")).username == "alice"

    assert len(sent(mock, "POST", USERS)) == 2


async def test_401_then_503_renews_and_then_backs_off(mock, clock):
    mock.get(GET_ALICE, status=401)
    mock.get(GET_ALICE, status=503)
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client(app_id=APP_ID, app_certificate=APP_CERT) as client:
        await client.users.get("alice")

    first, second, third = auth_headers(mock, "GET", GET_ALICE)
    assert first != second == third
    assert len(clock.sleeps) == 1
