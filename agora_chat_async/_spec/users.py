"""Users: registration, status, offline messages; and push settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import UNSET

from ..models.push import NotificationSetting
from ..models.users import DeletedUsers, Device, RegisterManyResponse, User
from ._types import (
    DOCS,
    USERNAME,
    Bulk,
    Endpoint,
    Pager,
    Param,
    each,
    needs_one_of,
    path_param,
    single_pager,
    value,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["HELPERS", "PUSH_ROWS", "ROWS"]


def _first_value(data: Mapping[str, Any]) -> Any:
    """Agora answers single-user lookups as ``{"<username>": value}``."""
    return next(iter(data.values()))


def _merge(items: list[dict[str, str]]) -> dict[str, str]:
    """Batch status comes as a list of one-key objects; one dict is easier to use."""
    merged: dict[str, str] = {}
    for item in items:
        merged.update(item)
    return merged


def _first_count(data: Mapping[str, int | str]) -> int:
    """The docs' prose says the count may come as a string ("0"); examples send 0."""
    return int(_first_value(data))


def _result_flag(data: Mapping[str, Any]) -> bool:
    return bool(data.get("result"))


_REG = DOCS + "user-system-registration"
_PUSH = DOCS + "offline-push-configuration"

_USER_FIELDS = "users.register"

# -- users -------------------------------------------------------------------------

ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="users.register",
        method="POST",
        path="/users",
        area="users",
        summary="Register one user.",
        docs=_REG,
        params=(
            Param(
                name="username",
                type="str",
                location="body",
                positional=True,
                check="username",
                doc="1-64 of a-z, A-Z, 0-9, _ - . (case-insensitive).",
            ),
            Param(
                name="password",
                type="str | UnsetType",
                location="body",
                default="UNSET",
                check="password",
                doc="Login password, at most 64 characters.",
            ),
            Param(
                name="nickname",
                type="str | UnsetType",
                location="body",
                default="UNSET",
                check="nickname",
                doc="Display name in push notifications, at most 100 characters.",
            ),
        ),
        returns=User,
        unwrap="first_entity",
        result="User",
        rate_key=_USER_FIELDS,
        typed=True,
    ),
    Endpoint(
        name="users.register_many",
        method="POST",
        path="/users",
        area="users",
        summary="Register any number of users, 60 per call, reporting every failure.",
        docs=_REG,
        returns=RegisterManyResponse,
        unwrap="envelope",
        result="BulkResult[RegisterUser, User]",
        bulk=Bulk(
            chunk_size=60,
            items_name="users",
            item_type="RegisterUser | Mapping[str, str] | str",
            splitter="register",
        ),
        rate_key=_USER_FIELDS,
        typed=True,
    ),
    Endpoint(
        name="users.get",
        method="GET",
        path="/users/{username}",
        area="users",
        summary="Get one user.",
        docs=_REG,
        params=(USERNAME,),
        returns=User,
        unwrap="first_entity",
        result="User",
        typed=True,
    ),
    Endpoint(
        name="users.list",
        method="GET",
        path="/users",
        area="users",
        summary="Iterate over all users, oldest registration first.",
        docs=_REG,
        returns=User,
        unwrap="entities",
        result="AsyncPager[User]",
        pager=Pager(style="cursor", size_param="limit", max_size=100, default_size=10),
        typed=True,
    ),
    Endpoint(
        name="users.delete",
        method="DELETE",
        path="/users/{username}",
        area="users",
        summary="Delete one user (and the groups and chat rooms it owns).",
        docs=_REG,
        params=(USERNAME,),
        returns=User,
        unwrap="first_entity",
        result="User",
        typed=True,
    ),
    Endpoint(
        name="users.delete_many",
        method="DELETE",
        path="/users",
        area="users",
        summary="Delete the `limit` oldest users; pass the returned cursor to go on.",
        docs=_REG,
        params=(
            Param(
                name="limit",
                type="int",
                location="query",
                default="10",
                check="limit_100",
                doc="How many users to delete, 1-100.",
                encode="str",
            ),
            Param(
                name="cursor",
                type="str | UnsetType",
                location="query",
                default="UNSET",
                doc="Cursor from the previous call's result.",
            ),
        ),
        returns=DeletedUsers,
        unwrap="envelope",
        result="DeletedUsers",
        rate=30.0,
        typed=True,
    ),
    Endpoint(
        name="users.set_password",
        method="PUT",
        path="/users/{username}/password",
        area="users",
        summary="Set a user's password (the old one is not needed).",
        docs=_REG,
        params=(
            USERNAME,
            Param(
                name="password",
                type="str",
                location="body",
                wire="newpassword",
                check="password",
                doc="The new password, at most 64 characters.",
            ),
        ),
        unwrap="none",
        typed=True,
    ),
    Endpoint(
        name="users.deactivate",
        method="POST",
        path="/users/{username}/deactivate",
        area="users",
        summary="Deactivate (ban) a user: logged out and unable to log in.",
        docs=_REG,
        params=(USERNAME,),
        returns=User,
        unwrap="first_entity",
        result="User",
        retry_safe=True,
        typed=True,
    ),
    Endpoint(
        name="users.activate",
        method="POST",
        path="/users/{username}/activate",
        area="users",
        summary="Activate (unban) a deactivated user.",
        docs=_REG,
        params=(USERNAME,),
        unwrap="none",
        retry_safe=True,
        typed=True,
    ),
    Endpoint(
        name="users.disconnect",
        method="GET",
        path="/users/{username}/disconnect",
        area="users",
        summary="Force a user offline on all devices; True if it was done.",
        docs=_REG,
        params=(USERNAME,),
        returns=dict[str, Any],
        post=_result_flag,
        result="bool",
        legacy=(("POST", "/users/{username}/disconnect"),),
        typed=True,
    ),
    Endpoint(
        name="users.get_status",
        method="GET",
        path="/users/{username}/status",
        area="users",
        summary='A user\'s online state: "online" or "offline".',
        docs=_REG,
        params=(USERNAME,),
        returns=dict[str, str],
        post=_first_value,
        result="str",
        typed=True,
    ),
    Endpoint(
        name="users.get_statuses",
        method="POST",
        path="/users/batch/status",
        area="users",
        summary="Online states of up to 100 users, as {username: state}.",
        docs=_REG,
        params=(
            Param(
                name="usernames",
                type="Sequence[str]",
                location="body",
                positional=True,
                check="usernames_100",
                doc="1-100 usernames.",
            ),
        ),
        returns=list[dict[str, str]],
        post=_merge,
        result="dict[str, str]",
        rate=50.0,
        retry_safe=True,
        typed=True,
    ),
    Endpoint(
        name="users.offline_message_count",
        method="GET",
        path="/users/{username}/offline_msg_count",
        area="users",
        summary="How many offline messages wait for a user.",
        docs=_REG,
        params=(USERNAME,),
        returns=dict[str, int | str],
        post=_first_count,
        result="int",
        typed=True,
    ),
    Endpoint(
        name="users.offline_message_status",
        method="GET",
        path="/users/{username}/offline_msg_status/{msg_id}",
        area="users",
        summary='Delivery state of an offline message: "delivered" or "undelivered".',
        docs=_REG,
        params=(USERNAME, path_param("msg_id", "The message ID.")),
        returns=dict[str, str],
        post=_first_value,
        result="str",
        typed=True,
    ),
)

