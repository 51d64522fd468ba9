"""The README's first command: the demo tour against its own emulator, end to end."""

from __future__ import annotations

import argparse
import io
import re

from agora_chat_async import _demo


async def test_the_tour_runs_every_step_and_cleans_up() -> None:
    parser = argparse.ArgumentParser()
    _demo.add_arguments(parser)
    args = parser.parse_args(["--users", "130", "--concurrency", "4"])
    for name in _demo.ENV:  # the environment may name a real app: not in a test
        setattr(args, name, None)
    out = io.StringIO()

    code = await _demo.run(args, out)

    text = out.getvalue()
    assert code == 0, text
    assert "created 130, failed 0, skipped 2 in 3 calls" in text
    assert "2 pages, 130 of ours among them" in text
    assert "push nickname 'Demo User', display style 1, do-not-disturb 22-7h" in text
    assert re.search(r"group \d+: added 90 members in 2 calls", text)
    assert "listed 50 per page: {'owner': 1, 'member': 90}" in text
    assert re.search(r"thread \d+: 25 joined in 3 calls of 10, 26 members", text)
    assert "NotFoundError: HTTP 404 service_resource_not_found" in text
    assert "ValueError before sending" in text
    assert "deleted 130, failed 0" in text
