"""Four worker processes importing users into one app: with a shared Redis limiter, and without.

Each worker is ``python -m agora_chat_async users import FILE [--redis URL]`` with a file of
its own distinct users (6,000 each: 100 calls of 60), against one emulator with its rate
limits on (``POST /users``: 100 calls/s, 429 above), served from a thread of this process.

- ``shared_limit_fraction_of_limit``: with ``--redis``, the accepted calls per second from
  the first call's arrival to the last one's, over the documented 100/s (target >= 0.95:
  the processes together use the limit, not each of them). The files are named pipes fed
  only once every worker has opened its own, so all four start sending together and
  interpreter start-up is outside the span.
- ``shared_limit_429``: calls the emulator refused in that run (target 0).
- ``unshared_limit_fraction_of_limit``, ``unshared_limit_429``: the same four processes
  without ``--redis``, each pacing itself to the whole limit: together they ask for four
  times of it, and the surplus comes back as 429s (the failure mode Redis removes).
- ``shared_limit_unaccounted``: users neither created nor reported failed (must be 0).

Every figure is ``None`` when no ``redis-server`` binary or no ``redis`` package is
installed (the run is skipped). Process start-up is outside the measured span.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._redis import RedisServer

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["ImportRun", "import_with_workers", "keys", "run"]

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 100.0  # documented calls/s of POST /users (users.register and register_many)
WORKERS = 4
USERS_PER_WORKER = 6_000


def keys() -> list[str]:
    return [
        "shared_limit_fraction_of_limit",
        "shared_limit_calls_per_s",
        "shared_limit_429",
        "shared_limit_unaccounted",
        "unshared_limit_fraction_of_limit",
        "unshared_limit_429",
    ]


@dataclass
class ImportRun:
    """What one multi-process import did, seen from the emulator."""

    accepted: list[tuple[float, int]] = field(default_factory=list)
    """(arrival time, worker) of each ``POST /users`` call answered 200, in order."""
    refused: int = 0
    """429s in the emulator's request log."""
    expected: set[str] = field(default_factory=set)
    created: set[str] = field(default_factory=set)
    reported_failed: int = 0
    """Users the workers reported as not registered (summary tables)."""
    exit_codes: list[int] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    @property
    def calls_per_s(self) -> float:
        """Accepted calls per second from the first arrival to the last."""
        if len(self.accepted) < 2:
            return 0.0
        return (len(self.accepted) - 1) / (self.accepted[-1][0] - self.accepted[0][0])

    @property
    def fraction_of_limit(self) -> float:
        return self.calls_per_s / LIMIT

    def workers_sending(self) -> set[int]:
        """The workers seen in the accepted calls (``w<worker>u<n>`` usernames)."""
        return {worker for _, worker in self.accepted}

    @property
    def unaccounted(self) -> int:
        return len(self.expected) - len(self.created & self.expected) - self.reported_failed


class _Emulator:
    """The emulator with rate limits on, on its own loop in a thread, stamping arrivals."""

    def __init__(self) -> None:
        from agora_chat_async.emulator import EmulatorServer

        self.server = EmulatorServer(rate_limits=True, request_log_size=20_000)
        self.arrivals: list[tuple[float, int, int]] = []
        """(time, status, worker) of each ``POST /users``."""
        path = f"/{self.server.org_name}/{self.server.app_name}/users"

        @web.middleware
        async def stamp(request: web.Request, handler: Any) -> web.StreamResponse:
            arrived = time.monotonic()
            if request.method != "POST" or request.path != path:
                return await handler(request)  # type: ignore[no-any-return]
            worker = _WORKER.search(await request.read())  # aiohttp keeps the body for later
            response: web.StreamResponse = await handler(request)
            self.arrivals.append((arrived, response.status, int(worker[1]) if worker else -1))
            return response

        self.server.app.middlewares.insert(0, stamp)  # outermost: sees refusals too
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def serve() -> None:
            self._stop = asyncio.Event()
            async with self.server:
                self._ready.set()
                await self._stop.wait()

        self.loop.run_until_complete(serve())
        self.loop.close()

    def __enter__(self) -> _Emulator:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the emulator did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._stop is not None
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def environment(self) -> dict[str, str]:
        s = self.server
        env = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
        env.update(
            AGORA_HOST=s.base_url,
            AGORA_ORG_NAME=s.org_name,
            AGORA_APP_NAME=s.app_name,
            AGORA_APP_ID=s.app_id,
            AGORA_APP_CERTIFICATE=s.app_certificate,
        )
        return env