# -- push settings (all three share PUT /users/{username} and its limit) ------------

_PUSH_KEY = "PUT /users/{username}"

PUSH_ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="push.set_nickname",
        method="PUT",
        path="/users/{username}",
        area="push",
        summary="Set the name shown for a user in push notifications.",
        docs=_PUSH,
        params=(
            USERNAME,
            Param(
                name="nickname",
                type="str",
                location="body",
                check="nickname",
                doc="At most 100 characters.",
            ),
        ),
        returns=User,
        unwrap="first_entity",
        result="User",
        rate_key=_PUSH_KEY,
        typed=True,
    ),
    Endpoint(
        name="push.set_display_style",
        method="PUT",
        path="/users/{username}",
        area="push",
        summary="Choose what a user's push notifications show.",
        docs=_PUSH,
        params=(
            USERNAME,
            Param(
                name="style",
                type="Literal[0, 1]",
                location="body",
                wire="notification_display_style",
                check="display_style",
                doc='0: "You have a new message"; 1: the sender and the text.',
            ),
        ),
        returns=User,
        unwrap="first_entity",
        result="User",
        rate_key=_PUSH_KEY,
        typed=True,
    ),
    Endpoint(
        name="push.set_no_disturb",
        method="PUT",
        path="/users/{username}",
        area="push",
        summary="Turn a user's daily do-not-disturb period on or off.",
        docs=_PUSH,
        params=(
            USERNAME,
            Param(
                name="enabled",
                type="bool",
                location="body",
                wire="notification_no_disturbing",
                doc="On or off.",
            ),
            Param(
                name="start",
                type="int | UnsetType",
                location="body",
                default="UNSET",
                wire="notification_no_disturbing_start",
                check="hour",
                encode="str",
                doc="Hour (0-24) the period starts.",
            ),
            Param(
                name="end",
                type="int | UnsetType",
                location="body",
                default="UNSET",
                wire="notification_no_disturbing_end",
                check="hour",
                encode="str",
                doc="Hour (0-24) the period ends.",
            ),
        ),
        returns=User,
        unwrap="first_entity",
        result="User",
        rate_key=_PUSH_KEY,
        typed=True,
    ),
)


