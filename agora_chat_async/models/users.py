"""Users and push-settings structs (``/users`` endpoints)."""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from ._base import Envelope, Model

__all__ = [
    "DeletedUsers",
    "Device",
    "RegisterFailure",
    "RegisterManyResponse",
    "RegisterUser",
    "User",
]


class User(Model, kw_only=True):
    """A user entity as Agora returns it.

    Push fields (``nickname``, ``notification_*``) are present only once set.
    """

    username: str
    uuid: str | None = None
    type: str | None = None
    created: int | None = None
    modified: int | None = None
    activated: bool | None = None
    nickname: str | None = None
    """Display name in push notifications (not the user-attribute nickname)."""
    notification_display_style: int | None = None
    """0: "You have a new message"; 1: sender and message text."""
    notification_no_disturbing: bool | None = None
    notification_no_disturbing_start: int | str | None = None
    """Hour the do-not-disturb period starts; Agora sends it as a string or a number."""
    notification_no_disturbing_end: int | str | None = None
    notifier_name: str | None = None
    device_token: str | None = None


class RegisterUser(Model, kw_only=True):
    """One user to register: the body of ``POST /users`` and an item of the batch form.

    Its ``repr`` (and rich's pretty-printing) masks the password, so that printing a
    bulk result's failures does not print passwords.
    """

    username: str
    password: str | UnsetType = UNSET
    nickname: str | UnsetType = UNSET

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        fields: list[tuple[str, Any]] = [("username", self.username)]
        if self.password is not UNSET:
            fields.append(("password", "***"))
        if self.nickname is not UNSET:
            fields.append(("nickname", self.nickname))
        return fields

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"RegisterUser({shown})"


class RegisterFailure(Model, kw_only=True):
    """A user the server refused in a batch registration, with its reason."""

    username: str
    reason: str = msgspec.field(name="registerUserFailReason", default="")


class RegisterManyResponse(Envelope, kw_only=True):
    """Answer to one batch registration call: who was created and who was refused."""

    entities: list[User] = msgspec.field(default_factory=list)
    data: list[RegisterFailure] = msgspec.field(default_factory=list)


class DeletedUsers(Envelope, kw_only=True):
    """Answer to a batch deletion: the users deleted and the cursor to continue with."""

    entities: list[User] = msgspec.field(default_factory=list)


class Device(Model, kw_only=True):
    """One device (login resource) a user is connected on."""

    resource: str = msgspec.field(default="", name="res")
    """The resource id (``android_123423453246``): what ``disconnect_device`` takes."""
    device_uuid: str | None = None
    """The device's unique id."""
    device_name: str | None = None
    """The device's name (model), as the SDK reports it."""
