"""User-level endpoints beyond the overview table: devices, push notification settings
and language, global mutes (``users.list_devices``, ``users.disconnect_device``,
``push.set_notification`` ..., ``global_mutes.*`` rows).

Semantics and the choices made where the docs are silent:

- Devices: a user is online while it is logged in on at least one device (resource);
  ``EmulatorState.set_online(user, resource=...)`` logs devices in. Easemob's account
  page documents the two device endpoints without a full example; both answer with the
  envelope of their sibling ``GET /users/{u}/disconnect`` and ``data`` as documented
  (``[{res, device_uuid, device_name}]``; ``{"result": bool}``, false when the user is
  not logged in on that device). Logging out of the last device makes the user offline.
- Push notification settings (Agora's offline-push page): ``chattype`` is ``user`` or
  ``chatgroup``; ``key`` is the peer, the group, or the user itself for the app level.
  ``DEFAULT`` ("follow the app") is refused at the app level, and a daily
  ``ignoreInterval`` on a conversation (the docs say it works at the app level only).
  ``ignoreDuration`` (0-604800000 ms) is answered, as in the example, as the time the
  period ends (Unix ms; 0: none). Unset settings read as ``ALL`` for the app and
  ``DEFAULT`` for a conversation, with no do-not-disturb. Keys are not checked against
  existing users or groups (undocumented).
- Global mutes (Agora's global-mute page): seconds per chat type; 0 unmutes, -1 mutes for
  ever, other negative values are ignored ("do not take effect"). Reads answer the
  seconds left. The list has one entry per user and chat type, a mute that ran out
  showing 0 (as the example's zeros), pages with ``pageNum``/``pageSize`` (1-50).
  The messages area refuses a muted user's sends of that chat type (see its docstring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._validate import DND_INTERVAL
from .._errors import illegal_argument, not_found
from .._registry import handler
from .._state import EmulatorState
from ._common import DATA_ENVELOPE, SENT_ENVELOPE, page_window, path_user

if TYPE_CHECKING:
    from .._call import Call

__all__ = ["MAX_IGNORE_DURATION", "MAX_MUTE_SECONDS", "MUTE_TYPES", "NOTIFICATION_MODES"]

# -- devices ---------------------------------------------------------------------------


@handler("GET", "/users/{username}/resources")
async def list_devices(call: Call) -> dict[str, Any]:
    record = path_user(call)
    devices = call.state.devices.get(record.username, {})
    data = [
        {"res": res, "device_uuid": device_uuid, "device_name": name}
        for res, (device_uuid, name) in devices.items()
    ]
    return call.envelope(DATA_ENVELOPE, action="get", entities=[], data=data)


@handler("DELETE", "/users/{username}/disconnect/{resource}")
async def disconnect_device(call: Call) -> dict[str, Any]:
    record = path_user(call)
    done = call.state.drop_device(record.username, call.param("resource"))
    return call.envelope(DATA_ENVELOPE, action="delete", entities=[], data={"result": done})


# -- push notification settings ----------------------------------------------------------

NOTIFICATION_MODES = ("DEFAULT", "ALL", "AT", "NONE")
MAX_IGNORE_DURATION = 7 * 24 * 3600 * 1000
_CHAT_TYPES = ("user", "chatgroup")


def _conversation(call: Call) -> tuple[str, str, str, bool]:
    """(user, chat type, key, whether it is the app level) of a settings path."""
    record = path_user(call)
    chat_type, key = call.param("chat_type"), call.param("key")
    if chat_type not in _CHAT_TYPES:
        raise illegal_argument(f"chattype must be user or chatgroup, got {chat_type}")
    if chat_type == "user":
        key = key.lower()
    app_level = chat_type == "user" and key == record.username
    return record.username, chat_type, key, app_level


def _setting(state: EmulatorState, where: tuple[str, str, str], app_level: bool) -> dict[str, Any]:
    """The answer's ``data``: stored settings, defaults for the rest."""
    stored = state.notification.get(where, {})
    ends = stored.get("ignoreDuration", 0)
    return {
        "type": stored.get("type", "ALL" if app_level else "DEFAULT"),
        "ignoreDuration": ends if ends > state.now_ms() else 0,
        "ignoreInterval": stored.get("ignoreInterval", ""),
    }


