"""Chat rooms and their members, admins, block/allow lists and mutes."""

from __future__ import annotations

from ._types import (
    DOCS,
    Endpoint,
    cursor_pager,
    page_pager,
    planned,
)

__all__ = ["HELPERS", "ROWS"]

_ROOM = DOCS + "chatroom-management/"

ROWS: tuple[Endpoint, ...] = (
    *planned(
        "chatrooms",
        """
        chatrooms.list GET /chatrooms
        chatrooms.list_joined GET /users/{username}/joined_chatrooms
        chatrooms.get GET /chatrooms/{chatroom_ids}
        chatrooms.create POST /chatrooms
        chatrooms.update PUT /chatrooms/{chatroom_id}
        chatrooms.delete DELETE /chatrooms/{chatroom_id}
        chatrooms.get_announcement GET /chatrooms/{chatroom_id}/announcement
        chatrooms.set_announcement POST /chatrooms/{chatroom_id}/announcement
        """,
        _ROOM + "manage-chatrooms",
        rates={
            "chatrooms.list": 50.0,
            "chatrooms.list_joined": 50.0,
            "chatrooms.create": 50.0,
        },
        pagers={
            "chatrooms.list": cursor_pager(100),
            "chatrooms.list_joined": page_pager(1000, 1000),
        },
        legacy={"chatrooms.set_announcement": (("PUT", "/chatrooms/{chatroom_id}/announcement"),)},
    ),
    *planned(
        "chatroom_members",
        """
        chatrooms.members.list GET /chatrooms/{chatroom_id}/users
        chatrooms.members.add POST /chatrooms/{chatroom_id}/users/{username}
        chatrooms.members.add_many POST /chatrooms/{chatroom_id}/users
        chatrooms.members.remove DELETE /chatrooms/{chatroom_id}/users/{username}
        chatrooms.members.remove_many DELETE /chatrooms/{chatroom_id}/users/{usernames}
        chatrooms.admins.list GET /chatrooms/{chatroom_id}/admin
        chatrooms.admins.add POST /chatrooms/{chatroom_id}/admin
        chatrooms.admins.remove DELETE /chatrooms/{chatroom_id}/admin/{oldadmin}
        chatrooms.blocklist.list GET /chatrooms/{chatroom_id}/blocks/users
        chatrooms.blocklist.add POST /chatrooms/{chatroom_id}/blocks/users/{username}
        chatrooms.blocklist.add_many POST /chatrooms/{chatroom_id}/blocks/users
        chatrooms.blocklist.remove DELETE /chatrooms/{chatroom_id}/blocks/users/{username}
        chatrooms.blocklist.remove_many DELETE /chatrooms/{chatroom_id}/blocks/users/{usernames}
        chatrooms.allowlist.list GET /chatrooms/{chatroom_id}/white/users
        chatrooms.allowlist.add POST /chatrooms/{chatroom_id}/white/users/{username}
        chatrooms.allowlist.add_many POST /chatrooms/{chatroom_id}/white/users
        chatrooms.allowlist.remove DELETE /chatrooms/{chatroom_id}/white/users/{usernames}
        chatrooms.mutes.list GET /chatrooms/{chatroom_id}/mute
        chatrooms.mutes.add POST /chatrooms/{chatroom_id}/mute
        chatrooms.mutes.mute_all POST /chatrooms/{chatroom_id}/ban
        chatrooms.mutes.remove DELETE /chatrooms/{chatroom_id}/mute/{usernames}
        chatrooms.mutes.unmute_all DELETE /chatrooms/{chatroom_id}/ban
        """,
        _ROOM + "manage-chatroom-members",
        pagers={"chatrooms.members.list": page_pager(1000, 1000)},
        legacy={
            "chatrooms.mutes.unmute_all": (("PUT", "/chatrooms/{chatroom_id}/ban"),),
        },
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
