"""Presence: setting a user's state per device, subscribing to other users' presence.

Beyond Agora's overview table (``overview=False``); documented on its presence page,
50 calls/s each. The answers are a bare ``{"result": ...}`` object (``unwrap="result"``).
Unsubscribing sends a bare JSON array (``["c1"]``, as every example and Easemob's
server SDK do; the field table's ``users`` key is not what the server reads).
"""

from __future__ import annotations

from ..models.presence import Subscription, SubscriptionPage, UserPresence
from ._types import DOCS, USERNAME, Endpoint, Pager, Param, path_param

__all__ = ["HELPERS", "ROWS"]

_PRESENCE = DOCS + "presence"
_RATE = 50.0


def _ok(result: str) -> bool:
    """``{"result": "ok"}`` when it was done."""
    return result == "ok"


def _sublist(page: SubscriptionPage) -> list[Subscription]:
    return page.sublist


_USERNAMES = Param(
    name="usernames",
    type="Sequence[str]",
    location="body",
    positional=True,
    check="usernames_100",
    doc="1-100 usernames.",
)

ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="presence.set",
        method="POST",
        path="/users/{username}/presence/{resource}/{status}",
        area="presence",
        summary="Set a user's presence on one device; True when it was set.",
        docs=_PRESENCE,
        params=(
            USERNAME,
            path_param(
                "resource",
                'The device, "{platform}_{resource id}" (`android_34f0bbf7-...`).',
            ),
            Param(
                name="status",
                type="str | int",
                location="path",
                check="presence_status",
                encode="str",
                doc='"0" offline, "1" online, other numbers: a custom state.',
            ),
            Param(
                name="ext",
                type="str",
                location="body",
                check="presence_ext",
                doc="The presence's extension text, at most 1024 bytes (UTF-8).",
            ),
        ),
        returns=str,
        unwrap="result",
        post=_ok,
        result="bool",
        rate=_RATE,
        retry_safe=True,  # sets the same state again
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="presence.subscribe",
        method="POST",
        path="/users/{username}/presence/{expiry}",
        area="presence",
        summary="Subscribe a user to others' presence for a time; their presence now.",
        docs=_PRESENCE,
        params=(
            path_param("username", "The subscriber's user ID.", "username"),
            Param(
                name="expiry",
                type="int",
                location="path",
                check="presence_expiry",
                encode="str",
                doc="How long the subscription lasts, 1-2592000 seconds (30 days).",
            ),
            _USERNAMES,
        ),
        returns=list[UserPresence],
        unwrap="result",
        result="Sequence[UserPresence]",
        rate=_RATE,
        retry_safe=True,  # subscribing again renews the subscription
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="presence.get_many",
        method="POST",
        path="/users/{username}/presence",
        area="presence",
        summary="The presence of up to 100 users, as one user sees it.",
        docs=_PRESENCE,
        params=(path_param("username", "The user asking.", "username"), _USERNAMES),
        returns=list[UserPresence],
        unwrap="result",
        result="Sequence[UserPresence]",
        rate=_RATE,
        retry_safe=True,  # a read sent as POST
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="presence.list_subscriptions",
        method="GET",
        path="/users/{username}/presence/sublist",
        area="presence",
        summary="Iterate over the users a user subscribes to, newest first.",
        docs=_PRESENCE,
        params=(USERNAME,),
        returns=SubscriptionPage,
        unwrap="result",
        post=_sublist,
        result="AsyncPager[Subscription]",
        pager=Pager(
            style="page",
            size_param="pageSize",
            page_param="pageNum",
            max_size=500,
            default_size=100,
        ),
        rate=_RATE,
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="presence.unsubscribe",
        method="DELETE",
        path="/users/{username}/presence",
        area="presence",
        summary="End a user's subscriptions to others' presence; True when done.",
        docs=_PRESENCE,
        params=(
            path_param("username", "The subscriber's user ID.", "username"),
            Param(
                name="usernames",
                type="Sequence[str]",
                location="body",
                positional=True,
                check="usernames_100",
                encode="body",
                doc="1-100 users to stop following (sent as a bare JSON array).",
            ),
        ),
        returns=str,
        unwrap="result",
        post=_ok,
        result="bool",
        rate=_RATE,
        typed=True,
        overview=False,
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
