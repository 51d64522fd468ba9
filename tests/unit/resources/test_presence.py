"""Presence on the wire: setting a device's state, subscribing, reading presence and
a page of subscriptions; bare ``{"result": ...}`` answers with numeric strings."""

from __future__ import annotations

import pytest

from agora_chat_async import BadRequestError, NotFoundError
from agora_chat_async.models.presence import UserPresence

SUBSCRIBED = {
    "result": [
        {
            "uid": "c2",
            "last_time": "1644466063",
            "expiry": "1645500371",
            "ext": "123",
            "status": {"android": "1", "android_6b56": "0"},
        },
        {"uid": "c3", "last_time": "1645183991", "expiry": "1645500371", "ext": "", "status": []},
    ]
}


async def test_set_posts_the_ext_to_the_device_path(client, mock, wire) -> None:
    mock.post(wire.url("/users/c1/presence/android_123423453246/0"), payload={"result": "ok"})

    done = await client.presence.set("c1", "android_123423453246", 0, ext="123")

    wire.only("POST", "/users/c1/presence/android_123423453246/0", body={"ext": "123"})
    assert done is True


async def test_set_reads_another_result_as_not_done(client, mock, wire) -> None:
    mock.post(wire.url("/users/c1/presence/web_1/2"), payload={"result": "failed"})
    assert await client.presence.set("c1", "web_1", "2", ext="") is False


async def test_subscribe_sends_the_usernames_and_decodes_their_presence(client, mock, wire) -> None:
    mock.post(wire.url("/users/wzy/presence/1000"), payload=SUBSCRIBED)

    found = await client.presence.subscribe("wzy", 1000, ["c2", "c3"])

    wire.only("POST", "/users/wzy/presence/1000", body={"usernames": ["c2", "c3"]})
    assert [type(p) for p in found] == [UserPresence, UserPresence]
    first, second = found
    assert (first.uid, first.last_time, first.expiry, first.ext) == (
        "c2",
        1644466063,
        1645500371,
        "123",
    )
    assert first.devices == {"android": "1", "android_6b56": "0"}
    assert (second.status, second.devices) == ({}, {})  # [] for no presence


async def test_get_many_posts_the_usernames(client, mock, wire) -> None:
    body = {"result": [{"uid": "c2", "last_time": 1644466063, "ext": "", "status": {"a": "0"}}]}
    mock.post(wire.url("/users/wzy/presence"), payload=body)

    found = await client.presence.get_many("wzy", ["c2"])

    wire.only("POST", "/users/wzy/presence", body={"usernames": ["c2"]})
    assert [(p.uid, p.last_time, p.expiry, p.status) for p in found] == [
        ("c2", 1644466063, None, {"a": "0"})
    ]


async def test_list_subscriptions_pages_by_number_until_a_short_page(client, mock, wire) -> None:
    full = {
        "result": {
            "totalnum": "3",
            "sublist": [{"uid": "lxml3", "expiry": "1645822322"}, {"uid": "lxml2"}],
        }
    }
    short = {"result": {"totalnum": "3", "sublist": [{"uid": "lxml1", "expiry": 1645822000}]}}
    mock.get(wire.url("/users/wzy/presence/sublist?pageNum=1&pageSize=2"), payload=full)
    mock.get(wire.url("/users/wzy/presence/sublist?pageNum=2&pageSize=2"), payload=short)

    subs = [s async for s in client.presence.list_subscriptions("wzy", page_size=2)]

    assert wire.sent() == {
        ("GET", wire.url("/users/wzy/presence/sublist?pageNum=1&pageSize=2")): 1,
        ("GET", wire.url("/users/wzy/presence/sublist?pageNum=2&pageSize=2")): 1,
    }
    wire.check(wire.calls("GET", "/users/wzy/presence/sublist?pageNum=1&pageSize=2")[0])
    assert [(s.uid, s.expiry) for s in subs] == [
        ("lxml3", 1645822322),
        ("lxml2", None),
        ("lxml1", 1645822000),
    ]


async def test_list_subscriptions_defaults_to_pages_of_500(client, mock, wire) -> None:
    empty = {"result": {"totalnum": "0", "sublist": []}}
    mock.get(wire.url("/users/wzy/presence/sublist?pageNum=1&pageSize=500"), payload=empty)
    assert [s async for s in client.presence.list_subscriptions("wzy")] == []
    wire.only("GET", "/users/wzy/presence/sublist?pageNum=1&pageSize=500")


async def test_unsubscribe_deletes_with_a_bare_array_body(client, mock, wire) -> None:
    mock.delete(wire.url("/users/wzy/presence"), payload={"result": "ok"})

    assert await client.presence.unsubscribe("wzy", ["c1", "c2"]) is True

    call = wire.only("DELETE", "/users/wzy/presence", body=["c1", "c2"])
    assert call.kwargs["data"] == b'["c1","c2"]'
    with pytest.raises(ValueError, match="1 to 100"):
        await client.presence.unsubscribe("wzy", [])


async def test_server_errors_are_typed(client, mock, wire) -> None:
    error = {"error": "illegal_argument", "error_description": "you can't sub yourself"}
    mock.post(wire.url("/users/wzy/presence/60"), status=400, payload=error)
    with pytest.raises(BadRequestError) as caught:
        await client.presence.subscribe("wzy", 60, ["wzy"])
    assert (caught.value.error, caught.value.description) == (
        "illegal_argument",
        "you can't sub yourself",
    )
    missing = {
        "error": "service_resource_not_found",
        "error_description": "Service resource not found",
    }
    mock.post(wire.url("/users/nobody/presence/web_1/1"), status=404, payload=missing)
    with pytest.raises(NotFoundError):
        await client.presence.set("nobody", "web_1", 1, ext="")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.presence.set("c1", "web_1", "busy", ext=""), ValueError),
        (lambda c: c.presence.set("c1", "web_1", -1, ext=""), ValueError),
        (lambda c: c.presence.set("c1", "web_1", 1, ext="é" * 513), ValueError),
        (lambda c: c.presence.set("c1", "web_1", 1, ext=None), TypeError),
        (lambda c: c.presence.set("c1", "", 1, ext=""), ValueError),
        (lambda c: c.presence.subscribe("wzy", 0, ["c2"]), ValueError),
        (lambda c: c.presence.subscribe("wzy", 2_592_001, ["c2"]), ValueError),
        (lambda c: c.presence.subscribe("wzy", 60, []), ValueError),
        (lambda c: c.presence.subscribe("wzy", 60, "c2"), TypeError),
        (lambda c: c.presence.get_many("wzy", [f"u{i}" for i in range(101)]), ValueError),
        (lambda c: c.presence.get_many("bad name", ["c2"]), ValueError),
    ],
)
async def test_bad_arguments_send_nothing(client, wire, call, error) -> None:
    with pytest.raises(error):
        await call(client)
    assert wire.sent() == {}


async def test_ext_of_1024_bytes_is_sent(client, mock, wire) -> None:
    ext = "é" * 512  # 1024 bytes in UTF-8
    mock.post(wire.url("/users/c1/presence/web_1/1"), payload={"result": "ok"})
    assert await client.presence.set("c1", "web_1", "1", ext=ext) is True
    wire.only("POST", "/users/c1/presence/web_1/1", body={"ext": ext})
