"""The README's Python examples run as written against the emulator: the quick start
(with its client pointed at the emulator) and the web-service example (with a stand-in
for FastAPI, whose only part in it is to call the lifespan and the handler)."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pytest

    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _example(after_heading: str) -> str:
    """The first ``python`` block after the heading ``after_heading``."""
    section = README.split(after_heading + "\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


async def test_quick_start(
    emulator: EmulatorServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = _example("## Quick start")
    assert source.rstrip().endswith("asyncio.run(main())")
    namespace: dict[str, Any] = {}
    exec(compile(source.rstrip().removesuffix("asyncio.run(main())"), "README", "exec"), namespace)

    def at_the_emulator(**given: Any) -> AgoraChatClient:
        # The example's host and credentials are placeholders for a real app.
        assert given["host"] == "a41.chat.agora.io"
        return emulator.client()

    namespace["AgoraChatClient"] = at_the_emulator
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 quarterly figures")

    await namespace["main"]()

    out = capsys.readouterr().out.splitlines()
    assert "1000 []" in out  # every user registered, none failed
    assert out.count("alice owner") == 1
    assert sum(line.endswith(" member") for line in out) == 1000
    assert out[-1].startswith("404 service_resource_not_found ")
    (stored,) = emulator.state.files.values()
    assert stored.data == b"%PDF-1.4 quarterly figures"


async def test_web_service_example(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "AGORA_HOST": emulator.base_url,
        "AGORA_ORG_NAME": emulator.org_name,
        "AGORA_APP_NAME": emulator.app_name,
        "AGORA_APP_ID": emulator.app_id,
        "AGORA_APP_CERTIFICATE": emulator.app_certificate,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setitem(sys.modules, "fastapi", _stand_in_for_fastapi())
    namespace: dict[str, Any] = {}
    exec(compile(_example("### In a web service"), "README", "exec"), namespace)
    app, lifespan, signup = namespace["app"], namespace["lifespan"], namespace["signup"]

    async with lifespan(app):
        request = types.SimpleNamespace(app=app)
        answer = await signup("alice", request)
        client = app.state.chat
    assert answer == {"uuid": emulator.state.get("alice").uuid}
    assert client._closed  # closed with the application


def _stand_in_for_fastapi() -> types.ModuleType:
    class FastAPI:
        def __init__(self, *, lifespan: Any) -> None:
            self.state = types.SimpleNamespace()
            self.lifespan = lifespan

        def post(self, path: str) -> Any:
            return lambda handler: handler

    module = types.ModuleType("fastapi")
    module.FastAPI = FastAPI  # type: ignore[attr-defined]
    module.Request = object  # type: ignore[attr-defined]
    return module
