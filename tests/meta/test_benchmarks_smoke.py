"""``python -m benchmarks --quick`` runs to the end and writes every stable JSON key.

Only the shape is checked, never whether a performance target is met: timings on a shared
machine are no pass/fail material. Takes about 25 seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Figures that need nothing beyond the package's own dependencies.
REQUIRED = (
    "overhead_ratio_c1",
    "overhead_ratio_c64",
    "overhead_cpu_us_c1",
    "overhead_cpu_us_c64",
    "cpu_us_per_request_client_c1",
    "cpu_us_per_request_client_c64",
    "cpu_us_per_request_aiohttp_c1",
    "cpu_us_per_request_aiohttp_c64",
    "cpu_us_per_request_aiohttp_session_per_request_c1",
    "requests_per_s_client_c1",
    "requests_per_s_aiohttp_c64",
    "decode_speedup_vs_json",
    "decode_speedup_vs_json_single",
    "decode_us_page_msgspec",
    "decode_us_page_json",
    "paging_rss_growth_mb",
    "paging_rss_growth_accumulate_mb",
    "paging_items_per_s",
    "bulk_fraction_of_limit",
    "bulk_calls",
    "bulk_429",
    "bulk_unaccounted",
    *(
        f"bulk_{k}_rtt{ms}"
        for ms in (50, 150, 300)
        for k in ("fraction_of_limit", "429", "unaccounted")
    ),
    "e2e_ops_per_s",
    "e2e_latency_p99_ms",
    "e2e_client_cpu_us_per_op",
    "e2e_errors",
)
# Present on every run; None when an optional baseline (httpx, orjson, pydantic, uvloop)
# is not installed.
OPTIONAL = (
    "cpu_us_per_request_httpx_c1",
    "overhead_ratio_c1_uvloop",
    "decode_speedup_vs_orjson",
    "decode_speedup_vs_pydantic",
    # None without a redis-server binary or the redis package.
    "shared_limit_fraction_of_limit",
    "shared_limit_calls_per_s",
    "shared_limit_429",
    "shared_limit_unaccounted",
    "unshared_limit_fraction_of_limit",
    "unshared_limit_429",
)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@pytest.mark.slow
def test_quick_run_writes_the_stable_keys(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(out.read_text())

    for key in REQUIRED:
        assert _is_number(results[key]), (key, results[key])
    for key in OPTIONAL:
        assert key in results
    for key in ("bulk_unaccounted", *(f"bulk_unaccounted_rtt{ms}" for ms in (50, 150, 300))):
        assert results[key] == 0, key  # a correctness figure, not a timing
    for key, value in results.items():
        if key != "meta":
            assert value is None or _is_number(value), (key, value)
    assert results["meta"]["quick"] is True
    assert "overhead_ratio_c1" in proc.stdout  # the table was printed too
