"""Global mutes: muting a user app-wide in one-to-one chats, groups and chat rooms.

Beyond Agora's overview table (``overview=False``); documented on its global-mute page.
"""

from __future__ import annotations

from typing import Any

from ..models.global_mutes import GlobalMute, GlobalMutePage
from ._types import DOCS, USERNAME, Endpoint, Pager, Param, is_one_of, needs_one_of

__all__ = ["HELPERS", "ROWS"]

_MUTE = DOCS + "global-mute"


def _entries(page: GlobalMutePage) -> list[GlobalMute]:
    return page.data


def _seconds(name: str, where: str) -> Param:
    return Param(
        name=name,
        type="int | UnsetType",
        location="body",
        default="UNSET",
        check="global_mute_seconds",
        doc=f"Seconds to mute the user in {where}; -1: for ever; 0: unmute.",
    )


ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="global_mutes.set",
        method="POST",
        path="/mutes",
        area="global_mutes",
        summary="Mute (or unmute) a user app-wide per chat type; True when stored.",
        docs=_MUTE,
        params=(
            Param(
                name="username",
                type="str",
                location="body",
                positional=True,
                check="username",
                doc="The user to mute.",
            ),
            _seconds("chat", "one-to-one chats"),
            _seconds("groupchat", "chat groups"),
            _seconds("chatroom", "chat rooms"),
        ),
        check_args=needs_one_of(("chat", "groupchat", "chatroom")),
        returns=dict[str, Any],
        post=is_one_of("result", "ok"),  # {"result": "ok"} when stored
        result="bool",
        retry_safe=True,  # sets the same times again
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="global_mutes.get",
        method="GET",
        path="/mutes/{username}",
        area="global_mutes",
        summary="The seconds a user stays muted app-wide, per chat type.",
        docs=_MUTE,
        params=(USERNAME,),
        returns=GlobalMute,
        result="GlobalMute",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="global_mutes.list",
        method="GET",
        path="/mutes",
        area="global_mutes",
        summary="Iterate over global mutes: one entry per muted user and chat type.",
        docs=_MUTE,
        returns=GlobalMutePage,
        post=_entries,
        result="AsyncPager[GlobalMute]",
        pager=Pager(
            style="page",
            size_param="pageSize",
            page_param="pageNum",
            max_size=50,
            default_size=10,
        ),
        typed=True,
        overview=False,
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
