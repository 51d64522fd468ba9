"""Every exception the client raises, and the mapping from Agora error bodies to them.

    AgoraChatError
    ├── APIConnectionError          the request did not complete (DNS, refused, reset)
    │   └── APITimeoutError         connect or total timeout
    │       └── PoolTimeoutError    no pooled connection came free in Timeout.pool
    │                               (nothing was sent: .sent is False)
    ├── ResponseValidationError     a 2xx body did not match the endpoint's type, or
    │                               lacked its payload (a bare {} where data was due)
    ├── RateLimiterUnavailableError the shared rate limiter's store (Redis) failed: not sent
    └── APIStatusError              the server answered other than 2xx (.status, .error, ...)
        ├── RedirectError           3xx (.location): redirects are not followed;
        │                           Agora sends none, so the host or a proxy is wrong
        ├── BadRequestError         400
        ├── AuthenticationError     401
        ├── PermissionDeniedError   403
        ├── NotFoundError           404
        ├── RequestTooLargeError    413
        ├── RateLimitError          429 (.retry_after)
        └── ServerError             5xx

Nothing from aiohttp or msgspec reaches the caller: the transport and the codec wrap
their failures in these classes (with the original as ``__cause__``).
"""

from __future__ import annotations

import datetime
import email.utils
import math
import re
import time
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AgoraChatError",
    "AuthenticationError",
    "BadRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "PoolTimeoutError",
    "RateLimitError",
    "RateLimiterUnavailableError",
    "RedirectError",
    "RequestTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "error_from_response",
]


class AgoraChatError(Exception):
    """Base class of every error raised by agora_chat_async."""


class APIConnectionError(AgoraChatError):
    """The request could not be completed: connection refused, reset, DNS failure.

    Attributes:
        endpoint: Name of the endpoint (``"users.get"``), or ``None`` for raw calls.
        sent: ``False`` when the failure happened before any byte of the request
            could reach the server (so repeating it is safe for every endpoint).
    """

    def __init__(self, message: str, *, endpoint: str | None = None, sent: bool = True):
        super().__init__(message)
        self.endpoint = endpoint
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """The request timed out (connect or total timeout)."""


class PoolTimeoutError(APITimeoutError):
    """Every pooled connection stayed busy for longer than ``Timeout.pool``.

    The request never left the client (``sent`` is ``False``), so it is retried like
    any request that was not sent, whatever the endpoint.
    """

    def __init__(self, message: str, *, endpoint: str | None = None) -> None:
        super().__init__(message, endpoint=endpoint, sent=False)


class ResponseValidationError(AgoraChatError):
    """A successful response whose body does not match the endpoint's response type."""

    def __init__(self, message: str, *, endpoint: str | None, status: int, body: bytes):
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status
        self.body = body


class RateLimiterUnavailableError(AgoraChatError):
    """A shared rate limiter could not reach its store, so the call was not sent.

    Raised by :class:`RedisRateLimiter` (``on_unavailable="fail"``) before the request
    goes out: repeating it later is safe for every endpoint.

    Attributes:
        url: Where the store is, without credentials (``redis://host:6379/0``).
        key: The endpoint family that was being paced.
        sent: Always ``False``.
    """

    sent = False

    def __init__(self, message: str, *, url: str, key: str) -> None:
        super().__init__(message)
        self.url = url
        self.key = key


class _ErrorBody(msgspec.Struct):
    error: str | None = None
    error_description: str | None = None
    exception: str | None = None


_error_body_decoder = msgspec.json.Decoder(_ErrorBody)
#: Agora's 400 for one user twice in a batch echoes both passwords; messages must not.
_PASSWORDS_ECHOED = re.compile(r"(the passwords are ).*", re.DOTALL)


