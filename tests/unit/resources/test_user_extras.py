"""User-level endpoints beyond the overview on the wire: devices, contact remarks, pages
and imports, push notification settings and language, global mutes."""

from __future__ import annotations

import pytest

from agora_chat_async import BadRequestError, NotFoundError
from agora_chat_async.models.global_mutes import GlobalMute
from agora_chat_async.models.push import NotificationSetting
from agora_chat_async.models.users import Device

NOT_FOUND = {
    "error": "service_resource_not_found",
    "error_description": "Service resource not found",
}

# -- devices ---------------------------------------------------------------------------

DEVICES = {
    "action": "get",
    "entities": [],
    "data": [
        {"res": "android_123423453246", "device_uuid": "uuid-1", "device_name": "Pixel 8"},
        {"res": "ios_9876", "device_uuid": "uuid-2", "device_name": "iPhone"},
    ],
}


async def test_list_devices_is_one_request_of_the_devices(client, mock, wire) -> None:
    mock.get(wire.url("/users/alice/resources"), payload=DEVICES)

    devices = [d async for d in client.users.list_devices("alice")]

    wire.only("GET", "/users/alice/resources")
    assert [type(d) for d in devices] == [Device, Device]
    assert [(d.resource, d.device_uuid, d.device_name) for d in devices] == [
        ("android_123423453246", "uuid-1", "Pixel 8"),
        ("ios_9876", "uuid-2", "iPhone"),
    ]


@pytest.mark.parametrize("result", [True, False])
async def test_disconnect_device_deletes_and_reads_the_result(client, mock, wire, result) -> None:
    body = {"action": "delete", "entities": [], "data": {"result": result}}
    mock.delete(wire.url("/users/alice/disconnect/android_123"), payload=body)

    done = await client.users.disconnect_device("alice", "android_123")

    wire.only("DELETE", "/users/alice/disconnect/android_123")
    assert done is result


async def test_a_resource_is_one_escaped_path_segment(client, mock, wire) -> None:
    body = {"data": {"result": True}}
    mock.delete(wire.url("/users/alice/disconnect/web%2Fx%20y"), payload=body)
    assert await client.users.disconnect_device("alice", "web/x y") is True
    wire.only("DELETE", "/users/alice/disconnect/web%2Fx%20y")


# -- contacts ----------------------------------------------------------------------------

REMARK_SET = {"action": "put", "duration": 22, "status": "ok", "timestamp": 1700633088329}


async def test_set_remark_puts_the_remark_on_the_singular_path(client, mock, wire) -> None:
    mock.put(wire.url("/user/alice/contacts/users/bob"), payload=REMARK_SET)

    assert await client.contacts.set_remark("alice", "bob", remark="Bobby") is None

    wire.only("PUT", "/user/alice/contacts/users/bob", body={"remark": "Bobby"})


PAGE = {
    "uri": "http://x/org/app/users/alice/rostersByPage",
    "entities": [],
    "count": 2,
    "action": "get",
    "data": {
        "contacts": [{"remark": "Bobby", "username": "bob"}, {"remark": None, "username": "cy"}],
        "cursor": "LTI6Y29udGFjdHM",
    },
}


async def test_list_paged_follows_the_cursor_inside_data_until_it_is_gone(
    client, mock, wire
) -> None:
    first = "?limit=2&needReturnRemark=true"
    second = "?cursor=LTI6Y29udGFjdHM&limit=2&needReturnRemark=true"
    # Agora's documented example: the last page has no cursor.
    last = {"count": 1, "data": {"contacts": [{"remark": None, "username": "dee"}]}}
    mock.get(wire.url("/user/alice/contacts" + first), payload=PAGE)
    mock.get(wire.url("/user/alice/contacts" + second), payload=last)

    pages = [
        p async for p in client.contacts.list_paged("alice", with_remarks=True, page_size=2).pages()
    ]

    assert wire.sent() == {
        ("GET", wire.url("/user/alice/contacts" + first)): 1,
        ("GET", wire.url("/user/alice/contacts" + second)): 1,
    }
    wire.check(wire.calls("GET", "/user/alice/contacts" + first)[0])
    assert [[(c.username, c.remark) for c in p.items] for p in pages] == [
        [("bob", "Bobby"), ("cy", None)],
        [("dee", None)],
    ]
    assert [p.cursor for p in pages] == ["LTI6Y29udGFjdHM", None]


