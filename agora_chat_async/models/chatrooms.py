"""Chat room structs (``/chatrooms`` endpoints).

Members, block/allow lists and mutes use the structs chat groups use
(:mod:`agora_chat_async.models.groups`).
"""

from __future__ import annotations

from ._base import Model
from .groups import RoomDetail

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


class ChatroomDetail(RoomDetail, kw_only=True):
    """The details of a chat room (the fields chat groups have, but no avatar)."""
