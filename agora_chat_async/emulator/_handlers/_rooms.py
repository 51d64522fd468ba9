"""What chat groups and chat rooms share: look-ups, members, admins, block/allow lists,
mutes, announcements, listing, deletion and the user-removed cascade.

A chat room is a chat group with a few different defaults, limits and keys; a
:class:`Kind` names them, and :func:`register_member_routes` mounts every member-area
handler once per kind. ``groups.py`` and ``chatrooms.py`` add the create / update /
list handlers, which differ in their fields.

Choices where the sources disagree or say nothing (see the spec notes, Open questions):

- ``forbidden_op`` refusals answer 403 for groups and 400 for chat rooms (the room pages
  list them as 400), including ownership transfer; ``exceed_limit`` is 403 for both.
- Unknown group or room: 404 ``resource_not_found`` ``grpID {id} does not exist!``;
  the member list of an unknown one and a single unknown room in details answer 404
  ``service_resource_not_found`` ``do not find this group:{id}``.
- ``DELETE .../users/{username}`` and ``.../users/{usernames}`` (and the blocklist
  pair) are one URL: a segment without a comma answers with one result object (single
  remove), a comma list with a list of per-user results (batch remove).
- Batch removal refuses the whole request when it names the owner or when no listed
  user is a member; otherwise each user gets a result (``reason`` on failures). Batch
  blocking likewise refuses the owner, and reports non-members per user.
- A blocked user cannot be added: a single add is refused (``forbidden_op``). A batch
  add skips members, blocked and unknown users (they are missing from ``newmembers``)
  and is refused only when nobody could be added, with the first user's refusal (404
  for an unknown user, ``forbidden_op`` for a member or a blocked user).
- ``mute_duration`` -1 (permanent, documented for rooms) is accepted for groups too;
  the mute list then shows ``expire`` -1. Expired mutes are dropped when read.
- Leaving (removal, blocking, user deletion) also drops the user's admin role, mute and
  allow-list entry, the chat room attributes it set with ``autoDelete`` ``DELETE``,
  and, for groups, its member attributes and its membership of the group's threads.
- A disabled (banned) group refuses every change but its deletion and re-enabling
  (403 ``forbidden_op`` ``group: {id} is disabled``): Agora says its owner and admins
  cannot manage it, Easemob that it cannot be changed at all. Reads still answer.
- The group blocklist pages with ``pageSize`` (at most 50) and ``cursor``; without
  ``pageSize`` up to 500 are returned, newest block first. A cursor names the block the
  next page starts at, so blocking and unblocking between pages shift nothing.
- Undocumented refusals get descriptions in the documented style: adding a blocked
  user, a 100th admin, an admin twice, unblocking someone not blocked; ``exception``
  is ``EasemobException`` for codes whose exception class the docs never show.
- Membership changes are posted to the callback URL (``_callbacks``): ``presence``
  per member added (at creation too), ``kick`` + ``absence`` per member removed,
  ``ban`` + ``absence`` per member blocked, ``destroy`` for a deletion. Members a user
  deletion takes out post nothing (Agora documents no event for it).
- ``action`` is the request's method (the docs show ``put`` for ``POST /ban`` and
  ``post`` for ``GET /mute``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Literal

from .._errors import AgoraHTTPError
from .._registry import handler
from .._state import EmulatorState, RoomRecord, encode_cursor
from ._common import PAGE_ENVELOPE, blocklist_page, cursor_param, limit_param, page_window

if TYPE_CHECKING:
    from .._call import Call

__all__ = [
    "ALPHA",
    "ALPHA_NO_PROPS",
    "JOINED",
    "MAX_AFFILIATIONS",
    "MAX_BATCH",
    "STD",
    "WHILE_DISABLED",
    "Field",
    "Kind",
    "affiliations",
    "classify_update",
    "delete_room",
    "details",
    "envelope",
    "existing_user",
    "flag_field",
    "forbidden",
    "forget_user",
    "get_announcement",
    "group_disabled",
    "invalid",
    "joined",
    "list_page",
    "maxusers_field",
    "new_room",
    "register_member_routes",
    "room",
    "rooms_of",
    "set_announcement",
    "text_field",
    "update",
]

MAX_BATCH = 60
MAX_ADMINS = 99
MAX_ANNOUNCEMENT = 512
MAX_DETAILS = 100
MAX_AFFILIATIONS = 10_000

# Envelope keys, in the order of the documented examples.
STD = (
    "action",
    "application",
    "uri",
    "entities",
    "data",
    "timestamp",
    "duration",
    "organization",
    "applicationName",
)
STD_COUNT = (*STD, "count")
ALPHA = (
    "action",
    "application",
    "applicationName",
    "data",
    "duration",
    "entities",
    "organization",
    "properties",
    "timestamp",
    "uri",
)
ALPHA_NO_PROPS = tuple(k for k in ALPHA if k != "properties")
_MEMBERS = (
    "action",
    "application",
    "params",
    "uri",
    "entities",
    "data",
    "timestamp",
    "duration",
    "organization",
    "applicationName",
    "count",
)


@dataclass(frozen=True, slots=True)
class Kind:
    """What tells chat groups and chat rooms apart on the wire.

    Attributes:
        kind: ``RoomRecord.kind``.
        prefix: Path prefix (``/chatgroups``).
        param: Path parameter naming one of them (``group_id``).
        id_key: Key naming it in member results and in ``delete`` (``groupid``/``id``).
        list_key: Key naming it in block/allow-list results (``groupid``/``chatroomid``).
        where: Word used in block-list failure reasons (``group``/``chatroom``).
        refuse: HTTP status of ``forbidden_op`` refusals.
        maxusers_default: ``maxusers`` when not given at creation.
        maxusers_max: Largest ``maxusers`` accepted.
        members_page: Member list ``pagesize`` (default, maximum).
        blocklist_paged: Whether the block list pages with ``pageSize``/``cursor``.
        admin_add_keys: Envelope of ``POST .../admin``.
        mute_add_keys: Envelope of ``POST .../mute``.
    """

    kind: Literal["group", "chatroom"]
    prefix: str
    param: str
    id_key: str
    list_key: str
    where: str
    refuse: int
    maxusers_default: int
    maxusers_max: int
    members_page: tuple[int, int]
    blocklist_paged: bool
    admin_add_keys: tuple[str, ...]
    mute_add_keys: tuple[str, ...]


# -- errors and look-ups ---------------------------------------------------------------


def invalid(description: str) -> AgoraHTTPError:
    """400 ``invalid_parameter``."""
    return AgoraHTTPError(400, "invalid_parameter", description)


def forbidden(kind: Kind, description: str) -> AgoraHTTPError:
    """``forbidden_op`` with the kind's status (groups 403, rooms 400)."""
    return AgoraHTTPError(kind.refuse, "forbidden_op", description)


