"""Receiving callbacks over HTTP: one framework-free core, and its aiohttp and ASGI faces.

The core answers at once. Post-delivery callbacks get 200 as soon as they are verified
and queued, and their handler runs in the background under a concurrency limit: Agora
waits for the answer, times out and retries, so the answer must never wait for a slow
handler. Pre-delivery callbacks are answered from the handler's verdict within a deadline
below Agora's default 200 ms timeout, else with a fallback verdict.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from typing import TYPE_CHECKING, Any, NamedTuple

import anyio
from aiohttp import web

from agora_chat_async.callbacks._errors import CallbackError, PreDeliveryReplyError
from agora_chat_async.callbacks._events import (
    CallbackEvent,
    PreDeliveryRequest,
    decode_event,
    read_head,
)
from agora_chat_async.callbacks._reply import PreDeliveryReply
from agora_chat_async.callbacks._verify import CallbackVerifier, replay_fields

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping

    EventHandler = Callable[[CallbackEvent], Awaitable[None]]
    PreDeliveryHandler = Callable[[PreDeliveryRequest], Awaitable[PreDeliveryReply | None]]
    Scope = MutableMapping[str, Any]
    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]

__all__ = ["CallbackReceiver", "ReceiverResponse", "fastapi_dependency"]

logger = logging.getLogger("agora_chat_async.callbacks")

#: Agora's default pre-delivery timeout is 200 ms, network included.
DEFAULT_PRE_DELIVERY_DEADLINE = 0.15
#: Callback bodies are small (a message is at most 5 KB); refuse anything far larger.
DEFAULT_MAX_BODY_SIZE = 1 << 20


class ReceiverResponse(NamedTuple):
    status: int
    body: bytes
    content_type: str = "application/json"


_OK = ReceiverResponse(200, b"")
_BUSY = ReceiverResponse(503, b'{"error":"busy"}')
_CLOSED = ReceiverResponse(503, b'{"error":"shutting_down"}')
_TOO_LARGE = ReceiverResponse(413, b'{"error":"body_too_large"}')


def _too_large(size: int | None, limit: int) -> ReceiverResponse:
    logger.warning("refused callback: 413 body over %d bytes (%s)", limit, size or "streamed")
    return _TOO_LARGE


def _refusal(exc: CallbackError) -> ReceiverResponse:
    logger.warning("refused callback: %d %s: %s", exc.status, exc.reason, exc)
    return ReceiverResponse(exc.status, b'{"error":"%s"}' % exc.reason.encode())


class CallbackReceiver:
    """Verifies, decodes and dispatches callback requests; serve it with
    :meth:`aiohttp_app`, :meth:`aiohttp_handler`, or as the ASGI app it is.

    Answers: 200 (post-delivery: queued; pre-delivery: the verdict as JSON), 400 body
    not a JSON object with callId and timestamp, 401 signature missing or wrong or
    timestamp stale, 403 callId already acknowledged, 413 body over ``max_body_size``,
    503 too many handlers pending (Agora retries once) or shutting down. A verified body
    of an unknown kind gets 200 and reaches ``on_event`` as a :class:`GenericEvent`.

    Args:
        verifier: Checks signatures, timestamps and replays.
        on_event: Runs for each post-delivery callback, in the background.
        on_pre_delivery: Returns the verdict for a pre-delivery callback (``None``:
            deliver). Without it every message passes.
        max_concurrency: Most ``on_event`` calls running at once.
        max_pending: Most callbacks accepted but not finished (running or waiting);
            beyond it new ones get 503 instead of growing memory without bound.
        pre_delivery_deadline: Seconds ``on_pre_delivery`` has before the fallback.
        pre_delivery_fallback: Verdict when the handler is late, fails or returns
            something else than a reply (default: pass, like Agora's default fallback).
        max_body_size: Largest accepted request body in bytes.
        shutdown_timeout: Seconds running handlers get at shutdown before they are
            cancelled (:meth:`aclose`'s default).
    """

    def __init__(
        self,
        verifier: CallbackVerifier,
        *,
        on_event: EventHandler | None = None,
        on_pre_delivery: PreDeliveryHandler | None = None,
        max_concurrency: int = 32,
        max_pending: int = 1000,
        pre_delivery_deadline: float = DEFAULT_PRE_DELIVERY_DEADLINE,
        pre_delivery_fallback: PreDeliveryReply | None = None,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        shutdown_timeout: float = 5.0,
    ) -> None:
        if max_concurrency < 1 or max_pending < max_concurrency:
            raise ValueError("need max_concurrency >= 1 and max_pending >= max_concurrency")
        if pre_delivery_deadline <= 0:
            raise ValueError(f"pre_delivery_deadline must be > 0, got {pre_delivery_deadline}")
        self.verifier = verifier
        self.on_event = on_event
        self.on_pre_delivery = on_pre_delivery
        self.max_pending = max_pending
        self.pre_delivery_deadline = pre_delivery_deadline
        self.pre_delivery_fallback = pre_delivery_fallback or PreDeliveryReply.allow()
        self.max_body_size = max_body_size
        self.shutdown_timeout = shutdown_timeout
        self._limiter = anyio.CapacityLimiter(max_concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def pending(self) -> int:
        """Post-delivery callbacks accepted and not finished."""
        return len(self._tasks)

    # -- the core ----------------------------------------------------------------------

    async def handle(self, body: bytes) -> ReceiverResponse:
        """Answer one callback request body. Never raises (but cancellation)."""
        if self._closed:
            return _CLOSED
        if len(body) > self.max_body_size:
            return _too_large(len(body), self.max_body_size)
        try:
            head = read_head(body)
            self.verifier.check(head)
            event = decode_event(body, head)
            if isinstance(event, PreDeliveryRequest):
                await self.verifier.claim(*replay_fields(event))
                reply = await self._verdict(event)
                return ReceiverResponse(200, reply.body)
            if len(self._tasks) >= self.max_pending:
                logger.warning("refused callback: 503 busy (callId %r)", event.call_id)
                return _BUSY
            await self.verifier.claim(*replay_fields(event))
        except CallbackError as exc:
            return _refusal(exc)
        except Exception:  # a replay guard's store failing, say: Agora will retry
            logger.exception("callback receiver failed")
            return ReceiverResponse(500, b'{"error":"internal"}')
        if self.on_event is not None:
            task = asyncio.get_running_loop().create_task(self._run(event))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return _OK

    async def _run(self, event: CallbackEvent) -> None:
        assert self.on_event is not None
        try:
            async with self._limiter:
                await self.on_event(event)
        except Exception:
            logger.exception("callback handler failed (callId %r)", event.call_id)

    async def _verdict(self, request: PreDeliveryRequest) -> PreDeliveryReply:
        if self.on_pre_delivery is None:
            return PreDeliveryReply.allow()
        reply: object = self.pre_delivery_fallback
        try:
            with anyio.move_on_after(self.pre_delivery_deadline) as scope:
                reply = await self.on_pre_delivery(request)
        except PreDeliveryReplyError as exc:
            logger.error("pre-delivery reply refused (callId %r): %s", request.call_id, exc)
            return self.pre_delivery_fallback
        except Exception:
            logger.exception("pre-delivery handler failed (callId %r)", request.call_id)
            return self.pre_delivery_fallback
        if scope.cancelled_caught:
            logger.warning(
                "pre-delivery handler took over %.0f ms (callId %r): answering the fallback",
                self.pre_delivery_deadline * 1000,
                request.call_id,
            )
            return self.pre_delivery_fallback
        if reply is None:
            return PreDeliveryReply.allow()
        if not isinstance(reply, PreDeliveryReply):
            logger.error(
                "pre-delivery handler returned %s, not a PreDeliveryReply (callId %r)",
                type(reply).__name__,
                request.call_id,
            )
            return self.pre_delivery_fallback
        return reply

    async def aclose(self, timeout: float | None = None) -> None:
        """Stop accepting (503), let running handlers finish for ``timeout`` seconds
        (default: ``shutdown_timeout``), then cancel the rest."""
        self._closed = True
        if timeout is None:
            timeout = self.shutdown_timeout
        tasks = set(self._tasks)
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=timeout)
        for task in late:
            task.cancel()
        if late:
            logger.warning("cancelled %d callback handlers still running at shutdown", len(late))
            await asyncio.wait(late)

    async def drain(self) -> None:
        """Wait until every accepted callback's handler has finished (tests, jobs)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    # -- aiohttp -----------------------------------------------------------------------

    async def aiohttp_handler(self, request: web.Request) -> web.Response:
        """An aiohttp route handler: ``app.router.add_post("/agora", receiver.aiohttp_handler)``
        (call :meth:`aclose` on shutdown, or use :meth:`aiohttp_app`)."""
        if request.content_length is not None and request.content_length > self.max_body_size:
            return _web_response(_too_large(request.content_length, self.max_body_size))
        try:
            body = await request.read()  # bounded by the app's client_max_size too
        except web.HTTPRequestEntityTooLarge:
            return _web_response(_too_large(None, self.max_body_size))
        return _web_response(await self.handle(body))

    def aiohttp_app(self, path: str = "/") -> web.Application:
        """An aiohttp application that serves callbacks on ``POST path`` and drains
        the handlers when it shuts down."""
        app = web.Application(client_max_size=self.max_body_size)
        app.router.add_post(path, self.aiohttp_handler)

        async def close(_app: web.Application) -> None:
            await self.aclose()

        app.on_shutdown.append(close)
        return app

    # -- ASGI --------------------------------------------------------------------------

    def asgi_app(self) -> CallbackReceiver:
        """The receiver itself, a plain ASGI 3 application (see :meth:`__call__`).

        Being an object and not a function, Starlette and FastAPI take it as ASGI both in
        ``app.mount("/agora", ...)`` and in ``app.add_route("/agora/callbacks", ...)``.
        """
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI: ``POST`` on whatever path it is routed at; lifespan shutdown drains the
        handlers (a mounted or routed app gets no lifespan: call :meth:`aclose` from the
        main app's)."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await self.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        if scope.get("method") != "POST":
            await _asgi_send(send, ReceiverResponse(405, b'{"error":"method_not_allowed"}'))
            return
        chunks = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_size:
                await _asgi_send(send, _too_large(None, self.max_body_size))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await _asgi_send(send, await self.handle(b"".join(chunks)))


def _web_response(response: ReceiverResponse) -> web.Response:
    return web.Response(
        status=response.status, body=response.body, content_type=response.content_type
    )


async def _asgi_send(send: Send, response: ReceiverResponse) -> None:
    headers = [
        (b"content-type", response.content_type.encode()),
        (b"content-length", str(len(response.body)).encode()),
    ]
    if response.status == 405:
        headers.append((b"allow", b"POST"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def fastapi_dependency(verifier: CallbackVerifier) -> Callable[..., AsyncIterator[CallbackEvent]]:
    """A FastAPI dependency that verifies the raw request body and yields its event.

    ``async def route(event: CallbackEvent = Depends(fastapi_dependency(verifier)))``.
    Refusals become ``HTTPException`` with the receivers' statuses. The callId is
    acknowledged for the replay guard, and released again if the route raises. FastAPI
    is imported here only, when this is called.
    """
    fastapi = importlib.import_module("fastapi")  # optional: only FastAPI users get here
    http_exception, request_class = fastapi.HTTPException, fastapi.Request

    async def callback_event(request: Any) -> AsyncIterator[CallbackEvent]:
        try:
            event = await verifier.verify(await request.body())
        except CallbackError as exc:
            _refusal(exc)
            raise http_exception(status_code=exc.status, detail=exc.reason) from None
        try:
            yield event
        except GeneratorExit:  # closed without an error: nothing to undo
            raise
        except BaseException:  # the route failed or was cancelled: no 2xx went out
            await verifier.release(*replay_fields(event))
            raise

    # FastAPI injects the request by its annotation, which must be the real class.
    callback_event.__annotations__["request"] = request_class
    return callback_event
