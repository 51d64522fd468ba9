"""Message management: recall, one-way conversation deletion, chat-history files.

Recall (``POST /messages/msg_recall``; the legacy ``POST /messages/recall`` too):

- The message must have been sent through this emulator (``state.sent``) to the
  ``to`` and ``chat_type`` given, within :data:`RECALL_WINDOW_MS` (Agora's default 2
  minutes) unless ``force`` is true. A recalled message is gone: from the recipient's
  offline store if it was still waiting there, from the history files, and a second
  recall finds nothing. Its attachment, if uploaded here, is deleted as Agora does,
  once no other kept message refers to it.
- Sources disagree on failures: Easemob's error table gives error bodies (400
  ``message_recall_error`` for missing parameters and "can't find msg to", 403 for
  "exceed recall time limit" and "not_found msg"), while Agora's page shows a 200
  ``{"msgs": [{"msg_id", "recalled": reason}]}`` body, which is the answer of the
  legacy batch form (``{"msgs": [...]}`` posted to ``/messages/recall``). We answer the
  single form with the error bodies and the batch form with per-message reasons.

Conversations (``DELETE /users/{username}/user_channel``): the body's three fields
are required (Agora's "field ... cannot be null" 400s) and the user must exist. The
emulator keeps no conversation list, so nothing else is observable.

Rewrite (``PUT /messages/rewrite/{msg_id}``, beyond the overview table): a kept text or
custom message gets the new content (the history files show it), 10 times at most; the
type stays (another one is UnsupportedMessageTypeException, as for other types).
``new_ext`` applies to custom messages only, as documented: merged into the old fields
unless ``is_combine_ext`` is false. ``user`` is not checked against the sender (the docs
do not say it must be). Errors are Agora's exception-named ones, their descriptions the
docs' explanations: an id that is not a number (InvalidMessageIdException, 400); one this
emulator never gave out belongs to another app (RewriteMessageNotAuthorizedException,
401); one given out but no longer kept, recalled or older than 7 days
(MessageUnavailableException, 404). Editing is always enabled here (no
EditFeatureNotEnabledException). A malformed ``new_msg`` is not covered by the docs: 400
``invalid_request_body``.

History (``GET /chatmessages/{time}``): ``time`` is an hour of UTC (``YYYYMMDDHH``).
Agora writes one file per hour once the hour is over and keeps the last 3 days; the
answer is a time-limited link to a gzip file holding one JSON record per line, in the
documented record form. Here the link points at ``/__emulator/history/{time}`` (signed,
valid :data:`LINK_TTL_S`), and the file is built from the messages sent in that hour.
An hour not over yet or without messages has no file: 404 ``storage_object_not_found``;
a malformed time or an hour older than 3 days: 400 ``illegal_argument``.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import secrets
import weakref
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec

from .._errors import AgoraHTTPError, illegal_argument, invalid_request_body
from .._registry import handler
from ._common import PATH_DATA_ENVELOPE, SENT_ENVELOPE, path_user

if TYPE_CHECKING:
    from .._call import Call
    from .._runtime import Emulator
    from .._state import EmulatorState, SentMessage

__all__ = ["HISTORY_PATH", "LINK_TTL_S", "RECALL_WINDOW_MS", "history_download"]

RECALL_WINDOW_MS = 2 * 60 * 1000
HOUR_MS = 3600 * 1000
HISTORY_DAYS = 3
LINK_TTL_S = 3600
#: Where history files are served, below the emulator's control prefix.
HISTORY_PATH = "/__emulator/history/"

_CHAT_TYPES = frozenset({"chat", "groupchat", "chatroom"})
_CONVERSATION_TYPES = frozenset({"chat", "groupchat"})

_HISTORY = (
    "action",
    "application",
    "uri",
    "data",
    "timestamp",
    "duration",
    "organization",
    "applicationName",
)

# -- recall ----------------------------------------------------------------------------


class _RecallRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _recall_error(description: str, status: int = 400) -> AgoraHTTPError:
    return AgoraHTTPError(status, "message_recall_error", description)


def _recall_one(emulator: Emulator, item: dict[str, Any]) -> dict[str, Any]:
    """Recall one message, or raise ``_RecallRefused`` with Agora's reason; a recall
    is posted to the callback URL."""
    state = emulator.state
    for name in ("msg_id", "to", "chat_type"):
        if not isinstance(item.get(name), str) or not item[name]:
            raise _RecallRefused(400, f"param {name} can't be empty")
    force = item.get("force", False)
    if not isinstance(force, bool):
        raise _RecallRefused(400, "param force can't be empty")
    sender = item.get("from") or "admin"
    msg_id, to, chat_type = item["msg_id"], item["to"], item["chat_type"]
    if chat_type not in _CHAT_TYPES:
        raise _RecallRefused(400, "param chat_type can't be empty")
    message = state.sent.get(msg_id)
    if message is None:
        raise _RecallRefused(403, "not_found msg")
    if message.to.lower() != to.lower() or message.chat_type != chat_type:
        raise _RecallRefused(400, "can't find msg to")
    if not force and state.now_ms() - message.ms > RECALL_WINDOW_MS:
        raise _RecallRefused(403, "exceed recall time limit")
    del state.sent[msg_id]
    state.reactions.pop(msg_id, None)  # a recalled message takes its reactions along
    if chat_type == "chat":
        state.undelivered.get(message.to.lower(), set()).discard(msg_id)
    for user in message.users:  # a directed group message waiting for its receivers
        state.undelivered.get(user, set()).discard(msg_id)
    _drop_attachment(state, message)
    emulator.callbacks.recalled(msg_id, message, sender)
    return {
        "recalled": "yes",
        "chattype": chat_type,
        "from": sender,
        "to": to,
        "msg_id": msg_id,
    }


def _drop_attachment(state: EmulatorState, message: SentMessage) -> None:
    """Agora deletes a recalled message's attachment. One uploaded here goes once no
    kept message uses it (one send to many users shares its attachment)."""
    url = message.body.get("url")
    if not isinstance(url, str):
        return
    uuid = url.rstrip("/").rpartition("/")[2]
    if uuid in state.files and all(m.body.get("url") != url for m in state.sent.values()):
        del state.files[uuid]


@handler("POST", "/messages/msg_recall")  # also mounted at the legacy /messages/recall
async def recall(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    if "msgs" in body and call.template == "/messages/recall":
        return _recall_batch(call, body["msgs"])
    try:
        data = _recall_one(call.emulator, body)
    except _RecallRefused as refused:
        raise _recall_error(refused.reason, refused.status) from None
    return call.envelope(SENT_ENVELOPE, path="/messages/msg_recall", action="post", data=data)


def _recall_batch(call: Call, items: Any) -> dict[str, Any]:
    """The legacy batch form: a reason per message instead of an error."""
    if not isinstance(items, list) or not items:
        raise _recall_error("param msgs can't be empty")
    results = []
    for item in items:
        item = item if isinstance(item, dict) else {}
        try:
            _recall_one(call.emulator, item)
            reason = "yes"
        except _RecallRefused as refused:
            reason = refused.reason
        results.append({"msg_id": item.get("msg_id", ""), "recalled": reason})
    return {"msgs": results}


# -- rewrite ---------------------------------------------------------------------------

#: How many times a message may be rewritten.
MAX_EDITS = 10
_EDITABLE = frozenset({"txt", "custom"})


def _rewrite_error(status: int, name: str, description: str) -> AgoraHTTPError:
    return AgoraHTTPError(status, name, description, exception=name)


def _new_content(new: Any) -> tuple[str, dict[str, Any]]:
    """The new type and body from ``new_msg``, or 400 if it is not one."""
    if not isinstance(new, dict) or not isinstance(new.get("type"), str):
        raise invalid_request_body()
    kind = new["type"]
    if kind == "txt":
        if not isinstance(new.get("msg"), str):
            raise invalid_request_body()
        return kind, {"msg": new["msg"]}
    if kind == "custom":
        exts = new.get("customExts", {})
        event = new.get("customEvent")
        if not isinstance(exts, dict) or (event is not None and not isinstance(event, str)):
            raise invalid_request_body()
        body: dict[str, Any] = {"customEvent": event} if event is not None else {}
        return kind, {**body, "customExts": exts}
    raise _unsupported()


def _unsupported() -> AgoraHTTPError:
    return _rewrite_error(
        400,
        "UnsupportedMessageTypeException",
        "The message is of a type that is currently not supported for modification.",
    )


@handler("PUT", "/messages/rewrite/{msg_id}")
async def rewrite(call: Call) -> dict[str, Any]:
    msg_id = call.param("msg_id")
    state = call.state
    if not msg_id.isascii() or not msg_id.isdigit():
        raise _rewrite_error(
            400, "InvalidMessageIdException", "The provided message ID is not a valid number."
        )
    if not state.issued_message_id(msg_id):
        raise _rewrite_error(
            401,
            "RewriteMessageNotAuthorizedException",
            "You are not authorized to edit this message.",
        )
    message = state.sent.get(msg_id)
    if message is None:
        raise _rewrite_error(
            404, "MessageUnavailableException", "The message is unavailable or has expired."
        )
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    kind, content = _new_content(body.get("new_msg"))
    if message.type not in _EDITABLE or kind != message.type:
        raise _unsupported()
    new_ext, combine = body.get("new_ext"), body.get("is_combine_ext", True)
    if (new_ext is not None and not isinstance(new_ext, dict)) or not isinstance(combine, bool):
        raise invalid_request_body()
    if message.edits >= MAX_EDITS:
        raise _rewrite_error(
            403,
            "EditLimitExceededException",
            "The message has reached its edit limit and cannot be modified further.",
        )
    message.edits += 1
    message.body = content
    if kind == "custom" and new_ext is not None:
        message.ext = {**message.ext, **new_ext} if combine else dict(new_ext)
    return call.envelope(
        SENT_ENVELOPE, path=f"/messages/rewrite/{msg_id}", action="put", data="success"
    )


# -- conversations ---------------------------------------------------------------------


@handler("DELETE", "/users/{username}/user_channel")
async def delete_conversation(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    channel, kind, roam = body.get("channel"), body.get("type"), body.get("delete_roam")
    if not isinstance(channel, str) or not channel:
        raise illegal_argument("field channel cannot be null or empty")
    if not isinstance(kind, str) or not kind:
        raise illegal_argument("field type cannot be null or empty")
    if roam is None:
        raise illegal_argument("field delete_roam cannot be null")
    if kind not in _CONVERSATION_TYPES or not isinstance(roam, bool):
        raise invalid_request_body()
    path_user(call)
    return call.envelope(
        PATH_DATA_ENVELOPE,
        path="/users/user_channel",
        action="delete",
        entities=[],
        data={"result": "ok"},
    )


# -- history files ---------------------------------------------------------------------


def _hour_start_ms(time: str) -> int | None:
    if len(time) != 10 or not time.isdigit():
        return None
    try:
        start = datetime.strptime(time, "%Y%m%d%H").replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(start.timestamp()) * 1000


def _in_hour(state: EmulatorState, start: int) -> list[tuple[str, SentMessage]]:
    return [(i, m) for i, m in state.sent.items() if start <= m.ms < start + HOUR_MS]


def _signature(state: EmulatorState, time: str, expires: int) -> str:
    key = _link_key(state)
    return hmac.new(key, f"{time}:{expires}".encode(), hashlib.sha256).hexdigest()


_KEYS: weakref.WeakKeyDictionary[EmulatorState, bytes] = weakref.WeakKeyDictionary()


def _link_key(state: EmulatorState) -> bytes:
    """A random key per emulated app for signing its download links."""
    key = _KEYS.get(state)
    if key is None:
        key = _KEYS[state] = secrets.token_bytes(32)
    return key


@handler("GET", "/chatmessages/{time}")
async def history_file(call: Call) -> dict[str, Any]:
    time = call.param("time")
    emulator = call.emulator
    appkey = f"{emulator.org_name}#{emulator.app_name}"
    start = _hour_start_ms(time)
    now = call.state.now_ms()
    if start is None:
        raise illegal_argument(f"illegal arguments: appkey: {appkey}, time: {time}")
    if start < now - HISTORY_DAYS * 24 * HOUR_MS:
        raise illegal_argument(
            f"illegal arguments: appkey: {appkey}, time: {time}, "
            "maybe chat message history is expired or unstored"
        )
    if start + HOUR_MS > now or not _in_hour(call.state, start):
        raise AgoraHTTPError(
            404,
            "storage_object_not_found",
            f"Failed to find chat message history download url for appkey: {appkey}, time: {time}",
        )
    expires = now // 1000 + LINK_TTL_S
    query = {"Expires": str(expires), "Signature": _signature(call.state, time, expires)}
    url = call.request.url.origin().with_path(HISTORY_PATH + time).with_query(query)
    return call.envelope(_HISTORY, action="get", data=[{"url": str(url)}])


def _record(state: EmulatorState, msg_id: str, message: SentMessage) -> dict[str, Any]:
    """One message as Agora's history files hold it."""
    return {
        "msg_id": msg_id,
        "timestamp": message.ms,
        "direction": "outgoing",
        "to": message.to,
        "from": message.sender,
        "chat_type": message.chat_type,
        "payload": {
            "bodies": [_stored_body(state, message)],
            "ext": message.ext,
            "from": message.sender,
            "to": message.to,
        },
    }


