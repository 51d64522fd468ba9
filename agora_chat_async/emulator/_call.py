"""What a handler gets (:class:`Call`) and how it wraps its answer in Agora's envelope.

Agora's success envelope has a different key set per endpoint (``GET /users/{u}`` has
no ``application``, a password change only ``action``/``timestamp``/``duration`` ...).
Handlers name the keys of their documented example, in order, and pass the
endpoint-specific values; :meth:`Call.envelope` fills in the rest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aiohttp import web

    from ._runtime import Emulator
    from ._state import EmulatorState

__all__ = ["Call"]


@dataclass(slots=True)
class Call:
    """One request on its way through a handler.

    Attributes:
        request: The aiohttp request.
        emulator: The emulated app (its data is ``call.state``).
        template: The matched path template, relative to ``/{org}/{app}``.
        endpoint: Name of the endpoint-table row this request is for.
        body: The parsed JSON body (``None`` when there was none).
        started: ``time.monotonic()`` when the request arrived.
    """

    request: web.Request
    emulator: Emulator
    template: str
    endpoint: str | None
    body: Any
    started: float

    @property
    def state(self) -> EmulatorState:
        return self.emulator.state

    def param(self, name: str) -> str:
        """A path parameter, percent-decoded."""
        return self.request.match_info[name]

    def query(self, name: str) -> str | None:
        """The first value of a query parameter, if given."""
        return self.request.query.get(name)

    def duration(self) -> int:
        return int((time.monotonic() - self.started) * 1000)

    def standard(self, key: str) -> Any:
        """Value of an envelope key that is the same for every endpoint."""
        if key == "application":
            return self.state.app_uuid
        if key == "applicationName":
            return self.emulator.app_name
        if key == "organization":
            return self.emulator.org_name
        if key == "uri":
            return str(self.request.url.with_query(None))
        if key == "path":
            return "/" + self.template.split("/")[1]
        if key == "timestamp":
            return self.state.now_ms()
        if key == "duration":
            return self.duration()
        if key == "params":
            query = self.request.query
            return {k: query.getall(k) for k in query} or None
        raise KeyError(f"envelope key {key!r} needs a value")

    def envelope(self, keys: Sequence[str], **values: Any) -> dict[str, Any]:
        """Agora's envelope with exactly ``keys`` (in that order).

        Keys given in ``values`` take that value, the others their standard value; a
        key whose value is ``None`` is left out (``cursor`` on the last page, ``params``
        without a query string).
        """
        out: dict[str, Any] = {}
        for key in keys:
            value = values[key] if key in values else self.standard(key)
            if value is not None:
                out[key] = value
        return out
