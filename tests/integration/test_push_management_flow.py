"""Push notifications the server sends, push labels, and chat room broadcasts against the
emulator: the typed client end to end, the semantics and the refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from agora_chat_async import BadRequestError, PermissionDeniedError
from agora_chat_async.models.push_management import LabelUser
from tests.integration._helpers import agora_error, ok, register

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer
    from tests.integration._helpers import Clock, Raw

MESSAGE = {"title": "Agora push", "content": "Hello and welcome"}


@pytest.fixture
async def client(emulator: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    # push.send_to_all paces at 5/min, broadcasts at 10/min: not what these tests time
    async with emulator.client(rate_limits=False) as c:
        yield c


def _in(clock: Clock, seconds: float) -> str:
    """The emulator's time ``seconds`` from now, as ``startDate`` (UTC)."""
    return datetime.fromtimestamp(clock() + seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


# -- labels -------------------------------------------------------------------------------


async def test_a_label_lives_and_dies(client: AgoraChatClient, clock: Clock) -> None:
    clock.freeze()
    made = await client.push.labels.create("Post-90s", description="born 1990-1999")
    assert (made.name, made.description, made.count) == ("Post-90s", "born 1990-1999", None)
    assert made.created_at == int(clock() * 1000)

    got = await client.push.labels.get("post-90S")  # names compare case-insensitively
    assert (got.name, got.count, got.created_at) == ("Post-90s", 0, made.created_at)
    assert [label.name async for label in client.push.labels.list()] == ["Post-90s"]

    assert await client.push.labels.delete("POST-90s") is True
    with pytest.raises(BadRequestError) as caught:
        await client.push.labels.get("post-90s")
    assert (caught.value.error, caught.value.description) == (
        "illegal_argument",
        "push label not exists of post-90s",
    )
    assert [label async for label in client.push.labels.list()] == []


async def test_labels_list_newest_first_across_pages(client: AgoraChatClient) -> None:
    for name in ("a", "b", "c", "d", "e"):
        await client.push.labels.create(name)
    pager = client.push.labels.list(page_size=2)
    pages = [[label.name for label in page.items] async for page in pager.pages()]
    assert pages == [["e", "d"], ["c", "b"], ["a"]]

    # a cursor names where the next page starts: changes between pages skip nobody
    seen: list[str] = []
    async for label in client.push.labels.list(page_size=2):
        seen.append(label.name)
        if label.name == "d":
            await client.push.labels.delete("e")
            await client.push.labels.create("f")
    assert seen == ["e", "d", "c", "b", "a"]


async def test_a_name_in_use_and_the_101st_label_are_refused(raw: Raw) -> None:
    await ok(raw, "POST", "/push/label", {"name": "vip"})
    again = await raw("POST", "/push/label", json={"name": "VIP", "description": "x"})
    agora_error(again, 400, "illegal_argument", "push label VIP already exists")
    for i in range(99):
        await ok(raw, "POST", "/push/label", {"name": f"l{i}"})
    over = await raw("POST", "/push/label", json={"name": "one-too-many"})
    agora_error(over, 403, "forbidden_op", "limit request")
    assert over.body["exception"] == "LimitException"
    await ok(raw, "DELETE", "/push/label/l0")
    await ok(raw, "POST", "/push/label", {"name": "one-too-many"})


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({"description": "no name"}, "push label name None is not legal"),
        ({"name": "a b"}, "push label name 'a b' is not legal"),
        ({"name": "x" * 65}, f"push label name '{'x' * 65}' is not legal"),
        (
            {"name": "ok", "description": "d" * 256},
            "description must be a string of at most 255 characters",
        ),
    ],
)
async def test_bad_labels_are_refused(raw: Raw, body: object, description: str) -> None:
    response = await raw("POST", "/push/label", json=body)
    agora_error(response, 400, "illegal_argument", description)
    assert (await ok(raw, "GET", "/push/label"))["data"] == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/push/label/gone", None),
        ("DELETE", "/push/label/gone", None),
        ("POST", "/push/label/gone/user", {"usernames": ["alice"]}),
        ("GET", "/push/label/gone/user", None),
        ("GET", "/push/label/gone/user/alice", None),
        ("DELETE", "/push/label/gone/user", {"usernames": ["alice"]}),
    ],
)
async def test_every_call_on_a_missing_label_is_refused(
    raw: Raw, method: str, path: str, body: object
) -> None:
    response = await raw(method, path, json=body)
    agora_error(response, 400, "illegal_argument", "push label not exists of gone")


