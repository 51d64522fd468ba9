"""Contacts and the user blocklist (``contacts.*``, ``blocks.*`` rows).

Semantics, from Agora's contact-management page and Easemob's user-relationship page:

- Adding a contact is one-way and needs no consent: ``alice`` adds ``bob`` to her list
  only (the docs describe no request/accept step and no effect on ``bob``'s list).
  Adding a contact twice changes nothing and answers like the first time; removing
  one that is not on the list answers the same way (neither is documented as an error).
- A contact list holds at most :data:`MAX_CONTACTS` users (the free plan's 100; more
  gets 403 ``exceed_limit``); a blocklist holds at most :data:`MAX_BLOCKED` (500), and one
  call blocks at most :data:`MAX_BLOCKS_PER_CALL` (50). The wording of these refusals
  is not documented except the contact one; ours says what went wrong.
- Blocking changes nothing else: a blocked contact stays in the contact list (Easemob:
  "blocked friends stay in the contact list"), and unblocking restores nothing.
- Every user named in a path or in ``usernames`` must exist, else 404
  ``service_resource_not_found`` and nothing changes.
- Lists are newest first. ``GET .../blocks/users`` without ``pageSize`` and ``cursor``
  answers up to 500 users in one response; with them it pages (``pageSize`` 1-50) and
  sets ``cursor`` while more remain, as Easemob's example shows. The cursor names the
  block the next page starts at (Agora's look like sequence numbers), so blocking and
  unblocking between pages neither repeats nor skips anyone.
- A deleted user disappears from every contact list and blocklist.

Beyond the overview table (docs spell these paths with a singular ``/user/``, Agora's
generated Java client with ``/users/``; both are served):

- A remark (at most 100 characters) is kept per owner and contact, only for a contact
  (else 400 ``updateRemark they are not friends, please add as a friend first.``);
  removing the contact forgets it. It answers ``{"action", "duration", "status": "ok",
  "timestamp", "uri"}`` as Easemob's example shows.
- The paged list answers ``data: {"contacts": [{"remark", "username"}], "cursor"}``,
  newest first, ``limit`` 1-50 (default 10; more is 400 ``getContacts | page size more
  than max limit : 50``); ``remark`` only with ``needReturnRemark=true`` (``null`` when
  unset). The cursor (in ``data``, as Agora's Java client reads it; the docs' last-page
  example has none) names the adding of the next contact to answer, as blocklist
  cursors name a block, so contacts added or removed between pages do not disturb a
  walk.
- An import adds up to 10 users (more: 400 ``request user over flow limit:10.``) and
  sorts each into ``success``, ``NotExistFailed``, ``maxLimitFailed`` or
  ``UnKnowFailed`` (the owner itself); one already a contact is a success.
  ``isSendNotice`` changes nothing here (the emulator has no SDK clients to notify).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import AgoraHTTPError, illegal_argument, invalid_request_body
from .._registry import handler
from .._state import EmulatorState
from ._common import (
    DATA_ENVELOPE,
    PAGE_ENVELOPE,
    blocklist_page,
    limit_param,
    newest_page,
    path_user,
)

if TYPE_CHECKING:
    from .._call import Call
    from .._state import UserRecord

__all__ = ["MAX_BLOCKED", "MAX_BLOCKS_PER_CALL", "MAX_CONTACTS"]

MAX_CONTACTS = 100
MAX_BLOCKED = 500
MAX_BLOCKS_PER_CALL = 50

# Envelope keys per endpoint, as in the documented examples.
_CHANGED = (
    "path",
    "uri",
    "timestamp",
    "organization",
    "application",
    "entities",
    "action",
    "duration",
    "applicationName",
)


def _owner_path(call: Call, owner: UserRecord, collection: str) -> dict[str, str]:
    """``path`` and ``uri`` as Agora writes them here: with the owner's uuid."""
    path = f"/users/{owner.uuid}/{collection}"
    app = f"/{call.emulator.org_name}/{call.emulator.app_name}"
    return {"path": path, "uri": str(call.request.url.origin().with_path(app + path))}


