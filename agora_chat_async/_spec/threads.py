"""Threads in chat groups, and their members."""

from __future__ import annotations

from ._types import (
    DOCS,
    Endpoint,
    planned,
    props_pager,
)

__all__ = ["HELPERS", "ROWS"]

_THR = DOCS + "thread-management/"

ROWS: tuple[Endpoint, ...] = (
    *planned(
        "threads",
        """
        threads.list GET /thread
        threads.list_joined GET /threads/user/{username}
        threads.list_joined_in_group GET /threads/chatgroups/{group_id}/user/{username}
        threads.create POST /thread
        threads.update PUT /thread/{thread_id}
        threads.delete DELETE /thread/{thread_id}
        threads.members.list GET /thread/{thread_id}/users
        threads.members.add_many POST /thread/{thread_id}/users
        threads.members.remove_many DELETE /thread/{thread_id}/users
        """,
        _THR + "create-delete-retrieve-threads",
        pagers={
            "threads.list": props_pager(),
            "threads.list_joined": props_pager(),
            "threads.list_joined_in_group": props_pager(),
            "threads.members.list": props_pager(),
        },
        legacy={
            "threads.members.remove_many": (("DELETE", "/threads/{thread_id}/users"),),
        },
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
