"""``AgoraChatClient``: configuration, lifecycle (close, derived clients, event loops,
unclosed-client warnings) and the request pipeline of ``_call``."""

from __future__ import annotations

import asyncio
import gc
import json
import threading
import time
import warnings
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aioresponses import aioresponses
from aioresponses.compat import normalize_url

from agora_chat_async import (
    AgoraChatClient,
    AiohttpTransport,
    APITimeoutError,
    DeletedUsers,
    RedirectError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
    Timeout,
    User,
    _codec,
)
from agora_chat_async.tokens import parse_token, verify_token

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

BASE = "https://api.test/org/app"
GET_ALICE = BASE + "/users/alice"
ALICE = {"entities": [{"username": "alice"}]}
APP_ID = "970CA35de60c44645bbae8a215061b33"
APP_CERT = "5CFd2fd1755d40ecb72977518be15d3b"
FAST = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.001)


def make_client(host: str = "api.test", **kwargs: Any) -> AgoraChatClient:
    if not {"token", "app_id", "token_provider", "client_id"} & kwargs.keys():
        kwargs["token"] = "t0k3n"
    return AgoraChatClient(host=host, org_name="org", app_name="app", **kwargs)


def session_of(client: AgoraChatClient) -> aiohttp.ClientSession | None:
    transport = client._transport
    assert isinstance(transport, AiohttpTransport)
    return transport._session


def sent(mock: aioresponses, method: str, url: str) -> list[Any]:
    return list(mock.requests.get((method, normalize_url(url)), []))


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


async def _alice(request: web.Request) -> web.Response:
    return web.json_response(ALICE)


