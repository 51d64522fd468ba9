"""Chat room structs (``/chatrooms`` endpoints).

Members, block/allow lists and mutes use the structs chat groups use
(:mod:`agora_chat_async.models.groups`).
"""

from __future__ import annotations

import msgspec

from ._base import Model
from .groups import RoomDetail

__all__ = ["ChatroomAttributeResult", "ChatroomDetail", "ChatroomSummary", "JoinedChatroom"]


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


class ChatroomAttributeResult(Model, kw_only=True):
    """What setting or removing chat room custom attributes did, key by key.

    A call is answered with 200 even when some keys fail (too long, set by another
    member, missing ...): those are in ``error_keys`` with the server's reason.
    """

    success_keys: list[str] = msgspec.field(name="successKeys", default_factory=list)
    """Keys set (or removed)."""
    error_keys: dict[str, str] = msgspec.field(name="errorKeys", default_factory=dict)
    """Keys that failed, each with the reason."""

    @property
    def ok(self) -> bool:
        """Whether every key succeeded."""
        return not self.error_keys
