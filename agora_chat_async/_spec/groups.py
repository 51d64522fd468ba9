"""Chat groups and their members, admins, block/allow lists and mutes.

Page sizes: where Agora and Easemob document different maxima for a page-numbered list
(``list_joined``: 20 or 100; ``members.list``: 100 or 1000), the pager asks for the
smaller one. A page-numbered list ends on a short page, so asking for more than the
server gives would end it after its first page; asking for less only costs requests.
The blocklist pages with ``pageSize`` (camelCase) and a cursor (Agora's current page);
with ``pageSize`` alone Agora returns at most 50, so 50 is the page size.

``create`` always sends ``public`` (Easemob refuses a group without it): ``False``
unless asked, a private group being the cautious default. ``custom`` may take 8 KB at
creation (the create page) but 1024 characters in an update (the modify and limits
pages): the client holds each call to its own page's bound and lets the server decide
beyond that.

Beyond the overview table: the announcement (the chat rooms' rows, shared), banning
(``disable``/``enable``), the membership check, shared files and member attributes.
Shared files page with ``pagenum``/``pagesize`` up to 1000 (Agora and Easemob agree;
Easemob's default is 1000 too). Agora lists ``restrict-access`` as a required upload
header yet leaves it out of one of its two examples, as Easemob does: it is sent only
when given. Member attribute keys take at most 16 bytes and values 512 (``""``
removes the key), 4 KB per member; a read takes at most 10 members.
"""

from __future__ import annotations

from typing import Any

from ..models.groups import GroupDetail, GroupFile, GroupSummary, JoinedGroup
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
    Pager,
    Param,
    cursor_pager,
    flag,
    is_one_of,
    page_pager,
    path_param,
    value,
)

__all__ = ["HELPERS", "ROWS"]

_GRP = DOCS + "chat-group-management/"
_MANAGE = _GRP + "create-delete-retrieve-groups"

GROUP_ID = path_param("group_id", "The group ID.")

KIND = Kind(
    prefix="groups",
    root="/chatgroups/{group_id}",
    id_name="group_id",
    noun="group",
    area="group_members",
    docs=_GRP,
    pages={
        "members": "manage-group-members",
        "blocklist": "manage-group-blocklist",
        "allowlist": "manage-group-allowlist",
        "mutelist": "manage-group-mutelist",
    },
    members_pager=page_pager(100, 10),
    blocklist_pager=Pager(style="cursor", size_param="pageSize", max_size=50, default_size=50),
    legacy={
        "mutes.remove": (("POST", "/chatgroups/{group_id}/mute/{usernames}"),),
        "mutes.unmute_all": (("PUT", "/chatgroups/{group_id}/ban"),),
    },
)


_UPDATABLE = (
    "name",
    "description",
    "avatar",
    "public",
    "max_users",
    "members_only",
    "allow_invites",
    "invite_need_confirm",
    "custom",
)

_NAME = optional(
    "name", "str", "Group name, at most 128 characters.", wire="groupname", check="room_name"
)
_DESCRIPTION = optional(
    "description", "str", "Description, at most 512 characters.", check="room_description"
)
_AVATAR = optional("avatar", "str", "Avatar URL, at most 1024 characters.", check="avatar_url")
_MAX_USERS = optional(
    "max_users",
    "int",
    "Most members, the owner included (Agora's default: 200).",
    wire="maxusers",
    check="positive",
)
_MEMBERS_ONLY = optional(
    "members_only", "bool", "Joining needs an owner's or admin's approval.", wire="membersonly"
)
_ALLOW_INVITES = optional(
    "allow_invites", "bool", "Regular members may invite others.", wire="allowinvites"
)
_INVITE_CONFIRM = optional("invite_need_confirm", "bool", "Invitees must accept before they join.")
_CUSTOM = optional(
    "custom", "str", "Extension information, at most 1024 characters.", check="room_custom"
)
_CUSTOM_CREATE = optional(
    "custom", "str", "Extension information, at most 8 KB.", check="group_custom_create"
)

