"""Message types and shapes (``/messages`` endpoints)."""

from __future__ import annotations

from typing import Literal

__all__ = ["MessageType"]

#: The ``type`` of a message; its ``body`` holds the fields of that type.
MessageType = Literal["txt", "img", "audio", "video", "file", "loc", "cmd", "custom"]
