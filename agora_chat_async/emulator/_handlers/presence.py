"""Presence (``presence.*`` rows): users' states per device, and subscriptions.

Semantics (Agora's presence page; Easemob's per-endpoint pages give the error texts)
and the choices made where the docs are silent:

- Answers are a bare ``{"result": ...}``; times and counts are numeric strings, as in
  the examples. A user with no presence shows ``"status": []`` (Easemob's server SDK
  tests read a list there), ``"ext": ""`` and ``"last_time": "0"``.
- Setting presence needs an existing user (404 otherwise, as for every user path);
  ``status`` is a number ("0" offline, "1" online, others custom), ``ext`` is required
  and at most 1024 bytes. ``last_time`` is when presence was last set. The device
  logins of ``EmulatorState.set_online`` are not mixed in: presence is what was set.
- Subscribing: 1-100 users per call, not the subscriber itself, for 1-2592000 s;
  subscribing again renews (and moves the user to the end). A user subscribes to at
  most 3000 users. Subscribed-to users are not checked against the registered ones
  (the presence service keys by id: reading an unknown user answers an empty status).
- Reading presence and the subscription list answer an empty list for a path user
  that does not exist (documented). The list is newest subscription first, pages with
  ``pageNum`` (from 1) and ``pageSize`` (1-500, default 1, as documented), and leaves
  out subscriptions that have run out.
- Unsubscribing takes the bare JSON array the examples send (``["c1"]``; the field
  table's ``users`` key is not read); ending a subscription that is not there is ok.
- Deleting a user forgets its presence, its subscriptions, and subscriptions to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import illegal_argument
from .._registry import handler
from .._state import EmulatorState
from ._common import page_window, path_user

if TYPE_CHECKING:
    from .._call import Call

__all__ = ["MAX_EXPIRY", "MAX_EXT_BYTES", "MAX_PER_CALL", "MAX_SUBSCRIPTIONS"]

MAX_EXT_BYTES = 1024
MAX_EXPIRY = 2_592_000
"""Seconds (30 days)."""
MAX_PER_CALL = 100
MAX_SUBSCRIPTIONS = 3000
_PAGE_MAX = 500


def _usernames(call: Call, too_many: str, *, bare: bool = False) -> list[str]:
    """The body's ``usernames`` (``bare``: the body is the list itself, as unsubscribing
    sends it), lower-cased, without repeats."""
    body = call.body
    if bare:
        names = body if isinstance(body, list) else None
    else:
        names = body.get("usernames") if isinstance(body, dict) else None
    if not isinstance(names, list) or not names:
        raise illegal_argument("usernames is empty")
    if not all(isinstance(name, str) and name for name in names):
        raise illegal_argument("usernames must be a list of user IDs")
    if len(names) > MAX_PER_CALL:
        raise illegal_argument(too_many)
    return list(dict.fromkeys(name.lower() for name in names))


def _presence(state: EmulatorState, username: str) -> dict[str, Any]:
    entry = state.presence.get(username)
    if entry is None:
        return {"uid": username, "last_time": "0", "ext": "", "status": []}
    return {
        "uid": username,
        "last_time": str(entry["last_time"]),
        "ext": entry["ext"],
        "status": dict(entry["status"]),
    }


def _subscriptions(state: EmulatorState, username: str) -> dict[str, int]:
    """A user's subscriptions still running (those that ran out are dropped)."""
    subs = state.presence_subs.get(username)
    if subs is None:
        return {}
    now = int(state.clock())
    for gone in [name for name, ends in subs.items() if ends <= now]:
        del subs[gone]
    return subs


@handler("POST", "/users/{username}/presence/{resource}/{status}")
async def set_presence(call: Call) -> dict[str, Any]:
    record = path_user(call)
    status = call.param("status")
    if not (status.isascii() and status.isdigit()):
        raise illegal_argument(f"status must be a number, got {status}")
    body = call.body
    ext = body.get("ext") if isinstance(body, dict) else None
    if ext is None:
        raise illegal_argument("ext cannot be null")
    if not isinstance(ext, str):
        raise illegal_argument("ext must be a string")
    if len(ext.encode()) > MAX_EXT_BYTES:
        raise illegal_argument("ext is too big")
    state = call.state
    entry = state.presence.setdefault(record.username, {"status": {}})
    entry["status"][call.param("resource")] = status
    entry["ext"] = ext
    entry["last_time"] = int(state.clock())
    return {"result": "ok"}


@handler("POST", "/users/{username}/presence/{expiry}")
async def subscribe(call: Call) -> dict[str, Any]:
    record = path_user(call)
    raw = call.param("expiry")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_EXPIRY:
        raise illegal_argument(f"expiry must be 1 to {MAX_EXPIRY} seconds, got {raw}")
    names = _usernames(call, "too many sub presence")
    if record.username in names:
        raise illegal_argument("you can't sub yourself")
    state = call.state
    subs = _subscriptions(state, record.username)
    if len(subs.keys() | names) > MAX_SUBSCRIPTIONS:
        raise illegal_argument(f"a user subscribes to at most {MAX_SUBSCRIPTIONS} users")
    ends = int(state.clock()) + int(raw)
    subs = state.presence_subs.setdefault(record.username, subs)
    result = []
    for name in names:
        subs.pop(name, None)  # renewed: now the newest
        subs[name] = ends
        result.append({**_presence(state, name), "expiry": str(ends)})
    # the documented order: uid, last_time, expiry, ext, status
    order = ("uid", "last_time", "expiry", "ext", "status")
    return {"result": [{key: entry[key] for key in order} for entry in result]}


@handler("POST", "/users/{username}/presence")
async def get_presence(call: Call) -> dict[str, Any]:
    names = _usernames(call, "too many get presences")
    state = call.state
    if state.get(call.param("username")) is None:
        return {"result": []}
    return {"result": [_presence(state, name) for name in names]}


@handler("DELETE", "/users/{username}/presence")
async def unsubscribe(call: Call) -> dict[str, Any]:
    record = path_user(call)
    names = _usernames(call, "too many unsub presence", bare=True)
    subs = call.state.presence_subs.get(record.username, {})
    for name in names:
        subs.pop(name, None)  # not subscribed: nothing to end
    return {"result": "ok"}


@handler("GET", "/users/{username}/presence/sublist")
async def list_subscriptions(call: Call) -> dict[str, Any]:
    window = page_window(call, default=1, maximum=_PAGE_MAX, number="pageNum", size="pageSize")
    size = call.query("pageSize")
    if size and size.isdigit() and int(size) > _PAGE_MAX:
        raise illegal_argument(f"pageSize must be 1 to {_PAGE_MAX}, got {size}")
    state = call.state
    username = call.param("username").lower()
    subs = _subscriptions(state, username) if state.get(username) is not None else {}
    newest_first = list(reversed(subs.items()))[window]
    sublist = [{"uid": name, "expiry": str(ends)} for name, ends in newest_first]
    return {"result": {"totalnum": str(len(subs)), "sublist": sublist}}


def _forget_user(state: EmulatorState, username: str) -> None:
    state.presence.pop(username, None)
    state.presence_subs.pop(username, None)
    for subs in state.presence_subs.values():
        subs.pop(username, None)


EmulatorState.user_removed.append(_forget_user)
