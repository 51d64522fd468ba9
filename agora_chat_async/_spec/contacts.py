"""Contacts and the user blocklist."""

from __future__ import annotations

from ._types import (
    DOCS,
    Endpoint,
    planned,
)

__all__ = ["HELPERS", "ROWS"]

_CON = DOCS + "contact-management"

ROWS: tuple[Endpoint, ...] = (
    *planned(
        "contacts",
        """
        contacts.add POST /users/{owner_username}/contacts/users/{friend_username}
        contacts.remove DELETE /users/{owner_username}/contacts/users/{friend_username}
        contacts.list GET /users/{owner_username}/contacts/users
        blocks.list GET /users/{owner_username}/blocks/users
        blocks.add POST /users/{owner_username}/blocks/users
        blocks.remove DELETE /users/{owner_username}/blocks/users/{blocked_username}
        """,
        _CON,
        rates={"blocks.list": 50.0, "blocks.add": 50.0, "blocks.remove": 50.0},
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
