"""Every documented callback example body decodes into its specific event type, with the
documented values where they belong (tests/contract/callback_examples.json: the bodies
of Agora's and Easemob's callback pages, each with its source)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from agora_chat_async import callbacks
from agora_chat_async.callbacks import (
    CallbackReceiver,
    CallbackVerifier,
    GenericEvent,
    PreDeliveryRequest,
    decode_event,
    sign,
)

EXAMPLES: list[dict[str, Any]] = json.loads(
    (Path(__file__).with_name("callback_examples.json")).read_text(encoding="utf-8")
)


def attribute(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if part == "__class__":
            obj = type(obj).__name__
        elif part.isdigit():
            obj = obj[int(part)]
        else:
            obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["name"])
def test_example_decodes_to_its_type(example: dict[str, Any]) -> None:
    assert example["source"].startswith(("AgoraIO/Docs-Source ", "easemob/easemob-doc "))
    body = msgspec.json.encode(example["body"])
    event = decode_event(body)
    assert type(event) is getattr(callbacks, example["expected"])
    assert event.call_id == example["body"]["callId"]
    assert event.timestamp == example["body"]["timestamp"]
    for path, expected in example["expect"].items():
        assert attribute(event, path) == expected, path


def test_every_event_kind_and_body_type_has_an_example() -> None:
    kinds = {e["expected"] for e in EXAMPLES}
    events = {
        name
        for name in callbacks.__all__
        if name.endswith(("Event", "Request")) and name not in ("CallbackEvent", "GenericEvent")
    }
    assert events <= kinds
    bodies = {e["expect"]["body.__class__"] for e in EXAMPLES if "body.__class__" in e["expect"]}
    assert bodies == {n for n in callbacks.__all__ if n.endswith("Body") and n != "MessageBody"}
    group_ops = {e["expect"]["operation"] for e in EXAMPLES if e["expected"] == "GroupEvent"}
    assert len(group_ops) == 29  # every operation on the page


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["name"])
async def test_receiver_accepts_the_example_once_signed(example: dict[str, Any]) -> None:
    """Signed with a secret and a current timestamp, each example is accepted: 200, and
    the handler gets the same type (a pre-delivery request gets a verdict)."""
    seen: list[object] = []

    async def on_event(event: object) -> None:
        seen.append(event)

    receiver = CallbackReceiver(CallbackVerifier("s3cret", tolerance=None), on_event=on_event)
    body = dict(example["body"])
    body["security"] = sign(body["callId"], "s3cret", body["timestamp"])
    answer = await receiver.handle(msgspec.json.encode(body))
    await receiver.drain()
    assert answer.status == 200
    if example["expected"] == "PreDeliveryRequest":
        assert msgspec.json.decode(answer.body) == {"valid": True}
        assert seen == []
    else:
        assert answer.body == b""
        assert [type(e).__name__ for e in seen] == [example["expected"]]


def test_unknown_kind_is_a_generic_event_with_every_field() -> None:
    body = {"callId": "org#app_1", "timestamp": 1, "eventType": "brand_new", "x": [1, {"y": 2}]}
    event = decode_event(msgspec.json.encode(body))
    assert isinstance(event, GenericEvent)
    assert event.kind == "unknown"
    assert event.event_type == "brand_new"
    assert event.raw == body


def test_known_kind_with_unexpected_fields_is_generic_rather_than_failing() -> None:
    example = next(e for e in EXAMPLES if e["name"] == "message_txt")
    body = json.loads(json.dumps(example["body"]))
    body["payload"]["bodies"] = [{"type": "hologram", "beam": 3}]  # a body type not known here
    event = decode_event(msgspec.json.encode(body))
    assert isinstance(event, GenericEvent)
    assert event.raw["payload"]["bodies"][0]["type"] == "hologram"


def test_pre_delivery_payload_with_text_keeps_each_form() -> None:
    history = decode_event(msgspec.json.encode(_example("pre_delivery")))
    single = decode_event(msgspec.json.encode(_example("pre_delivery_txt_body_form")))
    assert isinstance(history, PreDeliveryRequest)
    assert isinstance(single, PreDeliveryRequest)
    assert history.payload_with_text("***") == {
        "ext": {},
        "bodies": [{"msg": "***", "type": "txt"}],
    }
    assert single.payload_with_text("***") == {"msg": "***", "type": "txt"}
    assert single.payload == {"msg": "welcome to easemob!", "type": "txt"}  # not changed


def _example(name: str) -> dict[str, Any]:
    return next(e["body"] for e in EXAMPLES if e["name"] == name)
