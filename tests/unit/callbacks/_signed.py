"""Callback bodies for the tests, signed as Agora signs them."""

from __future__ import annotations

import time
from typing import Any

import msgspec

from agora_chat_async.callbacks import sign

SECRET = "rule-secret-Zq8"


def now_ms() -> int:
    return int(time.time() * 1000)


def message(text: str = "hi", *, call_id: str = "org#app_1001", **fields: Any) -> dict[str, Any]:
    """A one-to-one text message callback (alice -> bot), as documented."""
    return {
        "callId": call_id,
        "eventType": "chat",
        "timestamp": now_ms(),
        "chat_type": "chat",
        "from": "alice",
        "to": "bot",
        "msg_id": call_id.rpartition("_")[2],
        "payload": {"ext": {}, "bodies": [{"msg": text, "type": "txt"}]},
        "securityVersion": "1.0.0",
        "appkey": "org#app",
        **fields,
    }


def pre_delivery(text: str = "hi", *, call_id: str = "org#app_pre-1") -> dict[str, Any]:
    body = message(text, call_id=call_id)
    del body["eventType"]
    return body


def signed(body: dict[str, Any], secret: str = SECRET) -> bytes:
    """``body`` with its ``security`` set for ``secret``, encoded."""
    body = {**body, "security": sign(body["callId"], secret, body["timestamp"])}
    return msgspec.json.encode(body)
