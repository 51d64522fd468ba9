"""Helpers shared by the integration tests: raw HTTP requests and error-body checks."""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiohttp

from agora_chat_async.tokens import build_app_token

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async.emulator import EmulatorServer

#: Pass as ``token=`` to send no Authorization header at all.
NO_TOKEN = ""

HOUR = 3600.0


class Clock:
    """The emulator's clock in these tests: real time shifted by ``offset`` seconds, which
    a test may move (tokens stay valid: they are checked against it for expiry only)."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.frozen_at: float | None = None

    def __call__(self) -> float:
        if self.frozen_at is not None:
            return self.frozen_at
        return time.time() + self.offset

    def freeze(self) -> None:
        """Stop the clock where it is, for tests that read whole seconds left."""
        self.frozen_at = self()

    def hour(self, shift: float = 0.0) -> str:
        """The hour (``YYYYMMDDHH``, UTC) ``shift`` seconds away on this clock."""
        return datetime.fromtimestamp(self() + shift, UTC).strftime("%Y%m%d%H")

    def go_back(self, hours: int) -> str:
        """Move to 10 minutes into the hour ``hours`` ago; returns that hour."""
        now = time.time()
        self.offset = (now // HOUR - hours) * HOUR + 600 - now
        return self.hour()


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    body: Any
    """Parsed JSON (or the text when it is not JSON)."""


class Raw:
    """Plain aiohttp requests to the emulator, with a valid app token by default.

    ``path`` is relative to ``/{org}/{app}`` unless it starts with ``/__emulator`` or
    ``absolute=True`` is given.
    """

    def __init__(self, server: EmulatorServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session
        self.token = build_app_token(server.app_id, server.app_certificate, 600)

    def url(self, path: str, *, absolute: bool = False) -> str:
        if absolute or path.startswith("/__emulator"):
            return self.server.base_url + path
        return f"{self.server.base_url}/{self.server.org_name}/{self.server.app_name}{path}"

    async def __call__(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | str | None = None,
        token: str | None = None,
        absolute: bool = False,
        params: dict[str, str] | None = None,
    ) -> RawResponse:
        token = self.token if token is None else token
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if data is not None:
            headers["Content-Type"] = "application/json"
        async with self.session.request(
            method,
            self.url(path, absolute=absolute),
            json=json,
            data=data,
            headers=headers,
            params=params,
        ) as response:
            text = await response.text()
            try:
                body: Any = await response.json(content_type=None)
            except ValueError:
                body = text
            return RawResponse(response.status, dict(response.headers), body)


@asynccontextmanager
async def raw_requests(server: EmulatorServer) -> AsyncIterator[Raw]:
    """A :class:`Raw` for ``server`` with its own session."""
    async with aiohttp.ClientSession() as session:
        yield Raw(server, session)


def agora_error(response: RawResponse, status: int, error: str, description: str) -> None:
    """Assert an Agora-shaped error body with exactly these values."""
    assert response.status == status, response.body
    body = response.body
    assert list(body) == ["error", "exception", "timestamp", "duration", "error_description"]
    assert (body["error"], body["error_description"]) == (error, description)
    assert isinstance(body["exception"], str)
    assert isinstance(body["timestamp"], int)
    assert body["duration"] >= 0


async def ok(raw: Raw, method: str, path: str, json: Any = None) -> Any:
    """The body of a request that must succeed."""
    response = await raw(method, path, json=json)
    assert response.status == 200, response.body
    return response.body


async def register(raw: Raw, *names: str) -> None:
    """Register users (no password), 60 per request."""
    for start in range(0, len(names), 60):
        await ok(raw, "POST", "/users", [{"username": n} for n in names[start : start + 60]])
