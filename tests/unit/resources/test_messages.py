"""``client.messages.send`` on the wire: body, wire names, checks, and no repeat after send."""

from __future__ import annotations

import aiohttp
import pytest

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
    ],
)
async def test_bad_messages_are_refused_before_sending(client, mock, kwargs, message) -> None:
    args = {"target_type": "users", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}}
    args.update(kwargs)
    target_type = args.pop("target_type")
    with pytest.raises(ValueError, match=message):
        await client.messages.send(target_type, **args)
    assert mock.requests == {}


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
