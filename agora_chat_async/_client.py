"""``AgoraChatClient``: configuration, lifecycle, and the request pipeline every method uses.

``_call`` validates and places the arguments (path, query, body), gets a token, sends
through the transport, retries what is safe, renews the token once on a 401, maps error
bodies to exceptions and decodes the payload with a cached typed decoder. Generated
resource methods are one call to it; nothing else in the package sends requests.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import random
import re
import time
import warnings
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urlencode

import msgspec
from msgspec import UNSET, UnsetType

from . import _codec
from ._auth import AppTokenProvider, CallableTokenProvider, StaticToken, TokenProvider
from ._bulk import BulkResult, ProgressCallback, run_bulk
from ._errors import (
    AgoraChatError,
    APIConnectionError,
    APIStatusError,
    ResponseValidationError,
    error_from_response,
    parse_retry_after,
)
from ._pagination import AsyncPager, Page
from ._ratelimit import RateLimiter, TokenBucketLimiter
from ._resource import Resource
from ._spec import BY_NAME, ENVELOPES, Endpoint, Param
from ._transport import (
    DEFAULT_TIMEOUT,
    AiohttpTransport,
    FileUpload,
    RawResponse,
    Timeout,
    Transport,
)
from ._upload import read_upload
from ._validate import CHECKS
from .resources import ClientResources

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Callable, Coroutine, Iterable, Mapping

    import aiohttp

__all__ = ["AgoraChatClient", "RetryPolicy"]

log = logging.getLogger("agora_chat_async")

_RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
_BAD_SEGMENTS: Final = frozenset({"", ".", ".."})


@dataclasses.dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to wait before repeating a failed request.

    Retries happen on 429 (``reach_limit``, never ``resource_limited``), 502/503/504 and
    connection errors, and only when repeating is safe: GET, PUT and DELETE (but for
    those the endpoint table marks unsafe: a message rewrite), POSTs it marks safe, any
    request refused with 429 (the server did not act on it) and any request that failed
    before a byte was sent (connection refused, connect timeout,
    :class:`PoolTimeoutError`). A message send is therefore never repeated once its
    bytes may have reached the server. Nothing else repeats a request: aiohttp's own
    retry of idempotent requests on a dropped connection is off, so ``max_retries=0``
    sends each request exactly once. A 401 refusing the token is retried once with a
    new token, outside this budget; a 3xx is never retried (:class:`RedirectError`).

    Args:
        max_retries: Retries after the first attempt (0 disables retrying).
        backoff_base: First backoff ceiling in seconds; it doubles per attempt.
        backoff_max: Largest backoff ceiling. Waits are drawn uniformly below it
            ("full jitter"); a ``Retry-After`` header is honoured instead when present.
        max_elapsed: Give up when the next wait would end later than this many seconds
            after the first attempt.
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_elapsed: float = 60.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries}")
        if min(self.backoff_base, self.backoff_max, self.max_elapsed) < 0:
            raise ValueError("backoff_base, backoff_max and max_elapsed must be 0 or more")

    def backoff(self, attempt: int) -> float:
        return random.uniform(0.0, min(self.backoff_max, self.backoff_base * 2**attempt))


class _Plan:
    """What ``_call`` needs about one endpoint, worked out once.

    Parameters are kept as plain tuples: reading ``Param`` properties (``wire_name``)
    on every request showed in the request profile.
    """

    __slots__ = (
        "body_params",
        "check_args",
        "checks",
        "content_type",
        "decode",
        "endpoint",
        "headers",
        "path_params",
        "post",
        "query_params",
        "template",
    )

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.template = endpoint.path
        by_location: dict[str, list[Param]] = {"path": [], "query": [], "body": [], "header": []}
        for param in endpoint.params:
            by_location[param.location].append(param)
        # (name, placeholder, encoding, characters quoting keeps or None): a value that
        # passed check_username is made of characters quote() leaves alone. The commas of
        # a list stay literal, as in Agora's examples: %2C would cost 118 of the 4 KB a
        # URL may have, and 60 long usernames need nearly all of them.
        self.path_params = tuple(
            (
                p.name,
                "{" + p.name + "}",
                p.encode,
                None if p.check == "username" else "," if p.encode == "csv" else "",
            )
            for p in by_location["path"]
        )
        self.query_params = tuple((p.name, p.wire_name, p.encode) for p in by_location["query"])
        self.body_params = tuple((p.name, p.wire_name, p.encode) for p in by_location["body"])
        # Endpoints that need more than the default headers or send a file take a slower
        # path (_send_with_headers); None keeps the hot path free of it.
        self.headers: tuple[tuple[str, str, str | None], ...] | None = None
        if (
            by_location["header"]
            or endpoint.body_format == "multipart"
            or endpoint.unwrap == "bytes"
        ):
            self.headers = tuple((p.name, p.wire_name, p.encode) for p in by_location["header"])
        if endpoint.body_format == "multipart":
            self.body_params = ()  # the file goes as multipart, not in a JSON body
        self.checks = tuple(
            (p.name, CHECKS[p.check]) for p in endpoint.params if p.check is not None
        )
        self.content_type = _CONTENT_TYPES[endpoint.body_format]
        self.check_args = endpoint.check_args
        self.post = endpoint.post
        self.decode = _payload_decoder(endpoint)


def _payload_decoder(endpoint: Endpoint) -> Any:
    """A function ``bytes -> payload`` for the endpoint's unwrap style."""
    unwrap, returns = endpoint.unwrap, endpoint.returns
    if unwrap == "none":
        return None
    if unwrap == "envelope":
        return _codec.decoder_for(returns).decode
    if unwrap == "bytes":
        return bytes
    decoder = _codec.decoder_for(ENVELOPES[unwrap][returns])
    if unwrap == "data":
        return lambda body: decoder.decode(body).data
    if unwrap == "result":
        return lambda body: decoder.decode(body).result
    if unwrap == "entities":
        return lambda body: decoder.decode(body).entities

    def first_entity(body: bytes) -> Any:
        entities = decoder.decode(body).entities
        if not entities:
            raise msgspec.ValidationError("expected one entity in `$.entities`, got none")
        return entities[0]

    return first_entity


