"""``client.contacts`` and ``client.blocks`` on the wire: requests, decoded results, errors."""

from __future__ import annotations

import pytest

from agora_chat_async import NotFoundError, PermissionDeniedError, ResponseValidationError, User

FRIEND = {
    "uuid": "b2aade90-0000-0000-a974-f3368f82e4f1",
    "type": "user",
    "created": 1542356523769,
    "modified": 1542597334500,
    "username": "bob",
    "activated": True,
}
CHANGED = {"path": "/users/4759aa70/contacts", "action": "post", "entities": [FRIEND]}
NOT_FOUND = {
    "error": "service_resource_not_found",
    "error_description": "Service resource not found",
}


async def test_add_posts_no_body_and_returns_the_contact(client, mock, wire) -> None:
    mock.post(wire.url("/users/alice/contacts/users/bob"), payload=CHANGED)

    friend = await client.contacts.add("alice", "bob")

    wire.only("POST", "/users/alice/contacts/users/bob")
    assert isinstance(friend, User)
    assert (friend.username, friend.uuid, friend.activated) == ("bob", FRIEND["uuid"], True)


async def test_remove_deletes_and_returns_the_removed_contact(client, mock, wire) -> None:
    mock.delete(
        wire.url("/users/alice/contacts/users/bob"), payload={**CHANGED, "action": "delete"}
    )

    friend = await client.contacts.remove("alice", "bob")

    wire.only("DELETE", "/users/alice/contacts/users/bob")
    assert friend.username == "bob"


async def test_list_is_one_request_without_paging_parameters(client, mock, wire) -> None:
    body = {"entities": [], "count": 2, "action": "get", "data": ["user3", "user2"]}
    mock.get(wire.url("/users/alice/contacts/users"), payload=body)

    pager = client.contacts.list("alice")
    assert mock.requests == {}  # nothing is sent before iterating
    names = [name async for name in pager]

    wire.only("GET", "/users/alice/contacts/users")
    assert names == ["user3", "user2"]


async def test_list_of_nobody_is_empty(client, mock, wire) -> None:
    mock.get(wire.url("/users/alice/contacts/users"), payload={"data": [], "count": 0})
    assert [name async for name in client.contacts.list("alice")] == []


async def test_blocks_list_pages_with_page_size_and_cursor(client, mock, wire) -> None:
    first = {"data": ["u5", "u4"], "count": 2, "cursor": "Yw=="}
    mock.get(wire.url("/users/alice/blocks/users?pageSize=2"), payload=first)
    mock.get(wire.url("/users/alice/blocks/users?pageSize=2&cursor=Yw=="), payload={"data": ["u3"]})

    pages = [page async for page in client.blocks.list("alice", page_size=2).pages()]

    assert wire.sent() == {
        ("GET", wire.url("/users/alice/blocks/users?pageSize=2")): 1,
        ("GET", wire.url("/users/alice/blocks/users?cursor=Yw==&pageSize=2")): 1,
    }
    wire.check(wire.calls("GET", "/users/alice/blocks/users?pageSize=2")[0])
    assert [page.items for page in pages] == [["u5", "u4"], ["u3"]]


async def test_blocks_list_asks_for_50_per_page_by_default_and_caps_it(client, mock, wire) -> None:
    mock.get(wire.url("/users/alice/blocks/users?pageSize=50"), payload={"data": ["u1"]})
    mock.get(wire.url("/users/alice/blocks/users?pageSize=50"), payload={"data": ["u1"]})

    assert [n async for n in client.blocks.list("alice")] == ["u1"]
    assert [n async for n in client.blocks.list("alice", page_size=500)] == ["u1"]
    assert wire.sent() == {("GET", wire.url("/users/alice/blocks/users?pageSize=50")): 2}


async def test_blocks_add_sends_the_usernames_and_returns_them(client, mock, wire) -> None:
    body = {"entities": [], "action": "post", "data": ["bob", "carol"]}
    mock.post(wire.url("/users/alice/blocks/users"), payload=body)

    blocked = await client.blocks.add("alice", ["bob", "carol"])

    wire.only("POST", "/users/alice/blocks/users", body={"usernames": ["bob", "carol"]})
    assert blocked == ["bob", "carol"]


async def test_blocks_add_takes_50_usernames(client, mock, wire) -> None:
    names = [f"u{i}" for i in range(50)]
    mock.post(wire.url("/users/alice/blocks/users"), payload={"data": names})
    assert await client.blocks.add("alice", names) == names
    wire.only("POST", "/users/alice/blocks/users", body={"usernames": names})


async def test_blocks_remove_returns_the_unblocked_user(client, mock, wire) -> None:
    body = {"path": "/users/4759aa70/blocks", "action": "delete", "entities": [FRIEND]}
    mock.delete(wire.url("/users/alice/blocks/users/bob"), payload=body)

    user = await client.blocks.remove("alice", "bob")

    wire.only("DELETE", "/users/alice/blocks/users/bob")
    assert user.username == "bob"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda c: c.contacts.add("alice", ""), ValueError, "friend_username"),
        (lambda c: c.contacts.add("a b", "bob"), ValueError, "owner_username"),
        (lambda c: c.contacts.remove("alice", "bob/x"), ValueError, "friend_username"),
        (lambda c: c.blocks.add("alice", []), ValueError, "1 to 50"),
        (lambda c: c.blocks.add("alice", [f"u{i}" for i in range(51)]), ValueError, "1 to 50"),
        (lambda c: c.blocks.add("alice", "bob"), TypeError, "must be a list"),
        (lambda c: c.blocks.add("alice", ["ok", "not ok"]), ValueError, "each of usernames"),
        (lambda c: c.blocks.remove("", "bob"), ValueError, "owner_username"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(client, mock, call, error, message) -> None:
    with pytest.raises(error, match=message):
        await call(client)
    assert mock.requests == {}


@pytest.mark.parametrize("lister", ["contacts", "blocks"])
async def test_lists_refuse_a_bad_owner_before_sending(client, mock, lister) -> None:
    with pytest.raises(ValueError, match="owner_username"):
        getattr(client, lister).list("no such/user")
    assert mock.requests == {}


async def test_errors_are_typed_with_code_and_description(client, mock, wire) -> None:
    limit = {"error": "exceed_limit", "error_description": "user contact number exceed limit"}
    mock.post(wire.url("/users/alice/contacts/users/bob"), status=403, payload=limit)
    mock.get(wire.url("/users/ghost/contacts/users"), status=404, payload=NOT_FOUND)
    mock.post(wire.url("/users/alice/blocks/users"), status=404, payload=NOT_FOUND)

    with pytest.raises(PermissionDeniedError) as denied:
        await client.contacts.add("alice", "bob")
    assert (denied.value.status, denied.value.error) == (403, "exceed_limit")
    assert denied.value.description == "user contact number exceed limit"
    assert denied.value.endpoint == "contacts.add"
    with pytest.raises(NotFoundError) as missing:
        [n async for n in client.contacts.list("ghost")]
    assert missing.value.description == "Service resource not found"
    with pytest.raises(NotFoundError):
        await client.blocks.add("alice", ["ghost"])


async def test_an_answer_without_the_entity_is_a_validation_error(client, mock, wire) -> None:
    mock.delete(wire.url("/users/alice/blocks/users/bob"), payload={"entities": []})
    with pytest.raises(ResponseValidationError):
        await client.blocks.remove("alice", "bob")
