"""Presence: users' online states per device, with a custom extension, and
subscriptions to other users' presence.

Agora answers these endpoints with a bare ``{"result": ...}`` object (no envelope), and
writes its timestamps and counts as numeric strings ("1644466063") where its tables say
numbers: both forms are accepted and read as ``int``.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import Model

__all__ = [
    "UserPresence",
    "Subscription",
    "SubscriptionPage",
]


def _int(value: int | str | None) -> int | None:
    if isinstance(value, str):
        return int(value) if value.lstrip("-").isdigit() else None
    return value


class UserPresence(Model, kw_only=True):
    """A user's presence, as subscribing and reading presence answer it."""

    uid: str = ""
    """The user's ID."""
    last_time: int | str | None = None
    """When the user was last online (Unix seconds; read as ``int``)."""
    expiry: int | str | None = None
    """When the subscription to this user ends (Unix seconds); only when subscribing."""
    ext: str = ""
    """The presence's extension text (a custom status such as "busy")."""
    status: dict[str, str] | list[Any] = msgspec.field(default_factory=dict)
    """State per device resource: "0" offline, "1" online, other numbers custom. Agora
    answers ``[]`` for a user with no presence; read as ``{}``."""

    def __post_init__(self) -> None:
        self.last_time = _int(self.last_time)
        self.expiry = _int(self.expiry)
        if isinstance(self.status, list):
            self.status = {}

    @property
    def devices(self) -> dict[str, str]:
        """``status`` as a mapping of device resource to state."""
        return self.status if isinstance(self.status, dict) else {}


class Subscription(Model, kw_only=True):
    """One user whose presence is subscribed to, and when that ends."""

    uid: str = ""
    """The subscribed-to user's ID."""
    expiry: int | str | None = None
    """When the subscription ends (Unix seconds; read as ``int``)."""

    def __post_init__(self) -> None:
        self.expiry = _int(self.expiry)


class SubscriptionPage(Model, kw_only=True):
    """One page of a user's subscriptions and how many there are in all."""

    totalnum: int | str = 0
    """Subscriptions in all, on every page (read as ``int``)."""
    sublist: list[Subscription] = msgspec.field(default_factory=list)
    """This page's subscriptions."""

    def __post_init__(self) -> None:
        self.totalnum = _int(self.totalnum) or 0
