"""Message reactions: emojis users add to one-to-one and group messages."""

from __future__ import annotations

import msgspec

from ._base import Model

__all__ = ["MessageReactions", "Reaction", "ReactionDetail", "ReactionStatus", "ReactionSummary"]


class Reaction(Model, kw_only=True):
    """A reaction as stored when a user added it (``POST /reaction/user/{userId}``)."""

    id: str = ""
    """The reaction's ID."""
    message_id: str = msgspec.field(default="", name="msgId")
    """The message it was added to."""
    chat_type: str = msgspec.field(default="", name="msgType")
    """``chat`` (one-to-one) or ``groupchat``."""
    group_id: str | None = msgspec.field(default=None, name="groupId")
    """The chat group of a group message; ``None`` for a one-to-one message."""
    reaction: str = ""
    """The emoji ID (what the request called ``message``)."""
    created_at: str | None = msgspec.field(default=None, name="createdAt")
    """When the reaction was created (ISO 8601, UTC)."""
    updated_at: str | None = msgspec.field(default=None, name="updatedAt")
    """When it was last added to (ISO 8601, UTC)."""


class ReactionSummary(Model, kw_only=True):
    """One reaction on a message, with the first users who added it."""

    reaction_id: str = msgspec.field(default="", name="reactionId")
    reaction: str = ""
    """The emoji ID."""
    count: int = 0
    """How many users added it."""
    state: bool = False
    """Whether the asking user is among them."""
    users: list[str] = msgspec.field(default_factory=list, name="userList")
    """The (at most three) users who added it first."""


class MessageReactions(Model, kw_only=True):
    """The reactions on one message."""

    message_id: str = msgspec.field(default="", name="msgId")
    reactions: list[ReactionSummary] = msgspec.field(default_factory=list, name="reactionList")


class ReactionDetail(Model, kw_only=True):
    """One page of the users who added a reaction to a message (``.../detail``)."""

    reaction_id: str = msgspec.field(default="", name="reactionId")
    reaction: str = ""
    """The emoji ID."""
    user_count: int = msgspec.field(default=0, name="userCount")
    """How many users added it (the field table calls it ``count``; the example and the
    server say ``userCount``)."""
    state: bool = False
    """Whether the asking user added it."""
    users: list[str] = msgspec.field(default_factory=list, name="userList")
    """The users of this page, in the order they added the reaction."""
    cursor: str | None = None
    """Where the next page starts; ``None`` on the last page."""


class ReactionStatus(Model, kw_only=True):
    """The bare answer of removing a reaction: ``{"requestStatusCode": "ok", ...}``."""

    request_status_code: str = msgspec.field(default="", name="requestStatusCode")
    timestamp: int | None = None
