"""Push notifications the server sends (``push.send*``) and push labels (``push.labels.*``).

Agora's push notification management page documents the requests, the answers and the
limits, not the errors; Easemob's push label page lists a few (400 "push label not
exists of {name}", 403 "limit request"). Choices, where both are silent:

- The emulator holds no third-party push bindings (the calls that bind a device are
  Easemob's only), so a push through a third-party service fails with the documented
  ``FAIL`` "no push binding". Agora's own push service reaches users online now:
  ``SUCCESS``, with the push service's answer in ``data`` (the documented shape, a
  fresh ``requestId``); an offline user gets ``FAIL`` "user offline" (Agora keeps such
  a push for strategies 0, 1 and 3 until the user logs in; the emulator does not).
  Per strategy: 2 (the default) third-party only; 0 third-party, then Agora; 1 Agora
  only; 3 Agora, then third-party; 4 Agora, online users only. A user that does not
  exist gets the documented ``FAIL`` "appUser not exists".
- An asynchronous push (``/push/single``) answers ``ASYNC_SUCCESS`` "async success."
  for every existing user, as documented, and "appUser not exists" for the others.
- Pushes by label and to everyone make a task and answer its id. A task without
  ``startDate`` runs at once; one with a ``startDate`` (``yyyy-MM-dd HH:mm:ss``, read
  as UTC: "the time zone where the server resides") waits until then, which must be 1
  hour to 30 days away (400 ``illegal_argument`` otherwise). At most 3 tasks may wait
  or run at once: a fourth is 403 ``forbidden_op`` "limit request". Every label named
  must exist.
- Label names compare case-insensitively (Agora's page; Easemob's says the opposite)
  and keep the spelling they were created with. A name in use is 400
  ``illegal_argument`` "push label {name} already exists"; the 101st label and the
  20,001st user of a label are refused with "limit request" (the label as a 403, the
  user in ``fail``). A missing label is 400 ``illegal_argument`` "push label not exists
  of {name}" (Easemob's status and wording) for every label call.
- Adding a user who has the label already succeeds again (its time is kept); a user
  that does not exist fails with "appUser not exists", removing one without the label
  with "user not in push label". ``GET .../user/{username}`` for a user without the
  label answers ``data: {}`` ("those fields are not returned", Easemob).
- Labels and the users in each page newest first (the documented label list is); a
  cursor names where the next page starts, so changes between pages skip nobody.
  Deleting a user takes its labels away.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..._validate import check_username, push_message_problem
from .._errors import AgoraHTTPError, illegal_argument, invalid_request_body
from .._registry import handler
from .._state import EmulatorState, PushLabelRecord
from ._common import limit_param, newest_page

if TYPE_CHECKING:
    from .._call import Call

__all__: list[str] = []

#: The envelope of every answer on the page, and of the paged lists.
_ENVELOPE = ("timestamp", "data", "duration")
_PAGE_ENVELOPE = ("timestamp", "cursor", "data", "duration")

MAX_LABELS = 100
MAX_LABEL_USERS = 20_000
MAX_USERS_PER_CALL = 100
MAX_TARGETS = 100
MAX_TARGET_LABELS = 5
MAX_TASKS = 3
_HOUR_MS = 3_600_000
_MAX_DELAY_MS = 30 * 24 * _HOUR_MS
_FIRST_TASK_ID = 968_120_369_184_112_182

_NO_USER = "appUser not exists"
_LIMIT = "limit request"


def _limited() -> AgoraHTTPError:
    return AgoraHTTPError(403, "forbidden_op", _LIMIT, exception="LimitException")


# -- sending --------------------------------------------------------------------------


def _body(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    problem = push_message_problem(body.get("pushMessage"))
    if problem is not None:
        raise illegal_argument(f"pushMessage {problem}")
    strategy = body.get("strategy", 2)
    if isinstance(strategy, bool) or strategy not in (0, 1, 2, 3, 4):
        raise illegal_argument(f"strategy must be 0, 1, 2, 3 or 4, got {strategy!r}")
    return body


def _provider_answer() -> dict[str, Any]:
    """What the push service answers for a delivered push (the documented keys)."""
    return {
        "code": 200,
        "data": {
            "expireTokens": [],
            "sendResult": True,
            "requestId": uuid.uuid4().hex,
            "failTokens": [],
            "msgCode": 200,
        },
        "message": "Success",
    }


def _push_now(state: EmulatorState, username: str, strategy: int) -> dict[str, Any]:
    """The outcome of a synchronous push to one user; see the module docstring."""
    if state.get(username) is None:
        return {"pushStatus": "FAIL", "desc": _NO_USER}
    online = state.is_online(username)
    if strategy == 2 or (strategy == 3 and not online):
        return {"pushStatus": "FAIL", "desc": "no push binding"}
    if not online:
        return {"pushStatus": "FAIL", "desc": "user offline"}
    return {"pushStatus": "SUCCESS", "data": _provider_answer()}


@handler("POST", "/push/sync/{username}")
async def send_sync(call: Call) -> dict[str, Any]:
    body = _body(call)
    result = _push_now(call.state, call.param("username"), body.get("strategy", 2))
    return call.envelope(_ENVELOPE, data=[result])


def _targets(body: dict[str, Any], noun: str, most: int) -> list[str]:
    """The ``targets`` list of a push: 1 to ``most`` non-empty strings."""
    targets = body.get("targets")
    if not isinstance(targets, list) or not all(isinstance(t, str) and t for t in targets):
        raise illegal_argument(f"targets must be a list of {noun}")
    if not 1 <= len(targets) <= most:
        raise illegal_argument(f"targets takes 1 to {most} {noun}")
    return targets


@handler("POST", "/push/single")
async def send(call: Call) -> dict[str, Any]:
    body = _body(call)
    targets = _targets(body, "user ids", MAX_TARGETS)
    results = [
        {"id": target, "pushStatus": "ASYNC_SUCCESS", "desc": "async success."}
        if call.state.get(target) is not None
        else {"id": target, "pushStatus": "FAIL", "desc": _NO_USER}
        for target in targets
    ]
    return call.envelope(_ENVELOPE, data=results)


def _start(call: Call, body: dict[str, Any]) -> int:
    """When the task starts (Unix ms): ``startDate``, or now."""
    now = call.state.now_ms()
    raw = body.get("startDate")
    if raw is None:
        return now
    try:
        when = datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        raise illegal_argument(f"startDate must be yyyy-MM-dd HH:mm:ss, got {raw!r}") from None
    start = int(when.timestamp() * 1000)
    if not now + _HOUR_MS <= start <= now + _MAX_DELAY_MS:
        raise illegal_argument("startDate must be 1 hour to 30 days from now")
    return start


def _new_task(call: Call, start: int) -> int:
    """A task id; refused while ``MAX_TASKS`` tasks wait. A task starting now is over at
    once, so only those waiting for their ``startDate`` are kept."""
    state = call.state
    now = state.now_ms()
    for task_id in [t for t, when in state.push_tasks.items() if when <= now]:
        del state.push_tasks[task_id]
    if len(state.push_tasks) >= MAX_TASKS:
        raise _limited()
    state.push_made += 1
    task_id = _FIRST_TASK_ID + state.push_made
    if start > now:
        state.push_tasks[task_id] = start
    return task_id


@handler("POST", "/push/list/label")
async def send_by_labels(call: Call) -> dict[str, Any]:
    body = _body(call)
    targets = _targets(body, "label names", MAX_TARGET_LABELS)
    for name in targets:
        _label(call.state, name)
    start = _start(call, body)
    return call.envelope(_ENVELOPE, data={"taskId": _new_task(call, start)})


@handler("POST", "/push/task")
async def send_to_all(call: Call) -> dict[str, Any]:
    body = _body(call)
    start = _start(call, body)
    return call.envelope(_ENVELOPE, data=_new_task(call, start))


# -- labels ---------------------------------------------------------------------------


def _label(state: EmulatorState, name: str) -> PushLabelRecord:
    record = state.push_labels.get(name.lower())
    if record is None:
        raise AgoraHTTPError(
            400,
            "illegal_argument",
            f"push label not exists of {name}",
            exception="ResourceNotFoundException",
        )
    return record


def _shown(record: PushLabelRecord, *, count: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"name": record.name, "description": record.description}
    if count:
        out["count"] = len(record.users)
    out["createdAt"] = record.created
    return out


@handler("POST", "/push/label")
async def create_label(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    name: Any = body.get("name")
    description = body.get("description", "")
    try:
        check_username("name", name)
    except ValueError:
        raise illegal_argument(f"push label name {name!r} is not legal") from None
    if not isinstance(description, str) or len(description) > 255:
        raise illegal_argument("description must be a string of at most 255 characters")
    state = call.state
    if name.lower() in state.push_labels:
        raise illegal_argument(f"push label {name} already exists")
    if len(state.push_labels) >= MAX_LABELS:
        raise _limited()
    state.push_made += 1
    record = PushLabelRecord(name, description, state.now_ms(), state.push_made)
    state.push_labels[name.lower()] = record
    return call.envelope(_ENVELOPE, data=_shown(record, count=False))


@handler("GET", "/push/label/{label}")
async def get_label(call: Call) -> dict[str, Any]:
    return call.envelope(_ENVELOPE, data=_shown(_label(call.state, call.param("label"))))


@handler("GET", "/push/label")
async def list_labels(call: Call) -> dict[str, Any]:
    labels = call.state.push_labels
    size = limit_param(call, default=MAX_LABELS, maximum=MAX_LABELS)
    names, cursor = newest_page(call, {k: r.seq for k, r in labels.items()}, size, "labels")
    data = [_shown(labels[name]) for name in names]
    return call.envelope(_PAGE_ENVELOPE, data=data, cursor=cursor)


@handler("DELETE", "/push/label/{label}")
async def delete_label(call: Call) -> dict[str, Any]:
    record = _label(call.state, call.param("label"))
    del call.state.push_labels[record.name.lower()]
    return call.envelope(_ENVELOPE, data="success")


def _usernames(call: Call) -> list[str]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    names = body.get("usernames")
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise illegal_argument("usernames must be a list of user ids")
    if not 1 <= len(names) <= MAX_USERS_PER_CALL:
        raise illegal_argument(f"usernames takes 1 to {MAX_USERS_PER_CALL} user ids")
    return names


@handler("POST", "/push/label/{label}/user")
async def add_label_users(call: Call) -> dict[str, Any]:
    state = call.state
    record = _label(state, call.param("label"))
    names = _usernames(call)
    success: list[str] = []
    fail: dict[str, str] = {}
    for name in names:
        key = name.lower()
        if state.get(key) is None:
            fail[name] = _NO_USER
        elif key in record.users:
            success.append(name)
        elif len(record.users) >= MAX_LABEL_USERS:
            fail[name] = _LIMIT
        else:
            state.push_made += 1
            record.users[key] = (state.now_ms(), state.push_made)
            success.append(name)
    return call.envelope(_ENVELOPE, data={"success": success, "fail": fail})


def _user(key: str, added: tuple[int, int]) -> dict[str, Any]:
    return {"username": key, "created": added[0]}


@handler("GET", "/push/label/{label}/user/{username}")
async def get_label_user(call: Call) -> dict[str, Any]:
    record = _label(call.state, call.param("label"))
    key = call.param("username").lower()
    added = record.users.get(key)
    return call.envelope(_ENVELOPE, data={} if added is None else _user(key, added))


@handler("GET", "/push/label/{label}/user")
async def list_label_users(call: Call) -> dict[str, Any]:
    record = _label(call.state, call.param("label"))
    size = limit_param(call, default=MAX_USERS_PER_CALL, maximum=MAX_USERS_PER_CALL)
    entries = {key: seq for key, (_, seq) in record.users.items()}
    names, cursor = newest_page(call, entries, size, "label users")
    data = [_user(key, record.users[key]) for key in names]
    return call.envelope(_PAGE_ENVELOPE, data=data, cursor=cursor)


@handler("DELETE", "/push/label/{label}/user")
async def remove_label_users(call: Call) -> dict[str, Any]:
    record = _label(call.state, call.param("label"))
    names = _usernames(call)
    success: list[str] = []
    fail: dict[str, str] = {}
    for name in names:
        if record.users.pop(name.lower(), None) is None:
            fail[name] = "user not in push label"
        else:
            success.append(name)
    return call.envelope(_ENVELOPE, data={"success": success, "fail": fail})


def _forget_user(state: EmulatorState, username: str) -> None:
    for record in state.push_labels.values():
        record.users.pop(username, None)


EmulatorState.user_removed.append(_forget_user)
