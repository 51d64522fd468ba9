"""The handler registry: which coroutine serves which (method, path) of the endpoint table.

An API area is one module under ``_handlers/`` whose functions are decorated with
:func:`handler`; ``create_app`` registers a route for every table row whose method and
path have a handler (and for the row's legacy forms). Paths are relative to
``/{org_name}/{app_name}`` and spelt exactly as in ``_spec.ENDPOINTS``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from aiohttp import web

    from ._call import Call

__all__ = ["HANDLERS", "BoundRoute", "Handler", "Route", "handler"]

#: A handler returns the JSON payload to send with status 200, or a ready response.
Handler = Callable[["Call"], Awaitable["dict[str, Any] | web.StreamResponse"]]

#: Picks the endpoint-table row of a request from its parsed body, where rows share a path.
Classifier = Callable[[Any], str]


@dataclass(frozen=True, slots=True)
class Route:
    """A registered handler and how the middleware prepares its requests.

    Attributes:
        method: HTTP method.
        path: Path template relative to ``/{org}/{app}``.
        func: The handler.
        classify: For paths several rows share: body -> row name.
        body: ``"json"``: the middleware parses the body (``json_parse`` on failure);
            ``"raw"``: the handler reads it itself (forms, uploads).
    """

    method: str
    path: str
    func: Handler
    classify: Classifier | None = None
    body: Literal["json", "raw"] = "json"


HANDLERS: dict[tuple[str, str], Route] = {}


def handler(
    method: str,
    path: str,
    *,
    classify: Classifier | None = None,
    body: Literal["json", "raw"] = "json",
) -> Callable[[Handler], Handler]:
    """Register the decorated coroutine for ``method path``."""

    def register(func: Handler) -> Handler:
        key = (method, path)
        if key in HANDLERS:
            raise ValueError(f"two handlers for {method} {path}")
        HANDLERS[key] = Route(method, path, func, classify, body)
        return func

    return register


@dataclass(frozen=True, slots=True)
class BoundRoute:
    """A route as mounted on the app: its handler and the table rows it serves.

    Attributes:
        route: The handler and its options.
        template: The path it is mounted at (a row's path or legacy path).
        endpoints: Names of the table rows served there (several share some paths).
        limit_key: Rate-limit bucket.
        auth: Whether a bearer token is required.
    """

    route: Route
    template: str
    endpoints: tuple[str, ...]
    limit_key: str
    auth: bool = True

    def endpoint_for(self, body: Any) -> str:
        """The row a request is for, told apart by its body where rows share a path."""
        if len(self.endpoints) > 1 and self.route.classify is not None and body is not None:
            name = self.route.classify(body)
            if name in self.endpoints:
                return name
        return self.endpoints[0]
