"""Every documented response example decodes into its endpoint's response type."""

from __future__ import annotations

import msgspec
import pytest

from agora_chat_async._client import _Plan, page_reader
from agora_chat_async._spec import ENDPOINTS
from tests.contract._examples import NO_EXAMPLE, Example, matched_examples

EXAMPLES = matched_examples()


def decode(example: Example) -> object:
    """Decode the example exactly as the client decodes a live response."""
    endpoint = example.endpoint
    body = msgspec.json.encode(example.body)
    if endpoint.pager is not None:
        return page_reader(endpoint)(body)
    plan = _Plan(endpoint)
    if plan.decode is None:
        return None
    payload = plan.decode(body)
    return payload if plan.post is None else plan.post(payload)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example_decodes(example: Example) -> None:
    result = decode(example)
    if example.endpoint.unwrap == "none":
        assert result is None
    else:
        assert result is not None


def test_every_typed_endpoint_has_an_example_or_a_reason() -> None:
    covered = {e.endpoint.name for e in EXAMPLES}
    typed = {e.name for e in ENDPOINTS if e.typed}
    assert typed - covered == set(NO_EXAMPLE)


def test_decoded_values_match_the_examples() -> None:
    by_id = {e.id: e for e in EXAMPLES}
    user = decode(by_id["users.get#0"])
    assert (user.username, user.activated, user.nickname) == ("XXXX", True, "testuser")
    assert decode(by_id["users.get_statuses#0"]) == {"user1": "offline", "user2": "offline"}
    assert decode(by_id["users.offline_message_count#0"]) == 0
    assert decode(by_id["users.offline_message_status#0"]) == "delivered"
    assert decode(by_id["users.disconnect#0"]) is True
    failures = decode(by_id["users.register_many#1"]).data
    assert [(f.username, f.reason) for f in failures] == [("user3", "the user3 already exists")]
    users, cursor = decode(by_id["users.list#0"])
    assert cursor == "LTgzNDAxMjM3OToxTEFnNE9sNEVlaVQ0UEdhdmJNR2tB"
    assert [u.nickname for u in users] == ["testuser1", "testuser2"]
    assert decode(by_id["users.list#1"])[1] is None
    styled = decode(by_id["push.set_display_style#0"])
    assert (styled.notification_display_style, styled.notifier_name) == (
        1,
        "2882303761517426801",
    )
