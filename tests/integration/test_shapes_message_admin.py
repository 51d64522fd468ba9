"""Recall, conversation deletion and history responses have the key sets and JSON
types of their documented examples; so do the records of the emulator's history files
(the history section's later examples: one whole record, then a ``bodies`` per type).
"""

from __future__ import annotations

import gzip
import json
import re
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from agora_chat_async.emulator import EmulatorServer
from tests._spec_files import doc_examples, lenient_json
from tests.contract._examples import FILE_CONTENTS
from tests.integration._helpers import raw_requests
from tests.integration._shapes import Scenario, assert_like, body as _body, documented, shape

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw

ROWS = {"messages.recall", "messages.history_file", "conversations.delete"}
HOUR = 3600.0


class _Clock:
    offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
async def emulator(clock: _Clock) -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(clock=clock) as server:
        yield server


@pytest.fixture
async def client(emulator: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    async with emulator.client(rate_limits=False) as c:
        yield c


@pytest.fixture
async def raw(emulator: EmulatorServer) -> AsyncIterator[Raw]:
    async with raw_requests(emulator) as requests:
        yield requests


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


def _go_back(raw: Raw, hours: int) -> str:
    """Move the emulator's clock into the hour ``hours`` ago; returns that hour."""
    clock = raw.server.emulator.state.clock
    assert isinstance(clock, _Clock)
    now = time.time()
    clock.offset = (now // HOUR - hours) * HOUR + 600 - now
    return datetime.fromtimestamp(clock(), UTC).strftime("%Y%m%d%H")


def _back_to_now(raw: Raw) -> None:
    clock = raw.server.emulator.state.clock
    assert isinstance(clock, _Clock)
    clock.offset = 0.0


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


def test_every_documented_example_has_a_scenario() -> None:
    assert set(EXAMPLES) == set(SCENARIOS)


@pytest.mark.parametrize("example_id", sorted(SCENARIOS))
async def test_response_shape_matches_the_docs(raw: Raw, example_id: str) -> None:
    ours = await SCENARIOS[example_id](raw)
    assert_like(ours, EXAMPLES[example_id])


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
