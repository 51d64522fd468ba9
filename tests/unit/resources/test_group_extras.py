"""Wire-level tests of the group rows beyond the overview table: the announcement,
``disable``/``enable``, ``is_member``, ``groups.files.*`` and
``groups.member_attributes.*``."""

from __future__ import annotations

from typing import Any

import pytest

from agora_chat_async import BadRequestError, NotFoundError, PermissionDeniedError
from agora_chat_async._spec import BY_NAME
from agora_chat_async.models.groups import GroupFile
from tests.unit._bodies import documented, error_body
from tests.unit.conftest import TOKEN, Wire
from tests.unit.resources.test_files import multipart, part

_url = Wire.encoded

GID = "66021836783617"
ROOT = f"/chatgroups/{GID}"
FID = "c6906aa0-ed19-11ea-b480-f3cf141d15c0"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _ok(data: Any, action: str = "get", **top: Any) -> dict[str, Any]:
    return {
        "action": action,
        "application": "8be024f0-e978-11e8-b697-5d598d5f8402",
        "uri": f"https://api.test/org/app{ROOT}",
        "entities": [],
        "data": data,
        "timestamp": 1542363546590,
        "duration": 0,
        "organization": "org",
        "applicationName": "app",
        **top,
    }


def test_the_rows_follow_the_overview_and_announce_like_chat_rooms():
    names = [
        "groups.get_announcement",
        "groups.set_announcement",
        "groups.disable",
        "groups.enable",
        "groups.is_member",
        "groups.files.upload",
        "groups.files.list",
        "groups.files.download",
        "groups.files.delete",
        "groups.member_attributes.set",
        "groups.member_attributes.get",
        "groups.member_attributes.get_many",
    ]
    for name in names:
        row = BY_NAME[name]
        assert (row.typed, row.overview) == (True, False), name
    for verb in ("get", "set"):
        group, room = (BY_NAME[f"{p}.{verb}_announcement"] for p in ("groups", "chatrooms"))
        assert group.path == room.path.replace("/chatrooms/{chatroom_id}", "/chatgroups/{group_id}")
        assert (group.method, group.result, group.retry_safe) == (
            room.method,
            room.result,
            room.retry_safe,
        )
        assert [(p.location, p.check) for p in group.params] == [
            (p.location, p.check) for p in room.params
        ]


# -- announcement ------------------------------------------------------------------------


async def test_get_announcement_reads_the_text(client, mock, wire):
    mock.get(_url(f"{ROOT}/announcement"), payload=_ok({"announcement": "hello"}))

    assert await client.groups.get_announcement(GID) == "hello"

    wire.only("GET", f"{ROOT}/announcement")
    assert documented("groups.get_announcement#0") == "group announcement..."


async def test_set_announcement_posts_the_text(client, mock, wire):
    mock.post(_url(f"{ROOT}/announcement"), payload=_ok({"id": GID, "result": True}, "post"))

    assert await client.groups.set_announcement(GID, "new text") is True

    wire.only("POST", f"{ROOT}/announcement", body={"announcement": "new text"})
    assert documented("groups.set_announcement#0") is True


async def test_set_announcement_refuses_over_512_characters_before_sending(client, mock, wire):
    with pytest.raises(ValueError, match="limited to 512"):
        await client.groups.set_announcement(GID, "a" * 513)
    with pytest.raises(ValueError, match="group_id"):
        await client.groups.set_announcement("", "text")
    assert wire.sent() == {}


async def test_announcement_of_an_unknown_group_is_not_found(client, mock, wire):
    error = error_body("resource_not_found", f"grpID {GID} does not exist!")
    mock.get(_url(f"{ROOT}/announcement"), status=404, payload=error)

    with pytest.raises(NotFoundError) as caught:
        await client.groups.get_announcement(GID)

    assert (caught.value.error, caught.value.description) == (
        "resource_not_found",
        f"grpID {GID} does not exist!",
    )
    assert caught.value.endpoint == "groups.get_announcement"


