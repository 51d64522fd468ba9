"""Devices, contact remarks/pages/imports, push notification settings and global mutes
through the public client against the emulator."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import BadRequestError, NotFoundError
from agora_chat_async.emulator import EmulatorServer
from agora_chat_async.emulator._handlers import contacts as contacts_area
from tests.integration._helpers import agora_error, raw_requests

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient

NOT_FOUND = ("service_resource_not_found", "Service resource not found")


async def _users(client: AgoraChatClient, *names: str) -> None:
    for name in names:
        await client.users.register(name)


# -- devices ---------------------------------------------------------------------------


async def _devices(client: AgoraChatClient, user: str) -> list[tuple[str, str | None]]:
    return [(d.resource, d.device_name) async for d in client.users.list_devices(user)]


async def test_a_user_goes_offline_with_its_last_device(client, emulator) -> None:
    await _users(client, "alice")
    assert await _devices(client, "alice") == []
    emulator.state.set_online("alice", resource="android_1", device_name="Pixel 8")
    emulator.state.set_online("ALICE", resource="ios_2", device_name="iPhone")

    assert await _devices(client, "alice") == [("android_1", "Pixel 8"), ("ios_2", "iPhone")]
    uuids = {d.device_uuid async for d in client.users.list_devices("alice")}
    assert len(uuids) == 2
    assert None not in uuids

    assert await client.users.disconnect_device("alice", "android_1") is True
    assert await _devices(client, "alice") == [("ios_2", "iPhone")]
    assert await client.users.get_status("alice") == "online"
    assert await client.users.disconnect_device("alice", "android_1") is False  # gone already

    assert await client.users.disconnect_device("alice", "ios_2") is True
    assert await client.users.get_status("alice") == "offline"
    assert await _devices(client, "alice") == []


async def test_set_online_without_a_resource_keeps_working(client, emulator) -> None:
    await _users(client, "alice")
    emulator.state.set_online(["alice"])
    assert await _devices(client, "alice") == [("emulator", "emulator")]
    assert await client.users.get_status("alice") == "online"
    emulator.state.set_online(["alice"], online=False)
    assert await client.users.get_status("alice") == "offline"
    assert await _devices(client, "alice") == []


@pytest.mark.parametrize("how", ["disconnect", "deactivate", "offline"])
async def test_every_way_offline_drops_every_device(client, emulator, how) -> None:
    await _users(client, "alice")
    emulator.state.set_online("alice", resource="a")
    emulator.state.set_online("alice", resource="b")
    if how == "disconnect":
        assert await client.users.disconnect("alice") is True
    elif how == "deactivate":
        await client.users.deactivate("alice")
    else:
        emulator.state.set_online("alice", online=False)
    assert await _devices(client, "alice") == []
    assert await client.users.get_status("alice") == "offline"


async def test_messages_wait_while_the_last_device_is_gone(client, emulator) -> None:
    await _users(client, "alice", "bob")
    emulator.state.set_online("bob", resource="web_1")
    await client.messages.send("users", from_="alice", to=["bob"], type="txt", body={"msg": "1"})
    assert await client.users.offline_message_count("bob") == 0
    await client.users.disconnect_device("bob", "web_1")
    await client.messages.send("users", from_="alice", to=["bob"], type="txt", body={"msg": "2"})
    assert await client.users.offline_message_count("bob") == 1


async def test_devices_of_a_missing_user_are_404(client) -> None:
    with pytest.raises(NotFoundError) as missing:
        await _devices(client, "ghost")
    assert (missing.value.error, missing.value.description) == NOT_FOUND
    with pytest.raises(NotFoundError):
        await client.users.disconnect_device("ghost", "android_1")


async def test_a_deleted_user_leaves_no_devices(client, emulator) -> None:
    await _users(client, "alice")
    emulator.state.set_online("alice", resource="a")
    await client.users.delete("alice")
    assert emulator.state.devices == {}
    assert emulator.state.online == set()


# -- contacts ---------------------------------------------------------------------------


async def _all_pages(client: AgoraChatClient, owner: str, limit: int) -> list[list[str]]:
    pager = client.contacts.list_paged(owner, page_size=limit)
    return [[c.username for c in page.items] async for page in pager.pages()]


async def _contacts(client: AgoraChatClient, owner: str, **options: Any) -> list[Any]:
    return [(c.username, c.remark) async for c in client.contacts.list_paged(owner, **options)]


async def test_remarks_need_a_contact_and_show_on_request(client) -> None:
    await _users(client, "alice", "bob", "carol")
    with pytest.raises(BadRequestError) as refused:
        await client.contacts.set_remark("alice", "bob", remark="Bobby")
    assert (refused.value.error, refused.value.description) == (
        "illegal_argument",
        "updateRemark they are not friends, please add as a friend first.",
    )
    await client.contacts.add("alice", "bob")
    await client.contacts.add("alice", "carol")
    await client.contacts.set_remark("alice", "BOB", remark="Bobby")

    with_remarks = await _contacts(client, "alice", with_remarks=True)
    assert with_remarks == [("carol", None), ("bob", "Bobby")]
    assert await _contacts(client, "alice") == [("carol", None), ("bob", None)]

    await client.contacts.remove("alice", "bob")  # the remark goes with the contact
    await client.contacts.add("alice", "bob")
    with_remarks = await _contacts(client, "alice", with_remarks=True)
    assert with_remarks == [("bob", None), ("carol", None)]


async def test_pages_walk_every_contact_newest_first(client) -> None:
    names = [f"f{i:02d}" for i in range(23)]
    await _users(client, "alice", *names)
    for name in names:
        await client.contacts.add("alice", name)
    pages = await _all_pages(client, "alice", 10)
    assert [len(p) for p in pages] == [10, 10, 3]
    assert [n for p in pages for n in p] == names[::-1]
    assert await _all_pages(client, "alice", 50) == [names[::-1]]


async def test_contacts_added_between_pages_do_not_disturb_a_walk(client) -> None:
    names = [f"f{i:02d}" for i in range(6)]
    await _users(client, "alice", "late", *names)
    for name in names:
        await client.contacts.add("alice", name)
    pages = client.contacts.list_paged("alice", page_size=4).pages()
    first = await anext(pages)
    assert [c.username for c in first.items] == ["f05", "f04", "f03", "f02"]
    await client.contacts.add("alice", "late")
    assert first.cursor is not None
    rest = await anext(pages)
    assert [c.username for c in rest.items] == ["f01", "f00"]
    assert rest.cursor is None
    assert [p async for p in pages] == []


async def test_contacts_removed_between_pages_neither_repeat_nor_skip_others(client) -> None:
    names = [f"f{i:02d}" for i in range(6)]
    await _users(client, "alice", *names)
    for name in names:
        await client.contacts.add("alice", name)
    pages = client.contacts.list_paged("alice", page_size=2).pages()
    first = await anext(pages)
    assert [c.username for c in first.items] == ["f05", "f04"]
    await client.contacts.remove("alice", "f00")  # older than the next page
    await client.contacts.remove("alice", "f03")  # the contact the next page starts at
    rest = [[c.username for c in page.items] async for page in pages]
    assert rest == [["f02", "f01"]]


async def test_page_and_remark_limits_and_errors(client, raw) -> None:
    await _users(client, "alice", "bob")
    await client.contacts.add("alice", "bob")
    agora_error(
        await raw("GET", "/user/alice/contacts?limit=51"),
        400,
        "illegal_argument",
        "getContacts | page size more than max limit : 50",
    )
    agora_error(
        await raw("GET", "/user/alice/contacts?cursor=nonsense"),
        400,
        "illegal_argument",
        "cursor nonsense is not valid",
    )
    agora_error(
        await raw("PUT", "/user/alice/contacts/users/bob", json={"remark": "x" * 101}),
        400,
        "illegal_argument",
        "remark is limited to 100 characters",
    )
    agora_error(await raw("GET", "/user/ghost/contacts"), 404, *NOT_FOUND)
    agora_error(
        await raw("PUT", "/user/alice/contacts/users/ghost", json={"remark": "x"}), 404, *NOT_FOUND
    )


async def test_the_plural_paths_of_the_java_client_work_too(client, raw) -> None:
    await _users(client, "alice", "bob")
    await client.contacts.add("alice", "bob")
    answer = await raw("PUT", "/users/alice/contacts/users/bob", json={"remark": "B"})
    assert answer.status == 200
    assert list(answer.body) == ["action", "duration", "status", "timestamp", "uri"]
    assert answer.body["status"] == "ok"
    page = await raw("GET", "/users/alice/contacts?needReturnRemark=true")
    assert page.body["data"] == {"contacts": [{"remark": "B", "username": "bob"}]}


async def test_add_many_sorts_every_username(client) -> None:
    await _users(client, "alice", "bob", "carol")
    await client.contacts.add("alice", "carol")
    result = await client.contacts.add_many("alice", ["bob", "ghost", "alice", "Carol", "x y"])
    assert result.succeeded == ["bob", "Carol"]
    assert [(f.item, f.reason) for f in result.failed] == [
        ("ghost", "not added: no such user (NotExistFailed)"),
        ("alice", "not added: failed on the server (UnKnowFailed)"),
    ]
    assert [f.item for f in result.skipped] == ["x y"]
    assert [n async for n in client.contacts.list("alice")] == ["bob", "carol"]


async def test_add_many_in_chunks_up_to_a_full_list(client, monkeypatch) -> None:
    monkeypatch.setattr(contacts_area, "MAX_CONTACTS", 12)
    names = [f"f{i:02d}" for i in range(15)]
    await _users(client, "alice", *names)
    result = await client.contacts.add_many("alice", names, concurrency=1)
    assert result.calls == 2
    assert result.succeeded == names[:12]
    assert [(f.item, f.reason) for f in result.failed] == [
        (n, "not added: a contact list is full (maxLimitFailed)") for n in names[12:]
    ]


async def test_import_limits(client, raw) -> None:
    await _users(client, "alice")
    names = [f"u{i}" for i in range(11)]
    agora_error(
        await raw("POST", "/users/alice/contacts/import", json={"usernames": names}),
        400,
        "illegal_argument",
        "request user over flow limit:10.",
    )
    agora_error(
        await raw("POST", "/users/ghost/contacts/import", json={"usernames": ["alice"]}),
        404,
        *NOT_FOUND,
    )
    agora_error(
        await raw("POST", "/users/alice/contacts/import", json={"usernames": "bob"}),
        400,
        "invalid_request_body",
        "Request body is invalid. Please check body is correct.",
    )


async def test_a_deleted_contact_takes_its_remark_along(client, emulator) -> None:
    await _users(client, "alice", "bob")
    await client.contacts.add("alice", "bob")
    await client.contacts.set_remark("alice", "bob", remark="B")
    await client.users.delete("bob")
    assert emulator.state.remarks == {}


# -- push notification settings ------------------------------------------------------------


async def test_notification_defaults_set_and_get(client) -> None:
    await _users(client, "alice", "bob")
    app = await client.push.get_notification("alice", "user", "alice")
    assert (app.mode, app.ignore_interval, app.ignore_duration) == ("ALL", "", 0)
    chat = await client.push.get_notification("alice", "user", "bob")
    assert chat.mode == "DEFAULT"

    before = int(time.time() * 1000)
    set_ = await client.push.set_notification(
        "alice", "user", "alice", mode="AT", ignore_interval="22:00-07:30", ignore_duration=60_000
    )
    after = int(time.time() * 1000)
    assert (set_.mode, set_.ignore_interval) == ("AT", "22:00-07:30")
    assert before + 60_000 <= set_.ignore_duration <= after + 60_000
    assert await client.push.get_notification("alice", "user", "alice") == set_

    group = await client.push.set_notification("alice", "chatgroup", "123", mode="NONE")
    assert (group.mode, group.ignore_interval, group.ignore_duration) == ("NONE", "", 0)
    assert (await client.push.get_notification("alice", "chatgroup", "123")).mode == "NONE"
    assert (await client.push.get_notification("alice", "user", "bob")).mode == "DEFAULT"
    # one setting changes, the others stay
    again = await client.push.set_notification("alice", "user", "alice", ignore_duration=0)
    assert (again.mode, again.ignore_interval, again.ignore_duration) == ("AT", "22:00-07:30", 0)


async def test_notification_refusals(client, raw) -> None:
    await _users(client, "alice")
    # the client refuses both before sending (tests/unit); the server's answers:
    agora_error(
        await raw("PUT", "/users/alice/notification/user/Alice", json={"type": "DEFAULT"}),
        400,
        "illegal_argument",
        "type must be one of ALL, AT, NONE, got 'DEFAULT'",
    )
    agora_error(
        await raw(
            "PUT", "/users/alice/notification/chatgroup/1", json={"ignoreInterval": "08:00-09:00"}
        ),
        400,
        "illegal_argument",
        "ignoreInterval can only be set for the app (user, self)",
    )
    agora_error(
        await raw("PUT", "/users/alice/notification/room/1", json={"type": "ALL"}),
        400,
        "illegal_argument",
        "chattype must be user or chatgroup, got room",
    )
    agora_error(
        await raw("PUT", "/users/alice/notification/user/bob", json={"ignoreDuration": -1}),
        400,
        "illegal_argument",
        "ignoreDuration must be 0 to 604800000 ms, got -1",
    )
    with pytest.raises(NotFoundError):
        await client.push.get_notification("ghost", "user", "ghost")


@pytest.fixture
async def timed() -> AsyncIterator[tuple[list[float], AgoraChatClient, EmulatorServer]]:
    now = [1_700_000_000.0]
    async with EmulatorServer(clock=lambda: now[0]) as server, server.client() as client:
        yield now, client, server


async def test_do_not_disturb_durations_run_out(timed) -> None:
    now, client, _ = timed
    await _users(client, "alice")
    setting = await client.push.set_notification("alice", "user", "alice", ignore_duration=1000)
    assert setting.ignore_duration == 1_700_000_001_000
    now[0] += 1
    assert (await client.push.get_notification("alice", "user", "alice")).ignore_duration == 0


async def test_language(client) -> None:
    await _users(client, "alice")
    assert await client.push.get_language("alice") == ""
    assert await client.push.set_language("alice", "EU") == "EU"
    assert await client.push.get_language("alice") == "EU"
    assert await client.push.set_language("alice", "") == ""
    assert await client.push.get_language("alice") == ""
    with pytest.raises(NotFoundError):
        await client.push.set_language("ghost", "EU")


async def test_a_deleted_user_forgets_its_push_settings(client, emulator) -> None:
    await _users(client, "alice")
    await client.push.set_language("alice", "EU")
    await client.push.set_notification("alice", "user", "alice", mode="NONE")
    await client.users.delete("alice")
    await _users(client, "alice")
    assert await client.push.get_language("alice") == ""
    assert (await client.push.get_notification("alice", "user", "alice")).mode == "ALL"


# -- global mutes -------------------------------------------------------------------------------


async def test_global_mutes_count_down_and_unmute(timed) -> None:
    now, client, server = timed
    await _users(client, "alice")
    assert await client.global_mutes.set("alice", chat=100, groupchat=-1) is True
    now[0] += 40
    mute = await client.global_mutes.get("alice")
    assert (mute.username, mute.chat, mute.groupchat, mute.chatroom) == ("alice", 60, -1, 0)
    assert mute.unixtime == 1_700_000_040

    await client.global_mutes.set("alice", chat=0)
    # the client refuses other negative values; the server ignores them
    async with raw_requests(server) as raw:
        answer = await raw("POST", "/mutes", json={"username": "alice", "groupchat": -5})
    assert answer.body["data"] == {"result": "ok"}
    mute = await client.global_mutes.get("alice")
    assert (mute.chat, mute.groupchat, mute.chatroom) == (0, -1, 0)


async def test_global_mutes_list_pages_and_shows_run_out_mutes_as_zero(timed) -> None:
    now, client, _ = timed
    names = [f"m{i}" for i in range(7)]
    await _users(client, *names)
    for name in names:
        await client.global_mutes.set(name, chatroom=10)
    await client.global_mutes.set("m0", chat=-1)
    now[0] += 10

    pages = [
        [(m.username, m.chat, m.chatroom) for m in page.items]
        async for page in client.global_mutes.list(page_size=3).pages()
    ]
    assert [len(p) for p in pages] == [3, 3, 2]
    assert [e for p in pages for e in p] == [
        ("m0", None, 0),
        ("m0", -1, None),
        *[(n, None, 0) for n in names[1:]],
    ]


async def test_global_mute_errors(client, raw) -> None:
    with pytest.raises(NotFoundError):
        await client.global_mutes.set("ghost", chat=10)
    with pytest.raises(NotFoundError):
        await client.global_mutes.get("ghost")
    await _users(client, "alice")
    agora_error(
        await raw("POST", "/mutes", json={"username": "alice", "chat": 2**31}),
        400,
        "illegal_argument",
        "chat must be seconds up to 2147483647, -1 or 0",
    )
    agora_error(
        await raw("POST", "/mutes", json={"chat": 10}),
        400,
        "illegal_argument",
        "username must be provided",
    )


async def test_a_deleted_user_is_no_longer_globally_muted(client) -> None:
    await _users(client, "alice")
    await client.global_mutes.set("alice", chat=-1)
    await client.users.delete("alice")
    assert [m async for m in client.global_mutes.list()] == []