def _stored_body(state: EmulatorState, message: SentMessage) -> dict[str, Any]:
    """The body as stored: ``type`` inside, coordinates as numbers, and the size of an
    attachment uploaded here as ``file_length``."""
    body = dict(message.body)
    if message.type == "loc":
        for key in ("lat", "lng"):
            try:
                body[key] = float(body[key])
            except (KeyError, TypeError, ValueError):
                pass
    url = body.get("url")
    if isinstance(url, str) and "file_length" not in body:
        uploaded = state.files.get(url.rstrip("/").rpartition("/")[2])
        if uploaded is not None:
            body["file_length"] = len(uploaded.data)
    body["type"] = message.type
    return body


def history_download(state: EmulatorState, time: str, expires: str, signature: str) -> bytes:
    """The gzip file behind a link that ``GET /chatmessages/{time}`` gave out.

    Raises:
        AgoraHTTPError: 403 for a link that is forged or expired, 404 if the hour has
            no messages (any more).
    """
    try:
        expiry = int(expires)
    except ValueError:
        expiry = -1
    valid = hmac.compare_digest(signature, _signature(state, time, expiry))
    if not valid or expiry * 1000 < state.now_ms():
        raise AgoraHTTPError(403, "access_denied", "Request has expired or is not signed.")
    start = _hour_start_ms(time)
    messages = _in_hour(state, start) if start is not None else []
    if not messages:
        raise AgoraHTTPError(404, "storage_object_not_found", f"No history for {time}")
    lines = (msgspec.json.encode(_record(state, i, m)) + b"\n" for i, m in messages)
    return gzip.compress(b"".join(lines), mtime=0)
