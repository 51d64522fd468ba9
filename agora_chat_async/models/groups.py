"""Chat group structs (``/chatgroups`` endpoints), and the member and list entries that
chat groups and chat rooms share."""

from __future__ import annotations

from typing import Literal

import msgspec

from ._base import Model

__all__ = [
    "AddedMembers",
    "GroupDetail",
    "GroupFile",
    "GroupSummary",
    "JoinedGroup",
    "Member",
    "MemberResult",
    "MuteResult",
    "MutedUser",
    "RoomDetail",
]


class Member(Model, kw_only=True):
    """A member of a group or chat room as member lists and ``affiliations`` show it.

    On the wire each member is a one-key object, ``{"owner": "u1"}`` or
    ``{"member": "u2"}``; admins show as members (``admins.list`` tells them apart).
    The struct decodes that object as it is (no conversion pass over long member pages);
    read ``username`` and ``role``.
    """

    owner: str | None = None
    """The username, when this member is the owner."""
    member: str | None = None
    """The username, when this member is not the owner (an admin or a member)."""

    @property
    def username(self) -> str:
        """The member's username."""
        return self.owner if self.owner is not None else self.member or ""

    @property
    def role(self) -> Literal["owner", "member"]:
        """``"owner"``, or ``"member"`` for admins and regular members."""
        return "owner" if self.owner is not None else "member"

    def __repr__(self) -> str:
        return f"Member({self.username!r}, role={self.role!r})"


class GroupSummary(Model, kw_only=True):
    """A group as the list of all groups of the app shows it."""

    group_id: str = msgspec.field(name="groupid", default="")
    """The group ID."""
    name: str | None = msgspec.field(name="groupname", default=None)
    """The group name."""
    owner: str | None = None
    """The owner, in the form ``{org_name}#{app_name}_{username}`` (this list only)."""
    affiliations_count: int | None = msgspec.field(name="affiliations", default=None)
    """How many members the group has, the owner included."""
    type: str | None = None
    """Always ``"group"``."""
    last_modified: str | int | None = msgspec.field(name="lastModified", default=None)
    """When the group last changed (Unix ms; Agora sends it as a string)."""
    created: int | None = None
    """When the group was created (Unix ms), where the server sends it."""


class JoinedGroup(Model, kw_only=True):
    """A group in the list of groups a user joined."""

    group_id: str = msgspec.field(name="groupid", default="")
    """The group ID."""
    name: str | None = msgspec.field(name="groupname", default=None)
    """The group name."""


class RoomDetail(Model, kw_only=True):
    """The details chat groups and chat rooms share (:class:`GroupDetail`,
    :class:`~agora_chat_async.models.ChatroomDetail`)."""

    id: str = ""
    """The group or chat room ID."""
    name: str | None = None
    """The name (at most 128 characters)."""
    description: str | None = None
    """The description (at most 512 characters)."""
    public: bool | None = None
    """Whether the group is public (searchable; users may ask to join); always true for
    chat rooms."""
    members_only: bool | None = msgspec.field(name="membersonly", default=None)
    """Whether joining needs the owner's or an admin's approval."""
    allow_invites: bool | None = msgspec.field(name="allowinvites", default=None)
    """Whether regular members may invite others."""
    invite_need_confirm: bool | None = None
    """Whether invitees must accept before they join."""
    max_users: int | None = msgspec.field(name="maxusers", default=None)
    """Most members, the owner included."""
    owner: str | None = None
    """The owner's username."""
    created: int | None = None
    """When it was created (Unix ms)."""
    custom: str | None = None
    """Extension information."""
    mute: bool | None = None
    """Whether all members are muted (``mutes.mute_all``)."""
    disabled: bool | None = None
    """Whether it is disabled (banned)."""
    affiliations_count: int | None = None
    """How many members it has, the owner included."""
    affiliations: list[Member] = msgspec.field(default_factory=list)
    """The members (at most 10,000 are listed)."""
    error: str | None = None
    """Why there are no details, when the ID does not exist but others asked for in the
    same call do (``"group id doesn't exist"``)."""


class GroupDetail(RoomDetail, kw_only=True):
    """The details of a group."""

    avatar: str | None = None
    """URL of the group avatar (at most 1024 characters)."""


class MemberResult(Model, kw_only=True):
    """The outcome for one user of a member, blocklist or allowlist change.

    Groups name the group ``groupid``; chat rooms name it ``id`` for member changes and
    ``chatroomid`` for block and allow lists: ``target_id`` reads whichever came.
    """

    result: bool = False
    """Whether the change was made for this user."""
    user: str = ""
    """The username."""
    reason: str | None = None
    """Why it was not made (on failures only)."""
    action: str | None = None
    """What was done: add_member, remove_member, add_blocks, add_user_whitelist ..."""
    group_id: str | None = msgspec.field(name="groupid", default=None)
    """The group ID (group changes)."""
    id: str | None = None
    """The chat room ID (chat room member changes)."""
    chatroom_id: str | None = msgspec.field(name="chatroomid", default=None)
    """The chat room ID (chat room block and allow list changes)."""

    @property
    def target_id(self) -> str | None:
        """The group or chat room ID, whichever key the server used."""
        return self.group_id or self.id or self.chatroom_id


class AddedMembers(Model, kw_only=True):
    """The answer to adding several members: only those actually added are listed."""

    new_members: list[str] = msgspec.field(name="newmembers", default_factory=list)
    """The users added by this call."""
    action: str | None = None
    """Always ``"add_member"``."""
    group_id: str | None = msgspec.field(name="groupid", default=None)
    """The group ID (groups)."""
    id: str | None = None
    """The chat room ID (chat rooms)."""


class MutedUser(Model, kw_only=True):
    """An entry of a mute list."""

    user: str = ""
    """The muted user."""
    expire: int | None = None
    """When the mute ends (Unix ms); -1 means never."""


class MuteResult(Model, kw_only=True):
    """The outcome for one user of muting or unmuting."""

    result: bool = False
    """Whether the user was muted (or unmuted)."""
    user: str = ""
    """The username."""
    expire: int | None = None
    """When the mute ends (Unix ms; muting only)."""
    reason: str | None = None
    """Why it was not done, where the server says."""


class GroupFile(Model, kw_only=True):
    """A file shared in a group: an entry of ``groups.files.list`` (with its owner) or
    the answer to ``groups.files.upload`` (with its URL and group)."""

    file_id: str = ""
    """The file ID (a UUID): what ``groups.files.download`` and ``delete`` take."""
    file_name: str | None = None
    """The file name."""
    file_size: int | None = None
    """Size in bytes."""
    created: int | None = None
    """When it was uploaded (Unix ms)."""
    file_owner: str | None = None
    """Who uploaded it (list entries)."""
    file_url: str | None = None
    """Where it can be downloaded (upload answers)."""
    group_id: str | None = None
    """The group ID (upload answers)."""
