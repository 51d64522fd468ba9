"""The endpoint table: every fact about every Agora Chat REST endpoint, in one place.

The generated resource classes, the client's request pipeline, the emulator's routes,
the README's API index and the coverage tests all read this table. A row is ``typed``
once its area has request/response types and generated methods; rows of areas still
to come carry only their name, method, path, paging and rate limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import msgspec

from .models._base import DataEnvelope, EntitiesEnvelope, PropertiesEnvelope
from .models.users import DeletedUsers, RegisterManyResponse, User

__all__ = ["BY_NAME", "ENDPOINTS", "HELPERS", "Bulk", "Endpoint", "Pager", "Param"]

Location = Literal["path", "query", "body"]
Unwrap = Literal["data", "entities", "first_entity", "envelope", "none"]
Paging = Literal["cursor", "props-cursor", "page"]

DOCS = "https://docs.agora.io/en/agora-chat/restful-api/"


class Param(msgspec.Struct, frozen=True, kw_only=True):
    """One argument of a generated method and where it goes on the wire."""

    name: str
    type: str
    """The annotation written into the generated signature."""
    location: Location
    doc: str
    wire: str = ""
    """Name on the wire when it differs from ``name``."""
    default: str | None = None
    """Source text of the default; ``None`` makes the argument required."""
    positional: bool = False
    check: str | None = None
    """Name of a check in ``_validate.CHECKS`` run before sending."""
    encode: Literal["str", "csv", "fields"] | None = None
    """``str``/``csv``: how the value is written; ``fields``: a mapping whose items
    become the body's fields."""

    @property
    def wire_name(self) -> str:
        return self.wire or self.name


class Pager(msgspec.Struct, frozen=True, kw_only=True):
    """How a list endpoint pages: page size parameter, its server maximum, item path."""

    style: Paging
    size_param: str
    max_size: int
    default_size: int
    cursor_param: str = "cursor"
    page_param: str = "pagenum"


class Bulk(msgspec.Struct, frozen=True, kw_only=True):
    """A batch endpoint whose generated method takes any number of items and chunks them."""

    chunk_size: int
    items_name: str
    item_type: str
    splitter: str
    """Key in ``_bulk.SPLITTERS``: maps one chunk's response to done/failed items."""
    takes: tuple[str, ...] = ()
    """Endpoint arguments the method also takes, passed unchanged to every call."""
    preset: tuple[tuple[str, Any], ...] = ()
    """Endpoint arguments fixed by the helper itself (``target_type="users"``)."""


class Endpoint(msgspec.Struct, frozen=True, kw_only=True):
    """One REST endpoint: where it lives, what it takes and returns, how to call it."""

    name: str
    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    """Relative to ``/{org_name}/{app_name}``."""
    area: str
    summary: str = ""
    docs: str = ""
    params: tuple[Param, ...] = ()
    body_format: Literal["json", "form"] = "json"
    """``form``: the body is sent as ``application/x-www-form-urlencoded``."""
    returns: Any = None
    """Type the unwrapped payload decodes into."""
    unwrap: Unwrap = "data"
    post: Callable[[Any], Any] | None = None
    """Turns the decoded payload into the value the method returns."""
    check_args: Callable[[Mapping[str, Any]], None] | None = None
    """A check across several arguments, run with the per-argument checks."""
    result: str = "None"
    """Annotation of the value the method returns."""
    pager: Pager | None = None
    bulk: Bulk | None = None
    rate: float = 100.0
    """Documented limit in calls per second, per app."""
    rate_key: str = ""
    """Endpoints sharing one documented limit share a key (default: method + path)."""
    retry_safe: bool | None = None
    """Whether repeating the request is harmless; ``None`` derives it from the method."""
    legacy: tuple[tuple[str, str], ...] = ()
    """Older (method, path) forms the overview table lists; the emulator accepts them."""
    typed: bool = False

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))

    @property
    def safe_to_retry(self) -> bool:
        if self.retry_safe is not None:
            return self.retry_safe
        return self.method != "POST"

    @property
    def limit_key(self) -> str:
        return self.rate_key or f"{self.method} {self.path}"

    @property
    def resource(self) -> str:
        """Dotted resource path: ``groups.members`` for ``groups.members.add``."""
        return self.name.rpartition(".")[0]

    @property
    def method_name(self) -> str:
        return self.name.rpartition(".")[2]


