"""Chat groups and their members, admins, block/allow lists and mutes."""

from __future__ import annotations

from ._types import (
    DOCS,
    Endpoint,
    cursor_pager,
    page_pager,
    planned,
)

__all__ = ["HELPERS", "ROWS"]

_GRP = DOCS + "chat-group-management/"

ROWS: tuple[Endpoint, ...] = (
    *planned(
        "groups",
        """
        groups.list GET /chatgroups
        groups.list_joined GET /users/{username}/joined_chatgroups
        groups.get GET /chatgroups/{group_ids}
        groups.create POST /chatgroups
        groups.update PUT /chatgroups/{group_id}
        groups.delete DELETE /chatgroups/{group_id}
        """,
        _GRP + "create-delete-retrieve-groups",
        rates={"groups.list_joined": 50.0},
        pagers={"groups.list": cursor_pager(1000), "groups.list_joined": page_pager(20, 5)},
        legacy={"groups.list_joined": (("GET", "/{app_name}/users/{username}/joined_chatgroups"),)},
    ),
    *planned(
        "group_members",
        """
        groups.members.list GET /chatgroups/{group_id}/users
        groups.members.add POST /chatgroups/{group_id}/users/{username}
        groups.members.add_many POST /chatgroups/{group_id}/users
        groups.members.remove DELETE /chatgroups/{group_id}/users/{username}
        groups.members.remove_many DELETE /chatgroups/{group_id}/users/{usernames}
        groups.admins.list GET /chatgroups/{group_id}/admin
        groups.admins.add POST /chatgroups/{group_id}/admin
        groups.admins.remove DELETE /chatgroups/{group_id}/admin/{oldadmin}
        groups.transfer_owner PUT /chatgroups/{group_id}
        groups.blocklist.list GET /chatgroups/{group_id}/blocks/users
        groups.blocklist.add POST /chatgroups/{group_id}/blocks/users/{username}
        groups.blocklist.add_many POST /chatgroups/{group_id}/blocks/users
        groups.blocklist.remove DELETE /chatgroups/{group_id}/blocks/users/{username}
        groups.blocklist.remove_many DELETE /chatgroups/{group_id}/blocks/users/{usernames}
        groups.allowlist.list GET /chatgroups/{group_id}/white/users
        groups.allowlist.add POST /chatgroups/{group_id}/white/users/{username}
        groups.allowlist.add_many POST /chatgroups/{group_id}/white/users
        groups.allowlist.remove DELETE /chatgroups/{group_id}/white/users/{usernames}
        groups.mutes.list GET /chatgroups/{group_id}/mute
        groups.mutes.add POST /chatgroups/{group_id}/mute
        groups.mutes.mute_all POST /chatgroups/{group_id}/ban
        groups.mutes.remove DELETE /chatgroups/{group_id}/mute/{usernames}
        groups.mutes.unmute_all DELETE /chatgroups/{group_id}/ban
        """,
        _GRP + "manage-group-members",
        pagers={"groups.members.list": page_pager(100, 10)},
        legacy={
            "groups.mutes.remove": (("POST", "/chatgroups/{group_id}/mute/{usernames}"),),
            "groups.mutes.unmute_all": (("PUT", "/chatgroups/{group_id}/ban"),),
        },
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
