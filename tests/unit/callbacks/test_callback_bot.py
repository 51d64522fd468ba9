"""Bot: handlers by kind and message filters, the client handed over, own messages skipped."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from agora_chat_async.callbacks import (
    Bot,
    CallbackEvent,
    CallbackVerifier,
    GroupEvent,
    MessageEvent,
    PreDeliveryReply,
    PreDeliveryRequest,
)
from tests.unit.callbacks._signed import SECRET, message, now_ms, pre_delivery, signed

CLIENT: Any = object()  # handlers only pass it on in these tests


def group_event(call_id: str = "org#app_g1") -> dict[str, Any]:
    return {
        "chat_type": "muc",
        "callId": call_id,
        "eventType": "chat",
        "timestamp": now_ms(),
        "group_id": "G1",
        "from": "alice",
        "to": "G1",
        "payload": {"muc_id": "org#app_G1@conference.easemob.com", "operation": "presence"},
    }


async def deliver(bot: Bot, *bodies: dict[str, Any]) -> None:
    for body in bodies:
        assert (await bot.receiver.handle(signed(body))).status == 200
    await bot.receiver.drain()


async def test_handlers_get_the_events_they_asked_for_and_the_client() -> None:
    bot = Bot(CLIENT, secret=SECRET)
    calls: list[tuple[str, str, object]] = []

    @bot.on_message(type="txt")
    async def texts(event: MessageEvent, client: Any) -> None:
        calls.append(("texts", event.call_id, client))

    @bot.on_message(chat_type="groupchat")
    async def groups(event: MessageEvent, client: Any) -> None:
        calls.append(("groups", event.call_id, client))

    @bot.on_message(offline=True)
    async def offline(event: MessageEvent, client: Any) -> None:
        calls.append(("offline", event.call_id, client))

    @bot.on_event("group", MessageEvent)
    async def by_kind(event: CallbackEvent, client: Any) -> None:
        calls.append(("by_kind", event.call_id, client))

    @bot.on_event()
    async def everything(event: CallbackEvent, client: Any) -> None:
        calls.append(("everything", event.call_id, client))

    image = message(call_id="org#app_2")
    image["payload"]["bodies"] = [{"type": "img", "url": "u", "filename": "f"}]
    await deliver(
        bot,
        message(call_id="org#app_1"),
        image,
        message(
            call_id="org#app_3", chat_type="groupchat", group_id="G1", eventType="chat_offline"
        ),
        group_event(),
    )
    assert all(client is CLIENT for *_, client in calls)
    got = sorted((name, call_id) for name, call_id, _ in calls)
    assert got == sorted(
        [
            ("texts", "org#app_1"), ("by_kind", "org#app_1"), ("everything", "org#app_1"),
            ("by_kind", "org#app_2"), ("everything", "org#app_2"),
            ("texts", "org#app_3"), ("groups", "org#app_3"), ("offline", "org#app_3"),
            ("by_kind", "org#app_3"), ("everything", "org#app_3"),
            ("by_kind", "org#app_g1"), ("everything", "org#app_g1"),
        ]
    )  # fmt: skip


async def test_handlers_of_one_event_run_in_order_and_a_failure_does_not_stop_the_next(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = Bot(CLIENT, secret=SECRET)
    order: list[str] = []

    @bot.on_event("message")
    async def first(event: CallbackEvent, client: Any) -> None:
        order.append("first")
        raise ValueError("bad handler")

    @bot.on_event("message")
    async def second(event: CallbackEvent, client: Any) -> None:
        order.append("second")

    await deliver(bot, message())
    assert order == ["first", "second"]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "first failed (callId 'org#app_1001')" in errors[0].getMessage()


async def test_own_messages_are_not_dispatched_and_direct_means_to_the_bot() -> None:
    bot = Bot(CLIENT, secret=SECRET, username="Bot")
    seen: list[str] = []

    @bot.on_message(direct=True)
    async def direct(event: MessageEvent, client: Any) -> None:
        seen.append(f"direct {event.call_id}")

    @bot.on_event("group")
    async def group(event: GroupEvent, client: Any) -> None:
        seen.append(f"group {event.call_id}")

    await deliver(
        bot,
        message(call_id="org#app_1"),  # alice -> bot (username is case-insensitive)
        message(call_id="org#app_2", to="carol"),  # alice -> carol: not direct
        message(call_id="org#app_3", chat_type="groupchat", to="G1", group_id="G1"),
        {**message(call_id="org#app_4"), "from": "bot", "to": "alice"},  # its own reply
        group_event(),
    )
    assert sorted(seen) == ["direct org#app_1", "group org#app_g1"]
    with pytest.raises(ValueError, match="username"):
        Bot(CLIENT, secret=SECRET).on_message(direct=True)


async def test_pre_delivery_handler_gets_the_request_and_the_client() -> None:
    bot = Bot(CLIENT, secret=SECRET)
    got: list[object] = []

    @bot.pre_delivery
    async def moderate(request: PreDeliveryRequest, client: Any) -> PreDeliveryReply:
        got.append(client)
        return (
            PreDeliveryReply.reject("no")
            if "bad" in (request.text or "")
            else (PreDeliveryReply.allow())
        )

    answer = await bot.receiver.handle(signed(pre_delivery("bad word")))
    assert answer.body == b'{"valid":false,"code":"no"}'
    assert got == [CLIENT]
    with pytest.raises(ValueError, match="already registered"):
        bot.pre_delivery(moderate)


def test_bot_needs_exactly_one_of_secret_and_verifier() -> None:
    with pytest.raises(ValueError, match="either secret or verifier"):
        Bot(CLIENT)
    with pytest.raises(ValueError, match="either secret or verifier"):
        Bot(CLIENT, secret=SECRET, verifier=CallbackVerifier(SECRET))
    verifier = CallbackVerifier(SECRET, tolerance=None)
    assert Bot(CLIENT, verifier=verifier).verifier is verifier
    assert Bot(CLIENT, secret=SECRET, tolerance=30).verifier.tolerance == 30
