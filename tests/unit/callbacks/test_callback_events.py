"""Event decoding details beyond the documented examples (tests/contract)."""

from __future__ import annotations

import msgspec
import pytest

from agora_chat_async.callbacks import (
    GenericEvent,
    MessageEvent,
    PreDeliveryRequest,
    UserStatusEvent,
    decode_event,
)
from tests.unit.callbacks._signed import message, pre_delivery


def decode(body: dict) -> object:
    return decode_event(msgspec.json.encode(body))


@pytest.mark.parametrize("odd", [[], {}, 3, None])
def test_discriminating_keys_of_any_json_type_do_not_break_type_selection(odd: object) -> None:
    # found by the fuzz tests: a list as "reason" made the type lookup raise
    body = {"callId": "org#app_1", "timestamp": 1, "reason": odd, "chat_type": odd, "step": odd}
    event = decode(body)
    assert isinstance(event, GenericEvent)
    assert event.chat_type is None


@pytest.mark.parametrize("bodies", [5, "txt", None, [3]])
def test_payload_with_text_of_an_odd_payload_does_not_raise(bodies: object) -> None:
    # found by the fuzz tests: a "bodies" that is not a list of objects
    body = pre_delivery()
    body["payload"] = {"bodies": bodies, "type": "txt"}
    event = decode(body)
    assert isinstance(event, PreDeliveryRequest)
    assert event.bodies == []
    replaced = event.payload_with_text("x")
    assert replaced["type"] == "txt"


@pytest.mark.parametrize(
    ("fields", "target"),
    [
        ({}, ("users", ["alice"])),
        ({"chat_type": "groupchat", "group_id": "G1"}, ("chatgroups", ["G1"])),
        (
            {"chat_type": "groupchat", "group_id": "R1", "content_type": "chat:room:text"},
            ("chatrooms", ["R1"]),
        ),
    ],
)
def test_reply_target(fields: dict, target: tuple) -> None:
    event = decode(message(**fields))
    assert isinstance(event, MessageEvent)
    assert event.reply_target() == target


@pytest.mark.parametrize(
    ("user", "appkey", "name"),
    [
        ("org#app_bob@easemob.com/ios_6d58", "org#app", "bob"),
        ("org#appbob/ios_6d58", "org#app", "bob"),
        ("bob", None, "bob"),
    ],
)
def test_user_status_username(user: str, appkey: str | None, name: str) -> None:
    body = {"callId": "c", "timestamp": 1, "reason": "login", "status": "online", "user": user}
    if appkey:
        body["appkey"] = appkey
    event = decode(body)
    assert isinstance(event, UserStatusEvent)
    assert event.username == name


def test_message_without_event_type_is_a_pre_delivery_request_and_strings_coerce() -> None:
    event = decode({**pre_delivery(), "timestamp": "1600060847294"})
    assert isinstance(event, PreDeliveryRequest)
    assert event.timestamp == 1600060847294
    assert event.kind == "pre_delivery"


def test_generic_event_keeps_a_non_numeric_timestamp_as_zero() -> None:
    event = decode({"callId": "c", "timestamp": "soon", "eventType": "x"})
    assert isinstance(event, GenericEvent)
    assert event.timestamp == 0
    assert event.raw["timestamp"] == "soon"