def group_disabled(group_id: str) -> AgoraHTTPError:
    """The refusal of anything but reading and the few calls allowed in a disabled group
    (changes, sends, its threads)."""
    return AgoraHTTPError(403, "forbidden_op", f"group: {group_id} is disabled")


def _exceed(description: str) -> AgoraHTTPError:
    return AgoraHTTPError(403, "exceed_limit", description)


def _no_such_user(name: str) -> AgoraHTTPError:
    return AgoraHTTPError(404, "resource_not_found", f"username {name} doesn't exist!")


def _unlisted(kind: Kind, record: RoomRecord, name: str, listing: str) -> str:
    return f"user: {name} is not in the {listing} of {kind.where}: {record.id}"


def _owner_refused(kind: Kind) -> AgoraHTTPError:
    return forbidden(kind, "forbidden operation on group owner!")


def _not_members(kind: Kind, names: Iterable[str]) -> AgoraHTTPError:
    return forbidden(kind, f"users [{', '.join(names)}] are not members of this group!")


def rooms_of(state: EmulatorState, kind: Kind) -> dict[str, RoomRecord]:
    return state.groups if kind.kind == "group" else state.chatrooms


#: Rows a disabled (banned) group still serves besides reads: its deletion, the ban
#: itself, and the member attribute read sent as a POST.
WHILE_DISABLED = frozenset(
    {"groups.delete", "groups.disable", "groups.enable", "groups.member_attributes.get_many"}
)


