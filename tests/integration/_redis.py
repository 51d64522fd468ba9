"""Redis for the tests that need one: ``redis_url`` (shared) and ``own_redis`` (killable).

``redis_url`` is ``AGORA_TEST_REDIS_URL`` when set (``.ci/run`` starts a server and sets
it), else a ``redis-server`` this session starts on a free port. Without either, the
tests skip and say why, except in CI (``CI=true``), where a missing Redis fails them.
Tests share the server by using app keys of their own.
"""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from benchmarks._redis import RedisServer, redis_answers

if TYPE_CHECKING:
    from collections.abc import Iterator

_INSTALL = "install redis-server (apt-get install redis-server) or set AGORA_TEST_REDIS_URL"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason}; in CI the Redis tests must run, not skip")
    pytest.skip(reason)


def _need_redis_package() -> None:
    try:
        import redis  # noqa: F401
    except ImportError:
        _unavailable("the redis package is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    _need_redis_package()
    given = os.environ.get("AGORA_TEST_REDIS_URL")
    if given:
        parts = urlsplit(given)
        if not redis_answers(parts.hostname or "127.0.0.1", parts.port or 6379):
            pytest.fail(f"AGORA_TEST_REDIS_URL={given} does not answer")
        yield given
        return
    if RedisServer.binary() is None:
        _unavailable(f"no Redis to test against: {_INSTALL}")
    with RedisServer() as server:
        yield server.url


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of the test's own, which it may kill and start again."""
    _need_redis_package()
    if RedisServer.binary() is None:
        _unavailable(f"this test kills a Redis server it starts itself: {_INSTALL}")
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def app_key() -> str:
    """An app key no other test uses, so tests can share one Redis."""
    return f"org#app{uuid.uuid4().hex[:12]}"
