"""Handlers per API area; importing this package fills ``_registry.HANDLERS``.

Add an area by adding a module here (handlers decorated with ``@handler(METHOD, path)``
using the paths of ``_spec.ENDPOINTS``) and importing it below.
"""

from __future__ import annotations

from . import (
    callbacks as callbacks,
    chatroom_broadcast as chatroom_broadcast,
    chatroom_extras as chatroom_extras,
    chatrooms as chatrooms,
    contacts as contacts,
    files as files,
    group_extras as group_extras,
    groups as groups,
    message_admin as message_admin,
    messages as messages,
    metadata as metadata,
    presence as presence,
    push as push,
    push_management as push_management,
    push_templates as push_templates,
    reactions as reactions,
    threads as threads,
    user_extras as user_extras,
    users as users,
)

__all__ = [
    "callbacks",
    "chatroom_broadcast",
    "chatroom_extras",
    "chatrooms",
    "contacts",
    "files",
    "group_extras",
    "groups",
    "message_admin",
    "messages",
    "metadata",
    "presence",
    "push",
    "push_management",
    "push_templates",
    "reactions",
    "threads",
    "user_extras",
    "users",
]