# -- parameter shorthands ----------------------------------------------------------


def _path(name: str, doc: str, check: str = "nonempty") -> Param:
    return Param(name=name, type="str", location="path", doc=doc, check=check)


_USERNAME = _path("username", "The user's ID (username).", "username")
_TIMEOUT_DOC = "Seconds for this call, overriding the client's timeout."


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
_MSG = DOCS + "message-management"
_ATTR = DOCS + "user-attributes-management"
_CON = DOCS + "contact-management"
_GRP = DOCS + "chat-group-management/"
_THR = DOCS + "thread-management/"
_ROOM = DOCS + "chatroom-management/"

_USER_FIELDS = "users.register"

# -- users -------------------------------------------------------------------------

_USERS: tuple[Endpoint, ...] = (
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
        params=(_USERNAME,),
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
        params=(_USERNAME,),
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
            _USERNAME,
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
        params=(_USERNAME,),
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
        params=(_USERNAME,),
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
        params=(_USERNAME,),
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
        params=(_USERNAME,),
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
        params=(_USERNAME,),
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
        params=(_USERNAME, _path("msg_id", "The message ID.")),
        returns=dict[str, str],
        post=_first_value,
        result="str",
        typed=True,
    ),
)

# -- push settings (all three share PUT /users/{username} and its limit) ------------

_PUSH_KEY = "PUT /users/{username}"

