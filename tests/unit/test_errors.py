"""The error tree: mapping error bodies to classes, their fields and reprs, and that
nothing from aiohttp or msgspec reaches the caller."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import aiohttp
import msgspec
import pytest
from aioresponses import aioresponses
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from agora_chat_async import (
    AgoraChatClient,
    AgoraChatError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ResponseValidationError,
    ServerError,
)
from agora_chat_async._errors import error_from_response, parse_retry_after

if TYPE_CHECKING:
    from collections.abc import Iterator

BASE = "https://api.test/org/app"
GET_ALICE = BASE + "/users/alice"
_REQUEST_INFO = aiohttp.RequestInfo(
    URL(GET_ALICE), "GET", CIMultiDictProxy(CIMultiDict()), URL(GET_ALICE)
)


def agora_body(error: str, description: str, exception: str) -> bytes:
    return json.dumps(
        {
            "error": error,
            "exception": exception,
            "timestamp": 1542350000000,
            "duration": 0,
            "error_description": description,
        }
    ).encode()


CASES = [
    (
        400,
        BadRequestError,
        "duplicate_unique_property_exists",
        "Application null Entity user requires that property named username be unique",
        "DuplicateUniquePropertyExistsException",
    ),
    (401, AuthenticationError, "unauthorized", "Unable to authenticate", "UnauthorizedException"),
    (403, PermissionDeniedError, "forbidden_op", "forbidden operation", "ForbiddenOpException"),
    (
        404,
        NotFoundError,
        "service_resource_not_found",
        "Service resource not found",
        "ServiceResourceNotFoundException",
    ),
    (413, RequestTooLargeError, "request_entity_too_large", "Request too large", "X"),
    (429, RateLimitError, "reach_limit", "This request has reached api limit", "LimitException"),
    (500, ServerError, "internal_error", "internal error", "InternalException"),
    (502, ServerError, "bad_gateway", "bad gateway", "GatewayException"),
    (503, ServerError, "service_unavailable", "service unavailable", "X"),
    (409, APIStatusError, "conflict", "conflict", "X"),
]


@pytest.mark.parametrize(("status", "cls", "error", "description", "exception"), CASES)
def test_error_bodies_map_to_their_class_with_every_field(
    status, cls, error, description, exception
):
    body = agora_body(error, description, exception)

    exc = error_from_response(
        status, body, endpoint="users.register", headers={"X-Request-Id": "req-42"}
    )

    assert type(exc) is cls
    assert exc.status == status
    assert exc.error == error
    assert exc.description == description
    assert exc.error_description == description
    assert exc.exception == exception
    assert exc.endpoint == "users.register"
    assert exc.body == body
    assert exc.request_id == "req-42"
    assert str(exc) == f"users.register failed with HTTP {status} ({error}: {description})"


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        b"",
        b"[1, 2, 3]",
        b'{"error": 5, "error_description": ["not", "a", "string"]}',
        b"\xff\xfe not utf-8",
    ],
    ids=["html", "empty", "list", "wrong-types", "binary"],
)
@pytest.mark.parametrize(("status", "cls"), [(404, NotFoundError), (502, ServerError)])
def test_bodies_that_are_not_agora_json_still_give_the_right_class(body, status, cls):
    exc = error_from_response(status, body, endpoint="users.get")

    assert type(exc) is cls
    assert exc.error is None
    assert exc.description is None
    assert exc.exception is None
    assert exc.body == body
    assert str(exc) == f"users.get failed with HTTP {status} (no error body)"


def test_an_error_without_description_shows_the_code_only():
    exc = error_from_response(400, b'{"error": "invalid_parameter"}')

    assert str(exc) == "request failed with HTTP 400 (invalid_parameter)"
    assert exc.endpoint is None


def test_repr_is_compact():
    body = agora_body("service_resource_not_found", "x" * 5000, "NotFound")
    exc = error_from_response(404, body, endpoint="users.get")

    assert repr(exc) == (
        "NotFoundError(endpoint='users.get', status=404, error='service_resource_not_found')"
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"RETRY-AFTER": "0"}, 0.0),
        ({"Retry-After": "-4"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_rate_limit_error_parses_retry_after(headers, expected):
    exc = error_from_response(429, b'{"error": "reach_limit"}', headers=headers)

    assert isinstance(exc, RateLimitError)
    assert exc.retry_after == expected
    assert exc.is_quota is False


def test_resource_limited_is_a_quota():
    exc = error_from_response(429, b'{"error": "resource_limited"}', headers={"Retry-After": "9"})

    assert isinstance(exc, RateLimitError)
    assert exc.is_quota is True
    assert exc.retry_after == 9.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("0.25", 0.25),
        ("-1", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # in the past
        ("nan", None),
        ("inf", None),
        ("tomorrow", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, now=1445412470.0) == expected


def test_the_tree():
    status_classes: list[type[Exception]] = [
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        RequestTooLargeError,
        RateLimitError,
        ServerError,
    ]
    assert all(issubclass(cls, APIStatusError) for cls in status_classes)
    families: list[type[Exception]] = [APIStatusError, APIConnectionError, ResponseValidationError]
    assert all(issubclass(cls, AgoraChatError) for cls in families)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(AgoraChatError, Exception)
    everything: list[type[Exception]] = [
        AgoraChatError,
        *families,
        *status_classes,
        APITimeoutError,
    ]
    for cls in everything:
        assert not issubclass(cls, (aiohttp.ClientError, msgspec.MsgspecError, TimeoutError))


# -- through the client: nothing from aiohttp or msgspec escapes -----------------------


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def client() -> Any:
    async with AgoraChatClient(
        host="api.test", org_name="org", app_name="app", token="t0k3n", max_retries=0
    ) as c:
        yield c


async def test_a_404_from_the_server_is_a_not_found_error(client, mock):
    body = agora_body("service_resource_not_found", "Service resource not found", "X")
    mock.get(GET_ALICE, status=404, body=body, headers={"Content-Type": "application/json"})

    with pytest.raises(NotFoundError) as info:
        await client.users.get("alice")

    assert info.value.endpoint == "users.get"
    assert info.value.error == "service_resource_not_found"
    assert info.value.body == body


async def test_an_html_error_page_from_a_proxy_is_a_server_error(client, mock):
    mock.get(GET_ALICE, status=502, body="<html>Bad Gateway</html>", content_type="text/html")

    with pytest.raises(ServerError) as info:
        await client.users.get("alice")

    assert info.value.status == 502
    assert info.value.error is None


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (TimeoutError(), APITimeoutError),
        (aiohttp.ServerTimeoutError("read timed out"), APITimeoutError),
        (aiohttp.ConnectionTimeoutError("connect timed out"), APITimeoutError),
        (aiohttp.ServerDisconnectedError(), APIConnectionError),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), APIConnectionError),
        (aiohttp.ClientPayloadError("truncated"), APIConnectionError),
        (
            aiohttp.ClientResponseError(_REQUEST_INFO, (), status=400, message="bad"),
            APIConnectionError,
        ),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else v.__name__,
)
async def test_aiohttp_failures_become_our_errors_with_the_cause_kept(
    client, mock, exception, expected
):
    mock.get(GET_ALICE, exception=exception)

    with pytest.raises(AgoraChatError) as info:
        await client.users.get("alice")

    assert type(info.value) is expected
    assert info.value.__cause__ is exception
    assert info.value.endpoint == "users.get"  # type: ignore[attr-defined]
    assert not isinstance(info.value, (aiohttp.ClientError, TimeoutError))


@pytest.mark.parametrize(
    ("url", "call", "body"),
    [
        (GET_ALICE, "get", b"{not json"),
        (GET_ALICE, "get", b'{"entities": [{"username": 42}]}'),
        (GET_ALICE, "get", b'{"entities": []}'),
        (BASE + "/users/alice/status", "get_status", b'{"data": {}}'),
        (BASE + "/users/alice/status", "get_status", b'{"action": "get"}'),
        (BASE + "/users/alice/status", "get_status", b'{"data": ["online"]}'),
        (BASE + "/users/alice/disconnect", "disconnect", b'{"data": null}'),
    ],
    ids=[
        "not-json",
        "wrong-type",
        "no-entity",
        "empty-data",
        "missing-data",
        "data-is-a-list",
        "null-data",
    ],
)
async def test_undecodable_responses_are_response_validation_errors(client, mock, url, call, body):
    mock.get(url, status=200, body=body, content_type="application/json")

    with pytest.raises(ResponseValidationError) as info:
        await getattr(client.users, call)("alice")

    assert info.value.status == 200
    assert info.value.body == body
    assert info.value.endpoint == f"users.{call}"
    assert info.value.__cause__ is None  # the msgspec error is summarised, not chained
    assert not isinstance(info.value, msgspec.MsgspecError)
