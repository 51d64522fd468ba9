"""Wire-level tests of ``client.groups.*`` group rows (list, list_joined, get, create,
update, delete, transfer_owner). Members, admins and lists: ``test_room_members.py``.

Three of Agora's examples for these rows are not valid JSON as published (see ``REPAIRS``
in ``tests/_spec_files.py``); the contract tests decode the repaired examples, and
copies of them are decoded here too.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from agora_chat_async import NotFoundError, PermissionDeniedError
from agora_chat_async._bulk import SPLITTERS
from agora_chat_async.models.groups import GroupDetail, GroupSummary, JoinedGroup, Member
from agora_chat_async.resources.groups import Groups
from tests.contract._examples import matched_examples
from tests.contract.test_models_vs_docs import decode
from tests.unit.conftest import Wire

_url = Wire.encoded

GID = "66016455491585"


def _ok(data: Any, action: str = "get", **top: Any) -> dict[str, Any]:
    return {
        "action": action,
        "application": "8be024f0-e978-11e8-b697-5d598d5f8402",
        "uri": "https://api.test/org/app/chatgroups",
        "entities": [],
        "data": data,
        "timestamp": 1542361730243,
        "duration": 0,
        "organization": "org",
        "applicationName": "app",
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


# The docs' "Retrieving group details" example, with its missing "]," restored.
DETAIL = {
    "id": GID,
    "name": "g1",
    "avatar": "https://www.example.com/avatar.png",
    "description": "d",
    "membersonly": True,
    "allowinvites": False,
    "maxusers": 2000,
    "owner": "user1",
    "created": 1682588716646,
    "custom": "",
    "mute": False,
    "affiliations_count": 2,
    "disabled": False,
    "affiliations": [{"member": "user2"}, {"owner": "user1"}],
    "public": False,
}

# The docs' "Modifying group information" example, with its missing comma restored.
UPDATED = {
    "allowinvites": True,
    "invite_need_confirm": True,
    "membersonly": True,
    "public": True,
    "custom": True,
    "description": True,
    "maxusers": True,
    "groupname": True,
    "avatar": True,
}


# -- list ----------------------------------------------------------------------------


def _summary(gid: str, owner: str) -> dict[str, Any]:
    return {
        "owner": f"org#app_{owner}",
        "groupid": gid,
        "affiliations": 2,
        "type": "group",
        "lastModified": "1441021038124",
        "groupname": f"name-{gid}",
    }


async def test_list_follows_the_cursor_until_it_is_gone(client, mock, wire):
    first, second = "/chatgroups?limit=2", "/chatgroups?cursor=Y2hh&limit=2"
    page1 = _ok([_summary("1", "user1"), _summary("2", "user2")], cursor="Y2hh", count=2)
    mock.get(_url(first), payload=page1)
    mock.get(_url(second), payload=_ok([_summary("3", "user3")], count=1))

    pages = [page async for page in client.groups.list(page_size=2).pages()]

    assert wire.sent() == {("GET", wire.url(first)): 1, ("GET", wire.url(second)): 1}
    assert [(p.cursor, p.has_more) for p in pages] == [("Y2hh", True), (None, False)]
    groups = [g for p in pages for g in p.items]
    assert [type(g) for g in groups] == [GroupSummary] * 3
    first_group = groups[0]
    assert (first_group.group_id, first_group.name, first_group.owner) == (
        "1",
        "name-1",
        "org#app_user1",
    )
    assert (first_group.affiliations_count, first_group.last_modified) == (2, "1441021038124")
    assert first_group.type == "group"


async def test_list_asks_for_1000_by_default(client, mock, wire):
    mock.get(_url("/chatgroups?limit=1000"), payload=_ok([]))

    assert await client.groups.list().to_list() == []

    wire.only("GET", "/chatgroups?limit=1000")


# -- list_joined ---------------------------------------------------------------------


async def test_list_joined_pages_by_20_until_a_short_page(client, mock, wire):
    full = [{"groupid": str(i), "groupname": f"g{i}"} for i in range(20)]
    mock.get(_url("/users/user1/joined_chatgroups?pagenum=1&pagesize=20"), payload=_ok(full))
    mock.get(
        _url("/users/user1/joined_chatgroups?pagenum=2&pagesize=20"),
        payload=_ok([{"groupid": "20", "groupname": "g20"}]),
    )

    groups = await client.groups.list_joined("user1").to_list()

    assert wire.sent() == {
        ("GET", wire.url("/users/user1/joined_chatgroups?pagenum=1&pagesize=20")): 1,
        ("GET", wire.url("/users/user1/joined_chatgroups?pagenum=2&pagesize=20")): 1,
    }
    assert [type(g) for g in groups] == [JoinedGroup] * 21
    assert [(g.group_id, g.name) for g in groups[-2:]] == [("19", "g19"), ("20", "g20")]


async def test_list_joined_refuses_a_bad_username_before_sending(client, mock):
    with pytest.raises(ValueError, match="username"):
        client.groups.list_joined("bad name")
    assert mock.requests == {}


# -- get -----------------------------------------------------------------------------


async def test_get_sends_the_ids_comma_joined_and_types_the_details(client, mock, wire):
    other = {**DETAIL, "id": "2", "affiliations": [{"owner": "user9"}], "affiliations_count": 1}
    mock.get(_url(f"/chatgroups/{GID},2"), payload=_ok([DETAIL, other], count=2))

    details = await client.groups.get([GID, "2"])

    wire.only("GET", f"/chatgroups/{GID},2")
    assert [type(d) for d in details] == [GroupDetail, GroupDetail]
    detail = details[0]
    assert (detail.id, detail.name, detail.description, detail.owner) == (GID, "g1", "d", "user1")
    assert detail.avatar == "https://www.example.com/avatar.png"
    assert (detail.members_only, detail.allow_invites, detail.public) == (True, False, False)
    assert (detail.max_users, detail.created, detail.custom) == (2000, 1682588716646, "")
    assert (detail.mute, detail.disabled, detail.affiliations_count) == (False, False, 2)
    assert detail.affiliations == [Member(member="user2"), Member(owner="user1")]
    assert [(m.username, m.role) for m in detail.affiliations] == [
        ("user2", "member"),
        ("user1", "owner"),
    ]
    assert detail.invite_need_confirm is None
    assert details[1].affiliations[0].username == "user9"


async def test_get_of_one_id(client, mock, wire):
    mock.get(_url(f"/chatgroups/{GID}"), payload=_ok([DETAIL], count=1))

    [detail] = await client.groups.get((GID,))

    wire.only("GET", f"/chatgroups/{GID}")
    assert detail.id == GID


async def test_get_marks_a_missing_id_among_known_ones(client, mock, wire):
    missing = {"id": "404", "error": "group id doesn't exist"}
    mock.get(_url(f"/chatgroups/{GID},404"), payload=_ok([DETAIL, missing], count=2))

    found, absent = await client.groups.get([GID, "404"])

    assert (found.id, found.error) == (GID, None)
    assert (absent.id, absent.error, absent.name, absent.affiliations) == (
        "404",
        "group id doesn't exist",
        None,
        [],
    )


async def test_get_of_an_unknown_group_raises_not_found(client, mock, wire):
    mock.get(
        _url("/chatgroups/404"),
        status=404,
        payload=_error("resource_not_found", "grpID 404 does not exist!"),
    )

    with pytest.raises(NotFoundError) as info:
        await client.groups.get(["404"])

    assert (info.value.error, info.value.description) == (
        "resource_not_found",
        "grpID 404 does not exist!",
    )


@pytest.mark.parametrize(
    ("ids", "error"),
    [
        ([], ValueError),
        ([str(i) for i in range(101)], ValueError),
        (GID, TypeError),
        (["1", ""], ValueError),
        (["1,2"], ValueError),
        ([" 1"], ValueError),
    ],
    ids=["none", "101", "string", "empty-id", "comma", "space"],
)
async def test_get_refuses_bad_ids_before_sending(client, mock, ids, error):
    with pytest.raises(error, match="group_ids"):
        await client.groups.get(ids)
    assert mock.requests == {}


async def test_get_takes_100_ids(client, mock, wire):
    ids = [str(i) for i in range(100)]
    path = "/chatgroups/" + ",".join(ids)
    mock.get(_url(path), payload=_ok([]))

    assert await client.groups.get(ids) == []

    wire.only("GET", path)


# -- create --------------------------------------------------------------------------


async def test_create_sends_every_field_in_order_and_returns_the_id(client, mock, wire):
    mock.post(_url("/chatgroups"), payload=_ok({"groupid": "66021836783617"}, "post"))

    gid = await client.groups.create(
        name="testgroup",
        description="test",
        public=True,
        max_users=300,
        owner="user1",
        members=["user2", "user3"],
        allow_invites=True,
        members_only=True,
        invite_need_confirm=False,
        custom="c",
        avatar="https://a/b.png",
    )

    call = wire.only(
        "POST",
        "/chatgroups",
        body={
            "groupname": "testgroup",
            "description": "test",
            "public": True,
            "maxusers": 300,
            "owner": "user1",
            "members": ["user2", "user3"],
            "allowinvites": True,
            "membersonly": True,
            "invite_need_confirm": False,
            "custom": "c",
            "avatar": "https://a/b.png",
        },
    )
    assert call.kwargs["data"] == (
        b'{"groupname":"testgroup","description":"test","public":true,"maxusers":300,'
        b'"owner":"user1","members":["user2","user3"],"allowinvites":true,'
        b'"membersonly":true,"invite_need_confirm":false,"custom":"c",'
        b'"avatar":"https://a/b.png"}'
    )
    assert gid == "66021836783617"


async def test_create_always_sends_public_false_by_default(client, mock, wire):
    mock.post(_url("/chatgroups"), payload=_ok({"groupid": "1"}, "post"))

    assert await client.groups.create(owner="user1") == "1"

    call = wire.only("POST", "/chatgroups", body={"public": False, "owner": "user1"})
    assert call.kwargs["data"] == b'{"public":false,"owner":"user1"}'


async def test_create_with_an_unknown_owner_raises_not_found(client, mock, wire):
    text = "username ghost doesn't exist!"
    mock.post(_url("/chatgroups"), status=404, payload=_error("resource_not_found", text))

    with pytest.raises(NotFoundError, match="ghost"):
        await client.groups.create(owner="ghost")

    wire.only("POST", "/chatgroups", body={"public": False, "owner": "ghost"})


async def test_create_over_the_quota_raises_permission_denied(client, mock, wire):
    text = "appKey:org#app has create too many groups!"
    mock.post(_url("/chatgroups"), status=403, payload=_error("exceed_limit", text))

    with pytest.raises(PermissionDeniedError) as info:
        await client.groups.create(owner="user1")

    assert (info.value.error, info.value.description) == ("exceed_limit", text)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"owner": "bad name"},
        {"owner": ""},
        {"owner": "u", "name": "n" * 129},
        {"owner": "u", "description": "d" * 513},
        {"owner": "u", "avatar": "a" * 1025},
        {"owner": "u", "custom": "c" * 8193},
        {"owner": "u", "max_users": 0},
        {"owner": "u", "members": ["ok", "bad name"]},
        {"owner": "u", "members": "user2"},
        {"owner": "u", "members": ["a", "b"], "max_users": 2},
        {"owner": "u", "name": 5},
    ],
    ids=[
        "bad-owner",
        "empty-owner",
        "name-129",
        "description-513",
        "avatar-1025",
        "custom-8193",
        "max-users-0",
        "bad-member",
        "members-string",
        "over-max-users",
        "name-not-str",
    ],
)
async def test_create_refuses_bad_arguments_before_sending(client, mock, kwargs):
    with pytest.raises((ValueError, TypeError)):
        await client.groups.create(**kwargs)
    assert mock.requests == {}


async def test_create_takes_the_longest_legal_values(client, mock, wire):
    mock.post(_url("/chatgroups"), payload=_ok({"groupid": "1"}, "post"))
    long = {
        "name": "n" * 128,
        "description": "d" * 512,
        "avatar": "a" * 1024,
        "custom": "c" * 8192,  # 1024 in an update
    }

    await client.groups.create(owner="u", members=["a"], max_users=2, **long)

    wire.only(
        "POST",
        "/chatgroups",
        body={
            "groupname": long["name"],
            "description": long["description"],
            "public": False,
            "maxusers": 2,
            "owner": "u",
            "members": ["a"],
            "custom": long["custom"],
            "avatar": long["avatar"],
        },
    )


def test_create_requires_an_owner() -> None:
    param = inspect.signature(Groups.create).parameters["owner"]
    assert param.default is inspect.Parameter.empty
    assert param.kind is inspect.Parameter.KEYWORD_ONLY


# -- update --------------------------------------------------------------------------


async def test_update_sends_only_the_given_fields(client, mock, wire):
    mock.put(_url(f"/chatgroups/{GID}"), payload=_ok({"groupname": True, "maxusers": True}, "put"))

    result = await client.groups.update(GID, name="new", max_users=500)

    call = wire.only("PUT", f"/chatgroups/{GID}", body={"groupname": "new", "maxusers": 500})
    assert call.kwargs["data"] == b'{"groupname":"new","maxusers":500}'
    assert result == {"groupname": True, "maxusers": True}


async def test_update_of_every_field_returns_the_documented_mapping(client, mock, wire):
    mock.put(_url(f"/chatgroups/{GID}"), payload=_ok(UPDATED, "put"))

    result = await client.groups.update(
        GID,
        name="g",
        description="d",
        avatar="https://a/b.png",
        public=True,
        max_users=10,
        members_only=True,
        allow_invites=True,
        invite_need_confirm=True,
        custom="c",
    )

    wire.only(
        "PUT",
        f"/chatgroups/{GID}",
        body={
            "groupname": "g",
            "description": "d",
            "avatar": "https://a/b.png",
            "public": True,
            "maxusers": 10,
            "membersonly": True,
            "allowinvites": True,
            "invite_need_confirm": True,
            "custom": "c",
        },
    )
    assert result == UPDATED


async def test_update_with_nothing_to_change_is_refused(client, mock):
    with pytest.raises(ValueError, match="at least one field"):
        await client.groups.update(GID)
    assert mock.requests == {}


@pytest.mark.parametrize(
    "kwargs",
    [{"name": "n" * 129}, {"description": "d" * 513}, {"custom": "c" * 1025}, {"max_users": -1}],
)
async def test_update_refuses_bad_values_before_sending(client, mock, kwargs):
    with pytest.raises(ValueError, match=r"name|description|custom|max_users"):
        await client.groups.update(GID, **kwargs)
    assert mock.requests == {}


async def test_update_of_an_unknown_group_raises_not_found(client, mock, wire):
    text = "grpID 1 does not exist!"
    mock.put(_url("/chatgroups/1"), status=404, payload=_error("resource_not_found", text))

    with pytest.raises(NotFoundError, match="does not exist"):
        await client.groups.update("1", public=False)

    wire.only("PUT", "/chatgroups/1", body={"public": False})


# -- delete, transfer_owner ----------------------------------------------------------


async def test_delete(client, mock, wire):
    mock.delete(
        _url(f"/chatgroups/{GID}"), payload=_ok({"success": True, "groupid": GID}, "delete")
    )

    assert await client.groups.delete(GID) is True

    wire.only("DELETE", f"/chatgroups/{GID}")


async def test_delete_refuses_an_empty_id(client, mock):
    with pytest.raises(ValueError, match="group_id"):
        await client.groups.delete("")
    assert mock.requests == {}


async def test_transfer_owner_puts_newowner(client, mock, wire):
    mock.put(_url(f"/chatgroups/{GID}"), payload=_ok({"newowner": True}, "put"))

    assert await client.groups.transfer_owner(GID, "user2") is True

    call = wire.only("PUT", f"/chatgroups/{GID}", body={"newowner": "user2"})
    assert call.kwargs["data"] == b'{"newowner":"user2"}'


async def test_transfer_owner_to_a_stranger_raises(client, mock, wire):
    text = f"user: ghost doesn't exist in group: {GID}"
    mock.put(_url(f"/chatgroups/{GID}"), status=403, payload=_error("forbidden_op", text))

    with pytest.raises(PermissionDeniedError) as info:
        await client.groups.transfer_owner(GID, "ghost")

    assert (info.value.error, info.value.description) == ("forbidden_op", text)


async def test_transfer_owner_refuses_a_bad_username(client, mock):
    with pytest.raises(ValueError, match="new_owner"):
        await client.groups.transfer_owner(GID, "bad name")
    assert mock.requests == {}


# -- the documented mute-all example, repaired ----------------------------------------


async def test_mute_all_decodes_the_documented_example(client, mock, wire):
    # The docs show "timestamp": org_name94628861058 (a botched placeholder).
    body = _ok({"mute": True}, "put", timestamp=1594628861058)
    mock.post(_url("/chatgroups/1208XXXX5169153/ban"), payload=body)

    assert await client.groups.mutes.mute_all("1208XXXX5169153") is True


# -- documented examples decode to the values they show --------------------------------


def test_documented_examples_decode_to_their_values() -> None:
    by_id = {e.id: e for e in matched_examples() if e.endpoint.name.startswith(("groups", "chat"))}
    groups, cursor = decode(by_id["groups.list#0"])
    assert cursor == "Y2hhdGdyb3VwczplYXNlbW9iLWRlbW8vY2hhdGRlbW91aV8z"
    assert [(g.group_id, g.affiliations_count, g.name) for g in groups] == [
        ("100743775617286960", 2, "testgroup1"),
        ("100973270123152176", 1, "testgroup2"),
    ]
    members, _ = decode(by_id["groups.members.list#0"])
    assert [(m.username, m.role) for m in members] == [("user1", "owner"), ("user2", "member")]
    added = decode(by_id["groups.members.add_many#0"])
    assert added.new_members == ["user5", "user4"]
    done, failed = SPLITTERS["room_add_members"].split(["user4", "user6"], added)
    assert (done, [f.item for f in failed]) == (["user4"], ["user6"])
    blocked = decode(by_id["groups.blocklist.add_many#0"])
    done, failed = SPLITTERS["room_results"].split(["user3", "user4"], blocked)
    assert done == ["user4"]
    assert [(f.item, f.reason) for f in failed] == [
        ("user3", "user: user3 doesn't exist in group: 66016455491585")
    ]
    kicked = decode(by_id["chatrooms.members.remove_many#0"])
    assert [(r.user, r.result, r.target_id) for r in kicked] == [
        ("user1", False, "XXXX"),
        ("user2", True, "XXXX"),
    ]
    assert decode(by_id["groups.admins.add#0"]) is True
    assert decode(by_id["groups.transfer_owner#0"]) is True
    assert decode(by_id["groups.mutes.unmute_all#0"]) is True
    assert decode(by_id["groups.create#0"]) == "6602XXXX783617"
    assert decode(by_id["chatrooms.create#0"]) == "66213271109633"
    assert decode(by_id["chatrooms.update#0"]) == {
        "description": True,
        "maxusers": True,
        "groupname": True,
    }
    joined, _ = decode(by_id["chatrooms.list_joined#0"])
    assert [(r.id, r.name) for r in joined] == [("66211860774913", "test")]
    mutes, _ = decode(by_id["chatrooms.mutes.list#0"])
    assert [(m.user, m.expire) for m in mutes] == [
        ("user1", 1489158589481),
        ("user2", 1489158589481),
    ]


def test_member_repr_names_the_user_and_role():
    assert repr(Member(owner="u1")) == "Member('u1', role='owner')"
    assert repr([Member(member="u2")]) == "[Member('u2', role='member')]"
