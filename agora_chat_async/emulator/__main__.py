"""``python -m agora_chat_async.emulator``: serve the emulator until Ctrl-C.

Binds loopback by default and prints what a client needs: base URL, org and app
names, and the App ID / App Certificate pair (the emulator's own local test
credentials) that app tokens must be built with.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import signal
import sys
from typing import TYPE_CHECKING

from ._server import EmulatorServer

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m agora_chat_async.emulator",
        description="Serve an in-memory Agora Chat REST emulator.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (8080; 0: any free)")
    parser.add_argument("--org", default="demo", help="org name (demo)")
    parser.add_argument("--app", default="demo", help="app name (demo)")
    parser.add_argument("--app-id", help="App ID, 32 hex characters (random)")
    parser.add_argument("--app-certificate", help="App Certificate, 32 hex (random)")
    parser.add_argument(
        "--rate-limits", action="store_true", help="enforce the documented rate limits"
    )
    parser.add_argument("--callback-url", help="post message and event callbacks here")
    parser.add_argument("--callback-secret", help="the secret callbacks are signed with")
    parser.add_argument("--pre-delivery-url", help="ask this URL about each message a client sends")
    parser.add_argument(
        "--pre-delivery-timeout",
        type=float,
        default=0.2,
        help="seconds to wait for the pre-delivery answer (0.2)",
    )
    parser.add_argument(
        "--pre-delivery-fallback",
        choices=("pass", "reject"),
        default="pass",
        help="what a late or bad pre-delivery answer means (pass)",
    )
    return parser


async def serve(args: argparse.Namespace) -> None:
    server = EmulatorServer(
        app_id=args.app_id,
        app_certificate=args.app_certificate,
        org_name=args.org,
        app_name=args.app,
        host=args.host,
        port=args.port,
        rate_limits=args.rate_limits,
        callback_url=args.callback_url,
        callback_secret=args.callback_secret,
        pre_delivery_url=args.pre_delivery_url,
        pre_delivery_timeout=args.pre_delivery_timeout,
        pre_delivery_fallback=args.pre_delivery_fallback,
    )
    async with server:
        print(f"Agora Chat emulator listening on {server.base_url}")
        print(f"  org name:        {server.org_name}")
        print(f"  app name:        {server.app_name}")
        print(f"  app id:          {server.app_id}")
        print(f"  app certificate: {server.app_certificate}  (local test certificate)")
        print(f"  rate limits:     {'on' if args.rate_limits else 'off'}")
        if args.callback_url:
            signed = "signed" if args.callback_secret else "signed with an empty secret"
            print(f"  callbacks:       {args.callback_url} ({signed})")
        if args.pre_delivery_url:
            print(f"  pre-delivery:    {args.pre_delivery_url}")
        if not _is_loopback(args.host):
            print(f"warning: listening on {args.host}, not loopback: anyone who can reach it")
            print("         can use this emulator, and its certificate is printed above")
        print("Press Ctrl-C to stop.", flush=True)
        await _until_stopped()


async def _until_stopped() -> None:
    """Wait for SIGINT or SIGTERM. Handlers are installed explicitly because a process
    started in the background by a non-interactive shell inherits SIGINT as ignored, and
    container runtimes stop with SIGTERM; both must still shut the server down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C raises instead
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator CLI; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