# -- beyond the overview table ---------------------------------------------------------

_DEVICE_ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="users.list_devices",
        method="GET",
        path="/users/{username}/resources",
        area="user_devices",
        summary="Iterate over the devices a user is logged in on, all in one response.",
        docs=_REG,
        params=(USERNAME,),
        returns=list[Device],
        result="AsyncPager[Device]",
        pager=single_pager(),
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="users.disconnect_device",
        method="DELETE",
        path="/users/{username}/disconnect/{resource}",
        area="user_devices",
        summary="Force a user offline on one device; True if it was done.",
        docs=_REG,
        params=(
            USERNAME,
            path_param("resource", "The device's resource id (`Device.resource`)."),
        ),
        returns=dict[str, Any],
        post=_result_flag,
        result="bool",
        typed=True,
        overview=False,
    ),
)
ROWS = (*ROWS, *_DEVICE_ROWS)

_CHAT_TYPE = Param(
    name="chat_type",
    type='Literal["user", "chatgroup"]',
    location="path",
    check="notification_chat_type",
    doc='"user" (a one-to-one chat, or the whole app when `key` is the user itself) '
    'or "chatgroup".',
)
_KEY = path_param("key", "The peer's username, or the group ID (the user's own for the app).")
_SOME_SETTING = needs_one_of(("mode", "ignore_interval", "ignore_duration"))


def _notification_fits(args: Mapping[str, Any]) -> None:
    """Something to set; ``DEFAULT`` (follow the app) for a chat only, a daily period
    for the app level only (``user`` and the user itself), as the server insists."""
    _SOME_SETTING(args)
    app = args["chat_type"] == "user" and str(args["key"]).lower() == args["username"].lower()
    if app and args.get("mode") == "DEFAULT":
        raise ValueError("mode DEFAULT (follow the app setting) applies to a chat, not the app")
    if not app and args.get("ignore_interval") not in (None, UNSET, ""):
        raise ValueError("ignore_interval is for the app level only (user, and key the user)")


_NOTIFICATION_ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="push.set_notification",
        method="PUT",
        path="/users/{username}/notification/{chat_type}/{key}",
        area="push_notifications",
        summary="Set a user's push mode and do-not-disturb, app-wide or for one chat.",
        docs=_PUSH,
        params=(
            USERNAME,
            _CHAT_TYPE,
            _KEY,
            Param(
                name="mode",
                type='Literal["DEFAULT", "ALL", "AT", "NONE"] | UnsetType',
                location="body",
                wire="type",
                default="UNSET",
                check="notification_mode",
                doc="DEFAULT (a chat follows the app setting), ALL, AT (mentions), NONE.",
            ),
            Param(
                name="ignore_interval",
                type="str | UnsetType",
                location="body",
                wire="ignoreInterval",
                default="UNSET",
                check="ignore_interval",
                doc='Daily do-not-disturb period "HH:MM-HH:MM" (app level only); "" for none.',
            ),
            Param(
                name="ignore_duration",
                type="int | UnsetType",
                location="body",
                wire="ignoreDuration",
                default="UNSET",
                check="ignore_duration",
                doc="Do not disturb for this many ms from now, 0-604800000 (7 days); 0: off.",
            ),
        ),
        check_args=_notification_fits,
        returns=NotificationSetting,
        result="NotificationSetting",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.get_notification",
        method="GET",
        path="/users/{username}/notification/{chat_type}/{key}",
        area="push_notifications",
        summary="A user's push mode and do-not-disturb, app-wide or for one chat.",
        docs=_PUSH,
        params=(USERNAME, _CHAT_TYPE, _KEY),
        returns=NotificationSetting,
        result="NotificationSetting",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.set_language",
        method="PUT",
        path="/users/{username}/notification/language",
        area="push_notifications",
        summary="Set the language a user's push notifications are translated into.",
        docs=_PUSH,
        params=(
            USERNAME,
            Param(
                name="language",
                type="str",
                location="body",
                positional=True,
                wire="translationLanguage",
                doc='A language code ("EU", "zh"); "" pushes the original text.',
            ),
        ),
        returns=dict[str, str],
        post=value("language"),
        result="str",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.get_language",
        method="GET",
        path="/users/{username}/notification/language",
        area="push_notifications",
        summary='The language a user\'s push notifications are translated into ("": none).',
        docs=_PUSH,
        params=(USERNAME,),
        returns=dict[str, str],
        post=value("language"),
        result="str",
        typed=True,
        overview=False,
    ),
)
PUSH_ROWS = (*PUSH_ROWS, *_NOTIFICATION_ROWS)


HELPERS: tuple[Endpoint, ...] = (
    each(
        "users.delete_each",
        next(e for e in ROWS if e.name == "users.delete"),
        "usernames",
        "Delete each named user, several calls at once, reporting every failure.",
        "username",
    ),
)
