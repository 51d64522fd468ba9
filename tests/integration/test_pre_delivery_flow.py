"""Messages a client sends (``/__emulator/user_messages``) and the pre-delivery rule:
pass, reject, rewrite, and the fallback for late or malformed answers; the control
paths for the callback settings and the messages a user has."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async.emulator import EmulatorServer
from tests.integration._helpers import agora_error, raw_requests
from tests.integration._receiver import APPKEY, SECRET, Receiver, signed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw

#: Agora's pre-delivery request example.
PRE_DELIVERY_KEYS = [
    "callId",
    "timestamp",
    "chat_type",
    "group_id",
    "from",
    "to",
    "msg_id",
    "payload",
    "securityVersion",
    "security",
]


@pytest.fixture
async def hook() -> AsyncIterator[Receiver]:
    """The post-delivery receiver."""
    async with Receiver() as r:
        yield r


@pytest.fixture
async def rule() -> AsyncIterator[Receiver]:
    """The pre-delivery server; passes everything until a test says otherwise."""
    async with Receiver() as r:
        r.reply = lambda _: '{"valid": true}'
        yield r


@pytest.fixture
async def server(hook: Receiver, rule: Receiver) -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(
        callback_url=hook.url, callback_secret=SECRET, pre_delivery_url=rule.url
    ) as s:
        yield s


@pytest.fixture
async def client(server: EmulatorServer) -> AsyncIterator[AgoraChatClient]:
    async with server.client() as c:
        await c.users.register_many(["alice", "bob"])
        yield c


@pytest.fixture
async def raw(server: EmulatorServer) -> AsyncIterator[Raw]:
    async with raw_requests(server) as r:
        yield r


async def _say(raw: Raw, text: str, **fields: Any) -> Any:
    message = {"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": text}, **fields}
    response = await raw("POST", "/__emulator/user_messages", json=message)
    assert response.status == 200, response.body
    return response.body


async def test_a_passed_message_is_asked_about_stored_and_post_delivered(
    server: EmulatorServer, client: AgoraChatClient, raw: Raw, hook: Receiver, rule: Receiver
) -> None:
    answer = await _say(raw, "hello", ext={"k": 1})
    assert answer == {"msg_id": answer["msg_id"], "delivered": True}
    msg_id = answer["msg_id"]

    [asked] = rule.bodies
    assert list(asked) == [k for k in PRE_DELIVERY_KEYS if k != "group_id"]
    assert asked["callId"].startswith(f"{APPKEY}_")
    assert signed(asked)
    assert (asked["chat_type"], asked["from"], asked["to"], asked["msg_id"]) == (
        "chat",
        "alice",
        "bob",
        msg_id,
    )
    assert asked["payload"] == {"ext": {"k": 1}, "bodies": [{"msg": "hello", "type": "txt"}]}
    assert asked["securityVersion"] == "1.0.0"

    await server.flush_callbacks()
    assert [(b["eventType"], b["msg_id"]) for b in hook.bodies] == [
        ("chat", msg_id),
        ("chat_offline", msg_id),  # bob is not online
    ]
    [kept] = server.messages_for("bob")
    assert kept == {
        "msg_id": msg_id,
        "from": "alice",
        "to": "bob",
        "chat_type": "chat",
        "type": "txt",
        "body": {"msg": "hello"},
        "ext": {"k": 1},
        "timestamp": asked["timestamp"],
    }
    assert server.messages_for("alice") == [kept]
    listed = await raw("GET", "/__emulator/messages", params={"user": "BOB"})
    assert listed.body == {"messages": [kept]}
    assert await client.users.offline_message_count("bob") == 1


async def test_a_rejected_message_is_neither_stored_nor_delivered(
    server: EmulatorServer, client: AgoraChatClient, raw: Raw, hook: Receiver, rule: Receiver
) -> None:
    rule.reply = lambda body: json.dumps(
        {"valid": "banned" not in body["payload"]["bodies"][0]["msg"], "code": "HX:10000"}
    )
    assert await _say(raw, "a banned word") == {"delivered": False, "code": "HX:10000"}
    assert (await _say(raw, "fine"))["delivered"] is True
    await server.flush_callbacks()
    assert [m["body"]["msg"] for m in server.messages_for("bob")] == ["fine"]
    assert {b["payload"]["bodies"][0]["msg"] for b in hook.bodies} == {"fine"}
    assert await client.users.offline_message_count("bob") == 1
    counters = server.emulator.callbacks.pre_counters
    assert (counters["passed"], counters["rejected"]) == (1, 1)


async def test_a_rejection_without_a_code_reports_the_documented_default(
    raw: Raw, rule: Receiver, client: AgoraChatClient
) -> None:
    rule.reply = lambda _: '{"valid": false}'
    assert await _say(raw, "x") == {"delivered": False, "code": "custom logic denied"}


async def test_a_modified_payload_is_what_is_stored_and_post_delivered(
    server: EmulatorServer, client: AgoraChatClient, raw: Raw, hook: Receiver, rule: Receiver
) -> None:
    clean = {"ext": {"moderated": True}, "bodies": [{"type": "txt", "msg": "a *** word"}]}
    rule.reply = lambda _: json.dumps({"valid": True, "payload": clean})
    answer = await _say(raw, "a bad word", ext={"k": 1})
    assert answer["delivered"] is True
    await server.flush_callbacks()
    [kept] = server.messages_for("bob")
    assert (kept["body"], kept["ext"]) == ({"msg": "a *** word"}, {"moderated": True})
    assert hook.bodies[0]["payload"] == {
        "ext": {"moderated": True},
        "bodies": [{"msg": "a *** word", "type": "txt"}],
    }
    assert server.emulator.callbacks.pre_counters["modified"] == 1


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(("slow", '{"valid": false}'), id="slow"),
        pytest.param((500, '{"valid": false}'), id="status-500"),
        pytest.param((200, "not json"), id="not-json"),
        pytest.param((200, '{"code": "x"}'), id="valid-missing"),
        pytest.param((200, '{"valid": "false"}'), id="valid-not-a-bool"),
        pytest.param((200, '{"valid": false, "code": 7}'), id="code-not-a-string"),
        pytest.param((200, json.dumps({"valid": False, "code": "x" * 1000})), id="over-1000"),
        pytest.param((200, '{"valid": true, "payload": {"bodies": "x"}}'), id="bad-payload"),
        pytest.param(
            (200, '{"valid": true, "payload": {"bodies": [{"type": "img", "url": "u"}]}}'),
            id="payload-not-text",
        ),
        pytest.param(("closed", ""), id="unreachable"),
    ],
)
@pytest.mark.parametrize("fallback", ["pass", "reject"])
async def test_bad_or_late_answers_take_the_fallback(
    reply: tuple[Any, str],
    fallback: str,
    server: EmulatorServer,
    client: AgoraChatClient,
    raw: Raw,
    rule: Receiver,
) -> None:
    kind, text = reply
    server.configure_callbacks(pre_delivery_fallback=fallback)  # type: ignore[arg-type]
    if kind == "slow":
        rule.delay = 0.5  # past the default 200 ms
    elif kind == "closed":
        server.configure_callbacks(pre_delivery_url="http://127.0.0.1:9/closed")
    else:
        rule.status = kind
    rule.reply = lambda _: text
    answer = await _say(raw, "hi")
    if fallback == "pass":
        assert answer["delivered"] is True
        assert len(server.messages_for("bob")) == 1
    else:
        assert answer == {"delivered": False, "code": "custom internal error"}
        assert server.messages_for("bob") == []
    assert server.emulator.callbacks.pre_counters["fallback"] == 1


async def test_the_timeout_is_configurable(
    server: EmulatorServer, client: AgoraChatClient, raw: Raw, rule: Receiver
) -> None:
    rule.delay = 0.3
    rule.reply = lambda _: '{"valid": false}'
    server.configure_callbacks(pre_delivery_timeout=2.0)
    assert (await _say(raw, "hi"))["delivered"] is False


async def test_rest_sends_are_not_asked(
    server: EmulatorServer, client: AgoraChatClient, rule: Receiver, hook: Receiver
) -> None:
    await client.messages.send("users", from_="alice", to=["bob"], type="txt", body={"msg": "x"})
    await server.flush_callbacks()
    assert rule.bodies == []
    assert len(hook.bodies) == 2


async def test_group_messages_are_asked_about_with_the_group(
    server: EmulatorServer, client: AgoraChatClient, raw: Raw, rule: Receiver
) -> None:
    gid = await client.groups.create(owner="alice", members=["bob"])
    answer = await _say(raw, "hi group", to=[gid], chat_type="chatgroups")
    [asked] = rule.bodies
    assert list(asked) == PRE_DELIVERY_KEYS
    assert (asked["chat_type"], asked["group_id"], asked["to"]) == ("groupchat", gid, gid)
    assert [m["msg_id"] for m in server.messages_for("bob")] == [answer["msg_id"]]


async def test_user_message_refusals(
    server: EmulatorServer, client: AgoraChatClient, raw: Raw, rule: Receiver
) -> None:
    gid = await client.groups.create(owner="alice")
    cases = [
        ({"to": ["bob"]}, 400, "illegal_argument", "from must name the sending user"),
        ({"from": "zed", "to": ["bob"]}, 404, "service_resource_not_found", "user zed not found"),
        (
            {"from": "alice", "to": ["bob", "x"]},
            400,
            "illegal_argument",
            "to must name one recipient (a client sends to one)",
        ),
        (
            {"from": "alice", "to": ["bob"], "chat_type": "x"},
            400,
            "illegal_argument",
            "chat_type must be users, chatgroups or chatrooms",
        ),
        (
            {"from": "bob", "to": [gid], "chat_type": "chatgroups"},
            403,
            "forbidden_op",
            f"user: bob is not a member of group: {gid}",
        ),
        (
            {"from": "bob", "to": ["1"], "chat_type": "chatrooms"},
            404,
            "resource_not_found",
            "grpID 1 does not exist!",
        ),
        (
            {"from": "alice", "to": ["bob"], "body": {"msg": "x" * 6000}},
            400,
            "message_send_error",
            "message is too large",
        ),
    ]
    for fields, status, error, description in cases:
        message = {"type": "txt", "body": {"msg": "x"}, **fields}
        response = await raw("POST", "/__emulator/user_messages", json=message)
        agora_error(response, status, error, description)
    assert rule.bodies == []  # refused before the rule is asked
    await client.global_mutes.set("alice", chat=-1)
    response = await raw(
        "POST",
        "/__emulator/user_messages",
        json={"from": "alice", "to": "bob", "type": "txt", "body": {"msg": "x"}},
    )
    agora_error(response, 403, "forbidden_op", "user: alice is globally muted in chat")


async def test_the_settings_control_path_never_shows_the_secret(
    server: EmulatorServer, raw: Raw, hook: Receiver, rule: Receiver
) -> None:
    got = await raw("GET", "/__emulator/callbacks")
    assert got.status == 200
    assert SECRET not in json.dumps(got.body)
    assert {k: got.body[k] for k in list(got.body)[:7]} == {
        "url": hook.url,
        "secret_set": True,
        "timeout": 5.0,
        "pre_delivery_url": rule.url,
        "pre_delivery_timeout": 0.2,
        "pre_delivery_fallback": "pass",
        "disabled_until": None,
    }
    assert got.body["deliveries"]["delivered"] == 0

    changed = await raw(
        "PUT",
        "/__emulator/callbacks",
        json={"secret": None, "pre_delivery_url": None, "pre_delivery_fallback": "reject"},
    )
    assert changed.status == 200
    assert (changed.body["secret_set"], changed.body["pre_delivery_url"]) == (False, None)
    assert changed.body["pre_delivery_fallback"] == "reject"
    assert changed.body["url"] == hook.url  # untouched
    for body, description in (
        ({"colour": 1}, "unknown callback settings: colour"),
        ({"url": "nope"}, "callback_url must be an http(s) URL or None, got 'nope'"),
        ({"timeout": "1"}, "timeout must be a number of seconds in (0, 60], got '1'"),
        ([], "expected a JSON object"),
    ):
        response = await raw("PUT", "/__emulator/callbacks", json=body)
        agora_error(response, 400, "illegal_argument", description)
    assert (await raw("GET", "/__emulator/messages")).status == 400
