"""Sending messages: ``POST /messages/{target_type}``, and the legacy ``POST /messages``.

Recipients are not validated (Agora gives unknown users and ids a message id too). A
message to an offline user is stored for it until it comes online, which the users
area's offline count and delivery status read. Errors follow Agora's
``message_send_error`` family.

Beyond the overview table:

- Directed group messages (``POST /messages/chatgroups/users``): Agora's pages do not
  document them; Easemob's group-message page does (one group in ``to``, 1-20 ``users``,
  ``data`` mapping the group to the message id, "param users can't be empty"). Its
  error table still says ``to`` takes 3 groups while its text says one: we take up to 3
  (each gets an id) and the client sends one. More than 20 users is refused with
  "params users's size can't exceed limit 20" (undocumented wording, after the ``to``
  one). Only the listed users who are members of the group receive the message (an
  offline member finds it in its offline store, as Easemob says); the others, members
  or not, get nothing, and no error says so (Agora validates no recipient of a send).
- Imports (``POST /messages/users/import``, ``/messages/chatgroups/import``): one
  message stored in the history at ``msg_timestamp`` (now if unset) and never delivered.
  Agora documents no error for them: missing fields get the send family's "param
  {field} can't be empty" (``target`` for the recipient). The sender, recipient and
  group are not validated, as for sends; ``need_download`` is accepted, but there is
  nothing to download here (attachment urls are kept as given).

Refused sends (every send row: ``/messages/{target_type}``, the legacy ``/messages``
and directed group messages; not imports, which store history and deliver nothing).
The docs say who may not send but never what the server answers then: Agora's
group page says members of a disabled (banned) group "can no longer send or receive
messages", its global-mute page that a globally muted user "can no longer send
messages" of that chat type (Easemob's adds: whether through the SDK or the REST
API), its mute-list page that a muted member "cannot send messages in the chat group
or in any threads", and its group overview that mute-all leaves only the owner,
admins and the allow list able to send. No page shows an error body or a per-target
failure in ``data`` (documented only as target -> message id), so a refused send
fails as a whole, before anything is stored or delivered, with the 403
``forbidden_op`` the emulator already answers for a disabled group (the documented
code for a forbidden group operation). Descriptions, in the documented style:

- ``group: {id} is disabled`` (whoever sends, the app included);
- ``user: {u} is globally muted in {chat|groupchat|chatroom}`` while the mute has
  time left (``-1``: for ever), on the emulator's clock;
- ``user: {u} is muted in {group|chatroom}: {id}`` for an unexpired member mute;
- ``user: {u} is muted in {group|chatroom}: {id} (all members are muted)`` for a
  member of a muted-all group or room who is neither its owner, an admin nor on its
  allow list (the group overview's exemptions, applied to rooms too).

Targets are checked in ``to`` order and the first refusal is answered. Only the
sender named in ``from`` is checked: without it the sender is the app (``admin``).
A sender who is not a member is not refused: Easemob's send pages say the server
does not check that ``from`` exists, so it cannot require membership (and the
default ``admin`` is nobody's member). Unknown group and room ids stay unchecked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from ..._validate import MESSAGE_TYPES
from .._errors import AgoraHTTPError, illegal_argument, invalid_request_body
from .._registry import handler
from .._state import EmulatorState, SentMessage
from ._common import PATH_DATA_ENVELOPE, SENT_ENVELOPE
from ._rooms import group_disabled

if TYPE_CHECKING:
    from .._call import Call
    from .._runtime import Emulator

__all__ = [
    "CHAT_TYPES",
    "check_content",
    "check_send",
    "keep_message",
    "refuse_send",
    "send_error",
]

MAX_TO = {"users": 600, "chatgroups": 3, "chatrooms": 10}
MAX_BYTES = 5 * 1024
LEVELS = ("high", "normal", "low")


def send_error(description: str) -> AgoraHTTPError:
    return AgoraHTTPError(400, "message_send_error", description)


def check_send(
    target_type: str,
    sender: Any,
    to: Any,
    kind: Any,
    body: Any,
    ext: Any,
    level: Any = "normal",
) -> list[str]:
    """The checked recipients, or the error Agora answers."""
    if sender is not None and (not isinstance(sender, str) or not sender):
        raise send_error("param from can't be empty")
    if not isinstance(to, list) or not to or not all(isinstance(t, str) and t for t in to):
        raise send_error("param to can't be empty")
    if len(to) > MAX_TO[target_type]:
        raise send_error(f"params to's size can't exceed limit {MAX_TO[target_type]}")
    if kind not in MESSAGE_TYPES:
        raise send_error("param type can't be empty")
    if not isinstance(body, dict) or not body:
        raise send_error("param body can't be empty")
    check_content(body, ext, level)
    return to


def check_content(content: dict[str, Any], ext: Any, level: Any = "normal") -> None:
    """What every form of send (and the chat room broadcast) checks of a message's
    content, ``ext`` (``None``: not given) and chat room priority. The 5 KB count is the
    client's: the content fields plus ``ext`` if given."""
    if ext is not None and not isinstance(ext, dict):
        raise send_error("param ext must be JSONObject")
    if level not in LEVELS:
        raise send_error("param chatroom_msg_level must be high, normal or low")
    ext_size = 0 if ext is None else len(msgspec.json.encode(ext))
    if len(msgspec.json.encode(content)) + ext_size > MAX_BYTES:
        raise send_error("message is too large")


