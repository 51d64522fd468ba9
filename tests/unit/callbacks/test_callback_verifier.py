"""CallbackVerifier: signature, version, timestamp tolerance, replay guard, error texts."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from typing import TYPE_CHECKING

import msgspec
import pytest

from agora_chat_async import AgoraChatError
from agora_chat_async.callbacks import (
    CallbackError,
    CallbackSignatureError,
    CallbackVerifier,
    MalformedCallbackError,
    MemoryReplayGuard,
    MessageEvent,
    RedisReplayGuard,
    ReplayedCallbackError,
    StaleCallbackError,
    _verify,
    sign,
)
from tests.unit.callbacks._signed import SECRET, message, now_ms, signed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path


def test_sign_is_md5_of_callid_secret_timestamp() -> None:
    expected = hashlib.md5(b"org#app_1" + b"sec" + b"1600060847294").hexdigest()
    assert sign("org#app_1", "sec", 1600060847294) == expected
    assert sign("org#app_1", "sec", "1600060847294") == expected


def test_right_signature_is_accepted_and_decoded() -> None:
    event = CallbackVerifier(SECRET).authenticate(signed(message("hello")))
    assert isinstance(event, MessageEvent)
    assert event.text == "hello"


def test_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = _verify.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(_verify.hmac, "compare_digest", spy)
    CallbackVerifier(SECRET).authenticate(signed(message()))
    assert len(calls) == 1


def _refusal(verifier: CallbackVerifier, body: bytes) -> CallbackError:
    with pytest.raises(CallbackError) as info:
        verifier.authenticate(body)
    return info.value


def _assert_no_secrets(error: CallbackError, body: dict) -> None:
    text = str(error) + repr(error)
    assert SECRET not in text
    assert sign(body["callId"], SECRET, body["timestamp"]) not in text


def test_wrong_signature_is_401_without_secret_or_expected_value() -> None:
    body = message()
    error = _refusal(CallbackVerifier(SECRET), signed(body, secret="other-secret"))
    assert type(error) is CallbackSignatureError
    assert isinstance(error, AgoraChatError)
    assert (error.status, error.reason, error.call_id) == (401, "bad_signature", body["callId"])
    assert "does not match" in str(error)
    _assert_no_secrets(error, body)


def test_tampered_timestamp_breaks_the_signature() -> None:
    body = message()
    wire = msgspec.json.decode(signed(body))
    wire["timestamp"] += 1
    error = _refusal(CallbackVerifier(SECRET), msgspec.json.encode(wire))
    assert type(error) is CallbackSignatureError


@pytest.mark.parametrize("security", [None, ""])
def test_missing_signature_is_401(security: str | None) -> None:
    body = message()
    if security is not None:
        body["security"] = security
    error = _refusal(CallbackVerifier(SECRET), msgspec.json.encode(body))
    assert type(error) is CallbackSignatureError
    assert "without a security signature" in str(error)


def test_non_ascii_signature_is_refused_not_crashing() -> None:
    body = {**message(), "security": "é" * 32}
    assert type(_refusal(CallbackVerifier(SECRET), msgspec.json.encode(body))) is (
        CallbackSignatureError
    )
    body["security"] = "\ud800" * 32  # a lone surrogate: msgspec refuses the JSON
    error = _refusal(CallbackVerifier(SECRET), json.dumps(body).encode())
    assert type(error) is MalformedCallbackError


def test_security_version_other_than_1_0_0_is_refused() -> None:
    body = message(securityVersion="2.0.0")
    error = _refusal(CallbackVerifier(SECRET), signed(body))
    assert type(error) is CallbackSignatureError
    assert "unsupported securityVersion '2.0.0'" in str(error)
    _assert_no_secrets(error, body)


def test_absent_security_version_is_accepted() -> None:
    body = message()
    del body["securityVersion"]
    assert CallbackVerifier(SECRET).authenticate(signed(body)).security_version is None


@pytest.mark.parametrize("shift", [-601.0, 601.0])
def test_stale_or_future_timestamp_is_401(shift: float) -> None:
    body = message()
    verifier = CallbackVerifier(
        SECRET, tolerance=600, clock=lambda: body["timestamp"] / 1000 + shift
    )
    error = _refusal(verifier, signed(body))
    assert type(error) is StaleCallbackError
    assert (error.status, error.reason) == (401, "stale_timestamp")
    assert ("past" if shift > 0 else "future") in str(error)
    _assert_no_secrets(error, body)


def test_timestamp_within_tolerance_and_no_tolerance() -> None:
    body = message()
    at = body["timestamp"] / 1000
    CallbackVerifier(SECRET, tolerance=600, clock=lambda: at + 599).authenticate(signed(body))
    CallbackVerifier(SECRET, tolerance=None, clock=lambda: at + 10**7).authenticate(signed(body))


def test_default_tolerance_is_ten_minutes() -> None:
    assert CallbackVerifier(SECRET).tolerance == 600.0
    assert CallbackVerifier(SECRET).replay_window == 1200.0


def test_timestamp_as_digit_string_is_signed_as_given() -> None:
    body = message(timestamp=str(now_ms()))
    event = CallbackVerifier(SECRET).authenticate(signed(body))
    assert event.timestamp == int(body["timestamp"])
    bad = message(timestamp="soon")
    assert type(_refusal(CallbackVerifier(SECRET), signed(bad))) is StaleCallbackError


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'"text"',
        b'{"timestamp": 1}',
        b'{"callId": "x"}',
        b'{"callId": 5, "timestamp": 1}',
        b'{"callId": "x", "timestamp": 1.5}',
    ],
)
def test_malformed_body_is_400(raw: bytes) -> None:
    error = _refusal(CallbackVerifier(SECRET), raw)
    assert type(error) is MalformedCallbackError
    assert error.status == 400


def test_verifier_repr_and_arguments() -> None:
    verifier = CallbackVerifier(SECRET)
    assert SECRET not in repr(verifier)
    with pytest.raises(ValueError, match="empty"):
        CallbackVerifier("")
    with pytest.raises(ValueError, match="tolerance"):
        CallbackVerifier(SECRET, tolerance=0)
    assert CallbackVerifier(SECRET, tolerance=None).replay_window == 3600.0
    assert CallbackVerifier(SECRET, replay_guard=False).replay_guard is None


async def test_replayed_call_id_is_403_until_released() -> None:
    verifier = CallbackVerifier(SECRET)
    body = signed(message())
    await verifier.verify(body)
    with pytest.raises(ReplayedCallbackError) as info:
        await verifier.verify(body)
    assert (info.value.status, info.value.reason) == (403, "replayed")
    assert SECRET not in str(info.value)
    await verifier.release("org#app_1001")  # the delivery was not acknowledged after all
    await verifier.verify(body)


async def test_chat_and_chat_offline_callbacks_of_one_message_are_both_accepted() -> None:
    verifier = CallbackVerifier(SECRET)
    await verifier.verify(signed(message()))
    await verifier.verify(signed(message(eventType="chat_offline")))
    with pytest.raises(ReplayedCallbackError):
        await verifier.verify(signed(message(eventType="chat_offline")))


async def test_each_offline_member_of_a_group_message_is_accepted_once() -> None:
    # A group message sends one chat_offline per offline member, all with one callId.
    verifier = CallbackVerifier(SECRET)
    for member in ("bob", "carol"):
        await verifier.verify(signed(message(eventType="chat_offline", to=member)))
    with pytest.raises(ReplayedCallbackError):
        await verifier.verify(signed(message(eventType="chat_offline", to="carol")))


async def test_replay_check_can_be_turned_off() -> None:
    verifier = CallbackVerifier(SECRET, replay_guard=False)
    body = signed(message())
    await verifier.verify(body)
    await verifier.verify(body)


async def test_memory_guard_forgets_after_its_ttl_and_beyond_its_size() -> None:
    now = [0.0]
    guard = MemoryReplayGuard(max_size=3, clock=lambda: now[0])
    assert await guard.claim("a", 10)
    assert not await guard.claim("a", 10)
    now[0] = 10.5
    assert await guard.claim("a", 10)  # expired, so new again
    for name in "bcd":
        assert await guard.claim(name, 10)
    assert len(guard) == 3  # "a" was the oldest and went first
    assert await guard.claim("a", 10)
    with pytest.raises(ValueError, match="max_size"):
        MemoryReplayGuard(0)


async def test_memory_guard_is_bounded_under_many_ids() -> None:
    guard = MemoryReplayGuard(max_size=1000)
    for i in range(5000):
        assert await guard.claim(str(i), 60)
    assert len(guard) == 1000


@pytest.fixture
def redis_socket(tmp_path: Path) -> Iterator[Path]:
    """A throw-away redis-server listening on a unix socket only."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    sock = tmp_path / "redis.sock"
    proc = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(500):
            if sock.exists():
                break
            time.sleep(0.01)
        yield sock
    finally:
        proc.terminate()
        proc.wait(5)


@pytest.fixture
async def redis_client(redis_socket: Path) -> AsyncIterator[object]:
    redis = pytest.importorskip("redis.asyncio")
    client = redis.Redis(unix_socket_path=str(redis_socket))
    yield client
    await client.aclose()


async def test_redis_guard_shares_claims_between_verifiers(redis_client: object) -> None:
    first = CallbackVerifier(SECRET, replay_guard=RedisReplayGuard(redis_client))
    second = CallbackVerifier(SECRET, replay_guard=RedisReplayGuard(redis_client))
    body = signed(message())
    await first.verify(body)
    with pytest.raises(ReplayedCallbackError):
        await second.verify(body)
    ttl = await redis_client.pttl("agora:callback:org#app_1001")  # type: ignore[attr-defined]
    assert 1_190_000 < ttl <= 1_200_000
    await second.release("org#app_1001")
    await first.verify(body)
