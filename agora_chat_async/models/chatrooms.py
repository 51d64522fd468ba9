"""Chat room structs (``/chatrooms`` endpoints).

Members, block/allow lists and mutes use the structs chat groups use
(:mod:`agora_chat_async.models.groups`).
"""

from __future__ import annotations

import msgspec

from ._base import Model
from .groups import Member

__all__ = ["ChatroomDetail", "ChatroomSummary", "JoinedChatroom"]


class ChatroomSummary(Model, kw_only=True):
    """A chat room as the list of all chat rooms of the app shows it."""

    id: str = ""
    """The chat room ID."""
    name: str | None = None
    """The chat room name."""
    owner: str | None = None
    """The owner's username."""
    affiliations_count: int | None = None
    """How many members the room has, the owner included."""
    disabled: bool | None = None
    """Whether the room is disabled."""


class JoinedChatroom(Model, kw_only=True):
    """A chat room in the list of chat rooms a user joined."""

    id: str = ""
    """The chat room ID."""
    name: str | None = None
    """The chat room name."""
    disabled: bool | str | None = None
    """Whether the room is disabled (Easemob's example sends ``"false"``, a string)."""


class ChatroomDetail(Model, kw_only=True):
    """The details of a chat room."""

    id: str = ""
    """The chat room ID."""
    name: str | None = None
    """The chat room name (at most 128 characters)."""
    description: str | None = None
    """The chat room description (at most 512 characters)."""
    public: bool | None = None
    """Reserved: always true."""
    members_only: bool | None = msgspec.field(name="membersonly", default=None)
    """Whether joining needs approval."""
    allow_invites: bool | None = msgspec.field(name="allowinvites", default=None)
    """Whether members may invite others."""
    invite_need_confirm: bool | None = None
    """Whether invitees must accept before they join."""
    max_users: int | None = msgspec.field(name="maxusers", default=None)
    """Most members the room can have, the owner included."""
    owner: str | None = None
    """The owner's username."""
    created: int | None = None
    """When the room was created (Unix ms)."""
    custom: str | None = None
    """Extension information."""
    mute: bool | None = None
    """Whether all members are muted (``mutes.mute_all``)."""
    disabled: bool | None = None
    """Whether the room is disabled."""
    affiliations_count: int | None = None
    """How many members the room has, the owner included."""
    affiliations: list[Member] = msgspec.field(default_factory=list)
    """The members."""
    error: str | None = None
    """Why there are no details, when the ID does not exist but others asked for in the
    same call do (``"group id doesn't exist"``)."""
