"""Message reactions on the wire: adding (JSON body), reading several messages' reactions
(comma-joined ids in the query), removing (query parameters) and paging a reaction's
users by ``data.cursor``."""

from __future__ import annotations

import pytest

from agora_chat_async import BadRequestError, NotFoundError
from agora_chat_async.models.reactions import MessageReactions, Reaction

ADDED = {
    "requestStatusCode": "ok",
    "timestamp": 1645774821181,
    "data": {
        "id": "946481033434607420",
        "msgId": "997625372793113144",
        "msgType": "chat",
        "groupId": None,
        "reaction": "emoji_40",
        "createdAt": "2022-02-24T10:57:43.138934Z",
        "updatedAt": "2022-02-24T10:57:43.138939Z",
    },
}


def _detail(users: list[str], cursor: str | None = None) -> dict[str, object]:
    data: dict[str, object] = {
        "reactionId": "946463470818405943",
        "reaction": "emoji_40",
        "userCount": 3,
        "state": True,
        "userList": users,
    }
    if cursor is not None:
        data["cursor"] = cursor
    return {"requestStatusCode": "ok", "timestamp": 1645776986146, "data": data}


async def test_add_posts_msg_id_and_message(client, mock, wire) -> None:
    mock.post(wire.url("/reaction/user/e1"), payload=ADDED)

    added = await client.reactions.add("e1", "997625372793113144", "emoji_40")

    wire.only(
        "POST",
        "/reaction/user/e1",
        body={"msgId": "997625372793113144", "message": "emoji_40"},
    )
    assert isinstance(added, Reaction)
    assert (added.id, added.message_id, added.chat_type, added.group_id, added.reaction) == (
        "946481033434607420",
        "997625372793113144",
        "chat",
        None,
        "emoji_40",
    )
    assert (added.created_at, added.updated_at) == (
        "2022-02-24T10:57:43.138934Z",
        "2022-02-24T10:57:43.138939Z",
    )


async def test_get_many_sends_the_ids_comma_joined(client, mock, wire) -> None:
    body = {
        "requestStatusCode": "ok",
        "timestamp": 1645774821181,
        "data": [
            {
                "msgId": "1",
                "reactionList": [
                    {
                        "reactionId": "944330310986837168",
                        "reaction": "emoji_1",
                        "count": 4,
                        "state": False,
                        "userList": ["a", "b", "c"],
                    }
                ],
            }
        ],
    }
    path = "/reaction/user/u1?groupId=g1&msgIdList=1%2C2&msgType=groupchat"
    mock.get(wire.encoded(path), payload=body)

    found = await client.reactions.get_many("u1", ["1", "2"], chat_type="groupchat", group_id="g1")

    wire.only("GET", path)
    assert [type(m) for m in found] == [MessageReactions]
    (message,) = found
    assert message.message_id == "1"
    (summary,) = message.reactions
    assert (summary.reaction_id, summary.reaction, summary.count, summary.state) == (
        "944330310986837168",
        "emoji_1",
        4,
        False,
    )
    assert summary.users == ["a", "b", "c"]


async def test_get_many_of_one_to_one_messages_sends_no_group(client, mock, wire) -> None:
    ok = {"requestStatusCode": "ok", "timestamp": 1, "data": []}
    mock.get(wire.url("/reaction/user/u1?msgIdList=7&msgType=chat"), payload=ok)
    assert await client.reactions.get_many("u1", ["7"], chat_type="chat") == []
    wire.only("GET", "/reaction/user/u1?msgIdList=7&msgType=chat")


async def test_remove_sends_query_parameters(client, mock, wire) -> None:
    path = "/reaction/user/wz?message=emoji_40&msgId=997625372793113144"
    mock.delete(wire.url(path), payload={"requestStatusCode": "ok", "timestamp": 1645774821181})

    assert await client.reactions.remove("wz", "997625372793113144", "emoji_40") is True

    wire.only("DELETE", path)


async def test_remove_reads_another_status_as_not_done(client, mock, wire) -> None:
    mock.delete(wire.url("/reaction/user/wz?message=e&msgId=1"), payload={"timestamp": 1})
    assert await client.reactions.remove("wz", "1", "e") is False


