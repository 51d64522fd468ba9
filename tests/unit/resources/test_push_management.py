"""Server-sent push notifications and push labels on the wire; also chat room broadcasts
and the chat room message priority of ``messages.send``."""

from __future__ import annotations

import pytest

from agora_chat_async import (
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    ResponseValidationError,
)
from agora_chat_async.models.push_management import LabelUser, PushLabel, PushResult

MESSAGE = {"title": "Agora push", "content": "Hello and welcome", "sub_title": "Agora"}

LABEL_MISSING = {
    "error": "illegal_argument",
    "error_description": "push label not exists of gone",
}

# -- sending ----------------------------------------------------------------------------

SINGLE = {
    "timestamp": 1619506344007,
    "data": [
        {"id": "test2", "pushStatus": "ASYNC_SUCCESS", "desc": "async success."},
        {"id": "ghost", "pushStatus": "FAIL", "desc": "appUser not exists"},
    ],
    "duration": 14,
}


async def test_send_posts_targets_and_the_message(client, mock, wire) -> None:
    mock.post(wire.url("/push/single"), payload=SINGLE)

    results = await client.push.send(["test2", "ghost"], message=MESSAGE, strategy=3)

    body = {"targets": ["test2", "ghost"], "pushMessage": MESSAGE, "strategy": 3}
    wire.only("POST", "/push/single", body=body)
    assert [type(r) for r in results] == [PushResult, PushResult]
    assert [(r.id, r.push_status, r.desc, r.ok) for r in results] == [
        ("test2", "ASYNC_SUCCESS", "async success.", True),
        ("ghost", "FAIL", "appUser not exists", False),
    ]


async def test_an_unset_strategy_stays_off_the_wire(client, mock, wire) -> None:
    mock.post(wire.url("/push/single"), payload=SINGLE)
    await client.push.send(["test2"], message={"content": "hi"})
    wire.only("POST", "/push/single", body={"targets": ["test2"], "pushMessage": {"content": "hi"}})


PROVIDER = {
    "code": 200,
    "data": {"expireTokens": [], "sendResult": True, "requestId": "1044", "msgCode": 200},
    "message": "Success",
}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([{"pushStatus": "SUCCESS", "data": PROVIDER}], ("SUCCESS", None, PROVIDER)),
        ([{"pushStatus": "FAIL", "desc": "no push binding"}], ("FAIL", "no push binding", None)),
        # the page's prose says data is an object; its examples show a list of one
        ({"pushStatus": "ERROR", "desc": "read timed out"}, ("ERROR", "read timed out", None)),
    ],
)
async def test_send_sync_names_the_user_and_reads_its_one_result(
    client, mock, wire, data, expected
) -> None:
    mock.post(wire.url("/push/sync/test1"), payload={"timestamp": 1, "data": data, "duration": 2})

    result = await client.push.send_sync("test1", message=MESSAGE, strategy=0)

    wire.only("POST", "/push/sync/test1", body={"pushMessage": MESSAGE, "strategy": 0})
    assert isinstance(result, PushResult)
    assert (result.push_status, result.desc, result.data) == expected
    assert result.ok is (expected[0] == "SUCCESS")


async def test_send_by_labels_answers_the_task_id_exactly(client, mock, wire) -> None:
    answer = {"timestamp": 1650859482843, "data": {"taskId": 968120369184112182}, "duration": 0}
    mock.post(wire.url("/push/list/label"), payload=answer)

    task = await client.push.send_by_labels(
        ["post-90s", "girls"], message=MESSAGE, strategy=2, start_date="2030-01-01 12:00:00"
    )

    body = {
        "targets": ["post-90s", "girls"],
        "pushMessage": MESSAGE,
        "strategy": 2,
        "startDate": "2030-01-01 12:00:00",
    }
    wire.only("POST", "/push/list/label", body=body)
    assert task == 968120369184112182  # 18 digits: still exact, an int and not a float


