"""PreDeliveryReply: the documented JSON, and the 1,000-character limit checked up front."""

from __future__ import annotations

import msgspec
import pytest

from agora_chat_async.callbacks import MAX_REPLY_CHARS, PreDeliveryReply, PreDeliveryReplyError


def test_allow_reject_modified_encode_the_documented_fields() -> None:
    assert PreDeliveryReply.allow().body == b'{"valid":true}'
    assert PreDeliveryReply.reject().body == b'{"valid":false}'
    assert PreDeliveryReply.reject("HX:10000").body == b'{"valid":false,"code":"HX:10000"}'
    modified = PreDeliveryReply.modified({"ext": {}, "bodies": [{"msg": "***", "type": "txt"}]})
    assert msgspec.json.decode(modified.body) == {
        "valid": True,
        "payload": {"ext": {}, "bodies": [{"msg": "***", "type": "txt"}]},
    }
    assert (modified.valid, modified.code) == (True, None)
    assert PreDeliveryReply.reject("x") == PreDeliveryReply(False, code="x")
    assert repr(PreDeliveryReply.allow()) == 'PreDeliveryReply({"valid":true})'


def _of_chars(total: int, char: str = "a") -> PreDeliveryReply:
    overhead = len('{"valid":false,"code":""}')
    return PreDeliveryReply.reject(char * (total - overhead))


def test_a_reply_of_exactly_1000_characters_is_accepted() -> None:
    assert len(_of_chars(MAX_REPLY_CHARS).body) == 1000


def test_a_reply_over_1000_characters_is_refused_before_answering() -> None:
    with pytest.raises(PreDeliveryReplyError, match="1001 characters; Agora accepts at most 1000"):
        _of_chars(MAX_REPLY_CHARS + 1)
    with pytest.raises(PreDeliveryReplyError):
        PreDeliveryReply.modified({"ext": {}, "bodies": [{"msg": "x" * 1000, "type": "txt"}]})


def test_the_limit_counts_characters_not_bytes() -> None:
    reply = _of_chars(MAX_REPLY_CHARS, "é")
    assert len(reply.body) > 1000  # bytes
    assert len(reply.body.decode()) == 1000


def test_an_unencodable_payload_is_a_typed_error() -> None:
    with pytest.raises(PreDeliveryReplyError, match="cannot be encoded"):
        PreDeliveryReply.modified({"msg": object()})
