"""Chat groups (``groups.*`` and ``groups.members/admins/blocklist/allowlist/mutes.*``).

The member-area handlers come from ``_rooms`` (shared with chat rooms); this module
adds what only groups have: their fields at creation and update, list items and
details. Choices where the sources disagree (the rest are in ``_rooms``):

- ``public`` is optional (Agora), default ``false``; ``groupname`` and ``description``
  are optional; only ``owner`` is required. A public group starts with
  ``allowinvites`` false, as documented.
- ``custom`` may be 8 KB at creation (the create page) but 1024 characters in an
  update (the modify and limits pages).
- ``maxusers`` is at most 5000 (the largest plan's members per group).
- ``joined_chatgroups`` pages with Agora's ``pagesize`` default 5, at most 20; the
  member list with Agora's default 10, at most 100.
- Details name a missing id among known ones with ``{"id", "error": "group id doesn't
  exist"}``; a single missing id is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._registry import handler
from .._state import EmulatorState
from . import _rooms
from ._rooms import ALPHA, STD, Field, Kind, flag_field, maxusers_field, text_field

if TYPE_CHECKING:
    from .._call import Call
    from .._state import RoomRecord

__all__ = ["GROUP"]

GROUP = Kind(
    kind="group",
    prefix="/chatgroups",
    param="group_id",
    id_key="groupid",
    list_key="groupid",
    where="group",
    refuse=403,
    maxusers_default=200,
    maxusers_max=5000,
    members_page=(10, 100),
    blocklist_paged=True,
    admin_add_keys=ALPHA,
    mute_add_keys=STD,
)

MAX_NAME = 128
MAX_DESCRIPTION = 512
MAX_AVATAR = 1024
MAX_CUSTOM_CREATE = 8 * 1024
MAX_CUSTOM = 1024
MAX_LIST = 1000

_LIST = ("action", "params", "uri", "entities", "data", "timestamp", "duration", "cursor", "count")
_DETAILS = (*ALPHA[:3], "count", *ALPHA[3:])

_rooms.register_member_routes(GROUP)
EmulatorState.user_removed.append(_rooms.forget_user(GROUP))


def _maxusers(body: dict[str, Any]) -> int | None:
    return maxusers_field(GROUP, body)


#: Updatable fields: wire name -> (attribute, answer key, check).
_FIELDS: dict[str, Field] = {
    "groupname": ("name", "groupname", lambda b: text_field(b, "groupname", MAX_NAME)),
    "avatar": ("avatar", "avatar", lambda b: text_field(b, "avatar", MAX_AVATAR)),
    "description": (
        "description",
        "description",
        lambda b: text_field(b, "description", MAX_DESCRIPTION),
    ),
    "maxusers": ("maxusers", "maxusers", _maxusers),
    "membersonly": ("membersonly", "membersonly", lambda b: flag_field(b, "membersonly")),
    "allowinvites": ("allowinvites", "allowinvites", lambda b: flag_field(b, "allowinvites")),
    "invite_need_confirm": (
        "invite_need_confirm",
        "invite_need_confirm",
        lambda b: flag_field(b, "invite_need_confirm"),
    ),
    "public": ("public", "public", lambda b: flag_field(b, "public")),
    "custom": ("custom", "custom", lambda b: text_field(b, "custom", MAX_CUSTOM)),
}


def _settings(body: dict[str, Any]) -> dict[str, Any]:
    """RoomRecord settings from a creation body (absent fields keep their defaults)."""
    checked = {
        "name": text_field(body, "groupname", MAX_NAME),
        "description": text_field(body, "description", MAX_DESCRIPTION),
        "avatar": text_field(body, "avatar", MAX_AVATAR),
        "custom": text_field(body, "custom", MAX_CUSTOM_CREATE),
        "maxusers": _maxusers(body),
        "public": flag_field(body, "public"),
        "membersonly": flag_field(body, "membersonly"),
        "allowinvites": flag_field(body, "allowinvites"),
        "invite_need_confirm": flag_field(body, "invite_need_confirm"),
    }
    scale = body.get("scale")
    if scale is not None and scale not in ("normal", "large"):
        raise _rooms.invalid("scale must be normal or large")
    settings = {k: v for k, v in checked.items() if v is not None}
    if settings.get("public"):
        settings["allowinvites"] = False
    return settings


@handler("POST", "/chatgroups")
async def create(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise _rooms.invalid("owner must be provided")
    record = _rooms.new_room(call, GROUP, body, _settings(body))
    return _rooms.envelope(call, STD, data={"groupid": record.id})


@handler("GET", "/chatgroups")
async def list_groups(call: Call) -> dict[str, Any]:
    page, cursor = _rooms.list_page(call, GROUP, MAX_LIST)
    app = f"{call.emulator.org_name}#{call.emulator.app_name}"
    data = [
        {
            "owner": f"{app}_{r.owner}",
            "groupid": r.id,
            "affiliations": len(r.members),
            "type": "group",
            "lastModified": str(r.modified),
            "groupname": r.name,
        }
        for r in page
    ]
    return _rooms.envelope(call, _LIST, data=data, cursor=cursor, count=len(data))


def _joined_item(record: RoomRecord) -> dict[str, Any]:
    return {"groupid": record.id, "groupname": record.name}


@handler("GET", "/users/{username}/joined_chatgroups")
async def list_joined(call: Call) -> dict[str, Any]:
    return _rooms.joined(call, GROUP, _joined_item, 5, 20)


def _details(record: RoomRecord) -> dict[str, Any]:
    affiliations = _rooms.affiliations(record, 0, _rooms.MAX_AFFILIATIONS, owner_first=False)
    return {
        "id": record.id,
        "name": record.name,
        "avatar": record.avatar,
        "description": record.description,
        "membersonly": record.membersonly,
        "allowinvites": record.allowinvites,
        "maxusers": record.maxusers,
        "owner": record.owner,
        "created": record.created,
        "custom": record.custom,
        "mute": record.muted_all,
        "affiliations_count": len(record.members),
        "disabled": record.disabled,
        "affiliations": affiliations,
        "public": record.public,
    }


@handler("GET", "/chatgroups/{group_ids}")
async def get(call: Call) -> dict[str, Any]:
    return _rooms.details(call, GROUP, _details, _DETAILS)


def _classify(body: Any) -> str:
    return "groups." + _rooms.classify_update(body)


@handler("PUT", "/chatgroups/{group_id}", classify=_classify)
async def update(call: Call) -> dict[str, Any]:
    return _rooms.update(call, GROUP, _FIELDS)
