"""End to end: a mixed workload through the client against the bundled emulator.

The emulator (``agora_chat_async.emulator.EmulatorServer``, rate limits off) runs in its
own process pinned to one CPU, this process on another; the client authenticates with
app tokens it builds from the emulator's App ID and certificate, as in production, and
does not pace itself (the documented limits would make this a measure of the quotas).

1. Setup: register the user population, 16 requests in flight.
2. Mixed phase: a fixed, seeded sequence of operations, 16 in flight, weighted like a
   backend that mostly reads: get a user 50%, online status 10%, first page of the user
   list (50) 10%, set a push nickname 10%, register 10%, set a password 5%, delete 5%.

Reported: operations per second, latency percentiles (overall and per operation), and
CPU per operation of the client and of the emulator process.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from typing import TYPE_CHECKING, Any

from ._server import client_cpu_and_server_cpu

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient

    from ._emulator import EmulatorProcess

__all__ = ["run"]

CONCURRENCY = 16
MIX = (
    ("get", 50),
    ("get_status", 10),
    ("list_page", 10),
    ("set_nickname", 10),
    ("register", 10),
    ("set_password", 5),
    ("delete", 5),
)


def _emulator_available() -> bool:
    try:
        from agora_chat_async.emulator import EmulatorServer  # noqa: F401
    except ImportError:
        return False
    return True


def _plan(users: int, ops: int, seed: int = 4) -> tuple[list[str], list[tuple[str, str]]]:
    """The users to register first and the operations, each with its target username."""
    rng = random.Random(seed)
    kinds = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX], k=ops)
    deletable = [f"old{i:06d}" for i in range(kinds.count("delete"))]
    stable = [f"user{i:06d}" for i in range(users)]
    fresh = (f"new{i:06d}" for i in range(ops))
    victims = iter(deletable)
    plan = []
    for kind in kinds:
        if kind == "register":
            plan.append((kind, next(fresh)))
        elif kind == "delete":
            plan.append((kind, next(victims)))
        else:
            plan.append((kind, rng.choice(stable)))
    return stable + deletable, plan


async def _op(client: AgoraChatClient, kind: str, name: str) -> None:
    if kind == "get":
        await client.users.get(name)
    elif kind == "get_status":
        await client.users.get_status(name)
    elif kind == "list_page":
        await client.users.list(page_size=50).first_page()
    elif kind == "set_nickname":
        await client.push.set_nickname(name, nickname="Nick " + name)
    elif kind == "register":
        await client.users.register(name, password="secret-pw")
    elif kind == "set_password":
        await client.users.set_password(name, password="new-secret")
    else:
        await client.users.delete(name)


async def _workload(emulator: EmulatorProcess, users: int, ops: int) -> dict[str, Any]:
    from ._clients import make_client

    info = emulator.info
    population, plan = _plan(users, ops)
    latencies: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
    errors: list[BaseException] = []
    # Pacing off, like the emulator's limits: this measures the stack, not Agora's quotas.
    async with make_client(
        host=info["base_url"],
        org_name=info["org_name"],
        app_name=info["app_name"],
        app_id=info["app_id"],
        app_certificate=info["app_certificate"],
    ) as client:
        queue = iter(population)

        async def register_worker() -> None:
            for name in queue:
                await client.users.register(name, password="secret-pw")

        started = time.perf_counter()
        await asyncio.gather(*(register_worker() for _ in range(CONCURRENCY)))
        register_seconds = time.perf_counter() - started

        ops_queue = iter(plan)

        async def worker() -> None:
            for kind, name in ops_queue:
                t0 = time.perf_counter()
                try:
                    await _op(client, kind, name)
                except Exception as exc:
                    errors.append(exc)
                latencies[kind].append(time.perf_counter() - t0)

        server0 = emulator.cpu_seconds()  # a blocking pipe round trip, while idle
        cpu0, wall0 = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        server = emulator.cpu_seconds() - server0
    if errors:
        print(f"  ({len(errors)} operations failed; first: {errors[0]!r})")
    return {
        "register_per_s": len(population) / register_seconds,
        "latencies": latencies,
        "errors": len(errors),
        "cpu": cpu,
        "server_cpu": server,
        "wall": wall,
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def keys() -> list[str]:
    """Every key this benchmark reports (all ``None`` when the emulator is missing)."""
    names = ["e2e_ops", "e2e_ops_per_s", "e2e_latency_p50_ms", "e2e_latency_p99_ms"]
    names += ["e2e_client_cpu_us_per_op", "e2e_server_cpu_us_per_op", "e2e_errors"]
    names += ["e2e_register_per_s"]
    names += [f"e2e_p50_ms_{kind}" for kind, _ in MIX]
    return names


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures as flat JSON-ready keys (see the module docstring)."""
    results: dict[str, Any] = dict.fromkeys(keys())
    if not _emulator_available():
        print("  (agora_chat_async.emulator is not available: skipping the end-to-end run)")
        return results
    from ._emulator import EmulatorProcess

    users, ops = (300, 3000) if quick else (2000, 30000)
    client_cpu, server_cpu = client_cpu_and_server_cpu()
    old_affinity = os.sched_getaffinity(0) if client_cpu is not None else None
    try:
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})
        with EmulatorProcess(cpu=server_cpu) as emulator:
            outcome = asyncio.run(_workload(emulator, users, ops))
    finally:
        if old_affinity is not None:
            os.sched_setaffinity(0, old_affinity)
    all_latencies = [x for values in outcome["latencies"].values() for x in values]
    results.update(
        {
            "e2e_ops": ops,
            "e2e_ops_per_s": ops / outcome["wall"],
            "e2e_latency_p50_ms": statistics.median(all_latencies) * 1e3,
            "e2e_latency_p99_ms": _percentile(all_latencies, 0.99) * 1e3,
            "e2e_client_cpu_us_per_op": outcome["cpu"] / ops * 1e6,
            "e2e_server_cpu_us_per_op": outcome["server_cpu"] / ops * 1e6,
            "e2e_errors": outcome["errors"],
            "e2e_register_per_s": outcome["register_per_s"],
        }
    )
    for kind, values in outcome["latencies"].items():
        results[f"e2e_p50_ms_{kind}"] = statistics.median(values) * 1e3 if values else None
    return results


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