def room(call: Call, kind: Kind, *, missing: Literal["grpID", "service"] = "grpID") -> RoomRecord:
    """The group or room the path names, or its 404; a disabled one refuses changes."""
    room_id = call.param(kind.param)
    record = rooms_of(call.state, kind).get(room_id)
    if record is None:
        if missing == "grpID":
            raise AgoraHTTPError(404, "resource_not_found", f"grpID {room_id} does not exist!")
        raise AgoraHTTPError(404, "service_resource_not_found", f"do not find this group:{room_id}")
    if record.disabled and call.request.method != "GET" and call.endpoint not in WHILE_DISABLED:
        raise group_disabled(room_id)
    return record


def existing_user(call: Call, name: object) -> str:
    """The stored (lower-cased) name of an existing user, or 404."""
    if not isinstance(name, str) or not name:
        raise invalid("username must be a non-empty string")
    record = call.state.get(name)
    if record is None:
        raise _no_such_user(name)
    return record.username


def envelope(call: Call, keys: tuple[str, ...], **values: Any) -> dict[str, Any]:
    """The success envelope; ``action`` is the request method, lists default to empty."""
    values.setdefault("action", call.request.method.lower())
    values.setdefault("entities", [])
    values.setdefault("properties", {})
    return call.envelope(keys, **values)


# -- request fields ----------------------------------------------------------------------

_TOO_LONG = {"groupname": "title", "name": "title", "description": "desc"}


def text_field(body: dict[str, Any], name: str, limit: int) -> str | None:
    """An optional string field of at most ``limit`` characters."""
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, str):
        raise invalid(f"{name} must be a string")
    if len(value) > limit:
        if name == "avatar":
            raise invalid("avatar length is too big")
        raise _exceed(f"{_TOO_LONG.get(name, name)} cannot exceed to {limit}")
    return value


def flag_field(body: dict[str, Any], name: str) -> bool | None:
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, bool):
        raise invalid(f"{name} must be true or false")
    return value


def maxusers_field(kind: Kind, body: dict[str, Any]) -> int | None:
    """``maxusers``: a number (or a string of digits, as the docs' table types it)."""
    if "maxusers" not in body:
        return None
    value = body["maxusers"]
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise invalid("maxusers must be a positive integer")
    if value > kind.maxusers_max:
        raise _exceed(f"maxUsers cannot exceed {kind.maxusers_max}")
    return value


def _members_field(call: Call, body: dict[str, Any], owner: str) -> list[str]:
    raw = body.get("members")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise invalid("members must be a list of usernames")
    names = [existing_user(call, name) for name in raw]
    return [name for name in dict.fromkeys(names) if name != owner]


def check_custom_id(call: Call, body: dict[str, Any]) -> str | None:
    """A caller-chosen id (``groupid``), refused when taken by a group or a room."""
    custom = body.get("groupid")
    if custom is None:
        return None
    if not isinstance(custom, str) or not custom.isdigit():
        raise invalid("groupid must be a string of digits")
    state = call.state
    if custom in state.groups or custom in state.chatrooms:
        raise AgoraHTTPError(400, "illegal_argument", f"group ID {custom} already exists!")
    return custom


def new_room(call: Call, kind: Kind, body: dict[str, Any], settings: dict[str, Any]) -> RoomRecord:
    """Create and store a group or room from a checked body (owner, members, id)."""
    if not body.get("owner"):
        raise invalid("owner must be provided")
    owner = existing_user(call, body["owner"])
    members = _members_field(call, body, owner)
    maxusers = settings.setdefault("maxusers", kind.maxusers_default)
    if len(members) + 1 > maxusers:
        raise _exceed("members size is greater than max user size !")
    custom_id = check_custom_id(call, body)
    state = call.state
    room_id, seq = state.next_id()
    while custom_id is None and (room_id in state.groups or room_id in state.chatrooms):
        room_id, seq = state.next_id()  # skip ids a caller chose
    now = state.now_ms()
    record = RoomRecord(
        kind=kind.kind,
        id=custom_id or room_id,
        seq=seq,
        owner=owner,
        created=now,
        modified=now,
        **settings,
    )
    record.members = dict.fromkeys([owner, *members])
    rooms_of(state, kind)[record.id] = record
    for name in members:
        call.emulator.callbacks.membership(record, "presence", name)
    return record