def _newest_first(names: dict[str, int]) -> list[str]:
    return list(reversed(names))


def _befriend(state: EmulatorState, contacts: dict[str, int], name: str) -> None:
    """Add ``name`` to ``contacts`` (where it is not yet) as the newest contact."""
    if name not in contacts:
        state.contacts_made += 1
        contacts[name] = state.contacts_made


# -- contacts --------------------------------------------------------------------------


@handler("POST", "/users/{owner_username}/contacts/users/{friend_username}")
async def add_contact(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    friend = path_user(call, "friend_username")
    contacts = call.state.contacts.setdefault(owner.username, {})
    if friend.username not in contacts:
        if len(contacts) >= MAX_CONTACTS:
            raise AgoraHTTPError(403, "exceed_limit", "user contact number exceed limit")
        _befriend(call.state, contacts, friend.username)
    return call.envelope(
        _CHANGED, action="post", entities=[friend.entity()], **_owner_path(call, owner, "contacts")
    )


@handler("DELETE", "/users/{owner_username}/contacts/users/{friend_username}")
async def remove_contact(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    friend = path_user(call, "friend_username")
    call.state.contacts.get(owner.username, {}).pop(friend.username, None)
    call.state.remarks.pop((owner.username, friend.username), None)
    return call.envelope(
        _CHANGED,
        action="delete",
        entities=[friend.entity()],
        **_owner_path(call, owner, "contacts"),
    )


@handler("GET", "/users/{owner_username}/contacts/users")
async def list_contacts(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    names = _newest_first(call.state.contacts.get(owner.username, {}))
    return call.envelope(
        PAGE_ENVELOPE, action="get", entities=[], cursor=None, count=len(names), data=names
    )


# -- contacts beyond the overview table --------------------------------------------------

MAX_REMARK = 100
MAX_CONTACTS_PAGE = 50
MAX_IMPORT = 10

_REMARK_SET = ("action", "duration", "status", "timestamp", "uri")
_CONTACTS_PAGE = ("uri", "timestamp", "entities", "count", "action", "data", "duration")
_IMPORTED = ("status", "timestamp", "action", "data", "duration")


@handler("PUT", "/user/{owner_username}/contacts/users/{friend_username}")
async def set_remark(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    friend = path_user(call, "friend_username")
    remark = call.body.get("remark") if isinstance(call.body, dict) else None
    if not isinstance(remark, str):
        raise illegal_argument("remark must be provided as a string")
    if len(remark) > MAX_REMARK:
        raise illegal_argument(f"remark is limited to {MAX_REMARK} characters")
    if friend.username not in call.state.contacts.get(owner.username, {}):
        raise illegal_argument("updateRemark they are not friends, please add as a friend first.")
    call.state.remarks[(owner.username, friend.username)] = remark
    return call.envelope(_REMARK_SET, action="put", status="ok")


@handler("GET", "/user/{owner_username}/contacts")
async def contacts_page(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    raw_limit = call.query("limit")
    if raw_limit and raw_limit.isdigit() and int(raw_limit) > MAX_CONTACTS_PAGE:
        raise illegal_argument(f"getContacts | page size more than max limit : {MAX_CONTACTS_PAGE}")
    size = limit_param(call, default=10, maximum=MAX_CONTACTS_PAGE)
    contacts = call.state.contacts.get(owner.username, {})
    page, cursor = newest_page(call, contacts, size, "contacts")
    with_remarks = call.query("needReturnRemark") == "true"
    entries: list[dict[str, Any]] = []
    for name in page:
        entry: dict[str, Any] = {}
        if with_remarks:
            entry["remark"] = call.state.remarks.get((owner.username, name))
        entry["username"] = name
        entries.append(entry)
    data: dict[str, Any] = {"contacts": entries}
    if cursor is not None:
        data["cursor"] = cursor
    app = f"/{call.emulator.org_name}/{call.emulator.app_name}"
    uri = call.request.url.origin().with_path(f"{app}/users/{owner.username}/rostersByPage")
    return call.envelope(
        _CONTACTS_PAGE, uri=str(uri), action="get", entities=[], count=len(page), data=data
    )


@handler("POST", "/users/{owner_username}/contacts/import")
async def import_contacts(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    usernames = call.body.get("usernames") if isinstance(call.body, dict) else None
    if not isinstance(usernames, list) or not all(isinstance(u, str) and u for u in usernames):
        raise invalid_request_body()
    if not usernames:
        raise illegal_argument("usernames can't be empty")
    if len(usernames) > MAX_IMPORT:
        raise illegal_argument(f"request user over flow limit:{MAX_IMPORT}.")
    contacts = call.state.contacts.setdefault(owner.username, {})
    data: dict[str, list[str]] = {
        "UnKnowFailed": [],
        "success": [],
        "NotExistFailed": [],
        "maxLimitFailed": [],
    }
    for name in usernames:
        friend = call.state.get(name)
        if friend is None:
            data["NotExistFailed"].append(name)
        elif friend.username == owner.username:
            data["UnKnowFailed"].append(name)
        elif friend.username not in contacts and len(contacts) >= MAX_CONTACTS:
            data["maxLimitFailed"].append(name)
        else:
            _befriend(call.state, contacts, friend.username)
            data["success"].append(name)
    return call.envelope(_IMPORTED, status="ok", action="post", data=data)


# -- blocklist -------------------------------------------------------------------------


@handler("GET", "/users/{owner_username}/blocks/users")
async def list_blocks(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    page, cursor = blocklist_page(call, call.state.blocks.get(owner.username, {}))
    return call.envelope(
        PAGE_ENVELOPE, action="get", entities=[], cursor=cursor, count=len(page), data=page
    )


def _usernames(body: Any) -> list[str]:
    usernames = body.get("usernames") if isinstance(body, dict) else None
    if not isinstance(usernames, list) or not all(isinstance(u, str) and u for u in usernames):
        raise invalid_request_body()
    if not usernames:
        raise illegal_argument("usernames can't be empty")
    if len(usernames) > MAX_BLOCKS_PER_CALL:
        raise illegal_argument(
            f"usernames size {len(usernames)} exceeds the limit of {MAX_BLOCKS_PER_CALL}"
        )
    return usernames


@handler("POST", "/users/{owner_username}/blocks/users")
async def add_blocks(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    usernames = _usernames(call.body)
    records = [call.state.get(name) for name in usernames]
    if any(record is None for record in records):
        raise AgoraHTTPError(404, "service_resource_not_found", "Service resource not found")
    blocked = call.state.blocks.setdefault(owner.username, {})
    new = dict.fromkeys(r.username for r in records if r is not None and r.username not in blocked)
    if len(blocked) + len(new) > MAX_BLOCKED:
        raise AgoraHTTPError(403, "exceed_limit", f"user blocklist exceed limit {MAX_BLOCKED}")
    for name in new:
        call.state.blocks_made += 1
        blocked[name] = call.state.blocks_made
    return call.envelope(DATA_ENVELOPE, action="post", entities=[], data=usernames)


@handler("DELETE", "/users/{owner_username}/blocks/users/{blocked_username}")
async def remove_block(call: Call) -> dict[str, Any]:
    owner = path_user(call, "owner_username")
    other = path_user(call, "blocked_username")
    call.state.blocks.get(owner.username, {}).pop(other.username, None)
    return call.envelope(
        _CHANGED, action="delete", entities=[other.entity()], **_owner_path(call, owner, "blocks")
    )


# -- a deleted user leaves every list ----------------------------------------------------


def _forget_user(state: EmulatorState, username: str) -> None:
    for lists in (state.contacts, state.blocks):
        lists.pop(username, None)
        for names in lists.values():
            names.pop(username, None)
    for pair in [p for p in state.remarks if username in p]:
        del state.remarks[pair]


EmulatorState.user_removed.append(_forget_user)
