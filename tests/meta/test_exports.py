"""The package root exports exactly its public names, all of them importable."""

from __future__ import annotations

import subprocess
import sys

import agora_chat_async


def test_all_is_sorted_and_complete() -> None:
    public = {
        name
        for name, value in vars(agora_chat_async).items()
        if not name.startswith("_") and not isinstance(value, type(agora_chat_async))
    }
    assert set(agora_chat_async.__all__) == public | {"__version__"}


def test_design_names_are_importable() -> None:
    from agora_chat_async import (  # noqa: F401
        ENDPOINTS,
        AgoraChatClient,
        AgoraChatError,
        APIStatusError,
        NotFoundError,
        RateLimitError,
    )
    from agora_chat_async.tokens import (  # noqa: F401
        build_app_token,
        build_user_token,
        parse_token,
    )

    first = ENDPOINTS[0]
    assert (first.name, first.method, first.path) == ("users.register", "POST", "/users")


def test_the_redis_limiter_is_exported_without_importing_redis() -> None:
    # redis is an optional extra: importing the package (and the name) must not need it.
    code = (
        "import sys\n"
        "from agora_chat_async import RateLimiterUnavailableError, RedisRateLimiter\n"
        "assert issubclass(RateLimiterUnavailableError, __import__('agora_chat_async')"
        ".AgoraChatError)\n"
        "assert 'redis' not in sys.modules, sorted(m for m in sys.modules if 'redis' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
