"""``Bot``: handlers registered by event kind, run for verified callbacks with the client."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from agora_chat_async.callbacks._events import CallbackEvent, MessageEvent, PreDeliveryRequest
from agora_chat_async.callbacks._receiver import (
    DEFAULT_PRE_DELIVERY_DEADLINE,
    CallbackReceiver,
    fastapi_dependency,
)
from agora_chat_async.callbacks._verify import DEFAULT_TOLERANCE, CallbackVerifier

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from agora_chat_async import AgoraChatClient
    from agora_chat_async.callbacks._reply import PreDeliveryReply

    Matcher = Callable[[CallbackEvent], bool]

__all__ = ["Bot"]

logger = logging.getLogger("agora_chat_async.callbacks")

H = TypeVar("H", bound="Callable[..., Awaitable[Any]]")


class Bot:
    """Dispatches verified callbacks to handlers, each called as ``await handler(event,
    client)`` with the :class:`AgoraChatClient` to answer through.

    ```python
    bot = Bot(client, secret=os.environ["AGORA_CALLBACK_SECRET"], username="echo_bot")

    @bot.on_message(type="txt")
    async def echo(event: MessageEvent, client: AgoraChatClient) -> None:
        target, to = event.reply_target()
        await client.messages.send(target, from_="echo_bot", to=to, type="txt",
                                   body={"msg": event.text})
    ```

    Events are handled concurrently (at most ``max_concurrency`` at once); the handlers
    matching one event run one after another, in the order they were registered. An
    exception in a handler is logged with the callId and does not stop the others.

    Args:
        client: The client handed to every handler (not closed by the bot, except by
            :meth:`run`).
        secret: The callback rule's secret; or give ``verifier``.
        verifier: A configured :class:`CallbackVerifier` (shared replay guard ...).
        username: The bot's own username: messages from it are not dispatched, so that
            the callbacks of its own replies cannot loop.
        tolerance: Timestamp tolerance for the verifier built from ``secret``.
        max_concurrency, max_pending, pre_delivery_deadline, pre_delivery_fallback:
            See :class:`CallbackReceiver`.
    """

    def __init__(
        self,
        client: AgoraChatClient,
        *,
        secret: str | None = None,
        verifier: CallbackVerifier | None = None,
        username: str | None = None,
        tolerance: float | None = DEFAULT_TOLERANCE,
        max_concurrency: int = 32,
        max_pending: int = 1000,
        pre_delivery_deadline: float = DEFAULT_PRE_DELIVERY_DEADLINE,
        pre_delivery_fallback: PreDeliveryReply | None = None,
    ) -> None:
        if (secret is None) == (verifier is None):
            raise ValueError("give either secret or verifier")
        self.client = client
        self.username = username
        self.verifier = verifier or CallbackVerifier(secret or "", tolerance=tolerance)
        self._handlers: list[tuple[Matcher, Callable[..., Awaitable[Any]]]] = []
        self._pre_delivery: Callable[..., Awaitable[PreDeliveryReply | None]] | None = None
        self.receiver = CallbackReceiver(
            self.verifier,
            on_event=self.dispatch,
            on_pre_delivery=self._verdict,
            max_concurrency=max_concurrency,
            max_pending=max_pending,
            pre_delivery_deadline=pre_delivery_deadline,
            pre_delivery_fallback=pre_delivery_fallback,
        )

    # -- registering -------------------------------------------------------------------

    def add_handler(self, matcher: Matcher, handler: Callable[..., Awaitable[Any]]) -> None:
        """Run ``handler`` for the events ``matcher`` accepts (what the decorators use)."""
        self._handlers.append((matcher, handler))

    def on_event(self, *kinds: str | type[CallbackEvent]) -> Callable[[H], H]:
        """Register a handler for events of these kinds (all events when none given).

        Kinds are event classes or their ``kind`` names: message, recall, group,
        contact, read_ack, conversation_ack, reaction, thread, edit, moderation,
        user_status, offline_push, unknown (a :class:`GenericEvent`).
        """
        names = {k if isinstance(k, str) else k.kind for k in kinds}

        def matcher(event: CallbackEvent) -> bool:
            return not names or event.kind in names

        def register(handler: H) -> H:
            self.add_handler(matcher, handler)
            return handler

        return register

    def on_message(
        self,
        *,
        chat_type: str | None = None,
        type: str | None = None,
        offline: bool | None = None,
        direct: bool = False,
    ) -> Callable[[H], H]:
        """Register a handler for message callbacks.

        Args:
            chat_type: ``chat`` (one-to-one) or ``groupchat`` (groups and rooms); any if
                ``None``.
            type: Body type: txt, img, audio, video, file, loc, cmd, custom.
            offline: ``False``: only ``eventType == "chat"`` callbacks (sent for every
                message); ``True``: only ``chat_offline`` ones; ``None``: both (a rule
                that selects both sends two callbacks for a message to an offline user).
            direct: Only one-to-one messages sent to the bot's ``username`` (a rule
                without From/To filters sends every message of the app).
        """
        if direct and self.username is None:
            raise ValueError("direct=True needs the Bot's username")
        me = (self.username or "").casefold()

        def matcher(event: CallbackEvent) -> bool:
            return (
                isinstance(event, MessageEvent)
                and (chat_type is None or event.chat_type == chat_type)
                and (type is None or event.type == type)
                and (offline is None or event.offline == offline)
                and (
                    not direct or (event.chat_type == "chat" and (event.to or "").casefold() == me)
                )
            )

        def register(handler: H) -> H:
            self.add_handler(matcher, handler)
            return handler

        return register

    def pre_delivery(self, handler: H) -> H:
        """Register THE pre-delivery handler: ``await handler(request, client)`` returns
        a :class:`PreDeliveryReply` (or ``None`` to deliver), within the deadline."""
        if self._pre_delivery is not None:
            raise ValueError("a pre-delivery handler is already registered")
        self._pre_delivery = handler
        return handler

    # -- running -----------------------------------------------------------------------

    def _is_own(self, event: CallbackEvent) -> bool:
        return (
            self.username is not None
            and isinstance(event, MessageEvent)
            and (event.from_ or "").casefold() == self.username.casefold()
        )

    async def dispatch(self, event: CallbackEvent) -> None:
        """Run the handlers that match ``event`` (the receivers call this)."""
        if self._is_own(event):
            return
        for matcher, handler in self._handlers:
            if not matcher(event):
                continue
            try:
                await handler(event, self.client)
            except Exception:
                logger.exception(
                    "callback handler %s failed (callId %r)",
                    getattr(handler, "__qualname__", handler),
                    event.call_id,
                )

    async def _verdict(self, request: PreDeliveryRequest) -> PreDeliveryReply | None:
        if self._pre_delivery is None:
            return None
        return await self._pre_delivery(request, self.client)

    def aiohttp_app(self, path: str = "/") -> web.Application:
        """An aiohttp app serving the callbacks on ``POST path``."""
        return self.receiver.aiohttp_app(path)

    def asgi_app(self) -> CallbackReceiver:
        """A plain ASGI app: ``app.add_route("/agora/callbacks", bot.asgi_app())`` in
        FastAPI/Starlette (or ``app.mount``)."""
        return self.receiver

    def fastapi_dependency(self) -> Callable[..., AsyncIterator[CallbackEvent]]:
        """A FastAPI dependency yielding verified events (see :func:`fastapi_dependency`);
        pass the event to :meth:`dispatch` yourself."""
        return fastapi_dependency(self.verifier)

    async def aclose(self, timeout: float | None = None) -> None:
        """Stop accepting callbacks and drain the running handlers (see
        :meth:`CallbackReceiver.aclose`)."""
        await self.receiver.aclose(timeout)

    def run(self, host: str = "127.0.0.1", port: int = 8080, path: str = "/") -> None:
        """Serve until interrupted (SIGINT/SIGTERM), then drain and close the client."""
        app = self.aiohttp_app(path)

        async def close_client(_app: web.Application) -> None:
            await self.client.aclose()

        app.on_cleanup.append(close_client)
        web.run_app(app, host=host, port=port, print=None, access_log=None)
