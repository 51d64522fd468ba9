"""Push templates: named title and content patterns with ``{0}``, ``{1}`` ... variables."""

from __future__ import annotations

import msgspec

from ._base import Model

__all__ = ["PushTemplate"]


class PushTemplate(Model, kw_only=True):
    """A push notification template."""

    name: str = ""
    """The template's name."""
    title_pattern: str = ""
    """The notification title, with ``{0}``-style variables."""
    content_pattern: str = ""
    """The notification text, with ``{0}``-style variables."""
    created_at: int | None = msgspec.field(default=None, name="createAt")
    """When the template was created (Unix ms)."""
    updated_at: int | None = msgspec.field(default=None, name="updateAt")
    """When the template was last changed (Unix ms)."""
