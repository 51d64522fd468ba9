"""Fuzzed callback bodies never crash the receivers: every answer is 2xx or 4xx, and
every verified body, however odd, decodes to an event whose helpers work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings, strategies as st

from agora_chat_async.callbacks import (
    CallbackEvent,
    CallbackReceiver,
    CallbackVerifier,
    MessageEvent,
    PreDeliveryReply,
    PreDeliveryRequest,
    UserStatusEvent,
    decode_event,
    sign,
)
from tests.unit.callbacks._signed import SECRET, now_ms

EXAMPLES = [
    e["body"]
    for e in json.loads(
        (Path(__file__).parents[1] / "contract" / "callback_examples.json").read_text("utf-8")
    )
]
FUZZ = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)
# Values Agora uses for the keys that pick the type, so the typed paths get reached.
vocabulary = st.sampled_from(
    ["chat", "chat_offline", "groupchat", "group", "chatroom", "recall", "muc", "roster",
     "read_ack", "channel_ack", "notify", "edit", "moderation", "login", "logout", "push",
     "reaction", "thread", "txt", "img", "audio", "video", "file", "loc", "cmd", "custom"]
)  # fmt: skip
keys = st.sampled_from(
    ["eventType", "chat_type", "reason", "step", "payload", "bodies", "type", "msg", "from",
     "to", "group_id", "msg_id", "status", "ext", "operation", "data", "user", "lat"]
)  # fmt: skip
loose = json_values | vocabulary
objects = st.dictionaries(
    keys | st.text(max_size=8), loose | st.dictionaries(keys, loose), max_size=8
)


def receiver() -> tuple[CallbackReceiver, list[CallbackEvent]]:
    seen: list[CallbackEvent] = []

    async def on_event(event: CallbackEvent) -> None:
        seen.append(event)

    async def verdict(request: PreDeliveryRequest) -> PreDeliveryReply:
        return PreDeliveryReply.modified(request.payload_with_text("checked"))

    verifier = CallbackVerifier(SECRET, tolerance=None, replay_guard=False)
    return CallbackReceiver(verifier, on_event=on_event, on_pre_delivery=verdict), seen


def exercise(event: CallbackEvent) -> None:
    """Every convenience a handler may call works on whatever was decoded."""
    if isinstance(event, MessageEvent):
        _ = (event.text, event.type, event.offline, event.reply_target())
    if isinstance(event, PreDeliveryRequest):
        _ = (event.text, event.bodies)
        PreDeliveryReply.modified(event.payload_with_text("x"))
    if isinstance(event, UserStatusEvent):
        _ = (event.username, event.online)


def signed_now(body: dict[str, Any], call_id: str = "org#app_fuzz") -> dict[str, Any]:
    body = {**body, "callId": call_id, "timestamp": now_ms()}
    body.pop("securityVersion", None)
    body["security"] = sign(call_id, SECRET, body["timestamp"])
    return body


@FUZZ
@given(st.binary(max_size=300))
async def test_random_bytes_are_refused_cleanly(raw: bytes) -> None:
    r, _ = receiver()
    assert (await r.handle(raw)).status in (400, 401)


@FUZZ
@given(json_values)
async def test_random_json_is_refused_cleanly(value: Any) -> None:
    r, _ = receiver()
    assert (await r.handle(msgspec.json.encode(value))).status in (400, 401)


@FUZZ
@given(objects)
async def test_any_signed_object_is_accepted_and_decodes(body: dict[str, Any]) -> None:
    r, seen = receiver()
    wire = msgspec.json.encode(signed_now(body))
    answer = await r.handle(wire)
    await r.drain()
    assert answer.status == 200
    event = decode_event(wire)
    exercise(event)
    if isinstance(event, PreDeliveryRequest):
        assert msgspec.json.decode(answer.body)["valid"] is True
        assert seen == []
    else:
        assert answer.body == b""
        assert [type(e) for e in seen] == [type(event)]


def _mutate(data: st.DataObject, value: Any, depth: int = 0) -> Any:
    if isinstance(value, dict) and value and depth < 4:
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["delete", "replace", "recurse", "add"]))
        value = dict(value)
        if action == "delete":
            del value[key]
        elif action == "replace":
            value[key] = data.draw(loose)
        elif action == "add":
            value[data.draw(keys | st.text(max_size=5))] = data.draw(loose)
        else:
            value[key] = _mutate(data, value[key], depth + 1)
        return value
    if isinstance(value, list) and value and depth < 4:
        i = data.draw(st.integers(0, len(value) - 1))
        return [*value[:i], _mutate(data, value[i], depth + 1), *value[i + 1 :]]
    return data.draw(loose)


@FUZZ
@given(st.sampled_from(EXAMPLES), st.data())
async def test_mutated_documented_examples_signed_are_accepted(
    example: dict[str, Any], data: st.DataObject
) -> None:
    body = _mutate(data, {k: v for k, v in example.items() if k not in ("callId", "timestamp")})
    wire = msgspec.json.encode(signed_now(body if isinstance(body, dict) else {}))
    r, _ = receiver()
    assert (await r.handle(wire)).status == 200
    await r.drain()
    exercise(decode_event(wire))


@FUZZ
@given(st.sampled_from(EXAMPLES), st.data())
async def test_mutated_after_signing_is_answered_2xx_or_4xx(
    example: dict[str, Any], data: st.DataObject
) -> None:
    body = _mutate(data, signed_now(example))
    r, _ = receiver()
    answer = await r.handle(msgspec.json.encode(body))
    await r.drain()
    assert answer.status in (200, 400, 401)


@FUZZ
@given(st.lists(st.binary(max_size=64), min_size=1, max_size=5))
async def test_asgi_app_answers_random_chunks(chunks: list[bytes]) -> None:
    r, _ = receiver()
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await r.asgi_app()({"type": "http", "method": "POST", "path": "/"}, receive, send)
    assert 200 <= sent[0]["status"] < 500
