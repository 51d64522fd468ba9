"""Chat rooms and their members, admins, block/allow lists and mutes.

The list of all chat rooms takes at most 100 per page (Agora; Easemob says 1000): it
ends when the answer has no cursor, so the smaller maximum costs requests, not items.
Member and joined-room pages take up to 1000 (both sources agree). The room blocklist
is not paged. Agora's joined-rooms example shows ``data`` as one object instead of a
list; the pager accepts both.

Beyond the overview table: ownership transfer (Easemob documents it; the row is the
groups' one), the app's chat room super admins, and room custom attributes. Super
admin pages take up to 1000 (Easemob; Agora gives only the default, 10). The attribute
calls take at most 10 keys, of 1-128 characters from ``a-z A-Z 0-9 _ - .``, with
values of at most 4096 characters (Easemob; Agora's page says 4,086, taken for a typo:
a longer value only fails its key on the server); a room holds at most 100.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models.chatrooms import (
    ChatroomAttributeResult,
    ChatroomDetail,
    ChatroomSummary,
    JoinedChatroom,
)
from ._rooms import (
    Kind,
    announcement_rows,
    helper_rows,
    list_rows,
    member_rows,
    members_fit,
    needs_one_of,
    optional,
    transfer_row,
)
from ._types import (
    DOCS,
    USERNAME,
    Endpoint,
    Param,
    as_list,
    cursor_pager,
    flag,
    is_one_of,
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
    legacy={
        "mutes.unmute_all": (("PUT", "/chatrooms/{chatroom_id}/ban"),),
        "set_announcement": (("PUT", "/chatrooms/{chatroom_id}/announcement"),),
    },
)


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
    *announcement_rows(KIND, area="chatrooms", docs=_MANAGE),
)

_LISTS = list_rows(KIND)

# -- beyond the overview table -------------------------------------------------------

_SUPER = _ROOM + "manage-chatroom-admins"
_ATTRS = _ROOM + "manage-chatroom-attributes"


def _super_admin_removed(data: Mapping[str, Any]) -> bool:
    """``{"newSuperAdmin": u}`` (sic) names the user whose role was revoked."""
    return bool(data.get("newSuperAdmin"))


_SUPER_ADMINS: tuple[Endpoint, ...] = (
    Endpoint(
        name="chatrooms.super_admins.list",
        method="GET",
        path="/chatrooms/super_admin",
        area="chatroom_super_admins",
        summary="Iterate over the app's chat room super admins, latest first.",
        docs=_SUPER,
        returns=list[str],
        result="AsyncPager[str]",
        pager=page_pager(1000, 10),
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="chatrooms.super_admins.add",
        method="POST",
        path="/chatrooms/super_admin",
        area="chatroom_super_admins",
        summary="Make a user a chat room super admin (may create rooms); True when done.",
        docs=_SUPER,
        params=(
            Param(
                name="username",
                type="str",
                location="body",
                wire="superadmin",
                positional=True,
                check="username",
                doc="The user to promote.",
            ),
        ),
        returns=dict[str, Any],
        # {"result": "success"} in the examples (a string); the table says a boolean
        post=is_one_of("result", "success", True),
        result="bool",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="chatrooms.super_admins.remove",
        method="DELETE",
        path="/chatrooms/super_admin/{username}",
        area="chatroom_super_admins",
        summary="Revoke a user's chat room super admin role; True when done.",
        docs=_SUPER,
        params=(path_param("username", "The super admin to demote.", "username"),),
        returns=dict[str, Any],
        post=_super_admin_removed,
        result="bool",
        typed=True,
        overview=False,
    ),
)


def _attribute_rows() -> tuple[Endpoint, ...]:
    """Set / get / remove, the set and remove rows with their ``/forced`` twins."""
    member = path_param("username", "The room member the attributes belong to.", "username")
    attributes = Param(
        name="attributes",
        type="Mapping[str, str]",
        location="body",
        wire="metaData",
        positional=True,
        check="room_attributes",
        doc="1-10 keys (1-128 of a-z A-Z 0-9 _ - .) and values (at most 4096 characters).",
    )
    auto_delete = Param(
        name="auto_delete",
        type='Literal["DELETE", "NO_DELETE"] | UnsetType',
        location="body",
        wire="autoDelete",
        default="UNSET",
        check="auto_delete",
        doc='"DELETE" (the server\'s default): the attributes go when the member leaves the '
        'room; "NO_DELETE": they stay.',
    )
    keys = Param(
        name="keys",
        type="Sequence[str]",
        location="body",
        positional=True,
        check="room_attribute_keys",
        doc="1-10 keys to remove.",
    )
    user_path = "/metadata/chatroom/{chatroom_id}/user/{username}"

    def row(name: str, method: str, path: str, summary: str, *params: Param) -> Endpoint:
        return Endpoint(
            name=f"chatrooms.attributes.{name}",
            method=method,  # type: ignore[arg-type]
            path=path,
            area="chatroom_attributes",
            summary=summary,
            docs=_ATTRS,
            params=(CHATROOM_ID, member, *params),
            returns=ChatroomAttributeResult,
            result="ChatroomAttributeResult",
            typed=True,
            overview=False,
        )

    get = Endpoint(
        name="chatrooms.attributes.get",
        method="POST",
        path="/metadata/chatroom/{chatroom_id}",
        area="chatroom_attributes",
        summary="Custom attributes of a chat room: the keys asked for, or all of them.",
        docs=_ATTRS,
        params=(
            CHATROOM_ID,
            Param(
                name="keys",
                type="Sequence[str]",
                location="body",
                default="()",
                check="room_attribute_keys_any",
                doc="Keys to return; none (the default): every attribute of the room.",
            ),
        ),
        returns=dict[str, str],
        result="dict[str, str]",
        retry_safe=True,  # a read sent as POST
        typed=True,
        overview=False,
    )
    return (
        row(
            "set",
            "PUT",
            user_path,
            "Set a member's custom attributes of a chat room; others' keys fail.",
            attributes,
            auto_delete,
        ),
        row(
            "set_forced",
            "PUT",
            user_path + "/forced",
            "Set a member's custom attributes of a chat room, overwriting others' keys.",
            attributes,
            auto_delete,
        ),
        get,
        row(
            "remove",
            "DELETE",
            user_path,
            "Remove custom attributes a member set; others' keys fail.",
            keys,
        ),
        row(
            "remove_forced",
            "DELETE",
            user_path + "/forced",
            "Remove custom attributes of a chat room whoever set them.",
            keys,
        ),
    )


_EXTRAS: tuple[Endpoint, ...] = (
    transfer_row(KIND, _MANAGE, overview=False),
    *_SUPER_ADMINS,
    *_attribute_rows(),
)

ROWS: tuple[Endpoint, ...] = (*_OWN, *member_rows(KIND), *_LISTS, *_EXTRAS)

HELPERS: tuple[Endpoint, ...] = helper_rows(KIND, _LISTS)