async def test_send_to_all_answers_the_task_id(client, mock, wire) -> None:
    answer = {"timestamp": 1618817591755, "data": 968120369184112183, "duration": 1}
    mock.post(wire.url("/push/task"), payload=answer)

    assert await client.push.send_to_all(message={"title": "Hello"}) == 968120369184112183

    wire.only("POST", "/push/task", body={"pushMessage": {"title": "Hello"}})


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: c.push.send([], message=MESSAGE), "1 to 100"),
        (lambda c: c.push.send([f"u{i}" for i in range(101)], message=MESSAGE), "1 to 100"),
        (lambda c: c.push.send(["a b"], message=MESSAGE), "each of usernames"),
        (lambda c: c.push.send(["a"], message={}), "non-empty mapping"),
        (lambda c: c.push.send(["a"], message={"title": "t" * 33}), "title .* 32"),
        (lambda c: c.push.send(["a"], message={"subTitle": "s" * 11}), "subTitle .* 10"),
        (lambda c: c.push.send(["a"], message={"content": "c" * 101}), "content .* 100"),
        (lambda c: c.push.send(["a"], message={"content": 5}), "content must be a string"),
        (
            lambda c: c.push.send(["a"], message={"ext": {str(i): "v" for i in range(11)}}),
            "at most 10 pairs",
        ),
        (lambda c: c.push.send(["a"], message={"ext": {"k": "v" * 1024}}), "1025 characters"),
        (lambda c: c.push.send(["a"], message=MESSAGE, strategy=5), "from 0 to 4"),
        (lambda c: c.push.send(["a"], message=MESSAGE, strategy=True), "from 0 to 4"),
        (lambda c: c.push.send_sync("", message=MESSAGE), "username must be"),
        (lambda c: c.push.send_by_labels([], message=MESSAGE), "1 to 5"),
        (lambda c: c.push.send_by_labels(list("abcdef"), message=MESSAGE), "1 to 5"),
        (lambda c: c.push.send_by_labels(["a/b"], message=MESSAGE), "each of labels"),
        (
            lambda c: c.push.send_to_all(message=MESSAGE, start_date="2030-01-01T12:00:00"),
            "YYYY-MM-DD HH:MM:SS",
        ),
        (
            lambda c: c.push.send_to_all(message=MESSAGE, start_date="2030-02-30 12:00:00"),
            "YYYY-MM-DD HH:MM:SS",
        ),
    ],
)
async def test_bad_pushes_send_nothing(client, wire, call, match) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        await call(client)
    assert wire.sent() == {}


async def test_messages_on_the_documented_limits_are_sent(client, mock, wire) -> None:
    message = {
        "title": "t" * 32,
        "subTitle": "s" * 10,
        "content": "c" * 100,
        "ext": {**{f"k{i}": "v" for i in range(9)}, "k9": "v" * (1024 - 9 * 3 - 2)},
        "config": {"badge": {"addNum": 1}},
    }
    assert sum(len(k) + len(v) for k, v in message["ext"].items()) == 1024
    mock.post(wire.url("/push/single"), payload=SINGLE)
    await client.push.send([f"u{i}" for i in range(100)], message=message, strategy=4)
    body = {"targets": [f"u{i}" for i in range(100)], "pushMessage": message, "strategy": 4}
    wire.only("POST", "/push/single", body=body)


async def test_a_refused_push_is_typed(client, mock, wire) -> None:
    error = {"error": "forbidden_op", "error_description": "limit request"}
    mock.post(wire.url("/push/task"), status=403, payload=error)
    with pytest.raises(PermissionDeniedError) as caught:
        await client.push.send_to_all(message=MESSAGE)
    assert (caught.value.status, caught.value.error) == (403, "forbidden_op")
    assert caught.value.description == "limit request"
    assert wire.sent() == {("POST", wire.url("/push/task")): 1}  # a POST is not repeated


# -- labels -------------------------------------------------------------------------------

CREATED = {
    "timestamp": 1648720341157,
    "data": {"name": "post-90s", "description": "hah", "createdAt": 1648720341118},
    "duration": 13,
}


async def test_create_posts_the_name_and_description(client, mock, wire) -> None:
    mock.post(wire.url("/push/label"), payload=CREATED)

    label = await client.push.labels.create("post-90s", description="hah")

    wire.only("POST", "/push/label", body={"name": "post-90s", "description": "hah"})
    assert label == PushLabel(name="post-90s", description="hah", created_at=1648720341118)
    assert label.count is None


async def test_create_without_a_description_sends_only_the_name(client, mock, wire) -> None:
    mock.post(wire.url("/push/label"), payload=CREATED)
    await client.push.labels.create("post-90s")
    wire.only("POST", "/push/label", body={"name": "post-90s"})


