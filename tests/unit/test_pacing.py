"""The client paces every attempt through its rate limiter, keyed by endpoint family."""

from __future__ import annotations

import pytest
from aioresponses import aioresponses

from agora_chat_async import AgoraChatClient, RetryPolicy
from agora_chat_async._ratelimit import TokenBucketLimiter

BASE = "https://api.test/org/app"
USER = {"entities": [{"username": "alice"}]}


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, float]] = []

    async def acquire(self, key: str, rate: float) -> None:
        self.calls.append((key, rate))


async def test_each_attempt_acquires_with_the_family_key_and_documented_rate() -> None:
    pacer = Recorder()
    policy = RetryPolicy(backoff_base=0, backoff_max=0)
    async with AgoraChatClient(
        host="api.test",
        org_name="org",
        app_name="app",
        token="t",
        rate_limiter=pacer,
        retry=policy,
    ) as client:
        with aioresponses() as mock:
            mock.get(f"{BASE}/users/alice", status=503)
            mock.get(f"{BASE}/users/alice", payload=USER)
            mock.put(f"{BASE}/users/alice", payload=USER)
            mock.delete(f"{BASE}/users?limit=10", payload={"entities": []})
            await client.users.get("alice")
            await client.push.set_nickname("alice", nickname="A")
            await client.users.delete_many()
    assert pacer.calls == [
        ("GET /users/{username}", 100.0),
        ("GET /users/{username}", 100.0),  # the retry is paced too
        ("PUT /users/{username}", 100.0),  # shared by the three push settings
        ("DELETE /users", 30.0),
    ]


async def test_overrides_by_endpoint_name_apply_to_the_whole_family() -> None:
    client = AgoraChatClient(
        host="api.test",
        org_name="o",
        app_name="a",
        token="t",
        rate_limits={"users.register_many": 10, "GET /users": 5},
    )
    pacer = client._pacer
    assert isinstance(pacer, TokenBucketLimiter)
    assert pacer.overrides == {"users.register": 10, "GET /users": 5}
    assert pacer.rate_for("users.register", 100) == pytest.approx(9.7)
    await client.aclose()


async def test_pacing_can_be_switched_off_and_back_on_per_derived_client() -> None:
    client = AgoraChatClient(host="api.test", org_name="o", app_name="a", token="t")
    assert isinstance(client._pacer, TokenBucketLimiter)
    unpaced = client.with_options(rate_limits=False)
    assert unpaced._pacer is None
    assert client._pacer is not None
    assert unpaced.with_options(rate_limits=True)._pacer is not None
    off = AgoraChatClient(host="api.test", org_name="o", app_name="a", token="t", rate_limits=False)
    assert off._pacer is None
    await client.aclose()
    await off.aclose()
