"""Agora-shaped error responses: the one exception handlers raise and its JSON body.

Every 4xx/5xx the emulator sends goes through :class:`AgoraHTTPError`, so all of them
carry Agora's five keys in Agora's order::

    {"error", "exception", "timestamp", "duration", "error_description"}
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

import msgspec
from aiohttp import web

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "DEFAULT_DESCRIPTIONS",
    "DEFAULT_ERRORS",
    "EXCEPTIONS",
    "AgoraHTTPError",
    "error_body",
    "illegal_argument",
    "invalid_request_body",
    "not_found",
]

#: Server-side exception class Agora reports per ``error`` code (first one seen in the docs).
EXCEPTIONS: dict[str, str] = {
    "service_resource_not_found": (
        "org.apache.usergrid.services.exceptions.ServiceResourceNotFoundException"
    ),
    "duplicate_unique_property_exists": (
        "org.apache.usergrid.persistence.exceptions.DuplicateUniquePropertyExistsException"
    ),
    "illegal_argument": "java.lang.IllegalArgumentException",
    "entity_not_found": "org.apache.usergrid.persistence.exceptions.EntityNotFoundException",
    "unauthorized": "EasemobSecurityException",
    "auth_bad_access_token": "EasemobSecurityException",
    "organization_application_not_found": (
        "org.apache.usergrid.rest.exceptions.OrganizationApplicationNotFoundException"
    ),
    "forbidden_op": "EasemobForbiddenOpException",
    "json_parse": "com.fasterxml.jackson.core.JsonParseException",
    "invalid_grant": "EasemobSecurityException",
    "unsupported_grant_type": "EasemobSecurityException",
    "reach_limit": "EasemobRateLimitException",
    "resource_limited": "EasemobResourceLimitedException",
    "web_application": "javax.ws.rs.WebApplicationException",
}

#: ``error`` code used when only a status is known (fault injection, router errors).
DEFAULT_ERRORS: dict[int, str] = {
    400: "illegal_argument",
    401: "unauthorized",
    404: "service_resource_not_found",
    429: "reach_limit",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}

#: ``error_description`` used when only the code is known.
DEFAULT_DESCRIPTIONS: dict[str, str] = {
    "reach_limit": "This request has reached API limit.",
    "resource_limited": (
        "You have exceeded the limit of the free edition. Please upgrade to higher edition."
    ),
    "service_resource_not_found": "Service resource not found",
}

_encode = msgspec.json.encode


class AgoraHTTPError(Exception):
    """An error answer: raise it anywhere below the middleware to send it.

    Args:
        status: HTTP status.
        error: Agora's ``error`` code; derived from the status when omitted.
        description: ``error_description``; derived from the code when omitted.
        exception: ``exception``; looked up in :data:`EXCEPTIONS` when omitted.
        headers: Extra response headers (``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        error: str | None = None,
        description: str | None = None,
        *,
        exception: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.error = error or DEFAULT_ERRORS.get(status) or _snake(_phrase(status))
        self.description = (
            description
            if description is not None
            else DEFAULT_DESCRIPTIONS.get(self.error, _phrase(status))
        )
        self.exception = exception or EXCEPTIONS.get(self.error, "EasemobException")
        self.headers = dict(headers or {})
        super().__init__(f"{status} {self.error}: {self.description}")

    def response(self, timestamp: int, duration: int = 0) -> web.Response:
        """The aiohttp response carrying this error."""
        return web.Response(
            status=self.status,
            body=error_body(self.error, self.description, self.exception, timestamp, duration),
            content_type="application/json",
            headers=self.headers,
        )


def error_body(
    error: str, description: str, exception: str, timestamp: int, duration: int = 0
) -> bytes:
    """Agora's error JSON, keys in the order the docs show."""
    return _encode(
        {
            "error": error,
            "exception": exception,
            "timestamp": timestamp,
            "duration": duration,
            "error_description": description,
        }
    )


def _snake(text: str) -> str:
    return text.lower().replace(" ", "_")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def illegal_argument(description: str) -> AgoraHTTPError:
    """400 ``illegal_argument``: the most common refusal."""
    return AgoraHTTPError(400, "illegal_argument", description)


def invalid_request_body() -> AgoraHTTPError:
    """400 ``invalid_request_body``: the body is not what the endpoint reads."""
    return AgoraHTTPError(
        400, "invalid_request_body", "Request body is invalid. Please check body is correct."
    )


def not_found() -> AgoraHTTPError:
    """404 ``service_resource_not_found``: the path's user (group, room ...) is missing."""
    return AgoraHTTPError(404, "service_resource_not_found", "Service resource not found")