_PUSH_ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="push.set_nickname",
        method="PUT",
        path="/users/{username}",
        area="push",
        summary="Set the name shown for a user in push notifications.",
        docs=_PUSH,
        params=(
            _USERNAME,
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
            _USERNAME,
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
            _USERNAME,
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

# -- user attributes ----------------------------------------------------------------

_METADATA: tuple[Endpoint, ...] = (
    Endpoint(
        name="metadata.set",
        method="PUT",
        path="/metadata/user/{username}",
        area="metadata",
        summary="Set some attributes of a user; returns the attributes just set.",
        docs=_ATTR,
        params=(
            _USERNAME,
            Param(
                name="attributes",
                type="Mapping[str, str]",
                location="body",
                positional=True,
                encode="fields",
                check="attributes",
                doc="Names and string values; at most 2 KB per user in all.",
            ),
        ),
        body_format="form",
        returns=dict[str, str],
        result="dict[str, str]",
        typed=True,
    ),
    Endpoint(
        name="metadata.get",
        method="GET",
        path="/metadata/user/{username}",
        area="metadata",
        summary="All attributes of a user ({} when it has none).",
        docs=_ATTR,
        params=(_USERNAME,),
        returns=dict[str, str],
        result="dict[str, str]",
        typed=True,
    ),
    Endpoint(
        name="metadata.get_many",
        method="POST",
        path="/metadata/user/get",
        area="metadata",
        summary="Chosen attributes of up to 100 users, as {username: {name: value}}.",
        docs=_ATTR,
        params=(
            Param(
                name="usernames",
                type="Sequence[str]",
                location="body",
                wire="targets",
                positional=True,
                check="usernames_100",
                doc="1-100 usernames.",
            ),
            Param(
                name="properties",
                type="Sequence[str]",
                location="body",
                check="properties",
                doc="Names of the attributes to return.",
            ),
        ),
        returns=dict[str, dict[str, str]],
        result="dict[str, dict[str, str]]",
        retry_safe=True,  # a read sent as POST
        typed=True,
    ),
    Endpoint(
        name="metadata.delete",
        method="DELETE",
        path="/metadata/user/{username}",
        area="metadata",
        summary="Delete every attribute of a user (True even if it had none).",
        docs=_ATTR,
        params=(_USERNAME,),
        returns=bool,
        result="bool",
        typed=True,
    ),
    Endpoint(
        name="metadata.capacity",
        method="GET",
        path="/metadata/user/capacity",
        area="metadata",
        summary="Bytes used by the attributes of all users of the app.",
        docs=_ATTR,
        returns=int,
        result="int",
        typed=True,
    ),
)

# -- messages ---------------------------------------------------------------------------

#: Recipients per call by target type, and the size limit of ``body`` + ``ext``.
MAX_TARGETS = {"users": 600, "chatgroups": 3, "chatrooms": 10}
MAX_MESSAGE_BYTES = 5 * 1024


def _check_send(args: Mapping[str, Any]) -> None:
    limit = MAX_TARGETS.get(args["target_type"], 600)
    if len(args["to"]) > limit:
        raise ValueError(f"to: at most {limit} {args['target_type']} per call")
    ext = args.get("ext")
    size = len(msgspec.json.encode(args["body"]))
    size += len(msgspec.json.encode(ext)) if isinstance(ext, Mapping) else 0
    if size > MAX_MESSAGE_BYTES:
        raise ValueError(f"body and ext take {size} bytes; a message may take 5 KB")


_OPTIONAL = "UNSET"

_SEND = Endpoint(
    name="messages.send",
    method="POST",
    path="/messages/{target_type}",
    area="messages",
    summary="Send a message to users, chat groups or chat rooms; returns their message ids.",
    docs=_MSG,
    params=(
        Param(
            name="target_type",
            type='Literal["users", "chatgroups", "chatrooms"]',
            location="path",
            check="target_type",
            doc="users (up to 600 per call), chatgroups (3) or chatrooms (10).",
        ),
        Param(
            name="to",
            type="Sequence[str]",
            location="body",
            check="recipients",
            doc="Usernames, group ids or chat room ids.",
        ),
        Param(
            name="type",
            type="MessageType",
            location="body",
            check="message_type",
            doc="txt, img, audio, video, file, loc, cmd or custom.",
        ),
        Param(
            name="body",
            type="Mapping[str, Any]",
            location="body",
            check="message_body",
            doc='The content for the type, e.g. {"msg": "hi"} for txt.',
        ),
        Param(
            name="from_",
            type="str | UnsetType",
            location="body",
            wire="from",
            default=_OPTIONAL,
            check="nonempty",
            doc='Sender; Agora uses "admin" if unset.',
        ),
        Param(
            name="ext",
            type="Mapping[str, Any] | UnsetType",
            location="body",
            default=_OPTIONAL,
            doc="Extension fields (also push options such as em_ignore_notification).",
        ),
        Param(
            name="sync_device",
            type="bool | UnsetType",
            location="body",
            default=_OPTIONAL,
            doc="Also deliver to the sender's other devices.",
        ),
        Param(
            name="routetype",
            type='Literal["ROUTE_ONLINE"] | UnsetType',
            location="body",
            default=_OPTIONAL,
            doc="ROUTE_ONLINE: only to recipients online now.",
        ),
        Param(
            name="roam_ignore_users",
            type="Sequence[str] | UnsetType",
            location="body",
            default=_OPTIONAL,
            doc="Users whose roaming history leaves it out.",
        ),
    ),
    check_args=_check_send,
    returns=dict[str, str],
    result="dict[str, str]",
    legacy=(("POST", "/messages"),),
    typed=True,
)

# -- areas whose types and methods land with their own issues ----------------------


def _planned(
    area: str,
    rows: str,
    docs: str,
    rates: Mapping[str, float] | None = None,
    pagers: Mapping[str, Pager] | None = None,
    legacy: Mapping[str, tuple[tuple[str, str], ...]] | None = None,
) -> tuple[Endpoint, ...]:
    """Rows given as ``name METHOD path`` lines (name, method and path as in the table)."""
    out = []
    for line in rows.strip().splitlines():
        name, method, path = line.split()
        out.append(
            Endpoint(
                name=name,
                method=method,  # type: ignore[arg-type]
                path=path,
                area=area,
                docs=docs,
                rate=(rates or {}).get(name, 100.0),
                pager=(pagers or {}).get(name),
                legacy=(legacy or {}).get(name, ()),
            )
        )
    return tuple(out)


def _cursor(max_size: int, default: int = 10) -> Pager:
    return Pager(style="cursor", size_param="limit", max_size=max_size, default_size=default)


def _page(max_size: int, default: int) -> Pager:
    return Pager(style="page", size_param="pagesize", max_size=max_size, default_size=default)


def _props(max_size: int = 50) -> Pager:
    return Pager(style="props-cursor", size_param="limit", max_size=max_size, default_size=10)


_PLANNED: tuple[Endpoint, ...] = (
    _SEND,
    *_planned(
        "messages",
        """
        files.upload POST /chatfiles
        files.download GET /chatfiles/{file_uuid}
        messages.history_file GET /chatmessages/{time}
        messages.recall POST /messages/msg_recall
        conversations.delete DELETE /users/{username}/user_channel
        """,
        _MSG,
        rates={"messages.history_file": 10 / 60},
        legacy={
            "files.download": (("POST", "/chatfiles/{file_uuid}"),),
            "messages.recall": (("POST", "/messages/recall"),),
        },
    ),
    *_METADATA,
    *_planned(
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
    *_planned(
        "groups",
        """
        groups.list GET /chatgroups
        groups.list_joined GET /users/{username}/joined_chatgroups
        groups.get GET /chatgroups/{group_ids}
        groups.create POST /chatgroups
        groups.update PUT /chatgroups/{group_id}
        groups.delete DELETE /chatgroups/{group_id}
        """,
        _GRP + "create-delete-retrieve-groups",
        rates={"groups.list_joined": 50.0},
        pagers={"groups.list": _cursor(1000), "groups.list_joined": _page(20, 5)},
        legacy={"groups.list_joined": (("GET", "/{app_name}/users/{username}/joined_chatgroups"),)},
    ),
    *_planned(
        "group_members",
        """
        groups.members.list GET /chatgroups/{group_id}/users
        groups.members.add POST /chatgroups/{group_id}/users/{username}
        groups.members.add_many POST /chatgroups/{group_id}/users
        groups.members.remove DELETE /chatgroups/{group_id}/users/{username}
        groups.members.remove_many DELETE /chatgroups/{group_id}/users/{usernames}
        groups.admins.list GET /chatgroups/{group_id}/admin
        groups.admins.add POST /chatgroups/{group_id}/admin
        groups.admins.remove DELETE /chatgroups/{group_id}/admin/{oldadmin}
        groups.transfer_owner PUT /chatgroups/{group_id}
        groups.blocklist.list GET /chatgroups/{group_id}/blocks/users
        groups.blocklist.add POST /chatgroups/{group_id}/blocks/users/{username}
        groups.blocklist.add_many POST /chatgroups/{group_id}/blocks/users
        groups.blocklist.remove DELETE /chatgroups/{group_id}/blocks/users/{username}
        groups.blocklist.remove_many DELETE /chatgroups/{group_id}/blocks/users/{usernames}
        groups.allowlist.list GET /chatgroups/{group_id}/white/users
        groups.allowlist.add POST /chatgroups/{group_id}/white/users/{username}
        groups.allowlist.add_many POST /chatgroups/{group_id}/white/users
        groups.allowlist.remove DELETE /chatgroups/{group_id}/white/users/{usernames}
        groups.mutes.list GET /chatgroups/{group_id}/mute
        groups.mutes.add POST /chatgroups/{group_id}/mute
        groups.mutes.mute_all POST /chatgroups/{group_id}/ban
        groups.mutes.remove DELETE /chatgroups/{group_id}/mute/{usernames}
        groups.mutes.unmute_all DELETE /chatgroups/{group_id}/ban
        """,
        _GRP + "manage-group-members",
        pagers={"groups.members.list": _page(100, 10)},
        legacy={
            "groups.mutes.remove": (("POST", "/chatgroups/{group_id}/mute/{usernames}"),),
            "groups.mutes.unmute_all": (("PUT", "/chatgroups/{group_id}/ban"),),
        },
    ),
    *_planned(
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
            "threads.list": _props(),
            "threads.list_joined": _props(),
            "threads.list_joined_in_group": _props(),
            "threads.members.list": _props(),
        },
        legacy={
            "threads.members.remove_many": (("DELETE", "/threads/{thread_id}/users"),),
        },
    ),
    *_planned(
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
            "chatrooms.list": _cursor(100),
            "chatrooms.list_joined": _page(1000, 1000),
        },
        legacy={"chatrooms.set_announcement": (("PUT", "/chatrooms/{chatroom_id}/announcement"),)},
    ),
    *_planned(
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
        pagers={"chatrooms.members.list": _page(1000, 1000)},
        legacy={
            "chatrooms.mutes.unmute_all": (("PUT", "/chatrooms/{chatroom_id}/ban"),),
        },
    ),
)

