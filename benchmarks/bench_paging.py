"""Paging memory: peak RSS of iterating N members through ``client.users.list()``.

A synthetic server process (``_server.py``) generates the ``GET /users`` pages lazily, 100
members each, so neither side holds the list. Each variant runs in a fresh interpreter
(``python -m benchmarks.bench_paging --child MODE ...``) and reports its peak RSS
(``ru_maxrss``):

- ``baseline``: the same harness (imports, client, connection) fetching only the first page.
- ``pager``: ``async for user in client.users.list(page_size=100)`` over all N members,
  keeping none of them.
- ``accumulate``: ``await client.users.list(page_size=100).to_list()``, for contrast.

``paging_rss_growth_mb`` is pager minus baseline, in MiB (target: under 20 for 1,000,000).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ._server import ServerProcess, client_cpu_and_server_cpu

__all__ = ["run"]

MODES = ("baseline", "pager", "accumulate")


def _peak_rss_kib() -> int:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


async def _child(mode: str, url: str) -> dict[str, Any]:
    from ._clients import make_client

    # Pacing off: at the documented 100 calls/s, 10,000 pages would take 100 s.
    async with make_client(host=url, org_name="org", app_name="app", token="t") as client:
        started = time.perf_counter()
        pager = client.users.list(page_size=100)
        count = pages = 0
        if mode == "accumulate":
            users = await pager.to_list()
            count = len(users)
        else:
            async for page in pager.pages():
                pages += 1
                for _user in page.items:
                    count += 1
                if mode == "baseline":
                    break
        seconds = time.perf_counter() - started
        rss = _peak_rss_kib()
    return {"mode": mode, "items": count, "seconds": seconds, "maxrss_kib": rss}


def _run_child(mode: str, url: str, cpu: int | None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.bench_paging", "--child", mode, "--url", url]
    if cpu is not None:
        cmd += ["--cpu", str(cpu)]
    out = subprocess.run(
        cmd,
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=900,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures as flat JSON-ready keys (see the module docstring)."""
    total = 100_000 if quick else 1_000_000
    client_cpu, server_cpu = client_cpu_and_server_cpu()
    results: dict[str, Any] = {"paging_members": total}
    with ServerProcess(total=total, cpu=server_cpu) as server:
        runs = {mode: _run_child(mode, server.url, client_cpu) for mode in MODES}
    for mode in ("pager", "accumulate"):
        if runs[mode]["items"] != total:
            raise RuntimeError(f"{mode}: iterated {runs[mode]['items']} of {total} members")
    baseline = runs["baseline"]["maxrss_kib"] / 1024
    results["paging_rss_growth_mb"] = runs["pager"]["maxrss_kib"] / 1024 - baseline
    results["paging_rss_growth_accumulate_mb"] = runs["accumulate"]["maxrss_kib"] / 1024 - baseline
    results["paging_rss_baseline_mb"] = baseline
    results["paging_items_per_s"] = total / runs["pager"]["seconds"]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_paging")
    parser.add_argument("--child", choices=MODES, help="run one variant (internal)")
    parser.add_argument("--url", help="server base URL (with --child)")
    parser.add_argument("--cpu", type=int, default=None, help="pin to this CPU (with --child)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.child is None:
        print(json.dumps(run(quick=args.quick), indent=2))
        return
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    print(json.dumps(asyncio.run(_child(args.child, args.url))))


if __name__ == "__main__":
    main()
