"""A transport that records what the client sends and answers with a chosen response."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agora_chat_async import AgoraChatClient
from agora_chat_async._transport import RawResponse

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

BASE = "https://api.test/org/app"


@dataclass
class Sent:
    method: str
    url: str
    headers: dict[str, str]
    body: Any


@dataclass
class RecordingTransport:
    """Never touches the network: each request is recorded and gets ``status``/``body``."""

    status: int = 200
    body: bytes = b"{}"
    headers: Mapping[str, str] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: Any,
        timeout: Any,
        *,
        endpoint: str | None = None,
    ) -> RawResponse:
        self.sent.append(Sent(method, url, dict(headers), body))
        return RawResponse(self.status, self.headers, self.body)

    async def aclose(self) -> None:
        return None


def run(call: Callable[[AgoraChatClient], Awaitable[Any]], transport: RecordingTransport) -> Any:
    """Run ``call`` on a client wired to ``transport`` (no retries, no pacing); returns
    its result, or the exception it raised."""

    async def main() -> Any:
        async with AgoraChatClient(
            host="api.test",
            org_name="org",
            app_name="app",
            token="property-token",
            transport=transport,
            max_retries=0,
            rate_limits=False,
        ) as client:
            try:
                return await call(client)
            except Exception as exc:
                return exc

    return asyncio.run(main())
