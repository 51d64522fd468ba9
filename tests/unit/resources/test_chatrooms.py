"""Wire-level tests of ``client.chatrooms.*`` room rows (list, list_joined, get, create,
update, delete, announcements). Members, admins and lists: ``test_room_members.py``."""

from __future__ import annotations

from typing import Any

import pytest

from agora_chat_async import BadRequestError, NotFoundError, PermissionDeniedError
from agora_chat_async.models.chatrooms import ChatroomDetail, ChatroomSummary, JoinedChatroom
from agora_chat_async.models.groups import Member
from tests.unit.conftest import Wire

_url = Wire.encoded

RID = "66213271109633"


def _ok(data: Any, action: str = "get", **top: Any) -> dict[str, Any]:
    return {
        "action": action,
        "application": "22bcffa0-e274-11e8-9df8-516f6df68c6d",
        "applicationName": "app",
        "data": data,
        "duration": 0,
        "entities": [],
        "organization": "org",
        "timestamp": 1642064417048,
        "uri": "http://api.test/org/app/chatrooms",
        **top,
    }


def _error(error: str, description: str) -> dict[str, Any]:
    return {
        "error": error,
        "exception": "com.easemob.group.exception.GroupException",
        "timestamp": 1644402553845,
        "duration": 0,
        "error_description": description,
    }


# -- list ----------------------------------------------------------------------------


def _summary(rid: str) -> dict[str, Any]:
    return {
        "affiliations_count": 1,
        "disabled": False,
        "id": rid,
        "name": f"room{rid}",
        "owner": "yifan1",
    }


async def test_list_asks_for_100_and_follows_the_cursor(client, mock, wire):
    first, second = "/chatrooms?limit=100", "/chatrooms?cursor=abc&limit=100"
    mock.get(_url(first), payload=_ok([_summary("1"), _summary("2")], cursor="abc", count=2))
    mock.get(_url(second), payload=_ok([_summary("3")], count=1))

    rooms = await client.chatrooms.list(page_size=500).to_list()

    assert wire.sent() == {("GET", wire.url(first)): 1, ("GET", wire.url(second)): 1}
    assert [type(r) for r in rooms] == [ChatroomSummary] * 3
    assert [(r.id, r.name, r.owner, r.affiliations_count, r.disabled) for r in rooms[:1]] == [
        ("1", "room1", "yifan1", 1, False)
    ]


async def test_list_rejects_a_bad_page_size(client, mock):
    with pytest.raises(ValueError, match="page_size"):
        client.chatrooms.list(page_size=0)
    assert mock.requests == {}


# -- list_joined ---------------------------------------------------------------------


async def test_list_joined_pages_by_number(client, mock, wire):
    first = "/users/user1/joined_chatrooms?pagenum=1&pagesize=2"
    second = "/users/user1/joined_chatrooms?pagenum=2&pagesize=2"
    rooms = [{"id": "1", "name": "a", "disabled": "false"}, {"id": "2", "name": "b"}]
    mock.get(_url(first), payload=_ok(rooms, count=2))
    mock.get(_url(second), payload=_ok([], count=0))

    joined = await client.chatrooms.list_joined("user1", page_size=2).to_list()

    assert wire.sent() == {("GET", wire.url(first)): 1, ("GET", wire.url(second)): 1}
    assert joined == [
        JoinedChatroom(id="1", name="a", disabled="false"),
        JoinedChatroom(id="2", name="b"),
    ]


async def test_list_joined_defaults_to_1000_and_takes_agoras_one_object_form(client, mock, wire):
    path = "/users/user1/joined_chatrooms?pagenum=1&pagesize=1000"
    # Agora's example shows data as one object, not a list.
    mock.get(_url(path), payload={"data": {"id": "66211860774913", "name": "test"}})

    joined = await client.chatrooms.list_joined("user1").to_list()

    wire.only("GET", path)
    assert joined == [JoinedChatroom(id="66211860774913", name="test")]


# -- get -----------------------------------------------------------------------------

# The docs' example (filed under joined_chatrooms), its missing comma after "count" restored.
DETAILS = [
    {
        "id": "1",
        "name": "testchatroom1",
        "description": "test",
        "membersonly": False,
        "allowinvites": False,
        "maxusers": 1000,
        "created": 1641365888209,
        "custom": "",
        "affiliations_count": 2,
        "affiliations": [{"member": "user1"}, {"owner": "user2"}],
        "public": True,
    },
    {
        "id": "2",
        "name": "testchatroom2",
        "description": "test",
        "membersonly": False,
        "allowinvites": False,
        "invite_need_confirm": True,
        "maxusers": 10000,
        "created": 1641289021898,
        "custom": "",
        "mute": False,
        "affiliations_count": 1,
        "affiliations": [{"owner": "user3"}],
        "public": True,
    },
]


