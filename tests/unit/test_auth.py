"""Token sources: static, App ID + certificate, client credentials, custom providers;
caching, renewal, one renewal for all waiters, and tokens kept out of reprs and errors."""

from __future__ import annotations

import asyncio
import json
import types
from typing import TYPE_CHECKING, Any

import pytest
from aioresponses import aioresponses
from aioresponses.compat import normalize_url

from agora_chat_async import (
    AgoraChatClient,
    AppTokenProvider,
    AuthenticationError,
    CallableTokenProvider,
    ResponseValidationError,
    StaticToken,
    TokenProvider,
    _auth,
)
from agora_chat_async.tokens import parse_token

if TYPE_CHECKING:
    from collections.abc import Iterator

BASE = "https://api.test/org/app"
APP_ID = "970CA35de60c44645bbae8a215061b33"
APP_CERT = "5CFd2fd1755d40ecb72977518be15d3b"
STATIC = "static-secret-token-0123456789"
CLIENT_ID = "YXA6client-id"
CLIENT_SECRET = "YXA6very-secret-client-secret"
ALICE = {"entities": [{"username": "alice"}]}
GET_ALICE = BASE + "/users/alice"
TOKEN_URL = BASE + "/token"


def make_client(**kwargs: Any) -> AgoraChatClient:
    return AgoraChatClient(host="api.test", org_name="org", app_name="app", **kwargs)


def sent(mock: aioresponses, method: str, url: str) -> list[Any]:
    return list(mock.requests.get((method, normalize_url(url)), []))


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


class Monotonic:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic(monkeypatch: pytest.MonkeyPatch) -> Monotonic:
    clock = Monotonic()
    monkeypatch.setattr(_auth, "time", types.SimpleNamespace(monotonic=clock))
    return clock


class CountingFetch:
    """An ``async () -> (token, lifetime)`` that counts calls and can be held open."""

    def __init__(self, lifetime: float = 3600.0) -> None:
        self.calls = 0
        self.lifetime = lifetime
        self.release = asyncio.Event()
        self.error: Exception | None = None

    async def __call__(self) -> tuple[str, float]:
        self.calls += 1
        await self.release.wait()
        if self.error is not None:
            raise self.error
        return f"token-{self.calls}", self.lifetime


# -- AppTokenProvider ------------------------------------------------------------------


async def test_app_token_is_an_app_token_for_the_app_id():
    provider = AppTokenProvider(APP_ID, APP_CERT, ttl=600)

    parsed = parse_token(await provider.get_token())

    assert parsed.app_id == APP_ID
    assert parsed.is_app_token
    assert parsed.user_id is None
    assert parsed.expire == 600
    assert parsed.verify(APP_CERT)


async def test_app_token_is_cached():
    provider = AppTokenProvider(APP_ID, APP_CERT)

    first = await provider.get_token()
    second = await provider.get_token()

    assert first == second
    assert provider.renewals == 1


async def test_app_token_is_renewed_well_before_it_expires(monotonic):
    # ttl 600 s, renew_margin 0.2: a new token once 480 s have passed.
    provider = AppTokenProvider(APP_ID, APP_CERT, ttl=600)
    first = await provider.get_token()

    monotonic.now += 479.0
    assert await provider.get_token() == first
    assert provider.renewals == 1

    monotonic.now += 2.0
    second = await provider.get_token()
    assert second != first
    assert parse_token(second).app_id == APP_ID
    assert provider.renewals == 2


async def test_renew_margin_is_configurable(monotonic):
    provider = AppTokenProvider(APP_ID, APP_CERT, ttl=1000, renew_margin=0.5)
    first = await provider.get_token()

    monotonic.now += 499.0
    assert await provider.get_token() == first
    monotonic.now += 2.0
    assert await provider.get_token() != first


@pytest.mark.parametrize(
    ("app_id", "cert"),
    [("not-hex", APP_CERT), (APP_ID, "short"), ("", APP_CERT), (APP_ID, "z" * 32)],
)
def test_invalid_app_id_or_certificate_fails_at_construction(app_id, cert):
    with pytest.raises(ValueError, match=r"app_id|app_certificate") as info:
        make_client(app_id=app_id, app_certificate=cert)
    assert APP_CERT not in str(info.value)


@pytest.mark.parametrize("ttl", [0, 59, 86401])
def test_app_token_ttl_out_of_range_is_rejected(ttl):
    with pytest.raises(ValueError, match="ttl"):
        AppTokenProvider(APP_ID, APP_CERT, ttl=ttl)


# -- one renewal at a time -------------------------------------------------------------


async def test_fifty_concurrent_callers_share_one_fetch():
    fetch = CountingFetch()
    provider = CallableTokenProvider(fetch)

    waiters = [asyncio.create_task(provider.get_token()) for _ in range(50)]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert fetch.calls == 1
    fetch.release.set()
    tokens = await asyncio.gather(*waiters)

    assert tokens == ["token-1"] * 50
    assert fetch.calls == 1
    assert provider.renewals == 1


