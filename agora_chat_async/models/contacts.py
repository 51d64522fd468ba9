"""Contacts structs beyond the plain username list: remarks, pages, imports."""

from __future__ import annotations

import msgspec

from ._base import Model

__all__ = ["Contact", "ContactPage", "ImportedContacts"]


class Contact(Model, kw_only=True):
    """A contact with its remark (``None`` when not set or not asked for)."""

    username: str = ""
    """The contact's user ID."""
    remark: str | None = None
    """The owner's remark about the contact (at most 100 characters)."""


class ContactPage(Model, kw_only=True):
    """One page of a user's contacts, newest first, and the cursor of the next page."""

    contacts: list[Contact] = msgspec.field(default_factory=list)
    """The contacts on this page."""
    cursor: str | None = None
    """Pass it to get the next page; ``None`` on the last page."""


class ImportedContacts(Model, kw_only=True):
    """What one contacts import call did with each username it was given."""

    success: list[str] = msgspec.field(default_factory=list)
    """Usernames now in the owner's contacts."""
    not_exist_failed: list[str] = msgspec.field(name="NotExistFailed", default_factory=list)
    """Usernames of users that do not exist."""
    max_limit_failed: list[str] = msgspec.field(name="maxLimitFailed", default_factory=list)
    """Usernames refused because a contact list is full."""
    unknown_failed: list[str] = msgspec.field(name="UnKnowFailed", default_factory=list)
    """Usernames that failed for another reason (Agora spells the key ``UnKnowFailed``)."""