def _label(name: str, count: int) -> dict[str, object]:
    return {"name": name, "description": "d", "count": count, "createdAt": 1648720341118}


async def test_get_and_delete_name_the_label_in_the_path(client, mock, wire) -> None:
    mock.get(wire.url("/push/label/90"), payload={"data": _label("90", 3)})
    label = await client.push.labels.get("90")
    wire.only("GET", "/push/label/90")
    assert (label.name, label.count, label.created_at) == ("90", 3, 1648720341118)

    mock.delete(wire.url("/push/label/post-90s"), payload={"data": "success"})
    assert await client.push.labels.delete("post-90s") is True
    assert ("DELETE", wire.url("/push/label/post-90s")) in wire.sent()


async def test_delete_reads_another_answer_as_not_done(client, mock, wire) -> None:
    mock.delete(wire.url("/push/label/x"), payload={"data": "fail"})
    assert await client.push.labels.delete("x") is False


async def test_list_follows_the_top_level_cursor(client, mock, wire) -> None:
    mock.get(
        wire.url("/push/label?limit=2"),
        payload={"cursor": "c2", "data": [_label("b", 1), _label("a", 0)]},
    )
    mock.get(wire.url("/push/label?cursor=c2&limit=2"), payload={"data": [_label("z", 5)]})

    labels = [label async for label in client.push.labels.list(page_size=2)]

    assert [(label.name, label.count) for label in labels] == [("b", 1), ("a", 0), ("z", 5)]
    assert wire.sent() == {
        ("GET", wire.url("/push/label?limit=2")): 1,
        ("GET", wire.url("/push/label?cursor=c2&limit=2")): 1,
    }


async def test_list_asks_for_pages_of_100(client, mock, wire) -> None:
    mock.get(wire.url("/push/label?limit=100"), payload={"data": []})
    assert [label async for label in client.push.labels.list()] == []
    wire.only("GET", "/push/label?limit=100")


async def test_a_missing_label_is_a_bad_request(client, mock, wire) -> None:
    mock.get(wire.url("/push/label/gone"), status=400, payload=LABEL_MISSING)
    with pytest.raises(BadRequestError) as caught:
        await client.push.labels.get("gone")
    assert (caught.value.error, caught.value.description) == (
        "illegal_argument",
        "push label not exists of gone",
    )


def _change(success: list[str], fail: dict[str, str] | None = None) -> dict[str, object]:
    return {"timestamp": 1648721496345, "data": {"success": success, "fail": fail or {}}}


async def test_add_many_sends_100_per_call_and_accounts_for_everyone(client, mock, wire) -> None:
    names = [f"u{i:03d}" for i in range(230)]
    url = wire.url("/push/label/post-90s/user")
    mock.post(url, payload=_change(names[:100]))
    mock.post(url, payload=_change(names[100:198], {"u198": "appUser not exists"}))
    # usernames compare case-insensitively; u229 is not reported at all
    mock.post(url, payload=_change([n.upper() for n in names[200:229]], {"u199": "x"}))

    result = await client.push.labels.users.add_many("post-90s", names, concurrency=1)

    calls = wire.calls("POST", "/push/label/post-90s/user")
    assert [wire.body(c) for c in calls] == [
        {"usernames": names[:100]},
        {"usernames": names[100:200]},
        {"usernames": names[200:]},
    ]
    wire.check(calls[0], body={"usernames": names[:100]})
    assert result.succeeded == [*names[:198], *names[200:229]]
    assert [(f.item, f.reason) for f in result.failed] == [
        ("u198", "appUser not exists"),
        ("u199", "the server did not report this user"),  # reported in another call
        ("u229", "the server did not report this user"),
    ]
    assert result.calls == 3


async def test_remove_many_deletes_with_a_json_body(client, mock, wire) -> None:
    mock.delete(
        wire.url("/push/label/post-90s/user"),
        payload=_change(["hx1"], {"hx2": "user not in push label"}),
    )

    result = await client.push.labels.users.remove_many("post-90s", ["hx1", "hx2", "not ok"])

    wire.only("DELETE", "/push/label/post-90s/user", body={"usernames": ["hx1", "hx2"]})
    assert result.succeeded == ["hx1"]
    assert [(f.item, f.reason) for f in result.failed] == [("hx2", "user not in push label")]
    assert [f.item for f in result.skipped] == ["not ok"]