ENDPOINTS: Final[tuple[Endpoint, ...]] = (*_USERS, *_PUSH_ROWS, *_PLANNED)


def _each(
    name: str,
    of: str,
    items_name: str,
    summary: str,
    splitter: str,
    *,
    item_type: str = "str",
    done_type: str | None = None,
) -> Endpoint:
    """A bulk helper that makes one call of endpoint ``of`` per item."""
    endpoint = next(e for e in ENDPOINTS if e.name == of)
    result = f"BulkResult[{item_type}, {done_type or endpoint.result}]"
    return msgspec.structs.replace(
        endpoint,
        name=name,
        summary=summary,
        bulk=Bulk(
            chunk_size=1,
            items_name=items_name,
            item_type=item_type,
            splitter=splitter,
        ),
        result=result,
        rate_key=endpoint.limit_key,  # the same documented limit as the endpoint
    )


_SEND_MANY = msgspec.structs.replace(
    _SEND,
    name="messages.send_many",
    summary="Send one message to any number of users, 600 per call; ids per user.",
    bulk=Bulk(
        chunk_size=600,
        items_name="usernames",
        item_type="str",
        splitter="recipients",
        takes=("type", "body", "from_", "ext", "sync_device", "routetype", "roam_ignore_users"),
        preset=(("target_type", "users"),),
    ),
    result="BulkResult[str, tuple[str, str]]",
    legacy=(),
)

