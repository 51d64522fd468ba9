"""Decoding random and malformed server answers, for many endpoints.

Whatever status, headers and body come back, a call ends in one of two ways: a value
of the endpoint's declared type, or one of the library's typed errors (an
``APIStatusError`` of the right class and status for 4xx/5xx; ``ResponseValidationError``
for a 2xx body that does not fit). Never a raw aiohttp, msgspec, KeyError ... exception.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import msgspec
import pytest
from hypothesis import example, given, strategies as st

from agora_chat_async import (
    AgoraChatError,
    APIStatusError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)
from agora_chat_async._pagination import Page
from agora_chat_async.models.groups import GroupDetail, Member
from agora_chat_async.models.users import User
from tests.property._recording import RecordingTransport, run

if TYPE_CHECKING:
    from collections.abc import Callable


def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _page_of(kind: type) -> Callable[[Any], bool]:
    return lambda page: isinstance(page, Page) and all(isinstance(i, kind) for i in page.items)


def _first_page(pager: Any) -> Any:
    return pager.pages().__anext__()


#: name -> (call, is the result of the declared type?)
CASES: dict[str, tuple[Callable[[Any], Any], Callable[[Any], bool]]] = {
    "users.get": (lambda c: c.users.get("bob"), lambda r: isinstance(r, User)),
    "users.register": (
        lambda c: c.users.register("bob", password="pw"),
        lambda r: isinstance(r, User),
    ),
    "users.delete": (lambda c: c.users.delete("bob"), lambda r: isinstance(r, User)),
    "users.deactivate": (lambda c: c.users.deactivate("bob"), lambda r: isinstance(r, User)),
    "users.get_status": (lambda c: c.users.get_status("bob"), lambda r: isinstance(r, str)),
    "users.offline_message_count": (
        lambda c: c.users.offline_message_count("bob"),
        lambda r: isinstance(r, int) and not isinstance(r, bool),
    ),
    "users.get_statuses": (lambda c: c.users.get_statuses(["bob", "ann"]), lambda r: _str_map(r)),
    "users.set_password": (
        lambda c: c.users.set_password("bob", password="pw"),
        lambda r: r is None,
    ),
    "messages.send": (
        lambda c: c.messages.send("users", to=["bob"], type="txt", body={"msg": "x"}),
        _str_map,
    ),
    "messages.rewrite": (
        lambda c: c.messages.rewrite("123", new_msg={"type": "txt", "msg": "x"}),
        lambda r: isinstance(r, bool),
    ),
    "groups.create": (
        lambda c: c.groups.create(owner="bob", name="g", description="d"),
        lambda r: isinstance(r, str),
    ),
    "groups.get": (
        lambda c: c.groups.get(["1"]),
        lambda r: all(isinstance(g, GroupDetail) for g in r),
    ),
    "users.list": (lambda c: _first_page(c.users.list()), _page_of(User)),
    "chatrooms.members.list": (
        lambda c: _first_page(c.chatrooms.members.list("1")),
        _page_of(Member),
    ),
}

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_fields = st.sampled_from(
    [
        "username",
        "uuid",
        "type",
        "created",
        "activated",
        "nickname",
        "owner",
        "member",
        "id",
        "bob",
        "result",
        "msg",
    ]
)
_envelope = st.fixed_dictionaries(
    {},
    optional={
        "entities": _json | st.lists(st.dictionaries(_fields, _json, max_size=4), max_size=3),
        "data": _json
        | st.dictionaries(_fields, _json, max_size=4)
        | st.lists(st.dictionaries(_fields, _json, max_size=3), max_size=3),
        "count": _json,
        "cursor": _json,
        "error": _json,
        "error_description": _json,
    },
)
_encoded = _envelope.map(msgspec.json.encode)
SPECIAL = [
    b"",
    b"null",
    b"{}",
    b"[]",
    b"[" * 100_000,
    b'{"data":' * 5_000,
    b"\xff\xfe",
    b'{"entities": [{"username": "bob"}]}',
    b'{"data": {"bob": "online"}}',
    b"<html><body>502 Bad Gateway</body></html>",
]
bodies = st.one_of(
    st.sampled_from(SPECIAL),
    st.binary(max_size=80),
    _json.map(msgspec.json.encode),
    _encoded,
    _encoded.flatmap(lambda b: st.integers(0, len(b)).map(lambda i: b[:i])),  # truncated
)
statuses = st.sampled_from(
    [200, 201, 204, 400, 401, 403, 404, 405, 413, 415, 429, 500, 502, 503, 504, 599]
)
retry_after = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["5", "0", "-1", "1e309", "nan", "inf", "3.5", "Wed, 21 Oct 2015 07:28:00 GMT"]
    ),
)
headers = st.fixed_dictionaries({}, optional={"Retry-After": retry_after})


@given(name=st.sampled_from(sorted(CASES)), status=statuses, body=bodies, head=headers)
@example(name="users.get", status=200, body=b"[" * 100_000, head={})
@example(name="users.get", status=500, body=b"[" * 100_000, head={})
@example(name="users.get_statuses", status=200, body=b'{"data": [{"bob": 1}]}', head={})
@example(name="users.offline_message_count", status=200, body=b'{"data": {"bob": "x"}}', head={})
@example(name="users.get", status=429, body=b"", head={"Retry-After": "1e309"})
def test_any_answer_is_a_value_or_a_typed_error(
    name: str, status: int, body: bytes, head: dict[str, str]
) -> None:
    call, is_declared_type = CASES[name]
    outcome = run(call, RecordingTransport(status=status, body=body, headers=head))
    if status >= 400:
        assert isinstance(outcome, APIStatusError), repr(outcome)
        assert outcome.status == status
        assert outcome.body == body
        if status >= 500:
            assert isinstance(outcome, ServerError)
        if status == 429:
            assert isinstance(outcome, RateLimitError)
            wait = outcome.retry_after
            assert wait is None or (math.isfinite(wait) and wait >= 0)
        return
    if isinstance(outcome, Exception):
        assert isinstance(outcome, ResponseValidationError), repr(outcome)
        assert (outcome.status, outcome.body) == (status, body)
        return
    assert is_declared_type(outcome), (name, body, outcome)


DEEP = [b'{"x":' * 5_000, b'{"data":' * 5_000, b'{"entities":[' * 5_000, b"[" * 100_000]


@pytest.mark.parametrize(
    ("status", "body"),
    [
        pytest.param(status, body, marks=())
        for status in (200, 400, 401, 404, 429, 500, 503)
        for body in DEEP
    ],
)
def test_deeply_nested_answers(status: int, body: bytes) -> None:
    """Bodies nested thousands deep: typed errors, not a RecursionError."""
    for name in ("users.get", "messages.send", "users.list", "chatrooms.members.list"):
        call, _ = CASES[name]
        outcome = run(call, RecordingTransport(status=status, body=body))
        assert isinstance(outcome, AgoraChatError), (name, repr(outcome))
        if status >= 400:
            assert isinstance(outcome, APIStatusError)
            assert (outcome.status, outcome.error) == (status, None)


#: Endpoints whose declared result is a value: an answer without it must not be one.
_VALUED = sorted(n for n in CASES if n not in {"users.set_password"})


@pytest.mark.parametrize(
    ("name", "body"),
    [(n, b) for n in _VALUED for b in (b"{}", b'{"data": null}', b'{"entities": null}')],
)
def test_a_2xx_without_the_payload_is_a_validation_error(name: str, body: bytes) -> None:
    call, _ = CASES[name]
    outcome = run(call, RecordingTransport(status=200, body=body))
    assert isinstance(outcome, ResponseValidationError), repr(outcome)


@pytest.mark.parametrize("status", [301, 302, 304, 307])
def test_a_3xx_is_not_success(status: int) -> None:
    body = b'{"entities": [{"username": "bob"}]}'
    outcome = run(
        lambda c: c.users.get("bob"),
        RecordingTransport(status=status, body=body, headers={"Location": "/x"}),
    )
    assert isinstance(outcome, AgoraChatError), repr(outcome)