# -- disable / enable / is_member --------------------------------------------------------------


async def test_disable_and_enable_post_without_a_body_and_read_the_state(client, mock, wire):
    mock.post(_url(f"{ROOT}/disable"), payload=_ok({"disabled": True}, "post"))
    mock.post(_url(f"{ROOT}/enable"), payload=_ok({"disabled": False}, "post"))

    assert await client.groups.disable(GID) is True
    assert await client.groups.enable(GID) is True

    assert wire.sent() == {
        ("POST", wire.url(f"{ROOT}/disable")): 1,
        ("POST", wire.url(f"{ROOT}/enable")): 1,
    }
    for path in ("disable", "enable"):
        wire.check(wire.calls("POST", f"{ROOT}/{path}")[0])
    assert documented("groups.disable#0") is True
    assert documented("groups.enable#0") is True


async def test_enable_answering_still_disabled_is_false(client, mock, wire):
    mock.post(_url(f"{ROOT}/enable"), payload=_ok({"disabled": True}, "post"))

    assert await client.groups.enable(GID) is False


async def test_is_member_reads_the_bare_boolean(client, mock, wire):
    path = f"{ROOT}/user/bob/is_joined"
    reduced = {"action": "get", "application": "8b", "duration": 0, "timestamp": 1}
    mock.get(_url(path), payload={**reduced, "data": True})

    assert await client.groups.is_member(GID, "bob") is True

    wire.only("GET", path)
    assert documented("groups.is_member#0") is False


async def test_is_member_refuses_a_bad_username_before_sending(client, mock, wire):
    with pytest.raises(ValueError, match="username"):
        await client.groups.is_member(GID, "not a name")
    assert wire.sent() == {}


# -- shared files ----------------------------------------------------------------------------


UPLOADED = {
    "file_url": f"https://api.test/org/app{ROOT}/share_files/{FID}",
    "group_id": GID,
    "file_name": "img_3.jpg",
    "created": 1599050554954,
    "file_id": FID,
    "file_size": 13512,
}


async def test_files_upload_sends_one_multipart_file(client, mock, wire):
    path = f"{ROOT}/share_files"
    mock.post(_url(path), payload=_ok(UPLOADED, "post"))

    result = await client.groups.files.upload(GID, b"JPEG", filename="img_3.jpg")

    assert result == GroupFile(
        file_id=FID,
        file_name="img_3.jpg",
        file_size=13512,
        created=1599050554954,
        file_url=UPLOADED["file_url"],
        group_id=GID,
    )
    assert wire.sent() == {("POST", wire.url(path)): 1}
    call = wire.calls("POST", path)[0]
    assert dict(call.kwargs["headers"]) == {"Accept": "application/json", **AUTH}
    content_type, body = await multipart(call)
    headers, content = part(body, content_type)
    assert headers == (
        'Content-Type: image/jpeg\r\nContent-Disposition: form-data; name="file"; '
        'filename="img_3.jpg"'
    )
    assert content == b"JPEG"


async def test_files_upload_sends_restrict_access_only_when_given(client, mock, wire):
    path = f"{ROOT}/share_files"
    mock.post(_url(path), payload=_ok(UPLOADED, "post"))

    await client.groups.files.upload(GID, b"x", restrict_access=True)

    call = wire.calls("POST", path)[0]
    assert dict(call.kwargs["headers"]) == {
        "Accept": "application/json",
        **AUTH,
        "restrict-access": "true",
    }


async def test_files_upload_reports_a_missing_file(client, mock, wire):
    path = f"{ROOT}/share_files"
    error = error_body("illegal_argument", "file must be provided.")
    mock.post(_url(path), status=400, payload=error)

    with pytest.raises(BadRequestError) as caught:
        await client.groups.files.upload(GID, b"")

    assert caught.value.description == "file must be provided."
    assert wire.sent() == {("POST", wire.url(path)): 1}


