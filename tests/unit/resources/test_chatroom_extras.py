"""Wire-level tests of the chat room rows beyond the overview table:
``chatrooms.transfer_owner``, ``chatrooms.super_admins.*`` and ``chatrooms.attributes.*``."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from agora_chat_async import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
)
from agora_chat_async._spec import BY_NAME
from agora_chat_async.models.chatrooms import ChatroomAttributeResult
from tests._spec_files import doc_examples, lenient_json
from tests.unit._bodies import documented, error_body
from tests.unit.conftest import Wire

_url = Wire.encoded

RID = "662XXXX13"
ATTRS = f"/metadata/chatroom/{RID}"


def _ok(data: Any, action: str = "get", **top: Any) -> dict[str, Any]:
    return {
        "action": action,
        "application": "9fa492a0-e274-11e8-9df8-516f6df68c6d",
        "uri": "https://api.test/org/app/chatrooms",
        "entities": [],
        "data": data,
        "timestamp": 1596187658017,
        "duration": 1,
        "organization": "org",
        "applicationName": "app",
        **top,
    }


# -- transfer_owner --------------------------------------------------------------------


async def test_transfer_owner_puts_newowner_and_reads_the_flag(client, mock, wire):
    mock.put(_url(f"/chatrooms/{RID}"), payload=_ok({"newowner": True}, "put"))

    assert await client.chatrooms.transfer_owner(RID, "user2") is True

    call = wire.only("PUT", f"/chatrooms/{RID}", body={"newowner": "user2"})
    assert call.kwargs["data"] == b'{"newowner":"user2"}'


def test_transfer_owner_is_its_own_row_on_the_update_path():
    row, update = BY_NAME["chatrooms.transfer_owner"], BY_NAME["chatrooms.update"]
    assert (row.method, row.path) == (update.method, update.path)
    assert (row.overview, row.typed, row.result) == (False, True, "bool")
    assert [(p.name, p.wire_name, p.location) for p in row.params] == [
        ("chatroom_id", "chatroom_id", "path"),
        ("new_owner", "newowner", "body"),
    ]


async def test_transfer_owner_to_an_unknown_user_raises_not_found(client, mock, wire):
    text = "username nobody doesn't exist!"
    mock.put(_url(f"/chatrooms/{RID}"), status=404, payload=error_body("resource_not_found", text))

    with pytest.raises(NotFoundError) as info:
        await client.chatrooms.transfer_owner(RID, "nobody")

    assert (info.value.error, info.value.description) == ("resource_not_found", text)
    wire.only("PUT", f"/chatrooms/{RID}", body={"newowner": "nobody"})


@pytest.mark.parametrize(("room", "owner"), [("", "user2"), (RID, "bad name"), (RID, "")])
async def test_transfer_owner_refuses_bad_arguments_before_sending(client, mock, room, owner):
    with pytest.raises(ValueError, match=r"non-empty|characters"):
        await client.chatrooms.transfer_owner(room, owner)
    assert mock.requests == {}


# -- super admins ------------------------------------------------------------------------

SUPER = "/chatrooms/super_admin"


async def test_super_admins_list_pages_by_number_until_a_short_page(client, mock, wire):
    first, second = f"{SUPER}?pagenum=1&pagesize=2", f"{SUPER}?pagenum=2&pagesize=2"
    mock.get(_url(first), payload=_ok(["yifan4", "yifan3"], count=2))
    mock.get(_url(second), payload=_ok(["yifan2"], count=1))

    names = await client.chatrooms.super_admins.list(page_size=2).to_list()

    assert wire.sent() == {("GET", wire.url(first)): 1, ("GET", wire.url(second)): 1}
    assert names == ["yifan4", "yifan3", "yifan2"]


async def test_super_admins_list_asks_for_1000_unless_told_and_caps_there(client, mock, wire):
    mock.get(_url(f"{SUPER}?pagenum=1&pagesize=1000"), payload=_ok([], count=0), repeat=True)

    assert await client.chatrooms.super_admins.list().to_list() == []
    assert await client.chatrooms.super_admins.list(page_size=5000).to_list() == []

    assert wire.sent() == {("GET", wire.url(f"{SUPER}?pagenum=1&pagesize=1000")): 2}


async def test_super_admins_list_decodes_the_documenteddocumented(client, mock, wire):
    # Filed in the docs under the DELETE request line before it (MISKEYED).
    (raw,) = [
        e for e in doc_examples() if e["section"].startswith("Retrieving super admins of specified")
    ]
    mock.get(_url(f"{SUPER}?pagenum=1&pagesize=10"), payload=lenient_json(raw["body"]))

    names = [n async for n in client.chatrooms.super_admins.list(page_size=10)]

    assert names == ["yifan4", "yifan3", "yifan2"]  # 3 < 10: one page


async def test_super_admins_add_posts_superadmin(client, mock, wire):
    data = {"result": "success", "resource": ""}
    mock.post(_url(SUPER), payload=_ok(data, "post"))

    assert await client.chatrooms.super_admins.add("user1") is True

    call = wire.only("POST", SUPER, body={"superadmin": "user1"})
    assert call.kwargs["data"] == b'{"superadmin":"user1"}'


@pytest.mark.parametrize(("result", "expected"), [("success", True), (True, True), (False, False)])
async def test_super_admins_add_reads_string_or_boolean_results(client, mock, result, expected):
    mock.post(_url(SUPER), payload=_ok({"result": result, "resource": ""}, "post"))
    assert await client.chatrooms.super_admins.add("user1") is expected


async def test_super_admins_add_of_an_unknown_user_raises_not_found(client, mock, wire):
    text = "username nobody doesn't exist!"
    mock.post(_url(SUPER), status=404, payload=error_body("resource_not_found", text))

    with pytest.raises(NotFoundError) as info:
        await client.chatrooms.super_admins.add("nobody")

    assert (info.value.status, info.value.error, info.value.description) == (
        404,
        "resource_not_found",
        text,
    )
    wire.only("POST", SUPER, body={"superadmin": "nobody"})  # a POST is not retried


async def test_super_admins_remove_deletes_by_name(client, mock, wire):
    data = {"newSuperAdmin": "user1", "resource": ""}
    mock.delete(_url(f"{SUPER}/user1"), payload=_ok(data, "delete"))

    assert await client.chatrooms.super_admins.remove("user1") is True

    wire.only("DELETE", f"{SUPER}/user1")


@pytest.mark.parametrize(
    ("name", "args"),
    [("add", ("bad name",)), ("add", ("",)), ("remove", ("",)), ("remove", ("a/b",))],
)
async def test_super_admins_refuse_bad_usernames_before_sending(client, mock, name, args):
    with pytest.raises(ValueError, match=r"non-empty|characters"):
        await getattr(client.chatrooms.super_admins, name)(*args)
    assert mock.requests == {}


def test_super_admin_examples_decode():
    assert documented("chatrooms.super_admins.add#0") is True
    assert documented("chatrooms.super_admins.remove#0") is True


# -- attributes: set ---------------------------------------------------------------------

USER = f"{ATTRS}/user/user1"
RESULT = {"successKeys": ["key1"], "errorKeys": {"key2": "errorDesc"}}


async def test_set_puts_metadata_and_only_the_options_given(client, mock, wire):
    mock.put(_url(USER), payload={"uri": "u", "timestamp": 1, "action": "put", "data": RESULT})

    result = await client.chatrooms.attributes.set(RID, "user1", {"key1": "v1", "key2": "v2"})

    wire.only("PUT", USER, body={"metaData": {"key1": "v1", "key2": "v2"}})
    assert result == ChatroomAttributeResult(
        success_keys=["key1"], error_keys={"key2": "errorDesc"}
    )
    assert result.ok is False


@pytest.mark.parametrize(("method", "path"), [("set", USER), ("set_forced", USER + "/forced")])
async def test_set_sends_auto_delete(client, mock, wire, method, path):
    mock.put(_url(path), payload={"data": {"successKeys": ["k"], "errorKeys": {}}})

    result = await getattr(client.chatrooms.attributes, method)(
        RID, "user1", {"k": "v"}, auto_delete="NO_DELETE"
    )

    call = wire.only("PUT", path, body={"metaData": {"k": "v"}, "autoDelete": "NO_DELETE"})
    assert call.kwargs["data"] == b'{"metaData":{"k":"v"},"autoDelete":"NO_DELETE"}'
    assert (result.success_keys, result.error_keys, result.ok) == (["k"], {}, True)


async def test_set_by_a_non_member_raises_authenticationerror_body(client, mock, wire):
    # Agora answers 401 (MetadataException) for a setter outside the room: not a token
    # refusal, so the client raises at once instead of renewing the token.
    body = error_body("MetadataException", "user is not in chatroom")
    mock.put(_url(USER), status=401, payload=body, repeat=True)

    with pytest.raises(AuthenticationError) as info:
        await client.chatrooms.attributes.set(RID, "user1", {"k": "v"})

    assert (info.value.error, info.value.description) == (
        "MetadataException",
        "user is not in chatroom",
    )
    assert wire.sent() == {("PUT", wire.url(USER)): 1}


async def test_set_of_too_many_keys_on_the_server_raises_bad_request(client, mock, wire):
    body = error_body("illegal_argument", "exceed allowed batch size 10")
    mock.put(_url(USER), status=400, payload=body)

    with pytest.raises(BadRequestError, match="exceed allowed batch size 10"):
        await client.chatrooms.attributes.set(RID, "user1", {"k": "v"})


@pytest.mark.parametrize(
    ("attributes", "kwargs", "error", "match"),
    [
        ({}, {}, ValueError, "1 to 10 keys"),
        ({f"k{i}": "v" for i in range(11)}, {}, ValueError, "1 to 10 keys"),
        ([("k", "v")], {}, ValueError, "1 to 10 keys"),
        ({"k" * 129: "v"}, {}, ValueError, "1-128 characters"),
        ({"": "v"}, {}, ValueError, "1-128 characters"),
        ({"bad key": "v"}, {}, ValueError, "1-128 characters"),
        ({"ключ": "v"}, {}, ValueError, "1-128 characters"),
        ({"k": "v" * 4097}, {}, ValueError, "limited to 4096"),
        ({"k": 1}, {}, TypeError, "must be a string"),
        ({"k": "v"}, {"auto_delete": "delete"}, ValueError, "DELETE, NO_DELETE"),
    ],
)
@pytest.mark.parametrize("method", ["set", "set_forced"])
async def test_set_refuses_what_the_limits_forbid_before_sending(
    client, mock, method, attributes, kwargs, error, match
):
    with pytest.raises(error, match=match):
        await getattr(client.chatrooms.attributes, method)(RID, "user1", attributes, **kwargs)
    assert mock.requests == {}


async def test_set_accepts_the_limits_exactly(client, mock, wire):
    attributes = {f"{'k' * 126}{i:02d}"[:128]: "v" * 4096 for i in range(10)}
    assert all(len(k) == 128 for k in attributes)
    mock.put(_url(USER), payload={"data": {"successKeys": list(attributes), "errorKeys": {}}})

    result = await client.chatrooms.attributes.set(RID, "user1", attributes)

    wire.only("PUT", USER, body={"metaData": attributes})
    assert result.success_keys == list(attributes)


@pytest.mark.parametrize(("room", "user"), [("", "user1"), (RID, ""), (RID, "bad name")])
async def test_set_refuses_bad_path_arguments_before_sending(client, mock, room, user):
    with pytest.raises(ValueError, match=r"non-empty|characters"):
        await client.chatrooms.attributes.set(room, user, {"k": "v"})
    assert mock.requests == {}


# -- attributes: get -------------------------------------------------------------------


async def test_get_asks_for_every_key_by_default(client, mock, wire):
    payload = {"uri": "u", "timestamp": 1, "action": "post", "data": {"a": "1", "b": "2"}}
    mock.post(_url(ATTRS), payload=payload)

    assert await client.chatrooms.attributes.get(RID) == {"a": "1", "b": "2"}

    call = wire.only("POST", ATTRS, body={"keys": []})
    assert call.kwargs["data"] == b'{"keys":[]}'


async def test_get_sends_the_keys_asked_for(client, mock, wire):
    mock.post(_url(ATTRS), payload={"data": {"a": "1"}})

    assert await client.chatrooms.attributes.get(RID, keys=("a", "gone")) == {"a": "1"}

    wire.only("POST", ATTRS, body={"keys": ["a", "gone"]})


async def test_get_is_retried_although_a_post(client, mock, wire):
    # A read sent as POST: a 503 is retried (the retry policy of the unit client).
    mock.post(_url(ATTRS), status=503, payload=error_body("service_unavailable", "busy"))
    mock.post(_url(ATTRS), payload={"data": {}})

    assert await client.chatrooms.attributes.get(RID) == {}
    assert wire.sent() == {("POST", wire.url(ATTRS)): 2}


async def test_get_of_an_unknown_room_raises_not_found(client, mock, wire):
    text = f"grpID {RID} does not exist!"
    mock.post(_url(ATTRS), status=404, payload=error_body("resource_not_found", text))

    with pytest.raises(NotFoundError) as info:
        await client.chatrooms.attributes.get(RID)

    assert info.value.description == text


@pytest.mark.parametrize(
    ("keys", "error"), [("ab", TypeError), (["bad key"], ValueError), ([1], ValueError)]
)
async def test_get_refuses_bad_keys_before_sending(client, mock, keys, error):
    with pytest.raises(error):
        await client.chatrooms.attributes.get(RID, keys=keys)
    assert mock.requests == {}


# -- attributes: remove ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("remove", USER), ("remove_forced", USER + "/forced")]
)
async def test_remove_deletes_with_a_json_body(client, mock, wire, method, path):
    payload = {"uri": "u", "status": "ok", "timestamp": 1, "action": "delete", "data": RESULT}
    mock.delete(_url(path), payload=payload)

    result = await getattr(client.chatrooms.attributes, method)(RID, "user1", ["key1", "key2"])

    call = wire.only("DELETE", path, body={"keys": ["key1", "key2"]})
    assert call.kwargs["data"] == b'{"keys":["key1","key2"]}'
    assert (result.success_keys, result.error_keys) == (["key1"], {"key2": "errorDesc"})


@pytest.mark.parametrize(
    ("keys", "error", "match"),
    [
        ([], ValueError, "1 to 10"),
        ([f"k{i}" for i in range(11)], ValueError, "1 to 10"),
        ("key1", TypeError, "list of keys"),
        (["k" * 129], ValueError, "1-128 characters"),
    ],
)
@pytest.mark.parametrize("method", ["remove", "remove_forced"])
async def test_remove_refuses_bad_keys_before_sending(client, mock, method, keys, error, match):
    with pytest.raises(error, match=match):
        await getattr(client.chatrooms.attributes, method)(RID, "user1", keys)
    assert mock.requests == {}


# -- the documented examples -------------------------------------------------------------


@pytest.mark.parametrize(
    "example_id",
    [
        "chatrooms.attributes.set#0",
        "chatrooms.attributes.set_forced#0",
        "chatrooms.attributes.remove#0",
        "chatrooms.attributes.remove_forced#0",
    ],
)
def test_attribute_result_examples_decode(example_id):
    result = documented(example_id)
    assert result == ChatroomAttributeResult(
        success_keys=["key1"], error_keys={"key2": "errorDesc"}
    )


def test_attribute_get_example_decodes():
    assert documented("chatrooms.attributes.get#0") == {"key1": "value1", "key2": "value2"}


def test_the_result_model_tolerates_missing_and_unknown_keys():
    result = msgspec.json.decode(b'{"extra": 1}', type=ChatroomAttributeResult)
    assert (result.success_keys, result.error_keys, result.ok) == ([], {}, True)
