"""Global mutes: how long a user stays muted in one-to-one chats, groups, chat rooms."""

from __future__ import annotations

import msgspec

from ._base import Model

__all__ = ["GlobalMute", "GlobalMutePage"]


class GlobalMute(Model, kw_only=True):
    """A user's remaining global-mute times in seconds (-1: for ever; 0 or ``None``: not
    muted). The list answers only the chat types a user is muted in."""

    username: str = ""
    """The muted user's ID (``userid`` in the single-user answer, normalised here)."""
    chat: int | None = None
    """Seconds left muted in one-to-one chats."""
    groupchat: int | None = None
    """Seconds left muted in chat groups."""
    chatroom: int | None = None
    """Seconds left muted in chat rooms."""
    unixtime: int | None = None
    """Server time of the answer (Unix seconds); only in the single-user answer."""
    userid: str | None = None
    """The user ID as the single-user answer names it (same as ``username``)."""

    def __post_init__(self) -> None:
        if not self.username and self.userid:
            self.username = self.userid


class GlobalMutePage(Model, kw_only=True):
    """One page of ``GET /mutes``: the muted users and the server time."""

    data: list[GlobalMute] = msgspec.field(default_factory=list)
    unixtime: int | None = None
