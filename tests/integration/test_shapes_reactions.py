"""Each reaction answer has the key set and JSON types of its documented example; the
users, the messages and the reactions are set up over REST."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._helpers import register
from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw


async def _message(raw: Raw, sender: str, to: str) -> str:
    """A one-to-one text message's id."""
    message = {"from": sender, "to": [to], "type": "txt", "body": {"msg": "hi"}}
    return str((await _body(raw, "POST", "/messages/users", message))["data"][to])


async def _react(raw: Raw, user: str, message_id: str, emoji: str) -> Any:
    return await _body(
        raw, "POST", f"/reaction/user/{user}", {"msgId": message_id, "message": emoji}
    )


async def _add(raw: Raw) -> Any:
    await register(raw, "e1", "e2")
    return await _react(raw, "e1", await _message(raw, "e2", "e1"), "emoji_40")


async def _get_many(raw: Raw) -> Any:
    await register(raw, "test1", "test5", "wz")
    first, second = await _message(raw, "wz", "test1"), await _message(raw, "wz", "test5")
    await _react(raw, "test1", first, "message123456")
    await _react(raw, "test5", second, "message123456")
    return await _body(raw, "GET", f"/reaction/user/wz?msgIdList={first},{second}&msgType=chat")


async def _remove(raw: Raw) -> Any:
    await register(raw, "wz", "e2")
    message_id = await _message(raw, "e2", "wz")
    await _react(raw, "wz", message_id, "emoji_40")
    return await _body(raw, "DELETE", f"/reaction/user/wz?msgId={message_id}&message=emoji_40")


async def _detail(raw: Raw) -> Any:
    await register(raw, "wz", "wz1", "wz2")
    message_id = await _message(raw, "wz", "wz1")
    for user in ("wz1", "wz2"):
        await _react(raw, user, message_id, "message123456")
    # limit=1 so that the page, like the example's, has a cursor
    query = f"msgId={message_id}&message=message123456&limit=1"
    return await _body(raw, "GET", f"/reaction/user/wz1/detail?{query}")


SCENARIOS: dict[str, Scenario] = {
    "reactions.add#0": _add,
    "reactions.get_many#0": _get_many,
    "reactions.remove#0": _remove,
    "reactions.list_users#0": _detail,
}

test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    documented({"reactions"}), SCENARIOS
)


async def test_values_follow_the_docs(raw: Raw) -> None:
    added = (await _add(raw))["data"]
    assert (added["msgType"], added["groupId"], added["reaction"]) == ("chat", None, "emoji_40")
    assert added["id"].isdigit()
    assert len(added["id"]) == 18
    assert added["createdAt"].endswith("Z")
    assert added["createdAt"] <= added["updatedAt"]
    detail = (await _detail(raw))["data"]
    assert (detail["userCount"], detail["state"], detail["userList"]) == (2, True, ["wz1"])
    assert detail["cursor"].isdigit()
