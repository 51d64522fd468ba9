"""The bundled emulator in a process of its own, for the end-to-end benchmark.

``python -m benchmarks._emulator [--cpu K]`` starts ``EmulatorServer`` on a free loopback
port and prints one JSON line: ``base_url``, ``org_name``, ``app_name``, ``app_id``,
``app_certificate``. Each ``cpu`` line it reads on stdin is answered with its CPU seconds
so far; it exits when stdin closes (the parent is done or gone) or after ``--lifetime``.
Start it with :class:`EmulatorProcess`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ._server import stop_child

__all__ = ["EmulatorProcess"]


def _answer_stdin() -> None:
    try:
        for line in sys.stdin:
            if line.strip() == "cpu":
                print(f"{time.process_time():.6f}", flush=True)
    finally:
        os._exit(0)


async def _serve(lifetime: float, rate_limits: bool) -> None:
    from agora_chat_async.emulator import EmulatorServer

    async with EmulatorServer(
        org_name="org", app_name="app", rate_limits=rate_limits, request_log_size=10_000
    ) as server:
        info = {
            "base_url": server.base_url,
            "org_name": server.org_name,
            "app_name": server.app_name,
            "app_id": server.app_id,
            "app_certificate": server.app_certificate,
        }
        print(json.dumps(info), flush=True)
        await asyncio.sleep(lifetime)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._emulator")
    parser.add_argument("--cpu", type=int, default=None, help="pin to this CPU")
    parser.add_argument("--lifetime", type=float, default=900.0, help="stop after seconds")
    parser.add_argument("--rate-limits", action="store_true", help="enforce documented limits")
    args = parser.parse_args()
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    threading.Thread(target=_answer_stdin, daemon=True).start()
    asyncio.run(_serve(args.lifetime, args.rate_limits))


class EmulatorProcess:
    """``with EmulatorProcess(cpu=0) as emu: emu.info["base_url"]; emu.cpu_seconds()``."""

    def __init__(
        self, *, cpu: int | None = None, lifetime: float = 900.0, rate_limits: bool = False
    ) -> None:
        self.cpu = cpu
        self.rate_limits = rate_limits
        self.lifetime = lifetime
        self.info: dict[str, Any] = {}
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> EmulatorProcess:
        cmd = [sys.executable, "-m", "benchmarks._emulator", "--lifetime", str(self.lifetime)]
        if self.cpu is not None:
            cmd += ["--cpu", str(self.cpu)]
        if self.rate_limits:
            cmd.append("--rate-limits")
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        try:
            self.info = json.loads(line)
        except ValueError:
            self.close()
            raise RuntimeError(f"the emulator process did not start (said {line!r})") from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def cpu_seconds(self) -> float:
        """CPU time (user + sys) the emulator process has used so far."""
        assert self._proc is not None
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        self._proc.stdin.write("cpu\n")
        self._proc.stdin.flush()
        return float(self._proc.stdout.readline())

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_child(proc)


if __name__ == "__main__":
    main()
