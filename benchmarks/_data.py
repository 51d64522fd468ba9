"""Synthetic Agora-shaped payloads: user entities, a single-user envelope, user-list pages.

Standard library only, because the server process imports it too. Users are made up from
their index (no recorded data); every fourth one carries the optional push fields, as users
who have set a nickname and notification preferences do.
"""

from __future__ import annotations

import base64

__all__ = ["PAGE_SIZE", "cursor_for", "offset_of", "page_json", "single_user_json", "user_json"]

PAGE_SIZE = 100
"""Largest page the users list endpoint serves (``limit`` is capped at 100)."""

_EPOCH_MS = 1_700_000_000_000
_URI = "https://a41.chat.agora.io/org/app/users"

_PLAIN = (
    b'{"uuid":"%08x-%04x-11ee-%04x-%012x","type":"user","created":%d,"modified":%d,'
    b'"username":"user%07d","activated":true}'
)
_WITH_PUSH = (
    b'{"uuid":"%08x-%04x-11ee-%04x-%012x","type":"user","created":%d,"modified":%d,'
    b'"username":"user%07d","activated":true,"nickname":"User %d",'
    b'"notification_display_style":1,"notification_no_disturbing":false,'
    b'"notification_no_disturbing_start":"22","notification_no_disturbing_end":"7",'
    b'"notifier_name":"fcm-push","device_token":"%032x"}'
)


def user_json(i: int) -> bytes:
    """The JSON object of user number ``i``."""
    uuid = (
        (i * 2654435761) & 0xFFFFFFFF,
        i & 0xFFFF,
        ((i >> 16) & 0x0FFF) | 0x8000,
        (i * 11400714819323198485) & 0xFFFFFFFFFFFF,
    )
    created = _EPOCH_MS + i * 1000
    if i % 4:
        return _PLAIN % (*uuid, created, created, i)
    return _WITH_PUSH % (*uuid, created, created + 5000, i, i, (i * 0x9E3779B97F4A7C15) >> 1)


def cursor_for(offset: int) -> str:
    """An opaque, Agora-looking cursor that encodes the next offset."""
    return base64.urlsafe_b64encode(b"bench:%d" % offset).decode().rstrip("=")


def offset_of(cursor: str) -> int:
    """The offset a cursor from :func:`cursor_for` encodes (0 for anything else)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return int(raw.removeprefix(b"bench:"))
    except ValueError:
        return 0


def page_json(start: int, count: int, next_cursor: str | None) -> bytes:
    """A ``GET /users`` answer with users ``start .. start+count-1``.

    The ``cursor`` key is left out on the last page, as Agora does.
    """
    entities = b",".join([user_json(i) for i in range(start, start + count)])
    tail = b'"cursor":"%s",' % next_cursor.encode() if next_cursor else b""
    return (
        b'{"action":"get","path":"/users","uri":"%s","entities":[%s],%s'
        b'"timestamp":%d,"duration":3,"organization":"org","application":'
        b'"8f0e6d2a-0000-11ee-8000-000000000000","applicationName":"app","count":%d}'
        % (_URI.encode(), entities, tail, _EPOCH_MS, count)
    )


def single_user_json(username: str = "alice") -> bytes:
    """A ``GET /users/{username}`` answer: the user as the one item of ``entities``."""
    user = user_json(4).replace(b"user0000004", username.encode())
    return (
        b'{"action":"get","path":"/users","uri":"%s/%s","entities":[%s],'
        b'"timestamp":%d,"duration":0,"organization":"org","application":'
        b'"8f0e6d2a-0000-11ee-8000-000000000000","applicationName":"app","count":1}'
        % (_URI.encode(), username.encode(), user, _EPOCH_MS)
    )