CHAT_TYPES: dict[str, Any] = {"users": "chat", "chatgroups": "groupchat", "chatrooms": "chatroom"}


def _refused(description: str) -> AgoraHTTPError:
    return AgoraHTTPError(403, "forbidden_op", description)


def refuse_send(state: EmulatorState, target_type: str, sender: str | None, to: list[str]) -> None:
    """Raise the refusal of a send ``sender`` (``None``: the app) may not make to ``to``;
    see the module docstring."""
    user = sender.lower() if sender is not None else None
    chat_type = CHAT_TYPES[target_type]
    if user is not None:
        ends = state.global_mutes.get(user, {}).get(chat_type)
        if ends is not None and (ends == -1 or ends > int(state.clock())):
            raise _refused(f"user: {user} is globally muted in {chat_type}")
    if target_type == "users":
        return
    rooms, where = (
        (state.groups, "group") if target_type == "chatgroups" else (state.chatrooms, "chatroom")
    )
    now = state.now_ms()
    for target in to:
        record = rooms.get(target)
        if record is None:
            continue
        if record.disabled:
            raise group_disabled(target)
        if user is None:
            continue
        until = record.muted.get(user)
        if until is not None and (until == -1 or until > now):
            raise _refused(f"user: {user} is muted in {where}: {target}")
        exempt = user == record.owner or user in record.admins or user in record.allowed
        if record.muted_all and user in record.members and not exempt:
            raise _refused(f"user: {user} is muted in {where}: {target} (all members are muted)")


def keep_message(
    emulator: Emulator, message_id: str, message: SentMessage, *, online_only: bool = False
) -> None:
    """Store a sent message (recall, history files), hand it to its recipients and
    post its callbacks: what every form of send ends with."""
    state = emulator.state
    state.record_sent(message_id, message)
    if message.chat_type == "chat":
        state.deliver(message.to, message_id, online_only=online_only)
    elif message.chat_type == "groupchat":
        state.group_messages[message_id] = message.to  # a thread may start on it
        for user in message.users:  # a directed group message
            state.deliver(user, message_id, online_only=online_only)
    emulator.callbacks.message_stored(message_id, message)


def _deliver(
    call: Call, target_type: str, to: list[str], online_only: bool, fields: tuple[Any, ...]
) -> dict[str, str]:
    sender, _, kind, content, ext = fields  # kept for recall and the history files
    refuse_send(call.state, target_type, sender, to)
    ids = {}
    now = call.state.now_ms()
    for target in to:
        ids[target] = message_id = call.state.next_message_id()
        message = SentMessage(
            sender or "admin", target, CHAT_TYPES[target_type], now, kind, content, ext or {}
        )
        keep_message(call.emulator, message_id, message, online_only=online_only)
    return ids


@handler("POST", "/messages/{target_type}")
async def send(call: Call) -> dict[str, Any]:
    if "target_type" not in call.request.match_info:
        return _send_legacy(call)
    target_type = call.param("target_type")
    if target_type not in MAX_TO:
        raise illegal_argument("'Target_type' can only be 'users', 'chatgroups', or 'chatrooms'.")
    body = call.body
    if not isinstance(body, dict):
        raise AgoraHTTPError(400, "invalid_request_body", "Request body is invalid.")
    fields = (body.get("from"), body.get("to"), body.get("type"), body.get("body"), body.get("ext"))
    to = check_send(target_type, *fields, body.get("chatroom_msg_level", "normal"))
    online_only = body.get("routetype") == "ROUTE_ONLINE"
    data = _deliver(call, target_type, to, online_only, fields)
    return call.envelope(SENT_ENVELOPE, path=f"/messages/{target_type}", action="post", data=data)


