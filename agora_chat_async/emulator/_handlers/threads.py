"""Threads area (``threads.*`` rows): threads started on group messages, and their members.

A thread belongs to a chat group (``state.groups``) and starts on one of the group's
messages (``state.group_messages``, filled by ``POST /messages/chatgroups``); its owner
must be a group member and joins it. Errors are Agora's ``group_error`` family with
the descriptions of the docs' error tables (E-thr), statuses included.

Paging: ``limit`` 1-50 (default 50; above 50 is refused), ``sort`` ``asc``/``desc``
(default ``desc``) and a cursor in ``properties.cursor`` that every page carries, the
last one too: a page shorter than ``limit`` (or empty) is the end, as documented.
Thread-list cursors name the last thread returned (Agora's name the next thread by
id), member-list cursors the offset of the next member (as Agora's do).

Choices where the sources are silent or disagree:
- the joined-threads lists sort by the thread's creation time (Agora's text; Easemob
  says the time the user joined);
- adding users who are not members of the thread's group is refused as a whole with
  404 ``user not in group.`` (the error create gives for such an owner); adding a
  member again changes nothing;
- removal answers ``result: false`` for a user who was not a member; the owner may be
  removed like anyone else;
- the legacy plural ``DELETE /threads/{thread_id}/users`` is served too;
- the add answer's ``uri`` ends in ``/joined_thread`` like the documented example;
- a thread of a disabled (banned) group can be neither created nor renamed, nor its
  members changed: Easemob's ban page says nobody can manage the group's threads
  then (Agora's, that the owner and admins cannot manage the group). The refusal
  is the group's own, 403 ``forbidden_op`` ``group: {id} is disabled`` (no page
  shows one); as the group itself can still be deleted, so can its threads.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from .._errors import AgoraHTTPError, illegal_argument
from .._registry import handler
from .._state import EmulatorState, ThreadRecord
from ._rooms import group_disabled

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .._call import Call
    from .._state import RoomRecord

__all__: list[str] = []

MAX_NAME = 64
MAX_PAGE = 50
MAX_BATCH = 10
MAX_THREADS = 100_000
"""Threads per app (Agora's default quota)."""
MAX_JOINED = 100_000
"""Threads one user may be in."""

_CHANGE = ("action", "applicationName", "duration", "data", "organization", "timestamp", "uri")
_LIST = (
    "action",
    "applicationName",
    "duration",
    "entities",
    "organization",
    "properties",
    "timestamp",
    "uri",
)
_MEMBERS = ("action", "data", "duration", "properties", "timestamp", "uri")
_ADD = ("action", "applicationName", "data", "duration", "organization", "timestamp", "uri")
_REMOVE = ("action", "applicationName", "duration", "entities", "organization", "timestamp", "uri")


def _error(status: int, description: str) -> AgoraHTTPError:
    return AgoraHTTPError(status, "group_error", description)


def _unreadable() -> AgoraHTTPError:
    return AgoraHTTPError(400, "param_illegal", "Failed to read HTTP message")


# -- request parts ---------------------------------------------------------------------


def _limit(call: Call) -> int:
    raw = call.query("limit")
    if raw is None or raw == "":
        return MAX_PAGE
    try:
        value = int(raw)
    except ValueError:
        raise illegal_argument(f"limit must be an integer, got {raw}") from None
    if value < 1:
        raise illegal_argument(f"limit must be at least 1, got {value}")
    if value > MAX_PAGE:
        raise _error(400, "query param reaches limit.")
    return value


def _descending(call: Call) -> bool:
    sort = call.query("sort")
    if sort in (None, "", "desc"):
        return True
    if sort == "asc":
        return False
    raise illegal_argument(f"sort must be asc or desc, got {sort}")


def _cursor_prefix(call: Call) -> str:
    app = call.state.app_uuid.replace("-", "")
    return f"{app}:im:thread:{call.emulator.org_name}#{call.emulator.app_name}:"


def _encode_cursor(call: Call, value: int) -> str:
    return base64.b64encode(f"{_cursor_prefix(call)}{value}".encode()).decode().rstrip("=")


def _cursor(call: Call) -> int | None:
    """The number in the request's cursor (``None``: from the start)."""
    raw = call.query("cursor")
    if not raw or raw == "null":
        return None
    try:
        text = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode()
        prefix, _, number = text.rpartition(":")
        if prefix + ":" != _cursor_prefix(call):
            raise ValueError(text)
        return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise illegal_argument(f"cursor {raw} is not valid") from None


def _usernames(call: Call) -> list[str]:
    body = call.body
    names = body.get("usernames") if isinstance(body, dict) else None
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise _unreadable()
    if len(names) > MAX_BATCH:
        raise _error(400, "request body reaches limit.")
    return names


def _thread(call: Call) -> ThreadRecord:
    record = call.state.threads.get(call.param("thread_id"))
    if record is None:
        raise _error(404, "thread not found.")
    return record


def _check_enabled(group: RoomRecord) -> None:
    if group.disabled:
        raise group_disabled(group.id)


def _managed(call: Call) -> ThreadRecord:
    """The path's thread, refused while its group is disabled."""
    thread = _thread(call)
    group = call.state.groups.get(thread.group_id)
    if group is not None:
        _check_enabled(group)
    return thread


def _joined(state: EmulatorState, username: str) -> int:
    return sum(1 for thread in state.threads.values() if username in thread.members)


def _check_join_limit(state: EmulatorState, usernames: Iterable[str]) -> None:
    if any(_joined(state, name) >= MAX_JOINED for name in usernames):
        raise _error(403, "user join thread reach limit.")


def _id_field(value: Any) -> str | None:
    """Group and message ids come as strings, or as numbers in the docs' examples."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value:
        return value
    return None


# -- listing -------------------------------------------------------------------------


def _page(call: Call, threads: Iterable[ThreadRecord]) -> tuple[list[ThreadRecord], int | None]:
    """One page of ``threads`` (in creation order) and the cursor value to return."""
    limit, descending, after = _limit(call), _descending(call), _cursor(call)
    ordered = reversed(list(threads)) if descending else threads
    page: list[ThreadRecord] = []
    for thread in ordered:
        number = int(thread.id)
        if after is not None and (number >= after if descending else number <= after):
            continue
        page.append(thread)
        if len(page) == limit:
            break
    return page, int(page[-1].id) if page else after


def _entity(thread: ThreadRecord) -> dict[str, Any]:
    return {
        "name": thread.name,
        "owner": thread.owner,
        "id": thread.id,
        "msgId": thread.message_id,
        "groupId": thread.group_id,
        "created": thread.created,
    }


def _list_answer(
    call: Call, page: list[ThreadRecord], cursor: int | None, full: bool
) -> dict[str, Any]:
    properties = {} if cursor is None else {"cursor": _encode_cursor(call, cursor)}
    entities = [_entity(t) if full else {"id": t.id} for t in page]
    return call.envelope(_LIST, action="get", entities=entities, properties=properties)


@handler("GET", "/thread")
async def list_threads(call: Call) -> dict[str, Any]:
    page, cursor = _page(call, call.state.threads.values())
    return _list_answer(call, page, cursor, full=False)


@handler("GET", "/threads/user/{username}")
async def list_joined(call: Call) -> dict[str, Any]:
    user = call.param("username").lower()
    joined = (t for t in call.state.threads.values() if user in t.members)
    page, cursor = _page(call, joined)
    return _list_answer(call, page, cursor, full=True)


@handler("GET", "/threads/chatgroups/{group_id}/user/{username}")
async def list_joined_in_group(call: Call) -> dict[str, Any]:
    group_id, user = call.param("group_id"), call.param("username").lower()
    if group_id not in call.state.groups:
        raise _error(404, "group not found.")
    threads = call.state.threads.values()
    joined = (t for t in threads if t.group_id == group_id and user in t.members)
    page, cursor = _page(call, joined)
    return _list_answer(call, page, cursor, full=True)


# -- one thread ------------------------------------------------------------------------


@handler("POST", "/thread")
async def create(call: Call) -> dict[str, Any]:
    body = call.body if isinstance(call.body, dict) else {}
    group_id, msg_id = _id_field(body.get("group_id")), _id_field(body.get("msg_id"))
    name, owner = body.get("name"), body.get("owner")
    if None in (group_id, msg_id) or not isinstance(name, str) or not name:
        raise _unreadable()
    if not isinstance(owner, str) or not owner:
        raise _unreadable()
    if len(name) > MAX_NAME:
        raise _error(400, "thread name limit reached.")
    state = call.state
    group = state.groups.get(str(group_id))
    if group is None:
        raise _error(404, "group not found.")
    _check_enabled(group)
    owner = owner.lower()
    if owner not in group.members:
        raise _error(404, "user not in group.")
    if msg_id not in state.group_messages:
        if msg_id in state.sent:  # a one-to-one or chat room message
            raise _error(400, "thread must on group message to create.")
        raise _error(404, "msg not exist.")
    if state.group_messages[str(msg_id)] != group.id:
        raise _error(400, "msg not belong to group .")
    if any(t.message_id == msg_id for t in state.threads.values()):
        raise _error(403, "msg already create thread.not allow to create.")
    if len(state.threads) >= MAX_THREADS:
        raise _error(403, "thread number has reached limit.")
    _check_join_limit(state, [owner])
    thread_id, seq = state.next_id()
    now = state.now_ms()
    state.threads[thread_id] = ThreadRecord(
        thread_id, seq, group.id, str(msg_id), name, owner, now, {owner: now}
    )
    return call.envelope(_CHANGE, action="post", data={"thread_id": thread_id})


@handler("PUT", "/thread/{thread_id}")
async def update(call: Call) -> dict[str, Any]:
    name = call.body.get("name") if isinstance(call.body, dict) else None
    if not isinstance(name, str) or not name:
        raise _unreadable()
    thread = _managed(call)
    if len(name) > MAX_NAME:
        raise _error(400, "thread name limit reached.")
    thread.name = name
    return call.envelope(_CHANGE, action="put", data={"name": name})


@handler("DELETE", "/thread/{thread_id}")
async def delete(call: Call) -> dict[str, Any]:
    thread = _thread(call)
    del call.state.threads[thread.id]
    return call.envelope(_CHANGE, action="delete", data={"status": "ok"})


# -- members ---------------------------------------------------------------------------


@handler("GET", "/thread/{thread_id}/users")
async def list_members(call: Call) -> dict[str, Any]:
    thread = _thread(call)
    limit, start = _limit(call), _cursor(call) or 0
    members = list(thread.members)[start : start + limit]
    cursor = _encode_cursor(call, start + len(members))
    return call.envelope(
        _MEMBERS,
        action="get",
        data={"affiliations": members},
        properties={"cursor": cursor},
    )


@handler("POST", "/thread/{thread_id}/users")
async def add_members(call: Call) -> dict[str, Any]:
    thread = _managed(call)
    names = [name.lower() for name in _usernames(call)]
    state = call.state
    group = state.groups.get(thread.group_id)
    if group is None:
        raise _error(404, "group not found.")
    if any(name not in group.members for name in names):
        raise _error(404, "user not in group.")
    new = [name for name in dict.fromkeys(names) if name not in thread.members]
    _check_join_limit(state, new)
    now = state.now_ms()
    for name in new:
        thread.members[name] = now
    uri = str(call.request.url.with_query(None)).removesuffix("/users") + "/joined_thread"
    return call.envelope(_ADD, action="post", data={"status": "ok"}, uri=uri)


@handler("DELETE", "/thread/{thread_id}/users")
async def remove_members(call: Call) -> dict[str, Any]:
    thread = _managed(call)
    outcome = []
    for name in _usernames(call):
        user = name.lower()
        removed = thread.members.pop(user, None) is not None
        outcome.append({"result": removed, "user": user})
    return call.envelope(_REMOVE, action="delete", entities=outcome)


def _forget_user(state: EmulatorState, username: str) -> None:
    """A deleted user leaves every thread (threads it started stay)."""
    for thread in state.threads.values():
        thread.members.pop(username, None)


EmulatorState.user_removed.append(_forget_user)