async def test_files_upload_refuses_bad_input_before_sending(client, mock, wire):
    with pytest.raises(TypeError, match="expected bytes, a path or a binary file"):
        await client.groups.files.upload(GID, 12345)
    with pytest.raises(ValueError, match="filename"):
        await client.groups.files.upload(GID, b"x", filename="")
    with pytest.raises(ValueError, match="group_id"):
        await client.groups.files.upload("", b"x")
    assert wire.sent() == {}


async def test_files_list_pages_by_number_until_a_short_page(client, mock, wire):
    item = {"file_id": FID, "file_name": "a.jpg", "file_owner": "u1", "file_size": 3}
    page1 = _ok([{**item, "created": 2}, {**item, "file_id": "f2", "created": 1}])
    page2 = _ok([{**item, "file_id": "f3", "created": 0}])
    first, second = (f"{ROOT}/share_files?pagenum={n}&pagesize=2" for n in (1, 2))
    mock.get(_url(first), payload=page1)
    mock.get(_url(second), payload=page2)

    files = await client.groups.files.list(GID, page_size=2).to_list()

    assert wire.sent() == {("GET", wire.url(first)): 1, ("GET", wire.url(second)): 1}
    assert [(f.file_id, f.file_owner, f.created) for f in files] == [
        (FID, "u1", 2),
        ("f2", "u1", 1),
        ("f3", "u1", 0),
    ]
    example = documented("groups.files.list#0")[0]
    assert [f.file_owner for f in example] == ["u1", "u1"]
    assert example[0].file_size == 326127


async def test_files_list_asks_for_at_most_1000(client, mock, wire):
    path = f"{ROOT}/share_files?pagenum=1&pagesize=1000"
    mock.get(_url(path), payload=_ok([]))

    assert await client.groups.files.list(GID, page_size=5000).to_list() == []

    wire.only("GET", path)


async def test_files_download_returns_the_bytes(client, mock, wire):
    path = f"{ROOT}/share_files/{FID}"
    mock.get(_url(path), body=b"\x00raw bytes")

    assert await client.groups.files.download(GID, FID) == b"\x00raw bytes"

    call = wire.calls("GET", path)[0]
    assert call.kwargs["data"] is None
    assert dict(call.kwargs["headers"]) == {"Accept": "application/octet-stream", **AUTH}


async def test_files_delete_reads_the_result(client, mock, wire):
    path = f"{ROOT}/share_files/{FID}"
    data = {"group_id": GID, "file_id": FID, "result": True}
    mock.delete(_url(path), payload=_ok(data, "delete"))

    assert await client.groups.files.delete(GID, FID) is True

    wire.only("DELETE", path)
    assert documented("groups.files.delete#0") is True


async def test_files_of_an_unknown_file_are_not_found(client, mock, wire):
    path = f"{ROOT}/share_files/nope"
    error = error_body("resource_not_found", "file nope does not exist!")
    mock.delete(_url(path), status=404, payload=error)

    with pytest.raises(NotFoundError) as caught:
        await client.groups.files.delete(GID, "nope")

    assert caught.value.endpoint == "groups.files.delete"
    with pytest.raises(ValueError, match="file_id"):
        await client.groups.files.download(GID, "")


# -- member attributes ------------------------------------------------------------------------

ATTRS = f"/metadata/chatgroup/{GID}"


async def test_member_attributes_set_puts_metadata_and_reads_the_echo(client, mock, wire):
    path = f"{ATTRS}/user/test2"
    reduced = {"timestamp": 1678674135533, "data": {"key1": "value1", "gone": ""}, "duration": 53}
    mock.put(_url(path), payload=reduced)

    result = await client.groups.member_attributes.set(GID, "test2", {"key1": "value1", "gone": ""})

    assert result == {"key1": "value1", "gone": ""}
    wire.only("PUT", path, body={"metaData": {"key1": "value1", "gone": ""}})
    assert documented("groups.member_attributes.set#0") == {"key1": "value1"}


