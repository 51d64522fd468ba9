"""Chat room endpoints beyond the overview table: super admins and custom attributes.

(Ownership transfer, ``PUT /chatrooms/{id}`` with ``{"newowner": u}``, is served by
``chatrooms.update``, whose classifier tells the two rows apart.)

Choices where the sources disagree or say nothing:

- Super admins are listed latest first (the only example lists ``yifan4, yifan3,
  yifan2``), ``pagesize`` default 10, at most 1000 (Easemob). Adding one twice keeps
  it where it was and answers success again; revoking someone who is not a super admin
  is a 400 ``forbidden_op`` (the room pages' status for refusals); an unknown user is
  the documented 404 either way. A deleted user stops being a super admin.
- Attribute calls on an unknown room answer 404 ``grpID {id} does not exist!``; a
  setter that is not a member gets the documented 401 ``MetadataException`` ``user is
  not in chatroom`` (forced setting too, as Easemob lists it; forced removal does not
  check, as its operator may be the app admin). More than 10 keys is the documented
  400 ``exceed allowed batch size 10``.
- A call is refused as a whole only for the reasons above; each key that fails goes to
  ``errorKeys`` and the others are applied (the documented partial answer). Reasons
  for keys: ``properties key '{k}' is exceeding maximum limit 128`` (documented), an
  illegal key, a value over 4096 characters (Easemob; Agora's page says 4,086) or
  not a string, a key another member set (``others are not allowed to be set``, listed
  by Easemob as a 400; here per key, so the others still apply), a 101st attribute, a
  key to remove that does not exist.
- ``autoDelete`` defaults to ``DELETE``: the member's keys go when it leaves the room
  (removed, blocked, or deleted as a user). Setting a key again makes its latest setter
  its owner, with that call's ``autoDelete``.
- Retrieving with no ``keys`` (or an empty list) answers every attribute; unknown keys
  are left out of ``data``.
- Envelopes: the set / retrieve / remove examples' keys; the forced examples show only
  ``data``, and get the same envelope as their unforced twins.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._errors import AgoraHTTPError, illegal_argument
from .._registry import handler
from .._state import EmulatorState
from . import _rooms
from ._common import page_window
from ._rooms import ALPHA, STD
from .chatrooms import CHATROOM

if TYPE_CHECKING:
    from .._call import Call
    from .._state import RoomRecord

__all__ = ["MAX_ATTRIBUTES", "MAX_KEY", "MAX_KEYS_PER_CALL", "MAX_VALUE"]

MAX_ATTRIBUTES = 100
MAX_KEYS_PER_CALL = 10
MAX_KEY = 128
MAX_VALUE = 4096

_LEGAL_KEY = re.compile(r"[A-Za-z0-9_.\-]+")

# Envelope keys, in the order of the documented examples.
_SUPER_LIST = (*ALPHA[:3], "count", *ALPHA[3:7], "params", *ALPHA[7:])
_ATTR_SET = ("uri", "timestamp", "action", "data")
_ATTR_REMOVE = ("uri", "status", "timestamp", "action", "data")


# -- super admins ---------------------------------------------------------------------


@handler("GET", "/chatrooms/super_admin")
async def list_super_admins(call: Call) -> dict[str, Any]:
    window = page_window(call, default=10, maximum=1000)
    page = list(reversed(call.state.super_admins))[window]
    return _rooms.envelope(call, _SUPER_LIST, data=page, count=len(page))


@handler("POST", "/chatrooms/super_admin")
async def add_super_admin(call: Call) -> dict[str, Any]:
    body = call.body
    raw = body.get("superadmin") if isinstance(body, dict) else None
    if raw is None or raw == "":
        raise _rooms.invalid("superadmin must be provided")
    name = _rooms.existing_user(call, raw)
    call.state.super_admins.setdefault(name, None)
    return _rooms.envelope(call, STD, data={"result": "success", "resource": ""})


@handler("DELETE", "/chatrooms/super_admin/{username}")
async def remove_super_admin(call: Call) -> dict[str, Any]:
    name = _rooms.existing_user(call, call.param("username"))
    if call.state.super_admins.pop(name, False) is False:
        raise _rooms.forbidden(CHATROOM, f"user: {name} is not a super admin")
    return _rooms.envelope(call, STD, data={"newSuperAdmin": name, "resource": ""})


def _forget_super_admin(state: EmulatorState, username: str) -> None:
    state.super_admins.pop(username, None)


EmulatorState.user_removed.append(_forget_super_admin)


# -- custom attributes ------------------------------------------------------------------


def _member(call: Call, record: RoomRecord) -> str:
    """The path's user, which must be a member of the room."""
    name = _rooms.existing_user(call, call.param("username"))
    if name not in record.members:
        raise AgoraHTTPError(
            401, "MetadataException", "user is not in chatroom", exception="MetadataException"
        )
    return name


