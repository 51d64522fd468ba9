"""Test hooks under ``/__emulator/`` (no token needed; Agora org names cannot start
with ``__``, so these never collide with API paths).

==========  ===========================  =============================================
method      path                         does
==========  ===========================  =============================================
GET         /__emulator/state            app names, user/online counts, faults, rates
POST        /__emulator/reset            clear data, faults, request log; refill buckets
GET         /__emulator/faults           pending faults with remaining counts
POST        /__emulator/faults           add a fault (JSON object of :class:`Fault` fields:
                                         status, times, endpoint, delay, drop, error,
                                         description, retry_after, body ("agora",
                                         "html", "empty"), after_handler, truncate)
DELETE      /__emulator/faults           clear faults
GET         /__emulator/requests         the request log (method, path, query, endpoint,
                                         status; never headers or bodies)
DELETE      /__emulator/requests         clear the log
POST        /__emulator/online           ``{"usernames": [...], "online": true, "resource"?: ...}``
GET         /__emulator/rate_limits      current rates by limit key (``null``: off)
PUT         /__emulator/rate_limits      ``{"enabled": bool, "rates": {name: per_s},
                                         "scale": float}``
GET         /__emulator/history/{time}   a chat-history file (signed links that
                                         ``GET /chatmessages/{time}`` gives out)
==========  ===========================  =============================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec
from aiohttp import web

from ._errors import AgoraHTTPError, illegal_argument
from ._faults import Fault
from ._handlers.message_admin import history_download
from ._middleware import decode_json
from ._ratelimit import resolve_rates
from ._runtime import EMULATOR_KEY, Emulator

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

__all__ = ["add_control_routes"]

PREFIX = "/__emulator"


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status, body=msgspec.json.encode(data), content_type="application/json"
    )


async def _body(request: web.Request) -> Any:
    raw = await request.read()
    if not raw.strip():
        return {}
    body, error = decode_json(raw)
    if error is not None:
        raise error
    return body


def _emulator(request: web.Request) -> Emulator:
    return request.app[EMULATOR_KEY]


def _faults(emulator: Emulator) -> list[dict[str, Any]]:
    return [
        {**fault.to_dict(), "remaining": remaining}
        for fault, remaining in emulator.faults.pending()
    ]


async def _state(request: web.Request) -> web.Response:
    emulator = _emulator(request)
    return _json(
        {
            "organization": emulator.org_name,
            "application_name": emulator.app_name,
            "application": emulator.state.app_uuid,
            "app_id": emulator.auth.app_id,
            "users": len(emulator.state),
            "online": len(emulator.state.online),
            "faults": _faults(emulator),
            "rate_limits": emulator.limiter.rates,
        }
    )


async def _reset(request: web.Request) -> web.Response:
    _emulator(request).reset()
    return _json({"reset": True})


async def _get_faults(request: web.Request) -> web.Response:
    return _json({"faults": _faults(_emulator(request))})


async def _add_fault(request: web.Request) -> web.Response:
    try:
        fault = msgspec.convert(await _body(request), Fault)
    except (msgspec.ValidationError, ValueError, TypeError) as exc:
        raise illegal_argument(f"invalid fault: {exc}") from None
    emulator = _emulator(request)
    emulator.faults.add(fault)
    return _json({"faults": _faults(emulator)})


async def _clear_faults(request: web.Request) -> web.Response:
    _emulator(request).faults.clear()
    return _json({"faults": []})


async def _requests(request: web.Request) -> web.Response:
    return _json({"requests": [e.to_dict() for e in _emulator(request).log.entries()]})


async def _clear_requests(request: web.Request) -> web.Response:
    _emulator(request).log.clear()
    return _json({"requests": []})


async def _online(request: web.Request) -> web.Response:
    body = await _body(request)
    usernames = body.get("usernames") if isinstance(body, dict) else None
    online = body.get("online", True) if isinstance(body, dict) else True
    if not isinstance(usernames, list) or not all(isinstance(u, str) for u in usernames):
        raise illegal_argument("usernames must be a list of usernames")
    if not isinstance(online, bool):
        raise illegal_argument("online must be true or false")
    resource = body.get("resource") if isinstance(body, dict) else None
    if resource is not None and (not isinstance(resource, str) or not resource):
        raise illegal_argument("resource must be a device resource name")
    try:
        _emulator(request).state.set_online(usernames, online, resource=resource)
    except KeyError as exc:
        raise AgoraHTTPError(404, "service_resource_not_found", str(exc.args[0])) from None
    return _json({"online": sorted(_emulator(request).state.online)})


async def _history(request: web.Request) -> web.Response:
    """A chat-history file that ``GET /chatmessages/{time}`` links to."""
    query = request.query
    data = history_download(
        _emulator(request).state,
        request.match_info["time"],
        query.get("Expires", ""),
        query.get("Signature", ""),
    )
    return web.Response(body=data, content_type="application/gzip")


async def _get_rates(request: web.Request) -> web.Response:
    return _json({"rate_limits": _emulator(request).limiter.rates})


async def _put_rates(request: web.Request) -> web.Response:
    body = await _body(request)
    if not isinstance(body, dict):
        raise illegal_argument("expected a JSON object")
    enabled, rates, scale = body.get("enabled", True), body.get("rates") or {}, body.get("scale", 1)
    if not isinstance(enabled, bool) or not isinstance(rates, dict):
        raise illegal_argument("enabled must be a boolean and rates an object")
    emulator = _emulator(request)
    try:
        emulator.limiter.configure(resolve_rates(rates, float(scale)) if enabled else None)
    except (ValueError, TypeError) as exc:
        raise illegal_argument(str(exc)) from None
    return _json({"rate_limits": emulator.limiter.rates})


def add_control_routes(app: web.Application) -> None:
    """Mount the ``/__emulator/...`` routes on ``app``."""
    routes = (
        ("GET", "/state", _state),
        ("POST", "/reset", _reset),
        ("GET", "/faults", _get_faults),
        ("POST", "/faults", _add_fault),
        ("DELETE", "/faults", _clear_faults),
        ("GET", "/requests", _requests),
        ("DELETE", "/requests", _clear_requests),
        ("POST", "/online", _online),
        ("GET", "/rate_limits", _get_rates),
        ("PUT", "/rate_limits", _put_rates),
        ("GET", "/history/{time}", _history),
    )
    for method, path, func in routes:
        app.router.add_route(method, PREFIX + path, _wrap(func))


def _wrap(func: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await func(request)
        except AgoraHTTPError as exc:
            return exc.response(_emulator(request).state.now_ms())

    return guarded
