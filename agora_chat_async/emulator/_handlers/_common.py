"""Checks and look-ups shared by handler modules: path users, paging parameters, names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .._errors import AgoraHTTPError, illegal_argument, not_found
from .._state import decode_cursor

if TYPE_CHECKING:
    from .._call import Call
    from .._state import UserRecord

__all__ = [
    "MAX_NICKNAME",
    "MAX_PASSWORD",
    "MAX_USERNAME",
    "check_username",
    "cursor_param",
    "limit_param",
    "path_user",
]

#: The full success envelope, in the key order of the documented examples.
FULL_ENVELOPE = (
    "action",
    "application",
    "path",
    "uri",
    "entities",
    "timestamp",
    "duration",
    "organization",
    "applicationName",
)

MAX_USERNAME = 64
"""Bytes; allowed characters are ASCII, so also characters."""
MAX_PASSWORD = 64
MAX_NICKNAME = 100

_LEGAL_USERNAME = re.compile(r"[A-Za-z0-9_.\-]+")


def path_user(call: Call, param: str = "username") -> UserRecord:
    """The user named by a path parameter, or 404 ``service_resource_not_found``."""
    record = call.state.get(call.param(param))
    if record is None:
        raise not_found()
    return record


def check_username(username: object) -> str:
    """A legal username, or the 400 Agora answers for it."""
    if username is None or username == "":
        raise illegal_argument("Entity 'user' requires a property named username")
    if not isinstance(username, str) or _LEGAL_USERNAME.fullmatch(username) is None:
        raise illegal_argument(f"username {username} is not legal")
    if len(username) > MAX_USERNAME:
        raise illegal_argument("USERNAME_TOO_LONG")
    return username


def limit_param(call: Call, *, default: int, maximum: int, name: str = "limit") -> int:
    """A page size from the query: default when absent, values above ``maximum`` capped."""
    raw = call.query(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise illegal_argument(f"{name} must be an integer, got {raw}") from None
    if value < 1:
        raise illegal_argument(f"{name} must be at least 1, got {value}")
    return min(value, maximum)


def cursor_param(call: Call, name: str = "cursor") -> int | None:
    """The position a ``cursor`` query parameter points at (``None``: from the start)."""
    raw = call.query(name)
    if not raw:
        return None
    seq = decode_cursor(raw)
    if seq is None:
        raise AgoraHTTPError(400, "illegal_argument", f"cursor {raw} is not valid")
    return seq
