"""Benchmarks for agora_chat_async: ``python -m benchmarks [name ...] [--quick] [--json FILE]``.

Plain scripts, not part of the test suite: request overhead against raw aiohttp, typed
decoding against ``json.loads``, pager memory, and a mixed workload against the emulator.
Every server under test runs in its own process on loopback (``_server.py``,
``_emulator.py``). See ``benchmarks/README.md`` for method and numbers.
"""
