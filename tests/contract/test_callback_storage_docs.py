"""The callback-storage endpoints decode their documented examples.

The examples are on Agora's "Set up webhooks" page (AgoraIO/Docs-Source
``shared/chat-sdk/develop/_setup-webhooks.mdx``, commit 8c1f0c5c; Easemob's
callback-storage page shows the same two), which is not among the REST pages whose
examples ``shared/spec/doc_response_examples.json`` holds, so they are copied here
verbatim. ``tests/integration/test_callbacks_flow.py`` checks the emulator answers
with the same keys.
"""

from __future__ import annotations

import json

import msgspec

from agora_chat_async import StoredCallbackSet
from agora_chat_async._client import _Plan
from agora_chat_async._spec import BY_NAME

INFO_EXAMPLE = """
{
  "path": "/callbacks",
  "uri": "https://XXXX/XXXX/XXXX/callbacks",
  "timestamp": 1631193031254,
  "organization": "XXXX",
  "application": "8dfb1641-XXXX-XXXX-bbe9-d8d45a3be39f",
  "action": "post",
  "data": [
    {
      "date": "202109091440",
      "size": 15,
      "retry": 0
    },
    {
      "date": "202109091450",
      "size": 103,
      "retry": 1
    }
  ],
  "duration": 153,
  "applicationName": "XXXX"
}
"""

RETRY_EXAMPLE = """
{
  "path": "/callbacks",
  "uri": "https://XXXX/XXXX/XXXX/callbacks",
  "timestamp": 1631194031721,
  "organization": "XXXX",
  "application": "8dfb1641-XXXX-XXXX-bbe9-d8d45a3be39f",
  "action": "post",
  "data": "success",
  "duration": 225,
  "applicationName": "XXXX"
}
"""


def _decode(name: str, example: str) -> object:
    """Decode as the client decodes a live answer (envelope, unwrap, post-step)."""
    plan = _Plan(BY_NAME[name])
    assert plan.decode is not None
    payload = plan.decode(example.encode())
    return payload if plan.post is None else plan.post(payload)


def test_the_storage_info_example_decodes_into_stored_sets() -> None:
    sets = _decode("callbacks.get_storage", INFO_EXAMPLE)
    assert sets == [
        StoredCallbackSet(date="202109091440", size=15, retry=0),
        StoredCallbackSet(date="202109091450", size=103, retry=1),
    ]


def test_the_retry_example_is_a_success_and_failure_is_not() -> None:
    assert _decode("callbacks.retry_storage", RETRY_EXAMPLE) is True
    failure = json.loads(RETRY_EXAMPLE) | {"data": "failure"}
    assert _decode("callbacks.retry_storage", json.dumps(failure)) is False


def test_the_examples_are_the_keys_the_emulator_answers_with() -> None:
    from agora_chat_async.emulator._handlers._common import SENT_ENVELOPE

    for example in (INFO_EXAMPLE, RETRY_EXAMPLE):
        assert list(msgspec.json.decode(example)) == list(SENT_ENVELOPE)