async def test_list_paged_defaults_to_50_per_page_without_remarks(client, mock, wire) -> None:
    empty = {"count": 0, "data": {"contacts": []}}
    mock.get(wire.url("/user/alice/contacts?limit=50&needReturnRemark=false"), payload=empty)

    assert [c async for c in client.contacts.list_paged("alice")] == []

    wire.only("GET", "/user/alice/contacts?limit=50&needReturnRemark=false")
    with pytest.raises(ValueError, match="page_size"):
        client.contacts.list_paged("alice", page_size=0)


def _imported(success=(), missing=(), full=(), unknown=()):
    data = {
        "UnKnowFailed": list(unknown),
        "success": list(success),
        "NotExistFailed": list(missing),
        "maxLimitFailed": list(full),
    }
    return {"status": "ok", "action": "post", "data": data, "duration": 3}


async def test_add_many_imports_10_per_call_and_accounts_for_everyone(client, mock, wire) -> None:
    names = [f"u{i:02d}" for i in range(23)]
    url = wire.url("/users/alice/contacts/import?isSendNotice=false")
    mock.post(url, payload=_imported(success=names[:10]))
    mock.post(url, payload=_imported(success=names[10:17], missing=["u17", "u18"], full=["u19"]))
    # usernames compare case-insensitively; u22 is not reported at all
    mock.post(url, payload=_imported(success=["U21"], unknown=["u20"]))

    result = await client.contacts.add_many("alice", names, concurrency=1)

    calls = wire.calls("POST", "/users/alice/contacts/import?isSendNotice=false")
    assert [wire.body(c) for c in calls] == [
        {"usernames": names[:10]},
        {"usernames": names[10:20]},
        {"usernames": names[20:]},
    ]
    wire.check(calls[0], body={"usernames": names[:10]})
    assert result.succeeded == [*names[:17], "u21"]
    assert [(f.item, f.reason) for f in result.failed] == [
        ("u17", "not added: no such user (NotExistFailed)"),
        ("u18", "not added: no such user (NotExistFailed)"),
        ("u19", "not added: a contact list is full (maxLimitFailed)"),
        ("u20", "not added: failed on the server (UnKnowFailed)"),
        ("u22", "the server did not report this user"),
    ]
    assert result.calls == 3


async def test_add_many_can_notify_and_skips_bad_usernames(client, mock, wire) -> None:
    url = wire.url("/users/alice/contacts/import?isSendNotice=true")
    mock.post(url, payload=_imported(success=["bob"]))

    result = await client.contacts.add_many("alice", ["bob", "not ok"], notify=True)

    wire.only("POST", "/users/alice/contacts/import?isSendNotice=true", body={"usernames": ["bob"]})
    assert result.succeeded == ["bob"]
    assert [f.item for f in result.skipped] == ["not ok"]


async def test_a_failed_import_call_fails_its_whole_chunk(client, mock, wire) -> None:
    mock.post(
        wire.url("/users/ghost/contacts/import?isSendNotice=false"), status=404, payload=NOT_FOUND
    )
    result = await client.contacts.add_many("ghost", ["bob", "cy"])
    assert [f.item for f in result.failed] == ["bob", "cy"]
    assert all(isinstance(f.error, NotFoundError) for f in result.failed)


# -- push notification settings -------------------------------------------------------------

SETTING = {
    "path": "/users",
    "action": "put",
    "data": {"type": "NONE", "ignoreDuration": 1647590149924, "ignoreInterval": "21:30-08:00"},
}


