"""Users area (``users.*`` rows): registration, look-up, listing, deletion, bans, presence.

Each handler answers with the key set of its documented example (see the shape
tuples below) and the documented limits and error bodies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import AgoraHTTPError, illegal_argument
from .._registry import handler
from .._state import encode_cursor
from ._common import (
    DATA_ENVELOPE,
    FULL_ENVELOPE,
    MAX_NICKNAME,
    MAX_PASSWORD,
    check_username,
    cursor_param,
    limit_param,
    path_user,
)

if TYPE_CHECKING:
    from .._call import Call
    from .._state import EmulatorState

__all__: list[str] = []

MAX_BATCH_REGISTER = 60
MAX_PAGE = 100
DEFAULT_PAGE = 10
MAX_BATCH_STATUS = 100

# Envelope keys per endpoint, as in the documented examples.
_REGISTER_MANY = (*FULL_ENVELOPE[:6], "data", *FULL_ENVELOPE[6:])
_GET_ONE = ("action", "path", "uri", "entities", "timestamp", "duration", "count")
_LIST = ("action", "params", "path", "uri", "entities", "timestamp", "duration", "cursor", "count")
_DELETE_ONE = (
    "action",
    "applicationName",
    "path",
    "uri",
    "entities",
    "timestamp",
    "duration",
    "organization",
)
_DELETE_MANY = (
    "action",
    "application",
    "params",
    "path",
    "uri",
    "entities",
    "timestamp",
    "duration",
    "organization",
    "applicationName",
    "cursor",
)
_REDUCED = ("action", "timestamp", "duration")
_DEACTIVATE = ("action", "entities", "timestamp", "duration")
_USER_DATA = ("action", "uri", "entities", "data", "timestamp", "duration", "count")
_BATCH_STATUS = ("action", "data", "timestamp", "duration")

_QUOTA = "You have exceeded the limit of the free edition. Please upgrade to higher edition."


# -- registration --------------------------------------------------------------------


def _classify_register(body: Any) -> str:
    return "users.register_many" if isinstance(body, list) else "users.register"


def _new_user(item: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(username, password, nickname) of a registration item, or its 400."""
    username = check_username(item.get("username"))
    password, nickname = item.get("password"), item.get("nickname")
    if password is not None:
        if not isinstance(password, str):
            raise illegal_argument("password must be a string")
        if len(password) > MAX_PASSWORD:
            raise illegal_argument("PASSWORD_TOO_LONG")
    if nickname is not None:
        if not isinstance(nickname, str):
            raise illegal_argument("nickname must be a string")
        if len(nickname) > MAX_NICKNAME:
            raise illegal_argument("NICKNAME_TOO_LONG")
    return username, password, nickname


def _quota_reached(call: Call) -> bool:
    limit = call.emulator.max_users
    return limit is not None and len(call.state) >= limit


@handler("POST", "/users", classify=_classify_register)
async def register(call: Call) -> dict[str, Any]:
    body = call.body
    if isinstance(body, list):
        return _register_many(call, body)
    if body is None:
        raise illegal_argument("Entity 'user' requires a property named username")
    if not isinstance(body, dict):
        raise illegal_argument("This is an invalid request.")
    username, password, nickname = _new_user(body)
    state = call.state
    if state.get(username) is not None:
        raise AgoraHTTPError(
            400,
            "duplicate_unique_property_exists",
            f"Application {state.app_uuid} Entity user requires that property named "
            f"username be unique, value of {username} exists",
        )
    if _quota_reached(call):
        raise AgoraHTTPError(429, "resource_limited", _QUOTA)
    record = state.add_user(username, password=password, nickname=nickname)
    return call.envelope(FULL_ENVELOPE, action="post", entities=[record.entity()])


def _register_many(call: Call, items: list[Any]) -> dict[str, Any]:
    if len(items) > MAX_BATCH_REGISTER:
        raise illegal_argument(
            f"Request body array size[{len(items)}] had almost reached or been greater "
            f"than the upper range value[{MAX_BATCH_REGISTER}]"
        )
    if not items or not all(isinstance(item, dict) for item in items):
        raise illegal_argument("This is an invalid request.")
    if any(item.get("username") in (None, "") for item in items):
        raise illegal_argument("Entity 'user' requires a property named username")
    _refuse_conflicting_passwords(items)
    if _quota_reached(call):
        raise AgoraHTTPError(429, "resource_limited", _QUOTA)
    state = call.state
    created: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for item in items:
        try:
            username, password, nickname = _new_user(item)
        except AgoraHTTPError as exc:
            failed.append({"username": item["username"], "registerUserFailReason": exc.description})
            continue
        if state.get(username) is not None:
            reason = f"the {username} already exists"
        elif _quota_reached(call):
            reason = _QUOTA
        else:
            record = state.add_user(username, password=password, nickname=nickname)
            created.append(record.entity())
            continue
        failed.append({"username": username, "registerUserFailReason": reason})
    return call.envelope(_REGISTER_MANY, action="post", entities=created, data=failed)


def _refuse_conflicting_passwords(items: list[dict[str, Any]]) -> None:
    """One batch naming a user twice with two passwords is refused as a whole."""
    passwords: dict[str, Any] = {}
    for item in items:
        name = item["username"]
        key = name.lower() if isinstance(name, str) else repr(name)
        if key in passwords and passwords[key] != item.get("password"):
            raise AgoraHTTPError(
                400,
                "duplicate_unique_property_exists",
                f"the same user {name} has a different password, the passwords are "
                f"{passwords[key]},{item.get('password')}",
            )
        passwords.setdefault(key, item.get("password"))


