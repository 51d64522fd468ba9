"""Push notification settings (``/users/{username}/notification/...``)."""

from __future__ import annotations

import msgspec

from ._base import Model

__all__ = ["NotificationSetting"]


class NotificationSetting(Model, kw_only=True):
    """A user's push notification mode and do-not-disturb settings, for the whole app
    or for one conversation."""

    mode: str | None = msgspec.field(name="type", default=None)
    """``DEFAULT`` (use the app-level setting), ``ALL``, ``AT`` (mentions only), ``NONE``:
    what ``push.set_notification(mode=...)`` sets."""
    ignore_interval: str | None = msgspec.field(name="ignoreInterval", default=None)
    """Daily do-not-disturb period ``HH:MM-HH:MM`` (app level only); ``""``: none."""
    ignore_duration: int | None = msgspec.field(name="ignoreDuration", default=None)
    """When the do-not-disturb duration ends (Unix ms, as the server answers it; 0: none)."""
