"""The rows chat groups and chat rooms share: members, admins, block and allow lists,
mutes, and the bulk helpers over them. One builder per concern, called once per kind.

Batch calls take at most 60 usernames. The ``_many`` rows and helpers take any number,
from any iterable or async iterable, and account for every user: a batch call answers
per user (``{result, reason?, user}``), except adding members, which lists only the
users it added (``newmembers``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sized
from dataclasses import dataclass
from typing import Any

import msgspec

from ..models.groups import AddedMembers, Member, MemberResult, MutedUser, MuteResult
from ._types import (
    Bulk,
    Endpoint,
    Pager,
    Param,
    as_list,
    flag,
    needs_one_of,
    path_param,
    single_pager,
)

__all__ = [
    "BATCH",
    "Kind",
    "announcement_rows",
    "helper_rows",
    "list_rows",
    "member_rows",
    "members_fit",
    "needs_one_of",
    "optional",
    "transfer_row",
]

#: Usernames per batch call (add, remove, block, allow, mute, unmute).
BATCH = 60


@dataclass(frozen=True)
class Kind:
    """What differs between chat groups and chat rooms for the shared rows."""

    prefix: str
    """Method name prefix: ``groups`` or ``chatrooms``."""
    root: str
    """Path of one group or room: ``/chatgroups/{group_id}``."""
    id_name: str
    noun: str
    area: str
    docs: str
    """Docs folder; pages are ``members``, ``blocklist``, ``allowlist``, ``mutelist``."""
    pages: Mapping[str, str]
    members_pager: Pager
    blocklist_pager: Pager
    legacy: Mapping[str, tuple[tuple[str, str], ...]]

    @property
    def id_param(self) -> Param:
        return path_param(self.id_name, f"The {self.noun} ID.")

    def url(self, page: str) -> str:
        return self.docs + self.pages[page]


# -- shared by the group and room modules ---------------------------------------------


def optional(name: str, type_: str, doc: str, *, wire: str = "", check: str | None = None) -> Param:
    """An optional body field: sent only when given."""
    return Param(
        name=name,
        type=f"{type_} | UnsetType",
        location="body",
        wire=wire,
        default="UNSET",
        check=check,
        doc=doc,
    )


def members_fit(args: Mapping[str, Any]) -> None:
    """Initial members: not an empty list, and with the owner within ``max_users``."""
    members, max_users = args.get("members"), args.get("max_users")
    if not isinstance(members, Sized) or isinstance(members, str):
        return
    if len(members) == 0:
        raise ValueError("members: leave it out rather than send an empty list")
    if isinstance(max_users, int) and len(members) + 1 > max_users:
        raise ValueError(f"members: {len(members)} and the owner exceed max_users ({max_users})")


def _success(data: Mapping[str, Any]) -> bool:
    """Admin changes answer ``{"result": "success", ...}``: a string, not a boolean."""
    return data.get("result") == "success"


def _unmuted(data: Mapping[str, Any]) -> bool:
    """Unmute-all answers with the new state, ``{"mute": false}``."""
    return data["mute"] is False


def _username(doc: str) -> Param:
    return path_param("username", doc, "username")


def _usernames_path(doc: str) -> Param:
    return Param(
        name="usernames",
        type="Sequence[str]",
        location="path",
        encode="csv",
        check="usernames_60",
        doc=doc + " 1-60 usernames (sent comma-separated).",
    )


def _usernames_body(doc: str) -> Param:
    return Param(
        name="usernames",
        type="Sequence[str]",
        location="body",
        positional=True,
        check="usernames_60",
        doc=doc + " 1-60 usernames.",
    )


def _bulk(kind: Kind, splitter: str, *extra: str) -> Bulk:
    return Bulk(
        chunk_size=BATCH,
        items_name="usernames",
        item_type="str",
        splitter=splitter,
        takes=(kind.id_name, *extra),
    )


def member_rows(kind: Kind) -> tuple[Endpoint, ...]:
    """members.list/add/add_many/remove/remove_many, admins.list/add/remove."""
    p, root, noun, rid = kind.prefix, kind.root, kind.noun, kind.id_param
    docs = kind.url("members")

    def row(name: str, method: str, path: str, **fields: Any) -> Endpoint:
        return Endpoint(
            name=f"{p}.{name}",
            method=method,  # type: ignore[arg-type]
            path=root + path,
            area=kind.area,
            docs=docs,
            legacy=kind.legacy.get(name, ()),
            typed=True,
            **fields,
        )

    return (
        row(
            "members.list",
            "GET",
            "/users",
            summary=f"Iterate over the members of a {noun}, the owner included.",
            params=(rid,),
            returns=list[Member],
            result="AsyncPager[Member]",
            pager=kind.members_pager,
        ),
        row(
            "members.add",
            "POST",
            "/users/{username}",
            summary=f"Add a user to a {noun}.",
            params=(rid, _username("The user to add.")),
            returns=MemberResult,
            result="MemberResult",
        ),
        row(
            "members.add_many",
            "POST",
            "/users",
            summary=f"Add any number of users to a {noun}, {BATCH} per call.",
            params=(rid, _usernames_body("Users to add.")),
            returns=AddedMembers,
            result="BulkResult[str, str]",
            bulk=_bulk(kind, "room_add_members"),
        ),
        row(
            "members.remove",
            "DELETE",
            "/users/{username}",
            summary=f"Remove a member from a {noun}.",
            params=(rid, _username("The member to remove.")),
            returns=MemberResult,
            result="MemberResult",
        ),
        row(
            "members.remove_many",
            "DELETE",
            "/users/{usernames}",
            summary=f"Remove any number of members from a {noun}, {BATCH} per call.",
            params=(rid, _usernames_path("Members to remove.")),
            returns=list[MemberResult] | MemberResult,
            post=as_list,
            result="BulkResult[str, str]",
            bulk=_bulk(kind, "room_results"),
        ),
        row(
            "admins.list",
            "GET",
            "/admin",
            summary=f"The admins of a {noun} (one request: the list is not paged).",
            params=(rid,),
            returns=list[str],
            result="AsyncPager[str]",
            pager=single_pager(),
        ),
        row(
            "admins.add",
            "POST",
            "/admin",
            summary=f"Make a member an admin of the {noun} (at most 99); True when done.",
            params=(
                rid,
                Param(
                    name="username",
                    type="str",
                    location="body",
                    wire="newadmin",
                    positional=True,
                    check="username",
                    doc="The member to promote.",
                ),
            ),
            returns=dict[str, Any],
            post=_success,
            result="bool",
        ),
        row(
            "admins.remove",
            "DELETE",
            "/admin/{oldadmin}",
            summary=f"Make an admin of the {noun} a regular member again; True when done.",
            params=(rid, path_param("oldadmin", "The admin to demote.", "username")),
            returns=dict[str, Any],
            post=_success,
            result="bool",
        ),
    )


def transfer_row(kind: Kind, docs: str, *, overview: bool = True) -> Endpoint:
    """``<prefix>.transfer_owner``: ``PUT`` of the group or room with ``{"newowner": u}``
    (the path ``update`` uses; the emulator tells them apart by the body)."""
    return Endpoint(
        name=f"{kind.prefix}.transfer_owner",
        method="PUT",
        path=kind.root,
        area=kind.area,
        summary="Make a member the owner (the old owner stays a member); True when done.",
        docs=docs,
        params=(
            kind.id_param,
            Param(
                name="new_owner",
                type="str",
                location="body",
                wire="newowner",
                positional=True,
                check="username",
                doc="The member to become the owner.",
            ),
        ),
        returns=dict[str, Any],
        post=flag("newowner"),
        result="bool",
        typed=True,
        overview=overview,
    )


def _announcement(data: Mapping[str, Any]) -> str:
    return str(data.get("announcement") or "")


def announcement_rows(
    kind: Kind, *, area: str, docs: str, overview: bool = True
) -> tuple[Endpoint, Endpoint]:
    """``<prefix>.get_announcement`` and ``set_announcement`` (``POST``, at most 512
    characters; an older ``PUT`` form may be listed in ``kind.legacy``)."""
    noun = kind.noun
    path = kind.root + "/announcement"
    get = Endpoint(
        name=f"{kind.prefix}.get_announcement",
        method="GET",
        path=path,
        area=area,
        summary=f'A {noun}\'s announcement ("" if none).',
        docs=docs,
        params=(kind.id_param,),
        returns=dict[str, Any],
        post=_announcement,
        result="str",
        typed=True,
        overview=overview,
    )
    set_ = Endpoint(
        name=f"{kind.prefix}.set_announcement",
        method="POST",
        path=path,
        area=area,
        summary=f"Replace a {noun}'s announcement; True when done.",
        docs=docs,
        params=(
            kind.id_param,
            Param(
                name="announcement",
                type="str",
                location="body",
                positional=True,
                check="announcement",
                doc="The text, at most 512 characters.",
            ),
        ),
        returns=dict[str, Any],
        post=flag("result"),
        result="bool",
        retry_safe=True,  # replaces the text: repeating answers the same
        legacy=kind.legacy.get("set_announcement", ()),
        typed=True,
        overview=overview,
    )
    return get, set_


def list_rows(kind: Kind) -> tuple[Endpoint, ...]:
    """blocklist.*, allowlist.*, mutes.* (in the table's order)."""
    p, root, noun, rid = kind.prefix, kind.root, kind.noun, kind.id_param

    def row(page: str, name: str, method: str, path: str, **fields: Any) -> Endpoint:
        return Endpoint(
            name=f"{p}.{name}",
            method=method,  # type: ignore[arg-type]
            path=root + path,
            area=kind.area,
            docs=kind.url(page),
            legacy=kind.legacy.get(name, ()),
            typed=True,
            **fields,
        )

    block, white = "/blocks/users", "/white/users"
    mute_duration = Param(
        name="mute_duration",
        type="int",
        location="body",
        check="mute_duration",
        doc="How long, in milliseconds; -1: until unmuted.",
    )
    return (
        row(
            "blocklist",
            "blocklist.list",
            "GET",
            block,
            summary=f"Iterate over the users blocked from a {noun}, latest first.",
            params=(rid,),
            returns=list[str],
            result="AsyncPager[str]",
            pager=kind.blocklist_pager,
        ),
        row(
            "blocklist",
            "blocklist.add",
            "POST",
            block + "/{username}",
            summary=f"Block a member: removed from the {noun} and unable to rejoin.",
            params=(rid, _username("The member to block.")),
            returns=MemberResult,
            result="MemberResult",
        ),
        row(
            "blocklist",
            "blocklist.add_many",
            "POST",
            block,
            summary=f"Block any number of members of a {noun}, {BATCH} per call.",
            params=(rid, _usernames_body("Members to block.")),
            returns=list[MemberResult],
            result="BulkResult[str, str]",
            bulk=_bulk(kind, "room_results"),
        ),
        row(
            "blocklist",
            "blocklist.remove",
            "DELETE",
            block + "/{username}",
            summary=f"Unblock a user of a {noun} (it may join again).",
            params=(rid, _username("The user to unblock.")),
            returns=MemberResult,
            result="MemberResult",
        ),
        row(
            "blocklist",
            "blocklist.remove_many",
            "DELETE",
            block + "/{usernames}",
            summary=f"Unblock any number of users of a {noun}, {BATCH} per call.",
            params=(rid, _usernames_path("Users to unblock.")),
            returns=list[MemberResult] | MemberResult,
            post=as_list,
            result="BulkResult[str, str]",
            bulk=_bulk(kind, "room_results"),
        ),
        row(
            "allowlist",
            "allowlist.list",
            "GET",
            white,
            summary=f"The allowlist of a {noun}: who may speak while all are muted.",
            params=(rid,),
            returns=list[str],
            result="AsyncPager[str]",
            pager=single_pager(),
        ),
        row(
            "allowlist",
            "allowlist.add",
            "POST",
            white + "/{username}",
            summary=f"Add a member of a {noun} to its allowlist.",
            params=(rid, _username("The member to allow.")),
            returns=MemberResult,
            result="MemberResult",
        ),
        row(
            "allowlist",
            "allowlist.add_many",
            "POST",
            white,
            summary=f"Add any number of members of a {noun} to its allowlist, {BATCH} per call.",
            params=(rid, _usernames_body("Members to allow.")),
            returns=list[MemberResult],
            result="BulkResult[str, str]",
            bulk=_bulk(kind, "room_results"),
        ),
        row(
            "allowlist",
            "allowlist.remove",
            "DELETE",
            white + "/{usernames}",
            summary=f"Remove 1-{BATCH} users from the allowlist of a {noun}; one result each.",
            params=(rid, _usernames_path("Users to remove from the allowlist.")),
            returns=list[MemberResult],
            result="Sequence[MemberResult]",
        ),
        row(
            "mutelist",
            "mutes.list",
            "GET",
            "/mute",
            summary=f"The muted members of a {noun} and when each mute ends.",
            params=(rid,),
            returns=list[MutedUser],
            result="AsyncPager[MutedUser]",
            pager=single_pager(),
        ),
        row(
            "mutelist",
            "mutes.add",
            "POST",
            "/mute",
            summary=f"Mute 1-{BATCH} members of a {noun} for a while; one result each.",
            params=(rid, _usernames_body("Members to mute."), mute_duration),
            returns=list[MuteResult],
            result="Sequence[MuteResult]",
            retry_safe=True,  # muting again sets the same mute (its end from now)
        ),
        row(
            "mutelist",
            "mutes.mute_all",
            "POST",
            "/ban",
            summary=f"Mute every member of a {noun} but the allowlist; True when done.",
            params=(rid,),
            returns=dict[str, Any],
            post=flag("mute"),
            result="bool",
            retry_safe=True,  # sets a flag: repeating answers the same
        ),
        row(
            "mutelist",
            "mutes.remove",
            "DELETE",
            "/mute/{usernames}",
            summary=f"Unmute 1-{BATCH} members of a {noun}; one result each.",
            params=(rid, _usernames_path("Members to unmute.")),
            returns=list[MuteResult],
            result="Sequence[MuteResult]",
        ),
        row(
            "mutelist",
            "mutes.unmute_all",
            "DELETE",
            "/ban",
            summary=f"End mute_all for a {noun} (single mutes stay); True when done.",
            params=(rid,),
            returns=dict[str, Any],
            post=_unmuted,
            result="bool",
        ),
    )


def helper_rows(kind: Kind, rows: tuple[Endpoint, ...]) -> tuple[Endpoint, ...]:
    """Bulk forms of the batch calls the table has no ``_many`` row for."""
    by_name = {e.name: e for e in rows}
    p, noun = kind.prefix, kind.noun

    def helper(base: str, name: str, summary: str, bulk: Bulk, result: str) -> Endpoint:
        return msgspec.structs.replace(
            by_name[f"{p}.{base}"],
            name=f"{p}.{name}",
            summary=summary,
            bulk=bulk,
            result=result,
            legacy=(),
        )

    return (
        helper(
            "allowlist.remove",
            "allowlist.remove_many",
            f"Remove any number of users from the allowlist of a {noun}, {BATCH} per call.",
            _bulk(kind, "room_results"),
            "BulkResult[str, str]",
        ),
        helper(
            "mutes.add",
            "mutes.add_many",
            f"Mute any number of members of a {noun}, {BATCH} per call.",
            _bulk(kind, "room_mutes", "mute_duration"),
            "BulkResult[str, MuteResult]",
        ),
        helper(
            "mutes.remove",
            "mutes.remove_many",
            f"Unmute any number of members of a {noun}, {BATCH} per call.",
            _bulk(kind, "room_results"),
            "BulkResult[str, str]",
        ),
    )