@handler("PUT", "/users/{username}/notification/{chat_type}/{key}")
async def set_notification(call: Call) -> dict[str, Any]:
    user, chat_type, key, app_level = _conversation(call)
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    changes: dict[str, Any] = {}
    if "type" in body:
        mode = body["type"]
        if mode not in NOTIFICATION_MODES or (app_level and mode == "DEFAULT"):
            allowed = NOTIFICATION_MODES[1:] if app_level else NOTIFICATION_MODES
            raise illegal_argument(f"type must be one of {', '.join(allowed)}, got {mode!r}")
        changes["type"] = mode
    if "ignoreInterval" in body:
        interval = body["ignoreInterval"]
        if not isinstance(interval, str) or (interval and not DND_INTERVAL.fullmatch(interval)):
            raise illegal_argument(f"ignoreInterval must be HH:MM-HH:MM, got {interval!r}")
        if interval and not app_level:
            raise illegal_argument("ignoreInterval can only be set for the app (user, self)")
        changes["ignoreInterval"] = interval
    if "ignoreDuration" in body:
        duration = body["ignoreDuration"]
        if (
            isinstance(duration, bool)
            or not isinstance(duration, int)
            or not 0 <= duration <= MAX_IGNORE_DURATION
        ):
            raise illegal_argument(
                f"ignoreDuration must be 0 to {MAX_IGNORE_DURATION} ms, got {duration!r}"
            )
        changes["ignoreDuration"] = call.state.now_ms() + duration if duration else 0
    where = (user, chat_type, key)
    if changes:
        call.state.notification.setdefault(where, {}).update(changes)
    return call.envelope(SENT_ENVELOPE, action="put", data=_setting(call.state, where, app_level))


@handler("GET", "/users/{username}/notification/{chat_type}/{key}")
async def get_notification(call: Call) -> dict[str, Any]:
    user, chat_type, key, app_level = _conversation(call)
    data = _setting(call.state, (user, chat_type, key), app_level)
    return call.envelope(SENT_ENVELOPE, action="get", data=data)


@handler("PUT", "/users/{username}/notification/language")
async def set_language(call: Call) -> dict[str, Any]:
    record = path_user(call)
    body = call.body
    language = body.get("translationLanguage") if isinstance(body, dict) else None
    if not isinstance(language, str):
        raise illegal_argument("translationLanguage must be provided as a string")
    call.state.push_language[record.username] = language
    return call.envelope(SENT_ENVELOPE, action="put", data={"language": language})


@handler("GET", "/users/{username}/notification/language")
async def get_language(call: Call) -> dict[str, Any]:
    record = path_user(call)
    language = call.state.push_language.get(record.username, "")
    return call.envelope(SENT_ENVELOPE, action="get", data={"language": language})


# -- global mutes ------------------------------------------------------------------------

MUTE_TYPES = ("chat", "groupchat", "chatroom")
MAX_MUTE_SECONDS = 2_147_483_647
_MUTE_PAGE = 50


def _left(state: EmulatorState, ends: int) -> int:
    """Seconds a mute ending at ``ends`` has left (-1: for ever; 0: over)."""
    if ends == -1:
        return -1
    return max(0, ends - int(state.clock()))


@handler("POST", "/mutes")
async def set_global_mute(call: Call) -> dict[str, Any]:
    body = call.body
    username = body.get("username") if isinstance(body, dict) else None
    if not isinstance(username, str) or not username:
        raise illegal_argument("username must be provided")
    record = call.state.get(username)
    if record is None:
        raise not_found()
    assert isinstance(body, dict)
    values: dict[str, int] = {}
    for kind in MUTE_TYPES:
        if kind not in body:
            continue
        seconds = body[kind]
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds > MAX_MUTE_SECONDS:
            raise illegal_argument(f"{kind} must be seconds up to {MAX_MUTE_SECONDS}, -1 or 0")
        if seconds >= -1:  # other negative values do not take effect
            values[kind] = seconds
    mutes = call.state.global_mutes.setdefault(record.username, {})
    now = int(call.state.clock())
    for kind, seconds in values.items():
        if seconds == 0:
            mutes.pop(kind, None)
        else:
            mutes[kind] = -1 if seconds == -1 else now + seconds
    if not mutes:
        call.state.global_mutes.pop(record.username, None)
    return call.envelope(SENT_ENVELOPE, action="post", data={"result": "ok"})


@handler("GET", "/mutes/{username}")
async def get_global_mute(call: Call) -> dict[str, Any]:
    record = path_user(call)
    state = call.state
    mutes = state.global_mutes.get(record.username, {})
    data: dict[str, Any] = {"userid": record.username}
    for kind in MUTE_TYPES:
        data[kind] = _left(state, mutes[kind]) if kind in mutes else 0
    data["unixtime"] = int(state.clock())
    return call.envelope(SENT_ENVELOPE, action="get", data=data)


@handler("GET", "/mutes")
async def list_global_mutes(call: Call) -> dict[str, Any]:
    state = call.state
    window = page_window(call, default=10, maximum=_MUTE_PAGE, number="pageNum", size="pageSize")
    entries = [
        {"username": username, kind: _left(state, ends)}
        for username, mutes in state.global_mutes.items()
        for kind, ends in mutes.items()
    ]
    page = entries[window]
    data = {"data": page, "unixtime": int(state.clock())}
    return call.envelope(SENT_ENVELOPE, action="get", data=data)


# -- a deleted user takes its settings along ----------------------------------------------


def _forget_user(state: EmulatorState, username: str) -> None:
    state.push_language.pop(username, None)
    state.global_mutes.pop(username, None)
    for where in [w for w in state.notification if w[0] == username]:
        del state.notification[where]


EmulatorState.user_removed.append(_forget_user)
