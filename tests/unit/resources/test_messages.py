"""``client.messages.send`` on the wire: body, wire names, checks, and no repeat after send."""

from __future__ import annotations

import json

import aiohttp
import pytest
from aioresponses import CallbackResult

from agora_chat_async import APIConnectionError, RetryPolicy, ServerError

SENT = {"path": "/messages/users", "action": "post", "data": {"bob": "1029457500870543736"}}


async def test_send_puts_every_given_field_on_the_wire(client, mock, wire) -> None:
    mock.post(wire.url("/messages/users"), payload=SENT)

    ids = await client.messages.send(
        "users",
        from_="admin",
        to=["bob"],
        type="txt",
        body={"msg": "hi"},
        ext={"em_ignore_notification": True},
        sync_device=True,
        routetype="ROUTE_ONLINE",
        roam_ignore_users=["carl"],
    )

    wire.only(
        "POST",
        "/messages/users",
        body={
            "to": ["bob"],
            "type": "txt",
            "body": {"msg": "hi"},
            "from": "admin",
            "ext": {"em_ignore_notification": True},
            "sync_device": True,
            "routetype": "ROUTE_ONLINE",
            "roam_ignore_users": ["carl"],
        },
    )
    assert ids == {"bob": "1029457500870543736"}


async def test_unset_options_stay_off_the_wire(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatrooms"), payload={"data": {"42": "1"}})
    await client.messages.send("chatrooms", to=["42"], type="cmd", body={"action": "ping"})
    wire.only(
        "POST",
        "/messages/chatrooms",
        body={"to": ["42"], "type": "cmd", "body": {"action": "ping"}},
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target_type": "people"}, "target_type must be one of"),
        ({"to": []}, "1 to 600"),
        ({"to": ["u"] * 601}, "1 to 600"),
        ({"target_type": "chatgroups", "to": ["1", "2", "3", "4"]}, "at most 3 chatgroups"),
        ({"target_type": "chatrooms", "to": [str(i) for i in range(11)]}, "at most 10"),
        ({"type": "text"}, "type must be one of"),
        ({"body": {}}, "non-empty mapping"),
        ({"from_": ""}, "non-empty value"),
        ({"body": {"msg": "x" * 5200}}, "5 KB"),
        ({"ext": {"k": "y" * 5200}}, "5 KB"),
        ({"need_group_ack": True}, "read receipts are for chatgroups"),
    ],
)
async def test_bad_messages_are_refused_before_sending(client, mock, kwargs, message) -> None:
    args = {"target_type": "users", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}}
    args.update(kwargs)
    target_type = args.pop("target_type")
    with pytest.raises(ValueError, match=message):
        await client.messages.send(target_type, **args)
    assert mock.requests == {}


async def test_group_sends_may_ask_for_read_receipts(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatgroups"), payload={"data": {"g1": "1029"}})

    ids = await client.messages.send(
        "chatgroups", to=["g1"], type="txt", body={"msg": "hi"}, need_group_ack=True
    )

    body = {"to": ["g1"], "type": "txt", "body": {"msg": "hi"}, "need_group_ack": True}
    wire.only("POST", "/messages/chatgroups", body=body)
    assert ids == {"g1": "1029"}


async def test_a_send_is_never_repeated_once_it_may_have_reached_the_server(
    client, mock, wire
) -> None:
    eager = client.with_options(retry=RetryPolicy(max_retries=3, backoff_base=0, backoff_max=0))
    mock.post(wire.url("/messages/users"), status=503)
    with pytest.raises(ServerError):
        await eager.messages.send("users", to=["bob"], type="txt", body={"msg": "1"})
    assert wire.sent() == {("POST", wire.url("/messages/users")): 1}

    mock.post(wire.url("/messages/users"), exception=aiohttp.ServerDisconnectedError())
    with pytest.raises(APIConnectionError) as dropped:
        await eager.messages.send("users", to=["bob"], type="txt", body={"msg": "2"})
    assert dropped.value.sent is True
    assert wire.sent() == {("POST", wire.url("/messages/users")): 2}


async def test_a_refused_send_is_repeated(client, mock, wire) -> None:
    eager = client.with_options(retry=RetryPolicy(max_retries=3, backoff_base=0, backoff_max=0))
    limited = {"error": "reach_limit", "error_description": "This request has reached API limit."}
    mock.post(
        wire.url("/messages/users"), status=429, payload=limited, headers={"Retry-After": "0"}
    )
    mock.post(
        wire.url("/messages/users"),
        exception=aiohttp.ClientConnectorError(None, OSError(111, "refused")),  # type: ignore[arg-type]
    )
    mock.post(wire.url("/messages/users"), payload=SENT)
    assert await eager.messages.send("users", to=["bob"], type="txt", body={"msg": "hi"}) == {
        "bob": "1029457500870543736"
    }
    assert wire.sent() == {("POST", wire.url("/messages/users")): 3}


async def test_send_many_spreads_recipients_600_per_call(client, mock, wire) -> None:
    def answer(url, **kwargs):
        to = json.loads(kwargs["data"])["to"]
        ids = {name: str(1000 + i) for i, name in enumerate(to) if name != "u0007"}
        return CallbackResult(payload={"data": ids})

    mock.post(wire.url("/messages/users"), callback=answer, repeat=True)
    names = [f"u{i:04d}" for i in range(1300)]

    result = await client.messages.send_many(
        [*names, "bad name"], type="txt", body={"msg": "hi"}, from_="admin", concurrency=1
    )

    calls = wire.calls("POST", "/messages/users")
    bodies = [wire.body(call) for call in calls]
    assert [len(b["to"]) for b in bodies] == [600, 600, 100]
    assert [b["to"] for b in bodies] == [names[:600], names[600:1200], names[1200:]]
    for call, body in zip(calls, bodies, strict=True):
        wire.check(call, body={**body, "type": "txt", "body": {"msg": "hi"}, "from": "admin"})
    assert len(result.succeeded) == 1299
    assert result.succeeded[0] == ("u0000", "1000")
    assert [(f.item, f.reason) for f in result.failed] == [
        ("u0007", "the server returned no message id for this user")
    ]
    assert [f.item for f in result.skipped] == ["bad name"]
    assert result.total == 1301


async def test_send_many_checks_the_message_before_sending(client, mock) -> None:
    with pytest.raises(ValueError, match="type must be one of"):
        await client.messages.send_many(["u1"], type="text", body={"msg": "x"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty mapping"):
        await client.messages.send_many(["u1"], type="txt", body={})
    assert mock.requests == {}
