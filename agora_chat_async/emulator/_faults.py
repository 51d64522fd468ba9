"""Fault injection: make chosen requests fail, slow down or lose their connection.

Faults are off unless added (constructor ``faults=``, ``EmulatorServer.add_fault`` or
``POST /__emulator/faults``). Each request takes the first pending fault that matches
its endpoint; a fault applies ``times`` times (``None``: until cleared).

What a client can meet, and the fault that produces it::

    5xx / 429 in Agora's shape          Fault(status=503)  (retry_after=... adds the header)
    5xx from a proxy: HTML, no body     Fault(status=502, body="html") / body="empty"
    reset before the handler ran        Fault(status=None, drop=True)
    reset after it ran (change kept)    Fault(status=None, drop=True, after_handler=True)
    answer cut short                    Fault(status=None, truncate=10)  (the handler ran)
    slow answer                         Fault(status=None, delay=2.0)  (after_handler: applied
                                        first, then slow)
    applied, then an error answer       Fault(status=504, after_handler=True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import msgspec

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Fault", "FaultSet"]


class Fault(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One injected fault.

    Args:
        status: HTTP status to answer with, in Agora's error shape; ``None`` with a
            ``delay`` only slows the request down and then serves it normally.
        times: How many matching requests it applies to; ``None``: every one.
        endpoint: Endpoint-table name (``"users.get"``, ``"token"``); ``None``: any.
        delay: Seconds to wait before answering (or before handling, without status).
        drop: Reset the connection (TCP RST) without any answer (after ``delay``).
        error: Agora ``error`` code; default from the status (503:
            ``service_unavailable``, 429: ``reach_limit`` ...).
        description: ``error_description``; default from the code or status.
        retry_after: Seconds to send in a ``Retry-After`` header.
        body: The error answer's body: ``"agora"`` (Agora's JSON error shape),
            ``"html"`` (a ``text/html`` page, as a proxy or load balancer sends) or
            ``"empty"`` (no body at all).
        after_handler: Serve the request first (the handler runs and its changes are
            kept), then apply the fault to its answer: ``delay`` holds it back,
            ``drop`` loses it, ``status`` replaces it. A client then cannot know
            whether the request took effect.
        truncate: Send only the first ``truncate`` bytes of the body while
            ``Content-Length`` announces all of it, then close the connection. It
            cuts the error answer when ``status`` is set, else the handler's answer
            (so the handler has run, as with ``after_handler``).
    """

    status: int | None = 503
    times: int | None = 1
    endpoint: str | None = None
    delay: float = 0.0
    drop: bool = False
    error: str | None = None
    description: str | None = None
    retry_after: float | None = None
    body: Literal["agora", "html", "empty"] = "agora"
    after_handler: bool = False
    truncate: int | None = None

    def __post_init__(self) -> None:
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(f"status must be 400-599 or None, got {self.status}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1 or None, got {self.times}")
        if not (math.isfinite(self.delay) and self.delay >= 0):
            raise ValueError(f"delay must be >= 0 seconds, got {self.delay}")
        if self.retry_after is not None and not self.retry_after >= 0:
            raise ValueError(f"retry_after must be >= 0, got {self.retry_after}")
        if self.body not in ("agora", "html", "empty"):
            raise ValueError(f"body must be 'agora', 'html' or 'empty', got {self.body!r}")
        if self.truncate is not None and (self.truncate < 0 or self.drop):
            raise ValueError("truncate must be >= 0 bytes, and not with drop=True")
        if self.status is None and not (self.drop or self.delay or self.truncate is not None):
            raise ValueError("a fault needs a status, a delay, truncate or drop=True")

    @property
    def serves_first(self) -> bool:
        """Whether the handler runs before the fault applies."""
        return self.after_handler or (self.truncate is not None and self.status is None)

    def to_dict(self) -> dict[str, Any]:
        return msgspec.structs.asdict(self)


@dataclass(slots=True)
class _Pending:
    fault: Fault
    remaining: int | None


class FaultSet:
    """The pending faults and how often each still applies."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._pending: list[_Pending] = []
        for fault in faults:
            self.add(fault)

    def add(self, fault: Fault) -> Fault:
        self._pending.append(_Pending(fault, fault.times))
        return fault

    def clear(self) -> None:
        self._pending.clear()

    def take(self, endpoint: str | None) -> Fault | None:
        """The fault this request gets (counting it down), if any."""
        for i, entry in enumerate(self._pending):
            fault = entry.fault
            if fault.endpoint is not None and fault.endpoint != endpoint:
                continue
            if entry.remaining is not None:
                entry.remaining -= 1
                if entry.remaining <= 0:
                    del self._pending[i]
            return fault
        return None

    def pending(self) -> list[tuple[Fault, int | None]]:
        """Each pending fault with the number of times it still applies."""
        return [(entry.fault, entry.remaining) for entry in self._pending]

    def __bool__(self) -> bool:
        return bool(self._pending)