async def test_fifty_callers_waiting_on_a_renewal_near_expiry_share_one_fetch(monotonic):
    fetch = CountingFetch(lifetime=100.0)
    fetch.release.set()
    provider = CallableTokenProvider(fetch)
    assert await provider.get_token() == "token-1"

    monotonic.now += 81.0  # past 80 % of the lifetime
    fetch.release.clear()
    waiters = [asyncio.create_task(provider.get_token()) for _ in range(50)]
    await asyncio.sleep(0)
    fetch.release.set()

    assert await asyncio.gather(*waiters) == ["token-2"] * 50
    assert fetch.calls == 2


async def test_a_failed_renewal_fails_every_waiter_with_one_fetch_then_tries_again():
    fetch = CountingFetch()
    fetch.error = AuthenticationError(
        status=401,
        error="unauthorized",
        description=None,
        exception=None,
        endpoint="token",
        body=b"",
    )
    provider = CallableTokenProvider(fetch)

    waiters = [asyncio.create_task(provider.get_token()) for _ in range(50)]
    await asyncio.sleep(0)
    fetch.release.set()
    results = await asyncio.gather(*waiters, return_exceptions=True)

    assert all(r is fetch.error for r in results)
    assert fetch.calls == 1
    fetch.error = None
    assert await provider.get_token() == "token-2"


async def test_a_cancelled_waiter_does_not_cancel_the_renewal_for_the_others():
    fetch = CountingFetch()
    provider = CallableTokenProvider(fetch)

    impatient = asyncio.create_task(provider.get_token())
    patient = asyncio.create_task(provider.get_token())
    await asyncio.sleep(0)
    impatient.cancel()
    await asyncio.sleep(0)
    fetch.release.set()

    assert await patient == "token-1"
    assert impatient.cancelled()
    assert fetch.calls == 1


def test_a_provider_keeps_working_on_a_new_event_loop():
    provider = AppTokenProvider(APP_ID, APP_CERT)
    first = asyncio.run(provider.get_token())
    provider.invalidate(first)

    second = asyncio.run(provider.get_token())

    assert second != first
    assert provider.renewals == 2


async def test_invalidate_drops_only_the_refused_token():
    provider = AppTokenProvider(APP_ID, APP_CERT)
    first = await provider.get_token()

    provider.invalidate("some-older-token")
    assert await provider.get_token() == first

    provider.invalidate(first)
    assert await provider.get_token() != first
    assert provider.renewals == 2


def test_renew_margin_must_be_a_fraction():
    with pytest.raises(ValueError, match="renew_margin"):
        CallableTokenProvider(CountingFetch(), renew_margin=1.0)


# -- choosing the token source ---------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"token": STATIC, "app_id": APP_ID, "app_certificate": APP_CERT},
        {"token": STATIC, "token_provider": StaticToken("x")},
        {"token": STATIC, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        {"app_id": APP_ID, "app_certificate": APP_CERT, "client_id": CLIENT_ID},
        {"app_id": APP_ID},
        {"app_certificate": APP_CERT},
        {"client_id": CLIENT_ID},
        {"client_secret": CLIENT_SECRET},
        {"token": ""},
    ],
    ids=lambda kw: "+".join(kw) or "none",
)
def test_exactly_one_complete_token_source_is_required(kwargs):
    with pytest.raises(ValueError, match=r"token source|go together|non-empty"):
        make_client(**kwargs)


async def test_static_token_is_sent_as_bearer(mock):
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client(token=STATIC) as client:
        await client.users.get("alice")

    (call,) = sent(mock, "GET", GET_ALICE)
    assert call.kwargs["headers"]["Authorization"] == f"Bearer {STATIC}"


async def test_a_custom_token_provider_is_used_and_told_about_a_401(mock):
    class Rotating:
        def __init__(self) -> None:
            self.current = "custom-1"
            self.invalidated: list[str] = []

        async def get_token(self) -> str:
            return self.current

        def invalidate(self, token: str) -> None:
            self.invalidated.append(token)
            self.current = "custom-2"

    provider = Rotating()
    assert isinstance(provider, TokenProvider)
    mock.get(GET_ALICE, status=401)
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client(token_provider=provider) as client:
        await client.users.get("alice")

    assert provider.invalidated == ["custom-1"]
    headers = [c.kwargs["headers"]["Authorization"] for c in sent(mock, "GET", GET_ALICE)]
    assert headers == ["Bearer custom-1", "Bearer custom-2"]


@pytest.mark.parametrize(
    ("error", "renews"),
    [
        ({"error": "unauthorized", "error_description": "Unable to authenticate (OAuth)"}, 1),
        ({"error": "auth_bad_access_token", "error_description": "corrupt access token"}, 1),
        (None, 1),  # no body at all
        ({"error": "MetadataException", "error_description": "user is not in chatroom"}, 0),
    ],
)
async def test_only_a_refused_token_is_renewed_on_a_401(mock, error, renews):
    class Counting:
        invalidated = 0

        async def get_token(self) -> str:
            return "tok"

        def invalidate(self, token: str) -> None:
            self.invalidated += 1

    provider = Counting()
    for _ in range(2):
        if error is None:
            mock.get(GET_ALICE, status=401)
        else:
            mock.get(GET_ALICE, status=401, payload=error)

    async with make_client(token_provider=provider) as client:
        with pytest.raises(AuthenticationError):
            await client.users.get("alice")

    assert provider.invalidated == renews
    assert len(sent(mock, "GET", GET_ALICE)) == 1 + renews