def _send_legacy(call: Call) -> dict[str, Any]:
    """``{"target_type", "target", "msg": {"type", ...}, "from"?, "ext"?}``; answers
    ``"success"`` per target, or the message ids with ``?useMsgId=true``."""
    body = call.body
    if not isinstance(body, dict):
        raise AgoraHTTPError(400, "invalid_request_body", "Request body is invalid.")
    target_type = body.get("target_type")
    if target_type not in MAX_TO:
        raise illegal_argument("'Target_type' can only be 'users', 'chatgroups', or 'chatrooms'.")
    if body.get("from") == "":
        raise illegal_argument("'From' can't be empty.")
    message = body.get("msg")
    if not isinstance(message, dict):
        raise send_error("param body can't be empty")
    content = {k: v for k, v in message.items() if k != "type"}
    fields = (body.get("from"), body.get("target"), message.get("type"), content, body.get("ext"))
    to = check_send(target_type, *fields)
    ids = _deliver(call, target_type, to, body.get("routetype") == "ROUTE_ONLINE", fields)
    use_ids = (call.query("useMsgId") or "").lower() == "true"
    data = ids if use_ids else dict.fromkeys(ids, "success")
    return call.envelope(SENT_ENVELOPE, path="/messages", action="post", data=data)


# -- beyond the overview table ---------------------------------------------------------

MAX_USERS = 20


@handler("POST", "/messages/chatgroups/users")
async def send_to_group_members(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    fields: tuple[Any, ...] = tuple(body.get(k) for k in ("from", "to", "type", "body", "ext"))
    to = check_send("chatgroups", *fields)
    users = body.get("users")
    if not isinstance(users, list) or not users or not all(isinstance(u, str) for u in users):
        raise send_error("param users can't be empty")
    if len(users) > MAX_USERS:
        raise send_error(f"params users's size can't exceed limit {MAX_USERS}")
    online_only = body.get("routetype") == "ROUTE_ONLINE"
    sender, _, kind, content, ext = fields
    state = call.state
    refuse_send(state, "chatgroups", sender, to)
    ids = {}
    for group_id in to:
        group = state.groups.get(group_id)
        members = group.members if group is not None else {}
        receivers = tuple(dict.fromkeys(u.lower() for u in users if u.lower() in members))
        ids[group_id] = message_id = state.next_message_id()
        now = state.now_ms()
        message = SentMessage(
            sender or "admin", group_id, "groupchat", now, kind, content, ext or {}, receivers
        )
        keep_message(call.emulator, message_id, message, online_only=online_only)
    return call.envelope(SENT_ENVELOPE, path="/messages/chatgroups/users", action="post", data=ids)


def _import(call: Call, chat_type: Any) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    sender: Any = body.get("from")
    target: Any = body.get("target")
    for name, value in (("from", sender), ("target", target)):
        if not isinstance(value, str) or not value:
            raise send_error(f"param {name} can't be empty")
    check_send("users", sender, [target], body.get("type"), body.get("body"), body.get("ext"))
    when: Any = body.get("msg_timestamp")
    if when is None:
        when = call.state.now_ms()
    elif isinstance(when, bool) or not isinstance(when, int) or when < 0:
        raise invalid_request_body()
    state = call.state
    message_id = state.next_message_id()
    message = SentMessage(
        sender, target, chat_type, when, body["type"], body["body"], body.get("ext") or {}
    )
    state.record_sent(message_id, message)  # stored, not delivered
    if chat_type == "groupchat":
        state.group_messages[message_id] = target
    return call.envelope(
        PATH_DATA_ENVELOPE,
        path=call.template,
        action="post",
        entities=[],
        data={"msg_id": message_id},
    )


@handler("POST", "/messages/users/import")
async def import_to_user(call: Call) -> dict[str, Any]:
    return _import(call, "chat")


@handler("POST", "/messages/chatgroups/import")
async def import_to_group(call: Call) -> dict[str, Any]:
    return _import(call, "groupchat")