async def test_list_users_follows_the_cursor_inside_data(client, mock, wire) -> None:
    first = "/reaction/user/wz/detail?limit=2&message=emoji_40&msgId=9"
    second = "/reaction/user/wz/detail?cursor=77&limit=2&message=emoji_40&msgId=9"
    mock.get(wire.url(first), payload=_detail(["a", "b"], cursor="77"))
    mock.get(wire.url(second), payload=_detail(["c"]))

    users = [u async for u in client.reactions.list_users("wz", "9", "emoji_40", page_size=2)]

    assert users == ["a", "b", "c"]
    assert wire.sent() == {("GET", wire.url(first)): 1, ("GET", wire.url(second)): 1}
    wire.check(wire.calls("GET", first)[0])


async def test_list_users_defaults_to_pages_of_50(client, mock, wire) -> None:
    path = "/reaction/user/wz/detail?limit=50&message=emoji_40&msgId=9"
    mock.get(wire.url(path), payload=_detail(["a"]))
    assert [u async for u in client.reactions.list_users("wz", "9", "emoji_40")] == ["a"]
    wire.only("GET", path)


async def test_server_errors_are_typed(client, mock, wire) -> None:
    error = {"error": "illegal_argument", "error_description": "a message can have at most 20"}
    mock.post(wire.url("/reaction/user/e1"), status=400, payload=error)
    with pytest.raises(BadRequestError) as caught:
        await client.reactions.add("e1", "1", "emoji_21")
    assert (caught.value.error, caught.value.description) == (
        "illegal_argument",
        "a message can have at most 20",
    )
    missing = {"error": "service_resource_not_found", "error_description": "message 2 not found"}
    mock.get(
        wire.url("/reaction/user/e1/detail?limit=50&message=e&msgId=2"), status=404, payload=missing
    )
    with pytest.raises(NotFoundError) as gone:
        _ = [u async for u in client.reactions.list_users("e1", "2", "e")]
    assert gone.value.description == "message 2 not found"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.reactions.add("", "1", "e"), ValueError),
        (lambda c: c.reactions.add("bad name", "1", "e"), ValueError),
        (lambda c: c.reactions.add("u1", "", "e"), ValueError),
        (lambda c: c.reactions.add("u1", "1", ""), ValueError),
        (lambda c: c.reactions.add("u1", "1", "e" * 129), ValueError),
        (lambda c: c.reactions.add("u1", "1", 40), TypeError),
        (lambda c: c.reactions.remove("u1", "1", "e" * 129), ValueError),
        (lambda c: c.reactions.remove("u1", "", "e"), ValueError),
        (lambda c: c.reactions.get_many("u1", [], chat_type="chat"), ValueError),
        (lambda c: c.reactions.get_many("u1", "1", chat_type="chat"), TypeError),
        (lambda c: c.reactions.get_many("u1", ["1,2"], chat_type="chat"), ValueError),
        (
            lambda c: c.reactions.get_many("u1", [str(i) for i in range(21)], chat_type="chat"),
            ValueError,
        ),
        (lambda c: c.reactions.get_many("u1", ["1"], chat_type="chatroom"), ValueError),
        (lambda c: c.reactions.get_many("u1", ["1"], chat_type="groupchat"), ValueError),
        (
            lambda c: c.reactions.get_many("u1", ["1"], chat_type="groupchat", group_id=""),
            ValueError,
        ),
    ],
)
async def test_bad_arguments_send_nothing(client, wire, call, error) -> None:
    with pytest.raises(error):
        await call(client)
    assert wire.sent() == {}


async def test_list_users_checks_its_arguments_before_any_page(client, wire) -> None:
    with pytest.raises(ValueError, match="128"):
        client.reactions.list_users("u1", "1", "e" * 129)
    with pytest.raises(ValueError, match="page_size"):
        client.reactions.list_users("u1", "1", "e", page_size=0)
    assert wire.sent() == {}


async def test_an_emoji_of_128_characters_is_sent(client, mock, wire) -> None:
    emoji = "😀" * 128
    mock.post(wire.url("/reaction/user/e1"), payload=ADDED)
    await client.reactions.add("e1", "1", emoji)
    wire.only("POST", "/reaction/user/e1", body={"msgId": "1", "message": emoji})
