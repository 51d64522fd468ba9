"""Directed group messages, rewrite and import on the wire (beyond the overview table)."""

from __future__ import annotations

import aiohttp
import pytest

from agora_chat_async import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
)

GROUP = "184524748161025"
MSG = "1235807318835202004"
#: Easemob's example answer of a directed group message (Agora documents none).
DIRECTED = {
    "path": "/messages/chatgroups",
    "uri": "https://XXXX/XXXX/XXXX/messages/chatgroups",
    "timestamp": 1657254052191,
    "organization": "XXXX",
    "application": "e82bcc5f-XXXX-XXXX-a7c1-92de917ea2b0",
    "action": "post",
    "data": {GROUP: "1029544257947437432"},
    "duration": 0,
    "applicationName": "XXXX",
}
REWRITTEN = {"path": f"/messages/rewrite/{MSG}", "action": "put", "data": "success"}
IMPORTED = {"path": "/messages/users/import", "entities": [], "data": {"msg_id": "10212123848595"}}


def _fast(client):
    return client.with_options(retry=RetryPolicy(max_retries=3, backoff_base=0, backoff_max=0))


# -- messages.send_to_group_members ----------------------------------------------------


async def test_directed_message_sends_every_given_field(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatgroups/users"), payload=DIRECTED)

    msg_id = await client.messages.send_to_group_members(
        GROUP,
        users=["user2", "user3"],
        type="txt",
        body={"msg": "testmessages"},
        from_="user1",
        ext={"em_ignore_notification": True},
        sync_device=True,
        routetype="ROUTE_ONLINE",
        roam_ignore_users=["user3"],
    )

    wire.only(
        "POST",
        "/messages/chatgroups/users",
        body={
            "to": [GROUP],
            "users": ["user2", "user3"],
            "type": "txt",
            "body": {"msg": "testmessages"},
            "from": "user1",
            "ext": {"em_ignore_notification": True},
            "sync_device": True,
            "routetype": "ROUTE_ONLINE",
            "roam_ignore_users": ["user3"],
        },
    )
    assert msg_id == "1029544257947437432"


async def test_directed_message_leaves_unset_options_off(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatgroups/users"), payload=DIRECTED)
    await client.messages.send_to_group_members(
        GROUP, users=["bob"], type="cmd", body={"action": "ping"}
    )
    wire.only(
        "POST",
        "/messages/chatgroups/users",
        body={"to": [GROUP], "users": ["bob"], "type": "cmd", "body": {"action": "ping"}},
    )


async def test_directed_message_without_one_id_is_an_invalid_answer(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatgroups/users"), payload={"data": {}})
    with pytest.raises(ResponseValidationError):
        await client.messages.send_to_group_members(
            GROUP, users=["bob"], type="txt", body={"msg": "hi"}
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"group_id": ""}, ValueError, "non-empty value"),
        ({"users": []}, ValueError, "1 to 20"),
        ({"users": [f"u{i}" for i in range(21)]}, ValueError, "1 to 20"),
        ({"users": "bob"}, TypeError, "must be a list"),
        ({"users": ["bad name"]}, ValueError, "1-64 characters"),
        ({"type": "text"}, ValueError, "type must be one of"),
        ({"body": {}}, ValueError, "non-empty mapping"),
        ({"from_": ""}, ValueError, "non-empty value"),
        ({"body": {"msg": "x" * 5200}}, ValueError, "5 KB"),
    ],
)
async def test_bad_directed_messages_are_refused_before_sending(
    client, mock, kwargs, error, message
) -> None:
    args = {"group_id": GROUP, "users": ["bob"], "type": "txt", "body": {"msg": "hi"}, **kwargs}
    with pytest.raises(error, match=message):
        await client.messages.send_to_group_members(**args)
    assert mock.requests == {}


async def test_directed_message_is_never_repeated_once_it_may_have_been_sent(
    client, mock, wire
) -> None:
    eager = _fast(client)
    url = wire.url("/messages/chatgroups/users")
    mock.post(url, status=503)
    with pytest.raises(ServerError):
        await eager.messages.send_to_group_members(
            GROUP, users=["bob"], type="txt", body={"msg": "1"}
        )
    mock.post(url, exception=aiohttp.ServerDisconnectedError())
    with pytest.raises(APIConnectionError):
        await eager.messages.send_to_group_members(
            GROUP, users=["bob"], type="txt", body={"msg": "2"}
        )
    assert wire.sent() == {("POST", url): 2}


async def test_directed_message_errors_are_typed(client, mock, wire) -> None:
    empty = {"error": "message_send_error", "error_description": "param users can't be empty"}
    mock.post(wire.url("/messages/chatgroups/users"), status=400, payload=empty)
    with pytest.raises(BadRequestError) as bad:
        await client.messages.send_to_group_members(
            GROUP, users=["bob"], type="txt", body={"msg": "hi"}
        )
    assert (bad.value.error, bad.value.description) == (
        "message_send_error",
        "param users can't be empty",
    )
    assert bad.value.endpoint == "messages.send_to_group_members"


