"""Recall, conversation deletion and history responses have the key sets and JSON
types of their documented examples; so do the records of the emulator's history files
(the history section's later examples: one whole record, then a ``bodies`` per type).
"""

from __future__ import annotations

import gzip
import json
import re
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from tests._spec_files import doc_examples, lenient_json
from tests.contract._examples import FILE_CONTENTS
from tests.integration._helpers import Clock
from tests.integration._shapes import Scenario, body as _body, documented, shape, shape_tests

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer
    from tests.integration._helpers import Raw

ROWS = {"messages.recall", "messages.history_file", "conversations.delete"}


@pytest.fixture
async def client(emulator: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    async with emulator.client(rate_limits=False) as c:
        yield c


async def _message(raw: Raw, to: str = "user2", **fields: Any) -> str:
    message = {"from": "user1", "to": [to], "type": "txt", "body": {"msg": "hi"}, **fields}
    return str((await _body(raw, "POST", "/messages/users", message))["data"][to])


async def _recall(raw: Raw) -> Any:
    msg_id = await _message(raw)
    recall = {"msg_id": msg_id, "to": "user2", "chat_type": "chat", "from": "user1"}
    return await _body(raw, "POST", "/messages/msg_recall", recall)


async def _recall_refused(raw: Raw) -> Any:
    # The per-message answer is the legacy batch form's (see _handlers/message_admin.py).
    recall = {"msg_id": "673296835082717140", "to": "user2", "chat_type": "chat"}
    return await _body(raw, "POST", "/messages/recall", {"msgs": [recall]})


async def _delete_conversation(raw: Raw) -> Any:
    await _body(raw, "POST", "/users", {"username": "u1"})
    channel = {"channel": "u2", "type": "chat", "delete_roam": True}
    return await _body(raw, "DELETE", "/users/u1/user_channel", channel)


def _clock(raw: Raw) -> Clock:
    clock = raw.server.emulator.state.clock
    assert isinstance(clock, Clock)
    return clock


def _go_back(raw: Raw, hours: int) -> str:
    """Move the emulator's clock into the hour ``hours`` ago; returns that hour."""
    return _clock(raw).go_back(hours)


def _back_to_now(raw: Raw) -> None:
    _clock(raw).offset = 0.0


async def _history(raw: Raw) -> Any:
    hour = _go_back(raw, 2)
    await _message(raw)
    _back_to_now(raw)
    return await _body(raw, "GET", f"/chatmessages/{hour}")


SCENARIOS: dict[str, Scenario] = {
    "messages.recall#0": _recall,
    "messages.recall#1": _recall_refused,
    "messages.history_file#0": _history,
    "conversations.delete#0": _delete_conversation,
}

EXAMPLES = {k: v for k, v in documented({"messages"}).items() if k.partition("#")[0] in ROWS}

test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)


# -- records of the history files --------------------------------------------------------


def _file_examples() -> list[Any]:
    """The history section's examples after the response, ``...`` elisions removed."""
    (section,) = FILE_CONTENTS
    texts = [e["body"] for e in doc_examples() if (e["method"], e["path"], e["section"]) == section]
    return [lenient_json(re.sub(r",\s*\.\.\.", "", text)) for text in texts[1:]]


FILE_EXAMPLES = _file_examples()
RECORD = next(e for e in FILE_EXAMPLES if "msg_id" in e)
BODIES = {e["bodies"][0]["type"]: e for e in FILE_EXAMPLES if "bodies" in e}

#: Bodies to send per type, with the fields the examples show (an attachment is
#: uploaded first; its url, secret and length come from the upload).
_SENT: dict[str, dict[str, Any]] = {
    "txt": {"msg": "welcome to Agora!"},
    "img": {"filename": "test1.jpg", "size": {"height": 1325, "width": 746}},
    "loc": {"addr": "test", "lat": "39.9053", "lng": "116.36302"},
    "audio": {"filename": "test1.amr", "length": 10},
    "video": {
        "filename": "1.mp4",
        "length": 10,
        "size": {"height": 480, "width": 360},
        "thumb": "https://example.test/chatfiles/thumb",
        "thumb_secret": "abc",
    },
    "file": {"filename": "record.md"},
    "cmd": {"action": "run"},
    "custom": {
        "customEvent": "gift_1",
        "customExts": {"name": "flower", "size": "16", "price": "100"},
    },
}


def test_every_body_example_is_covered() -> None:
    assert set(BODIES) == set(_SENT)
    assert len(FILE_EXAMPLES) == len(BODIES) + 1  # and the one whole record


async def _records(client: AgoraChatClient, raw: Raw, sent: dict[str, Any]) -> list[Any]:
    """Send each body (to user2, from user1, with an ext) in a past hour; the file's records."""
    uploaded = await client.files.upload(b"\0" * 128, filename="a.bin")
    hour = _go_back(raw, 2)
    for kind, content in sent.items():
        if kind in ("img", "audio", "video", "file"):
            url = raw.url(f"/chatfiles/{uploaded.uuid}")
            content = {**content, "url": url, "secret": uploaded.share_secret}
        await _message(raw, type=kind, body=content, ext={"key1": "value1"})
    _back_to_now(raw)
    url = (await _body(raw, "GET", f"/chatmessages/{hour}"))["data"][0]["url"]
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200
        data = await response.read()
    return [json.loads(line) for line in gzip.decompress(data).splitlines()]


async def test_records_have_the_documented_shape(client: AgoraChatClient, raw: Raw) -> None:
    (record,) = await _records(client, raw, {"txt": _SENT["txt"]})
    ours = {**record, "payload": {**record["payload"], "bodies": []}}
    theirs = {**RECORD, "payload": {**RECORD["payload"], "bodies": []}}
    assert shape(ours) == shape(theirs)
    assert list(ours) == list(theirs)


async def test_bodies_have_the_documented_shape_per_type(client: AgoraChatClient, raw: Raw) -> None:
    records = await _records(client, raw, _SENT)
    for record in records:
        bodies = {"bodies": record["payload"]["bodies"]}
        kind = bodies["bodies"][0]["type"]
        assert shape(bodies) == shape(BODIES[kind]), kind
