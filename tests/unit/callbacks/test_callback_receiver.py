"""CallbackReceiver's core: answers, background handlers, limits, pre-delivery deadline."""

from __future__ import annotations

import asyncio
import logging
import time

import msgspec
import pytest

from agora_chat_async.callbacks import (
    CallbackEvent,
    CallbackReceiver,
    CallbackVerifier,
    GenericEvent,
    MessageEvent,
    PreDeliveryReply,
    PreDeliveryRequest,
)
from tests.unit.callbacks._signed import SECRET, message, now_ms, pre_delivery, signed


def receiver(**options: object) -> CallbackReceiver:
    return CallbackReceiver(CallbackVerifier(SECRET), **options)  # type: ignore[arg-type]


async def test_post_delivery_is_answered_before_a_slow_handler_finishes() -> None:
    release = asyncio.Event()
    done: list[CallbackEvent] = []

    async def slow(event: CallbackEvent) -> None:
        await release.wait()
        done.append(event)

    r = receiver(on_event=slow)
    started = time.perf_counter()
    answer = await r.handle(signed(message("hello")))
    assert time.perf_counter() - started < 0.1
    assert (answer.status, answer.body) == (200, b"")
    assert r.pending == 1
    assert done == []
    release.set()
    await r.drain()
    assert isinstance(done[0], MessageEvent)
    assert done[0].text == "hello"


async def test_refusals_get_their_status_and_one_log_line_without_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, "agora_chat_async.callbacks")
    r = receiver(on_event=None)
    cases = [
        (signed(message(), secret="forged"), 401, b'{"error":"bad_signature"}'),
        (b"{not json", 400, b'{"error":"malformed_body"}'),
        (signed(message(timestamp=now_ms() - 3_600_000)), 401, b'{"error":"stale_timestamp"}'),
    ]
    for body, status, answer in cases:
        caplog.clear()
        response = await r.handle(body)
        assert (response.status, response.body) == (status, answer)
        assert len(caplog.records) == 1
        line = caplog.records[0].getMessage()
        assert line.startswith(f"refused callback: {status} ")
        assert SECRET not in line
    assert sign_not_logged(caplog)


def sign_not_logged(caplog: pytest.LogCaptureFixture) -> bool:
    from agora_chat_async.callbacks import sign

    body = message()
    return sign(body["callId"], SECRET, body["timestamp"]) not in caplog.text


async def test_replayed_callback_is_403_and_a_busy_refusal_is_not_remembered() -> None:
    release = asyncio.Event()

    async def blocked(event: CallbackEvent) -> None:
        await release.wait()

    r = receiver(on_event=blocked, max_concurrency=1, max_pending=1)
    first = signed(message(call_id="org#app_1"))
    assert (await r.handle(first)).status == 200
    busy = signed(message(call_id="org#app_2"))
    assert (await r.handle(busy)).status == 503  # Agora retries once, with the same callId
    release.set()
    await r.drain()
    assert (await r.handle(first)).status == 403
    assert (await r.handle(busy)).status == 200  # ... and the retry gets through
    await r.drain()


async def test_unknown_kind_gets_200_and_reaches_the_handler_as_generic() -> None:
    seen: list[CallbackEvent] = []

    async def on_event(event: CallbackEvent) -> None:
        seen.append(event)

    r = receiver(on_event=on_event)
    body = {"callId": "org#app_x", "timestamp": now_ms(), "eventType": "hologram", "beam": 1}
    assert (await r.handle(signed(body))).status == 200
    await r.drain()
    assert isinstance(seen[0], GenericEvent)
    assert seen[0].raw["beam"] == 1


async def test_handler_errors_are_logged_with_the_call_id_and_isolated(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ok: list[str] = []

    async def flaky(event: CallbackEvent) -> None:
        if event.call_id.endswith("_1"):
            raise RuntimeError("boom")
        ok.append(event.call_id)

    r = receiver(on_event=flaky)
    for i in (1, 2):
        assert (await r.handle(signed(message(call_id=f"org#app_{i}")))).status == 200
    await r.drain()
    assert ok == ["org#app_2"]
    failures = [rec for rec in caplog.records if rec.levelno == logging.ERROR]
    assert [rec.getMessage() for rec in failures] == [
        "callback handler failed (callId 'org#app_1')"
    ]
    assert failures[0].exc_info is not None


async def test_concurrency_is_bounded() -> None:
    running = peak = 0

    async def handler(event: CallbackEvent) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.02)
        running -= 1

    r = receiver(on_event=handler, max_concurrency=3)
    answers = [await r.handle(signed(message(call_id=f"org#app_{i}"))) for i in range(12)]
    assert {a.status for a in answers} == {200}
    assert r.pending == 12
    await r.drain()
    assert peak == 3