# -- messages.rewrite ------------------------------------------------------------------


async def test_rewrite_sends_a_text_message(client, mock, wire) -> None:
    mock.put(wire.url(f"/messages/rewrite/{MSG}"), payload=REWRITTEN)

    done = await client.messages.rewrite(
        MSG, new_msg={"type": "txt", "msg": "update message content"}, user="user1"
    )

    wire.only(
        "PUT",
        f"/messages/rewrite/{MSG}",
        body={"new_msg": {"type": "txt", "msg": "update message content"}, "user": "user1"},
    )
    assert done is True


async def test_rewrite_sends_a_custom_message_with_its_ext(client, mock, wire) -> None:
    mock.put(wire.url(f"/messages/rewrite/{MSG}"), payload=REWRITTEN)
    new_msg = {
        "type": "custom",
        "customEvent": "custom_event",
        "customExts": {"ext_key1": "ext_value1"},
    }

    await client.messages.rewrite(
        MSG,
        new_msg=new_msg,
        user="user1",
        new_ext={"key": "value", "old_key": "new_value"},
        is_combine_ext=False,
    )

    wire.only(
        "PUT",
        f"/messages/rewrite/{MSG}",
        body={
            "new_msg": new_msg,
            "user": "user1",
            "new_ext": {"key": "value", "old_key": "new_value"},
            "is_combine_ext": False,
        },
    )


async def test_a_rewrite_is_never_repeated_once_it_may_have_been_applied(
    client, mock, wire
) -> None:
    eager = _fast(client)
    url = wire.url(f"/messages/rewrite/{MSG}")
    mock.put(url, status=503)
    with pytest.raises(ServerError):
        await eager.messages.rewrite(MSG, new_msg={"type": "txt", "msg": "1"})
    mock.put(url, exception=aiohttp.ServerDisconnectedError())
    with pytest.raises(APIConnectionError):
        await eager.messages.rewrite(MSG, new_msg={"type": "txt", "msg": "2"})
    assert wire.sent() == {("PUT", url): 2}


async def test_rewrite_answering_something_else_is_false(client, mock, wire) -> None:
    mock.put(wire.url(f"/messages/rewrite/{MSG}"), payload={"data": "failure"})
    assert await client.messages.rewrite(MSG, new_msg={"type": "txt", "msg": "x"}) is False


@pytest.mark.parametrize(
    ("msg_id", "new_msg", "error", "message"),
    [
        ("12a", {"type": "txt", "msg": "x"}, ValueError, "digits only"),
        ("", {"type": "txt", "msg": "x"}, ValueError, "digits only"),
        ("١٢", {"type": "txt", "msg": "x"}, ValueError, "digits only"),
        (MSG, {"type": "img", "url": "u"}, ValueError, "only txt and custom"),
        (MSG, {"msg": "x"}, ValueError, "only txt and custom"),
        (MSG, {"type": "txt"}, ValueError, "non-empty 'msg'"),
        (MSG, {"type": "txt", "msg": ""}, ValueError, "non-empty 'msg'"),
        (MSG, {"type": "custom", "customEvent": "bad event"}, ValueError, "customEvent"),
        (MSG, {"type": "custom", "customEvent": "e" * 33}, ValueError, "customEvent"),
        (MSG, {"type": "custom", "customExts": {"k": 1}}, ValueError, "customExts"),
        (
            MSG,
            {"type": "custom", "customExts": {str(i): "v" for i in range(17)}},
            ValueError,
            "customExts",
        ),
        (MSG, "txt", TypeError, "mapping"),
    ],
)
async def test_bad_rewrites_are_refused_before_sending(
    client, mock, msg_id, new_msg, error, message
) -> None:
    with pytest.raises(error, match=message):
        await client.messages.rewrite(msg_id, new_msg=new_msg)
    assert mock.requests == {}


async def test_a_custom_rewrite_may_leave_out_event_and_exts(client, mock, wire) -> None:
    mock.put(wire.url(f"/messages/rewrite/{MSG}"), payload=REWRITTEN)
    done = await client.messages.rewrite(MSG, new_msg={"type": "custom"}, new_ext={"k": "v"})
    wire.only(
        "PUT",
        f"/messages/rewrite/{MSG}",
        body={"new_msg": {"type": "custom"}, "new_ext": {"k": "v"}},
    )
    assert done is True