async def test_users_get_and_lose_a_label(client: AgoraChatClient, raw: Raw, clock: Clock) -> None:
    await register(raw, "alice", "bob", "carl")
    await client.push.labels.create("fans")
    clock.freeze()
    added = await client.push.labels.users.add_many("fans", ["alice", "BOB", "ghost"])
    assert added.succeeded == ["alice", "BOB"]
    assert [(f.item, f.reason) for f in added.failed] == [("ghost", "appUser not exists")]
    first = int(clock() * 1000)

    clock.offset += 60  # adding again succeeds and keeps the time the label was given
    again = await client.push.labels.users.add_many("fans", ["alice", "carl"])
    assert again.ok
    assert await client.push.labels.users.get("fans", "ALICE") == LabelUser(
        username="alice", created=first
    )
    assert (await client.push.labels.get("fans")).count == 3
    users = [(u.username, u.created) async for u in client.push.labels.users.list("fans")]
    assert users == [("carl", int(clock() * 1000)), ("bob", first), ("alice", first)]

    removed = await client.push.labels.users.remove_many("fans", ["bob", "bob", "dave"])
    assert removed.succeeded == ["bob"]
    assert [(f.item, f.reason) for f in removed.failed] == [
        ("bob", "user not in push label"),
        ("dave", "user not in push label"),
    ]
    assert await client.push.labels.users.get("fans", "bob") is None
    assert (await client.push.labels.get("fans")).count == 2


async def test_a_user_missing_from_a_label_answers_no_fields(raw: Raw) -> None:
    await ok(raw, "POST", "/push/label", {"name": "fans"})
    answer = await ok(raw, "GET", "/push/label/fans/user/nobody")
    assert answer["data"] == {}


async def test_label_users_page_with_a_stable_cursor(client: AgoraChatClient, raw: Raw) -> None:
    names = [f"u{i}" for i in range(7)]
    await register(raw, *names)
    await client.push.labels.create("fans")
    assert (await client.push.labels.users.add_many("fans", names)).ok
    seen: list[str] = []
    async for user in client.push.labels.users.list("fans", page_size=3):
        seen.append(user.username)
        if user.username == "u4":
            await client.push.labels.users.remove_many("fans", ["u6", "u3"])
    assert seen == ["u6", "u5", "u4", "u2", "u1", "u0"]


async def test_deleting_a_user_takes_its_labels_away(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "alice", "bob")
    for name in ("a", "b"):
        await client.push.labels.create(name)
        await client.push.labels.users.add_many(name, ["alice", "bob"])
    await client.users.delete("alice")
    for name in ("a", "b"):
        assert [u.username async for u in client.push.labels.users.list(name)] == ["bob"]
        assert (await client.push.labels.get(name)).count == 1
    await register(raw, "alice")  # a new alice has no labels
    assert await client.push.labels.users.get("a", "alice") is None


async def test_a_label_holds_at_most_20000_users(
    client: AgoraChatClient, raw: Raw, emulator: EmulatorServer
) -> None:
    await client.push.labels.create("big")
    names = [f"u{i}" for i in range(20_001)]
    for name in names:
        emulator.state.add_user(name)
    result = await client.push.labels.users.add_many("big", names, concurrency=16)
    assert len(result.succeeded) == 20_000
    assert [(f.item, f.reason) for f in result.failed] == [("u20000", "limit request")]
    assert (await client.push.labels.get("big")).count == 20_000


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({"usernames": []}, "usernames takes 1 to 100 user ids"),
        ({"usernames": [f"u{i}" for i in range(101)]}, "usernames takes 1 to 100 user ids"),
        ({"usernames": "alice"}, "usernames must be a list of user ids"),
        ({}, "usernames must be a list of user ids"),
    ],
)
async def test_bad_user_lists_are_refused(raw: Raw, body: object, description: str) -> None:
    await ok(raw, "POST", "/push/label", {"name": "fans"})
    for method in ("POST", "DELETE"):
        response = await raw(method, "/push/label/fans/user", json=body)
        agora_error(response, 400, "illegal_argument", description)


# -- sending ------------------------------------------------------------------------------