async def test_get_sends_ids_comma_joined_and_types_the_details(client, mock, wire):
    mock.get(_url("/chatrooms/1,2"), payload=_ok(DETAILS, count=2))

    first, second = await client.chatrooms.get(["1", "2"])

    wire.only("GET", "/chatrooms/1,2")
    assert type(first) is ChatroomDetail
    assert (first.id, first.name, first.description, first.public) == (
        "1",
        "testchatroom1",
        "test",
        True,
    )
    assert (first.max_users, first.created, first.affiliations_count) == (1000, 1641365888209, 2)
    assert (first.members_only, first.allow_invites, first.mute) == (False, False, None)
    assert first.affiliations == [Member(member="user1"), Member(owner="user2")]
    assert (second.invite_need_confirm, second.mute, second.max_users) == (True, False, 10000)
    assert [(m.username, m.role) for m in second.affiliations] == [("user3", "owner")]


async def test_get_of_an_unknown_room_raises_not_found(client, mock, wire):
    text = "do not find this group:404"
    mock.get(_url("/chatrooms/404"), status=404, payload=_error("service_resource_not_found", text))

    with pytest.raises(NotFoundError) as info:
        await client.chatrooms.get(["404"])

    assert (info.value.error, info.value.description) == ("service_resource_not_found", text)


@pytest.mark.parametrize("ids", [[], ["1", ""], [str(i) for i in range(101)], ["a,b"]])
async def test_get_refuses_bad_ids_before_sending(client, mock, ids):
    with pytest.raises(ValueError, match="chatroom_ids"):
        await client.chatrooms.get(ids)
    assert mock.requests == {}


async def test_get_refuses_a_plain_string(client, mock):
    with pytest.raises(TypeError, match="chatroom_ids must be a list"):
        await client.chatrooms.get(RID)
    assert mock.requests == {}


# -- create --------------------------------------------------------------------------


async def test_create_sends_the_fields_and_returns_the_id(client, mock, wire):
    mock.post(_url("/chatrooms"), payload={"data": {"id": RID}})

    rid = await client.chatrooms.create(
        name="testchatroom",
        description="test",
        max_users=300,
        owner="user1",
        members=["user2"],
        custom="c",
    )

    call = wire.only(
        "POST",
        "/chatrooms",
        body={
            "name": "testchatroom",
            "description": "test",
            "maxusers": 300,
            "owner": "user1",
            "members": ["user2"],
            "custom": "c",
        },
    )
    assert call.kwargs["data"] == (
        b'{"name":"testchatroom","description":"test","maxusers":300,"owner":"user1",'
        b'"members":["user2"],"custom":"c"}'
    )
    assert rid == RID


async def test_create_sends_only_the_required_fields_by_default(client, mock, wire):
    mock.post(_url("/chatrooms"), payload=_ok({"id": RID}, "post"))

    await client.chatrooms.create(name="r", description="d", owner="user1")

    wire.only("POST", "/chatrooms", body={"name": "r", "description": "d", "owner": "user1"})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": ""},
        {"name": "n" * 129},
        {"description": ""},
        {"description": "d" * 513},
        {"owner": "bad name"},
        {"members": []},
        {"members": ["a", "b"], "max_users": 2},
        {"members": ["bad name"]},
        {"custom": "c" * 1025},
        {"max_users": 0},
        {"max_users": 10_001},
    ],
    ids=[
        "empty-name",
        "name-129",
        "empty-description",
        "description-513",
        "bad-owner",
        "no-members",
        "over-max",
        "bad-member",
        "custom-1025",
        "max-users-0",
        "max-users-10001",
    ],
)
async def test_create_refuses_bad_arguments_before_sending(client, mock, kwargs):
    args = {"name": "r", "description": "d", "owner": "user1", **kwargs}
    with pytest.raises(ValueError, match=r"name|description|owner|members|custom|max_users"):
        await client.chatrooms.create(**args)
    assert mock.requests == {}