@pytest.mark.parametrize(
    ("status", "name", "error"),
    [
        (400, "UnsupportedMessageTypeException", BadRequestError),
        (400, "InvalidMessageIdException", BadRequestError),
        (403, "EditLimitExceededException", PermissionDeniedError),
        (403, "EditFeatureNotEnabledException", PermissionDeniedError),
        (404, "MessageUnavailableException", NotFoundError),
        (500, "RewriteMessageInternalErrorException", ServerError),
    ],
)
async def test_rewrite_errors_are_typed(client, mock, wire, status, name, error) -> None:
    body = {"error": name, "exception": name, "error_description": "why"}
    mock.put(wire.url(f"/messages/rewrite/{MSG}"), status=status, payload=body)
    with pytest.raises(error) as raised:
        await client.with_options(retry=RetryPolicy(max_retries=0)).messages.rewrite(
            MSG, new_msg={"type": "txt", "msg": "x"}
        )
    assert (raised.value.status, raised.value.error, raised.value.exception) == (
        status,
        name,
        name,
    )


async def test_a_refused_rewrite_raises_at_once_without_renewing_the_token(
    client, mock, wire
) -> None:
    # A 401 that names another app's message is no token refusal: nothing to renew.
    body = {
        "error": "RewriteMessageNotAuthorizedException",
        "error_description": "You are not authorized to edit this message.",
    }
    mock.put(wire.url(f"/messages/rewrite/{MSG}"), status=401, payload=body, repeat=True)
    with pytest.raises(AuthenticationError) as refused:
        await _fast(client).messages.rewrite(MSG, new_msg={"type": "txt", "msg": "x"})
    assert refused.value.error == "RewriteMessageNotAuthorizedException"
    assert wire.sent() == {("PUT", wire.url(f"/messages/rewrite/{MSG}")): 1}


# -- messages.import_to_user / import_to_group -------------------------------------------


async def test_import_to_user_sends_every_given_field(client, mock, wire) -> None:
    mock.post(wire.url("/messages/users/import"), payload=IMPORTED)

    msg_id = await client.messages.import_to_user(
        from_="username1",
        to="username2",
        type="img",
        body={"url": "https://example.test/a.jpg", "filename": "a.jpg"},
        ext={"key1": "value1"},
        is_ack_read=True,
        msg_timestamp=1656906628428,
        need_download=True,
    )

    wire.only(
        "POST",
        "/messages/users/import",
        body={
            "from": "username1",
            "target": "username2",
            "type": "img",
            "body": {"url": "https://example.test/a.jpg", "filename": "a.jpg"},
            "ext": {"key1": "value1"},
            "is_ack_read": True,
            "msg_timestamp": 1656906628428,
            "need_download": True,
        },
    )
    assert msg_id == "10212123848595"


async def test_import_to_group_sends_the_group_as_target(client, mock, wire) -> None:
    mock.post(wire.url("/messages/chatgroups/import"), payload=IMPORTED)

    msg_id = await client.messages.import_to_group(
        from_="username1", group_id="1123376564212", type="txt", body={"msg": "import message."}
    )

    wire.only(
        "POST",
        "/messages/chatgroups/import",
        body={
            "from": "username1",
            "target": "1123376564212",
            "type": "txt",
            "body": {"msg": "import message."},
        },
    )
    assert msg_id == "10212123848595"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"from_": ""}, "1-64 characters"),
        ({"to": "bad name"}, "1-64 characters"),
        ({"type": "text"}, "type must be one of"),
        ({"body": {}}, "non-empty mapping"),
        ({"msg_timestamp": -1}, "integer from 0"),
        ({"msg_timestamp": True}, "integer from 0"),
        ({"ext": {"k": "y" * 5200}}, "5 KB"),
    ],
)
async def test_bad_imports_are_refused_before_sending(client, mock, kwargs, message) -> None:
    args = {"from_": "alice", "to": "bob", "type": "txt", "body": {"msg": "hi"}, **kwargs}
    with pytest.raises(ValueError, match=message):
        await client.messages.import_to_user(**args)
    if "to" not in kwargs:  # the same checks for a group import
        args["group_id"] = args.pop("to")
        with pytest.raises(ValueError, match=message):
            await client.messages.import_to_group(**args)
    with pytest.raises(ValueError, match="non-empty value for 'group_id'"):
        await client.messages.import_to_group(
            from_="alice", group_id="", type="txt", body={"msg": "hi"}
        )
    assert mock.requests == {}


async def test_an_import_is_never_repeated(client, mock, wire) -> None:
    # A second import would store the message twice.
    url = wire.url("/messages/chatgroups/import")
    mock.post(url, status=503)
    with pytest.raises(ServerError):
        await _fast(client).messages.import_to_group(
            from_="alice", group_id="1", type="txt", body={"msg": "hi"}
        )
    assert wire.sent() == {("POST", url): 1}


async def test_an_import_answer_without_an_id_is_invalid(client, mock, wire) -> None:
    mock.post(wire.url("/messages/users/import"), payload={"data": {}})
    with pytest.raises(ResponseValidationError):
        await client.messages.import_to_user(
            from_="alice", to="bob", type="txt", body={"msg": "hi"}
        )