@asynccontextmanager
async def serve(handler: Any = _alice) -> AsyncIterator[str]:
    """A tiny aiohttp.web app on 127.0.0.1:0 in this loop; yields its base URL."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.close()


@contextmanager
def serve_in_thread(peers: list[Any] | None = None) -> Iterator[str]:
    """The same app in a thread with its own loop, for tests that run several loops."""
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def handler(request: web.Request) -> web.Response:
        if peers is not None and request.transport is not None:
            peers.append(request.transport.get_extra_info("peername"))
        return web.json_response(ALICE)

    async def main() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        box["port"] = runner.addresses[0][1]
        box["stop"] = asyncio.Event()
        box["loop"] = asyncio.get_running_loop()
        ready.set()
        await box["stop"].wait()
        await runner.cleanup()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(5)
    try:
        yield f"http://127.0.0.1:{box['port']}"
    finally:
        box["loop"].call_soon_threadsafe(box["stop"].set)
        thread.join(5)


@contextmanager
def recorded_warnings() -> Iterator[list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
        gc.collect()


# -- configuration -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("a41.chat.agora.io", "https://a41.chat.agora.io/org/app"),
        ("a41.chat.agora.io/", "https://a41.chat.agora.io/org/app"),
        ("https://a41.chat.agora.io", "https://a41.chat.agora.io/org/app"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/org/app"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/org/app"),
    ],
)
def test_base_url(host, expected):
    assert make_client(host).base_url == expected


def test_org_and_app_names_are_quoted_into_the_base_url():
    client = AgoraChatClient(host="h.io", org_name="my org", app_name="app%1", token="t")
    assert client.base_url == "https://h.io/my%20org/app%251"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"host": "h.io", "org_name": "", "app_name": "app"}, "org_name"),
        ({"host": "h.io", "org_name": "org", "app_name": ""}, "app_name"),
        ({"host": "h.io", "org_name": "a/b", "app_name": "app"}, "org_name"),
        ({"host": "", "org_name": "org", "app_name": "app"}, "host"),
    ],
)
def test_empty_or_bad_names_are_refused(kwargs, field):
    with pytest.raises(ValueError, match=field):
        AgoraChatClient(token="t", **kwargs)


def test_repr_shows_the_base_url_only():
    assert (
        repr(make_client(token="secret")) == "AgoraChatClient(base_url='https://api.test/org/app')"
    )


def test_timeout_and_retry_settings():
    assert make_client()._timeout == Timeout(total=30.0, connect=10.0)
    assert make_client(timeout=5)._timeout == Timeout(total=5, connect=10.0)
    assert make_client(timeout=Timeout(1, 2))._timeout == Timeout(1, 2)
    assert make_client()._retry == RetryPolicy()
    policy = RetryPolicy(max_retries=7, backoff_base=0.1)
    assert make_client(retry=policy, max_retries=1)._retry == RetryPolicy(
        max_retries=1, backoff_base=0.1
    )


# -- lifecycle ---------------------------------------------------------------------------


async def test_async_with_closes_the_session(mock):
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client() as client:
        await client.users.get("alice")
        session = session_of(client)
        assert session is not None
        assert not session.closed

    assert session.closed


async def test_using_a_closed_client_is_a_clear_error(mock):
    mock.get(GET_ALICE, payload=ALICE, repeat=True)
    client = make_client()
    await client.users.get("alice")
    await client.aclose()
    await client.aclose()  # twice is fine

    with pytest.raises(RuntimeError, match="AgoraChatClient is closed"):
        await client.users.get("alice")
    with pytest.raises(RuntimeError, match="closed"):
        async with client:
            pass
    assert len(sent(mock, "GET", GET_ALICE)) == 1


async def test_closing_an_unused_client_opens_nothing():
    client = make_client()
    await client.aclose()

    assert session_of(client) is None


async def test_with_options_shares_the_pool_and_overrides_settings(mock):
    mock.get(GET_ALICE, payload=ALICE, repeat=True)

    async with make_client(retry=FAST) as client:
        derived = client.with_options(timeout=2.0, max_retries=0)
        await client.users.get("alice")
        session = session_of(client)
        await derived.users.get("alice")

        assert derived._transport is client._transport
        assert session_of(derived) is session
        assert derived._timeout == Timeout(total=2.0, connect=10.0)
        assert derived._retry == RetryPolicy(max_retries=0, backoff_base=0.001, backoff_max=0.001)
        assert client._timeout == Timeout()
        assert client._retry == FAST
        assert derived.users._client is derived
        assert client.users._client is client

        await derived.aclose()
        assert session is not None
        assert not session.closed
        await client.users.get("alice")  # the pool still works
        with pytest.raises(RuntimeError, match="closed"):
            await derived.users.get("alice")

    assert session.closed


async def test_with_options_max_retries_applies_to_the_derived_client_only(mock):
    mock.get(GET_ALICE, status=503, repeat=True)

    async with make_client(retry=FAST) as client:
        with pytest.raises(ServerError):
            await client.with_options(max_retries=0).users.get("alice")
        assert len(sent(mock, "GET", GET_ALICE)) == 1
        with pytest.raises(ServerError):
            await client.users.get("alice")
        assert len(sent(mock, "GET", GET_ALICE)) == 1 + 3

        custom = client.with_options(retry=RetryPolicy(max_retries=1, backoff_max=0.0))
        with pytest.raises(ServerError):
            await custom.users.get("alice")
        assert len(sent(mock, "GET", GET_ALICE)) == 4 + 2


async def test_a_derived_client_fails_once_its_origin_is_closed(mock):
    mock.get(GET_ALICE, payload=ALICE, repeat=True)
    client = make_client()
    derived = client.with_options(timeout=1)
    await derived.users.get("alice")

    await client.aclose()

    with pytest.raises(RuntimeError, match="closed"):
        await derived.users.get("alice")


async def test_a_per_call_timeout_is_applied():
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response(ALICE)

    async with serve(slow) as url, make_client(url, max_retries=0) as client:
        try:
            started = time.monotonic()
            with pytest.raises(APITimeoutError) as info:
                await client.users.get("alice", timeout=0.05)
            assert time.monotonic() - started < 1.0
            assert info.value.endpoint == "users.get"

            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await client.with_options(timeout=Timeout(total=0.05)).users.get("alice")
            assert time.monotonic() - started < 1.0
        finally:
            release.set()


async def test_a_per_call_timeout_overrides_only_the_total(mock):
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client(timeout=Timeout(total=9, connect=3)) as client:
        await client.users.get("alice", timeout=0.5)

    (call,) = sent(mock, "GET", GET_ALICE)
    assert call.kwargs["timeout"] == aiohttp.ClientTimeout(total=0.5, connect=3)


async def test_a_callers_session_is_used_and_left_open():
    async with serve() as url, aiohttp.ClientSession() as session:
        async with make_client(url, session=session) as client:
            await client.users.get("alice")
            assert session_of(client) is session

        assert not session.closed
        async with session.get(url + "/org/app/users/alice") as response:
            assert response.status == 200  # still usable


def test_a_client_moves_to_a_new_event_loop_cleanly():
    # pytest-asyncio gives each test a loop; a server reload starts a new one.
    peers: list[Any] = []
    with serve_in_thread(peers) as url:
        client = make_client(url, app_id=APP_ID, app_certificate=APP_CERT)
        with recorded_warnings() as caught:
            assert asyncio.run(client.users.get("alice")).username == "alice"
            gc.collect()
            assert asyncio.run(client.users.get("alice")).username == "alice"
            assert asyncio.run(client.users.get("alice")).username == "alice"
            gc.collect()
            asyncio.run(client.aclose())

    assert [str(w.message) for w in caught] == []
    assert len(set(peers)) == 3  # one pool per loop; the old one was closed with its loop


def test_using_a_client_from_a_second_running_loop_is_a_clear_error():
    with serve_in_thread() as url:
        client = make_client(url)
        first = asyncio.new_event_loop()
        thread = threading.Thread(target=first.run_forever, daemon=True)
        thread.start()
        try:
            user = asyncio.run_coroutine_threadsafe(client.users.get("alice"), first).result(5)
            assert user.username == "alice"

            with pytest.raises(RuntimeError, match="in use on another running event loop"):
                asyncio.run(client.users.get("alice"))

            asyncio.run_coroutine_threadsafe(client.aclose(), first).result(5)
        finally:
            first.call_soon_threadsafe(first.stop)
            thread.join(5)
            first.close()


async def test_an_unclosed_client_warns_once():
    async with serve() as url:
        client = make_client(url)
        await client.users.get("alice")
        with recorded_warnings() as caught:
            del client
        await asyncio.sleep(0)

    messages = [(w.category, str(w.message)) for w in caught]
    assert len(messages) == 1, messages
    category, message = messages[0]
    assert category is ResourceWarning
    assert "unclosed AgoraChatClient(base_url=" in message


def test_a_client_left_unclosed_after_its_loop_ended_still_warns_once():
    with serve_in_thread() as url:
        client = make_client(url)
        asyncio.run(client.users.get("alice"))
        with recorded_warnings() as caught:
            del client

    messages = [(w.category, str(w.message)) for w in caught]
    assert len(messages) == 1, messages
    assert messages[0][0] is ResourceWarning
    assert "AgoraChatClient" in messages[0][1]


async def test_no_warning_for_closed_unused_or_derived_clients(mock):
    mock.get(GET_ALICE, payload=ALICE, repeat=True)
    with recorded_warnings() as caught:
        make_client()  # never used
        async with make_client() as closed:
            await closed.users.get("alice")
        del closed
        origin = make_client()
        derived = origin.with_options(timeout=1)
        del origin  # kept alive by `derived`
        await derived.users.get("alice")
        gc.collect()
        assert caught == []
        await derived._parent.aclose()  # type: ignore[union-attr]
        del derived

    assert caught == []


# -- the request pipeline ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["", ".", ".."])
async def test_an_empty_or_dot_path_parameter_is_refused_before_sending(mock, value):
    async with make_client() as client:
        with pytest.raises(ValueError, match="username"):
            await client.users.get(value)
        with pytest.raises(ValueError, match="msg_id"):
            await client.users.offline_message_status("alice", value)

    assert mock.requests == {}


async def test_path_parameters_are_url_quoted(mock):
    url = BASE + "/users/alice/offline_msg_status/a%2Fb%3Fc%23d%20e%25"
    mock.get(url, payload={"data": {"a/b?c#d e%": "delivered"}})

    async with make_client() as client:
        assert await client.users.offline_message_status("alice", "a/b?c#d e%") == "delivered"

    ((_, sent_url),) = mock.requests
    assert sent_url.raw_path == "/org/app/users/alice/offline_msg_status/a%2Fb%3Fc%23d%20e%25"


async def test_the_body_is_encoded_with_only_the_given_fields(mock):
    mock.post(BASE + "/users", payload=ALICE)

    async with make_client() as client:
        await client.users.register("alice", password="pw")

    (call,) = sent(mock, "POST", BASE + "/users")
    assert call.kwargs["data"] == b'{"username":"alice","password":"pw"}'
    assert call.kwargs["headers"] == {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Authorization": "Bearer t0k3n",
    }


async def test_a_get_sends_no_body_and_no_content_type(mock):
    mock.get(GET_ALICE, payload=ALICE)

    async with make_client() as client:
        await client.users.get("alice")

    (call,) = sent(mock, "GET", GET_ALICE)
    assert call.kwargs["data"] is None
    assert "Content-Type" not in call.kwargs["headers"]


async def test_each_envelope_style_is_unwrapped(mock):
    mock.get(GET_ALICE, payload={"action": "get", "entities": [{"username": "alice"}]})
    mock.get(GET_ALICE + "/status", payload={"data": {"alice": "online"}})
    mock.get(GET_ALICE + "/disconnect", payload={"data": {"result": True}})
    mock.delete(
        BASE + "/users?limit=2",
        payload={"entities": [{"username": "a"}, {"username": "b"}], "cursor": "k"},
    )
    mock.put(GET_ALICE + "/password", payload={"action": "set user password"})

    async with make_client() as client:
        assert await client.users.get("alice") == User(username="alice")  # first_entity
        assert await client.users.get_status("alice") == "online"  # data + post
        assert await client.users.disconnect("alice") is True
        deleted = await client.users.delete_many(limit=2)  # the whole envelope
        await client.users.set_password("alice", password="new")  # none: returns None

    assert isinstance(deleted, DeletedUsers)
    assert [u.username for u in deleted.entities] == ["a", "b"]
    assert deleted.cursor == "k"
    (put,) = sent(mock, "PUT", GET_ALICE + "/password")
    assert json.loads(put.kwargs["data"]) == {"newpassword": "new"}


# -- what counts as an answer ------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_redirect_is_an_error_and_is_not_followed_or_retried(mock, status):
    mock.get(GET_ALICE, status=status, headers={"Location": "https://elsewhere.test/x"})
    mock.post(BASE + "/messages/users", status=status, body=b"")

    async with make_client(retry=FAST) as client:
        with pytest.raises(RedirectError) as info:
            await client.users.get("alice")
        with pytest.raises(RedirectError) as posted:
            await client.messages.send("users", from_="a", to=["b"], type="txt", body={"msg": "x"})

    error = info.value
    assert (error.status, error.location, error.endpoint) == (
        status,
        "https://elsewhere.test/x",
        "users.get",
    )
    assert error.error is None
    assert str(error) == f"users.get failed with HTTP {status} (no error body)"
    assert (posted.value.status, posted.value.location) == (status, None)
    assert [
        len(sent(mock, "GET", GET_ALICE)),
        len(sent(mock, "POST", BASE + "/messages/users")),
    ] == [
        1,
        1,
    ]


#: (endpoint, call, method, path): endpoints declared to return a value, one per unwrap
#: style: the first entity, data (a dict, a bool made from data), result, a list page.
_VALUED = [
    ("users.get", lambda c: c.users.get("alice"), "GET", "/users/alice"),
    (
        "messages.send",
        lambda c: c.messages.send("users", from_="a", to=["b"], type="txt", body={"msg": "x"}),
        "POST",
        "/messages/users",
    ),
    (
        "messages.rewrite",
        lambda c: c.messages.rewrite("1001", new_msg={"type": "txt", "msg": "y"}),
        "PUT",
        "/messages/rewrite/1001",
    ),
    ("users.get_status", lambda c: c.users.get_status("alice"), "GET", "/users/alice/status"),
    (
        "presence.subscribe",
        lambda c: c.presence.subscribe("alice", 60, usernames=["bob"]),
        "POST",
        "/users/alice/presence/60",
    ),
    ("users.list", lambda c: c.users.list().to_list(), "GET", "/users?limit=100"),
]


@pytest.mark.parametrize("body", [b"{}", b'{"timestamp": 1, "duration": 0}'])
@pytest.mark.parametrize(("name", "call", "method", "path"), _VALUED, ids=[v[0] for v in _VALUED])
async def test_a_2xx_without_its_payload_is_a_validation_error(
    mock, body, name, call, method, path
):
    mock.add(BASE + path, method, status=200, body=body, content_type="application/json")

    async with make_client() as client:
        with pytest.raises(ResponseValidationError) as info:
            await call(client)

    assert info.value.endpoint == name
    assert (info.value.status, info.value.body) == (200, body)
    assert str(info.value).startswith(f"{name}: unexpected response body: ")
    assert len(sent(mock, method, BASE + path)) == 1


async def test_a_null_payload_is_a_validation_error_too(mock):
    mock.put(BASE + "/messages/rewrite/1001", payload={"data": None})
    mock.get(BASE + "/users?limit=100", payload={"entities": None})

    async with make_client() as client:
        with pytest.raises(ResponseValidationError, match="Expected `str`, got `null`"):
            await client.messages.rewrite("1001", new_msg={"type": "txt", "msg": "y"})
        with pytest.raises(ResponseValidationError, match="Expected `array`, got `null`"):
            await client.users.list().to_list()


async def test_decoders_and_plans_are_built_once(mock):
    mock.get(GET_ALICE, payload=ALICE, repeat=True)

    async with make_client() as client:
        await client.users.get("alice")
        plan = client._plans["users.get"]
        decoders = dict(_codec._decoders)
        await client.users.get("alice")
        await client.users.get("alice")

        assert client._plans["users.get"] is plan
        assert _codec._decoders == decoders
    assert _codec.decoder_for(User) is _codec.decoder_for(User)


def test_a_loop_closed_without_shutting_down_its_generators_still_allows_a_new_pool():
    # loop.close() without loop.shutdown_asyncgens(): the old pool cannot be closed any
    # more (its sockets warn when collected), but the client must still work.
    peers: list[Any] = []
    with serve_in_thread(peers) as url:
        client = make_client(url)
        loop = asyncio.new_event_loop()
        loop.run_until_complete(client.users.get("alice"))
        loop.close()
        with recorded_warnings() as caught:
            assert asyncio.run(client.users.get("alice")).username == "alice"
            asyncio.run(client.aclose())

    # Only the dead loop's socket itself; no aiohttp session/connector warnings.
    leftovers = [(w.category, str(w.message)) for w in caught]
    assert all(category is ResourceWarning for category, _ in leftovers), leftovers
    assert all(
        message.startswith(("unclosed transport <", "unclosed <socket.socket"))
        for _, message in leftovers
    ), leftovers
    assert len(set(peers)) == 2


# -- from_env ------------------------------------------------------------------------------

ENV = {"AGORA_HOST": "api.test", "AGORA_ORG_NAME": "org", "AGORA_APP_NAME": "app"}


async def test_from_env_builds_app_tokens_from_the_app_credentials(mock) -> None:
    environ = {**ENV, "AGORA_APP_ID": APP_ID, "AGORA_APP_CERTIFICATE": APP_CERT}
    mock.get(GET_ALICE, payload=ALICE)

    async with AgoraChatClient.from_env(environ) as client:
        assert client.base_url == BASE
        assert (await client.users.get("alice")).username == "alice"

    (call,) = sent(mock, "GET", GET_ALICE)
    token = call.kwargs["headers"]["Authorization"].removeprefix("Bearer ")
    assert parse_token(token).app_id == APP_ID
    assert verify_token(token, APP_CERT)


async def test_from_env_sends_a_fixed_token_which_wins_over_app_credentials(mock) -> None:
    environ = {**ENV, "AGORA_TOKEN": "fixed", "AGORA_APP_ID": APP_ID, "AGORA_APP_CERTIFICATE": ""}
    mock.get(GET_ALICE, payload=ALICE)

    async with AgoraChatClient.from_env(environ) as client:
        await client.users.get("alice")

    (call,) = sent(mock, "GET", GET_ALICE)
    assert call.kwargs["headers"]["Authorization"] == "Bearer fixed"


async def test_from_env_reads_os_environ_and_passes_other_options_on(mock, monkeypatch) -> None:
    for name, value in {**ENV, "AGORA_TOKEN": "t"}.items():
        monkeypatch.setenv(name, value)
    mock.get(GET_ALICE, status=503)

    async with AgoraChatClient.from_env(max_retries=0) as client:
        with pytest.raises(ServerError):
            await client.users.get("alice")

    assert len(sent(mock, "GET", GET_ALICE)) == 1  # max_retries=0 reached the client


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"AGORA_TOKEN": "t"}, "AGORA_HOST, AGORA_ORG_NAME, AGORA_APP_NAME"),
        ({**ENV, "AGORA_APP_NAME": "", "AGORA_TOKEN": "t"}, "missing .*: AGORA_APP_NAME$"),
        ({**ENV, "AGORA_APP_ID": APP_ID}, "AGORA_APP_ID and AGORA_APP_CERTIFICATE, or AGORA_TOKEN"),
        (ENV, "AGORA_APP_ID and AGORA_APP_CERTIFICATE, or AGORA_TOKEN"),
    ],
)
def test_from_env_names_what_is_missing(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AgoraChatClient.from_env(environ)