class APIStatusError(AgoraChatError):
    """The server answered with a status other than 2xx (3xx, 4xx, 5xx).

    Attributes:
        status: HTTP status code.
        error: Agora's machine-readable error code, e.g. ``"duplicate_unique_property_exists"``.
        description: Agora's ``error_description`` text (passwords Agora echoes in it
            are masked; :attr:`body` keeps the raw answer).
        exception: The server-side exception class name Agora reports, if any.
        endpoint: Name of the endpoint that was called (``"users.register"``).
        body: The raw response body.
        request_id: The server's request id header, when it sends one.
    """

    def __init__(
        self,
        *,
        status: int,
        error: str | None,
        description: str | None,
        exception: str | None,
        endpoint: str | None,
        body: bytes,
        request_id: str | None = None,
    ) -> None:
        self.status = status
        self.error = error
        self.description = description
        self.exception = exception
        self.endpoint = endpoint
        self.body = body
        self.request_id = request_id
        detail = f"{error}: {description}" if description else (error or "no error body")
        super().__init__(f"{endpoint or 'request'} failed with HTTP {status} ({detail})")

    @property
    def error_description(self) -> str | None:
        """Alias of :attr:`description`, named as in Agora's error body."""
        return self.description

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(endpoint={self.endpoint!r}, status={self.status}, "
            f"error={self.error!r})"
        )


class RedirectError(APIStatusError):
    """3xx: the client does not follow redirects, and Agora's API sends none.

    It usually means a wrong ``host`` (``http://`` where the server redirects to
    ``https://``) or a proxy in the way. Never retried.

    Attributes:
        location: The ``Location`` header, if the answer had one.
    """

    def __init__(self, *, location: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.location = location


class BadRequestError(APIStatusError):
    """400: a parameter is missing or invalid, or the username already exists."""


class AuthenticationError(APIStatusError):
    """401: the token is missing, expired, malformed or for another app."""


class PermissionDeniedError(APIStatusError):
    """403: the operation is not allowed, or a quota is exhausted."""


class NotFoundError(APIStatusError):
    """404: the user, group, room, file or app does not exist."""


class RequestTooLargeError(APIStatusError):
    """413: the request body or uploaded file is too large."""


class RateLimitError(APIStatusError):
    """429: the call rate limit (``reach_limit``) or a plan quota (``resource_limited``).

    Attributes:
        retry_after: Seconds the server asked us to wait (``Retry-After``), if given.
    """

    def __init__(self, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.retry_after = retry_after

    @property
    def is_quota(self) -> bool:
        """True for a plan quota (``resource_limited``): waiting will not help."""
        return self.error == "resource_limited"


class ServerError(APIStatusError):
    """5xx: the server failed or is overloaded."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: RequestTooLargeError,
    429: RateLimitError,
}


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date form).

    ``None`` when absent or unreadable; a date in the past gives 0. ``now`` (a Unix
    time) is for tests.
    """
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:  # "-0000": RFC 5322 for "UTC, by convention"
            when = when.replace(tzinfo=datetime.UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):  # "nan", "inf": not a wait we can honour
        return None
    return max(seconds, 0.0)


def error_from_response(
    status: int,
    body: bytes,
    *,
    endpoint: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> APIStatusError:
    """Build the typed error for a non-2xx response from Agora's error body.

    Bodies that are not Agora-shaped JSON (a proxy's HTML page, an empty body) still
    give the right class; ``error`` and ``description`` are then ``None``.
    """
    try:
        parsed = _error_body_decoder.decode(body) if body else _ErrorBody()
    except (msgspec.MsgspecError, RecursionError):  # msgspec raises the latter on deep nesting
        parsed = _ErrorBody()
    # Our responses carry a case-insensitive mapping; a plain dict may not.
    headers = {k.lower(): v for k, v in headers.items()} if headers else {}
    description = parsed.error_description
    if description is not None:
        description = _PASSWORDS_ECHOED.sub(r"\1***", description)
    fields: dict[str, Any] = {
        "status": status,
        "error": parsed.error,
        "description": description,
        "exception": parsed.exception,
        "endpoint": endpoint,
        "body": body,
        "request_id": headers.get("x-request-id") or headers.get("request-id"),
    }
    if 300 <= status < 400:
        return RedirectError(location=headers.get("location"), **fields)
    cls = ServerError if status >= 500 else _BY_STATUS.get(status, APIStatusError)
    if cls is RateLimitError:
        return RateLimitError(retry_after=parse_retry_after(headers.get("retry-after")), **fields)
    return cls(**fields)
