"""Push notifications sent by the server (``/push/...``) and push labels (``/push/label``)."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import Model

__all__ = ["LabelUser", "LabelUsersChange", "PushLabel", "PushResult"]


class PushResult(Model, kw_only=True):
    """The outcome of a push notification to one user."""

    push_status: str = msgspec.field(default="", name="pushStatus")
    """``SUCCESS``; ``FAIL`` (not the server's fault: no push binding, no such user ...);
    ``ERROR`` (a server-side failure such as a timeout); ``ASYNC_SUCCESS`` (accepted for
    asynchronous sending)."""
    id: str | None = None
    """The recipient's username (asynchronous sends only)."""
    desc: str | None = None
    """Why it failed, or a note on the result."""
    data: dict[str, Any] | None = None
    """What the push service used for the recipient answered (synchronous sends)."""

    @property
    def ok(self) -> bool:
        """Whether the push was delivered or accepted for delivery."""
        return self.push_status in ("SUCCESS", "ASYNC_SUCCESS")


class PushLabel(Model, kw_only=True):
    """A push label: a named group of users that push notifications can target."""

    name: str = ""
    """The label's name (case-insensitive)."""
    description: str = ""
    """What the label stands for."""
    count: int | None = None
    """How many users carry the label (not in the answer to a creation)."""
    created_at: int | None = msgspec.field(default=None, name="createdAt")
    """When the label was created (Unix ms)."""


class LabelUser(Model, kw_only=True):
    """A user carrying a push label."""

    username: str = ""
    """The user's ID."""
    created: int | None = None
    """When the user was given the label (Unix ms)."""


class LabelUsersChange(Model, kw_only=True):
    """The answer to adding users to a push label or removing them from it."""

    success: list[str] = msgspec.field(default_factory=list)
    """The users added (or removed)."""
    fail: dict[str, str] = msgspec.field(default_factory=dict)
    """The others, each with the server's reason."""
