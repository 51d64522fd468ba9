"""Chat rooms and their members, admins, block/allow lists and mutes.

The list of all chat rooms takes at most 100 per page (Agora; Easemob says 1000): it
ends when the answer has no cursor, so the smaller maximum costs requests, not items.
Member and joined-room pages take up to 1000 (both sources agree). The room blocklist
is not paged. Agora's joined-rooms example shows ``data`` as one object instead of a
list; the pager accepts both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models.chatrooms import ChatroomDetail, ChatroomSummary, JoinedChatroom
from ._rooms import (
    Kind,
    helper_rows,
    list_rows,
    member_rows,
    members_fit,
    needs_one_of,
    optional,
)
from ._types import (
    DOCS,
    USERNAME,
    Endpoint,
    Param,
    as_list,
    cursor_pager,
    flag,
    page_pager,
    path_param,
    single_pager,
    value,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["HELPERS", "ROWS"]

_ROOM = DOCS + "chatroom-management/"
_MANAGE = _ROOM + "manage-chatrooms"

CHATROOM_ID = path_param("chatroom_id", "The chat room ID.")

KIND = Kind(
    prefix="chatrooms",
    root="/chatrooms/{chatroom_id}",
    id_name="chatroom_id",
    noun="chat room",
    area="chatroom_members",
    docs=_ROOM,
    pages={
        "members": "manage-chatroom-members",
        "blocklist": "manage-chatroom-blocklist",
        "allowlist": "manage-chatrooms-allowlist",
        "mutelist": "manage-chatroom-mutelist",
    },
    members_pager=page_pager(1000, 1000),
    blocklist_pager=single_pager(),
    legacy={"mutes.unmute_all": (("PUT", "/chatrooms/{chatroom_id}/ban"),)},
)


def _announcement(data: Mapping[str, Any]) -> str:
    return str(data.get("announcement") or "")


_UPDATABLE = ("name", "description", "max_users")

_MAX_USERS_DOC = "Most members, the owner included: 1-10,000 (default 1000)."

_OWN: tuple[Endpoint, ...] = (
    Endpoint(
        name="chatrooms.list",
        method="GET",
        path="/chatrooms",
        area="chatrooms",
        summary="Iterate over all chat rooms of the app, newest first.",
        docs=_MANAGE,
        returns=list[ChatroomSummary],
        result="AsyncPager[ChatroomSummary]",
        pager=cursor_pager(100),
        rate=50.0,
        typed=True,
    ),
    Endpoint(
        name="chatrooms.list_joined",
        method="GET",
        path="/users/{username}/joined_chatrooms",
        area="chatrooms",
        summary="Iterate over the chat rooms a user joined.",
        docs=_MANAGE,
        params=(USERNAME,),
        returns=list[JoinedChatroom] | JoinedChatroom,
        post=as_list,
        result="AsyncPager[JoinedChatroom]",
        pager=page_pager(1000, 1000),
        rate=50.0,
        typed=True,
    ),
    Endpoint(
        name="chatrooms.get",
        method="GET",
        path="/chatrooms/{chatroom_ids}",
        area="chatrooms",
        summary="Details of 1-100 chat rooms, members included.",
        docs=_MANAGE,
        params=(
            Param(
                name="chatroom_ids",
                type="Sequence[str]",
                location="path",
                encode="csv",
                check="room_ids_100",
                doc="1-100 chat room IDs (sent comma-separated).",
            ),
        ),
        returns=list[ChatroomDetail],
        result="Sequence[ChatroomDetail]",
        typed=True,
    ),
    Endpoint(
        name="chatrooms.create",
        method="POST",
        path="/chatrooms",
        area="chatrooms",
        summary="Create a chat room; returns its ID.",
        docs=_MANAGE,
        params=(
            Param(
                name="name",
                type="str",
                location="body",
                check="room_name_required",
                doc="Chat room name, 1-128 characters.",
            ),
            Param(
                name="description",
                type="str",
                location="body",
                check="room_description_required",
                doc="Description, 1-512 characters.",
            ),
            optional("max_users", "int", _MAX_USERS_DOC, wire="maxusers", check="room_max_users"),
            Param(
                name="owner",
                type="str",
                location="body",
                check="username",
                doc="The owner's username.",
            ),
            optional(
                "members",
                "Sequence[str]",
                "Members to add besides the owner (at least one if given).",
                check="member_list",
            ),
            optional(
                "custom",
                "str",
                "Extension information, at most 1024 characters.",
                check="room_custom",
            ),
        ),
        check_args=members_fit,
        returns=dict[str, Any],
        post=value("id"),
        result="str",
        rate=50.0,
        typed=True,
    ),
    Endpoint(
        name="chatrooms.update",
        method="PUT",
        path="/chatrooms/{chatroom_id}",
        area="chatrooms",
        summary='Change a chat room\'s name, description or size; {field: True} ("groupname" '
        "for the name).",
        docs=_MANAGE,
        params=(
            CHATROOM_ID,
            optional("name", "str", "Chat room name, at most 128 characters.", check="room_name"),
            optional(
                "description",
                "str",
                "Description, at most 512 characters.",
                check="room_description",
            ),
            optional("max_users", "int", _MAX_USERS_DOC, wire="maxusers", check="room_max_users"),
        ),
        check_args=needs_one_of(_UPDATABLE),
        returns=dict[str, bool],
        result="dict[str, bool]",
        typed=True,
    ),
    Endpoint(
        name="chatrooms.delete",
        method="DELETE",
        path="/chatrooms/{chatroom_id}",
        area="chatrooms",
        summary="Delete a chat room; True when done.",
        docs=_MANAGE,
        params=(CHATROOM_ID,),
        returns=dict[str, Any],
        post=flag("success"),
        result="bool",
        typed=True,
    ),
    Endpoint(
        name="chatrooms.get_announcement",
        method="GET",
        path="/chatrooms/{chatroom_id}/announcement",
        area="chatrooms",
        summary='A chat room\'s announcement ("" if none).',
        docs=_MANAGE,
        params=(CHATROOM_ID,),
        returns=dict[str, Any],
        post=_announcement,
        result="str",
        typed=True,
    ),
    Endpoint(
        name="chatrooms.set_announcement",
        method="POST",
        path="/chatrooms/{chatroom_id}/announcement",
        area="chatrooms",
        summary="Replace a chat room's announcement; True when done.",
        docs=_MANAGE,
        params=(
            CHATROOM_ID,
            Param(
                name="announcement",
                type="str",
                location="body",
                positional=True,
                check="announcement",
                doc="The text, at most 512 characters.",
            ),
        ),
        returns=dict[str, Any],
        post=flag("result"),
        result="bool",
        retry_safe=True,  # replaces the text: repeating answers the same
        legacy=(("PUT", "/chatrooms/{chatroom_id}/announcement"),),
        typed=True,
    ),
)

_LISTS = list_rows(KIND)

ROWS: tuple[Endpoint, ...] = (*_OWN, *member_rows(KIND), *_LISTS)

HELPERS: tuple[Endpoint, ...] = helper_rows(KIND, _LISTS)