async def test_set_notification_sends_only_what_was_passed(client, mock, wire) -> None:
    mock.put(wire.url("/users/alice/notification/user/alice"), payload=SETTING)
    mock.put(wire.url("/users/alice/notification/chatgroup/1234"), payload=SETTING)

    setting = await client.push.set_notification(
        "alice", "user", "alice", mode="NONE", ignore_interval="21:30-08:00", ignore_duration=0
    )
    await client.push.set_notification("alice", "chatgroup", "1234", mode="AT")

    sent = wire.calls("PUT", "/users/alice/notification/user/alice")
    wire.check(sent[0], body={"type": "NONE", "ignoreInterval": "21:30-08:00", "ignoreDuration": 0})
    group = wire.calls("PUT", "/users/alice/notification/chatgroup/1234")
    wire.check(group[0], body={"type": "AT"})
    assert isinstance(setting, NotificationSetting)
    assert (setting.mode, setting.ignore_interval, setting.ignore_duration) == (
        "NONE",
        "21:30-08:00",
        1647590149924,
    )


async def test_get_notification_reads_the_setting(client, mock, wire) -> None:
    mock.get(wire.url("/users/alice/notification/chatgroup/1234"), payload=SETTING)

    setting = await client.push.get_notification("alice", "chatgroup", "1234")

    wire.only("GET", "/users/alice/notification/chatgroup/1234")
    assert setting.mode == "NONE"


async def test_language_is_set_and_read(client, mock, wire) -> None:
    body = {"path": "/users", "action": "put", "data": {"language": "EU"}}
    mock.put(wire.url("/users/alice/notification/language"), payload=body)
    mock.get(wire.url("/users/alice/notification/language"), payload=body)

    assert await client.push.set_language("alice", "EU") == "EU"
    assert await client.push.get_language("alice") == "EU"

    put = wire.calls("PUT", "/users/alice/notification/language")
    wire.check(put[0], body={"translationLanguage": "EU"})
    wire.check(wire.calls("GET", "/users/alice/notification/language")[0])


# -- global mutes ------------------------------------------------------------------------------

# Agora's example for POST /mutes (its heading is misspelt, so not among the stored ones).
MUTED = {
    "path": "/mutes",
    "uri": "https://XXXX/XXXX/XXXX/mutes",
    "timestamp": 1631609754727,
    "organization": "XXXX",
    "application": "XXXX",
    "action": "post",
    "data": {"result": "ok"},
    "duration": 74,
    "applicationName": "XXXX",
}


async def test_global_mute_set_posts_only_the_given_types(client, mock, wire) -> None:
    mock.post(wire.url("/mutes"), payload=MUTED)

    assert await client.global_mutes.set("alice", chat=100, chatroom=-1) is True

    wire.only("POST", "/mutes", body={"username": "alice", "chat": 100, "chatroom": -1})


async def test_global_mute_get_normalises_userid(client, mock, wire) -> None:
    data = {"userid": "alice", "chat": 96, "groupchat": 0, "chatroom": -1, "unixtime": 1631609831}
    mock.get(wire.url("/mutes/alice"), payload={"action": "get", "data": data})

    mute = await client.global_mutes.get("alice")

    wire.only("GET", "/mutes/alice")
    assert isinstance(mute, GlobalMute)
    assert (mute.username, mute.chat, mute.groupchat, mute.chatroom) == ("alice", 96, 0, -1)


async def test_global_mute_list_pages_with_page_num_until_a_short_page(client, mock, wire) -> None:
    first = [{"username": "a", "chat": 5}, {"username": "a", "chatroom": -1}]
    mock.get(
        wire.url("/mutes?pageNum=1&pageSize=2"),
        payload={"data": {"data": first, "unixtime": 1}},
    )
    mock.get(
        wire.url("/mutes?pageNum=2&pageSize=2"),
        payload={"data": {"data": [{"username": "b", "groupchat": 0}], "unixtime": 1}},
    )

    mutes = [m async for m in client.global_mutes.list(page_size=2)]

    assert [(m.username, m.chat, m.groupchat, m.chatroom) for m in mutes] == [
        ("a", 5, None, None),
        ("a", None, None, -1),
        ("b", None, 0, None),
    ]
    assert len(wire.sent()) == 2