def _batch(body: Any, field: str) -> Any:
    """The body's ``field``, refused when it holds more than 10 keys."""
    value = body.get(field) if isinstance(body, dict) else None
    if isinstance(value, dict | list) and len(value) > MAX_KEYS_PER_CALL:
        raise illegal_argument(f"exceed allowed batch size {MAX_KEYS_PER_CALL}")
    return value


def _refusal(key: str, value: object) -> str | None:
    """Why a key/value pair cannot be stored, if it cannot."""
    if len(key) > MAX_KEY:
        return f"properties key '{key}' is exceeding maximum limit {MAX_KEY}"
    if _LEGAL_KEY.fullmatch(key) is None:
        return f"properties key '{key}' is illegal"
    if not isinstance(value, str):
        return f"properties value of key '{key}' must be a string"
    if len(value) > MAX_VALUE:
        return f"properties value of key '{key}' is exceeding maximum limit {MAX_VALUE}"
    return None


def _result(success: list[str], errors: dict[str, str]) -> dict[str, Any]:
    return {"successKeys": success, "errorKeys": errors}


def _set(call: Call, *, forced: bool) -> dict[str, Any]:
    record = _rooms.room(call, CHATROOM)
    name = _member(call, record)
    meta = _batch(call.body, "metaData")
    if not isinstance(meta, dict) or not meta:
        raise illegal_argument("metaData must be provided")
    auto = call.body.get("autoDelete", "DELETE")
    if auto not in ("DELETE", "NO_DELETE"):
        raise illegal_argument(f"autoDelete must be DELETE or NO_DELETE, got {auto}")
    attributes = record.room_attributes
    success: list[str] = []
    errors: dict[str, str] = {}
    for key, value in meta.items():
        reason = _refusal(key, value)
        if reason is None and key in attributes:
            if attributes[key][1] != name and not forced:
                reason = "others are not allowed to be set"
        elif reason is None and len(attributes) >= MAX_ATTRIBUTES:
            reason = f"the number of chatroom attributes exceeds the limit {MAX_ATTRIBUTES}"
        if reason is None:
            attributes[key] = (value, name, auto == "DELETE")
            success.append(key)
        else:
            errors[key] = reason
    return _rooms.envelope(call, _ATTR_SET, data=_result(success, errors))


@handler("PUT", "/metadata/chatroom/{chatroom_id}/user/{username}")
async def set_attributes(call: Call) -> dict[str, Any]:
    return _set(call, forced=False)


@handler("PUT", "/metadata/chatroom/{chatroom_id}/user/{username}/forced")
async def set_attributes_forced(call: Call) -> dict[str, Any]:
    return _set(call, forced=True)


def _keys(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise illegal_argument("keys must be a list of attribute keys")
    return list(dict.fromkeys(value))


@handler("POST", "/metadata/chatroom/{chatroom_id}")
async def get_attributes(call: Call) -> dict[str, Any]:
    record = _rooms.room(call, CHATROOM)
    raw = call.body.get("keys") if isinstance(call.body, dict) else None
    stored = record.room_attributes
    if not raw:
        data = {key: value for key, (value, _, _) in stored.items()}
    else:
        data = {key: stored[key][0] for key in _keys(raw) if key in stored}
    return _rooms.envelope(call, _ATTR_SET, data=data)


def _remove(call: Call, *, forced: bool) -> dict[str, Any]:
    record = _rooms.room(call, CHATROOM)
    name = None if forced else _member(call, record)
    raw = _batch(call.body, "keys")
    if not raw:
        raise illegal_argument("keys must be provided")
    attributes = record.room_attributes
    success: list[str] = []
    errors: dict[str, str] = {}
    for key in _keys(raw):
        if key not in attributes:
            errors[key] = f"properties key '{key}' does not exist"
        elif not forced and attributes[key][1] != name:
            errors[key] = "others are not allowed to be removed"
        else:
            del attributes[key]
            success.append(key)
    return _rooms.envelope(call, _ATTR_REMOVE, status="ok", data=_result(success, errors))


@handler("DELETE", "/metadata/chatroom/{chatroom_id}/user/{username}")
async def remove_attributes(call: Call) -> dict[str, Any]:
    return _remove(call, forced=False)


@handler("DELETE", "/metadata/chatroom/{chatroom_id}/user/{username}/forced")
async def remove_attributes_forced(call: Call) -> dict[str, Any]:
    return _remove(call, forced=True)