#: Bulk helpers over Agora endpoints (one call per item, or items spread over calls). Not
#: Agora endpoints themselves (so not in ENDPOINTS), but generated, paced and tested alike.
HELPERS: Final[tuple[Endpoint, ...]] = (
    _each(
        "users.delete_each",
        "users.delete",
        "usernames",
        "Delete each named user, several calls at once, reporting every failure.",
        "username",
    ),
    _each(
        "metadata.set_each",
        "metadata.set",
        "items",
        "Set attributes of many users, one call each; items: (username, attrs) or flat.",
        "attributes",
        item_type="tuple[str, Mapping[str, str]] | Mapping[str, str]",
        done_type="tuple[str, dict[str, str]]",
    ),
    _SEND_MANY,
)
BY_NAME: Final[dict[str, Endpoint]] = {e.name: e for e in (*ENDPOINTS, *HELPERS)}

# Envelope types per unwrap style, for the client's cached decoders.
ENVELOPES: Final[dict[str, Any]] = {
    "data": DataEnvelope,
    "entities": EntitiesEnvelope,
    "first_entity": EntitiesEnvelope,
    "props-cursor": PropertiesEnvelope,
}


def _self_check() -> None:
    names = [e.name for e in (*ENDPOINTS, *HELPERS)]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise AssertionError(f"duplicate endpoint names: {sorted(duplicates)}")
    for endpoint in ENDPOINTS:
        declared = tuple(p.name for p in endpoint.params if p.location == "path")
        if endpoint.typed and declared != endpoint.path_params:
            raise AssertionError(
                f"{endpoint.name}: path params {declared} do not match {endpoint.path}"
            )


_self_check()
