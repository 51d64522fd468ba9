"""Bulk jobs at the documented rate limit, against the emulator enforcing it.

Two runs, each against an emulator in its own process with its rate limits on:

- Loopback: ``users.register_many`` sends 10,000 users in chunks of 60 (167 calls) with
  default arguments (``POST /users``: 100 calls/s, 429 above). ``bulk_fraction_of_limit``
  is the achieved call rate over the documented one (target >= 0.95); ``bulk_429``
  counts the calls the server refused (target 0: no call wasted).
- Over a slow network: every answer delayed 50, 150 and 300 ms (the emulator's delay
  fault: a round trip from a business server to Agora), ``users.register_many`` of 6,000
  users (100 calls) and ``users.delete_each`` of 600 (600 calls, 100/s), both with default
  arguments. ``bulk_fraction_of_limit_rtt{ms}`` is the lower of the two sustained rates
  over the limit: calls answered per second over the middle 80% of the answers, so
  neither the first round trip and the starting burst nor the last round trip (which no
  client can avoid) counts. ``bulk_job_fraction_rtt{ms}`` is the plain calls / whole
  duration (the lower of the two), for comparison: a short job at a long round trip
  spends a good part of it waiting for the last answers.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

from ._emulator import EmulatorProcess

__all__ = ["RTTS_MS", "keys", "run"]

USERS = 10_000
LIMIT = 100.0  # documented calls/s of POST /users and of DELETE /users/{username}
RTTS_MS = (50, 150, 300)
_ENDPOINTS = {"register": "users.register_many", "delete": "users.delete_each"}


def keys() -> list[str]:
    out = [
        "bulk_fraction_of_limit",
        "bulk_calls_per_s",
        "bulk_users_per_s",
        "bulk_calls",
        "bulk_429",
        "bulk_users",
        "bulk_unaccounted",
    ]
    for ms in RTTS_MS:
        out += [
            f"bulk_fraction_of_limit_rtt{ms}",
            f"bulk_register_fraction_rtt{ms}",
            f"bulk_delete_fraction_rtt{ms}",
            f"bulk_job_fraction_rtt{ms}",
            f"bulk_429_rtt{ms}",
            f"bulk_unaccounted_rtt{ms}",
        ]
    return out


def _client(info: dict[str, Any]) -> Any:
    from agora_chat_async import AgoraChatClient

    return AgoraChatClient(
        host=info["base_url"],
        org_name=info["org_name"],
        app_name=info["app_name"],
        app_id=info["app_id"],
        app_certificate=info["app_certificate"],
    )


async def _control(
    session: aiohttp.ClientSession, info: dict[str, Any], method: str, path: str, body: Any = None
) -> Any:
    async with session.request(method, info["base_url"] + "/__emulator/" + path, json=body) as r:
        r.raise_for_status()
        return json.loads(await r.read())


async def _register(info: dict[str, Any]) -> dict[str, Any]:
    from agora_chat_async import RegisterUser

    users = (RegisterUser(username=f"bulk{i:06d}", password="pw") for i in range(USERS))
    async with _client(info) as client:
        started = time.perf_counter()
        result = await client.users.register_many(users)
        elapsed = time.perf_counter() - started
    async with aiohttp.ClientSession() as session:
        log = await _control(session, info, "GET", "requests")
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


class _Answers:
    """A progress callback noting when each call was answered (its count went up)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._done = 0

    def __call__(self, done: int, _total: int | None) -> None:
        if done > self._done:
            self._done = done
            self.times.append(time.perf_counter())

    def sustained_rate(self) -> float:
        """Calls answered per second over the middle 80% of the answers: neither the
        start (the pacer lets a 50 ms burst go at once) nor the end counts."""
        first, last = len(self.times) // 10, len(self.times) - 1 - len(self.times) // 10
        if last <= first:
            return 0.0
        return (last - first) / (self.times[last] - self.times[first])


async def run_latency(
    info: dict[str, Any], rtt_ms: int, *, register: int, delete: int
) -> dict[str, Any]:
    """``register_many`` of ``register`` users, then ``delete_each`` of ``delete`` of
    them, every answer delayed ``rtt_ms``; the figures of both and their 429s."""
    from agora_chat_async import RegisterUser

    figures: dict[str, dict[str, float]] = {}
    async with aiohttp.ClientSession() as session, _client(info) as client:
        await _control(session, info, "POST", "reset")
        if rtt_ms:
            fault = {"status": None, "delay": rtt_ms / 1000, "times": None}
            await _control(session, info, "POST", "faults", fault)
        names = [f"rtt{rtt_ms}u{i:06d}" for i in range(register)]
        jobs = {
            "register": lambda progress: client.users.register_many(
                (RegisterUser(username=n, password="pw") for n in names), progress=progress
            ),
            "delete": lambda progress: client.users.delete_each(
                iter(names[:delete]), progress=progress
            ),
        }
        for op, job in jobs.items():
            answers = _Answers()
            started = time.perf_counter()
            result = await job(answers)
            elapsed = time.perf_counter() - started
            figures[op] = {
                "sustained": answers.sustained_rate() / LIMIT,
                "job": result.calls / elapsed / LIMIT,
                "unaccounted": (register if op == "register" else delete) - result.total,
                "failed": len(result.failed) + len(result.skipped),
            }
        log = await _control(session, info, "GET", "requests")
    entries = log["requests"] if isinstance(log, dict) else log
    refused = sum(1 for e in entries if e.get("status") == 429)
    ms = rtt_ms
    return {
        f"bulk_fraction_of_limit_rtt{ms}": min(f["sustained"] for f in figures.values()),
        f"bulk_register_fraction_rtt{ms}": figures["register"]["sustained"],
        f"bulk_delete_fraction_rtt{ms}": figures["delete"]["sustained"],
        f"bulk_job_fraction_rtt{ms}": min(f["job"] for f in figures.values()),
        f"bulk_429_rtt{ms}": refused,
        f"bulk_unaccounted_rtt{ms}": sum(int(f["unaccounted"]) for f in figures.values()),
        f"bulk_failed_rtt{ms}": sum(int(f["failed"]) for f in figures.values()),
    }


async def _all(info: dict[str, Any], quick: bool, rtts: tuple[int, ...]) -> dict[str, Any]:
    results = await _register(info)
    register, delete = (1_200, 60) if quick else (6_000, 600)
    for ms in rtts:
        results.update(await run_latency(info, ms, register=register, delete=delete))
    return results


def run(quick: bool = False, rtts: tuple[int, ...] = RTTS_MS) -> dict[str, Any]:
    """Quick: the same loopback run, and small jobs (1,200 users registered, 60
    deleted) at each latency: rough figures (a start burst weighs in), the same keys."""
    with EmulatorProcess(rate_limits=True, lifetime=300) as emulator:
        return asyncio.run(_all(emulator.info, quick, rtts))


if __name__ == "__main__":
    import sys

    chosen = tuple(int(a) for a in sys.argv[1:]) or (0, *RTTS_MS)
    with EmulatorProcess(rate_limits=True, lifetime=300) as emulator:
        for ms in chosen:
            out = asyncio.run(run_latency(emulator.info, ms, register=6_000, delete=600))
            print(json.dumps(out), flush=True)