# -- client credentials (Easemob-style POST /token) ------------------------------------


async def test_client_credentials_are_exchanged_for_a_bearer_token(mock):
    mock.post(TOKEN_URL, payload={"access_token": "granted-1", "expires_in": 7200})
    mock.get(GET_ALICE, payload=ALICE, repeat=True)

    async with make_client(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_ttl=7200
    ) as client:
        await client.users.get("alice")
        await client.users.get("alice")

    (grant,) = sent(mock, "POST", TOKEN_URL)
    assert json.loads(grant.kwargs["data"]) == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "ttl": 7200,
    }
    assert grant.kwargs["headers"] == {
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    headers = [c.kwargs["headers"]["Authorization"] for c in sent(mock, "GET", GET_ALICE)]
    assert headers == ["Bearer granted-1", "Bearer granted-1"]


async def test_client_credentials_token_is_renewed_on_a_401(mock):
    mock.post(TOKEN_URL, payload={"access_token": "granted-1", "expires_in": 3600})
    mock.post(TOKEN_URL, payload={"access_token": "granted-2", "expires_in": 3600})
    mock.get(GET_ALICE, status=401)
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        await client.users.get("alice")

    assert len(sent(mock, "POST", TOKEN_URL)) == 2
    headers = [c.kwargs["headers"]["Authorization"] for c in sent(mock, "GET", GET_ALICE)]
    assert headers == ["Bearer granted-1", "Bearer granted-2"]


async def test_client_credentials_renewal_uses_expires_in(mock, monotonic):
    mock.post(TOKEN_URL, payload={"access_token": "granted-1", "expires_in": 100})
    mock.post(TOKEN_URL, payload={"access_token": "granted-2", "expires_in": 100})
    mock.get(GET_ALICE, payload=ALICE, repeat=True)

    async with make_client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        await client.users.get("alice")
        monotonic.now += 79.0
        await client.users.get("alice")
        monotonic.now += 2.0
        await client.users.get("alice")

    headers = [c.kwargs["headers"]["Authorization"] for c in sent(mock, "GET", GET_ALICE)]
    assert headers == ["Bearer granted-1", "Bearer granted-1", "Bearer granted-2"]


async def test_a_refused_client_secret_raises_without_showing_it(mock):
    body = {"error": "invalid_grant", "error_description": "client_id or secret is wrong"}
    mock.post(TOKEN_URL, status=401, payload=body)

    async with make_client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.users.get("alice")

    assert info.value.endpoint == "token"
    assert info.value.error == "invalid_grant"
    assert len(sent(mock, "POST", TOKEN_URL)) == 1  # no renew-and-retry loop on /token
    assert sent(mock, "GET", GET_ALICE) == []
    for text in (str(info.value), repr(info.value)):
        assert CLIENT_SECRET not in text


async def test_a_malformed_token_grant_is_a_validation_error_that_hides_the_body(mock):
    mock.post(TOKEN_URL, payload={"token": "granted-but-misnamed"})

    async with make_client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        with pytest.raises(ResponseValidationError) as info:
            await client.users.get("alice")

    assert info.value.endpoint == "token"
    assert b"granted-but-misnamed" not in info.value.body
    assert "granted-but-misnamed" not in str(info.value)


# -- secrets stay secret ---------------------------------------------------------------


async def test_tokens_and_secrets_are_absent_from_reprs_and_errors(mock):
    mock.get(GET_ALICE, status=401, payload={"error": "unauthorized"}, repeat=True)
    mock.post(
        TOKEN_URL, payload={"access_token": "granted-secret-1", "expires_in": 3600}, repeat=True
    )

    app = make_client(app_id=APP_ID, app_certificate=APP_CERT)
    static = make_client(token=STATIC)
    creds = make_client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    secrets = [APP_CERT, STATIC, CLIENT_SECRET, "granted-secret-1"]
    texts: list[str] = []
    async with app, static, creds:
        app_token = await app._auth.get_token()
        await creds._auth.get_token()
        secrets.append(app_token)
        for client in (app, static, creds):
            texts += [repr(client), str(client), repr(client._auth), repr(client.users)]
            with pytest.raises(AuthenticationError) as info:
                await client.users.get("alice")
            texts += [str(info.value), repr(info.value), str(info.value.args)]
    texts.append(repr(StaticToken(STATIC)))

    for text in texts:
        for secret in secrets:
            assert secret not in text, (secret, text)
    assert repr(app._auth) == f"AppTokenProvider(app_id={APP_ID!r}, ttl=3600)"
    assert repr(static._auth) == "StaticToken(<hidden>)"
    assert repr(creds._auth) == "CallableTokenProvider(<hidden>)"
