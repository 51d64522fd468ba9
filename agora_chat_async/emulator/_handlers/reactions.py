"""Message reactions (``reactions.*`` rows): emojis users add to messages.

Semantics (Agora's reaction page, Easemob's per-endpoint pages) and the choices made
where the docs are silent:

- Answers are ``{"requestStatusCode": "ok", "timestamp", "data"}`` (removing: no
  ``data``). Reaction ids are 18-digit decimal strings; times are ISO 8601 in UTC.
- The path user must exist (404, as for every user path). The message must be one sent
  through this emulator and still kept (``EmulatorState.sent``, 7 days; 404 otherwise);
  reactions go with their message when it expires. Chat room messages take no
  reactions (Easemob: one-to-one chats and groups only; 400). Whether the user is a
  party to the conversation is not checked (the docs say nothing; the server API acts
  for any user).
- One emoji counts once per message however many users add it; a message holds at most
  20 emojis (400 beyond). Adding an emoji the user already added answers the same
  reaction again (its ``updatedAt`` moves), so a retried add is harmless. The emoji ID
  is 1-128 characters. The request body key is ``msgId`` (examples, Easemob); the
  field table's ``msg_Id`` is accepted too.
- Reading by message ids: 1-20 ids (comma-joined ``msgIdList``), ``msgType`` ``chat`` or
  ``groupchat`` (then ``groupId`` is required). The answer lists, in the order asked,
  the messages of that type (and group) that have reactions; each reaction shows its
  count, whether the asking user added it, and the first three users.
- Removing a reaction the user has not added (or that is gone) answers ok too: the
  request is idempotent, as a DELETE should be.
- The detail pages list the users oldest first, ``limit`` 1-50 (default 50, larger
  values capped); the cursor names the next user's adding, so removals between pages
  neither repeat nor skip anyone; the last page has no ``cursor``. A message without
  that emoji answers 404.
- Deleting a user takes its reactions off every message.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .._errors import AgoraHTTPError, illegal_argument
from .._registry import handler
from .._state import EmulatorState, ReactionRecord
from ._common import limit_param, path_user

if TYPE_CHECKING:
    from .._call import Call
    from .._state import SentMessage

__all__ = ["MAX_IDS_PER_CALL", "MAX_REACTIONS", "MAX_REACTION_LENGTH"]

MAX_REACTIONS = 20
"""Emojis one message can hold."""
MAX_REACTION_LENGTH = 128
MAX_IDS_PER_CALL = 20
_PAGE_MAX = 50
_SUMMARY_USERS = 3
_FIRST_ID = 946_481_033_434_607_420
_ENVELOPE = ("requestStatusCode", "timestamp", "data")
_CHAT_TYPES = ("chat", "groupchat")


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise illegal_argument(f"{name} cannot be empty")
    return value


def _emoji(value: Any) -> str:
    emoji = _text(value, "message")
    if len(emoji) > MAX_REACTION_LENGTH:
        raise illegal_argument(f"message is limited to {MAX_REACTION_LENGTH} characters")
    return emoji


def _message(state: EmulatorState, message_id: str) -> SentMessage:
    """A kept message; a message that is gone takes its reactions with it."""
    message = state.sent.get(message_id)
    if message is None:
        state.reactions.pop(message_id, None)
        raise AgoraHTTPError(404, "service_resource_not_found", f"message {message_id} not found")
    return message


def _group_of(message: SentMessage) -> str | None:
    return message.to if message.chat_type == "groupchat" else None


@handler("POST", "/reaction/user/{username}")
async def add_reaction(call: Call) -> dict[str, Any]:
    user = path_user(call).username
    body = call.body if isinstance(call.body, dict) else {}
    message_id = _text(body.get("msgId", body.get("msg_Id")), "msgId")
    emoji = _emoji(body.get("message"))
    state = call.state
    message = _message(state, message_id)
    if message.chat_type not in _CHAT_TYPES:
        raise illegal_argument("reactions are supported in one-to-one chats and groups only")
    on_message = state.reactions.get(message_id, {})
    record = on_message.get(emoji)
    now = state.now_ms()
    if record is None:
        if len(on_message) >= MAX_REACTIONS:
            raise illegal_argument(f"a message can have at most {MAX_REACTIONS} reactions")
        state.reactions_made += 1
        record = ReactionRecord(str(_FIRST_ID + state.reactions_made), now, now)
        state.reactions.setdefault(message_id, {})[emoji] = record
    if user not in record.users:
        state.reactions_made += 1
        record.users[user] = state.reactions_made
    record.updated = now
    data = {
        "id": record.id,
        "msgId": message_id,
        "msgType": message.chat_type,
        "groupId": _group_of(message),
        "reaction": emoji,
        "createdAt": _iso(record.created),
        "updatedAt": _iso(record.updated),
    }
    return call.envelope(_ENVELOPE, requestStatusCode="ok", data=data)


def _message_ids(call: Call) -> list[str]:
    ids: list[str] = []
    for raw in call.request.query.getall("msgIdList", []):
        ids += [part for part in raw.split(",") if part]
    if not ids:
        raise illegal_argument("msgIdList cannot be empty")
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_IDS_PER_CALL:
        raise illegal_argument(f"msgIdList takes at most {MAX_IDS_PER_CALL} message IDs")
    return ids


@handler("GET", "/reaction/user/{username}")
async def get_reactions(call: Call) -> dict[str, Any]:
    user = path_user(call).username
    ids = _message_ids(call)
    chat_type = call.query("msgType")
    if chat_type not in _CHAT_TYPES:
        raise illegal_argument("msgType must be chat or groupchat")
    group_id = call.query("groupId") or None
    if chat_type == "groupchat" and group_id is None:
        raise illegal_argument("groupId cannot be empty when msgType is groupchat")
    state = call.state
    data = []
    for message_id in ids:
        message = state.sent.get(message_id)
        on_message = state.reactions.get(message_id)
        if message is None or not on_message or message.chat_type != chat_type:
            continue
        if chat_type == "groupchat" and message.to != group_id:
            continue
        reactions = [
            {
                "reactionId": record.id,
                "reaction": emoji,
                "count": len(record.users),
                "state": user in record.users,
                "userList": list(record.users)[:_SUMMARY_USERS],
            }
            for emoji, record in on_message.items()
        ]
        data.append({"msgId": message_id, "reactionList": reactions})
    return call.envelope(_ENVELOPE, requestStatusCode="ok", data=data)


@handler("DELETE", "/reaction/user/{username}")
async def remove_reaction(call: Call) -> dict[str, Any]:
    user = path_user(call).username
    message_id = _text(call.query("msgId"), "msgId")
    emoji = _emoji(call.query("message"))
    _drop(call.state, message_id, emoji, user)
    return call.envelope(("requestStatusCode", "timestamp"), requestStatusCode="ok")


def _drop(state: EmulatorState, message_id: str, emoji: str, user: str) -> None:
    """Take one user's emoji off a message; an emoji nobody has left goes."""
    on_message = state.reactions.get(message_id)
    record = on_message.get(emoji) if on_message else None
    if on_message is None or record is None or record.users.pop(user, None) is None:
        return
    if not record.users:
        del on_message[emoji]
        if not on_message:
            del state.reactions[message_id]


