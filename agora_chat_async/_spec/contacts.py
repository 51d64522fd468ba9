"""Contacts and the user blocklist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models.contacts import ContactPage, ImportedContacts
from ..models.users import User
from ._types import (
    DOCS,
    Bulk,
    Endpoint,
    Pager,
    Param,
    data_cursor_pager,
    path_param,
    single_pager,
)

if TYPE_CHECKING:
    from ..models.contacts import Contact

__all__ = ["HELPERS", "MAX_BLOCKS_PER_CALL", "MAX_IMPORT_PER_CALL", "ROWS"]

_CON = DOCS + "contact-management"

#: Usernames one ``blocks.add`` call takes (a user's blocklist holds at most 500).
MAX_BLOCKS_PER_CALL = 50

_OWNER = path_param("owner_username", "The user whose list it is.", "username")
_FRIEND = path_param("friend_username", "The contact (another user of the app).", "username")
_BLOCKED = path_param("blocked_username", "The user to take off the blocklist.", "username")

#: Usernames one contacts import call takes.
MAX_IMPORT_PER_CALL = 10


def _contacts_of(page: ContactPage) -> list[Contact]:
    return page.contacts


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

# -- beyond the overview table ---------------------------------------------------------
# The docs write the remark and paged-list paths with a singular `/user/`; Agora's
# generated Java client uses `/users/` (the emulator accepts both, as legacy forms).

_REMARK = "/user/{owner_username}/contacts/users/{friend_username}"
_PAGE = "/user/{owner_username}/contacts"

_EXTRA_ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="contacts.set_remark",
        method="PUT",
        path=_REMARK,
        area="contact_extras",
        summary="Set the remark a user keeps about one of its contacts.",
        docs=_CON,
        params=(
            _OWNER,
            _FRIEND,
            Param(
                name="remark",
                type="str",
                location="body",
                check="remark",
                doc="At most 100 characters.",
            ),
        ),
        unwrap="none",
        legacy=(("PUT", _REMARK.replace("/user/", "/users/", 1)),),
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="contacts.list_paged",
        method="GET",
        path=_PAGE,
        area="contact_extras",
        summary="Iterate over a user's contacts, newest first, with remarks if asked.",
        docs=_CON,
        params=(
            _OWNER,
            Param(
                name="with_remarks",
                type="bool",
                location="query",
                wire="needReturnRemark",
                default="False",
                encode="bool",
                doc="Also return each contact's remark.",
            ),
        ),
        returns=ContactPage,
        post=_contacts_of,
        result="AsyncPager[Contact]",
        pager=data_cursor_pager(50),
        legacy=(("GET", _PAGE.replace("/user/", "/users/", 1)),),
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="contacts.add_many",
        method="POST",
        path="/users/{owner_username}/contacts/import",
        area="contact_extras",
        summary=(
            f"Add any number of users to a user's contacts, {MAX_IMPORT_PER_CALL} per call, "
            "reporting every failure."
        ),
        docs=_CON,
        params=(
            _OWNER,
            Param(
                name="usernames",
                type="Sequence[str]",
                location="body",
                positional=True,
                check="usernames_10",
                doc=f"1-{MAX_IMPORT_PER_CALL} usernames.",
            ),
            Param(
                name="notify",
                type="bool",
                location="query",
                wire="isSendNotice",
                default="False",
                encode="bool",
                doc="Notify the users added (a contact-added event on their devices).",
            ),
        ),
        returns=ImportedContacts,
        result="BulkResult[str, str]",
        bulk=Bulk(
            chunk_size=MAX_IMPORT_PER_CALL,
            items_name="usernames",
            item_type="str",
            splitter="contacts_import",
            takes=("owner_username", "notify"),
        ),
        retry_safe=True,  # adding a contact twice changes nothing
        typed=True,
        overview=False,
    ),
)
ROWS = (*ROWS, *_EXTRA_ROWS)

HELPERS: tuple[Endpoint, ...] = ()
