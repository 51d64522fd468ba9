"""Presence against the emulator: states per device, subscriptions, their expiry and
limits, and what deleting a user takes with it.

The emulator runs on a clock the tests move (a subscription runs out); tokens stay
valid, as the clock never runs far ahead of real time.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import BadRequestError, NotFoundError
from tests.integration._helpers import agora_error, ok, register

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Clock, Raw


async def _subscriptions(client: AgoraChatClient, user: str) -> list[Any]:
    return [s async for s in client.presence.list_subscriptions(user)]


async def test_set_then_read_presence_per_device(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "alice", "bob")
    before = int(time.time())
    assert await client.presence.set("bob", "android_1", 1, ext="busy") is True
    assert await client.presence.set("bob", "ios_2", "3", ext="in a call") is True

    found = await client.presence.get_many("alice", ["BOB", "carol"])

    bob, carol = found
    assert (bob.uid, bob.ext, bob.devices) == ("bob", "in a call", {"android_1": "1", "ios_2": "3"})
    assert isinstance(bob.last_time, int)
    assert bob.last_time >= before
    # never set (or not even registered): an empty status
    assert (carol.uid, carol.devices, carol.ext, carol.last_time) == ("carol", {}, "", 0)


async def test_reading_as_an_unknown_user_answers_nothing(
    client: AgoraChatClient, raw: Raw
) -> None:
    await register(raw, "bob")
    await client.presence.set("bob", "web_1", 1, ext="")
    assert await client.presence.get_many("nobody", ["bob"]) == []


async def test_subscribe_answers_presence_and_lists_newest_first(
    client: AgoraChatClient, raw: Raw
) -> None:
    await register(raw, "wzy", "c1", "c2", "c3")
    await client.presence.set("c2", "android_9", 1, ext="123")
    now = int(time.time())

    found = await client.presence.subscribe("wzy", 1000, ["c2", "c3"])

    assert [(p.uid, p.ext, p.devices) for p in found] == [
        ("c2", "123", {"android_9": "1"}),
        ("c3", "", {}),
    ]
    assert all(now + 1000 <= (p.expiry or 0) <= now + 1002 for p in found)
    await client.presence.subscribe("wzy", 60, ["c1"])

    pages = client.presence.list_subscriptions("wzy", page_size=2).pages()
    assert [[s.uid for s in p.items] async for p in pages] == [["c1", "c3"], ["c2"]]
    # renewing moves a subscription to the front, with its new end
    await client.presence.subscribe("wzy", 5000, ["c2"])
    subs = await _subscriptions(client, "wzy")
    assert [s.uid for s in subs] == ["c2", "c1", "c3"]
    assert (subs[0].expiry or 0) >= now + 5000


async def test_unsubscribing_ends_only_the_named_subscriptions(
    client: AgoraChatClient, raw: Raw
) -> None:
    await register(raw, "wzy", "c1", "c2", "c3")
    await client.presence.subscribe("wzy", 600, ["c1", "c2", "c3"])

    assert await client.presence.unsubscribe("wzy", ["C1", "c3", "never-followed"]) is True

    assert [s.uid for s in await _subscriptions(client, "wzy")] == ["c2"]
    response = await raw("DELETE", "/users/wzy/presence", json=[])
    agora_error(response, 400, "illegal_argument", "usernames is empty")
    response = await raw("DELETE", "/users/ghost/presence", json=["c1"])
    assert response.status == 404


async def test_subscriptions_run_out(client: AgoraChatClient, raw: Raw, clock: Clock) -> None:
    await register(raw, "wzy", "c1", "c2")
    await client.presence.subscribe("wzy", 60, ["c1"])
    await client.presence.subscribe("wzy", 600, ["c2"])
    clock.offset = 61
    assert [s.uid for s in await _subscriptions(client, "wzy")] == ["c2"]


async def test_the_documented_default_page_size_is_one(raw: Raw) -> None:
    await register(raw, "wzy", "c1", "c2")
    await ok(raw, "POST", "/users/wzy/presence/60", {"usernames": ["c1", "c2"]})
    body = await ok(raw, "GET", "/users/wzy/presence/sublist")
    assert body["result"]["totalnum"] == "2"
    assert [s["uid"] for s in body["result"]["sublist"]] == ["c2"]


async def test_an_unknown_users_list_is_empty(client: AgoraChatClient) -> None:
    assert await _subscriptions(client, "nobody") == []


async def test_refusals(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "wzy", "c1")
    with pytest.raises(BadRequestError) as caught:
        await client.presence.subscribe("wzy", 60, ["c1", "WZY"])
    assert (caught.value.error, caught.value.description) == (
        "illegal_argument",
        "you can't sub yourself",
    )
    with pytest.raises(NotFoundError) as missing:
        await client.presence.set("nobody", "web_1", 1, ext="")
    assert missing.value.error == "service_resource_not_found"
    with pytest.raises(NotFoundError):
        await client.presence.subscribe("nobody", 60, ["c1"])


@pytest.mark.parametrize(
    ("method", "path", "body", "description"),
    [
        ("POST", "/users/c1/presence/web_1/1", {}, "ext cannot be null"),
        ("POST", "/users/c1/presence/web_1/1", {"ext": "x" * 1025}, "ext is too big"),
        ("POST", "/users/c1/presence/web_1/busy", {"ext": ""}, "status must be a number, got busy"),
        ("POST", "/users/c1/presence/60", {"usernames": []}, "usernames is empty"),
        (
            "POST",
            "/users/c1/presence/60",
            {"usernames": [f"u{i}" for i in range(101)]},
            "too many sub presence",
        ),
        (
            "POST",
            "/users/c1/presence/2592001",
            {"usernames": ["wzy"]},
            "expiry must be 1 to 2592000 seconds, got 2592001",
        ),
        (
            "POST",
            "/users/c1/presence",
            {"usernames": [f"u{i}" for i in range(101)]},
            "too many get presences",
        ),
        (
            "GET",
            "/users/c1/presence/sublist?pageSize=501",
            None,
            "pageSize must be 1 to 500, got 501",
        ),
        ("GET", "/users/c1/presence/sublist?pageNum=0", None, "pageNum must be at least 1, got 0"),
    ],
)
async def test_documented_errors(
    raw: Raw, method: str, path: str, body: object, description: str
) -> None:
    await register(raw, "c1", "wzy")
    response = await raw(method, path, json=body)
    agora_error(response, 400, "illegal_argument", description)


async def test_a_user_subscribes_to_at_most_3000(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "wzy")
    names = [f"u{i}" for i in range(3000)]
    for start in range(0, 3000, 100):
        await client.presence.subscribe("wzy", 600, names[start : start + 100])
    assert len(await _subscriptions(client, "wzy")) == 3000
    await client.presence.subscribe("wzy", 600, names[:100])  # renewing is not more
    with pytest.raises(BadRequestError, match="at most 3000"):
        await client.presence.subscribe("wzy", 600, ["one-more"])


async def test_deleting_a_user_forgets_its_presence_and_subscriptions(
    client: AgoraChatClient, raw: Raw
) -> None:
    await register(raw, "wzy", "c1", "c2")
    await client.presence.set("c1", "web_1", 1, ext="x")
    await client.presence.subscribe("wzy", 600, ["c1", "c2"])
    await client.presence.subscribe("c1", 600, ["c2"])

    await client.users.delete("c1")

    assert [s.uid for s in await _subscriptions(client, "wzy")] == ["c2"]
    (c1,) = await client.presence.get_many("wzy", ["c1"])
    assert c1.devices == {}
    await register(raw, "c1")  # a new c1 starts with nothing
    assert await _subscriptions(client, "c1") == []
