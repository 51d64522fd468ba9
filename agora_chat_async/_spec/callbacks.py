"""Callback storage: what Agora keeps of the post-delivery callbacks that failed, and
resending it.

Beyond Agora's overview table (``overview=False``): documented on its "Set up webhooks"
page (and Easemob's callback-storage page, which adds the error statuses and the
100/s limit of both calls). A set is redelivered by date key, to the original callback
URL or to ``target_url``; Agora advises at most 10 redeliveries per set and keeps the
data 3 days.
"""

from __future__ import annotations

from typing import Any

from ..models.callbacks import StoredCallbackSet
from ._types import Endpoint, Param

__all__ = ["HELPERS", "ROWS"]

_WEBHOOKS = "https://docs.agora.io/en/agora-chat/develop/setup-webhooks"


def _succeeded(data: Any) -> bool:
    """``"success"`` when every stored callback was resent, ``"failure"`` otherwise."""
    return bool(data == "success")


ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="callbacks.get_storage",
        method="GET",
        path="/callbacks/storage/info",
        area="callbacks",
        summary="The sets of failed callbacks Agora keeps, by 10-minute date key.",
        docs=_WEBHOOKS,
        returns=list[StoredCallbackSet],
        result="Sequence[StoredCallbackSet]",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="callbacks.retry_storage",
        method="POST",
        path="/callbacks/storage/retry",
        area="callbacks",
        summary="Resend a stored set of failed callbacks; True when all were delivered.",
        docs=_WEBHOOKS,
        params=(
            Param(
                name="date",
                type="str",
                location="body",
                positional=True,
                check="callback_date",
                doc="The set's date key, YYYYMMDDHHmm (as get_storage lists it).",
            ),
            Param(
                name="retry",
                type="int | UnsetType",
                location="body",
                default="UNSET",
                check="callback_retry",
                doc="The redelivery count you keep for the set (0 the first time).",
            ),
            Param(
                name="target_url",
                type="str | UnsetType",
                location="body",
                wire="targetUrl",
                default="UNSET",
                check="callback_url",
                doc="Where to resend it; the original callback URL if omitted.",
            ),
        ),
        returns=str,
        post=_succeeded,
        result="bool",
        typed=True,
        overview=False,
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