# -- paging ----------------------------------------------------------------------------------


def list_page(call: Call, kind: Kind, maximum: int) -> tuple[list[RoomRecord], str | None]:
    """A page of every group or room, newest first, and the next page's cursor.

    The cursor names the creation sequence number of the next record, so groups
    created or deleted meanwhile neither repeat nor skip the others.
    """
    limit = limit_param(call, default=10, maximum=maximum)
    what = kind.prefix[1:]
    below = cursor_param(call, what=what)
    page: list[RoomRecord] = []
    for record in reversed(rooms_of(call.state, kind).values()):
        if below is not None and record.seq > below:
            continue
        if len(page) == limit:
            return page, encode_cursor(record.seq, what)
        page.append(record)
    return page, None


def affiliations(
    record: RoomRecord, start: int = 0, stop: int | None = None, *, owner_first: bool = True
) -> list[dict[str, str]]:
    """``[{"owner": u}, {"member": u}, ...]`` from ``start`` to ``stop``: the owner first,
    then by joining order (admins show as members). Details list the owner last, as
    both documented detail examples do (the member list example puts it first)."""
    owner = ({"owner": record.owner},)
    members = ({"member": name} for name in record.members if name != record.owner)
    every = chain(owner, members) if owner_first else chain(members, owner)
    return list(islice(every, start, stop))


# -- leaving and deleting ------------------------------------------------------------------


def _leave(state: EmulatorState, record: RoomRecord, username: str) -> None:
    """Drop a user's membership and everything that hangs on it."""
    record.members.pop(username, None)
    record.admins.pop(username, None)
    record.muted.pop(username, None)
    record.allowed.pop(username, None)
    record.member_attributes.pop(username, None)
    attributes = record.room_attributes  # its chat room attributes set with autoDelete
    for key in [k for k, (_, by, auto) in attributes.items() if by == username and auto]:
        del attributes[key]
    if record.kind == "group":
        for thread in state.threads.values():
            if thread.group_id == record.id:
                thread.members.pop(username, None)


def delete_room(state: EmulatorState, kind: Kind, record: RoomRecord) -> None:
    """Forget a group (with its threads and message links) or a room."""
    rooms_of(state, kind).pop(record.id, None)
    if kind.kind == "group":
        gone = [tid for tid, thread in state.threads.items() if thread.group_id == record.id]
        for thread_id in gone:
            del state.threads[thread_id]
        sent = [mid for mid, gid in state.group_messages.items() if gid == record.id]
        for message_id in sent:
            del state.group_messages[message_id]


def forget_user(kind: Kind) -> Callable[[EmulatorState, str], None]:
    """The ``user_removed`` hook of a kind: owned ones are deleted (as Agora deletes a
    user's groups and rooms), the user leaves and is unblocked everywhere else."""

    def hook(state: EmulatorState, username: str) -> None:
        for record in list(rooms_of(state, kind).values()):
            if record.owner == username:
                delete_room(state, kind, record)
            else:
                _leave(state, record, username)
                record.blocked.pop(username, None)

    return hook


# -- shared handlers ---------------------------------------------------------------------------


def _body_names(call: Call, too_many: str) -> list[str]:
    body = call.body
    names = body.get("usernames") if isinstance(body, dict) else None
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise invalid("usernames must be a non-empty list of usernames")
    if len(names) > MAX_BATCH:
        raise invalid(too_many)
    return list(dict.fromkeys(n.lower() for n in names))


def _path_names(call: Call, too_many: str) -> tuple[list[str], bool]:
    """Comma-separated usernames of the last path segment, and whether it was a list
    (the same URL serves the single and the batch rows)."""
    param = "usernames" if "usernames" in call.request.match_info else "username"
    raw = call.param(param)
    names = [n.strip().lower() for n in raw.split(",") if n.strip()]
    if not names:
        raise invalid(f"{param} must name at least one user")
    if len(names) > MAX_BATCH:
        raise invalid(too_many)
    return list(dict.fromkeys(names)), "," in raw


