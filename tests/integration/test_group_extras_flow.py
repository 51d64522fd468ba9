"""The group rows beyond the overview table, end to end against the emulator: the
announcement, banning, the membership check, shared files and member attributes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from agora_chat_async import (
    NotFoundError,
    PermissionDeniedError,
    RequestTooLargeError,
)
from agora_chat_async.emulator._handlers import group_extras
from tests.integration._helpers import RawResponse, agora_error, ok, register

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw


async def group(raw: Raw, *members: str, owner: str = "owner") -> str:
    await register(raw, owner, *members)
    body = await ok(raw, "POST", "/chatgroups", {"owner": owner, "members": list(members)})
    gid: str = body["data"]["groupid"]
    return gid


async def upload(raw: Raw, gid: str, form: aiohttp.FormData) -> RawResponse:
    """A multipart upload the client would not send (no file)."""
    headers = {"Authorization": f"Bearer {raw.token}", "Accept": "application/json"}
    url = raw.url(f"/chatgroups/{gid}/share_files")
    async with raw.session.post(url, data=form, headers=headers) as response:
        return RawResponse(response.status, dict(response.headers), await response.json())


# -- announcement ------------------------------------------------------------------------


async def test_announcement_round_trip_and_limits(client: AgoraChatClient, raw: Raw) -> None:
    gid = await group(raw)
    assert await client.groups.get_announcement(gid) == ""

    assert await client.groups.set_announcement(gid, "a" * 512) is True
    assert await client.groups.get_announcement(gid) == "a" * 512

    path = f"/chatgroups/{gid}/announcement"
    too_long = await raw("POST", path, json={"announcement": "a" * 513})
    agora_error(too_long, 403, "forbidden_op", "announce info length exceeds limit!")
    missing = await raw("POST", path, json={})
    agora_error(missing, 400, "illegal_argument", "announcement is null")
    assert await client.groups.get_announcement(gid) == "a" * 512

    with pytest.raises(NotFoundError) as caught:
        await client.groups.set_announcement("404404", "x")
    assert caught.value.description == "grpID 404404 does not exist!"


# -- disable / enable ------------------------------------------------------------------------


async def test_a_disabled_group_refuses_changes_but_answers_reads(
    client: AgoraChatClient, raw: Raw
) -> None:
    gid = await group(raw, "u1", "u2")
    await register(raw, "u3")
    await client.groups.set_announcement(gid, "before")
    await client.groups.member_attributes.set(gid, "u1", {"k": "v"})

    assert await client.groups.disable(gid) is True
    assert await client.groups.disable(gid) is True  # again: still disabled
    (detail,) = await client.groups.get([gid])
    assert detail.disabled is True

    refused = f"group: {gid} is disabled"
    changes = [
        client.groups.members.add(gid, "u3"),
        client.groups.members.remove(gid, "u1"),
        client.groups.admins.add(gid, "u1"),
        client.groups.blocklist.add(gid, "u1"),
        client.groups.allowlist.add(gid, "u1"),
        client.groups.mutes.add(gid, ["u1"], mute_duration=1000),
        client.groups.mutes.mute_all(gid),
        client.groups.transfer_owner(gid, "u1"),
        client.groups.update(gid, name="renamed"),
        client.groups.set_announcement(gid, "after"),
        client.groups.files.upload(gid, b"x"),
        client.groups.member_attributes.set(gid, "u1", {"k": "w"}),
    ]
    for change in changes:
        with pytest.raises(PermissionDeniedError) as caught:
            await change
        assert (caught.value.error, caught.value.description) == ("forbidden_op", refused)

    # Reads still answer, and nothing above was changed.
    members = [m.username async for m in client.groups.members.list(gid)]
    assert members == ["owner", "u1", "u2"]
    assert await client.groups.get_announcement(gid) == "before"
    assert await client.groups.is_member(gid, "u1") is True
    assert await client.groups.member_attributes.get_many(gid, ["u1"]) == {"u1": {"k": "v"}}
    assert [f async for f in client.groups.files.list(gid)] == []

    assert await client.groups.enable(gid) is True
    (detail,) = await client.groups.get([gid])
    assert detail.disabled is False
    assert (await client.groups.members.add(gid, "u3")).result is True


async def test_a_disabled_group_can_still_be_deleted(client: AgoraChatClient, raw: Raw) -> None:
    gid = await group(raw)
    await client.groups.disable(gid)

    assert await client.groups.delete(gid) is True

    for call in (client.groups.disable(gid), client.groups.enable(gid)):
        with pytest.raises(NotFoundError) as caught:
            await call
        assert caught.value.description == f"grpID {gid} does not exist!"


# -- is_member --------------------------------------------------------------------------------


async def test_is_member(client: AgoraChatClient, raw: Raw) -> None:
    gid = await group(raw, "u1")
    await register(raw, "u2")

    assert await client.groups.is_member(gid, "owner") is True
    assert await client.groups.is_member(gid, "U1") is True
    assert await client.groups.is_member(gid, "u2") is False
    assert await client.groups.is_member(gid, "nobody") is False

    await client.groups.members.remove(gid, "u1")
    assert await client.groups.is_member(gid, "u1") is False

    response = await raw("GET", "/chatgroups/404404/user/u1/is_joined")
    agora_error(response, 404, "resource_not_found", "grpID 404404 does not exist!")


# -- shared files -----------------------------------------------------------------------------


async def test_files_upload_list_download_delete(client: AgoraChatClient, raw: Raw) -> None:
    gid = await group(raw)

    uploaded = await client.groups.files.upload(gid, b"first file", filename="one.txt")
    second = await client.groups.files.upload(gid, b"\x00\x01", filename="two.bin")

    assert (uploaded.group_id, uploaded.file_name, uploaded.file_size) == (gid, "one.txt", 10)
    assert uploaded.file_url is not None
    assert uploaded.file_url.endswith(f"/chatgroups/{gid}/share_files/{uploaded.file_id}")
    listed = [f async for f in client.groups.files.list(gid)]
    assert [(f.file_id, f.file_name, f.file_owner, f.file_size) for f in listed] == [
        (second.file_id, "two.bin", "owner", 2),
        (uploaded.file_id, "one.txt", "owner", 10),
    ]
    assert [f.created for f in listed] == [second.created, uploaded.created]

    assert await client.groups.files.download(gid, uploaded.file_id) == b"first file"
    async with raw.session.get(
        uploaded.file_url, headers={"Authorization": f"Bearer {raw.token}"}
    ) as response:
        assert (response.status, await response.read()) == (200, b"first file")

    assert await client.groups.files.delete(gid, uploaded.file_id) is True
    assert [f.file_id async for f in client.groups.files.list(gid)] == [second.file_id]
    for call in (
        client.groups.files.download(gid, uploaded.file_id),
        client.groups.files.delete(gid, uploaded.file_id),
    ):
        with pytest.raises(NotFoundError) as caught:
            await call
        assert caught.value.description == f"file {uploaded.file_id} does not exist!"
    # A file of one group is not found through another.
    other = await group(raw, owner="other")
    with pytest.raises(NotFoundError):
        await client.groups.files.download(other, second.file_id)


async def test_files_list_pages(client: AgoraChatClient, raw: Raw) -> None:
    gid = await group(raw)
    ids = [(await client.groups.files.upload(gid, bytes([i]))).file_id for i in range(3)]

    pages = [page.items async for page in client.groups.files.list(gid, page_size=2).pages()]

    assert [[f.file_id for f in page] for page in pages] == [ids[:0:-1], ids[:1]]
    body = await ok(raw, "GET", f"/chatgroups/{gid}/share_files?pagenum=2&pagesize=2")
    assert body["params"] == {"pagenum": ["2"], "pagesize": ["2"]}
    assert [f["file_id"] for f in body["data"]] == [ids[0]]


async def test_files_upload_errors(
    client: AgoraChatClient, raw: Raw, monkeypatch: pytest.MonkeyPatch
) -> None:
    gid = await group(raw)

    no_file = aiohttp.FormData()
    no_file.add_field("other", b"x", filename="x.txt")
    agora_error(await upload(raw, gid, no_file), 400, "illegal_argument", "file must be provided.")

    with pytest.raises(RequestTooLargeError) as too_large:
        await client.groups.files.upload(gid, b"x" * (10 * 1024 * 1024 + 1))
    assert too_large.value.error == "file exceeding maximum limit"

    with pytest.raises(NotFoundError) as unknown:
        await client.groups.files.upload("404404", b"x")
    assert unknown.value.description == "grpID 404404 does not exist!"

    monkeypatch.setattr(group_extras, "MAX_FILES", 2)
    await client.groups.files.upload(gid, b"1")
    await client.groups.files.upload(gid, b"2")
    with pytest.raises(PermissionDeniedError) as full:
        await client.groups.files.upload(gid, b"3")
    assert (full.value.error, full.value.description) == (
        "exceed_limit",
        "the number of shared files has reached the limit : 2",
    )
    assert len([f async for f in client.groups.files.list(gid)]) == 2


# -- member attributes ------------------------------------------------------------------------


async def test_member_attributes_set_get_and_remove(client: AgoraChatClient, raw: Raw) -> None:
    gid = await group(raw, "u1", "u2")
    attrs = client.groups.member_attributes

    assert await attrs.get(gid, "u1") == {}
    assert await attrs.set(gid, "u1", {"nick": "One", "color": "red"}) == {
        "nick": "One",
        "color": "red",
    }
    assert await attrs.set(gid, "U1", {"color": "", "k" * 16: "v" * 512}) == {
        "color": "",
        "k" * 16: "v" * 512,
    }
    assert await attrs.get(gid, "u1") == {"nick": "One", "k" * 16: "v" * 512}
    await attrs.set(gid, "owner", {"nick": "Boss"})

    assert await attrs.get_many(gid, ["u1", "owner", "u2"]) == {
        "u1": {"nick": "One", "k" * 16: "v" * 512},
        "owner": {"nick": "Boss"},
        "u2": {},
    }
    assert await attrs.get_many(gid, ["u1", "owner"], keys=["nick", "absent"]) == {
        "u1": {"nick": "One"},
        "owner": {"nick": "Boss"},
    }


async def test_member_attributes_limits(raw: Raw) -> None:
    gid = await group(raw, "u1")
    path = f"/metadata/chatgroup/{gid}/user/u1"

    key = await raw("PUT", path, json={"metaData": {"k" * 17: "v"}})
    agora_error(key, 400, "metadata_error", "exceeds chatgroup user metadata single key limit")
    value = await raw("PUT", path, json={"metaData": {"k": "é" * 257}})  # 514 bytes
    agora_error(value, 400, "metadata_error", "exceeds chatgroup user metadata single value limit")

    for bad in ({"k": 1}, {"": "v"}, {}):
        response = await raw("PUT", path, json={"metaData": bad})
        agora_error(
            response,
            400,
            "invalid_parameter",
            "metaData must map non-empty keys to strings"
            if bad
            else "metaData must be a non-empty object",
        )

    seven = {f"key{i}": "v" * 512 for i in range(7)}  # 3,612 bytes
    body = await ok(raw, "PUT", path, {"metaData": seven})
    assert list(body) == ["timestamp", "data", "duration"]
    total = await raw("PUT", path, json={"metaData": {"key7": "v" * 512}})
    agora_error(total, 400, "metadata_error", "exceeds chatgroup user metadata total limit")
    assert (await ok(raw, "GET", path))["data"] == seven  # the refused call stored nothing

    many = await raw(
        "POST", f"/metadata/chatgroup/{gid}/get", json={"targets": [f"u{i}" for i in range(11)]}
    )
    agora_error(many, 400, "metadata_error", "query param reaches limit.")


async def test_member_attributes_of_non_members(client: AgoraChatClient, raw: Raw) -> None:
    gid = await group(raw, "u1")
    await register(raw, "outsider")
    attrs = client.groups.member_attributes

    for call in (attrs.get(gid, "outsider"), attrs.set(gid, "outsider", {"k": "v"})):
        with pytest.raises(NotFoundError) as caught:
            await call
        assert (caught.value.error, caught.value.description) == (
            "MetadataException",
            "user not in group",
        )
    assert await attrs.get_many(gid, ["outsider", "u1"]) == {"u1": {}}
    with pytest.raises(NotFoundError) as unknown:
        await attrs.get("404404", "u1")
    assert unknown.value.description == "grpID 404404 does not exist!"


async def test_member_attributes_go_when_the_member_leaves(
    client: AgoraChatClient, raw: Raw
) -> None:
    gid = await group(raw, "u1", "u2")
    attrs = client.groups.member_attributes
    for name in ("u1", "u2"):
        await attrs.set(gid, name, {"nick": name})

    await client.groups.members.remove(gid, "u1")
    await client.groups.blocklist.add(gid, "u2")
    await client.groups.blocklist.remove(gid, "u2")
    await client.groups.members.add_many(gid, ["u1", "u2"])

    assert await attrs.get_many(gid, ["u1", "u2"]) == {"u1": {}, "u2": {}}


async def test_deleting_a_group_forgets_its_files_and_attributes(
    client: AgoraChatClient, raw: Raw
) -> None:
    gid = await group(raw, "u1")
    await client.groups.files.upload(gid, b"data")
    await client.groups.member_attributes.set(gid, "u1", {"k": "v"})

    await client.groups.delete(gid)

    responses: list[Any] = [
        await raw("GET", f"/chatgroups/{gid}/share_files"),
        await raw("GET", f"/metadata/chatgroup/{gid}/user/u1"),
    ]
    for response in responses:
        agora_error(response, 404, "resource_not_found", f"grpID {gid} does not exist!")
