"""Broadcasting a message to every active chat room (``messages.broadcast_to_chatrooms``).

Agora's message page: the message goes to every *active* chat room, one with a member
and a message sent to it; ``msg`` holds the type and its content fields, ``data.id`` is
the broadcast id (a JSON number). Each room gets the message under its own message id,
kept like any sent message (recall, history files, callbacks). "Active" is read from the
messages the emulator keeps (those of the last 7 days). Agora limits the call to Pro and
Enterprise plans (the emulator has no plans) and to 10 a minute and 100 a day (the
optional rate limiter enforces the first). Refusals use the send family's 400
``message_send_error`` (the docs show none for this call): "param from can't be empty",
"param msg can't be empty" (no ``msg`` object, or only its type), "param type can't be
empty", "param ext must be JSONObject" (also for ``null``: the page says it cannot be),
"message is too large" (the fields of ``msg`` besides ``type``, and ``ext`` if given,
over 5 KB: what the client counts), and "param chatroom_msg_level must be high, normal
or low".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._validate import MESSAGE_TYPES
from .._errors import invalid_request_body
from .._registry import handler
from .._state import SentMessage
from ._common import SENT_ENVELOPE
from .messages import check_content, keep_message, send_error

if TYPE_CHECKING:
    from .._call import Call

__all__: list[str] = []

_FIRST_ID = 1_173_998_498_812_376_874


@handler("POST", "/messages/chatrooms/broadcast")
async def broadcast(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    sender, message, ext = body.get("from"), body.get("msg"), body.get("ext")
    if sender is not None and (not isinstance(sender, str) or not sender):
        raise send_error("param from can't be empty")
    if not isinstance(message, dict) or len(message) < 2:
        raise send_error("param msg can't be empty")
    if message.get("type") not in MESSAGE_TYPES:
        raise send_error("param type can't be empty")
    if "ext" in body and ext is None:  # the page says it cannot be null
        raise send_error("param ext must be JSONObject")
    content = {k: v for k, v in message.items() if k != "type"}
    check_content(content, ext, body.get("chatroom_msg_level", "normal"))
    state = call.state
    now = state.now_ms()
    # state.sent drops old messages only when a new one is kept: read the window here
    horizon = now - state.KEEP_SENT_MS
    spoken = {m.to for m in state.sent.values() if m.chat_type == "chatroom" and m.ms >= horizon}
    for room_id, room in state.chatrooms.items():
        if room.members and room_id in spoken:
            kept = SentMessage(
                sender or "admin", room_id, "chatroom", now, message["type"], content, ext or {}
            )
            keep_message(call.emulator, state.next_message_id(), kept)
    state.push_made += 1
    data = {"id": _FIRST_ID + state.push_made}
    return call.envelope(
        SENT_ENVELOPE, path="/messages/chatrooms/broadcast", action="post", data=data
    )
