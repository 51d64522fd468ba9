"""``create_app``: the aiohttp application of one emulated Agora Chat app.

Routes come from the endpoint table: every row of ``_spec.ENDPOINTS`` whose method and
path have a registered handler is mounted at ``/{org_name}/{app_name}`` + its path, and
at each of its legacy paths. Rows without a handler are not mounted (the router then
answers 404/405, in Agora's error shape). Literal path segments are mounted before
placeholders, so ``POST /users/batch/status`` never reaches ``/users/{username}``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from aiohttp import web

from .. import _spec
from . import _handlers as _handlers  # registers the handlers
from ._auth import Authenticator, token_endpoint
from ._callback_routes import add_callback_routes
from ._callbacks import DELIVERY_TIMEOUT, PRE_DELIVERY_TIMEOUT, Callbacks, Fallback
from ._control import add_control_routes
from ._faults import Fault, FaultSet
from ._middleware import agora_middleware, aiohttp_handler
from ._ratelimit import RateLimiter, RateSpec, resolve_rates
from ._registry import HANDLERS, BoundRoute, Route
from ._runtime import EMULATOR_KEY, STATE_KEY, Emulator, RequestLog
from ._state import Clock, EmulatorState

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["create_app", "mounted_routes"]

_HEX32 = re.compile(r"[0-9a-fA-F]{32}")
_TOKEN_ROUTE = Route("POST", "/token", token_endpoint)

#: Largest request body accepted (bytes); file uploads may be up to 10 MB.
MAX_BODY = 12 * 1024 * 1024


def mounted_routes(
    endpoints: Iterable[_spec.Endpoint] = _spec.ENDPOINTS,
) -> dict[tuple[str, str], BoundRoute]:
    """(method, path) -> what is mounted there, for every row that has a handler."""
    names: dict[tuple[str, str], list[_spec.Endpoint]] = {}
    routes: dict[tuple[str, str], Route] = {}
    for endpoint in endpoints:
        main = HANDLERS.get((endpoint.method, endpoint.path))
        for key in ((endpoint.method, endpoint.path), *endpoint.legacy):
            route = HANDLERS.get(key, main)
            if route is None:
                continue
            routes.setdefault(key, route)
            names.setdefault(key, []).append(endpoint)
    return {
        key: BoundRoute(
            route=routes[key],
            template=key[1],
            endpoints=tuple(e.name for e in rows),
            limit_key=rows[0].limit_key,
        )
        for key, rows in names.items()
    }


def _literal_first(key: tuple[str, str]) -> tuple[tuple[bool, str], ...]:
    method, path = key
    return (*((seg.startswith("{"), seg) for seg in path.split("/")), (False, method))


def create_app(
    *,
    org_name: str,
    app_name: str,
    app_id: str,
    app_certificate: str,
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
) -> web.Application:
    """Build the emulator's aiohttp application (serve it with any aiohttp runner).

    Args:
        org_name: Org name of the emulated app (first part of the app key).
        app_name: App name (second part).
        app_id: App ID that app tokens must carry (32 hex characters).
        app_certificate: Certificate app tokens are verified with (32 hex characters).
        client_id: Accepted for ``POST /token`` ``client_credentials`` (with the secret).
        client_secret: Its secret.
        rate_limits: ``True``: enforce each endpoint's documented rate; a mapping of
            endpoint names (or limit keys, or ``"token"``) to calls/s: those rates,
            documented ones for the rest; ``False``: no limits.
        rate_scale: Factor applied to every rate when limits are on.
        faults: Faults pending from the start.
        max_users: Plan quota: registrations beyond it get 429 ``resource_limited``.
        clock: Unix time in seconds for timestamps and token expiry (``time.time``).
        request_log_size: Requests kept for ``GET /__emulator/requests``.
        callback_url: Where post-delivery callbacks go (``None``: none are sent).
        callback_secret: The secret callbacks are signed with (``None``: the empty string).
        callback_timeout: Seconds a post-delivery attempt may take.
        pre_delivery_url: Asked about each message a client sends (``None``: not asked).
        pre_delivery_timeout: Seconds to wait for its answer (Agora's default 0.2).
        pre_delivery_fallback: ``"pass"`` (Agora's default) or ``"reject"`` for messages
            it answers late, wrongly or not at all.
    """
    _check_name("org_name", org_name)
    _check_name("app_name", app_name)
    for name, value in (("app_id", app_id), ("app_certificate", app_certificate)):
        if not isinstance(value, str) or not _HEX32.fullmatch(value):
            raise ValueError(f"{name} must be 32 hexadecimal characters")
    if (client_id is None) != (client_secret is None):
        raise ValueError("client_id and client_secret go together")
    if max_users is not None and max_users < 0:
        raise ValueError(f"max_users must be >= 0, got {max_users}")

    state = EmulatorState(clock)
    callbacks = Callbacks(state, f"{org_name}#{app_name}")
    callbacks.configure(
        url=callback_url,
        secret=callback_secret,
        timeout=callback_timeout,
        pre_delivery_url=pre_delivery_url,
        pre_delivery_timeout=pre_delivery_timeout,
        pre_delivery_fallback=pre_delivery_fallback,
    )
    emulator = Emulator(
        org_name=org_name,
        app_name=app_name,
        state=state,
        auth=Authenticator(
            app_id=app_id,
            app_certificate=app_certificate,
            clock=state.clock,
            client_id=client_id,
            client_secret=client_secret,
        ),
        faults=FaultSet(faults),
        limiter=RateLimiter(_rates(rate_limits, rate_scale)),
        log=RequestLog(request_log_size),
        max_users=max_users,
        callbacks=callbacks,
    )
    app = web.Application(middlewares=[agora_middleware], client_max_size=MAX_BODY)
    app[EMULATOR_KEY] = emulator
    app[STATE_KEY] = state

    prefix = f"/{quote(org_name, safe='')}/{quote(app_name, safe='')}"
    mounted = mounted_routes()
    mounted[("POST", "/token")] = BoundRoute(
        _TOKEN_ROUTE, "/token", ("token",), "token", auth=False
    )
    for key in sorted(mounted, key=_literal_first):
        bound = mounted[key]
        route = app.router.add_route(key[0], prefix + key[1], aiohttp_handler(bound.route))
        emulator.routes[route] = bound
    add_control_routes(app)
    add_callback_routes(app)
    app.cleanup_ctx.append(callbacks.lifespan)
    return app


def _rates(spec: RateSpec, scale: float) -> Mapping[str, float] | None:
    if spec is False:
        return None
    return resolve_rates(None if spec is True else spec, scale)


def _check_name(name: str, value: str) -> None:
    if not value or "/" in value or value.startswith("__"):
        raise ValueError(f"{name} must be non-empty, without '/', not starting with '__'")
