"""Push notifications the server sends (to users, by label, to everyone) and push labels.

Beyond the endpoint table's overview rows (``overview=False``); Agora documents all
twelve on its push notification management page, and its REST overview lists them with
their limits: sending to users or by label 1200/min, to everyone 5/min (and 100 a
day), at most 3 push tasks at once; the synchronous push 1/s (the page); the eight
label calls 100/s in total. ``_spec/__init__.py`` places these rows after the push
template rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models.push_management import LabelUser, LabelUsersChange, PushLabel, PushResult
from ._types import DOCS, Bulk, Endpoint, Param, as_list, cursor_pager, path_param

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["MAX_LABEL_USERS_PER_CALL", "ROWS"]

_PAGE = DOCS + "push-notification-management"

#: Users added to (or removed from) a label per call.
MAX_LABEL_USERS_PER_CALL = 100

_LABEL_KEY = "push labels"
"""The overview gives the label calls one limit in total."""


def _first(data: Any) -> PushResult:
    """The result for the one user: the docs say an object, their examples a list of one."""
    return as_list(data)[0]  # type: ignore[no-any-return]


def _task_id(data: Mapping[str, Any]) -> int:
    """``{"taskId": 968120369184112182}``."""
    return int(data["taskId"])


def _success(data: Any) -> bool:
    return bool(data == "success")


def _present(user: LabelUser | None) -> LabelUser | None:
    """A user without the label comes back without its fields: ``None``."""
    return user if user is not None and user.username else None


_MESSAGE = Param(
    name="message",
    type="Mapping[str, Any]",
    location="body",
    wire="pushMessage",
    check="push_message",
    doc="The notification: title (32 characters), content (100), subTitle (10, iOS), "
    "ext (10 pairs), config, and per-service agora, apns, fcm settings.",
)
_STRATEGY = Param(
    name="strategy",
    type="Literal[0, 1, 2, 3, 4] | UnsetType",
    location="body",
    default="UNSET",
    check="push_strategy",
    doc="0: third-party service first, then Agora's; 1: Agora's only; 2 (default): "
    "third-party only; 3: Agora's first, then third-party; 4: Agora's, online users only.",
)
_START = Param(
    name="start_date",
    type="str | UnsetType",
    location="body",
    wire="startDate",
    default="UNSET",
    check="push_start_date",
    doc='"YYYY-MM-DD HH:MM:SS" (the server\'s time zone), 1 hour to 30 days ahead; now if unset.',
)
_LABEL = path_param("label", "The label's name.", "label_name")
_USERNAMES = Param(
    name="usernames",
    type="Sequence[str]",
    location="body",
    positional=True,
    check="usernames_100",
    doc=f"1-{MAX_LABEL_USERS_PER_CALL} usernames.",
)


def _label_users_bulk() -> Bulk:
    return Bulk(
        chunk_size=MAX_LABEL_USERS_PER_CALL,
        items_name="usernames",
        item_type="str",
        splitter="label_users",
        takes=("label",),
    )


_SEND_ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="push.send",
        method="POST",
        path="/push/single",
        area="push_service",
        summary="Push a notification to up to 100 users, asynchronously; a result per user.",
        docs=_PAGE,
        params=(
            Param(
                name="usernames",
                type="Sequence[str]",
                location="body",
                wire="targets",
                positional=True,
                check="usernames_100",
                doc="1-100 recipients.",
            ),
            _MESSAGE,
            _STRATEGY,
        ),
        returns=list[PushResult],
        result="Sequence[PushResult]",
        rate=1200 / 60,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.send_sync",
        method="POST",
        path="/push/sync/{username}",
        area="push_service",
        summary="Push a notification to one user and wait for the push service's result.",
        docs=_PAGE,
        params=(
            path_param("username", "The recipient.", "username"),
            _MESSAGE,
            _STRATEGY,
        ),
        returns=list[PushResult] | PushResult,
        post=_first,
        result="PushResult",
        rate=1.0,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.send_by_labels",
        method="POST",
        path="/push/list/label",
        area="push_service",
        summary="Push a notification to the users carrying all the given labels; the task id.",
        docs=_PAGE,
        params=(
            Param(
                name="labels",
                type="Sequence[str]",
                location="body",
                wire="targets",
                positional=True,
                check="push_labels",
                doc="1-5 label names: their users' intersection receives it.",
            ),
            _MESSAGE,
            _STRATEGY,
            _START,
        ),
        returns=dict[str, int],
        post=_task_id,
        result="int",
        rate=1200 / 60,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.send_to_all",
        method="POST",
        path="/push/task",
        area="push_service",
        summary="Push a notification to every user of the app; the task id.",
        docs=_PAGE,
        params=(_MESSAGE, _STRATEGY, _START),
        returns=int,
        result="int",
        rate=5 / 60,
        typed=True,
        overview=False,
    ),
)

_LABEL_ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="push.labels.create",
        method="POST",
        path="/push/label",
        area="push_labels",
        summary="Create a push label (at most 100 in an app).",
        docs=_PAGE,
        params=(
            Param(
                name="name",
                type="str",
                location="body",
                positional=True,
                check="label_name",
                doc="1-64 of a-z, A-Z, 0-9, _ - . (case-insensitive, unique in the app).",
            ),
            Param(
                name="description",
                type="str | UnsetType",
                location="body",
                default="UNSET",
                check="label_description",
                doc="At most 255 characters.",
            ),
        ),
        returns=PushLabel,
        result="PushLabel",
        rate_key=_LABEL_KEY,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.labels.get",
        method="GET",
        path="/push/label/{label}",
        area="push_labels",
        summary="Get a push label and how many users carry it.",
        docs=_PAGE,
        params=(_LABEL,),
        returns=PushLabel,
        result="PushLabel",
        rate_key=_LABEL_KEY,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.labels.list",
        method="GET",
        path="/push/label",
        area="push_labels",
        summary="Iterate over the app's push labels.",
        docs=_PAGE,
        returns=list[PushLabel],
        result="AsyncPager[PushLabel]",
        pager=cursor_pager(100, 100),
        rate_key=_LABEL_KEY,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.labels.delete",
        method="DELETE",
        path="/push/label/{label}",
        area="push_labels",
        summary="Delete a push label; True if it was done.",
        docs=_PAGE,
        params=(_LABEL,),
        returns=str,
        post=_success,
        result="bool",
        rate_key=_LABEL_KEY,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.labels.users.add_many",
        method="POST",
        path="/push/label/{label}/user",
        area="push_labels",
        summary=(
            f"Give a push label to any number of users, {MAX_LABEL_USERS_PER_CALL} per call, "
            "reporting every failure."
        ),
        docs=_PAGE,
        params=(_LABEL, _USERNAMES),
        returns=LabelUsersChange,
        result="BulkResult[str, str]",
        bulk=_label_users_bulk(),
        rate_key=_LABEL_KEY,
        retry_safe=True,  # labelling a user twice changes nothing
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.labels.users.get",
        method="GET",
        path="/push/label/{label}/user/{username}",
        area="push_labels",
        summary="A user of a push label and when it got the label; None if it lacks it.",
        docs=_PAGE,
        params=(_LABEL, path_param("username", "The user's ID.", "username")),
        returns=LabelUser,
        post=_present,
        result="LabelUser | None",
        rate_key=_LABEL_KEY,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.labels.users.list",
        method="GET",
        path="/push/label/{label}/user",
        area="push_labels",
        summary="Iterate over the users carrying a push label.",
        docs=_PAGE,
        params=(_LABEL,),
        returns=list[LabelUser],
        result="AsyncPager[LabelUser]",
        pager=cursor_pager(100, 100),
        rate_key=_LABEL_KEY,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="push.labels.users.remove_many",
        method="DELETE",
        path="/push/label/{label}/user",
        area="push_labels",
        summary=(
            f"Take a push label from any number of users, {MAX_LABEL_USERS_PER_CALL} per "
            "call, reporting every failure."
        ),
        docs=_PAGE,
        params=(_LABEL, _USERNAMES),
        returns=LabelUsersChange,
        result="BulkResult[str, str]",
        bulk=_label_users_bulk(),
        rate_key=_LABEL_KEY,
        typed=True,
        overview=False,
    ),
)

ROWS: tuple[Endpoint, ...] = (*_SEND_ROWS, *_LABEL_ROWS)
