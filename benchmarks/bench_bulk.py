"""Bulk registration at the documented rate limit, against the emulator enforcing it.

``users.register_many`` sends 10,000 users in chunks of 60 (167 calls) to an emulator in
its own process with its rate limits on (``POST /users``: 100 calls/s, 429 above). The
client paces itself at 97% of the documented rate. ``bulk_fraction_of_limit`` is the
achieved call rate over the documented one (target >= 0.95); ``bulk_429`` counts the
calls the server refused (target 0: no call wasted).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

from ._emulator import EmulatorProcess

__all__ = ["keys", "run"]

USERS = 10_000
LIMIT = 100.0  # documented calls/s of POST /users


def keys() -> list[str]:
    return [
        "bulk_fraction_of_limit",
        "bulk_calls_per_s",
        "bulk_users_per_s",
        "bulk_calls",
        "bulk_429",
        "bulk_users",
        "bulk_unaccounted",
    ]


async def _register(info: dict[str, Any]) -> dict[str, Any]:
    from agora_chat_async import AgoraChatClient, RegisterUser

    users = (RegisterUser(username=f"bulk{i:06d}", password="pw") for i in range(USERS))
    async with AgoraChatClient(
        host=info["base_url"],
        org_name=info["org_name"],
        app_name=info["app_name"],
        app_id=info["app_id"],
        app_certificate=info["app_certificate"],
    ) as client:
        started = time.perf_counter()
        result = await client.users.register_many(users, concurrency=8)
        elapsed = time.perf_counter() - started
    async with (
        aiohttp.ClientSession() as session,
        session.get(info["base_url"] + "/__emulator/requests") as response,
    ):
        log = json.loads(await response.read())
    entries = log["requests"] if isinstance(log, dict) else log
    refused = sum(1 for e in entries if e.get("status") == 429)
    return {
        "bulk_fraction_of_limit": result.calls / elapsed / LIMIT,
        "bulk_calls_per_s": result.calls / elapsed,
        "bulk_users_per_s": len(result.succeeded) / elapsed,
        "bulk_calls": result.calls,
        "bulk_429": refused,
        "bulk_users": len(result.succeeded),
        "bulk_unaccounted": USERS - result.total,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Same size in both modes: 167 paced calls take under two seconds."""
    with EmulatorProcess(rate_limits=True, lifetime=120) as emulator:
        return asyncio.run(_register(emulator.info))