def _encode_value(encode: str | None, value: Any) -> Any:
    if encode == "str":
        return str(value)
    if encode == "bool":
        return "true" if value else "false"
    if encode == "list":
        return [value]
    if encode == "csv":
        return ",".join(value)
    return value


#: 401 codes that refuse the token itself (or none given); other 401s (a chat room
#: attribute setter who is not a member: MetadataException) would refuse a new one too.
_TOKEN_REFUSALS: Final = frozenset({"unauthorized", "auth_bad_access_token", None})

_FORM: Final = "application/x-www-form-urlencoded"
_CONTENT_TYPES: Final = {"json": "application/json", "form": _FORM, "multipart": ""}

# What quote(safe="") never changes: such a segment skips urllib's pure-Python quoting.
_PLAIN_SEGMENT: Final = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch


def _invalid(endpoint: str, response: RawResponse, detail: str) -> ResponseValidationError:
    return ResponseValidationError(
        f"{endpoint}: unexpected response body: {detail}",
        endpoint=endpoint,
        status=response.status,
        body=response.body,
    )


def _make_pacer(
    rate_limits: bool | Mapping[str, float], limiter: RateLimiter | None
) -> RateLimiter | None:
    if rate_limits is False:
        return None
    if limiter is not None:
        return limiter
    overrides = {} if rate_limits is True else rate_limits
    # Endpoints sharing a documented limit share a bucket: accept either name.
    keys = {(BY_NAME[k].limit_key if k in BY_NAME else k): v for k, v in overrides.items()}
    return TokenBucketLimiter(overrides=keys)


def _base_url(host: str, org_name: str, app_name: str) -> str:
    if not host:
        raise ValueError("host must be a non-empty domain or base URL")
    for name, value in (("org_name", org_name), ("app_name", app_name)):
        if not value or "/" in value:
            raise ValueError(f"{name} must be a non-empty name without '/', got {value!r}")
    root = host.rstrip("/") if "://" in host else f"https://{host.rstrip('/')}"
    return f"{root}/{quote(org_name, safe='')}/{quote(app_name, safe='')}"


#: The environment variables :meth:`AgoraChatClient.from_env` reads, by the constructor
#: argument they supply (the ``agora-chat`` command's flags default to them too).
ENVIRONMENT: Final = {
    "host": "AGORA_HOST",
    "org_name": "AGORA_ORG_NAME",
    "app_name": "AGORA_APP_NAME",
    "app_id": "AGORA_APP_ID",
    "app_certificate": "AGORA_APP_CERTIFICATE",
    "token": "AGORA_TOKEN",
}


