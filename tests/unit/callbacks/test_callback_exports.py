"""agora_chat_async.callbacks exports exactly its public names, sorted."""

from __future__ import annotations

import agora_chat_async.callbacks as callbacks


def test_all_is_complete() -> None:
    public = {
        name
        for name, value in vars(callbacks).items()
        if not name.startswith("_") and not isinstance(value, type(callbacks))
    }
    assert set(callbacks.__all__) == public
    assert all(getattr(callbacks, name) is not None for name in callbacks.__all__)


def test_bot_serves_the_receiver_as_asgi_and_aiohttp() -> None:
    bot = callbacks.Bot(object(), secret="s")  # type: ignore[arg-type]
    assert bot.asgi_app() is bot.receiver
    app = bot.aiohttp_app("/agora")
    assert [r.method for r in app.router.routes()] == ["POST"]
