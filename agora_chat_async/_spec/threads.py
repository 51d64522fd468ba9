"""Threads in chat groups, and their members.

The lists page with a cursor in ``properties.cursor`` that the last page still
carries: a page shorter than asked for ends them. Member changes take at most 10
usernames per call; the ``_many`` methods spread any number over calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models.threads import Thread, ThreadAffiliations, ThreadMemberRemoval
from ._types import (
    DOCS,
    USERNAME,
    Bulk,
    Endpoint,
    Param,
    path_param,
    props_pager,
    value,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["HELPERS", "MAX_MEMBERS_PER_CALL", "ROWS"]

_THR = DOCS + "thread-management/create-delete-retrieve-threads"
_MEM = DOCS + "thread-management/manage-thread-members"

#: Usernames per add/remove call.
MAX_MEMBERS_PER_CALL = 10

THREAD_ID = path_param("thread_id", "The thread ID.")
GROUP_ID = path_param("group_id", "The chat group ID.")
SORT = Param(
    name="sort",
    type='Literal["asc", "desc"] | UnsetType',
    location="query",
    default="UNSET",
    check="sort",
    doc='"asc": oldest first; "desc": newest first (the server\'s default).',
)


def _ids(threads: Sequence[Thread]) -> list[str]:
    return [thread.id for thread in threads]


def _affiliations(page: ThreadAffiliations) -> list[str]:
    return page.affiliations


def _status_ok(data: Mapping[str, Any]) -> bool:
    return data.get("status") == "ok"


def _members_bulk(splitter: str) -> Bulk:
    return Bulk(
        chunk_size=MAX_MEMBERS_PER_CALL,
        items_name="usernames",
        item_type="str",
        splitter=splitter,
        takes=("thread_id",),
    )


_USERNAMES = Param(
    name="usernames",
    type="Sequence[str]",
    location="body",
    check="usernames_10",
    doc="1-10 usernames.",
)

ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="threads.list",
        method="GET",
        path="/thread",
        area="threads",
        summary="Iterate over the IDs of all threads of the app, by creation time.",
        docs=_THR,
        params=(SORT,),
        returns=Thread,
        unwrap="entities",
        post=_ids,
        result="AsyncPager[str]",
        pager=props_pager(),
        typed=True,
    ),
    Endpoint(
        name="threads.list_joined",
        method="GET",
        path="/threads/user/{username}",
        area="threads",
        summary="Iterate over the threads a user has joined, by creation time.",
        docs=_THR,
        params=(USERNAME, SORT),
        returns=Thread,
        unwrap="entities",
        result="AsyncPager[Thread]",
        pager=props_pager(),
        typed=True,
    ),
    Endpoint(
        name="threads.list_joined_in_group",
        method="GET",
        path="/threads/chatgroups/{group_id}/user/{username}",
        area="threads",
        summary="Iterate over the threads a user has joined in one chat group.",
        docs=_THR,
        params=(GROUP_ID, USERNAME, SORT),
        returns=Thread,
        unwrap="entities",
        result="AsyncPager[Thread]",
        pager=props_pager(),
        typed=True,
    ),
    Endpoint(
        name="threads.create",
        method="POST",
        path="/thread",
        area="threads",
        summary="Start a thread on a group message; returns the new thread's ID.",
        docs=_THR,
        params=(
            Param(
                name="group_id",
                type="str",
                location="body",
                positional=True,
                check="nonempty",
                doc="The chat group the message was sent to.",
            ),
            Param(
                name="name",
                type="str",
                location="body",
                positional=True,
                check="thread_name",
                doc="The thread name, 1-64 characters.",
            ),
            Param(
                name="msg_id",
                type="str",
                location="body",
                positional=True,
                check="nonempty",
                doc="The group message the thread starts on (one thread per message).",
            ),
            Param(
                name="owner",
                type="str",
                location="body",
                positional=True,
                check="username",
                doc="The creator, a member of the group; joins the thread.",
            ),
        ),
        returns=dict[str, Any],
        post=value("thread_id"),
        result="str",
        typed=True,
    ),
    Endpoint(
        name="threads.update",
        method="PUT",
        path="/thread/{thread_id}",
        area="threads",
        summary="Rename a thread; returns the name stored.",
        docs=_THR,
        params=(
            THREAD_ID,
            Param(
                name="name",
                type="str",
                location="body",
                check="thread_name",
                doc="The new name, 1-64 characters.",
            ),
        ),
        returns=dict[str, Any],
        post=value("name"),
        result="str",
        typed=True,
    ),
    Endpoint(
        name="threads.delete",
        method="DELETE",
        path="/thread/{thread_id}",
        area="threads",
        summary="Delete a thread; True when the server confirms it.",
        docs=_THR,
        params=(THREAD_ID,),
        returns=dict[str, Any],
        post=_status_ok,
        result="bool",
        typed=True,
    ),
    Endpoint(
        name="threads.members.list",
        method="GET",
        path="/thread/{thread_id}/users",
        area="threads",
        summary="Iterate over the usernames of a thread's members.",
        docs=_MEM,
        params=(THREAD_ID,),
        returns=ThreadAffiliations,
        post=_affiliations,
        result="AsyncPager[str]",
        pager=props_pager(),
        typed=True,
    ),
    Endpoint(
        name="threads.members.add_many",
        method="POST",
        path="/thread/{thread_id}/users",
        area="threads",
        summary="Add any number of group members to a thread, 10 per call.",
        docs=_MEM,
        params=(THREAD_ID, _USERNAMES),
        returns=dict[str, Any],
        result="BulkResult[str, str]",
        bulk=_members_bulk("thread_join"),
        retry_safe=True,  # adding a member twice changes nothing
        typed=True,
    ),
    Endpoint(
        name="threads.members.remove_many",
        method="DELETE",
        path="/thread/{thread_id}/users",
        area="threads",
        summary="Remove any number of users from a thread, 10 per call, per-user outcome.",
        docs=_MEM,
        params=(THREAD_ID, _USERNAMES),
        returns=ThreadMemberRemoval,
        unwrap="entities",
        result="BulkResult[str, str]",
        bulk=_members_bulk("thread_kick"),
        legacy=(("DELETE", "/threads/{thread_id}/users"),),
        typed=True,
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