class AgoraChatClient(ClientResources):
    """Asyncio client for the Agora Chat server REST API.

    Use it as an async context manager (or call :meth:`aclose`); it keeps one pooled
    keep-alive connection pool for all calls::

        async with AgoraChatClient(host="a41.chat.agora.io", org_name="611", app_name="42",
                                   app_id="...", app_certificate="...") as client:
            await client.users.register("alice", password="pw")

    Give exactly one token source: ``app_id`` + ``app_certificate`` (the client builds
    and renews app tokens itself), ``token`` (a fixed token), ``client_id`` +
    ``client_secret`` (Easemob-style ``POST /{org}/{app}/token``) or ``token_provider``.

    Args:
        host: The app's REST API domain (``a41.chat.agora.io``), or a full
            ``http(s)://host:port`` base for emulators and proxies.
        org_name: The org name (first part of the app key ``org#app``).
        app_name: The app name (second part of the app key).
        app_id: The Agora project's App ID (32 hex characters).
        app_certificate: The project's App Certificate (32 hex characters).
        token: A fixed bearer token.
        client_id: Easemob client id (with ``client_secret``).
        client_secret: Easemob client secret.
        token_provider: Any :class:`TokenProvider`.
        token_ttl: Lifetime of tokens the client builds or requests, in seconds.
        timeout: Default per-request time limits: seconds (total) or a :class:`Timeout`.
        max_retries: Shortcut for ``retry=RetryPolicy(max_retries=...)``.
        retry: Full retry settings.
        limit: Most connections open at once.
        limit_per_host: Most connections per host (0: no separate limit).
        keepalive_timeout: Seconds an idle pooled connection is kept.
        session: An aiohttp ``ClientSession`` of yours to send through; it is not closed.
        transport: A custom :class:`Transport` (tests, other HTTP stacks).
        rate_limits: Pace calls under each endpoint's documented rate limit (True), not
            at all (False), or with other rates for some endpoints: a mapping of
            endpoint names (``"users.register"``) or family keys to calls per second.
        rate_limiter: A :class:`RateLimiter` to pace with instead of the in-process
            token buckets (e.g. one backed by a store shared by several processes).
    """

    def __init__(
        self,
        *,
        host: str,
        org_name: str,
        app_name: str,
        app_id: str | None = None,
        app_certificate: str | None = None,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_provider: TokenProvider | None = None,
        token_ttl: int = 3600,
        timeout: float | Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        limit: int = 100,
        limit_per_host: int = 0,
        keepalive_timeout: float = 30.0,
        session: aiohttp.ClientSession | None = None,
        transport: Transport | None = None,
        rate_limits: bool | Mapping[str, float] = True,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self.base_url = _base_url(host, org_name, app_name)
        self.org_name = org_name
        self.app_name = app_name
        self._static_token = token or ""
        self._auth = self._make_auth(
            app_id,
            app_certificate,
            token,
            client_id,
            client_secret,
            token_provider,
            token_ttl,
        )
        self._timeout = timeout if isinstance(timeout, Timeout) else Timeout(total=timeout)
        retry = retry or RetryPolicy()
        if max_retries is not None:
            retry = dataclasses.replace(retry, max_retries=max_retries)
        self._retry = retry
        self._transport: Transport = transport or AiohttpTransport(
            limit=limit,
            limit_per_host=limit_per_host,
            keepalive_timeout=keepalive_timeout,
            session=session,
        )
        self._pacer = _make_pacer(rate_limits, rate_limiter)
        self._owns_transport = True
        self._parent: AgoraChatClient | None = None
        self._closed = False
        self._plans: dict[str, _Plan] = {}

    def _make_auth(
        self,
        app_id: str | None,
        app_certificate: str | None,
        token: str | None,
        client_id: str | None,
        client_secret: str | None,
        provider: TokenProvider | None,
        ttl: int,
    ) -> TokenProvider:
        sources = [
            app_id is not None or app_certificate is not None,
            token is not None,
            client_id is not None or client_secret is not None,
            provider is not None,
        ]
        if sum(sources) != 1:
            raise ValueError(
                "give exactly one token source: app_id + app_certificate, token, "
                "client_id + client_secret, or token_provider"
            )
        if provider is not None:
            return provider
        if token is not None:
            return StaticToken(token)
        if client_id is not None or client_secret is not None:
            if not client_id or not client_secret:
                raise ValueError("client_id and client_secret go together")
            return CallableTokenProvider(
                lambda: self._fetch_client_token(client_id, client_secret, ttl)
            )
        if not app_id or not app_certificate:
            raise ValueError("app_id and app_certificate go together")
        return AppTokenProvider(app_id, app_certificate, ttl=ttl)

    # -- lifecycle --------------------------------------------------------------------

    async def __aenter__(self) -> AgoraChatClient:
        if self._closed:
            raise RuntimeError("this AgoraChatClient is closed; create a new one")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool. Clients from :meth:`with_options` share it and
        leave closing to the client they came from."""
        self._closed = True
        if self._owns_transport:
            await self._transport.aclose()

    def __del__(self, _warn: Any = warnings.warn) -> None:
        transport = getattr(self, "_transport", None)
        if (
            getattr(self, "_owns_transport", False)
            and isinstance(transport, AiohttpTransport)
            and transport.unclosed
        ):
            _warn(
                f"unclosed {self!r}: use 'async with' or await aclose()",
                ResourceWarning,
                source=self,
            )
            transport.abandon()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> AgoraChatClient:
        """A client configured from ``AGORA_*`` environment variables.

        ``AGORA_HOST``, ``AGORA_ORG_NAME`` and ``AGORA_APP_NAME`` are required, and either
        ``AGORA_TOKEN`` (a fixed token; it wins when both are set) or ``AGORA_APP_ID`` with
        ``AGORA_APP_CERTIFICATE`` (tokens built and renewed by the client).

        Args:
            environ: Where to read the variables; ``os.environ`` by default.
            **options: Any other constructor argument (``timeout=``, ``rate_limits=``...).

        Raises:
            ValueError: A required variable is missing or empty.
        """
        env = os.environ if environ is None else environ
        values = {name: env.get(variable, "") for name, variable in ENVIRONMENT.items()}
        missing = [ENVIRONMENT[n] for n in ("host", "org_name", "app_name") if not values[n]]
        if missing:
            raise ValueError(f"missing environment variables: {', '.join(missing)}")
        host, org_name, app_name = values["host"], values["org_name"], values["app_name"]
        if values["token"]:
            return cls(
                host=host, org_name=org_name, app_name=app_name, token=values["token"], **options
            )
        if values["app_id"] and values["app_certificate"]:
            return cls(
                host=host,
                org_name=org_name,
                app_name=app_name,
                app_id=values["app_id"],
                app_certificate=values["app_certificate"],
                **options,
            )
        raise ValueError("set AGORA_APP_ID and AGORA_APP_CERTIFICATE, or AGORA_TOKEN")

    def with_options(
        self,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        rate_limits: bool | None = None,
    ) -> AgoraChatClient:
        """A client with other defaults that shares this one's pool, tokens and pacing.

        ``client.with_options(timeout=2, max_retries=0).users.get("alice")``;
        ``rate_limits=False`` sends without pacing (the 429 handling stays).
        """
        clone = object.__new__(type(self))
        # Copy the settings but not the cached resources: those are bound to `self`.
        clone.__dict__.update(
            {k: v for k, v in self.__dict__.items() if not isinstance(v, Resource)}
        )
        clone._owns_transport = False
        clone._closed = False
        # Keep the origin alive: its __del__ would otherwise drop the shared pool (with a
        # ResourceWarning) while this client still uses it.
        clone._parent = self
        if timeout is not None:
            clone._timeout = timeout if isinstance(timeout, Timeout) else Timeout(total=timeout)
        if retry is not None:
            clone._retry = retry
        if max_retries is not None:
            clone._retry = dataclasses.replace(clone._retry, max_retries=max_retries)
        if rate_limits is False:
            clone._pacer = None
        elif rate_limits and clone._pacer is None:
            clone._pacer = _make_pacer(True, None)
        return clone

    def __repr__(self) -> str:
        return f"AgoraChatClient(base_url={self.base_url!r})"

    # -- request pipeline -------------------------------------------------------------

    def _plan(self, endpoint: Endpoint) -> _Plan:
        plan = self._plans.get(endpoint.name)
        if plan is None:
            plan = self._plans[endpoint.name] = _Plan(endpoint)
        return plan

    def _check_args(self, endpoint: Endpoint, args: Mapping[str, Any]) -> None:
        """Run the endpoint's per-argument checks on the arguments given in ``args``."""
        for name, check in self._plan(endpoint).checks:
            value = args.get(name, UNSET)
            if value is not UNSET:
                check(name, value)

    def _timeout_for(self, timeout: float | Timeout | UnsetType) -> Timeout:
        if timeout is UNSET:
            return self._timeout
        if isinstance(timeout, Timeout):
            return timeout
        return dataclasses.replace(self._timeout, total=timeout)

    def _build(
        self,
        plan: _Plan,
        args: Mapping[str, Any],
        body: Any,
        query: Mapping[str, Any] | None,
    ) -> tuple[str, bytes | None]:
        for name, check in plan.checks:  # inline, not _check_args: this is the hot path
            value = args.get(name, UNSET)
            if value is not UNSET:
                check(name, value)
        if plan.check_args is not None:
            plan.check_args(args)
        path = plan.template
        for name, placeholder, encode, safe in plan.path_params:
            value = args[name]
            if encode is not None or type(value) is not str:
                value = str(_encode_value(encode, value))
            if value in _BAD_SEGMENTS:
                # "" would hit the collection (DELETE /users/ -> /users), "." and ".." are
                # dot-segments that URL normalisation turns into another endpoint.
                raise ValueError(f"expected a non-empty value for {name!r}, got {value!r}")
            if safe is not None and not _PLAIN_SEGMENT(value):
                value = quote(value, safe=safe)
            path = path.replace(placeholder, value)
        url = self.base_url + path
        if plan.query_params or query:
            params = {
                wire: _encode_value(encode, args[name])
                for name, wire, encode in plan.query_params
                if args.get(name, UNSET) is not UNSET
            }
            if query:
                params.update(query)
            if params:
                url += "?" + urlencode(params)
        if body is UNSET:
            if not plan.body_params:
                return url, None
            body = {}
            for name, wire, encode in plan.body_params:
                value = args.get(name, UNSET)
                if value is UNSET:
                    continue
                if encode == "fields":  # a mapping whose items are the body's fields
                    body.update(value)
                elif encode == "body":  # the value is the whole body
                    body = list(value) if isinstance(value, list | tuple) else value
                else:
                    body[wire] = _encode_value(encode, value)
        if plan.content_type is _FORM:
            return url, urlencode(body).encode()
        return url, _codec.encode(body)

    def _call(
        self,
        endpoint: Endpoint,
        args: Mapping[str, Any],
        *,
        body: Any = UNSET,
        query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType = UNSET,
    ) -> Coroutine[Any, Any, Any]:
        """Send one request for ``endpoint``; awaiting gives the decoded, unwrapped payload.

        A plain function that returns ``_send``'s coroutine (which decodes with the plan):
        one coroutine frame less per request. Callers await it at once, so an argument
        error still surfaces where the resource method is awaited.
        """
        plan = self._plans.get(endpoint.name) or self._plan(endpoint)
        url, data = self._build(plan, args, body, query)
        if plan.headers is not None:
            return self._send_with_headers(plan, args, url, data, timeout)
        return self._send(
            endpoint,
            url,
            data,
            self._timeout if timeout is UNSET else self._timeout_for(timeout),
            content_type=plan.content_type,
            plan=plan,
        )

    async def _send_with_headers(
        self,
        plan: _Plan,
        args: Mapping[str, Any],
        url: str,
        data: bytes | None,
        timeout: float | Timeout | UnsetType,
    ) -> Any:
        """``_send`` for endpoints with header parameters, a file to upload or a file
        to download."""
        assert plan.headers is not None
        endpoint = plan.endpoint
        headers = {
            wire: str(_encode_value(encode, args[name]))
            for name, wire, encode in plan.headers
            if args.get(name, UNSET) is not UNSET
        }
        if endpoint.unwrap == "bytes":
            headers["Accept"] = "application/octet-stream"
        body: bytes | FileUpload | None = data
        if endpoint.body_format == "multipart":
            body = await read_upload(args["file"], args.get("filename", UNSET))
        return await self._send(
            endpoint,
            url,
            body,
            self._timeout_for(timeout),
            content_type=plan.content_type,
            extra_headers=headers,
            plan=plan,
        )

    def _decode(self, plan: _Plan, response: RawResponse) -> Any:
        if plan.decode is None:
            return None
        try:
            payload = plan.decode(response.body)
            return payload if plan.post is None else plan.post(payload)
        except (msgspec.MsgspecError, RecursionError) as exc:  # deep nesting: RecursionError
            raise _invalid(plan.endpoint.name, response, str(exc)) from None
        except (LookupError, StopIteration, TypeError, AttributeError, ValueError) as exc:
            # The post-step expects a shape ({"user": value}, a list...) the body lacked.
            raise _invalid(plan.endpoint.name, response, type(exc).__name__) from None

    async def _send(
        self,
        endpoint: Endpoint,
        url: str,
        data: bytes | FileUpload | None,
        timeout: Timeout,
        *,
        content_type: str = "application/json",
        extra_headers: Mapping[str, str] | None = None,
        authenticate: bool = True,
        plan: _Plan | None = None,
    ) -> Any:
        """Send with auth and retries; return a 2xx response (decoded if ``plan``) or raise."""
        if self._closed:
            raise RuntimeError("this AgoraChatClient is closed; create a new one")
        retry = self._retry
        started = time.monotonic()
        attempt = 0
        renewed = False
        while True:
            token = ""
            if authenticate:
                # A fixed token is read directly: no provider coroutine per request.
                token = self._static_token or await self._auth.get_token()
                headers = {"Accept": "application/json", "Authorization": "Bearer " + token}
                if self._pacer is not None:
                    await self._pacer.acquire(endpoint.limit_key, endpoint.rate)
            else:
                headers = {"Accept": "application/json"}
            if data is not None and content_type:  # multipart sets its own, with the boundary
                headers["Content-Type"] = content_type
            if extra_headers:
                headers.update(extra_headers)
            delay: float | None = None
            try:
                response = await self._transport.send(
                    endpoint.method, url, headers, data, timeout, endpoint=endpoint.name
                )
            except APIConnectionError as exc:
                if not (endpoint.safe_to_retry or not exc.sent):
                    raise
                if attempt >= retry.max_retries:
                    raise
                delay, reason = retry.backoff(attempt), type(exc).__name__
                failure: AgoraChatError = exc
            else:
                status = response.status
                if 200 <= status < 300:
                    return response if plan is None else self._decode(plan, response)
                failure = error_from_response(
                    status,
                    response.body,
                    endpoint=endpoint.name,
                    headers=response.headers,
                )
                if (
                    status == 401
                    and authenticate
                    and not renewed
                    and failure.error in _TOKEN_REFUSALS
                ):
                    # The token may have been revoked or expired early: renew once.
                    renewed = True
                    self._auth.invalidate(token)
                    log.debug("%s: 401, renewing the token and retrying", endpoint.name)
                    continue
                if not self._retryable(endpoint, failure) or attempt >= retry.max_retries:
                    raise failure
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                delay = retry_after if retry_after is not None else retry.backoff(attempt)
                reason = f"HTTP {status}"
            if time.monotonic() - started + delay > retry.max_elapsed:
                raise failure
            attempt += 1
            log.debug(
                "%s: %s, retry %d/%d in %.2fs",
                endpoint.name,
                reason,
                attempt,
                retry.max_retries,
                delay,
            )
            await asyncio.sleep(delay)

    @staticmethod
    def _retryable(endpoint: Endpoint, error: APIStatusError) -> bool:
        if error.status == 429:
            # A rate-limit refusal was not acted on, so any endpoint may repeat it;
            # a plan quota (resource_limited) will not go away by waiting.
            return error.error != "resource_limited"
        return error.status in _RETRY_STATUSES and endpoint.safe_to_retry

    async def _fetch_client_token(
        self, client_id: str, client_secret: str, ttl: int
    ) -> tuple[str, float]:
        """Easemob-style app token: ``POST /{org}/{app}/token`` with client credentials."""
        body = _codec.encode(
            {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
                "ttl": ttl,
            }
        )
        response = await self._send(
            _TOKEN_ENDPOINT,
            self.base_url + "/token",
            body,
            self._timeout,
            authenticate=False,
        )
        try:
            grant = _codec.decoder_for(_TokenGrant).decode(response.body)
        except (msgspec.MsgspecError, RecursionError) as exc:
            # The body may hold a token: keep it out of the error.
            raise _invalid(
                "token", RawResponse(response.status, {}, b"<hidden>"), str(exc)
            ) from None
        return grant.access_token, float(grant.expires_in or ttl)

    # -- helpers the generated resources call ----------------------------------------

    def _paginate(
        self,
        endpoint: Endpoint,
        args: Mapping[str, Any],
        *,
        page_size: int | None,
        prefetch: bool = False,
        timeout: float | Timeout | UnsetType = UNSET,
    ) -> AsyncPager[Any]:
        pager = endpoint.pager
        assert pager is not None
        size = pager.max_size if page_size is None else page_size
        if pager.style != "single" and (
            isinstance(size, bool) or not isinstance(size, int) or size < 1
        ):
            raise ValueError(f"page_size must be a positive integer, got {page_size!r}")
        size = min(size, pager.max_size)  # the server caps it anyway; be explicit
        plan = self._plan(endpoint)
        self._build(plan, args, UNSET, None)  # validate arguments now, not on first page
        read = page_reader(endpoint)

        async def fetch(cursor: str | None, number: int) -> Page[Any]:
            query: dict[str, Any] = {}
            if pager.style != "single":
                query[pager.size_param] = str(size)
            if pager.style == "page":
                query[pager.page_param] = str(number)
            elif cursor:
                query[pager.cursor_param] = cursor
            url, _ = self._build(plan, args, UNSET, query)
            response = await self._send(endpoint, url, None, self._timeout_for(timeout))
            try:
                items, next_cursor = read(response.body)
            except (msgspec.MsgspecError, RecursionError) as exc:
                raise _invalid(endpoint.name, response, str(exc)) from None
            if pager.style == "single":
                return Page(items, None, number, False)
            if pager.style == "page":
                return Page(items, None, number, len(items) >= size)
            if pager.style == "props-cursor":
                # Threads return a cursor on their last page too: a short page ends.
                return Page(items, next_cursor, number, bool(next_cursor) and len(items) >= size)
            return Page(items, next_cursor, number, bool(next_cursor))

        return AsyncPager(fetch, prefetch=prefetch)

    async def _bulk(
        self,
        endpoint: Endpoint,
        items: Iterable[Any] | AsyncIterable[Any],
        *,
        concurrency: int | None,
        progress: ProgressCallback | None,
        stop_on_error: bool,
        timeout: float | Timeout | UnsetType,
        fixed: Mapping[str, Any] | None = None,
    ) -> BulkResult[Any, Any]:
        return await run_bulk(
            self,
            endpoint,
            items,
            fixed=fixed,
            concurrency=concurrency,
            progress=progress,
            stop_on_error=stop_on_error,
            timeout=timeout,
        )


def page_reader(endpoint: Endpoint) -> Callable[[bytes], tuple[list[Any], str | None]]:
    """Decodes one page of a list endpoint into its items and the next cursor.

    ``returns`` types the payload under ``data`` (the whole payload) or ``entities``
    (one item); ``post``, if set, turns the payload into the list of items.
    """
    decoder = _codec.decoder_for(ENVELOPES[endpoint.unwrap][endpoint.returns])
    in_data = endpoint.unwrap == "data"
    in_result = endpoint.unwrap == "result"
    post = endpoint.post
    style = endpoint.pager.style if endpoint.pager is not None else None

    def read(body: bytes) -> tuple[list[Any], str | None]:
        envelope = decoder.decode(body)
        if in_result:
            payload = envelope.result
        else:
            payload = envelope.data if in_data else envelope.entities
        items = (payload or []) if post is None or payload is None else post(payload)
        if style == "props-cursor":
            cursor = envelope.properties.cursor
        elif style == "data-cursor":
            cursor = getattr(payload, "cursor", None)
        else:
            cursor = envelope.cursor
        return items, cursor

    return read


class _TokenGrant(msgspec.Struct):
    access_token: str
    expires_in: float | None = None


_TOKEN_ENDPOINT = Endpoint(name="token", method="POST", path="/token", area="auth", retry_safe=True)
