"""Acceptance: four worker processes (``agora-chat users import FILE --redis URL``), each
with its own users, share one app's rate limit through Redis: together they reach at
least 0.95 of ``POST /users``' documented 100 calls/s against an emulator enforcing it,
with no 429 and every user created exactly once. Without ``--redis`` the same processes
each pace to the whole limit and draw 429s.

The run itself is ``benchmarks.bench_shared_limit.import_with_workers``: the workers read
named pipes fed once all of them are up (so they send together, whatever their start-up
took), and the emulator stamps each call's arrival.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.bench_shared_limit import import_with_workers

if TYPE_CHECKING:
    from pathlib import Path


def test_four_processes_share_the_limit_through_redis(redis_url: str, tmp_path: Path) -> None:
    run = import_with_workers(tmp_path, redis_url, workers=4, users_per_worker=6_000)

    assert run.exit_codes == [0, 0, 0, 0], "\n".join(run.outputs)
    assert run.refused == 0
    assert run.workers_sending() == {0, 1, 2, 3}
    assert run.created == run.expected  # all 24,000, and nobody else
    assert run.reported_failed == 0  # a repeated registration would be refused and reported
    assert len(run.accepted) == 4 * 100  # each chunk of 60 sent once
    assert run.fraction_of_limit >= 0.95, run.calls_per_s


def test_the_same_processes_without_redis_draw_429s(tmp_path: Path) -> None:
    # Long enough that four processes asking for 4 x 97 calls/s outrun the server's
    # one-second burst even when a loaded machine slows them down to half of that.
    run = import_with_workers(tmp_path, None, workers=4, users_per_worker=6_000)

    assert run.refused > 0
    assert run.unaccounted == 0  # the retries still account for every user