def _result(
    key: str, action: str, user: str, record: RoomRecord, reason: str | None = None
) -> dict[str, Any]:
    """One per-user result item: ``{result, action, reason?, user, <key>}``."""
    item: dict[str, Any] = {"result": reason is None, "action": action}
    if reason is not None:
        item["reason"] = reason
    item["user"] = user
    item[key] = record.id
    return item


def _mutes(state: EmulatorState, record: RoomRecord) -> dict[str, int]:
    """The live mutes: expired ones are dropped here."""
    now = state.now_ms()
    expired = [u for u, until in record.muted.items() if until != -1 and until <= now]
    for name in expired:
        del record.muted[name]
    return record.muted


def register_member_routes(kind: Kind) -> None:
    """Mount the member-area handlers (members, admins, block/allow lists, mutes) and
    delete/announcement for ``kind``."""
    base = f"{kind.prefix}/{{{kind.param}}}"

    # -- members ---------------------------------------------------------------

    @handler("GET", f"{base}/users")
    async def list_members(call: Call) -> dict[str, Any]:
        record = room(call, kind, missing="service")
        default, maximum = kind.members_page
        window = page_window(call, default=default, maximum=maximum)
        items = affiliations(record, window.start, window.stop)
        return envelope(call, _MEMBERS, data=items, count=len(items))

    def admit(record: RoomRecord, name: str) -> None:
        if name in record.members:
            raise forbidden(
                kind, f"can not join this group, reason:user: {name} already in group: {record.id}"
            )
        if name in record.blocked:
            raise forbidden(
                kind,
                f"can not join this group, reason:user: {name} is blocked in group: {record.id}",
            )

    def full(record: RoomRecord, adding: int) -> None:
        if len(record.members) + adding > record.maxusers:
            raise _exceed("members size is greater than max user size !")

    @handler("POST", f"{base}/users/{{username}}")
    async def add_member(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        name = existing_user(call, call.param("username"))
        admit(record, name)
        full(record, 1)
        record.members[name] = None
        call.emulator.callbacks.membership(record, "presence", name)
        if kind.kind == "group":  # the documented key orders differ
            data = {"result": True, "groupid": record.id, "action": "add_member", "user": name}
        else:
            data = {"result": True, "action": "add_member", "id": record.id, "user": name}
        return envelope(call, STD, data=data)

    @handler("POST", f"{base}/users")
    async def add_members(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        names = _body_names(call, "addMembers: addMembers number more than maxSize : 60")
        state = call.state
        new = [
            n
            for n in names
            if n in state.users and n not in record.members and n not in record.blocked
        ]
        if not new:  # nobody to add: the first user's refusal
            admit(record, existing_user(call, names[0]))
        full(record, len(new))
        for name in new:
            record.members[name] = None
            call.emulator.callbacks.membership(record, "presence", name)
        data: dict[str, Any] = {"newmembers": new}
        if kind.kind == "group":
            data.update(groupid=record.id, action="add_member")
        else:
            data.update(action="add_member", id=record.id)
        return envelope(call, STD, data=data)

    def kick(call: Call, record: RoomRecord, name: str) -> None:
        _leave(call.state, record, name)
        call.emulator.callbacks.membership(record, "kick", name)
        call.emulator.callbacks.membership(record, "absence", name)

    async def remove_members(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        names, many = _path_names(call, "kickMember: kickMembers number more than maxSize : 60")
        if record.owner in names:
            raise _owner_refused(kind)
        if not many:
            name = existing_user(call, names[0])
            if name not in record.members:
                raise _not_members(kind, [name])
            kick(call, record, name)
            item = _result(kind.id_key, "remove_member", name, record)
            return envelope(call, STD, data=item)
        if not any(n in record.members for n in names):
            raise _not_members(kind, names)
        items = []
        for name in names:
            reason = None
            if call.state.get(name) is None:
                reason = f"user {name} doesn't exist."
            elif name not in record.members:
                reason = f"user: {name} doesn't exist in group: {record.id}"
            else:
                kick(call, record, name)
            items.append(_result(kind.id_key, "remove_member", name, record, reason=reason))
        return envelope(call, STD, data=items)

    handler("DELETE", f"{base}/users/{{username}}")(remove_members)
    handler("DELETE", f"{base}/users/{{usernames}}")(remove_members)

    # -- admins ----------------------------------------------------------------

    @handler("GET", f"{base}/admin")
    async def list_admins(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        return envelope(call, STD_COUNT, data=list(record.admins), count=len(record.admins))

    @handler("POST", f"{base}/admin")
    async def add_admin(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        body = call.body
        raw = body.get("newadmin") if isinstance(body, dict) else None
        if raw is None or raw == "":
            raise invalid("newadmin must be provided")
        name = existing_user(call, raw)
        if name not in record.members:
            raise AgoraHTTPError(
                404, "resource_not_found", f"user: {name} doesn't exist in group: {record.id}"
            )
        if name == record.owner:
            raise _owner_refused(kind)
        if name in record.admins:
            raise forbidden(kind, f"user: {name} is already admin of group: {record.id}")
        if len(record.admins) >= MAX_ADMINS:
            raise _exceed(f"the number of admins has reached the limit : {MAX_ADMINS}")
        record.admins[name] = None
        return envelope(call, kind.admin_add_keys, data={"result": "success", "newadmin": name})

    @handler("DELETE", f"{base}/admin/{{oldadmin}}")
    async def remove_admin(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        name = call.param("oldadmin").lower()
        if record.admins.pop(name, False) is False:
            raise forbidden(kind, f"user:{name} is not admin of group:{record.id}")
        return envelope(call, STD, data={"result": "success", "oldadmin": name})

    # -- blocklist ---------------------------------------------------------------

    @handler("GET", f"{base}/blocks/users")
    async def list_blocked(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        if not kind.blocklist_paged:
            names = list(reversed(record.blocked))
            return envelope(call, STD_COUNT, data=names, count=len(names))
        page, cursor = blocklist_page(call, record.blocked)
        return envelope(call, PAGE_ENVELOPE, data=page, count=len(page), cursor=cursor)

    def outsider(record: RoomRecord, name: str) -> str | None:
        if name not in record.members:
            return f"user: {name} doesn't exist in {kind.where}: {record.id}"
        return None

    def block(call: Call, record: RoomRecord, name: str) -> None:
        _leave(call.state, record, name)
        call.state.blocks_made += 1
        record.blocked[name] = call.state.blocks_made
        call.emulator.callbacks.membership(record, "ban", name)
        call.emulator.callbacks.membership(record, "absence", name)

    @handler("POST", f"{base}/blocks/users/{{username}}")
    async def block_one(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        name = existing_user(call, call.param("username"))
        if name == record.owner:
            raise _owner_refused(kind)
        if name not in record.members:
            raise _not_members(kind, [name])
        block(call, record, name)
        return envelope(call, STD, data=_result(kind.list_key, "add_blocks", name, record))

    @handler("POST", f"{base}/blocks/users")
    async def block_many(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        names = _body_names(call, "userNames is more than max limit : 60")
        if record.owner in names:
            raise _owner_refused(kind)
        items = []
        for name in names:
            reason = outsider(record, name)
            if reason is None:
                block(call, record, name)
            items.append(_result(kind.list_key, "add_blocks", name, record, reason=reason))
        return envelope(call, STD, data=items)

    async def unblock(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        names, many = _path_names(call, "removeBlacklist: list size more than max limit : 60")
        if not many:
            name = names[0]
            if record.blocked.pop(name, None) is None:
                raise forbidden(kind, _unlisted(kind, record, name, "blocklist"))
            item = _result(kind.list_key, "remove_blocks", name, record)
            return envelope(call, STD, data=item)
        items = []
        for name in names:
            gone = record.blocked.pop(name, None) is not None
            reason = None if gone else _unlisted(kind, record, name, "blocklist")
            items.append(_result(kind.list_key, "remove_blocks", name, record, reason=reason))
        return envelope(call, STD, data=items)

    handler("DELETE", f"{base}/blocks/users/{{username}}")(unblock)
    handler("DELETE", f"{base}/blocks/users/{{usernames}}")(unblock)

    # -- allowlist ---------------------------------------------------------------

    @handler("GET", f"{base}/white/users")
    async def list_allowed(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        return envelope(call, STD_COUNT, data=list(record.allowed), count=len(record.allowed))

    @handler("POST", f"{base}/white/users/{{username}}")
    async def allow_one(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        name = existing_user(call, call.param("username"))
        if name not in record.members:
            raise _not_members(kind, [name])
        record.allowed[name] = None
        item = _result(kind.list_key, "add_user_whitelist", name, record)
        return envelope(call, STD, data=item)

    @handler("POST", f"{base}/white/users")
    async def allow_many(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        names = _body_names(call, "usernames size is more than max limit : 60")
        items = []
        for name in names:
            reason = outsider(record, name)
            if reason is None:
                record.allowed[name] = None
            items.append(_result(kind.list_key, "add_user_whitelist", name, record, reason=reason))
        return envelope(call, STD, data=items)

    @handler("DELETE", f"{base}/white/users/{{usernames}}")
    async def disallow(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        names, _ = _path_names(call, "removeWhitelist size is more than max limit : 60")
        items = []
        for name in names:
            gone = record.allowed.pop(name, False) is not False
            reason = None if gone else _unlisted(kind, record, name, "allowlist")
            items.append(
                _result(kind.list_key, "remove_user_whitelist", name, record, reason=reason)
            )
        return envelope(call, STD, data=items)

    # -- mutes -------------------------------------------------------------------

    @handler("GET", f"{base}/mute")
    async def list_muted(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        data = [{"expire": until, "user": u} for u, until in _mutes(call.state, record).items()]
        return envelope(call, STD, data=data)

    @handler("POST", f"{base}/mute")
    async def mute(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        names = _body_names(call, "userNames size is more than max limit : 60")
        duration = call.body.get("mute_duration")
        if duration is None:
            raise invalid("mute_duration must be provided")
        whole = isinstance(duration, int) and not isinstance(duration, bool)
        if not whole or not (duration > 0 or duration == -1):
            raise invalid("mute_duration must be a positive number of milliseconds or -1")
        if record.owner in names:
            raise _owner_refused(kind)
        outsiders = [n for n in names if n not in record.members]
        if outsiders:
            raise _not_members(kind, outsiders)
        until = -1 if duration == -1 else call.state.now_ms() + duration
        for name in names:
            record.muted[name] = until
        data = [{"result": True, "expire": until, "user": name} for name in names]
        return envelope(call, kind.mute_add_keys, data=data)

    @handler("DELETE", f"{base}/mute/{{usernames}}")
    async def unmute(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        names, _ = _path_names(call, "removeMute member size more than max limit : 60")
        muted = _mutes(call.state, record)
        data = [{"result": muted.pop(name, None) is not None, "user": name} for name in names]
        return envelope(call, STD, data=data)

    @handler("POST", f"{base}/ban")
    async def mute_all(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        record.muted_all = True
        return envelope(call, STD, data={"mute": True})

    @handler("DELETE", f"{base}/ban")
    async def unmute_all(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        record.muted_all = False
        return envelope(call, STD, data={"mute": False})

    # -- deleting ----------------------------------------------------------------

    @handler("DELETE", base)
    async def delete(call: Call) -> dict[str, Any]:
        record = room(call, kind)
        delete_room(call.state, kind, record)
        call.emulator.callbacks.membership(record, "destroy", record.owner)
        return envelope(call, STD, data={"success": True, kind.id_key: record.id})


# -- announcements ------------------------------------------------------------------------


def get_announcement(call: Call, kind: Kind) -> dict[str, Any]:
    record = room(call, kind)
    return envelope(call, STD, data={"announcement": record.announcement})


def set_announcement(call: Call, kind: Kind) -> dict[str, Any]:
    record = room(call, kind)
    body = call.body
    text = body.get("announcement") if isinstance(body, dict) else None
    if text is None:
        raise AgoraHTTPError(400, "illegal_argument", "announcement is null")
    if not isinstance(text, str):
        raise invalid("announcement must be a string")
    if len(text) > MAX_ANNOUNCEMENT:
        raise AgoraHTTPError(403, "forbidden_op", "announce info length exceeds limit!")
    record.announcement = text
    record.modified = call.state.now_ms()
    return envelope(call, STD, data={"id": record.id, "result": True})


# -- details, joined lists, updates -------------------------------------------------------

Item = Callable[[RoomRecord], dict[str, Any]]

#: Envelope of the joined-groups list (the rooms' example shows only ``data``).
JOINED = (
    "action",
    "application",
    "applicationName",
    "count",
    "data",
    "duration",
    "entities",
    "organization",
    "params",
    "properties",
    "timestamp",
    "uri",
)


def details(call: Call, kind: Kind, item: Item, keys: tuple[str, ...]) -> dict[str, Any]:
    """Details of one or up to 100 comma-separated ids: a single unknown id is a 404,
    unknown ids among known ones are error items."""
    raw = call.param(kind.param + "s")
    ids = list(dict.fromkeys(i.strip() for i in raw.split(",") if i.strip()))
    if not ids:
        raise invalid(f"{kind.param}s must name at least one id")
    if len(ids) > MAX_DETAILS:
        raise invalid(f"the number of ids cannot exceed {MAX_DETAILS}")
    known = rooms_of(call.state, kind)
    if len(ids) == 1 and ids[0] not in known:
        if kind.kind == "group":
            raise AgoraHTTPError(404, "resource_not_found", f"grpID {ids[0]} does not exist!")
        raise AgoraHTTPError(404, "service_resource_not_found", f"do not find this group:{ids[0]}")
    data = [
        item(known[i]) if i in known else {"id": i, "error": "group id doesn't exist"} for i in ids
    ]
    return envelope(call, keys, data=data, count=len(data))


def joined(call: Call, kind: Kind, item: Item, default: int, maximum: int) -> dict[str, Any]:
    """A page of the groups or rooms a user is a member of, newest first."""
    user = existing_user(call, call.param("username"))
    window = page_window(call, default=default, maximum=maximum)
    mine = (r for r in reversed(rooms_of(call.state, kind).values()) if user in r.members)
    page = [item(r) for r in islice(mine, window.start, window.stop)]
    return envelope(call, JOINED, data=page, count=len(page))


#: An updatable field: (``RoomRecord`` attribute, key in the answer, body -> checked value).
Field = tuple[str, str, Callable[[dict[str, Any]], Any]]


def classify_update(body: Any) -> str:
    """``PUT /{id}``: ``newowner`` makes it an ownership transfer."""
    if isinstance(body, dict) and "newowner" in body and len(body) == 1:
        return "transfer_owner"
    return "update"


def update(call: Call, kind: Kind, fields: dict[str, Field]) -> dict[str, Any]:
    """Change the fields the body names (all checked before any is stored) and, with
    ``newowner``, transfer the ownership; the answer has one ``true`` per field."""
    record = room(call, kind)
    body = call.body
    if not isinstance(body, dict) or not body:
        raise invalid("request body must name at least one field")
    unknown = [name for name in body if name not in fields and name != "newowner"]
    if unknown:
        raise invalid(f"some of [{', '.join(unknown)}] are not valid fields")
    values = {name: fields[name][2](body) for name in body if name in fields}
    new_owner = _new_owner(call, kind, record, body["newowner"]) if "newowner" in body else None
    if values.get("maxusers", record.maxusers) < len(record.members):
        raise _exceed("members size is greater than max user size !")
    data: dict[str, bool] = {}
    for name, value in values.items():
        attr, key, _ = fields[name]
        setattr(record, attr, value)
        data[key] = True
    if new_owner is not None:
        record.admins.pop(new_owner, None)
        record.muted.pop(new_owner, None)
        record.owner = new_owner  # the former owner stays, as a regular member
        data["newowner"] = True
    record.modified = call.state.now_ms()
    return envelope(call, ALPHA if values else STD, data=data)


def _new_owner(call: Call, kind: Kind, record: RoomRecord, raw: object) -> str:
    name = existing_user(call, raw)
    if name == record.owner:
        raise forbidden(kind, "new owner and old owner are the same")
    if name not in record.members:
        raise forbidden(kind, f"user: {name} doesn't exist in group: {record.id}")
    return name
