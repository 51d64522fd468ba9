"""The request pipeline every Agora route goes through, in one place.

In order: log the request -> org/app check (404 ``organization_application_not_found``)
-> route exists (404/405 in Agora shape) -> read the JSON body and tell which table
row it is for -> injected fault -> bearer token -> rate limit -> body refusal (415 for
a non-JSON Content-Type, 400 ``json_parse``) -> handler -> injected fault that acts on
the handler's answer (``after_handler``, ``truncate``). Any :class:`AgoraHTTPError` (or
aiohttp HTTP error) raised on the way becomes an Agora-shaped error response. Control
routes (``/__emulator/...``) skip all of it.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NoReturn

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

_MEDIA_EXCEPTION = "javax.ws.rs.NotSupportedException"
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
    body, body_error = await _read_body(request, bound.route)
    endpoint = entry.endpoint = bound.endpoint_for(body)
    fault = emulator.faults.take(endpoint) if emulator.faults else None
    if fault is not None and not fault.serves_first:
        answer = await _apply(fault, request, emulator)
        if answer is not None:
            return answer
    if bound.auth:
        emulator.auth.check(request.headers.get("Authorization"), registering=endpoint in _REGISTER)
    wait = emulator.limiter.take(bound.limit_key)
    if wait:
        raise AgoraHTTPError(429, "reach_limit", headers={"Retry-After": format_retry_after(wait)})
    if body_error is not None:
        raise body_error
    request[CALL_KEY] = Call(request, emulator, bound.template, endpoint, body, started)
    if fault is not None and fault.serves_first:
        return await _apply_after(fault, request, emulator, await handler(request))
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


async def _read_body(request: web.Request, route: Route) -> tuple[Any, AgoraHTTPError | None]:
    """The parsed JSON body (``None`` if empty) and the refusal it earns, if any.

    The refusal is raised only after the token check, as Agora does.
    """
    if route.body != "json" or not request.body_exists:
        return None, None
    raw = await request.read()
    if not raw.strip():
        return None, None
    if "Content-Type" in request.headers and not _is_json(request.content_type):
        return None, AgoraHTTPError(
            415, "web_application", "Unsupported Media Type", exception=_MEDIA_EXCEPTION
        )
    return decode_json(raw)


def decode_json(raw: bytes) -> tuple[Any, AgoraHTTPError | None]:
    """``raw`` parsed, or the 400 ``json_parse`` it earns (also for absurd nesting)."""
    try:
        return _decode(raw), None
    except msgspec.DecodeError as exc:
        reason = str(exc)
    except RecursionError:  # msgspec raises it for deeply nested arrays/objects
        reason = "nesting too deep"
    return None, AgoraHTTPError(400, "json_parse", f"Unexpected character: {reason}")


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


async def _apply(fault: Fault, request: web.Request, emulator: Emulator) -> web.Response | None:
    """Apply a fault before the handler: an answer to send instead, or ``None`` to go on."""
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.drop:
        _reset(request)
    if fault.status is None:
        return None
    response = _fault_response(fault, emulator)
    if fault.truncate is not None:
        _send_truncated(request, response, fault.truncate)
    return response


async def _apply_after(
    fault: Fault, request: web.Request, emulator: Emulator, response: web.StreamResponse
) -> web.StreamResponse:
    """Apply a fault to the answer of a request the handler has served."""
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.drop:
        _reset(request)
    if fault.status is not None:
        response = _fault_response(fault, emulator)
    if fault.truncate is not None and isinstance(response, web.Response):
        _send_truncated(request, response, fault.truncate)
    return response


def _fault_response(fault: Fault, emulator: Emulator) -> web.Response:
    assert fault.status is not None
    headers = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = format_retry_after(fault.retry_after)
    error = AgoraHTTPError(fault.status, fault.error, fault.description, headers=headers)
    if fault.body == "agora":
        return error.response(emulator.state.now_ms())
    if fault.body == "empty":
        return web.Response(status=fault.status, headers=headers)
    title = f"{fault.status} {HTTPStatus(fault.status).phrase}"
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>\n"
    return web.Response(status=fault.status, text=page, content_type="text/html", headers=headers)


def _reset(request: web.Request) -> NoReturn:
    """Abort the connection with a TCP RST, sending nothing more."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:  # linger 0: close() sends RST instead of FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    # aiohttp treats a cancelled handler as a client that went away: no answer.
    raise asyncio.CancelledError


def _send_truncated(request: web.Request, response: web.Response, keep: int) -> NoReturn:
    """Write ``response`` by hand with its full Content-Length but ``keep`` body bytes, close."""
    body = response.body if isinstance(response.body, bytes) else b""
    lines = [f"HTTP/1.1 {response.status} {response.reason}"]
    lines += [f"{k}: {v}" for k, v in response.headers.items() if k.lower() != "content-length"]
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    transport = request.transport
    if transport is not None:
        transport.write("\r\n".join(lines).encode("latin-1") + body[:keep])
        transport.close()  # sends what is buffered, then FIN
    raise asyncio.CancelledError


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
