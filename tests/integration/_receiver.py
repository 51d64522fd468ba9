"""A tiny business server for callback tests: records what the emulator posts and answers
as the test says (status per request, a delay, a reply body).

The signature is checked by hand here from Agora's formula, independently of the
emulator's code: ``md5(callId + secret + str(timestamp))``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from collections.abc import Callable

SECRET = "s3cret-for-tests"
APPKEY = "demo#demo"


def signature(body: dict[str, Any], secret: str = SECRET) -> str:
    text = f"{body['callId']}{secret}{body['timestamp']}"
    return hashlib.md5(text.encode()).hexdigest()


def signed(body: dict[str, Any], secret: str = SECRET) -> bool:
    return body["security"] == signature(body, secret)


@dataclass
class Received:
    body: dict[str, Any]
    raw: bytes
    headers: dict[str, str]


class Receiver:
    """An aiohttp app on a free loopback port (``async with Receiver() as r: r.url``)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.statuses: deque[int] = deque()
        """Status of each next answer (200 once they are used up)."""
        self.status = 200
        """Status once ``statuses`` is used up."""
        self.delay = 0.0
        self.reply: Callable[[dict[str, Any]], bytes | str] = lambda _: b"ok"
        self._arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=0.1
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/hook"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw)
        async with self._arrived:
            self.received.append(Received(body, raw, dict(request.headers)))
            self._arrived.notify_all()
        if self.delay:
            await asyncio.sleep(self.delay)
        status = self.statuses.popleft() if self.statuses else self.status
        return web.Response(status=status, body=self.reply(body), content_type="application/json")

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The bodies once at least ``count`` have arrived."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: len(self.received) >= count)
        return self.bodies

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.received]
