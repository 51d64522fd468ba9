"""Checks, look-ups and envelopes shared by handler modules: path users, paging parameters
(blocklist pages too), names, the envelope key orders several endpoints answer with."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .._errors import AgoraHTTPError, illegal_argument, not_found
from .._state import decode_cursor, encode_cursor

if TYPE_CHECKING:
    from .._call import Call
    from .._state import UserRecord

__all__ = [
    "BLOCKLIST_ALL",
    "BLOCKLIST_PAGE",
    "DATA_ENVELOPE",
    "FULL_ENVELOPE",
    "MAX_NICKNAME",
    "MAX_PASSWORD",
    "MAX_USERNAME",
    "PAGE_ENVELOPE",
    "PATH_DATA_ENVELOPE",
    "SENT_ENVELOPE",
    "blocklist_page",
    "check_username",
    "cursor_param",
    "limit_param",
    "newest_page",
    "page_window",
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
#: Envelopes several endpoints share (key order of their documented examples).
SENT_ENVELOPE = (
    "path",
    "uri",
    "timestamp",
    "organization",
    "application",
    "action",
    "data",
    "duration",
    "applicationName",
)
"""messages.send, messages.recall."""
DATA_ENVELOPE = (
    "uri",
    "timestamp",
    "organization",
    "application",
    "entities",
    "action",
    "data",
    "duration",
    "applicationName",
)
"""users.disconnect, blocks.add."""
PATH_DATA_ENVELOPE = ("path", *DATA_ENVELOPE)
"""conversations.delete, messages.import_to_user, messages.import_to_group."""
PAGE_ENVELOPE = ("uri", "timestamp", "entities", "cursor", "count", "action", "data", "duration")
"""contacts.list, blocks.list, the paged group blocklist."""

BLOCKLIST_ALL = 500
"""Blocked users answered without ``pageSize`` (a user's or a group's blocklist)."""
BLOCKLIST_PAGE = 50
"""Largest ``pageSize`` of a blocklist."""

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


def page_window(
    call: Call, *, default: int, maximum: int, number: str = "pagenum", size: str = "pagesize"
) -> slice:
    """The items a page-numbered request asks for: page ``number`` (from 1) of ``size``
    items (``default`` when absent, capped at ``maximum``)."""
    count = limit_param(call, name=size, default=default, maximum=maximum)
    page = limit_param(call, name=number, default=1, maximum=2**31)
    return slice((page - 1) * count, page * count)


def cursor_param(call: Call, name: str = "cursor", what: str = "users") -> int | None:
    """The position a ``cursor`` query parameter points at (``None``: from the start),
    from a cursor made by ``encode_cursor(..., what)``."""
    raw = call.query(name)
    if not raw:
        return None
    seq = decode_cursor(raw, what)
    if seq is None:
        raise AgoraHTTPError(400, "illegal_argument", f"cursor {raw} is not valid")
    return seq


def blocklist_page(call: Call, blocks: dict[str, int]) -> tuple[list[str], str | None]:
    """A page of a blocklist (username -> block sequence number), newest block first,
    and the next page's cursor: up to :data:`BLOCKLIST_ALL` users, or ``pageSize`` (at
    most :data:`BLOCKLIST_PAGE`). A cursor names the block the page starts at, so
    blocking and unblocking between pages neither repeats nor skips anyone."""
    size = BLOCKLIST_ALL
    if call.query("pageSize"):
        size = limit_param(call, name="pageSize", default=BLOCKLIST_PAGE, maximum=BLOCKLIST_PAGE)
    return newest_page(call, blocks, size, "blocks")


def newest_page(
    call: Call, entries: dict[str, int], size: int, what: str
) -> tuple[list[str], str | None]:
    """A page of ``size`` names, newest first, from ``entries`` (name -> sequence number,
    in the order of the numbers), starting at the entry the ``cursor`` query parameter
    names; and the next page's cursor. A cursor names an entry's number, so entries
    added or removed between pages neither repeat nor skip the others."""
    newest = list(reversed(entries.items()))
    start = cursor_param(call, what=what)
    if start is not None:
        newest = [(name, seq) for name, seq in newest if seq <= start]
    cursor = encode_cursor(newest[size][1], what) if len(newest) > size else None
    return [name for name, _ in newest[:size]], cursor