# -- refused before sending, and server errors ------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda c: c.users.disconnect_device("alice", ""), ValueError, "resource"),
        (lambda c: c.users.disconnect_device("a b", "x"), ValueError, "username"),
        (lambda c: c.contacts.set_remark("alice", "bob", remark="x" * 101), ValueError, "100"),
        (lambda c: c.contacts.set_remark("alice", "bob", remark=None), TypeError, "string"),
        (lambda c: c.push.set_notification("alice", "room", "x"), ValueError, "chat_type"),
        (
            lambda c: c.push.set_notification("alice", "user", "bob", mode="SOME"),
            ValueError,
            "mode",
        ),
        (
            lambda c: c.push.set_notification("alice", "user", "alice", ignore_interval="8-10"),
            ValueError,
            "HH:MM-HH:MM",
        ),
        (
            lambda c: c.push.set_notification(
                "alice", "user", "alice", ignore_interval="24:00-01:00"
            ),
            ValueError,
            "HH:MM-HH:MM",
        ),
        (
            lambda c: c.push.set_notification("alice", "user", "bob", ignore_duration=604800001),
            ValueError,
            "0 to 604800000",
        ),
        (lambda c: c.push.get_notification("alice", "user", ""), ValueError, "key"),
        (lambda c: c.push.set_notification("alice", "user", "bob"), ValueError, "at least one"),
        (
            lambda c: c.push.set_notification("alice", "user", "Alice", mode="DEFAULT"),
            ValueError,
            "DEFAULT",
        ),
        (
            lambda c: c.push.set_notification(
                "alice", "chatgroup", "1234", ignore_interval="21:30-08:00"
            ),
            ValueError,
            "app level only",
        ),
        (lambda c: c.global_mutes.set("alice"), ValueError, "at least one"),
        (lambda c: c.global_mutes.set("alice", chat=-2), ValueError, "-1 to"),
        (lambda c: c.global_mutes.set("alice", groupchat=2**31), ValueError, "-1 to"),
        (lambda c: c.global_mutes.set("not ok"), ValueError, "username"),
        (lambda c: c.global_mutes.get(""), ValueError, "username"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(client, mock, call, error, message) -> None:
    with pytest.raises(error, match=message):
        await call(client)
    assert mock.requests == {}


async def test_bulk_arguments_are_checked_before_any_call(client, mock) -> None:
    with pytest.raises(ValueError, match="owner_username"):
        await client.contacts.add_many("", ["bob"])
    assert mock.requests == {}


async def test_server_errors_are_typed(client, mock, wire) -> None:
    not_friends = {
        "error": "illegal_argument",
        "error_description": "updateRemark they are not friends, please add as a friend first.",
    }
    mock.put(wire.url("/user/alice/contacts/users/bob"), status=400, payload=not_friends)
    mock.get(wire.url("/users/ghost/resources"), status=404, payload=NOT_FOUND)
    mock.get(wire.url("/mutes/ghost"), status=404, payload=NOT_FOUND)

    with pytest.raises(BadRequestError) as refused:
        await client.contacts.set_remark("alice", "bob", remark="x")
    assert (refused.value.status, refused.value.error) == (400, "illegal_argument")
    assert refused.value.description == not_friends["error_description"]
    assert refused.value.endpoint == "contacts.set_remark"
    with pytest.raises(NotFoundError) as missing:
        [d async for d in client.users.list_devices("ghost")]
    assert missing.value.description == "Service resource not found"
    with pytest.raises(NotFoundError):
        await client.global_mutes.get("ghost")
