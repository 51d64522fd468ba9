"""Callback storage: the post-delivery callbacks Agora kept after they failed."""

from __future__ import annotations

from ._base import Model

__all__ = ["StoredCallbackSet"]


class StoredCallbackSet(Model, kw_only=True):
    """The failed callbacks of one 10-minute slice, kept 3 days for redelivery."""

    date: str = ""
    """The slice's date key, ``YYYYMMDDHHmm`` (its start; minutes by 10)."""
    size: int = 0
    """How many callbacks are stored under it."""
    retry: int = 0
    """How many times the set was redelivered (0 before the first)."""