async def test_a_failed_call_fails_its_whole_chunk(client, mock, wire) -> None:
    mock.post(wire.url("/push/label/gone/user"), status=400, payload=LABEL_MISSING)
    result = await client.push.labels.users.add_many("gone", ["a", "b"])
    assert [f.item for f in result.failed] == ["a", "b"]
    assert all(isinstance(f.error, BadRequestError) for f in result.failed)


async def test_get_user_answers_the_user_or_none(client, mock, wire) -> None:
    user = {"data": {"username": "hx1", "created": 1648721496324}}
    mock.get(wire.url("/push/label/post-90s/user/hx1"), payload=user)
    assert await client.push.labels.users.get("post-90s", "hx1") == LabelUser(
        username="hx1", created=1648721496324
    )
    wire.only("GET", "/push/label/post-90s/user/hx1")

    # Without the label: a user without fields. No `data` at all is no answer.
    mock.get(wire.url("/push/label/post-90s/user/hx2"), payload={"data": {}})
    assert await client.push.labels.users.get("post-90s", "hx2") is None
    mock.get(wire.url("/push/label/post-90s/user/hx3"), payload={"timestamp": 1})
    with pytest.raises(ResponseValidationError, match="missing required field `data`"):
        await client.push.labels.users.get("post-90s", "hx3")


async def test_list_users_follows_the_cursor(client, mock, wire) -> None:
    first = "/push/label/post-90s/user?limit=1"
    second = "/push/label/post-90s/user?cursor=ZWFz&limit=1"
    user = {"username": "hx1", "created": 1648721496324}
    mock.get(wire.url(first), payload={"cursor": "ZWFz", "data": [user]})
    mock.get(wire.url(second), payload={"data": [{**user, "username": "hx2"}]})

    users = [u async for u in client.push.labels.users.list("post-90s", page_size=1)]

    assert [u.username for u in users] == ["hx1", "hx2"]
    assert wire.sent() == {("GET", wire.url(first)): 1, ("GET", wire.url(second)): 1}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: c.push.labels.create(""), "name must be"),
        (lambda c: c.push.labels.create("x" * 65), "name must be"),
        (lambda c: c.push.labels.create("no spaces"), "name must be"),
        (lambda c: c.push.labels.create("ok", description="d" * 256), "255"),
        (lambda c: c.push.labels.get("a/b"), "label must be"),
        (lambda c: c.push.labels.delete(""), "label must be"),
        (lambda c: c.push.labels.users.get("ok", "no one"), "username must be"),
        (lambda c: c.push.labels.users.add_many("", ["a"]), "label must be"),
    ],
)
async def test_bad_label_arguments_send_nothing(client, wire, call, match) -> None:
    with pytest.raises(ValueError, match=match):
        await call(client)
    assert wire.sent() == {}


async def test_bad_list_arguments_send_nothing(client, wire) -> None:
    with pytest.raises(ValueError, match="label must be"):
        [u async for u in client.push.labels.users.list("")]
    assert wire.sent() == {}


async def test_a_missing_user_path_is_not_found(client, mock, wire) -> None:
    body = {
        "error": "service_resource_not_found",
        "error_description": "Service resource not found",
    }
    mock.get(wire.url("/push/label/a/user/b"), status=404, payload=body)
    with pytest.raises(NotFoundError):
        await client.push.labels.users.get("a", "b")


# -- chat room broadcasts and priorities -------------------------------------------------------

BROADCAST = {
    "path": "/messages/chatrooms/broadcast",
    "action": "post",
    "data": {"id": 1173998498812376874},
    "duration": 1,
}