async def test_an_asynchronous_push_accepts_existing_users(
    client: AgoraChatClient, raw: Raw
) -> None:
    await register(raw, "alice")
    results = await client.push.send(["alice", "ghost"], message=MESSAGE, strategy=1)
    assert [(r.id, r.push_status, r.desc) for r in results] == [
        ("alice", "ASYNC_SUCCESS", "async success."),
        ("ghost", "FAIL", "appUser not exists"),
    ]


@pytest.mark.parametrize(
    ("strategy", "online", "status", "desc"),
    [
        (None, True, "FAIL", "no push binding"),  # 2, the default: third-party only
        (2, True, "FAIL", "no push binding"),
        (0, True, "SUCCESS", None),  # third-party fails, Agora's reaches the user
        (0, False, "FAIL", "user offline"),
        (1, True, "SUCCESS", None),
        (1, False, "FAIL", "user offline"),
        (3, True, "SUCCESS", None),
        (3, False, "FAIL", "no push binding"),  # Agora's first, then third-party
        (4, True, "SUCCESS", None),
        (4, False, "FAIL", "user offline"),
    ],
)
async def test_a_synchronous_push_reports_what_happened(
    client: AgoraChatClient,
    raw: Raw,
    emulator: EmulatorServer,
    strategy: int | None,
    online: bool,
    status: str,
    desc: str | None,
) -> None:
    await register(raw, "alice")
    if online:
        emulator.state.set_online("alice")
    options = {} if strategy is None else {"strategy": strategy}
    result = await client.push.send_sync("alice", message=MESSAGE, **options)
    assert (result.push_status, result.desc) == (status, desc)
    if status == "SUCCESS":
        assert result.data is not None
        assert (result.data["code"], result.data["message"]) == (200, "Success")
        assert result.data["data"]["sendResult"] is True
        other = await client.push.send_sync("alice", message=MESSAGE, **options)
        assert other.data is not None
        assert other.data["data"]["requestId"] != result.data["data"]["requestId"]
    else:
        assert result.data is None


async def test_a_synchronous_push_to_nobody_fails(client: AgoraChatClient) -> None:
    for strategy in (0, 1, 2, 3, 4):
        result = await client.push.send_sync("ghost", message=MESSAGE, strategy=strategy)
        assert (result.push_status, result.desc) == ("FAIL", "appUser not exists")


async def test_tasks_get_increasing_ids(client: AgoraChatClient) -> None:
    await client.push.labels.create("fans")
    first = await client.push.send_to_all(message=MESSAGE)
    second = await client.push.send_by_labels(["FANS"], message=MESSAGE, strategy=1)
    third = await client.push.send_to_all(message=MESSAGE)
    assert first < second < third
    assert all(isinstance(task, int) for task in (first, second, third))


async def test_at_most_three_tasks_wait(client: AgoraChatClient, clock: Clock) -> None:
    await client.push.labels.create("fans")
    # Three hours ago (moving the clock back keeps the client's tokens valid on it):
    # two tasks that have started by now and one that starts in half an hour.
    clock.offset = -3 * 3600
    for _ in range(2):
        await client.push.send_to_all(message=MESSAGE, start_date=_in(clock, 2 * 3600))
    await client.push.send_by_labels(["fans"], message=MESSAGE, start_date=_in(clock, 3.5 * 3600))
    with pytest.raises(PermissionDeniedError) as caught:
        await client.push.send_to_all(message=MESSAGE)  # one starting now is refused too
    assert (caught.value.error, caught.value.description) == ("forbidden_op", "limit request")

    clock.offset = 0  # the first two have started: one waits
    await client.push.send_to_all(message=MESSAGE, start_date=_in(clock, 2 * 3600))
    for _ in range(3):
        await client.push.send_to_all(message=MESSAGE)  # runs at once: nothing waits
    await client.push.send_to_all(message=MESSAGE, start_date=_in(clock, 2 * 3600))
    with pytest.raises(PermissionDeniedError):
        await client.push.send_to_all(message=MESSAGE, start_date=_in(clock, 2 * 3600))


@pytest.mark.parametrize("seconds", [3599, 30 * 86400 + 1, -60])
async def test_a_start_outside_the_window_is_refused(
    client: AgoraChatClient, clock: Clock, seconds: int
) -> None:
    clock.freeze()
    with pytest.raises(BadRequestError) as caught:
        await client.push.send_to_all(message=MESSAGE, start_date=_in(clock, seconds))
    assert caught.value.description == "startDate must be 1 hour to 30 days from now"