@handler("GET", "/reaction/user/{username}/detail")
async def reaction_users(call: Call) -> dict[str, Any]:
    user = path_user(call).username
    message_id = _text(call.query("msgId"), "msgId")
    emoji = _emoji(call.query("message"))
    limit = limit_param(call, default=_PAGE_MAX, maximum=_PAGE_MAX)
    raw = call.query("cursor")
    if raw and not (raw.isascii() and raw.isdigit()):
        raise illegal_argument(f"cursor {raw} is not valid")
    start = int(raw) if raw else 0
    state = call.state
    _message(state, message_id)
    record = state.reactions.get(message_id, {}).get(emoji)
    if record is None:
        raise AgoraHTTPError(
            404, "service_resource_not_found", f"reaction {emoji} not found on {message_id}"
        )
    # The users dict is in adding order, so its numbers increase: skip to the cursor's.
    after = [name for name, seq in record.users.items() if seq >= start]
    page, rest = after[:limit], after[limit : limit + 1]
    data = {
        "reactionId": record.id,
        "reaction": emoji,
        "userCount": len(record.users),
        "state": user in record.users,
        "userList": page,
        "cursor": str(record.users[rest[0]]) if rest else None,
    }
    if data["cursor"] is None:
        del data["cursor"]
    return call.envelope(_ENVELOPE, requestStatusCode="ok", data=data)


def _forget_user(state: EmulatorState, username: str) -> None:
    for message_id, on_message in list(state.reactions.items()):
        for emoji in [e for e, r in on_message.items() if username in r.users]:
            _drop(state, message_id, emoji, username)


EmulatorState.user_removed.append(_forget_user)
