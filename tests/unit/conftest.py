"""Fixtures for unit tests: a client with a static token, an aioresponses mock, and
``wire``, which reads back exactly what the client put on the (mocked) wire."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from aioresponses import aioresponses
from aioresponses.compat import normalize_url
from yarl import URL

from agora_chat_async import AgoraChatClient

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

BASE = "https://api.test/org/app"
TOKEN = "test-token"

_NO_BODY: Any = object()


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    """Every aiohttp request is answered by this mock; unmatched ones fail to connect."""
    with aioresponses() as m:
        yield m


@pytest.fixture
async def client() -> AsyncIterator[AgoraChatClient]:
    # Pacing is off: these tests are about the requests (tests/unit/test_pacing.py covers it).
    async with AgoraChatClient(
        host="api.test", org_name="org", app_name="app", token=TOKEN, rate_limits=False
    ) as c:
        yield c


def _canonical(value: Any) -> str:
    # json.dumps keeps types apart where == does not: True vs 1, "22" vs 22.
    return json.dumps(value, sort_keys=True)


class Wire:
    """What the client sent, as recorded by aioresponses.

    URLs are given relative to the app base (``/users?limit=10``); aioresponses records
    them normalised (query keys sorted), and so are the expectations here.
    """

    base = BASE

    def __init__(self, mock: aioresponses) -> None:
        self._mock = mock

    @staticmethod
    def encoded(path: str) -> URL:
        """``path`` under the app base; with ``%`` escapes it is taken as already encoded,
        as the client sends it (a ``%2C`` stays). Register mocks with it."""
        return URL(BASE + path, encoded="%" in path)

    @classmethod
    def url(cls, path: str) -> str:
        return str(normalize_url(cls.encoded(path)))

    def sent(self) -> dict[tuple[str, str], int]:
        """``{(METHOD, normalised full URL): number of requests}`` for everything sent."""
        return {(m, str(u)): len(calls) for (m, u), calls in self._mock.requests.items()}

    def calls(self, method: str, path: str) -> list[Any]:
        return list(self._mock.requests.get((method, normalize_url(self.encoded(path))), []))

    def only(self, method: str, path: str, *, body: Any = _NO_BODY, times: int = 1) -> Any:
        """Assert that exactly ``times`` requests were sent, all ``method path``, check the
        first one's headers and JSON body (or its absence), and return it."""
        assert self.sent() == {(method, self.url(path)): times}
        call = self.calls(method, path)[0]
        self.check(call, body=body)
        return call

    @staticmethod
    def check(call: Any, *, body: Any = _NO_BODY) -> None:
        """Headers and body of one recorded request."""
        headers = dict(call.kwargs["headers"])
        data = call.kwargs["data"]
        expected_headers = {"Accept": "application/json", "Authorization": f"Bearer {TOKEN}"}
        if body is _NO_BODY:
            assert data is None
        else:
            expected_headers["Content-Type"] = "application/json"
            assert isinstance(data, bytes)
            decoded = json.loads(data)
            assert decoded == body
            assert _canonical(decoded) == _canonical(body)
        assert headers == expected_headers
        assert call.kwargs["allow_redirects"] is False

    @staticmethod
    def body(call: Any) -> Any:
        return json.loads(call.kwargs["data"])


@pytest.fixture
def wire(mock: aioresponses) -> Wire:
    return Wire(mock)
