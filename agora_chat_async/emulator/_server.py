"""``EmulatorServer``: the emulator listening on a real loopback socket.

async with EmulatorServer() as server:            # port 0: a free port
    async with server.client() as client:          # an AgoraChatClient wired to it
        await client.users.register("alice")
"""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._app import create_app
from ._callback_routes import messages_for
from ._callbacks import _UNSET, DELIVERY_TIMEOUT, PRE_DELIVERY_TIMEOUT, Fallback
from ._faults import Fault
from ._ratelimit import RateSpec, resolve_rates
from ._runtime import EMULATOR_KEY, Emulator, LoggedRequest

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .._client import AgoraChatClient
    from ._state import Clock, EmulatorState

__all__ = ["EmulatorServer"]

_TOKEN_SOURCES = ("token", "client_id", "client_secret", "token_provider")


class EmulatorServer:
    """Serves one emulated app over HTTP on ``host:port`` (loopback, a free port).

    Args:
        app_id: App ID the app tokens must carry; random 32 hex characters if omitted.
        app_certificate: The certificate tokens are signed with; random if omitted.
        org_name: Org name of the emulated app.
        app_name: App name.
        host: Interface to bind (keep the loopback default unless you mean it).
        port: Port; 0 picks a free one (read it back from :attr:`port`).
        client_id: Accepted ``client_credentials`` id for ``POST /token``.
        client_secret: Its secret.
        rate_limits: See :func:`create_app`: ``True``, a mapping of rates, or ``False``.
        rate_scale: Factor applied to every rate.
        faults: Faults pending from the start.
        max_users: Plan quota for registrations (429 ``resource_limited`` beyond it).
        clock: Unix time in seconds for timestamps and token expiry.
        request_log_size: Requests kept in :attr:`requests`.
        callback_url: Where the post-delivery callbacks go (messages, recalls,
            membership changes); ``None``: none are sent.
        callback_secret: The secret they are signed with (``None``: the empty string).
            Never printed nor answered by the control routes.
        callback_timeout: Seconds one delivery attempt may take (5).
        pre_delivery_url: Asked about each message ``/__emulator/user_messages`` sends
            before it is stored; ``None``: not asked.
        pre_delivery_timeout: Seconds to wait for its answer (0.2, Agora's default).
        pre_delivery_fallback: What a late, failed or malformed answer means: ``"pass"``
            (Agora's default) or ``"reject"``.
    """

    def __init__(
        self,
        app_id: str | None = None,
        app_certificate: str | None = None,
        org_name: str = "demo",
        app_name: str = "demo",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        rate_limits: RateSpec = False,
        rate_scale: float = 1.0,
        faults: Iterable[Fault] = (),
        max_users: int | None = None,
        clock: Clock | None = None,
        request_log_size: int = 1000,
        callback_url: str | None = None,
        callback_secret: str | None = None,
        callback_timeout: float = DELIVERY_TIMEOUT,
        pre_delivery_url: str | None = None,
        pre_delivery_timeout: float = PRE_DELIVERY_TIMEOUT,
        pre_delivery_fallback: Fallback = "pass",
    ) -> None:
        self.app_id = app_id or secrets.token_hex(16)
        self.app_certificate = app_certificate or secrets.token_hex(16)
        self.org_name = org_name
        self.app_name = app_name
        self.host = host
        self.client_id = client_id
        self.client_secret = client_secret
        self.app = create_app(
            org_name=org_name,
            app_name=app_name,
            app_id=self.app_id,
            app_certificate=self.app_certificate,
            client_id=client_id,
            client_secret=client_secret,
            rate_limits=rate_limits,
            rate_scale=rate_scale,
            faults=faults,
            max_users=max_users,
            clock=clock,
            request_log_size=request_log_size,
            callback_url=callback_url,
            callback_secret=callback_secret,
            callback_timeout=callback_timeout,
            pre_delivery_url=pre_delivery_url,
            pre_delivery_timeout=pre_delivery_timeout,
            pre_delivery_fallback=pre_delivery_fallback,
        )
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None

    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "not started"
        return f"EmulatorServer({self.org_name}#{self.app_name} at {where})"

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Bind and start serving (``async with`` does this for you).

        After :meth:`close`, starting again serves the same app (its data, tokens and
        faults) on the same port, like a server that restarted.
        """
        if self._runner is not None:
            raise RuntimeError("EmulatorServer is already started")
        runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await runner.setup()
        try:
            port = self._requested_port if self._port is None else self._port
            site = web.TCPSite(runner, self.host, port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        self.emulator.callbacks.host = self.base_url.partition("://")[2]

    async def close(self) -> None:
        """Stop serving and close every connection."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def restart(self, downtime: float = 0.0) -> None:
        """Close every connection, stay down ``downtime`` seconds, serve again on the
        same port with the same state."""
        await self.close()
        await asyncio.sleep(downtime)
        await self.start()

    async def __aenter__(self) -> EmulatorServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- where and how to reach it -----------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("EmulatorServer is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://host:port`` (pass it as the client's ``host``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def client(self, **kwargs: Any) -> AgoraChatClient:
        """An :class:`AgoraChatClient` for this app; close it yourself (``async with``).

        It authenticates with this server's app id and certificate unless ``kwargs``
        name another token source (``token``, ``client_id`` + ``client_secret``,
        ``token_provider``). Other keyword arguments go to the client.
        """
        from .._client import AgoraChatClient

        options: dict[str, Any] = {
            "host": self.base_url,
            "org_name": self.org_name,
            "app_name": self.app_name,
        }
        if not any(name in kwargs for name in _TOKEN_SOURCES):
            options.update(app_id=self.app_id, app_certificate=self.app_certificate)
        options.update(kwargs)
        return AgoraChatClient(**options)

    # -- test hooks --------------------------------------------------------------------

    @property
    def emulator(self) -> Emulator:
        return self.app[EMULATOR_KEY]

    @property
    def state(self) -> EmulatorState:
        """The app's data (users, online set ...), for direct inspection in tests."""
        return self.emulator.state

    def add_fault(self, fault: Fault | None = None, /, **fields: Any) -> Fault:
        """Add a fault: ``add_fault(Fault(...))`` or ``add_fault(status=503, times=2)``."""
        if fault is None:
            fault = Fault(**fields)
        elif fields:
            raise TypeError("pass a Fault or its fields, not both")
        return self.emulator.faults.add(fault)

    def clear_faults(self) -> None:
        self.emulator.faults.clear()

    def set_rate_limits(self, rate_limits: RateSpec = True, *, rate_scale: float = 1.0) -> None:
        """Switch rate limits on (documented rates, or these overrides) or off."""
        if rate_limits is False:
            self.emulator.limiter.configure(None)
            return
        overrides: Mapping[str, float] | None = None if rate_limits is True else rate_limits
        self.emulator.limiter.configure(resolve_rates(overrides, rate_scale))

    def reset(self) -> None:
        """Clear the data, the faults and the request log; refill the rate buckets."""
        self.emulator.reset()

    @property
    def requests(self) -> list[LoggedRequest]:
        """The requests received so far (bounded log, oldest first)."""
        return self.emulator.log.entries()

    def clear_requests(self) -> None:
        self.emulator.log.clear()

    # -- callbacks -----------------------------------------------------------------------

    def configure_callbacks(
        self,
        *,
        url: str | None = _UNSET,
        secret: str | None = _UNSET,
        timeout: float = _UNSET,
        pre_delivery_url: str | None = _UNSET,
        pre_delivery_timeout: float = _UNSET,
        pre_delivery_fallback: Fallback = _UNSET,
    ) -> None:
        """Change the callback settings named (see the constructor's ``callback_*`` and
        ``pre_delivery_*`` arguments); ``None`` switches a URL off or clears the secret.

        Raises:
            ValueError: A setting is invalid (nothing is changed then).
        """
        self.emulator.callbacks.configure(
            url=url,
            secret=secret,
            timeout=timeout,
            pre_delivery_url=pre_delivery_url,
            pre_delivery_timeout=pre_delivery_timeout,
            pre_delivery_fallback=pre_delivery_fallback,
        )

    async def flush_callbacks(self) -> None:
        """Wait until every callback queued so far is delivered or stored as failed."""
        await self.emulator.callbacks.flush()

    def messages_for(self, username: str) -> list[dict[str, Any]]:
        """The kept messages a user sent or received, oldest first: ``msg_id``,
        ``from``, ``to``, ``chat_type``, ``type``, ``body``, ``ext``, ``timestamp``."""
        return messages_for(self.state, username)