async def test_member_attributes_set_refuses_oversize_keys_and_values_before_sending(
    client, mock, wire
):
    set_ = client.groups.member_attributes.set
    with pytest.raises(ValueError, match="1-16 bytes"):
        await set_(GID, "u1", {"k" * 17: "v"})
    with pytest.raises(ValueError, match="1-16 bytes"):
        await set_(GID, "u1", {"é" * 9: "v"})  # 18 bytes in UTF-8
    with pytest.raises(ValueError, match="512 bytes"):
        await set_(GID, "u1", {"k": "v" * 513})
    with pytest.raises(ValueError, match="may hold 4096"):
        await set_(GID, "u1", {f"k{i}": "v" * 512 for i in range(8)})
    with pytest.raises(TypeError, match="must be a string"):
        await set_(GID, "u1", {"k": 1})
    with pytest.raises(ValueError, match="non-empty mapping"):
        await set_(GID, "u1", {})
    assert wire.sent() == {}


async def test_member_attributes_get_reads_the_mapping(client, mock, wire):
    path = f"{ATTRS}/user/test2"
    mock.get(_url(path), payload={"timestamp": 1, "data": {"key1": "value1"}, "duration": 6})

    assert await client.groups.member_attributes.get(GID, "test2") == {"key1": "value1"}

    wire.only("GET", path)
    assert documented("groups.member_attributes.get#0") == {"key1": "value1"}


async def test_member_attributes_of_a_non_member_are_not_found(client, mock, wire):
    path = f"{ATTRS}/user/stranger"
    error = error_body("MetadataException", "user not in group", "MetadataException")
    mock.get(_url(path), status=404, payload=error)

    with pytest.raises(NotFoundError) as caught:
        await client.groups.member_attributes.get(GID, "stranger")

    assert (caught.value.error, caught.value.description) == (
        "MetadataException",
        "user not in group",
    )


async def test_member_attributes_get_many_posts_targets_and_properties(client, mock, wire):
    path = f"{ATTRS}/get"
    data = {"test1": {"key1": "value1"}, "test2": {}}
    mock.post(_url(path), payload={"timestamp": 1, "data": data, "duration": 2}, repeat=True)

    many = client.groups.member_attributes.get_many
    assert await many(GID, ["test1", "test2"], keys=["key1", "key2"]) == data
    assert await many(GID, ["test1"]) == data

    first, second = wire.calls("POST", path)
    wire.check(first, body={"targets": ["test1", "test2"], "properties": ["key1", "key2"]})
    wire.check(second, body={"targets": ["test1"]})
    assert documented("groups.member_attributes.get_many#0") == {
        "test1": {"key1": "value1"},
        "test2": {"key1": "value1"},
    }


async def test_member_attributes_get_many_refuses_over_10_targets_before_sending(
    client, mock, wire
):
    many = client.groups.member_attributes.get_many
    with pytest.raises(ValueError, match="1 to 10"):
        await many(GID, [f"u{i}" for i in range(11)])
    with pytest.raises(ValueError, match="1-16 bytes"):
        await many(GID, ["u1"], keys=["k" * 17])
    with pytest.raises(TypeError, match="list of keys"):
        await many(GID, ["u1"], keys="key1")
    assert wire.sent() == {}


async def test_a_refusal_while_disabled_is_a_typederror_body(client, mock, wire):
    path = f"{ROOT}/users/bob"
    error = error_body("forbidden_op", f"group: {GID} is disabled", "EasemobForbiddenOpException")
    mock.post(_url(path), status=403, payload=error)

    with pytest.raises(PermissionDeniedError) as caught:
        await client.groups.members.add(GID, "bob")

    assert caught.value.description == f"group: {GID} is disabled"
