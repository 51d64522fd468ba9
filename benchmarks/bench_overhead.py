"""Request overhead: client CPU per ``GET /users/{name}`` against raw aiohttp and others.

The canned server runs in its own process pinned to one CPU, this process to another.
Each round runs one short block of requests per variant, back to back; ``client`` and
``aiohttp`` come first and swap order every round. A block's cost is the CPU time of this
process (user + sys) divided by its requests, so a slower phase of the machine hits both
members of a pair alike. ``overhead_ratio_c{N}`` is the median over rounds of aiohttp's
CPU per request divided by the client's (1.0: no overhead; target >= 0.90), with the
quartiles; ``server_cpu_share_c{N}`` is the median share of a CPU the server used.

Variants, all through the same worker harness:

- ``client``: ``await client.users.get("alice")``, decoding into ``User``; client-side
  pacing off (``rate_limits=False``), or it would hold ``users.get`` to 100/s.
- ``client_paced``: the same with pacing on, at a rate that never makes it wait: the
  pacer's own cost (skipped for a client without pacing).
- ``aiohttp``: one shared ``ClientSession``, ``session.get`` + ``read()`` of the bytes,
  same headers; the floor for any aiohttp-based client.
- ``httpx``: one shared ``httpx.AsyncClient`` (skipped when httpx is not installed).
- ``aiohttp_session_per_request``: a new ``ClientSession`` per request, as naive code does.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

from ._clients import can_pace, make_client
from ._server import ServerProcess, client_cpu_and_server_cpu

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = ["run"]

VARIANTS = ("client", "client_paced", "aiohttp", "httpx", "aiohttp_session_per_request")
_FULL_BLOCK = ("client", "client_paced", "aiohttp")
CONCURRENCIES = (1, 64)
_HEADERS = {"Accept": "application/json", "Authorization": "Bearer t"}


@dataclass(frozen=True)
class Settings:
    rounds: int
    block: int  # requests per block of the client and aiohttp (tens of milliseconds)
    other_block: int  # requests per block of the slower httpx and session-per-request


# Short blocks and many rounds: the speed of this machine also wanders within a second,
# so the pairs must be close in time and numerous (per-pair ratios spread by +-15%).
FULL = Settings(rounds=101, block=300, other_block=80)
QUICK = Settings(rounds=15, block=200, other_block=60)


@dataclass
class _Samples:
    cpu_us: list[float] = field(default_factory=list)  # CPU µs per request, per block
    rps: list[float] = field(default_factory=list)  # requests per wall second, per block


async def _drive(once: Callable[[], Awaitable[Any]], n: int, concurrency: int) -> None:
    if concurrency == 1:
        for _ in range(n):
            await once()
        return
    remaining = n

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await once()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


class _Variants:
    """The request function of each variant, with the sessions it needs."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.url = base + "/org/app/users/alice"
        options: dict[str, Any] = {"host": base, "org_name": "org", "app_name": "app", "token": "t"}
        self.client = make_client(**options)
        self.paced = make_client(paced=True, **options) if can_pace() else None
        self.session = aiohttp.ClientSession()
        self.httpx: Any = None
        try:
            import httpx
        except ImportError:
            pass
        else:
            limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
            self.httpx = httpx.AsyncClient(limits=limits)

    def available(self, names: tuple[str, ...]) -> list[str]:
        missing = {"httpx": self.httpx is None, "client_paced": self.paced is None}
        return [n for n in names if not missing.get(n)]

    def once(self, name: str) -> Callable[[], Awaitable[Any]]:
        url, headers = self.url, _HEADERS
        if name in ("client", "client_paced"):
            client = self.client if name == "client" else self.paced
            assert client is not None

            async def once() -> Any:
                return await client.users.get("alice")

        elif name == "aiohttp":
            session = self.session

            async def once() -> Any:
                async with session.get(url, headers=headers) as response:
                    body = await response.read()
                    if response.status != 200:
                        raise RuntimeError(response.status)
                    return body

        elif name == "httpx":
            hx = self.httpx

            async def once() -> Any:
                response = await hx.get(url, headers=headers)
                if response.status_code != 200:
                    raise RuntimeError(response.status_code)
                return response.content

        else:

            async def once() -> Any:
                async with (
                    aiohttp.ClientSession() as session,
                    session.get(url, headers=headers) as response,
                ):
                    body = await response.read()
                    if response.status != 200:
                        raise RuntimeError(response.status)
                    return body

        return once

    async def server_cpu(self) -> float:
        async with self.session.get(self.base + "/__cpu") as response:
            return float(await response.read())

    async def aclose(self) -> None:
        await self.client.aclose()
        if self.paced is not None:
            await self.paced.aclose()
        await self.session.close()
        if self.httpx is not None:
            await self.httpx.aclose()


@dataclass
class _Level:
    """Everything measured at one concurrency on one event loop."""

    samples: dict[str, _Samples]
    ratios: list[float] = field(default_factory=list)  # aiohttp CPU / client CPU, per pair
    paced_ratios: list[float] = field(default_factory=list)  # the same for client_paced
    extra_us: list[float] = field(default_factory=list)  # client - aiohttp CPU µs, per pair
    server_busy: list[float] = field(default_factory=list)  # server CPU / wall, per block


