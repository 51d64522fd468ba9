"""Checks run on arguments before anything is sent; each raises ``ValueError``.

Agora answers a bad username or an oversize batch with a 400 after a round trip (and an
empty path segment silently hits another endpoint), so the client refuses them first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sized
from datetime import datetime
from typing import Any

__all__ = ["CHECKS", "check_username", "push_message_problem"]

_USERNAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


def check_username(name: str, value: Any) -> None:
    """Usernames: 1-64 of ``a-z A-Z 0-9 _ - .`` (Agora compares them case-insensitively)."""
    if not isinstance(value, str) or _USERNAME.fullmatch(value) is None:
        raise ValueError(
            f"{name} must be 1-64 characters from a-z, A-Z, 0-9, '_', '-', '.'; got {value!r}"
        )


def _nonempty(name: str, value: Any) -> None:
    if not isinstance(value, str) or not value or value.strip() != value:
        raise ValueError(f"expected a non-empty value for {name!r}, got {value!r}")


def _max_len(limit: int) -> Callable[[str, Any], None]:
    def check(name: str, value: Any) -> None:
        if len(value) > limit:
            raise ValueError(f"{name} is limited to {limit} characters, got {len(value)}")

    return check


def _int_range(low: int, high: int) -> Callable[[str, Any], None]:
    def check(name: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")

    return check


def _batch(limit: int) -> Callable[[str, Any], None]:
    def check(name: str, value: Any) -> None:
        if isinstance(value, str) or not isinstance(value, Sized):
            raise TypeError(f"{name} must be a list, got {type(value).__name__}")
        if not 1 <= len(value) <= limit:
            raise ValueError(f"{name} takes 1 to {limit} items per call, got {len(value)}")

    return check


def _usernames(limit: int) -> Callable[[str, Any], None]:
    size = _batch(limit)

    def check(name: str, value: Any) -> None:
        size(name, value)
        for item in value:
            check_username(f"each of {name}", item)

    return check


#: Agora keeps at most 2 KB of attributes per user.
MAX_ATTRIBUTE_BYTES = 2048


def _attributes(name: str, value: Any) -> None:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(f"{name} must be a non-empty mapping of names to strings")
    size = 0
    for key, item in value.items():
        if not isinstance(key, str) or not key or not isinstance(item, str):
            raise ValueError(f"{name}: names must be non-empty strings, values strings")
        size += len(key.encode()) + len(item.encode())
    if size > MAX_ATTRIBUTE_BYTES:
        raise ValueError(f"{name} take {size} bytes; a user may hold {MAX_ATTRIBUTE_BYTES}")


def _properties(name: str, value: Any) -> None:
    if isinstance(value, str) or not isinstance(value, Collection) or not value:
        raise ValueError(f"{name} must be a non-empty list of attribute names")
    if not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"{name} must hold non-empty strings")


MESSAGE_TYPES = frozenset({"txt", "img", "audio", "video", "file", "loc", "cmd", "custom"})
TARGET_TYPES = frozenset({"users", "chatgroups", "chatrooms"})


def _one_of(allowed: frozenset[str]) -> Callable[[str, Any], None]:
    def check(name: str, value: Any) -> None:
        if value not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(sorted(allowed))}; got {value!r}")

    return check


def _recipients(name: str, value: Any) -> None:
    if isinstance(value, str) or not isinstance(value, Collection) or not 1 <= len(value) <= 600:
        raise ValueError(f"{name} must be a list of 1 to 600 recipients")
    if not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"{name} must hold non-empty strings")


def _message_body(name: str, value: Any) -> None:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(f"{name} must be a non-empty mapping (the content for the type)")


def _history_hour(name: str, value: Any) -> None:
    """An hour of UTC written ``YYYYMMDDHH`` (what ``GET /chatmessages/{time}`` takes)."""
    try:
        if not (isinstance(value, str) and len(value) == 10 and value.isdigit()):
            raise ValueError
        datetime.strptime(value, "%Y%m%d%H")
    except ValueError:
        raise ValueError(
            f"{name} must be an hour written YYYYMMDDHH (UTC), got {value!r}"
        ) from None


def _callback_date(name: str, value: Any) -> None:
    """A callback-storage date key: ``YYYYMMDDHHmm``, minutes a multiple of 10."""
    try:
        if not (isinstance(value, str) and len(value) == 12 and value.isdigit()):
            raise ValueError
        if int(value[-2:]) % 10:
            raise ValueError
        datetime.strptime(value, "%Y%m%d%H%M")
    except ValueError:
        raise ValueError(
            f"{name} must be a date key YYYYMMDDHHmm (minutes by 10), got {value!r}"
        ) from None


def _http_url(name: str, value: Any) -> None:
    if not (isinstance(value, str) and re.fullmatch(r"https?://[^\s/?#]+\S*", value)):
        raise ValueError(f"{name} must be an http(s) URL, got {value!r}")


def _text(limit: int, *, required: bool = False) -> Callable[[str, Any], None]:
    """A string of at most ``limit`` characters (and not empty if ``required``)."""

    def check(name: str, value: Any) -> None:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {type(value).__name__}")
        if required and not value.strip():
            raise ValueError(f"{name} must not be empty")
        if len(value) > limit:
            raise ValueError(f"{name} is limited to {limit} characters, got {len(value)}")

    return check


def _ids(limit: int) -> Callable[[str, Any], None]:
    """Group or chat room ids sent comma-joined in one path segment."""
    size = _batch(limit)

    def check(name: str, value: Any) -> None:
        size(name, value)
        for item in value:
            if not isinstance(item, str) or not item or item.strip() != item or "," in item:
                raise ValueError(f"each of {name} must be a non-empty id without ',': {item!r}")

    return check


def _member_list(name: str, value: Any) -> None:
    """Initial members of a new group or chat room: valid usernames (the owner apart)."""
    if isinstance(value, str) or not isinstance(value, Collection):
        raise TypeError(f"{name} must be a list of usernames, got {type(value).__name__}")
    for item in value:
        check_username(f"each of {name}", item)


def _mute_duration(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not (value == -1 or value > 0):
        raise ValueError(f"{name} must be milliseconds (> 0), or -1 for ever; got {value!r}")


#: Chat room custom attributes: keys per call, key length, value length (A-rattr).
ROOM_ATTRIBUTES_PER_CALL = 10
ROOM_ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,128}")
ROOM_ATTRIBUTE_VALUE = 4096


def _room_attribute_key(name: str, key: Any) -> None:
    if not isinstance(key, str) or ROOM_ATTRIBUTE_KEY.fullmatch(key) is None:
        raise ValueError(
            f"{name}: keys are 1-128 characters from a-z, A-Z, 0-9, '_', '-', '.'; got {key!r}"
        )


def _attribute_keys(
    key: Callable[[str, Any], None], limit: int | None = None
) -> Callable[[str, Any], None]:
    """Attribute keys, each passing ``key``: 1 to ``limit`` of them (any number if ``None``)."""
    size = _batch(limit) if limit is not None else None

    def check(name: str, value: Any) -> None:
        if isinstance(value, str) or not isinstance(value, Collection):
            raise TypeError(f"{name} must be a list of keys, got {type(value).__name__}")
        if size is not None:
            size(name, value)
        for item in value:
            key(name, item)

    return check


def _attribute_map(
    key: Callable[[str, Any], None],
    value_limit: int,
    *,
    in_bytes: bool = False,
    most: int | None = None,
    total: int | None = None,
) -> Callable[[str, Any], None]:
    """Attributes to set: keys passing ``key`` mapped to strings of at most
    ``value_limit`` characters (bytes if ``in_bytes``); at most ``most`` keys and
    ``total`` bytes of keys and values in all, where given."""
    unit = "bytes" if in_bytes else "characters"

    def size(text: str) -> int:
        return len(text.encode()) if in_bytes else len(text)

    def check(name: str, value: Any) -> None:
        if not isinstance(value, Mapping) or not value or len(value) > (most or len(value)):
            many = f"1 to {most} keys" if most else "keys (at least one)"
            raise ValueError(f"{name} must be a non-empty mapping of {many} to strings")
        used = 0
        for item_key, item in value.items():
            key(name, item_key)
            if not isinstance(item, str):
                raise TypeError(f"{name}: the value of {item_key!r} must be a string")
            if size(item) > value_limit:
                raise ValueError(
                    f"{name}: the value of {item_key!r} is limited to {value_limit} {unit}, "
                    f"got {size(item)}"
                )
            used += len(item_key.encode()) + len(item.encode())
        if total is not None and used > total:
            raise ValueError(f"{name} take {used} bytes; a member may hold {total}")

    return check


#: A daily do-not-disturb period (push notification settings).
DND_INTERVAL = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]")


def _ignore_interval(name: str, value: Any) -> None:
    """A daily do-not-disturb period ``HH:MM-HH:MM`` (``""``: none)."""
    if not isinstance(value, str) or (value and DND_INTERVAL.fullmatch(value) is None):
        raise ValueError(f"{name} must be HH:MM-HH:MM (00:00-23:59) or empty, got {value!r}")


#: Group member custom attributes: key and value bytes, bytes per member (A-mem).
MEMBER_ATTRIBUTE_KEY = 16
MEMBER_ATTRIBUTE_VALUE = 512
MEMBER_ATTRIBUTE_BYTES = 4096


def _member_attribute_key(name: str, key: Any) -> None:
    if not isinstance(key, str) or not 1 <= len(key.encode()) <= MEMBER_ATTRIBUTE_KEY:
        raise ValueError(f"{name}: keys are 1-{MEMBER_ATTRIBUTE_KEY} bytes, got {key!r}")


def _message_id(name: str, value: Any) -> None:
    """Message ids are decimal numbers (Agora: InvalidMessageIdException otherwise)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise ValueError(f"{name} must be a message id (digits only), got {value!r}")


