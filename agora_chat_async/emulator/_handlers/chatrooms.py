"""Chat rooms (``chatrooms.*`` and ``chatrooms.members/admins/blocklist/allowlist/mutes.*``).

The member-area handlers come from ``_rooms`` (shared with chat groups); this module
adds the rooms' own fields, list items, details and announcement. Choices where the
sources disagree (the rest are in ``_rooms``):

- ``name``, ``description`` and ``owner`` are required at creation (Agora's table);
  ``custom`` (Easemob) is accepted, at most 1024 characters.
- The list of all rooms takes ``limit`` up to 100 (Agora; Easemob says 1000).
- Only ``name``, ``description`` and ``maxusers`` can be updated (the answer names
  ``name`` ``groupname``); ``newowner`` transfers the ownership as for groups (Easemob).
- Joined rooms show ``disabled`` as a string (``"false"``), as the only example does.
- Details add ``owner``, ``mute``, ``disabled`` and ``invite_need_confirm`` to the
  fields of the docs' first example (the second example and Easemob's model have them).
- Batch removal takes at most 60 users (the error table; the text says 100).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._registry import handler
from .._state import EmulatorState
from . import _rooms
from ._rooms import ALPHA, ALPHA_NO_PROPS, STD, Field, Kind, maxusers_field, text_field

if TYPE_CHECKING:
    from .._call import Call
    from .._state import RoomRecord

__all__ = ["CHATROOM"]

CHATROOM = Kind(
    kind="chatroom",
    prefix="/chatrooms",
    param="chatroom_id",
    id_key="id",
    list_key="chatroomid",
    where="chatroom",
    refuse=400,
    maxusers_default=1000,
    maxusers_max=10_000,
    members_page=(1000, 1000),
    blocklist_paged=False,
    admin_add_keys=ALPHA_NO_PROPS,
    mute_add_keys=ALPHA_NO_PROPS,
)

MAX_NAME = 128
MAX_DESCRIPTION = 512
MAX_CUSTOM = 1024
MAX_LIST = 100

_LIST = (*ALPHA[:3], "count", "cursor", *ALPHA[3:7], "params", *ALPHA[7:])
_DETAILS = (*ALPHA_NO_PROPS[:3], "count", *ALPHA_NO_PROPS[3:])

_rooms.register_member_routes(CHATROOM)
EmulatorState.user_removed.append(_rooms.forget_user(CHATROOM))


def _maxusers(body: dict[str, Any]) -> int | None:
    return maxusers_field(CHATROOM, body)


_FIELDS: dict[str, Field] = {
    "name": ("name", "groupname", lambda b: text_field(b, "name", MAX_NAME)),
    "description": (
        "description",
        "description",
        lambda b: text_field(b, "description", MAX_DESCRIPTION),
    ),
    "maxusers": ("maxusers", "maxusers", _maxusers),
}


@handler("POST", "/chatrooms")
async def create(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise _rooms.invalid("name must be provided")
    for required in ("name", "description", "owner"):
        if body.get(required) in (None, ""):
            raise _rooms.invalid(f"{required} must be provided")
    checked = {
        "name": text_field(body, "name", MAX_NAME),
        "description": text_field(body, "description", MAX_DESCRIPTION),
        "custom": text_field(body, "custom", MAX_CUSTOM),
        "maxusers": _maxusers(body),
    }
    settings = {k: v for k, v in checked.items() if v is not None}
    settings["public"] = True  # reserved: every room is public
    record = _rooms.new_room(call, CHATROOM, body, settings)
    return _rooms.envelope(call, STD, data={"id": record.id})


@handler("GET", "/chatrooms")
async def list_rooms(call: Call) -> dict[str, Any]:
    page, cursor = _rooms.list_page(call, CHATROOM, MAX_LIST)
    data = [
        {
            "affiliations_count": len(r.members),
            "disabled": r.disabled,
            "id": r.id,
            "name": r.name,
            "owner": r.owner,
        }
        for r in page
    ]
    return _rooms.envelope(call, _LIST, data=data, cursor=cursor, count=len(data))


def _joined_item(record: RoomRecord) -> dict[str, Any]:
    return {"id": record.id, "name": record.name, "disabled": str(record.disabled).lower()}


@handler("GET", "/users/{username}/joined_chatrooms")
async def list_joined(call: Call) -> dict[str, Any]:
    return _rooms.joined(call, CHATROOM, _joined_item, 1000, 1000)


def _details(record: RoomRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "description": record.description,
        "membersonly": record.membersonly,
        "allowinvites": record.allowinvites,
        "invite_need_confirm": record.invite_need_confirm,
        "maxusers": record.maxusers,
        "owner": record.owner,
        "created": record.created,
        "custom": record.custom,
        "mute": record.muted_all,
        "affiliations_count": len(record.members),
        "affiliations": _rooms.affiliations(record, 0, _rooms.MAX_AFFILIATIONS, owner_first=False),
        "public": record.public,
        "disabled": record.disabled,
    }


@handler("GET", "/chatrooms/{chatroom_ids}")
async def get(call: Call) -> dict[str, Any]:
    return _rooms.details(call, CHATROOM, _details, _DETAILS)


def _classify(body: Any) -> str:
    return "chatrooms." + _rooms.classify_update(body)


@handler("PUT", "/chatrooms/{chatroom_id}", classify=_classify)
async def update(call: Call) -> dict[str, Any]:
    return _rooms.update(call, CHATROOM, _FIELDS)


@handler("GET", "/chatrooms/{chatroom_id}/announcement")
async def get_announcement(call: Call) -> dict[str, Any]:
    return _rooms.get_announcement(call, CHATROOM)


@handler("POST", "/chatrooms/{chatroom_id}/announcement")
async def set_announcement(call: Call) -> dict[str, Any]:
    return _rooms.set_announcement(call, CHATROOM)
