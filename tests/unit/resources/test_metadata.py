"""``client.metadata``: user attributes on the wire (a form-encoded PUT among JSON calls)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from agora_chat_async import (
    BadRequestError,
    PermissionDeniedError,
    ResponseValidationError,
    RetryPolicy,
)

TOKEN_HEADERS = {"Accept": "application/json", "Authorization": "Bearer test-token"}
ATTRS = {"nickname": "Al", "avatarurl": "http://x.io/a.png?s=1&t=2", "ext": ""}


async def test_set_sends_a_form_and_returns_what_was_set(client, mock, wire) -> None:
    mock.put(wire.url("/metadata/user/alice"), payload={"timestamp": 1, "data": ATTRS})

    result = await client.metadata.set("alice", ATTRS)

    assert wire.sent() == {("PUT", wire.url("/metadata/user/alice")): 1}
    call = wire.calls("PUT", "/metadata/user/alice")[0]
    assert dict(call.kwargs["headers"]) == {
        **TOKEN_HEADERS,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    data = call.kwargs["data"]
    assert data == b"nickname=Al&avatarurl=http%3A%2F%2Fx.io%2Fa.png%3Fs%3D1%26t%3D2&ext="
    assert dict(parse_qsl(data.decode(), keep_blank_values=True)) == ATTRS
    assert result == ATTRS


async def test_get_delete_and_capacity(client, mock, wire) -> None:
    mock.get(wire.url("/metadata/user/alice"), payload={"data": {"a": "1"}, "duration": 3})
    mock.delete(wire.url("/metadata/user/alice"), payload={"timestamp": 1, "data": True})
    mock.get(wire.url("/metadata/user/capacity"), payload={"data": 1673})

    assert await client.metadata.get("alice") == {"a": "1"}
    assert await client.metadata.delete("alice") is True
    assert await client.metadata.capacity() == 1673
    for method, path in (
        ("GET", "/metadata/user/alice"),
        ("DELETE", "/metadata/user/alice"),
        ("GET", "/metadata/user/capacity"),
    ):
        wire.check(wire.calls(method, path)[0])


async def test_get_many_sends_targets_and_properties(client, mock, wire) -> None:
    data = {"u1": {"nickname": "One"}, "u2": {}}
    mock.post(wire.url("/metadata/user/get"), payload={"data": data})

    result = await client.metadata.get_many(["u1", "u2"], properties=["nickname"])

    wire.only(
        "POST",
        "/metadata/user/get",
        body={"targets": ["u1", "u2"], "properties": ["nickname"]},
    )
    assert result == data


async def test_get_many_is_retried_as_a_read(client, mock, wire) -> None:
    fast = client.with_options(retry=RetryPolicy(max_retries=1, backoff_base=0, backoff_max=0))
    mock.post(wire.url("/metadata/user/get"), status=503)
    mock.post(wire.url("/metadata/user/get"), payload={"data": {"u1": {}}})
    assert await fast.metadata.get_many(["u1"], properties=["a"]) == {"u1": {}}
    assert wire.sent() == {("POST", wire.url("/metadata/user/get")): 2}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.metadata.set("alice", {}), "non-empty mapping"),
        (lambda c: c.metadata.set("alice", {"a": 1}), "values strings"),
        (lambda c: c.metadata.set("alice", {"a": "x" * 2048}), "2048"),
        (lambda c: c.metadata.set("bad name", {"a": "b"}), "username"),
        (lambda c: c.metadata.get(""), "username"),
        (lambda c: c.metadata.get_many([], properties=["a"]), "1 to 100"),
        (lambda c: c.metadata.get_many(["u"] * 101, properties=["a"]), "1 to 100"),
        (lambda c: c.metadata.get_many(["u"], properties=[]), "attribute names"),
        (lambda c: c.metadata.get_many(["u"], properties="nickname"), "attribute names"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(client, mock, call, message) -> None:
    with pytest.raises(ValueError, match=message):
        await call(client)
    assert mock.requests == {}


async def test_errors_are_typed(client, mock, wire) -> None:
    forbidden = {
        "error": "FORBIDDEN",
        "error_description": "size of metadata for this single user exceeds the user "
        "defined limit, 2048Bytes",
    }
    mock.put(wire.url("/metadata/user/alice"), status=403, payload=forbidden)
    mock.post(wire.url("/metadata/user/get"), status=400, payload={"error": "BAD_REQUEST"})
    mock.get(wire.url("/metadata/user/alice"), payload={"data": ["not", "a", "map"]})

    with pytest.raises(PermissionDeniedError) as denied:
        await client.metadata.set("alice", {"a": "b"})
    assert (denied.value.error, denied.value.endpoint) == ("FORBIDDEN", "metadata.set")
    with pytest.raises(BadRequestError):
        await client.metadata.get_many(["u"], properties=["a"])
    with pytest.raises(ResponseValidationError):
        await client.metadata.get("alice")


async def test_set_each_sends_one_form_per_user(client, mock, wire) -> None:
    mock.put(wire.url("/metadata/user/ann"), payload={"data": {"k": "1"}})
    mock.put(wire.url("/metadata/user/bob"), status=403, payload={"error": "FORBIDDEN"})

    result = await client.metadata.set_each(
        [("ann", {"k": "1"}), {"username": "bob", "k": "2"}, ("bad name", {"k": "3"})],
        concurrency=1,
    )

    assert wire.sent() == {
        ("PUT", wire.url("/metadata/user/ann")): 1,
        ("PUT", wire.url("/metadata/user/bob")): 1,
    }
    assert wire.calls("PUT", "/metadata/user/ann")[0].kwargs["data"] == b"k=1"
    assert wire.calls("PUT", "/metadata/user/bob")[0].kwargs["data"] == b"k=2"
    assert result.succeeded == [("ann", {"k": "1"})]
    assert [f.item for f in result.failed] == [("bob", {"k": "2"})]
    assert isinstance(result.failed[0].error, PermissionDeniedError)
    assert [f.item for f in result.skipped] == [("bad name", {"k": "3"})]
