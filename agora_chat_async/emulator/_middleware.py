"""The request pipeline every Agora route goes through, in one place.

In order: log the request -> org/app check (404 ``organization_application_not_found``)
-> route exists (404/405 in Agora shape) -> read the JSON body and tell which table
row it is for -> injected fault -> bearer token -> rate limit -> JSON parse error ->
handler. Any :class:`AgoraHTTPError` (or aiohttp HTTP error) raised on the way becomes
an Agora-shaped error response. Control routes (``/__emulator/...``) skip all of it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

import msgspec
from aiohttp import web

from ._call import Call
from ._errors import AgoraHTTPError
from ._ratelimit import format_retry_after
from ._runtime import EMULATOR_KEY

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from ._faults import Fault
    from ._registry import Route
    from ._runtime import Emulator, LoggedRequest

__all__ = ["CALL_KEY", "CONTROL_PREFIX", "agora_middleware", "aiohttp_handler"]

log = logging.getLogger("agora_chat_async.emulator")

CONTROL_PREFIX = "/__emulator/"
# aiohttp 3.14 warns about string keys on a request; RequestKey is new in 3.14.
CALL_KEY: Any = web.RequestKey("agora_call", Call) if hasattr(web, "RequestKey") else "agora_call"

_REGISTER = frozenset({"users.register", "users.register_many"})
_encode = msgspec.json.encode
_decode = msgspec.json.decode


@web.middleware
async def agora_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(CONTROL_PREFIX):
        return await handler(request)
    emulator = request.app[EMULATOR_KEY]
    started = time.monotonic()
    entry = emulator.log.record(request)
    try:
        response = await _serve(request, handler, emulator, entry, started)
    except AgoraHTTPError as exc:
        response = exc.response(emulator.state.now_ms(), _ms_since(started))
    except web.HTTPException as exc:  # e.g. a body over client_max_size
        response = _from_http_exception(exc, request).response(emulator.state.now_ms())
    except Exception:
        log.exception("emulator handler failed on %s %s", request.method, request.path)
        response = AgoraHTTPError(500).response(emulator.state.now_ms())
    entry.status = response.status
    return response


async def _serve(
    request: web.Request,
    handler: Handler,
    emulator: Emulator,
    entry: LoggedRequest,
    started: float,
) -> web.StreamResponse:
    _check_app(request, emulator)
    match = request.match_info
    if match.http_exception is not None:
        raise _from_http_exception(match.http_exception, request)
    bound = emulator.routes.get(match.route)
    if bound is None:  # pragma: no cover - every mounted route is bound
        return await handler(request)
    body, parse_error = await _read_body(request, bound.route)
    endpoint = entry.endpoint = bound.endpoint_for(body)
    if emulator.faults:
        fault = emulator.faults.take(endpoint)
        if fault is not None:
            await _apply(fault, request)
    if bound.auth:
        emulator.auth.check(request.headers.get("Authorization"), registering=endpoint in _REGISTER)
    wait = emulator.limiter.take(bound.limit_key)
    if wait:
        raise AgoraHTTPError(429, "reach_limit", headers={"Retry-After": format_retry_after(wait)})
    if parse_error is not None:
        raise AgoraHTTPError(400, "json_parse", f"Unexpected character: {parse_error}")
    request[CALL_KEY] = Call(request, emulator, bound.template, endpoint, body, started)
    return await handler(request)


def aiohttp_handler(route: Route) -> Handler:
    """The aiohttp handler mounted for ``route``: runs it on the prepared :class:`Call`."""

    async def serve(request: web.Request) -> web.StreamResponse:
        result = await route.func(request[CALL_KEY])
        if isinstance(result, web.StreamResponse):
            return result
        return web.Response(body=_encode(result), content_type="application/json")

    serve.__name__ = serve.__qualname__ = route.func.__name__
    return serve


def _check_app(request: web.Request, emulator: Emulator) -> None:
    _, org, app, rest = [*request.path.split("/", 3), "", "", ""][:4]
    if org != emulator.org_name or app != emulator.app_name:
        raise AgoraHTTPError(
            404,
            "organization_application_not_found",
            f"Could not find application for {org}/{app} from URI: {org}/{app}/{rest}",
        )


async def _read_body(request: web.Request, route: Route) -> tuple[Any, str | None]:
    """The parsed JSON body (``None`` if empty) and the parse error, if any."""
    if route.body != "json" or not request.body_exists:
        return None, None
    raw = await request.read()
    if not raw.strip():
        return None, None
    try:
        return _decode(raw), None
    except msgspec.DecodeError as exc:
        return None, str(exc)


async def _apply(fault: Fault, request: web.Request) -> None:
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.drop:
        transport = request.transport
        if transport is not None:
            transport.close()
        # aiohttp treats a cancelled handler as a client that went away: no answer.
        raise asyncio.CancelledError
    if fault.status is not None:
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = format_retry_after(fault.retry_after)
        raise AgoraHTTPError(fault.status, fault.error, fault.description, headers=headers)


def _from_http_exception(exc: web.HTTPException, request: web.Request) -> AgoraHTTPError:
    where = f"{request.method} {request.path}"
    if exc.status == 404:
        return AgoraHTTPError(
            404,
            "web_application",
            f"HTTP 404 Not Found: no resource for {where}",
            exception="javax.ws.rs.NotFoundException",
        )
    if exc.status == 405:
        allowed = exc.headers.get("Allow", "")
        return AgoraHTTPError(
            405,
            "web_application",
            f"HTTP 405 Method Not Allowed: {where} (allowed: {allowed})",
            exception="javax.ws.rs.NotAllowedException",
            headers={"Allow": allowed},
        )
    return AgoraHTTPError(exc.status, description=exc.reason)


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
