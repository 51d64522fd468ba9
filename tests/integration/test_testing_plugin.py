"""The opt-in pytest plugin gives users a fresh emulator and client per test."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest


def test_plugin_fixtures_give_each_test_a_fresh_app(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["agora_chat_async.testing"]')
    pytester.makepyfile(
        """
        from agora_chat_async import NotFoundError
        import pytest

        async def test_first(agora_client, agora_emulator):
            await agora_client.users.register("alice")
            assert (await agora_client.users.get("alice")).username == "alice"
            assert agora_emulator.base_url.startswith("http://127.0.0.1:")

        async def test_second_starts_empty(agora_client):
            with pytest.raises(NotFoundError):
                await agora_client.users.get("alice")
        """
    )
    result = pytester.runpytest_subprocess(
        "-o",
        "asyncio_mode=auto",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
        "-W",
        "error",
        timeout=120,
    )
    result.assert_outcomes(passed=2)
