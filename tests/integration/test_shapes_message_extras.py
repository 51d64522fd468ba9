"""Rewrite and import responses have the key sets and JSON types of their documented
examples (Agora shows no directed group message: see NO_EXAMPLE)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw

ROWS = {
    "messages.send_to_group_members",
    "messages.rewrite",
    "messages.import_to_user",
    "messages.import_to_group",
}


async def _sent(raw: Raw, kind: str, content: dict[str, Any]) -> str:
    message = {"from": "user1", "to": ["user2"], "type": kind, "body": content}
    return str((await _body(raw, "POST", "/messages/users", message))["data"]["user2"])


async def _rewrite_text(raw: Raw) -> Any:
    msg_id = await _sent(raw, "txt", {"msg": "hi"})
    new = {"user": "user1", "new_msg": {"type": "txt", "msg": "update message content"}}
    return await _body(raw, "PUT", f"/messages/rewrite/{msg_id}", new)


async def _rewrite_custom(raw: Raw) -> Any:
    msg_id = await _sent(raw, "custom", {"customEvent": "custom_event"})
    new = {
        "user": "user1",
        "new_msg": {
            "type": "custom",
            "customEvent": "custom_event",
            "customExts": {"ext_key1": "ext_value1"},
        },
        "new_ext": {"key": "value", "old_key": "new_value"},
        "is_combine_ext": True,
    }
    return await _body(raw, "PUT", f"/messages/rewrite/{msg_id}", new)


def _import(path: str, target: str) -> Scenario:
    async def scenario(raw: Raw) -> Any:
        message = {
            "target": target,
            "type": "txt",
            "body": {"msg": "import message."},
            "ext": {"key1": "value1"},
            "from": "username1",
            "is_ack_read": True,
            "msg_timestamp": 1656906628428,
        }
        return await _body(raw, "POST", path, message)

    return scenario


SCENARIOS: dict[str, Scenario] = {
    # The page documents the rewrite twice, each section with the same example.
    "messages.rewrite#0": _rewrite_text,
    "messages.rewrite#1": _rewrite_custom,
    "messages.import_to_user#0": _import("/messages/users/import", "username2"),
    "messages.import_to_group#0": _import("/messages/chatgroups/import", "1123376564212"),
}

EXAMPLES = {k: v for k, v in documented({"messages"}).items() if k.partition("#")[0] in ROWS}

test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)
