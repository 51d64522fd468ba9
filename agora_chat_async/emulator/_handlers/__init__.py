"""Handlers per API area; importing this package fills ``_registry.HANDLERS``.

Add an area by adding a module here (handlers decorated with ``@handler(METHOD, path)``
using the paths of ``_spec.ENDPOINTS``) and importing it below.
"""

from __future__ import annotations

from . import (
    chatrooms as chatrooms,
    contacts as contacts,
    files as files,
    groups as groups,
    message_admin as message_admin,
    messages as messages,
    metadata as metadata,
    push as push,
    threads as threads,
    users as users,
)

__all__ = [
    "chatrooms",
    "contacts",
    "files",
    "groups",
    "message_admin",
    "messages",
    "metadata",
    "push",
    "threads",
    "users",
]
