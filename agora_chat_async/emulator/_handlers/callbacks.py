"""Callback storage: ``GET /callbacks/storage/info``, ``POST /callbacks/storage/retry``.

Served from the deliveries that really failed here (see ``emulator/_callbacks.py``):
each set is a 10-minute slice (UTC) of events whose callback failed twice or came
while the rule was disabled. A redelivery resends every callback of the set as it was
first sent (same ``callId``, ``timestamp`` and signature) to ``targetUrl`` or, when it
is omitted or empty, to the URL each went to first; it waits for the answers and says
``"success"`` when all got 200, ``"failure"`` otherwise. The set stays (Agora keeps the
data 3 days) and its ``retry`` count grows by one per redelivery. The request's
``retry`` (a count the caller keeps, say Agora's and Easemob's pages) is checked but
changes nothing here.

Refusals (Easemob's error table: 400 for invalid parameters) are 400
``illegal_argument``: a ``date`` that is not a date key (``YYYYMMDDHHmm``, minutes by
10), a date with no stored set, a set already redelivered 10 times (Agora's limit), a
``retry`` that is not a non-negative integer, a ``targetUrl`` that is not an http(s)
URL. ``action`` is the request's method (both examples show ``post``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._callbacks import check_url
from .._errors import illegal_argument, invalid_request_body
from .._registry import handler
from ._common import SENT_ENVELOPE

if TYPE_CHECKING:
    from .._call import Call

__all__: list[str] = []


@handler("GET", "/callbacks/storage/info")
async def storage_info(call: Call) -> dict[str, Any]:
    data = call.emulator.callbacks.storage_info()
    return call.envelope(SENT_ENVELOPE, action="get", data=data)


@handler("POST", "/callbacks/storage/retry")
async def storage_retry(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise invalid_request_body()
    date, retry, target = body.get("date"), body.get("retry", 0), body.get("targetUrl")
    if not isinstance(date, str) or not date:
        raise illegal_argument("date can't be empty")
    if isinstance(retry, bool) or not isinstance(retry, int) or retry < 0:
        raise illegal_argument("retry must be a non-negative integer")
    try:
        url = check_url("targetUrl", target or None)
        sent = await call.emulator.callbacks.redeliver(date, url)
    except ValueError as exc:  # RedeliveryError included
        raise illegal_argument(str(exc)) from None
    return call.envelope(SENT_ENVELOPE, action="post", data="success" if sent else "failure")
