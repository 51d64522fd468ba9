"""Messages, files, history and conversations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from ..models.files import UploadedFile
from ..models.message_admin import HistoryFile, RecallResponse
from ._types import (
    DOCS,
    USERNAME,
    Bulk,
    Endpoint,
    Param,
    path_param,
    value,
)

__all__ = ["HELPERS", "MAX_MESSAGE_BYTES", "MAX_TARGETS", "ROWS"]

_MSG = DOCS + "message-management"


#: Recipients per call by target type, and the size limit of ``body`` + ``ext``.
MAX_TARGETS = {"users": 600, "chatgroups": 3, "chatrooms": 10}
MAX_MESSAGE_BYTES = 5 * 1024


def _check_size(args: Mapping[str, Any]) -> None:
    ext = args.get("ext")
    size = len(msgspec.json.encode(args["body"]))
    size += len(msgspec.json.encode(ext)) if isinstance(ext, Mapping) else 0
    if size > MAX_MESSAGE_BYTES:
        raise ValueError(f"body and ext take {size} bytes; a message may take 5 KB")


def _check_send(args: Mapping[str, Any]) -> None:
    limit = MAX_TARGETS.get(args["target_type"], 600)
    if len(args["to"]) > limit:
        raise ValueError(f"to: at most {limit} {args['target_type']} per call")
    if args.get("need_group_ack", msgspec.UNSET) is not msgspec.UNSET:
        if args["target_type"] != "chatgroups":
            raise ValueError("need_group_ack: read receipts are for chatgroups messages")
    if args.get("chatroom_msg_level", msgspec.UNSET) is not msgspec.UNSET:
        if args["target_type"] != "chatrooms":
            raise ValueError("chatroom_msg_level: priorities are for chatrooms messages")
    _check_size(args)


_OPTIONAL = "UNSET"

# The parameters of messages.send, shared with the directed group message and imports.
_TO = Param(
    name="to",
    type="Sequence[str]",
    location="body",
    check="recipients",
    doc="Usernames, group ids or chat room ids.",
)
_TYPE = Param(
    name="type",
    type="MessageType",
    location="body",
    check="message_type",
    doc="txt, img, audio, video, file, loc, cmd or custom.",
)
_BODY = Param(
    name="body",
    type="Mapping[str, Any]",
    location="body",
    check="message_body",
    doc='The content for the type, e.g. {"msg": "hi"} for txt.',
)
_FROM = Param(
    name="from_",
    type="str | UnsetType",
    location="body",
    wire="from",
    default=_OPTIONAL,
    check="nonempty",
    doc='Sender; Agora uses "admin" if unset.',
)
_EXT = Param(
    name="ext",
    type="Mapping[str, Any] | UnsetType",
    location="body",
    default=_OPTIONAL,
    doc="Extension fields (also push options such as em_ignore_notification).",
)
_DELIVERY = (
    Param(
        name="sync_device",
        type="bool | UnsetType",
        location="body",
        default=_OPTIONAL,
        doc="Also deliver to the sender's other devices.",
    ),
    Param(
        name="routetype",
        type='Literal["ROUTE_ONLINE"] | UnsetType',
        location="body",
        default=_OPTIONAL,
        doc="ROUTE_ONLINE: only to recipients online now.",
    ),
    Param(
        name="roam_ignore_users",
        type="Sequence[str] | UnsetType",
        location="body",
        default=_OPTIONAL,
        doc="Users whose roaming history leaves it out.",
    ),
)

_GROUP_ACK = Param(
    name="need_group_ack",
    type="bool | UnsetType",
    location="body",
    default=_OPTIONAL,
    doc="Chat groups: ask the members for read receipts.",
)
_LEVEL = Param(
    name="chatroom_msg_level",
    type='Literal["high", "normal", "low"] | UnsetType',
    location="body",
    default=_OPTIONAL,
    check="chatroom_msg_level",
    doc="Chat rooms: the message's priority (normal if unset); an overloaded server drops "
    "low ones first.",
)

_SEND = Endpoint(
    name="messages.send",
    method="POST",
    path="/messages/{target_type}",
    area="messages",
    summary="Send a message to users, chat groups or chat rooms; returns their message ids.",
    docs=_MSG,
    params=(
        Param(
            name="target_type",
            type='Literal["users", "chatgroups", "chatrooms"]',
            location="path",
            check="target_type",
            doc="users (up to 600 per call), chatgroups (3) or chatrooms (10).",
        ),
        _TO,
        _TYPE,
        _BODY,
        _FROM,
        _EXT,
        *_DELIVERY,
        _GROUP_ACK,
        _LEVEL,
    ),
    check_args=_check_send,
    returns=dict[str, str],
    result="dict[str, str]",
    legacy=(("POST", "/messages"),),
    typed=True,
)


_FILE_UUID = path_param("file_uuid", "The file's uuid, as files.upload returned it.")

_FILES: tuple[Endpoint, ...] = (
    Endpoint(
        name="files.upload",
        method="POST",
        path="/chatfiles",
        area="messages",
        summary="Upload a file for an image, audio, video or file message.",
        docs=_MSG,
        params=(
            Param(
                name="file",
                type="FileSource",
                location="body",
                positional=True,
                doc="The content (bytes), a path, or a file opened in binary mode.",
            ),
            Param(
                name="filename",
                type="str | UnsetType",
                location="body",
                default=_OPTIONAL,
                check="nonempty",
                doc="Name sent with the file; defaults to the path's or file object's name.",
            ),
            Param(
                name="restrict_access",
                type="bool | UnsetType",
                location="header",
                wire="restrict-access",
                default=_OPTIONAL,
                encode="bool",
                doc="Require the returned share_secret to download the file.",
            ),
            Param(
                name="thumbnail_width",
                type="int | UnsetType",
                location="header",
                wire="thumbnail-width",
                default=_OPTIONAL,
                check="positive",
                encode="str",
                doc="Width in pixels of an image's thumbnail (170 if unset).",
            ),
            Param(
                name="thumbnail_height",
                type="int | UnsetType",
                location="header",
                wire="thumbnail-height",
                default=_OPTIONAL,
                check="positive",
                encode="str",
                doc="Height in pixels of an image's thumbnail (170 if unset).",
            ),
        ),
        body_format="multipart",
        returns=UploadedFile,
        unwrap="first_entity",
        result="UploadedFile",
        typed=True,
    ),
    Endpoint(
        name="files.download",
        method="GET",
        path="/chatfiles/{file_uuid}",
        area="messages",
        summary="Download an uploaded file (or an image's thumbnail) as bytes.",
        docs=_MSG,
        params=(
            _FILE_UUID,
            Param(
                name="share_secret",
                type="str | UnsetType",
                location="header",
                wire="share-secret",
                default=_OPTIONAL,
                doc="The secret files.upload returned; needed for restricted files.",
            ),
            Param(
                name="thumbnail",
                type="bool | UnsetType",
                location="header",
                default=_OPTIONAL,
                encode="bool",
                doc="True: the image's thumbnail instead of the file.",
            ),
        ),
        returns=bytes,
        unwrap="bytes",
        result="bytes",
        legacy=(("POST", "/chatfiles/{file_uuid}"),),
        typed=True,
    ),
)

# -- message management: history files, recall, conversations ------------------------


def _first_url(files: list[HistoryFile]) -> str:
    """``data`` is a list holding one ``{"url"}``; without one the answer is invalid."""
    if not files[0].url:
        raise ValueError("data[0] has no url")
    return files[0].url


def _result_ok(data: Mapping[str, Any]) -> bool:
    return data.get("result") == "ok"


_ADMIN: tuple[Endpoint, ...] = (
    Endpoint(
        name="messages.history_file",
        method="GET",
        path="/chatmessages/{time}",
        area="messages",
        summary="Download link of the file holding one hour of chat history (last 3 days).",
        docs=_MSG,
        params=(
            path_param(
                "time",
                "The hour of UTC, YYYYMMDDHH: 2018112717 is 17:00-18:00 on 2018-11-27.",
                "history_hour",
            ),
        ),
        returns=list[HistoryFile],
        post=_first_url,
        result="str",
        rate=10 / 60,
        typed=True,
    ),
    Endpoint(
        name="messages.recall",
        method="POST",
        path="/messages/msg_recall",
        area="messages",
        summary="Recall a sent message (within the app's recall window unless forced).",
        docs=_MSG,
        params=(
            Param(
                name="msg_id",
                type="str",
                location="body",
                positional=True,
                check="nonempty",
                doc="Id of the message, as messages.send returned it.",
            ),
            Param(
                name="to",
                type="str",
                location="body",
                check="nonempty",
                doc="Its recipient: a username, group id or chat room id.",
            ),
            Param(
                name="chat_type",
                type='Literal["chat", "groupchat", "chatroom"]',
                location="body",
                check="chat_type",
                doc="chat (one-to-one), groupchat or chatroom.",
            ),
            Param(
                name="from_",
                type="str | UnsetType",
                location="body",
                wire="from",
                default=_OPTIONAL,
                check="nonempty",
                doc='Who recalls it; Agora uses "admin" if unset.',
            ),
            Param(
                name="force",
                type="bool | UnsetType",
                location="body",
                default=_OPTIONAL,
                doc="Recall even after the recall window (2 minutes by default).",
            ),
            Param(
                name="sync_device",
                type="bool | UnsetType",
                location="body",
                default=_OPTIONAL,
                doc="Also recall it on the sender's other devices (default true).",
            ),
        ),
        returns=RecallResponse,
        unwrap="envelope",
        post=RecallResponse.result,
        result="RecallResult",
        legacy=(("POST", "/messages/recall"),),
        typed=True,
    ),
    Endpoint(
        name="conversations.delete",
        method="DELETE",
        path="/users/{username}/user_channel",
        area="messages",
        summary="Delete a conversation from a user's server-side list (only for this user).",
        docs=_MSG,
        params=(
            USERNAME,
            Param(
                name="channel",
                type="str",
                location="body",
                check="nonempty",
                doc="The peer's username (chat) or the group id (groupchat).",
            ),
            Param(
                name="type",
                type='Literal["chat", "groupchat"]',
                location="body",
                check="conversation_type",
                doc="chat (one-to-one) or groupchat.",
            ),
            Param(
                name="delete_roam",
                type="bool",
                location="body",
                doc="Also delete the conversation's messages from the user's roaming history.",
            ),
        ),
        returns=dict[str, Any],
        post=_result_ok,
        result="bool",
        typed=True,
    ),
)

ROWS: tuple[Endpoint, ...] = (
    _SEND,
    *_FILES,
    *_ADMIN,
)

# -- beyond the overview table: directed group messages, rewrite, import ---------------


def _only_id(data: Mapping[str, str]) -> str:
    """``data`` maps the one group to the message id."""
    (message_id,) = data.values()
    return message_id


def _success(data: str) -> bool:
    return data == "success"


def _check_broadcast(args: Mapping[str, Any]) -> None:
    """The content and ``ext`` take at most 5 KB, as for any message: the fields of
    ``msg`` besides ``type`` are what ``body`` holds in a send (counted alike there)."""
    content = {k: v for k, v in args["message"].items() if k != "type"}
    _check_size({"body": content, "ext": args.get("ext")})


def _broadcast_id(data: Mapping[str, Any]) -> int:
    """``{"id": 1173998498812376874}``: a JSON number, unlike message ids."""
    return int(data["id"])


_IMPORT_PARAMS = (
    _TYPE,
    _BODY,
    msgspec.structs.replace(_EXT, doc="Extension fields (key-value pairs)."),
    Param(
        name="is_ack_read",
        type="bool | UnsetType",
        location="body",
        default=_OPTIONAL,
        doc="Whether the message shows as read.",
    ),
    Param(
        name="msg_timestamp",
        type="int | UnsetType",
        location="body",
        default=_OPTIONAL,
        check="timestamp_ms",
        doc="When it was sent (Unix ms); the server's time if unset.",
    ),
    Param(
        name="need_download",
        type="bool | UnsetType",
        location="body",
        default=_OPTIONAL,
        doc="Copy the attachment at body's url (publicly readable) to the server.",
    ),
)
_SENDER = Param(
    name="from_",
    type="str",
    location="body",
    wire="from",
    check="username",
    doc="The sender's username.",
)

# Agora's message page documents rewrite and the imports; the directed group message
# only Easemob's group-message page does (one group, 1-20 members, 100 calls/s), so
# its docs link is Agora's page on sending messages.
_EXTRA: tuple[Endpoint, ...] = (
    Endpoint(
        name="messages.send_to_group_members",
        method="POST",
        path="/messages/chatgroups/users",
        area="messages",
        summary="Send a group message that only some members (up to 20) receive; its id.",
        docs=_MSG,
        params=(
            Param(
                name="group_id",
                type="str",
                location="body",
                wire="to",
                positional=True,
                check="nonempty",
                encode="list",
                doc="The group (sent as a one-item `to` list).",
            ),
            Param(
                name="users",
                type="Sequence[str]",
                location="body",
                check="usernames_20",
                doc="The members who receive it (1-20); the others do not see it.",
            ),
            _TYPE,
            _BODY,
            _FROM,
            _EXT,
            *_DELIVERY,
        ),
        check_args=_check_size,
        returns=dict[str, str],
        post=_only_id,
        result="str",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="messages.rewrite",
        method="PUT",
        path="/messages/rewrite/{msg_id}",
        area="messages",
        summary="Change the content of a sent text or custom message (10 times at most).",
        docs=_MSG,
        params=(
            path_param("msg_id", "Id of the message, as messages.send returned it.", "message_id"),
            Param(
                name="new_msg",
                type="Mapping[str, Any]",
                location="body",
                check="rewritten_message",
                doc='{"type": "txt", "msg": ...} or {"type": "custom", "customEvent": ..., '
                '"customExts": {...}}; the type must stay the same.',
            ),
            Param(
                name="user",
                type="str | UnsetType",
                location="body",
                default=_OPTIONAL,
                check="nonempty",
                doc="Who changes it.",
            ),
            Param(
                name="new_ext",
                type="Mapping[str, Any] | UnsetType",
                location="body",
                default=_OPTIONAL,
                doc="New extension fields (custom messages only).",
            ),
            Param(
                name="is_combine_ext",
                type="bool | UnsetType",
                location="body",
                default=_OPTIONAL,
                doc="True (Agora's default): merge new_ext into the old fields; False: replace.",
            ),
        ),
        returns=str,
        post=_success,
        result="bool",
        # A PUT, but not harmless to repeat: each rewrite notifies the recipients again
        # and uses up one of the message's 10 edits.
        retry_safe=False,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="messages.import_to_user",
        method="POST",
        path="/messages/users/import",
        area="messages",
        summary="Import a one-to-one message into the history without delivering it; its id.",
        docs=_MSG,
        params=(
            _SENDER,
            Param(
                name="to",
                type="str",
                location="body",
                wire="target",
                check="username",
                doc="The recipient's username.",
            ),
            *_IMPORT_PARAMS,
        ),
        check_args=_check_size,
        returns=dict[str, str],
        post=value("msg_id"),
        result="str",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="messages.import_to_group",
        method="POST",
        path="/messages/chatgroups/import",
        area="messages",
        summary="Import a group message into the history without delivering it; its id.",
        docs=_MSG,
        params=(
            _SENDER,
            Param(
                name="group_id",
                type="str",
                location="body",
                wire="target",
                check="nonempty",
                doc="The group's id.",
            ),
            *_IMPORT_PARAMS,
        ),
        check_args=_check_size,
        returns=dict[str, str],
        post=value("msg_id"),
        result="str",
        typed=True,
        overview=False,
    ),
)
# Agora's message page: to every active chat room (a member and a message at least),
# Pro and Enterprise plans only, 10 calls a minute and 100 a day.
_BROADCAST = Endpoint(
    name="messages.broadcast_to_chatrooms",
    method="POST",
    path="/messages/chatrooms/broadcast",
    area="messages",
    summary="Send a message to every active chat room of the app; the broadcast id.",
    docs=_MSG,
    params=(
        Param(
            name="message",
            type="Mapping[str, Any]",
            location="body",
            wire="msg",
            positional=True,
            check="broadcast_message",
            doc='The type and its content fields together: {"type": "txt", "msg": "hi"}, '
            '{"type": "img", "url": ..., "filename": ...}.',
        ),
        _FROM,
        msgspec.structs.replace(_EXT, doc="Extension fields (also push options)."),
        msgspec.structs.replace(_LEVEL, doc="The message's priority (normal if unset)."),
    ),
    check_args=_check_broadcast,
    returns=dict[str, int],
    post=_broadcast_id,
    result="int",
    rate=10 / 60,
    typed=True,
    overview=False,
)
ROWS = (*ROWS, *_EXTRA, _BROADCAST)

_SEND_MANY = msgspec.structs.replace(
    _SEND,
    name="messages.send_many",
    summary="Send one message to any number of users, 600 per call; ids per user.",
    bulk=Bulk(
        chunk_size=600,
        items_name="usernames",
        item_type="str",
        splitter="recipients",
        takes=("type", "body", "from_", "ext", "sync_device", "routetype", "roam_ignore_users"),
        preset=(("target_type", "users"),),
    ),
    result="BulkResult[str, tuple[str, str]]",
    legacy=(),
)

#: Bulk helpers over Agora endpoints (one call per item, or items spread over calls). Not

HELPERS: tuple[Endpoint, ...] = (_SEND_MANY,)
