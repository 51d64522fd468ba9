"""A minimal keep-alive HTTP/1.1 server with canned answers, run in a process of its own.

``python -m benchmarks._server [--total N] [--cpu K]`` binds 127.0.0.1 on a free port,
prints the port on one line and serves until its standard input closes (the parent exited
or is done), ``--lifetime`` seconds pass, or it is killed. Start it with
:class:`ServerProcess`. It is an ``asyncio.Protocol`` (on uvloop when installed) so that it
stays far from being the bottleneck; it only answers what the benchmarks send:

- ``GET /<org>/<app>/users/<name>``: the canned single-user envelope.
- ``GET /<org>/<app>/users?limit=N[&cursor=C]``: users of a synthetic list of ``--total``
  members, generated page by page when asked for; no ``cursor`` key on the last page.
- ``GET /__cpu``: this process's CPU seconds so far, to show how busy the server was.

Anything else is answered 404. Request bodies are skipped by ``Content-Length``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from . import _data

__all__ = ["ServerProcess"]

_HEAD = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"


def _response(body: bytes, status: int = 200) -> bytes:
    reason = b"OK" if status == 200 else b"Not Found"
    return _HEAD % (status, reason, len(body)) + body


_NOT_FOUND = _response(b'{"error":"service_resource_not_found"}', 404)
_SINGLE = _response(_data.single_user_json())


class _Handler:
    def __init__(self, total: int) -> None:
        self.total = total

    def answer(self, target: bytes) -> bytes:
        path, _, query = target.partition(b"?")
        head, _, tail = path.rpartition(b"/users")
        if tail.startswith(b"/") and head.count(b"/") == 2 and b"/" not in tail[1:]:
            return _SINGLE
        if not tail and head.count(b"/") == 2:
            return self.page(query.decode())
        if path == b"/__cpu":
            return _response(b"%.6f" % time.process_time())
        return _NOT_FOUND

    def page(self, query: str) -> bytes:
        params = parse_qs(query)
        limit = min(int(params.get("limit", ["10"])[0]), _data.PAGE_SIZE)
        start = _data.offset_of(params["cursor"][0]) if "cursor" in params else 0
        count = max(0, min(limit, self.total - start))
        end = start + count
        next_cursor = _data.cursor_for(end) if end < self.total else None
        return _response(_data.page_json(start, count, next_cursor))


class _Http(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and pipelining; GETs only in practice."""

    def __init__(self, handler: _Handler) -> None:
        self.handler = handler
        self.buffer = b""
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer + data if self.buffer else data
        out = []
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = buffer[:end]
            length = 0
            if not head.startswith(b"GET "):
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
            if len(buffer) < end + 4 + length:
                break
            buffer = buffer[end + 4 + length :]
            line_end = head.find(b"\r\n")
            request_line = head if line_end < 0 else head[:line_end]
            parts = request_line.split(b" ")
            out.append(self.handler.answer(parts[1]) if len(parts) == 3 else _NOT_FOUND)
        self.buffer = buffer
        if out:
            self.transport.write(out[0] if len(out) == 1 else b"".join(out))


def _exit_when_stdin_closes() -> None:
    # The parent holds the other end of our stdin: EOF means it is done or gone.
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)


async def _serve(total: int, lifetime: float) -> None:
    loop = asyncio.get_running_loop()
    handler = _Handler(total)
    server = await loop.create_server(lambda: _Http(handler), "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    await asyncio.sleep(lifetime)
    server.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._server")
    parser.add_argument("--total", type=int, default=1000, help="members in the user list")
    parser.add_argument("--cpu", type=int, default=None, help="pin to this CPU")
    parser.add_argument("--lifetime", type=float, default=900.0, help="stop after seconds")
    parser.add_argument("--no-uvloop", action="store_true", help="use the stdlib loop")
    args = parser.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    loop_factory = None
    if not args.no_uvloop:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(_serve(args.total, args.lifetime))


def client_cpu_and_server_cpu() -> tuple[int | None, int | None]:
    """CPUs for (client, server) on a machine with at least two, else (None, None)."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return cpus[1], cpus[0]


class ServerProcess:
    """Runs the server in a child process: ``with ServerProcess(total=N) as server: server.url``.

    The child is pinned to ``cpu`` when given and exits when this object is closed, when
    this process dies (its stdin pipe closes) or after ``lifetime`` seconds.
    """

    def __init__(self, *, total: int = 1000, cpu: int | None = None, lifetime: float = 900.0):
        self.total = total
        self.cpu = cpu
        self.lifetime = lifetime
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerProcess:
        cmd = [sys.executable, "-m", "benchmarks._server", "--total", str(self.total)]
        cmd += ["--lifetime", str(self.lifetime)]
        if self.cpu is not None:
            cmd += ["--cpu", str(self.cpu)]
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line.strip().isdigit():
            self.close()
            raise RuntimeError(f"benchmark server did not start (said {line!r})")
        self.port = int(line)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_child(proc)


def stop_child(proc: subprocess.Popen[Any]) -> None:
    """Close a benchmark child's stdin (its signal to exit), wait, kill if it lingers."""
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.close()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()


if __name__ == "__main__":
    main()
