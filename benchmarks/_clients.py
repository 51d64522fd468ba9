"""How the benchmarks build clients: without client-side pacing unless asked for.

The client paces each endpoint under Agora's documented rate limit (``users.get``: 100/s)
by default. The benchmarks measure the cost of the request pipeline, so they switch that
off (``rate_limits=False``), except the ``client_paced`` overhead variant, which keeps a
limiter that never has to wait, to show what pacing costs per request.
"""

from __future__ import annotations

import inspect
from typing import Any

from agora_chat_async import AgoraChatClient

__all__ = ["can_pace", "make_client"]


def can_pace() -> bool:
    """Whether this version of the client has client-side pacing (``rate_limits=``)."""
    return "rate_limits" in inspect.signature(AgoraChatClient).parameters


def make_client(*, paced: bool = False, **kwargs: Any) -> AgoraChatClient:
    """A client with pacing off, or (``paced``) on with a rate that never binds."""
    if can_pace():
        kwargs["rate_limits"] = {"users.get": 1e9} if paced else False
    elif paced:
        raise RuntimeError("this client has no client-side pacing")
    return AgoraChatClient(**kwargs)
