"""One emulated app as a whole: its names and credentials, data, auth, faults, limits, log,
callbacks.

``create_app`` builds one :class:`Emulator` and keeps it under :data:`EMULATOR_KEY`
(its data also under :data:`STATE_KEY`); the middleware, handlers and control routes
all reach everything through it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._state import EmulatorState

if TYPE_CHECKING:
    from ._auth import Authenticator
    from ._callbacks import Callbacks
    from ._faults import FaultSet
    from ._ratelimit import RateLimiter
    from ._registry import BoundRoute

__all__ = ["EMULATOR_KEY", "STATE_KEY", "Emulator", "LoggedRequest", "RequestLog"]


@dataclass(slots=True)
class LoggedRequest:
    """A request the emulator received (never its headers or body).

    Attributes:
        method: HTTP method.
        path: URL path (percent-decoded).
        query: Query parameters, each as a list of values.
        endpoint: Endpoint-table name (``"users.get"``, ``"token"``), if the path matched.
        status: Status answered; ``None`` while in progress or when the connection
            was dropped.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    endpoint: str | None = None
    status: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    """The last ``size`` requests, oldest first (a bounded deque)."""

    def __init__(self, size: int = 1000) -> None:
        if size < 0:
            raise ValueError(f"request log size must be >= 0, got {size}")
        self._entries: deque[LoggedRequest] = deque(maxlen=size)

    def record(self, request: web.Request) -> LoggedRequest:
        query = request.query
        entry = LoggedRequest(request.method, request.path, {k: query.getall(k) for k in query})
        self._entries.append(entry)
        return entry

    def entries(self) -> list[LoggedRequest]:
        return list(self._entries)

    def clear(self) -> None:
        self._entries.clear()


class Emulator:
    """Everything one emulated app consists of."""

    def __init__(
        self,
        *,
        org_name: str,
        app_name: str,
        state: EmulatorState,
        auth: Authenticator,
        faults: FaultSet,
        limiter: RateLimiter,
        log: RequestLog,
        max_users: int | None,
        callbacks: Callbacks,
    ) -> None:
        self.org_name = org_name
        self.app_name = app_name
        self.state = state
        self.auth = auth
        self.faults = faults
        self.limiter = limiter
        self.log = log
        self.max_users = max_users
        self.callbacks = callbacks
        self.routes: dict[web.AbstractRoute, BoundRoute] = {}
        """Mounted aiohttp route -> what it serves (filled by ``create_app``)."""

    def reset(self) -> None:
        """Clear the data, the faults, the request log, the stored callbacks and refill
        the rate buckets (the callback settings stay).

        Issued tokens stay valid: they are credentials, not data.
        """
        self.state.reset()
        self.faults.clear()
        self.log.clear()
        self.limiter.reset()
        self.callbacks.reset()


EMULATOR_KEY = web.AppKey("agora_emulator", Emulator)
STATE_KEY = web.AppKey("agora_state", EmulatorState)