#: A custom message's event name, and how many ``customExts`` it may carry.
CUSTOM_EVENT = re.compile(r"[a-zA-Z0-9\-_/.]{1,32}")
MAX_CUSTOM_EXTS = 16


def _rewritten_message(name: str, value: Any) -> None:
    """The new content of a rewritten message: ``{"type": "txt", "msg"}`` or
    ``{"type": "custom", "customEvent"?, "customExts"?}`` (only those types can be edited)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, got {type(value).__name__}")
    kind = value.get("type")
    if kind == "txt":
        if not isinstance(value.get("msg"), str) or not value["msg"]:
            raise ValueError(f"{name}: a txt message needs a non-empty 'msg'")
    elif kind == "custom":
        event = value.get("customEvent")
        if event is not None and (not isinstance(event, str) or not CUSTOM_EVENT.fullmatch(event)):
            raise ValueError(f"{name}: customEvent must be 1-32 of a-z A-Z 0-9 - _ / .")
        exts = value.get("customExts")
        if exts is not None and (
            not isinstance(exts, Mapping)
            or len(exts) > MAX_CUSTOM_EXTS
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in exts.items())
        ):
            raise ValueError(f"{name}: customExts must map strings to strings, at most 16")
    else:
        raise ValueError(f"{name}: only txt and custom messages can be rewritten, got {kind!r}")


#: Agora keeps at most 1024 bytes of presence extension text.
MAX_PRESENCE_EXT = 1024


def _presence_status(name: str, value: Any) -> None:
    """A presence state: "0" offline, "1" online, other numbers custom (str or int)."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        raise ValueError(f"{name} must be a number such as 0, 1 or 2, got {value!r}")