_OWN: tuple[Endpoint, ...] = (
    Endpoint(
        name="groups.list",
        method="GET",
        path="/chatgroups",
        area="groups",
        summary="Iterate over all groups of the app, newest first.",
        docs=_MANAGE,
        returns=list[GroupSummary],
        result="AsyncPager[GroupSummary]",
        pager=cursor_pager(1000),
        typed=True,
    ),
    Endpoint(
        name="groups.list_joined",
        method="GET",
        path="/users/{username}/joined_chatgroups",
        area="groups",
        summary="Iterate over the groups a user joined.",
        docs=_MANAGE,
        params=(USERNAME,),
        returns=list[JoinedGroup],
        result="AsyncPager[JoinedGroup]",
        pager=page_pager(20, 5),
        rate=50.0,
        legacy=(("GET", "/{app_name}/users/{username}/joined_chatgroups"),),
        typed=True,
    ),
    Endpoint(
        name="groups.get",
        method="GET",
        path="/chatgroups/{group_ids}",
        area="groups",
        summary="Details of 1-100 groups, members included.",
        docs=_MANAGE,
        params=(
            Param(
                name="group_ids",
                type="Sequence[str]",
                location="path",
                encode="csv",
                check="room_ids_100",
                doc="1-100 group IDs (sent comma-separated).",
            ),
        ),
        returns=list[GroupDetail],
        result="Sequence[GroupDetail]",
        typed=True,
    ),
    Endpoint(
        name="groups.create",
        method="POST",
        path="/chatgroups",
        area="groups",
        summary="Create a group; returns its ID.",
        docs=_MANAGE,
        params=(
            _NAME,
            _DESCRIPTION,
            Param(
                name="public",
                type="bool",
                location="body",
                default="False",
                doc="Public groups can be found and asked to join; always sent "
                "(Easemob refuses a group without it).",
            ),
            _MAX_USERS,
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
                "Members to add besides the owner.",
                check="member_list",
            ),
            _ALLOW_INVITES,
            _MEMBERS_ONLY,
            _INVITE_CONFIRM,
            _CUSTOM_CREATE,
            _AVATAR,
        ),
        check_args=members_fit,
        returns=dict[str, Any],
        post=value("groupid"),
        result="str",
        typed=True,
    ),
    Endpoint(
        name="groups.update",
        method="PUT",
        path="/chatgroups/{group_id}",
        area="groups",
        summary="Change some settings of a group; returns {field: True} per field changed.",
        docs=_MANAGE,
        params=(
            GROUP_ID,
            _NAME,
            _DESCRIPTION,
            _AVATAR,
            optional("public", "bool", "Public groups can be found and asked to join."),
            _MAX_USERS,
            _MEMBERS_ONLY,
            _ALLOW_INVITES,
            _INVITE_CONFIRM,
            _CUSTOM,
        ),
        check_args=needs_one_of(_UPDATABLE),
        returns=dict[str, bool],
        result="dict[str, bool]",
        typed=True,
    ),
    Endpoint(
        name="groups.delete",
        method="DELETE",
        path="/chatgroups/{group_id}",
        area="groups",
        summary="Delete a group and its threads; True when done.",
        docs=_MANAGE,
        params=(GROUP_ID,),
        returns=dict[str, Any],
        post=flag("success"),
        result="bool",
        typed=True,
    ),
)

_TRANSFER = transfer_row(KIND, KIND.url("members"))

_LISTS = list_rows(KIND)

# -- beyond the overview table -------------------------------------------------------

_FILES_DOCS = _GRP + "manage-group-announcement-files"


def _ban_row(name: str, summary: str, post: Any) -> Endpoint:
    return Endpoint(
        name=f"groups.{name}",
        method="POST",
        path=f"/chatgroups/{{group_id}}/{name}",
        area="group_extras",
        summary=summary,
        docs=_MANAGE,
        params=(GROUP_ID,),
        returns=dict[str, Any],
        post=post,
        result="bool",
        retry_safe=True,  # sets a flag: repeating answers the same
        typed=True,
        overview=False,
    )


_FILE_ID = path_param("file_id", "The file ID, as files.upload or files.list gave it.")


def _files_row(name: str, method: str, path: str, summary: str, **fields: Any) -> Endpoint:
    return Endpoint(
        name=f"groups.files.{name}",
        method=method,  # type: ignore[arg-type]
        path="/chatgroups/{group_id}/share_files" + path,
        area="group_files",
        summary=summary,
        docs=_FILES_DOCS,
        typed=True,
        overview=False,
        **fields,
    )


_MEMBER = path_param("username", "The group member.", "username")