async def test_broadcast_posts_msg_and_answers_the_id_exactly(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatrooms/broadcast"), payload=BROADCAST)

    broadcast_id = await client.messages.broadcast_to_chatrooms(
        {"type": "txt", "msg": "send broadcast to all chatroom"},
        from_="admin",
        ext={"extKey": "extValue"},
        chatroom_msg_level="low",
    )

    body = {
        "msg": {"type": "txt", "msg": "send broadcast to all chatroom"},
        "from": "admin",
        "ext": {"extKey": "extValue"},
        "chatroom_msg_level": "low",
    }
    wire.only("POST", "/messages/chatrooms/broadcast", body=body)
    assert broadcast_id == 1173998498812376874


async def test_broadcast_sends_only_what_was_passed(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatrooms/broadcast"), payload=BROADCAST)
    await client.messages.broadcast_to_chatrooms({"type": "cmd", "action": "a1"})
    wire.only(
        "POST", "/messages/chatrooms/broadcast", body={"msg": {"type": "cmd", "action": "a1"}}
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"message": {"msg": "no type"}}, "with a type"),
        ({"message": {"type": "text", "msg": "x"}}, "with a type"),
        ({"message": {"type": "txt"}}, "content fields"),
        ({"message": {"type": "txt", "msg": "x" * 5200}}, "5 KB"),
        ({"ext": {"k": "y" * 5200}}, "5 KB"),
        ({"from_": ""}, "non-empty value"),
        ({"chatroom_msg_level": "urgent"}, "must be one of high, low, normal"),
    ],
)
async def test_bad_broadcasts_send_nothing(client, wire, kwargs, match) -> None:
    args = {"message": {"type": "txt", "msg": "hi"}, **kwargs}
    message = args.pop("message")
    with pytest.raises(ValueError, match=match):
        await client.messages.broadcast_to_chatrooms(message, **args)
    assert wire.sent() == {}


async def test_a_broadcast_counts_its_content_as_a_send_counts_body(client, mock, wire) -> None:
    # 5 KB for the fields besides "type" (a send's body) and ext: {"msg":"x..."} is 10 + n
    message = {"type": "txt", "msg": "x" * (5120 - 10)}
    mock.post(wire.url("/messages/chatrooms/broadcast"), payload=BROADCAST)
    await client.messages.broadcast_to_chatrooms(message)
    wire.only("POST", "/messages/chatrooms/broadcast", body={"msg": message})

    with pytest.raises(ValueError, match="5 KB"):
        await client.messages.broadcast_to_chatrooms({**message, "msg": "x" * 5111})
    with pytest.raises(ValueError, match="5 KB"):  # ext {"k":"y"} takes 9: 5112 + 9
        await client.messages.broadcast_to_chatrooms(
            {"type": "txt", "msg": "x" * (5120 - 10 - 8)}, ext={"k": "y"}
        )
    assert len(wire.sent()) == 1


async def test_chat_room_sends_may_set_a_priority(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatrooms"), payload={"data": {"42": "1029"}})

    ids = await client.messages.send(
        "chatrooms", to=["42"], type="txt", body={"msg": "hi"}, chatroom_msg_level="high"
    )

    body = {"to": ["42"], "type": "txt", "body": {"msg": "hi"}, "chatroom_msg_level": "high"}
    wire.only("POST", "/messages/chatrooms", body=body)
    assert ids == {"42": "1029"}


@pytest.mark.parametrize(
    ("target_type", "level", "match"),
    [
        ("users", "high", "priorities are for chatrooms"),
        ("chatgroups", "low", "priorities are for chatrooms"),
        ("chatrooms", "urgent", "must be one of"),
    ],
)
async def test_a_priority_is_for_chat_rooms_only(client, wire, target_type, level, match) -> None:
    with pytest.raises(ValueError, match=match):
        await client.messages.send(
            target_type, to=["x"], type="txt", body={"msg": "hi"}, chatroom_msg_level=level
        )
    assert wire.sent() == {}


def test_documented_limits() -> None:
    from agora_chat_async._spec import BY_NAME

    labels = {e.limit_key for n, e in BY_NAME.items() if n.startswith("push.labels.")}
    assert labels == {"push labels"}  # "the total rate limit of the following methods"
    assert {BY_NAME[n].rate for n in BY_NAME if n.startswith("push.labels.")} == {100.0}
    rates = {
        n: BY_NAME[n].rate
        for n in ("push.send", "push.send_sync", "push.send_by_labels", "push.send_to_all")
    }
    assert rates == {
        "push.send": 20.0,
        "push.send_sync": 1.0,
        "push.send_by_labels": 20.0,
        "push.send_to_all": 5 / 60,
    }
    assert BY_NAME["messages.broadcast_to_chatrooms"].rate == 10 / 60
    assert not BY_NAME["push.send"].safe_to_retry
    assert BY_NAME["push.labels.users.add_many"].safe_to_retry