def _presence_ext(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    size = len(value.encode())
    if size > MAX_PRESENCE_EXT:
        raise ValueError(f"{name} is limited to {MAX_PRESENCE_EXT} bytes, got {size}")


def _template_pattern(name: str, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a non-empty string for {name!r}, got {value!r}")


def push_message_problem(value: Any) -> str | None:
    """What is wrong with a ``pushMessage`` (Agora's documented field limits), if anything.
    The emulator refuses the same messages."""
    if not isinstance(value, Mapping) or not value:
        return "must be a non-empty mapping (title, content ...)"
    for key, limit in (("title", 32), ("subTitle", 10), ("content", 100)):
        text = value.get(key)
        if text is not None and (not isinstance(text, str) or len(text) > limit):
            return f"{key} must be a string of at most {limit} characters"
    ext = value.get("ext")
    if ext is not None:
        if not isinstance(ext, Mapping) or len(ext) > 10:
            return "ext must be a mapping of at most 10 pairs"
        size = sum(len(str(k)) + len(v if isinstance(v, str) else str(v)) for k, v in ext.items())
        if size > 1024:
            return f"ext takes {size} characters; at most 1024"
    return None


def _push_message(name: str, value: Any) -> None:
    problem = push_message_problem(value)
    if problem is not None:
        raise ValueError(f"{name}: {problem}")


def _push_start_date(name: str, value: Any) -> None:
    """``yyyy-MM-dd HH:mm:ss`` in the server's time zone (the window is checked there)."""
    try:
        if not isinstance(value, str) or len(value) != 19:
            raise ValueError
        datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ValueError(f"{name} must be written 'YYYY-MM-DD HH:MM:SS', got {value!r}") from None


def _push_labels(name: str, value: Any) -> None:
    """1-5 label names: a push to their users' intersection."""
    _batch(5)(name, value)
    for item in value:
        check_username(f"each of {name}", item)


def _broadcast_message(name: str, value: Any) -> None:
    """``{"type": "txt", "msg": ...}``: a type and the content fields for it."""
    if not isinstance(value, Mapping) or value.get("type") not in MESSAGE_TYPES:
        types = ", ".join(sorted(MESSAGE_TYPES))
        raise ValueError(f"{name} must be a mapping with a type ({types})")
    if len(value) < 2:
        raise ValueError(f"{name} needs the content fields of its type besides 'type'")


#: Named checks that endpoint parameters refer to in ``_spec``.
CHECKS: dict[str, Callable[[str, Any], None]] = {
    "nonempty": _nonempty,
    "username": check_username,
    "password": _max_len(64),
    "nickname": _max_len(100),
    "limit_100": _int_range(1, 100),
    "display_style": _int_range(0, 1),
    "hour": _int_range(0, 24),
    "positive": _int_range(1, 1 << 31),
    "usernames_100": _usernames(100),
    "attributes": _attributes,
    "target_type": _one_of(TARGET_TYPES),
    "message_type": _one_of(MESSAGE_TYPES),
    "recipients": _recipients,
    "message_body": _message_body,
    "properties": _properties,
    "thread_name": _text(64, required=True),
    "usernames_10": _usernames(10),
    "sort": _one_of(frozenset({"asc", "desc"})),
    "usernames_50": _usernames(50),
    "history_hour": _history_hour,
    "chat_type": _one_of(frozenset({"chat", "groupchat", "chatroom"})),
    "conversation_type": _one_of(frozenset({"chat", "groupchat"})),
    "room_name": _text(128),
    "room_name_required": _text(128, required=True),
    "room_description": _text(512),
    "room_description_required": _text(512, required=True),
    "avatar_url": _text(1024),
    "room_custom": _text(1024),
    "group_custom_create": _text(8 * 1024),
    "announcement": _text(512),
    "room_ids_100": _ids(100),
    "usernames_60": _usernames(60),
    "member_list": _member_list,
    "mute_duration": _mute_duration,
    "room_max_users": _int_range(1, 10_000),
    "room_attributes": _attribute_map(
        _room_attribute_key, ROOM_ATTRIBUTE_VALUE, most=ROOM_ATTRIBUTES_PER_CALL
    ),
    "room_attribute_keys": _attribute_keys(_room_attribute_key, ROOM_ATTRIBUTES_PER_CALL),
    "room_attribute_keys_any": _attribute_keys(_room_attribute_key),
    "auto_delete": _one_of(frozenset({"DELETE", "NO_DELETE"})),
    # user extras: contacts, push notification settings, global mutes
    "remark": _text(100),
    "limit_50": _int_range(1, 50),
    "notification_chat_type": _one_of(frozenset({"user", "chatgroup"})),
    "notification_mode": _one_of(frozenset({"DEFAULT", "ALL", "AT", "NONE"})),
    "ignore_interval": _ignore_interval,
    "ignore_duration": _int_range(0, 604_800_000),
    "global_mute_seconds": _int_range(-1, 2_147_483_647),
    # group extras: member attributes
    "member_attributes": _attribute_map(
        _member_attribute_key,
        MEMBER_ATTRIBUTE_VALUE,
        in_bytes=True,
        total=MEMBER_ATTRIBUTE_BYTES,
    ),
    "member_attribute_keys": _attribute_keys(_member_attribute_key),
    # message extras: directed group messages, rewrite, import
    "usernames_20": _usernames(20),
    "message_id": _message_id,
    "rewritten_message": _rewritten_message,
    "timestamp_ms": _int_range(0, (1 << 63) - 1),
    # presence and push templates
    "presence_status": _presence_status,
    "presence_ext": _presence_ext,
    "presence_expiry": _int_range(1, 2_592_000),
    "presence_page_size": _int_range(1, 500),
    "template_pattern": _template_pattern,
    # message reactions
    "reaction": _text(128, required=True),
    "message_ids_20": _ids(20),
    # push notifications sent by the server, push labels, chat room broadcasts
    "push_message": _push_message,
    "push_strategy": _int_range(0, 4),
    "push_start_date": _push_start_date,
    "push_labels": _push_labels,
    "label_name": check_username,  # the same rule: 1-64 of a-z A-Z 0-9 _ - .
    "label_description": _text(255),
    "broadcast_message": _broadcast_message,
    "chatroom_msg_level": _one_of(frozenset({"high", "normal", "low"})),
    # callback storage
    "callback_date": _callback_date,
    "callback_retry": _int_range(0, 2_147_483_647),
    "callback_url": _http_url,
}