async def test_a_start_on_the_window_edges_is_taken(client: AgoraChatClient, clock: Clock) -> None:
    clock.frozen_at = float(int(clock()))  # a whole second, as startDate is written
    await client.push.send_to_all(message=MESSAGE, start_date=_in(clock, 3600))
    await client.push.send_to_all(message=MESSAGE, start_date=_in(clock, 30 * 86400))


async def test_a_push_by_a_missing_label_is_refused(client: AgoraChatClient) -> None:
    await client.push.labels.create("fans")
    with pytest.raises(BadRequestError) as caught:
        await client.push.send_by_labels(["fans", "gone"], message=MESSAGE)
    assert caught.value.description == "push label not exists of gone"


@pytest.mark.parametrize(
    ("path", "body", "description"),
    [
        (
            "/push/single",
            {"targets": ["a"]},
            "pushMessage must be a non-empty mapping (title, content ...)",
        ),
        (
            "/push/single",
            {"targets": ["a"], "pushMessage": {"title": "t" * 33}},
            "pushMessage title must be a string of at most 32 characters",
        ),
        (
            "/push/sync/a",
            {"pushMessage": {"ext": {str(i): "v" for i in range(11)}}},
            "pushMessage ext must be a mapping of at most 10 pairs",
        ),
        (
            "/push/task",
            {"pushMessage": MESSAGE, "strategy": 7},
            "strategy must be 0, 1, 2, 3 or 4, got 7",
        ),
        ("/push/single", {"pushMessage": MESSAGE}, "targets must be a list of user ids"),
        (
            "/push/single",
            {"pushMessage": MESSAGE, "targets": [f"u{i}" for i in range(101)]},
            "targets takes 1 to 100 user ids",
        ),
        (
            "/push/list/label",
            {"pushMessage": MESSAGE, "targets": list("abcdef")},
            "targets takes 1 to 5 label names",
        ),
        (
            "/push/task",
            {"pushMessage": MESSAGE, "startDate": "tomorrow"},
            "startDate must be yyyy-MM-dd HH:mm:ss, got 'tomorrow'",
        ),
        (
            "/push/sync/a",
            {"pushMessage": MESSAGE, "strategy": True},
            "strategy must be 0, 1, 2, 3 or 4, got True",
        ),
        (
            "/push/single",
            {"pushMessage": MESSAGE, "targets": ["a", ""]},
            "targets must be a list of user ids",
        ),
        (
            "/push/list/label",
            {"pushMessage": MESSAGE, "targets": "fans"},
            "targets must be a list of label names",
        ),
    ],
)
async def test_bad_pushes_are_refused(raw: Raw, path: str, body: object, description: str) -> None:
    response = await raw("POST", path, json=body)
    agora_error(response, 400, "illegal_argument", description)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/push/sync/a"),
        ("POST", "/push/single"),
        ("POST", "/push/list/label"),
        ("POST", "/push/task"),
        ("POST", "/push/label"),
        ("POST", "/push/label/fans/user"),
        ("DELETE", "/push/label/fans/user"),
    ],
)
async def test_push_bodies_must_be_objects(raw: Raw, method: str, path: str) -> None:
    await ok(raw, "POST", "/push/label", {"name": "fans"})
    response = await raw(method, path, json=[MESSAGE])
    agora_error(
        response,
        400,
        "invalid_request_body",
        "Request body is invalid. Please check body is correct.",
    )
    labels = (await ok(raw, "GET", "/push/label"))["data"]
    assert [(label["name"], label["count"]) for label in labels] == [("fans", 0)]  # unchanged


# -- chat room broadcasts -----------------------------------------------------------------


