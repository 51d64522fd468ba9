"""Messages, files, history and conversations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from ._types import (
    DOCS,
    Bulk,
    Endpoint,
    Param,
    planned,
)

__all__ = ["HELPERS", "MAX_MESSAGE_BYTES", "MAX_TARGETS", "ROWS"]

_MSG = DOCS + "message-management"


#: Recipients per call by target type, and the size limit of ``body`` + ``ext``.
MAX_TARGETS = {"users": 600, "chatgroups": 3, "chatrooms": 10}
MAX_MESSAGE_BYTES = 5 * 1024


def _check_send(args: Mapping[str, Any]) -> None:
    limit = MAX_TARGETS.get(args["target_type"], 600)
    if len(args["to"]) > limit:
        raise ValueError(f"to: at most {limit} {args['target_type']} per call")
    ext = args.get("ext")
    size = len(msgspec.json.encode(args["body"]))
    size += len(msgspec.json.encode(ext)) if isinstance(ext, Mapping) else 0
    if size > MAX_MESSAGE_BYTES:
        raise ValueError(f"body and ext take {size} bytes; a message may take 5 KB")


_OPTIONAL = "UNSET"

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
        Param(
            name="to",
            type="Sequence[str]",
            location="body",
            check="recipients",
            doc="Usernames, group ids or chat room ids.",
        ),
        Param(
            name="type",
            type="MessageType",
            location="body",
            check="message_type",
            doc="txt, img, audio, video, file, loc, cmd or custom.",
        ),
        Param(
            name="body",
            type="Mapping[str, Any]",
            location="body",
            check="message_body",
            doc='The content for the type, e.g. {"msg": "hi"} for txt.',
        ),
        Param(
            name="from_",
            type="str | UnsetType",
            location="body",
            wire="from",
            default=_OPTIONAL,
            check="nonempty",
            doc='Sender; Agora uses "admin" if unset.',
        ),
        Param(
            name="ext",
            type="Mapping[str, Any] | UnsetType",
            location="body",
            default=_OPTIONAL,
            doc="Extension fields (also push options such as em_ignore_notification).",
        ),
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
    ),
    check_args=_check_send,
    returns=dict[str, str],
    result="dict[str, str]",
    legacy=(("POST", "/messages"),),
    typed=True,
)


ROWS: tuple[Endpoint, ...] = (
    _SEND,
    *planned(
        "messages",
        """
        files.upload POST /chatfiles
        files.download GET /chatfiles/{file_uuid}
        messages.history_file GET /chatmessages/{time}
        messages.recall POST /messages/msg_recall
        conversations.delete DELETE /users/{username}/user_channel
        """,
        _MSG,
        rates={"messages.history_file": 10 / 60},
        legacy={
            "files.download": (("POST", "/chatfiles/{file_uuid}"),),
            "messages.recall": (("POST", "/messages/recall"),),
        },
    ),
)

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