async def test_body_over_the_limit_is_413(caplog: pytest.LogCaptureFixture) -> None:
    r = receiver(max_body_size=100)
    assert (await r.handle(b" " * 101)).status == 413
    assert caplog.messages == ["refused callback: 413 body over 100 bytes (101)"]


async def test_aclose_drains_quick_handlers_cancels_slow_ones_then_refuses() -> None:
    finished: list[str] = []
    cancelled: list[str] = []

    async def handler(event: CallbackEvent) -> None:
        try:
            await asyncio.sleep(0.01 if event.call_id.endswith("quick") else 30)
            finished.append(event.call_id)
        except asyncio.CancelledError:
            cancelled.append(event.call_id)
            raise

    r = receiver(on_event=handler)
    await r.handle(signed(message(call_id="org#app_quick")))
    await r.handle(signed(message(call_id="org#app_slow")))
    started = time.perf_counter()
    await r.aclose(timeout=0.3)
    assert 0.25 < time.perf_counter() - started < 2
    assert (finished, cancelled) == (["org#app_quick"], ["org#app_slow"])
    assert r.pending == 0
    assert (await r.handle(signed(message(call_id="org#app_late")))).status == 503


# -- pre-delivery ------------------------------------------------------------------------


async def test_pre_delivery_is_answered_with_the_handlers_verdict() -> None:
    async def verdict(request: PreDeliveryRequest) -> PreDeliveryReply | None:
        if request.text == "spam":
            return PreDeliveryReply.reject("banned")
        if request.text == "rewrite":
            return PreDeliveryReply.modified(request.payload_with_text("***"))
        return None

    events: list[CallbackEvent] = []

    async def on_event(event: CallbackEvent) -> None:
        events.append(event)

    r = receiver(on_pre_delivery=verdict, on_event=on_event)
    spam = await r.handle(signed(pre_delivery("spam", call_id="org#app_p1")))
    assert (spam.status, spam.body) == (200, b'{"valid":false,"code":"banned"}')
    fine = await r.handle(signed(pre_delivery("fine", call_id="org#app_p2")))
    assert fine.body == b'{"valid":true}'
    rewritten = await r.handle(signed(pre_delivery("rewrite", call_id="org#app_p3")))
    assert msgspec.json.decode(rewritten.body) == {
        "valid": True,
        "payload": {"ext": {}, "bodies": [{"msg": "***", "type": "txt"}]},
    }
    assert events == []  # pre-delivery requests are not post-delivery events


async def test_no_pre_delivery_handler_passes_everything() -> None:
    assert (await receiver().handle(signed(pre_delivery()))).body == b'{"valid":true}'


async def test_late_handler_gets_the_fallback_within_the_deadline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cancelled = asyncio.Event()

    async def slow(request: PreDeliveryRequest) -> PreDeliveryReply:
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return PreDeliveryReply.allow()

    r = receiver(
        on_pre_delivery=slow,
        pre_delivery_deadline=0.05,
        pre_delivery_fallback=PreDeliveryReply.reject("timeout"),
    )
    started = time.perf_counter()
    answer = await r.handle(signed(pre_delivery()))
    elapsed = time.perf_counter() - started
    assert answer.body == b'{"valid":false,"code":"timeout"}'
    assert 0.045 < elapsed < 0.5
    assert cancelled.is_set()
    assert "took over 50 ms (callId 'org#app_pre-1'): answering the fallback" in caplog.text


def test_default_deadline_is_below_agoras_200_ms() -> None:
    r = receiver()
    assert r.pre_delivery_deadline < 0.2
    assert r.pre_delivery_fallback == PreDeliveryReply.allow()


@pytest.mark.parametrize("outcome", ["raise", "wrong_type", "too_large"])
async def test_failing_pre_delivery_handler_gets_the_fallback(
    outcome: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def handler(request: PreDeliveryRequest) -> object:
        if outcome == "raise":
            raise RuntimeError("moderation service down")
        if outcome == "too_large":
            return PreDeliveryReply.reject("x" * 2000)
        return {"valid": False}

    r = receiver(on_pre_delivery=handler, pre_delivery_fallback=PreDeliveryReply.reject("fb"))
    answer = await r.handle(signed(pre_delivery()))
    assert (answer.status, answer.body) == (200, b'{"valid":false,"code":"fb"}')
    assert "org#app_pre-1" in caplog.text


def test_receiver_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="max_concurrency"):
        receiver(max_concurrency=0)
    with pytest.raises(ValueError, match="max_pending"):
        receiver(max_concurrency=5, max_pending=4)
    with pytest.raises(ValueError, match="pre_delivery_deadline"):
        receiver(pre_delivery_deadline=0)
