"""Thread structs (``/thread`` and ``/threads`` endpoints)."""

from __future__ import annotations

import msgspec

from ._base import Model

__all__ = ["Thread", "ThreadAffiliations", "ThreadMemberRemoval"]


class Thread(Model, kw_only=True):
    """A thread of a chat group, as the joined-threads lists show it.

    The list of all threads of the app shows only ``id``.
    """

    id: str = ""
    """The thread ID."""
    name: str | None = None
    """The thread name (at most 64 characters)."""
    owner: str | None = None
    """The user who created the thread."""
    msg_id: str | None = msgspec.field(name="msgId", default=None)
    """The group message the thread was started on."""
    group_id: str | None = msgspec.field(name="groupId", default=None)
    """The chat group the thread belongs to."""
    created: int | None = None
    """When the thread was created (Unix ms)."""


class ThreadAffiliations(Model, kw_only=True):
    """One page of thread members: plain usernames, no roles."""

    affiliations: list[str] = msgspec.field(default_factory=list)


class ThreadMemberRemoval(Model, kw_only=True):
    """The outcome for one user of a batch removal from a thread."""

    result: bool = False
    """Whether the user was removed."""
    user: str = ""
    """The username."""