def _attributes_row(name: str, method: str, path: str, summary: str, **fields: Any) -> Endpoint:
    return Endpoint(
        name=f"groups.member_attributes.{name}",
        method=method,  # type: ignore[arg-type]
        path="/metadata/chatgroup/{group_id}" + path,
        area="group_member_attributes",
        summary=summary,
        docs=KIND.url("members"),
        typed=True,
        overview=False,
        **fields,
    )


_EXTRAS: tuple[Endpoint, ...] = (
    *announcement_rows(KIND, area="group_extras", docs=_FILES_DOCS, overview=False),
    _ban_row(
        "disable",
        "Ban a group: nobody may send in it, nor change it, until enabled; True when done.",
        is_one_of("disabled", True),
    ),
    _ban_row("enable", "Lift the ban on a group; True when done.", is_one_of("disabled", False)),
    Endpoint(
        name="groups.is_member",
        method="GET",
        path="/chatgroups/{group_id}/user/{username}/is_joined",
        area="group_extras",
        summary="Whether a user is a member of a group (its owner included).",
        docs=_MANAGE,
        params=(GROUP_ID, USERNAME),
        returns=bool,
        result="bool",
        typed=True,
        overview=False,
    ),
    _files_row(
        "upload",
        "POST",
        "",
        "Share a file (at most 10 MB) in a group (at most 10,000 files).",
        params=(
            GROUP_ID,
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
                default="UNSET",
                check="nonempty",
                doc="Name sent with the file; defaults to the path's or file object's name.",
            ),
            Param(
                name="restrict_access",
                type="bool | UnsetType",
                location="header",
                wire="restrict-access",
                default="UNSET",
                encode="bool",
                doc="Let only group members download the file.",
            ),
        ),
        body_format="multipart",
        returns=GroupFile,
        result="GroupFile",
    ),
    _files_row(
        "list",
        "GET",
        "",
        "Iterate over the files shared in a group.",
        params=(GROUP_ID,),
        returns=list[GroupFile],
        result="AsyncPager[GroupFile]",
        pager=page_pager(1000, 1000),
    ),
    _files_row(
        "download",
        "GET",
        "/{file_id}",
        "Download a file shared in a group, as bytes.",
        params=(GROUP_ID, _FILE_ID),
        returns=bytes,
        unwrap="bytes",
        result="bytes",
    ),
    _files_row(
        "delete",
        "DELETE",
        "/{file_id}",
        "Delete a file shared in a group; True when done.",
        params=(GROUP_ID, _FILE_ID),
        returns=dict[str, Any],
        post=flag("result"),
        result="bool",
    ),
    _attributes_row(
        "set",
        "PUT",
        "/user/{username}",
        'Set custom attributes of a group member ("" removes one); the attributes set.',
        params=(
            GROUP_ID,
            _MEMBER,
            Param(
                name="attributes",
                type="Mapping[str, str]",
                location="body",
                wire="metaData",
                positional=True,
                check="member_attributes",
                doc='Keys (at most 16 bytes) to values (at most 512 bytes; "" removes '
                "the key); a member holds at most 4 KB.",
            ),
        ),
        returns=dict[str, str],
        result="dict[str, str]",
    ),
    _attributes_row(
        "get",
        "GET",
        "/user/{username}",
        "All custom attributes of a group member.",
        params=(GROUP_ID, _MEMBER),
        returns=dict[str, str],
        result="dict[str, str]",
    ),
    _attributes_row(
        "get_many",
        "POST",
        "/get",
        "Custom attributes of 1-10 group members: {member: {key: value}}.",
        params=(
            GROUP_ID,
            Param(
                name="usernames",
                type="Sequence[str]",
                location="body",
                wire="targets",
                positional=True,
                check="usernames_10",
                doc="1-10 group members.",
            ),
            Param(
                name="keys",
                type="Sequence[str] | UnsetType",
                location="body",
                wire="properties",
                default="UNSET",
                check="member_attribute_keys",
                doc="The keys to read; all of them if left out or empty.",
            ),
        ),
        returns=dict[str, dict[str, str]],
        result="dict[str, dict[str, str]]",
        retry_safe=True,  # a read sent as POST
    ),
)

ROWS: tuple[Endpoint, ...] = (*_OWN, *member_rows(KIND), _TRANSFER, *_LISTS, *_EXTRAS)

HELPERS: tuple[Endpoint, ...] = helper_rows(KIND, _LISTS)