# -- reading and deleting --------------------------------------------------------------


@handler("GET", "/users/{username}")
async def get_user(call: Call) -> dict[str, Any]:
    record = path_user(call)
    return call.envelope(_GET_ONE, action="get", entities=[record.entity()], count=1)


@handler("GET", "/users")
async def list_users(call: Call) -> dict[str, Any]:
    limit = limit_param(call, default=DEFAULT_PAGE, maximum=MAX_PAGE)
    records, next_seq = call.state.page(cursor_param(call), limit)
    return call.envelope(
        _LIST,
        action="get",
        entities=[r.entity() for r in records],
        cursor=_cursor(next_seq),
        count=len(records),
    )


@handler("DELETE", "/users/{username}")
async def delete_user(call: Call) -> dict[str, Any]:
    record = path_user(call)
    call.state.remove_user(record.username)
    return call.envelope(_DELETE_ONE, action="delete", entities=[record.entity()])


@handler("DELETE", "/users")
async def delete_users(call: Call) -> dict[str, Any]:
    limit = limit_param(call, default=DEFAULT_PAGE, maximum=MAX_PAGE)
    state = call.state
    records, next_seq = state.page(cursor_param(call), limit)
    for record in records:
        state.remove_user(record.username)
    return call.envelope(
        _DELETE_MANY,
        action="delete",
        entities=[r.entity() for r in records],
        cursor=_cursor(next_seq),
    )


def _cursor(next_seq: int | None) -> str | None:
    return None if next_seq is None else encode_cursor(next_seq)


# -- account changes -----------------------------------------------------------------


@handler("PUT", "/users/{username}/password")
async def set_password(call: Call) -> dict[str, Any]:
    record = call.state.get(call.param("username"))
    if record is None:
        raise AgoraHTTPError(404, "entity_not_found", "User null not found")
    body = call.body
    password = body.get("newpassword") if isinstance(body, dict) else None
    if not isinstance(password, str) or not password:
        raise illegal_argument("newpassword is required")
    if len(password) > MAX_PASSWORD:
        raise illegal_argument("PASSWORD_TOO_LONG")
    record.password = password
    call.state.touch(record)
    return call.envelope(_REDUCED, action="set user password")


@handler("POST", "/users/{username}/deactivate")
async def deactivate(call: Call) -> dict[str, Any]:
    record = path_user(call)
    record.activated = False
    call.state.touch(record)
    call.state.go_offline(record.username)  # kicked off every device
    return call.envelope(_DEACTIVATE, action="Deactivate user", entities=[record.entity()])


@handler("POST", "/users/{username}/activate")
async def activate(call: Call) -> dict[str, Any]:
    record = path_user(call)
    record.activated = True
    call.state.touch(record)
    return call.envelope(_REDUCED, action="activate user")


@handler("GET", "/users/{username}/disconnect")  # also mounted as the legacy POST
async def disconnect(call: Call) -> dict[str, Any]:
    record = path_user(call)
    call.state.go_offline(record.username)
    return call.envelope(
        DATA_ENVELOPE,
        action=call.request.method.lower(),
        entities=[],
        data={"result": True},
    )


# -- presence and offline messages ---------------------------------------------------


def _presence(state: EmulatorState, username: str) -> str:
    return "online" if state.is_online(username) else "offline"


@handler("GET", "/users/{username}/status")
async def get_status(call: Call) -> dict[str, Any]:
    record = path_user(call)
    data = {record.username: _presence(call.state, record.username)}
    return call.envelope(_USER_DATA, action="get", entities=[], data=data, count=0)


@handler("POST", "/users/batch/status")
async def get_statuses(call: Call) -> dict[str, Any]:
    body = call.body
    usernames = body.get("usernames") if isinstance(body, dict) else None
    if not isinstance(usernames, list) or not all(isinstance(u, str) for u in usernames):
        raise illegal_argument("usernames must be a list of usernames")
    if len(usernames) > MAX_BATCH_STATUS:
        raise illegal_argument(
            f"request body exceeds maximum limit, maximum limit is {MAX_BATCH_STATUS}"
        )
    if not usernames:
        raise illegal_argument("usernames must not be empty")
    state = call.state
    data = [{name: _presence(state, name)} for name in usernames]  # unknown: offline
    return call.envelope(_BATCH_STATUS, action="get batch user status", data=data)


@handler("GET", "/users/{username}/offline_msg_count")
async def offline_message_count(call: Call) -> dict[str, Any]:
    record = path_user(call)
    data = {record.username: len(call.state.offline_messages(record.username))}
    return call.envelope(_USER_DATA, action="get", entities=[], data=data, count=0)


@handler("GET", "/users/{username}/offline_msg_status/{msg_id}")
async def offline_message_status(call: Call) -> dict[str, Any]:
    record = path_user(call)
    msg_id = call.param("msg_id")
    pending = msg_id in call.state.offline_messages(record.username)
    data = {msg_id: "undelivered" if pending else "delivered"}
    return call.envelope(_USER_DATA, action="get", entities=[], data=data, count=0)