async def test_create_over_the_quota_raises(client, mock, wire):
    text = "members size is greater than max user size !"
    mock.post(_url("/chatrooms"), status=403, payload=_error("exceed_limit", text))

    with pytest.raises(PermissionDeniedError) as info:
        await client.chatrooms.create(name="r", description="d", owner="user1")

    assert (info.value.error, info.value.description) == ("exceed_limit", text)


# -- update, delete ------------------------------------------------------------------


async def test_update_sends_name_and_answers_groupname(client, mock, wire):
    data = {"description": True, "maxusers": True, "groupname": True}
    mock.put(_url(f"/chatrooms/{RID}"), payload={"data": data})

    result = await client.chatrooms.update(RID, name="n", description="d", max_users=10)

    call = wire.only(
        "PUT",
        f"/chatrooms/{RID}",
        body={"name": "n", "description": "d", "maxusers": 10},
    )
    assert call.kwargs["data"] == b'{"name":"n","description":"d","maxusers":10}'
    assert result == data


async def test_update_sends_only_the_given_field(client, mock, wire):
    mock.put(_url(f"/chatrooms/{RID}"), payload=_ok({"maxusers": True}, "put"))

    assert await client.chatrooms.update(RID, max_users=50) == {"maxusers": True}

    wire.only("PUT", f"/chatrooms/{RID}", body={"maxusers": 50})


async def test_update_with_nothing_to_change_is_refused(client, mock):
    with pytest.raises(ValueError, match="at least one field"):
        await client.chatrooms.update(RID)
    assert mock.requests == {}


async def test_update_over_a_limit_raises_permission_denied(client, mock, wire):
    text = "maxUsers cannot exceed 10000"
    mock.put(_url(f"/chatrooms/{RID}"), status=403, payload=_error("exceed_limit", text))

    with pytest.raises(PermissionDeniedError, match="maxUsers"):
        await client.chatrooms.update(RID, max_users=10_000)


async def test_delete(client, mock, wire):
    mock.delete(
        _url("/chatrooms/66211860774913"),
        payload=_ok({"success": True, "id": "66211860774913"}, "delete"),
    )

    assert await client.chatrooms.delete("66211860774913") is True

    wire.only("DELETE", "/chatrooms/66211860774913")


async def test_delete_of_an_unknown_room_raises_not_found(client, mock, wire):
    text = "grpID 1 does not exist!"
    mock.delete(_url("/chatrooms/1"), status=404, payload=_error("resource_not_found", text))

    with pytest.raises(NotFoundError, match="grpID 1"):
        await client.chatrooms.delete("1")


# -- announcements -------------------------------------------------------------------


async def test_get_announcement(client, mock, wire):
    path = f"/chatrooms/{RID}/announcement"
    mock.get(_url(path), payload=_ok({"announcement": "room announcement..."}))

    assert await client.chatrooms.get_announcement(RID) == "room announcement..."

    wire.only("GET", path)


async def test_get_announcement_of_none_is_empty(client, mock, wire):
    mock.get(_url(f"/chatrooms/{RID}/announcement"), payload=_ok({"announcement": None}))

    assert await client.chatrooms.get_announcement(RID) == ""


async def test_set_announcement_posts_the_text(client, mock, wire):
    path = f"/chatrooms/{RID}/announcement"
    mock.post(_url(path), payload=_ok({"id": RID, "result": True}, "post"))

    assert await client.chatrooms.set_announcement(RID, "hello") is True

    call = wire.only("POST", path, body={"announcement": "hello"})
    assert call.kwargs["data"] == b'{"announcement":"hello"}'


async def test_set_announcement_takes_512_characters_and_refuses_513(client, mock, wire):
    path = f"/chatrooms/{RID}/announcement"
    mock.post(_url(path), payload=_ok({"id": RID, "result": True}, "post"))

    await client.chatrooms.set_announcement(RID, "a" * 512)
    with pytest.raises(ValueError, match="announcement is limited to 512"):
        await client.chatrooms.set_announcement(RID, "a" * 513)

    wire.only("POST", path, body={"announcement": "a" * 512})


async def test_set_announcement_too_long_for_the_server_raises(client, mock, wire):
    text = "announce info length exceeds limit!"
    path = f"/chatrooms/{RID}/announcement"
    mock.post(_url(path), status=400, payload=_error("illegal_argument", text))

    with pytest.raises(BadRequestError, match="exceeds limit"):
        await client.chatrooms.set_announcement(RID, "x")
