"""``python -m benchmarks [name ...] [--quick] [--json FILE]``: run, print a table and JSON.

Names: overhead, decode, paging, bulk, e2e, shared (default: all). ``--quick`` uses fewer
requests, rounds and members (same keys) and finishes in well under a minute. The JSON is
flat: stable keys with numbers (``null`` where an optional baseline is not installed, or
redis-server for ``shared``), plus ``meta``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from importlib import metadata
from typing import Any

from . import (
    bench_bulk,
    bench_decode,
    bench_e2e,
    bench_overhead,
    bench_paging,
    bench_shared_limit,
)

BENCHMARKS = {
    "overhead": bench_overhead.run,
    "decode": bench_decode.run,
    "paging": bench_paging.run,
    "bulk": bench_bulk.run,
    "e2e": bench_e2e.run,
    "shared": bench_shared_limit.run,
}

# (key, comparison, threshold, what it means)
TARGETS = (
    ("overhead_ratio_c1", ">=", 0.90, "aiohttp CPU / client CPU per request, concurrency 1"),
    ("overhead_ratio_c64", ">=", 0.90, "aiohttp CPU / client CPU per request, concurrency 64"),
    ("decode_speedup_vs_json", ">=", 3.0, "typed msgspec vs json.loads, 1,000-member page"),
    ("paging_rss_growth_mb", "<", 20.0, "MiB peak RSS growth paging 1,000,000 (quick: 100,000)"),
    ("bulk_fraction_of_limit", ">=", 0.95, "register 10,000 users: calls/s over the 100/s limit"),
    ("bulk_429", "<", 1, "calls the rate-limited emulator refused during that run"),
    *(
        target
        for ms in bench_bulk.RTTS_MS
        for target in (
            (
                f"bulk_fraction_of_limit_rtt{ms}",
                ">=",
                0.95,
                f"register_many and delete_each, answers {ms} ms late: sustained calls/s "
                "over the limit (the lower)",
            ),
            (f"bulk_429_rtt{ms}", "<", 1, f"calls refused in those runs at {ms} ms"),
        )
    ),
    (
        "shared_limit_fraction_of_limit",
        ">=",
        0.95,
        "4 processes, one Redis limiter: calls/s over the 100/s limit",
    ),
    ("shared_limit_429", "<", 1, "calls refused in that run"),
)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _meta(quick: bool, names: list[str], seconds: float) -> dict[str, Any]:
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "benchmarks": names,
        "seconds": round(seconds, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "versions": {
            d: _version(d)
            for d in (
                "agora-chat-async",
                "aiohttp",
                "msgspec",
                "httpx",
                "orjson",
                "pydantic",
                "uvloop",
            )
        },
    }


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _print_overhead(r: dict[str, Any]) -> None:
    print("\nRequest overhead: GET one user, client CPU (user+sys) per request, loopback")
    print(f"{'variant':<30}{'c=1 CPU µs':>12}{'req/s':>10}{'c=64 CPU µs':>14}{'req/s':>10}")
    rows = [(v, "") for v in bench_overhead.VARIANTS]
    rows += [(v, "_uvloop") for v in ("client", "aiohttp")]
    for variant, suffix in rows:
        cells = []
        for c in bench_overhead.CONCURRENCIES:
            cells.append(r.get(f"cpu_us_per_request_{variant}_c{c}{suffix}"))
            cells.append(r.get(f"requests_per_s_{variant}_c{c}{suffix}"))
        if all(cell is None for cell in cells):
            continue
        label = variant + (" (uvloop)" if suffix else "")
        print(
            f"{label:<30}{_fmt(cells[0], 1):>12}{_fmt(cells[1], 0):>10}"
            f"{_fmt(cells[2], 1):>14}{_fmt(cells[3], 0):>10}"
        )
    if r.get("overhead_ratio_paced_c1") is not None:
        paced = ", ".join(
            f"c={c} {r[f'overhead_ratio_paced_c{c}']:.3f}" for c in bench_overhead.CONCURRENCIES
        )
        print(f"client_paced: pacing on at a rate that never waits; aiohttp/it: {paced}")
    print("overhead ratio = aiohttp CPU / client CPU per request, median of paired blocks:")
    for suffix in ("", "_uvloop"):
        for c in bench_overhead.CONCURRENCIES:
            key = f"overhead_ratio_c{c}{suffix}"
            if r.get(key) is None:
                continue
            loop = "uvloop" if suffix else "asyncio"
            print(
                f"  {loop:<8} c={c:<3} {r[key]:.3f} (quartiles {r[key + '_q1']:.3f}-"
                f"{r[key + '_q3']:.3f}); client +{r[f'overhead_cpu_us_c{c}{suffix}']:.1f} µs "
                f"CPU per request; server CPU busy "
                f"{r[f'server_cpu_share_c{c}{suffix}']:.0%}"
            )


def _print_decode(r: dict[str, Any]) -> None:
    print("\nDecoding: µs per decode (median of paired rounds); speedup of typed msgspec")
    print(f"{'variant':<20}{'1,000-member page':>20}{'x vs it':>10}{'single user':>14}{'x':>8}")
    for v in bench_decode.VARIANTS:
        page, single = r.get(f"decode_us_page_{v}"), r.get(f"decode_us_single_{v}")
        if page is None:
            continue
        if v == "msgspec":
            x_page = x_single = None
        else:
            x_page = r.get(f"decode_speedup_vs_{v}")
            x_single = r.get(f"decode_speedup_vs_{v}_single")
        print(
            f"{v:<20}{_fmt(page, 1):>20}{_fmt(x_page):>10}{_fmt(single, 2):>14}{_fmt(x_single):>8}"
        )


def _print_paging(r: dict[str, Any]) -> None:
    print(f"\nPaging {r['paging_members']:,} members, 100 per page (peak RSS, fresh processes)")
    print(f"  baseline (first page only)  {r['paging_rss_baseline_mb']:8.1f} MiB")
    print(f"  pager growth over baseline  {r['paging_rss_growth_mb']:8.1f} MiB")
    print(f"  to_list() growth            {r['paging_rss_growth_accumulate_mb']:8.1f} MiB")
    print(f"  pager throughput            {r['paging_items_per_s']:8,.0f} members/s")


def _print_bulk(r: dict[str, Any]) -> None:
    print(
        f"\nBulk: register {r['bulk_users']:,} users, 60 per call, against the emulator "
        "enforcing POST /users at 100 calls/s"
    )
    print(
        f"  {r['bulk_calls']} calls at {r['bulk_calls_per_s']:.1f}/s "
        f"({r['bulk_fraction_of_limit']:.1%} of the limit), {r['bulk_users_per_s']:,.0f} "
        f"users/s; 429s: {r['bulk_429']}; items unaccounted for: {r['bulk_unaccounted']}"
    )
    print(
        "Bulk over a slow network, default arguments: fraction of the 100/s limit "
        "sustained (and over the whole job)"
    )
    print(f"  {'answers late':<14}{'register_many':>16}{'delete_each':>14}{'429s':>7}{'lost':>6}")
    for ms in bench_bulk.RTTS_MS:
        if r.get(f"bulk_fraction_of_limit_rtt{ms}") is None:
            continue
        job = r[f"bulk_job_fraction_rtt{ms}"]
        print(
            f"  {f'{ms} ms':<14}{r[f'bulk_register_fraction_rtt{ms}']:>16.3f}"
            f"{r[f'bulk_delete_fraction_rtt{ms}']:>14.3f}{r[f'bulk_429_rtt{ms}']:>7}"
            f"{r[f'bulk_unaccounted_rtt{ms}']:>6}   (whole job, lower: {job:.3f})"
        )


def _print_e2e(r: dict[str, Any]) -> None:
    if r.get("e2e_ops") is None:
        return
    print(
        f"\nEnd to end against the emulator (own process): {r['e2e_ops']:,} mixed operations, "
        f"{bench_e2e.CONCURRENCY} in flight"
    )
    print(
        f"  {r['e2e_ops_per_s']:,.0f} ops/s; latency p50 {r['e2e_latency_p50_ms']:.2f} ms, "
        f"p99 {r['e2e_latency_p99_ms']:.2f} ms; errors {r['e2e_errors']}"
    )
    print(
        f"  CPU per operation: client {r['e2e_client_cpu_us_per_op']:.0f} µs, "
        f"emulator {r['e2e_server_cpu_us_per_op']:.0f} µs; "
        f"setup registrations {r['e2e_register_per_s']:,.0f}/s"
    )
    print(
        "  p50 ms by operation: "
        + ", ".join(f"{kind} {_fmt(r[f'e2e_p50_ms_{kind}'])}" for kind, _ in bench_e2e.MIX)
    )


def _print_targets(r: dict[str, Any]) -> None:
    print(f"\n{'target':<26}{'value':>10}  {'wanted':<10}{'':<8}meaning")
    for key, op, threshold, meaning in TARGETS:
        value = r.get(key)
        if value is None:
            continue
        ok = value >= threshold if op == ">=" else value < threshold
        verdict = "ok" if ok else "MISSED"
        print(f"{key:<26}{value:>10.3f}  {op} {threshold:<7}{verdict:<8}{meaning}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="name", help=", ".join(BENCHMARKS))
    parser.add_argument("--quick", action="store_true", help="short run (smoke test)")
    parser.add_argument("--json", metavar="FILE", help="also write the JSON here")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)}; pick from {', '.join(BENCHMARKS)}")
    names = [n for n in BENCHMARKS if n in args.names] if args.names else list(BENCHMARKS)
    started = time.perf_counter()
    results: dict[str, Any] = {}
    for name in names:
        print(f"running {name}{' (quick)' if args.quick else ''} ...", flush=True)
        t0 = time.perf_counter()
        results.update(BENCHMARKS[name](quick=args.quick))
        print(f"  done in {time.perf_counter() - t0:.1f} s", flush=True)
    if "overhead" in names:
        _print_overhead(results)
    if "decode" in names:
        _print_decode(results)
    if "paging" in names:
        _print_paging(results)
    if "bulk" in names:
        _print_bulk(results)
    if "e2e" in names:
        _print_e2e(results)
    _print_targets(results)
    results["meta"] = _meta(args.quick, names, time.perf_counter() - started)
    text = json.dumps(results, indent=2, sort_keys=True)
    print("\n" + text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