async def _measure(
    base: str, settings: Settings, names: tuple[str, ...], label: str
) -> dict[int, _Level]:
    variants = _Variants(base)
    names = tuple(variants.available(names))
    levels: dict[int, _Level] = {}
    try:
        for concurrency in CONCURRENCIES:
            started = time.perf_counter()
            level = levels[concurrency] = _Level({name: _Samples() for name in names})
            fns = {name: variants.once(name) for name in names}
            for name in names:  # warm up: connections, caches, code paths
                await _drive(fns[name], max(concurrency * 4, 100), concurrency)
            for round_no in range(settings.rounds):
                pair = ["client", "aiohttp"] if round_no % 2 == 0 else ["aiohttp", "client"]
                per_request: dict[str, float] = {}
                for name in pair + [n for n in names if n not in pair]:
                    n = settings.block if name in _FULL_BLOCK else settings.other_block
                    gc.collect()
                    server0 = await variants.server_cpu()
                    cpu0, wall0 = time.process_time(), time.perf_counter()
                    await _drive(fns[name], n, concurrency)
                    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
                    server = await variants.server_cpu() - server0
                    if name != "aiohttp_session_per_request":
                        level.server_busy.append(server / wall)
                    per_request[name] = cpu / n * 1e6
                    level.samples[name].cpu_us.append(per_request[name])
                    level.samples[name].rps.append(n / wall)
                level.ratios.append(per_request["aiohttp"] / per_request["client"])
                level.extra_us.append(per_request["client"] - per_request["aiohttp"])
                if "client_paced" in per_request:
                    level.paced_ratios.append(per_request["aiohttp"] / per_request["client_paced"])
            took = time.perf_counter() - started
            print(f"  {label} c={concurrency}: {settings.rounds} rounds, {took:.1f} s", flush=True)
    finally:
        await variants.aclose()
    return levels


def _loop_factory(kind: str) -> Any:
    if kind == "asyncio":
        return None
    import uvloop

    return uvloop.new_event_loop


def _installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def _keys(suffix: str, names: tuple[str, ...]) -> list[str]:
    keys = []
    for c in CONCURRENCIES:
        keys += [f"overhead_ratio_c{c}{suffix}", f"overhead_ratio_c{c}{suffix}_q1"]
        keys += [f"overhead_ratio_c{c}{suffix}_q3", f"overhead_cpu_us_c{c}{suffix}"]
        keys.append(f"server_cpu_share_c{c}{suffix}")
        if "client_paced" in names:
            keys.append(f"overhead_ratio_paced_c{c}{suffix}")
        for name in names:
            keys.append(f"cpu_us_per_request_{name}_c{c}{suffix}")
            keys.append(f"requests_per_s_{name}_c{c}{suffix}")
    return keys


def _figures(levels: dict[int, _Level], suffix: str) -> dict[str, float]:
    figures = {}
    for c, level in levels.items():
        low, high = _quartiles(level.ratios)
        figures[f"overhead_ratio_c{c}{suffix}"] = statistics.median(level.ratios)
        figures[f"overhead_ratio_c{c}{suffix}_q1"] = low
        figures[f"overhead_ratio_c{c}{suffix}_q3"] = high
        figures[f"overhead_cpu_us_c{c}{suffix}"] = statistics.median(level.extra_us)
        figures[f"server_cpu_share_c{c}{suffix}"] = statistics.median(level.server_busy)
        if level.paced_ratios:
            figures[f"overhead_ratio_paced_c{c}{suffix}"] = statistics.median(level.paced_ratios)
        for name, samples in level.samples.items():
            figures[f"cpu_us_per_request_{name}_c{c}{suffix}"] = statistics.median(samples.cpu_us)
            figures[f"requests_per_s_{name}_c{c}{suffix}"] = statistics.median(samples.rps)
    return figures


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures as flat JSON-ready keys (see the module docstring).

    Keys are the same on every run; figures of an optional baseline that is not
    installed (httpx, uvloop) are ``None``.
    """
    settings = QUICK if quick else FULL
    loops = [("asyncio", "", VARIANTS), ("uvloop", "_uvloop", ("client", "aiohttp"))]
    results: dict[str, Any] = dict.fromkeys(
        [key for _, suffix, names in loops for key in _keys(suffix, names)]
    )
    if not _installed("httpx"):
        print("  (httpx not installed: skipping the httpx baseline)")
    elif not _installed("sniffio"):
        # httpcore 1.0 tries `import sniffio` several times per request; a failed import
        # walks sys.path each time and more than doubles httpx's CPU per request.
        print("  (note: sniffio is not installed, which makes httpx slower than it is)")
    if not _installed("uvloop"):
        print("  (uvloop not installed: skipping the uvloop figures)")
        loops.pop()
    client_cpu, server_cpu = client_cpu_and_server_cpu()
    old_affinity = os.sched_getaffinity(0) if client_cpu is not None else None
    try:
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})
        with ServerProcess(cpu=server_cpu) as server:
            for kind, suffix, names in loops:
                with asyncio.Runner(loop_factory=_loop_factory(kind)) as runner:
                    levels = runner.run(_measure(server.url, settings, names, kind))
                results.update(_figures(levels, suffix))
    finally:
        if old_affinity is not None:
            os.sched_setaffinity(0, old_affinity)
    return results


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
