"""Contacts and the user blocklist."""

from __future__ import annotations

from ..models.users import User
from ._types import (
    DOCS,
    Endpoint,
    Pager,
    Param,
    path_param,
    single_pager,
)

__all__ = ["HELPERS", "MAX_BLOCKS_PER_CALL", "ROWS"]

_CON = DOCS + "contact-management"

#: Usernames one ``blocks.add`` call takes (a user's blocklist holds at most 500).
MAX_BLOCKS_PER_CALL = 50

_OWNER = path_param("owner_username", "The user whose list it is.", "username")
_FRIEND = path_param("friend_username", "The contact (another user of the app).", "username")
_BLOCKED = path_param("blocked_username", "The user to take off the blocklist.", "username")

#: Each blocklist endpoint's documented limit (calls per second per app key).
_BLOCKS_RATE = 50.0

ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="contacts.add",
        method="POST",
        path="/users/{owner_username}/contacts/users/{friend_username}",
        area="contacts",
        summary="Add a user to another user's contacts; returns the contact.",
        docs=_CON,
        params=(_OWNER, _FRIEND),
        returns=User,
        unwrap="first_entity",
        result="User",
        retry_safe=True,  # adding a contact twice changes nothing
        typed=True,
    ),
    Endpoint(
        name="contacts.remove",
        method="DELETE",
        path="/users/{owner_username}/contacts/users/{friend_username}",
        area="contacts",
        summary="Remove a user from another user's contacts; returns the removed contact.",
        docs=_CON,
        params=(_OWNER, _FRIEND),
        returns=User,
        unwrap="first_entity",
        result="User",
        typed=True,
    ),
    Endpoint(
        name="contacts.list",
        method="GET",
        path="/users/{owner_username}/contacts/users",
        area="contacts",
        summary="Iterate over a user's contacts (usernames), all in one response.",
        docs=_CON,
        params=(_OWNER,),
        returns=list[str],
        result="AsyncPager[str]",
        pager=single_pager(),
        typed=True,
    ),
    Endpoint(
        name="blocks.list",
        method="GET",
        path="/users/{owner_username}/blocks/users",
        area="contacts",
        summary="Iterate over the users a user has blocked, most recently blocked first.",
        docs=_CON,
        params=(_OWNER,),
        returns=list[str],
        result="AsyncPager[str]",
        pager=Pager(style="cursor", size_param="pageSize", max_size=50, default_size=50),
        rate=_BLOCKS_RATE,
        typed=True,
    ),
    Endpoint(
        name="blocks.add",
        method="POST",
        path="/users/{owner_username}/blocks/users",
        area="contacts",
        summary="Block up to 50 users for a user; returns the usernames blocked.",
        docs=_CON,
        params=(
            _OWNER,
            Param(
                name="usernames",
                type="Sequence[str]",
                location="body",
                positional=True,
                check="usernames_50",
                doc="1-50 usernames (a blocklist holds at most 500).",
            ),
        ),
        returns=list[str],
        result="Sequence[str]",  # `list` is a method of the resource
        rate=_BLOCKS_RATE,
        retry_safe=True,  # blocking a blocked user changes nothing
        typed=True,
    ),
    Endpoint(
        name="blocks.remove",
        method="DELETE",
        path="/users/{owner_username}/blocks/users/{blocked_username}",
        area="contacts",
        summary="Unblock a user; returns the unblocked user.",
        docs=_CON,
        params=(_OWNER, _BLOCKED),
        returns=User,
        unwrap="first_entity",
        result="User",
        rate=_BLOCKS_RATE,
        typed=True,
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