async def test_a_broadcast_reaches_the_active_rooms(
    client: AgoraChatClient, raw: Raw, emulator: EmulatorServer
) -> None:
    await register(raw, "owner")
    quiet = await client.chatrooms.create(name="quiet", description="d", owner="owner")
    busy = await client.chatrooms.create(name="busy", description="d", owner="owner")
    await client.messages.send(
        "chatrooms", to=[busy], type="txt", body={"msg": "hi"}, chatroom_msg_level="low"
    )
    before = set(emulator.state.sent)

    first = await client.messages.broadcast_to_chatrooms(
        {"type": "txt", "msg": "to all"}, from_="owner", ext={"k": "v"}, chatroom_msg_level="high"
    )

    new = [emulator.state.sent[m] for m in emulator.state.sent if m not in before]
    assert [(m.to, m.sender, m.chat_type, m.type, m.body, m.ext) for m in new] == [
        (busy, "owner", "chatroom", "txt", {"msg": "to all"}, {"k": "v"})
    ]
    assert quiet not in {m.to for m in emulator.state.sent.values()}
    second = await client.messages.broadcast_to_chatrooms({"type": "cmd", "action": "a"})
    assert isinstance(first, int)
    assert second > first
    last = list(emulator.state.sent.values())[-1]
    assert (last.to, last.sender, last.body) == (busy, "admin", {"action": "a"})


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({"msg": {"type": "txt", "msg": "x"}, "from": ""}, "param from can't be empty"),
        ({"msg": {"type": "txt"}}, "param msg can't be empty"),
        ({"from": "admin"}, "param msg can't be empty"),
        ({"msg": {"type": "text", "msg": "x"}}, "param type can't be empty"),
        ({"msg": {"type": "txt", "msg": "x"}, "ext": "k=v"}, "param ext must be JSONObject"),
        (
            {"msg": {"type": "txt", "msg": "x"}, "chatroom_msg_level": "urgent"},
            "param chatroom_msg_level must be high, normal or low",
        ),
        ({"msg": {"type": "txt", "msg": "x" * 5200}}, "message is too large"),
    ],
)
async def test_bad_broadcasts_are_refused(raw: Raw, body: object, description: str) -> None:
    response = await raw("POST", "/messages/chatrooms/broadcast", json=body)
    agora_error(response, 400, "message_send_error", description)


async def test_rooms_silent_for_7_days_are_not_active(
    client: AgoraChatClient, raw: Raw, emulator: EmulatorServer, clock: Clock
) -> None:
    await register(raw, "owner")
    old = await client.chatrooms.create(name="old", description="d", owner="owner")
    recent = await client.chatrooms.create(name="recent", description="d", owner="owner")
    clock.offset = -8 * 86400  # the last message in "old" was sent 8 days ago
    await client.messages.send("chatrooms", to=[old], type="txt", body={"msg": "hi"})
    clock.offset = -6 * 86400
    await client.messages.send("chatrooms", to=[recent], type="txt", body={"msg": "hi"})
    clock.offset = 0
    before = set(emulator.state.sent)

    await client.messages.broadcast_to_chatrooms({"type": "txt", "msg": "to all"})

    assert [m.to for k, m in emulator.state.sent.items() if k not in before] == [recent]


async def test_broadcast_size_is_counted_as_the_client_counts(
    client: AgoraChatClient, raw: Raw, emulator: EmulatorServer
) -> None:
    await register(raw, "owner")
    room = await client.chatrooms.create(name="r", description="d", owner="owner")
    await client.messages.send("chatrooms", to=[room], type="txt", body={"msg": "hi"})
    # 5 KB of content besides "type" ({"msg":"x..."}: 10 + n bytes), ext only if given
    await client.messages.broadcast_to_chatrooms({"type": "txt", "msg": "x" * 5110})
    at_limit = {"type": "txt", "msg": "x" * 5101}
    await client.messages.broadcast_to_chatrooms(at_limit, ext={"k": "y"})  # 5111 + 9
    assert [len(m.body["msg"]) for m in list(emulator.state.sent.values())[-2:]] == [5110, 5101]

    for body in (
        {"msg": {"type": "txt", "msg": "x" * 5111}},
        {"msg": {**at_limit, "msg": "x" * 5102}, "ext": {"k": "y"}},
    ):
        response = await raw("POST", "/messages/chatrooms/broadcast", json=body)
        agora_error(response, 400, "message_send_error", "message is too large")


async def test_a_broadcast_ext_cannot_be_null(raw: Raw) -> None:
    body = {"msg": {"type": "txt", "msg": "x"}, "ext": None}  # the page: "It cannot be null"
    response = await raw("POST", "/messages/chatrooms/broadcast", json=body)
    agora_error(response, 400, "message_send_error", "param ext must be JSONObject")


async def test_a_broadcast_body_must_be_an_object(raw: Raw) -> None:
    response = await raw("POST", "/messages/chatrooms/broadcast", json=["txt"])
    agora_error(
        response,
        400,
        "invalid_request_body",
        "Request body is invalid. Please check body is correct.",
    )
