"""Chat group endpoints beyond the overview table: the announcement, banning
(``disable``/``enable``), the membership check, shared files and member attributes.

The announcement handlers are the chat rooms' (``_rooms``); a disabled group refuses
changes in ``_rooms.room`` (see there), messages sent into it in ``messages`` and
thread changes in ``threads``. Choices where the sources disagree or say nothing:

- ``is_joined`` answers ``false`` for a user that does not exist (only the 401 is
  documented); an unknown group is the usual 404 ``grpID {id} does not exist!``.
- Shared files: an upload without the multipart field ``file`` is the documented 400
  ``file must be provided.``; over 10 MB it is the 413 of ``/chatfiles``; the 10,001st
  file of a group is a 403 ``exceed_limit``. ``file_owner`` is the group's owner: a
  REST upload is made with the app's token, by no user, and the documented list shows
  a username. ``restrict-access`` is kept but not enforced: every REST call is the
  app's, never a non-member's. Lists are newest first (as the example); a download
  answers the bytes as ``application/octet-stream``. An unknown file id is a 404
  ``resource_not_found`` ``file {id} does not exist!`` (undocumented). Deleting the
  group deletes its files.
- Member attributes: a key over 16 bytes or a value over 512 is the documented 400
  ``metadata_error``; more than 4 KB for one member (undocumented) is a 400
  ``metadata_error`` ``exceeds chatgroup user metadata total limit``, checked before
  anything is stored. ``""`` removes a key. The answer echoes the ``metaData`` sent,
  as the example does. A non-member gets the documented 404 ``MetadataException``
  ``user not in group`` when setting or reading; the batch read leaves non-members
  out, answers ``{}`` for members without the asked keys, and refuses more than 10
  targets with the documented 400 ``query param reaches limit.``. The docs do not say
  what becomes of a member's attributes when it leaves: they are dropped with the
  membership (``_rooms``), so a returning member starts with none.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .._errors import AgoraHTTPError
from .._registry import handler
from .._state import SharedFile, uuid1_like
from . import _rooms
from ._common import page_window
from ._rooms import ALPHA, STD
from .files import _read_file
from .groups import GROUP

if TYPE_CHECKING:
    from .._call import Call
    from .._state import RoomRecord

__all__ = ["MAX_ATTRIBUTE_BYTES", "MAX_FILES", "MAX_KEY", "MAX_TARGETS", "MAX_VALUE"]

MAX_FILES = 10_000
MAX_KEY = 16
MAX_VALUE = 512
MAX_ATTRIBUTE_BYTES = 4096
MAX_TARGETS = 10

_BASE = "/chatgroups/{group_id}"
# Envelope keys, in the order of the documented examples.
_IS_JOINED = ("action", "application", "data", "duration", "organization", "timestamp")
_FILES = ("action", "application", "params", *STD[2:])
_REDUCED = ("timestamp", "data", "duration")


# -- announcement, ban, membership -------------------------------------------------------


@handler("GET", _BASE + "/announcement")
async def get_announcement(call: Call) -> dict[str, Any]:
    return _rooms.get_announcement(call, GROUP)


@handler("POST", _BASE + "/announcement")
async def set_announcement(call: Call) -> dict[str, Any]:
    return _rooms.set_announcement(call, GROUP)


def _ban(call: Call, disabled: bool) -> dict[str, Any]:
    record = _rooms.room(call, GROUP)
    record.disabled = disabled
    record.modified = call.state.now_ms()
    return _rooms.envelope(call, ALPHA, data={"disabled": disabled})


@handler("POST", _BASE + "/disable")
async def disable(call: Call) -> dict[str, Any]:
    return _ban(call, True)


@handler("POST", _BASE + "/enable")
async def enable(call: Call) -> dict[str, Any]:
    return _ban(call, False)


@handler("GET", _BASE + "/user/{username}/is_joined")
async def is_joined(call: Call) -> dict[str, Any]:
    record = _rooms.room(call, GROUP)
    joined = call.param("username").lower() in record.members
    return call.envelope(_IS_JOINED, action="get", data=joined)


# -- shared files ----------------------------------------------------------------------------


def _file(call: Call, record: RoomRecord) -> tuple[str, SharedFile]:
    file_id = call.param("file_id")
    shared = record.shared_files.get(file_id)
    if shared is None:
        raise AgoraHTTPError(404, "resource_not_found", f"file {file_id} does not exist!")
    return file_id, shared


@handler("POST", _BASE + "/share_files", body="raw")
async def upload(call: Call) -> dict[str, Any]:
    _rooms.room(call, GROUP)  # 404 (or refused) before reading up to 10 MB
    filename, _, data = await _read_file(call)
    record = _rooms.room(call, GROUP)  # again after the await: it may be gone now
    if len(record.shared_files) >= MAX_FILES:
        raise AgoraHTTPError(
            403, "exceed_limit", f"the number of shared files has reached the limit : {MAX_FILES}"
        )
    state = call.state
    state.files_stored += 1
    now = state.now_ms()
    file_id = uuid1_like(now, state.files_stored, secrets.randbits(48))
    restricted = call.request.headers.get("restrict-access", "").lower() == "true"
    record.shared_files[file_id] = SharedFile(filename, record.owner, data, now, restricted)
    url = str(call.request.url.with_query(None))
    item = {
        "file_url": f"{url}/{file_id}",
        "group_id": record.id,
        "file_name": filename,
        "created": now,
        "file_id": file_id,
        "file_size": len(data),
    }
    return _rooms.envelope(call, STD, data=item)


@handler("GET", _BASE + "/share_files")
async def list_files(call: Call) -> dict[str, Any]:
    record = _rooms.room(call, GROUP)
    window = page_window(call, default=1000, maximum=1000)
    newest = list(reversed(record.shared_files.items()))[window]
    data = [
        {
            "file_id": file_id,
            "file_name": shared.name,
            "file_owner": shared.owner,
            "file_size": len(shared.data),
            "created": shared.created,
        }
        for file_id, shared in newest
    ]
    return _rooms.envelope(call, _FILES, data=data)


@handler("GET", _BASE + "/share_files/{file_id}", body="raw")
async def download(call: Call) -> web.Response:
    _, shared = _file(call, _rooms.room(call, GROUP))
    return web.Response(body=shared.data, content_type="application/octet-stream")


@handler("DELETE", _BASE + "/share_files/{file_id}")
async def delete_file(call: Call) -> dict[str, Any]:
    record = _rooms.room(call, GROUP)
    file_id, _ = _file(call, record)
    del record.shared_files[file_id]
    return _rooms.envelope(
        call, STD, data={"group_id": record.id, "file_id": file_id, "result": True}
    )


# -- member attributes ------------------------------------------------------------------------

_ATTRIBUTES = "/metadata/chatgroup/{group_id}"


def _metadata_error(description: str) -> AgoraHTTPError:
    return AgoraHTTPError(400, "metadata_error", description)


def _member(call: Call, record: RoomRecord) -> str:
    name = call.param("username").lower()
    if name not in record.members:
        raise AgoraHTTPError(
            404, "MetadataException", "user not in group", exception="MetadataException"
        )
    return name


def _size(attributes: dict[str, str]) -> int:
    return sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items())


def _given(body: Any) -> dict[str, str]:
    """The checked ``metaData`` of a set request."""
    given = body.get("metaData") if isinstance(body, dict) else None
    if not isinstance(given, dict) or not given:
        raise _rooms.invalid("metaData must be a non-empty object")
    for key, value in given.items():
        if not key or not isinstance(value, str):
            raise _rooms.invalid("metaData must map non-empty keys to strings")
        if len(key.encode()) > MAX_KEY:
            raise _metadata_error("exceeds chatgroup user metadata single key limit")
        if len(value.encode()) > MAX_VALUE:
            raise _metadata_error("exceeds chatgroup user metadata single value limit")
    return given


@handler("PUT", _ATTRIBUTES + "/user/{username}")
async def set_attributes(call: Call) -> dict[str, Any]:
    record = _rooms.room(call, GROUP)
    name = _member(call, record)
    given = _given(call.body)
    merged = {**record.member_attributes.get(name, {}), **given}
    merged = {key: value for key, value in merged.items() if value != ""}
    if _size(merged) > MAX_ATTRIBUTE_BYTES:
        raise _metadata_error("exceeds chatgroup user metadata total limit")
    if merged:
        record.member_attributes[name] = merged
    else:
        record.member_attributes.pop(name, None)
    return call.envelope(_REDUCED, data=given)


@handler("GET", _ATTRIBUTES + "/user/{username}")
async def get_attributes(call: Call) -> dict[str, Any]:
    record = _rooms.room(call, GROUP)
    name = _member(call, record)
    return call.envelope(_REDUCED, data=dict(record.member_attributes.get(name, {})))


@handler("POST", _ATTRIBUTES + "/get")
async def get_many(call: Call) -> dict[str, Any]:
    record = _rooms.room(call, GROUP)
    body = call.body if isinstance(call.body, dict) else {}
    targets = body.get("targets")
    if not isinstance(targets, list) or not targets or not all(isinstance(t, str) for t in targets):
        raise _rooms.invalid("targets must be a non-empty list of usernames")
    if len(targets) > MAX_TARGETS:
        raise _metadata_error("query param reaches limit.")
    keys = body.get("properties") or []
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise _rooms.invalid("properties must be a list of keys")
    data: dict[str, dict[str, str]] = {}
    for name in dict.fromkeys(t.lower() for t in targets):
        if name not in record.members:
            continue
        attributes = record.member_attributes.get(name, {})
        data[name] = {k: v for k, v in attributes.items() if not keys or k in keys}
    return call.envelope(_REDUCED, data=data)