_WORKER = re.compile(rb'"w(\d+)u')  # usernames are w<worker>u<n>
_FAILED = re.compile(r"^\s+(?:failed|skipped \(invalid\))\s+(\d+)$", re.MULTILINE)


def import_with_workers(
    directory: Path,
    redis_url: str | None,
    *,
    workers: int = WORKERS,
    users_per_worker: int = USERS_PER_WORKER,
    timeout: float = 120.0,
) -> ImportRun:
    """``workers`` CLI processes, each importing its own users, into one fresh emulator."""
    result = ImportRun()
    files: dict[Path, str] = {}
    for w in range(workers):
        names = [f"w{w}u{i:05d}" for i in range(users_per_worker)]
        result.expected.update(names)
        files[directory / f"users-{w}.jsonl"] = "".join(
            json.dumps({"username": n}) + "\n" for n in names
        )
    with _Emulator() as emulator, _start_together(files, timeout):
        command = [sys.executable, "-m", "agora_chat_async", "users", "import"]
        shared = ["--redis", redis_url] if redis_url else []
        processes = [
            subprocess.Popen(
                [*command, str(path), *shared],
                cwd=ROOT,
                env=emulator.environment(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for path in files
        ]
        try:
            for process in processes:
                out, _ = process.communicate(timeout=timeout)
                result.exit_codes.append(process.returncode)
                result.outputs.append(out)
                result.reported_failed += sum(int(n) for n in _FAILED.findall(out))
        finally:
            for process in processes:
                process.kill()
        result.accepted = sorted((t, w) for t, status, w in emulator.arrivals if status == 200)
        result.refused = sum(1 for r in emulator.server.requests if r.status == 429)
        result.created = set(emulator.server.state.users)
    return result


@contextmanager
def _start_together(files: dict[Path, str], timeout: float) -> Iterator[None]:
    """Make ``files`` named pipes, each fed once every worker has opened its own: the
    workers start sending together, whatever their start-up took. (Plain files where
    there are no named pipes.)"""
    if not hasattr(os, "mkfifo"):
        for path, text in files.items():
            path.write_text(text)
        yield
        return
    everyone_reads = threading.Barrier(len(files), timeout=timeout)

    def feed(path: Path, text: str) -> None:
        try:
            with open(path, "w", encoding="utf-8") as pipe:  # waits for the worker to open it
                everyone_reads.wait()
                pipe.write(text)
        except (threading.BrokenBarrierError, BrokenPipeError):
            everyone_reads.abort()  # a worker died: let the others go

    for path in files:
        os.mkfifo(path)
    feeders = [threading.Thread(target=feed, args=item, daemon=True) for item in files.items()]
    for feeder in feeders:
        feeder.start()
    try:
        yield
    finally:
        everyone_reads.abort()
        for path in files:  # unblock a feeder whose worker never opened its pipe
            with suppress(OSError):
                os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
        for feeder in feeders:
            feeder.join(10)
        for path in files:
            path.unlink()


def _redis_missing() -> str | None:
    if RedisServer.binary() is None:
        return "no redis-server binary on the PATH"
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the redis package is not installed (pip install '.[redis]')"
    return None


def run(quick: bool = False) -> dict[str, Any]:
    """Same size in both modes: each run takes about five seconds."""
    missing = _redis_missing()
    if missing is not None:
        print(f"shared_limit: skipped ({missing})", file=sys.stderr)
        return dict.fromkeys(keys())
    with tempfile.TemporaryDirectory() as tmp, RedisServer() as redis_server:
        shared = import_with_workers(Path(tmp), redis_server.url)
        unshared = import_with_workers(Path(tmp), None)
    return {
        "shared_limit_fraction_of_limit": shared.fraction_of_limit,
        "shared_limit_calls_per_s": shared.calls_per_s,
        "shared_limit_429": shared.refused,
        "shared_limit_unaccounted": shared.unaccounted,
        "unshared_limit_fraction_of_limit": unshared.fraction_of_limit,
        "unshared_limit_429": unshared.refused,
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
