"""Control routes for callbacks, beside the other ``/__emulator/...`` test hooks.

==========  ===========================  =============================================
method      path                         does
==========  ===========================  =============================================
GET         /__emulator/callbacks        the callback settings (never the secret, only
                                         ``secret_set``) and the delivery counters
PUT         /__emulator/callbacks        change some of ``url``, ``secret``, ``timeout``,
                                         ``pre_delivery_url``, ``pre_delivery_timeout``,
                                         ``pre_delivery_fallback`` (``null`` clears)
POST        /__emulator/user_messages    a user sends from a client SDK: ``{"from",
                                         "to": [one], "chat_type"?: "users" |
                                         "chatgroups" | "chatrooms", "type", "body",
                                         "ext"?}``; pre-delivery, then stored and
                                         post-delivered. ``{"msg_id", "delivered":
                                         true}`` or ``{"delivered": false, "code"}``
GET         /__emulator/messages?user=   the kept messages a user sent or received,
                                         oldest first
==========  ===========================  =============================================

A simulated client message must come from a registered user, go to one recipient and,
in a group or chat room, from one of its members (the SDK refuses the others); it passes
the REST send's checks and refusals (size, mutes, a disabled group).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._control import PREFIX, _body, _emulator, _json, _wrap
from ._errors import AgoraHTTPError, illegal_argument
from ._handlers.messages import CHAT_TYPES, check_send, keep_message, refuse_send
from ._state import SentMessage

if TYPE_CHECKING:
    from aiohttp import web

    from ._state import EmulatorState

__all__ = ["add_callback_routes", "messages_for"]

_SETTINGS = (
    "url",
    "secret",
    "timeout",
    "pre_delivery_url",
    "pre_delivery_timeout",
    "pre_delivery_fallback",
)


async def _get_callbacks(request: web.Request) -> web.Response:
    return _json(_emulator(request).callbacks.describe())


async def _put_callbacks(request: web.Request) -> web.Response:
    body = await _body(request)
    if not isinstance(body, dict):
        raise illegal_argument("expected a JSON object")
    unknown = sorted(set(body) - set(_SETTINGS))
    if unknown:
        raise illegal_argument(f"unknown callback settings: {', '.join(unknown)}")
    callbacks = _emulator(request).callbacks
    try:
        callbacks.configure(**body)
    except ValueError as exc:
        raise illegal_argument(str(exc)) from None
    return _json(callbacks.describe())


async def _user_message(request: web.Request) -> web.Response:
    """A message from a client SDK: asked about first, then kept like a REST send."""
    emulator = _emulator(request)
    state = emulator.state
    body = await _body(request)
    if not isinstance(body, dict):
        raise illegal_argument("expected a JSON object")
    target_type = body.get("chat_type", "users")
    if target_type not in CHAT_TYPES:
        raise illegal_argument("chat_type must be users, chatgroups or chatrooms")
    raw_sender, to = body.get("from"), body.get("to")
    to = [to] if isinstance(to, str) else to
    if not isinstance(raw_sender, str) or not raw_sender:
        raise illegal_argument("from must name the sending user")
    sender = state.get(raw_sender)
    if sender is None:
        raise AgoraHTTPError(404, "service_resource_not_found", f"user {raw_sender} not found")
    if not isinstance(to, list) or len(to) != 1:
        raise illegal_argument("to must name one recipient (a client sends to one)")
    kind: Any = body.get("type")
    content: Any = body.get("body")
    ext: Any = body.get("ext")
    check_send(target_type, sender.username, to, kind, content, ext)
    target = to[0]
    _check_member(state, target_type, sender.username, target)
    refuse_send(state, target_type, sender.username, to)
    message_id = state.next_message_id()
    message = SentMessage(
        sender.username, target, CHAT_TYPES[target_type], state.now_ms(), kind, content, ext or {}
    )
    verdict = await emulator.callbacks.pre_deliver(message_id, message)
    if not verdict.passed:
        return _json({"delivered": False, "code": verdict.code})
    if verdict.payload is not None:  # the rule rewrote the text
        message.body = {k: v for k, v in verdict.payload["bodies"][0].items() if k != "type"}
        message.ext = verdict.payload.get("ext", message.ext)
    keep_message(emulator, message_id, message)
    return _json({"msg_id": message_id, "delivered": True})


def _check_member(state: EmulatorState, target_type: str, sender: str, target: str) -> None:
    if target_type == "users":
        return
    rooms, where = (
        (state.groups, "group") if target_type == "chatgroups" else (state.chatrooms, "chatroom")
    )
    record = rooms.get(target)
    if record is None:
        raise AgoraHTTPError(404, "resource_not_found", f"grpID {target} does not exist!")
    if sender not in record.members:
        raise AgoraHTTPError(
            403, "forbidden_op", f"user: {sender} is not a member of {where}: {target}"
        )


def messages_for(state: EmulatorState, username: str) -> list[dict[str, Any]]:
    """The kept messages ``username`` sent or received, oldest first."""
    user = username.lower()
    out = []
    for message_id, message in state.sent.items():
        if message.sender.lower() != user and not _received(state, message, user):
            continue
        out.append(
            {
                "msg_id": message_id,
                "from": message.sender,
                "to": message.to,
                "chat_type": message.chat_type,
                "type": message.type,
                "body": message.body,
                "ext": message.ext,
                "timestamp": message.ms,
            }
        )
    return out


def _received(state: EmulatorState, message: SentMessage, user: str) -> bool:
    if message.chat_type == "chat":
        return message.to.lower() == user
    if message.users:  # a directed group message
        return user in message.users
    rooms = state.groups if message.chat_type == "groupchat" else state.chatrooms
    record = rooms.get(message.to)
    return record is not None and user in record.members


async def _messages(request: web.Request) -> web.Response:
    user = request.query.get("user")
    if not user:
        raise illegal_argument("user must name a user (?user=alice)")
    return _json({"messages": messages_for(_emulator(request).state, user)})


def add_callback_routes(app: web.Application) -> None:
    """Mount the callback control routes on ``app``."""
    routes = (
        ("GET", "/callbacks", _get_callbacks),
        ("PUT", "/callbacks", _put_callbacks),
        ("POST", "/user_messages", _user_message),
        ("GET", "/messages", _messages),
    )
    for method, path, func in routes:
        app.router.add_route(method, PREFIX + path, _wrap(func))
