"""The ``agora-chat`` command line (also ``python -m agora_chat_async``), standard library only.

    agora-chat demo | emulator
    agora-chat token app|user ...
    agora-chat users import FILE | export | delete FILE
    agora-chat metadata import FILE

Connection settings come from flags or ``AGORA_*`` environment variables; credentials are
never printed. Bulk commands run as many calls at once as the rate limit and the measured
latency call for (``--concurrency N`` caps it), show a progress bar, end with a summary
table, and can write the items that did not go through to a JSON-lines report that is
valid input for a rerun. The report holds the items as given, passwords included, so it
is created readable by its owner only (mode 0600). ``--redis URL`` (``AGORA_REDIS_URL``)
shares the rate limits with every other process pacing through that Redis.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, TextIO

import anyio
import msgspec

from . import tokens
from ._client import ENVIRONMENT, AgoraChatClient
from ._errors import AgoraChatError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

    from ._bulk import BulkResult

#: Connection flags and the environment variables that supply them when no flag is given.
CONNECTION = {
    "host": ENVIRONMENT["host"],
    "org": ENVIRONMENT["org_name"],
    "app": ENVIRONMENT["app_name"],
    "app_id": ENVIRONMENT["app_id"],
    "app_certificate": ENVIRONMENT["app_certificate"],
    "token": ENVIRONMENT["token"],
}


class CLIError(Exception):
    """A problem with the command line or its input: printed without a traceback."""


def progress_printer(label: str, out: TextIO | None = None) -> Callable[[int, int | None], None]:
    """A one-line progress bar (standard error by default), redrawn in place."""
    out = out or sys.stderr
    started = time.perf_counter()
    finished = False
    drawn = 0.0

    def show(done: int, total: int | None) -> None:
        nonlocal finished, drawn
        now = time.perf_counter()
        last = total is not None and done >= total
        if finished or (now - drawn < 0.1 and not last):
            return  # redraw at most ten times a second
        drawn = now
        rate = done / max(time.perf_counter() - started, 1e-9)
        if total:
            filled = int(30 * done / total)
            bar = "#" * filled + "." * (30 - filled)
            out.write(f"\r  {label} [{bar}] {done}/{total} ({rate:,.0f}/s)")
        else:
            out.write(f"\r  {label} {done} ({rate:,.0f}/s)")
        if last:
            out.write("\n")
            finished = True
        out.flush()

    return show


def summary_table(rows: list[tuple[str, object]], out: TextIO = sys.stdout) -> None:
    width = max(len(name) for name, _ in rows)
    out.write("\n".join(f"  {name:<{width}}  {value}" for name, value in rows) + "\n")


# -- reading and writing records --------------------------------------------------------


def read_records(path: str) -> Iterator[dict[str, Any]]:
    """Records from CSV (with a header row) or JSON lines; ``-`` reads standard input.

    Streams: millions of lines never sit in memory at once.
    """
    with _open_input(path) as handle:
        first = handle.readline()
        if not first.strip():
            return
        if first.lstrip().startswith("{"):
            for number, line in enumerate(_chain(first, handle)):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise CLIError(f"{path}:{number + 1}: not JSON: {exc}") from None
                    if not isinstance(record, dict):
                        raise CLIError(f"{path}:{number + 1}: expected a JSON object")
                    yield record
            return
        reader = csv.DictReader(_chain(first, handle))
        for row in reader:
            yield {key: value for key, value in row.items() if key and value not in (None, "")}


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest


@contextmanager
def _open_input(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdin
        return
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            yield handle
    except OSError as exc:
        raise CLIError(f"cannot read {path}: {exc.strerror}") from None


def write_report(
    path: str | None, result: BulkResult[Any, Any], fields: Callable[[Any], dict[str, Any]]
) -> int:
    """Write failed and skipped items as JSON lines (input + ``reason``); returns the count."""
    rows = [*result.failed, *result.skipped]
    if path is None or not rows:
        return len(rows)
    with _open_private(path) as handle:
        for failure in rows:
            record = fields(failure.item)
            record["reason"] = failure.reason
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(rows)


#: Mode of the failure report: it holds the items as given, passwords included.
REPORT_MODE = 0o600


def _open_private(path: str) -> TextIO:
    """Open ``path`` for writing, readable and writable by its owner only.

    A new file is created with that mode (never world-readable, not even for a moment);
    an existing one is narrowed to it before anything is written.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, REPORT_MODE)
    except OSError as exc:
        raise CLIError(f"cannot write {path}: {exc.strerror}") from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, REPORT_MODE)
        return open(fd, "w", encoding="utf-8")  # owns the descriptor from here
    except BaseException:
        os.close(fd)
        raise


def _item_fields(item: Any) -> dict[str, Any]:
    if isinstance(item, tuple):  # (username, attributes)
        return {"username": item[0], **item[1]}
    if isinstance(item, msgspec.Struct):
        return msgspec.to_builtins(item)  # type: ignore[no-any-return]
    if isinstance(item, dict):
        return dict(item)
    return {"username": item}


# -- connection ----------------------------------------------------------------------------


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection (flags or environment variables)")
    for name, env in CONNECTION.items():
        group.add_argument("--" + name.replace("_", "-"), default=os.environ.get(env), help=env)
    group.add_argument(
        "--concurrency",
        type=_positive_int,
        default=None,
        metavar="N",
        help="most calls in flight (default: as many as the rate limit and the measured "
        "latency call for, at most 256)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


def make_client(args: argparse.Namespace) -> AgoraChatClient:
    # The flags (whose defaults are the environment) stand in for the environment.
    given = {CONNECTION[flag]: getattr(args, flag) or "" for flag in CONNECTION}
    try:
        return AgoraChatClient.from_env(given, rate_limiter=getattr(args, "rate_limiter", None))
    except ValueError as exc:
        raise CLIError(str(exc)) from None


# -- pacing shared by many processes (--redis) ---------------------------------------------


def add_redis_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--redis",
        metavar="URL",
        default=os.environ.get("AGORA_REDIS_URL"),
        help="share the rate limits with every process using this Redis (AGORA_REDIS_URL)",
    )


async def run_with_shared_limits(
    handler: Callable[[argparse.Namespace, TextIO], Awaitable[int]],
    args: argparse.Namespace,
    out: TextIO,
) -> int:
    """Run ``handler`` paced through ``--redis`` (if given), closing the limiter after.

    It fails closed: a call that cannot get its slot from Redis is not sent, and the
    item lands in the report as not sent, ready for a rerun.
    """
    url = getattr(args, "redis", None)
    if not url or not args.org or not args.app:  # no app: make_client says what is missing
        return await handler(args, out)
    from ._redis_limiter import RedisRateLimiter

    try:
        limiter = RedisRateLimiter.from_url(url, app_key=f"{args.org}#{args.app}")
    except (ValueError, ImportError) as exc:
        raise CLIError(str(exc)) from None
    async with limiter:
        args.rate_limiter = limiter
        return await handler(args, out)


# -- commands ------------------------------------------------------------------------------


def cmd_token(args: argparse.Namespace, out: TextIO) -> int:
    app_id = args.app_id or os.environ.get("AGORA_APP_ID")
    certificate = args.app_certificate or os.environ.get("AGORA_APP_CERTIFICATE")
    if not app_id or not certificate:
        raise CLIError("give --app-id/--app-certificate or AGORA_APP_ID/AGORA_APP_CERTIFICATE")
    try:
        if args.kind == "app":
            token = tokens.build_app_token(app_id, certificate, args.expire)
        else:
            token = tokens.build_user_token(app_id, certificate, args.user_id, args.expire)
    except tokens.TokenError as exc:
        raise CLIError(str(exc)) from None
    out.write(token + "\n")
    return 0


def finish_bulk(
    args: argparse.Namespace, result: BulkResult[Any, Any], done_label: str, out: TextIO
) -> int:
    """End a bulk command: failure report, summary table, common reasons, exit code."""
    sys.stderr.write("\n")  # end the progress line
    reported = write_report(args.report, result, _item_fields)
    summary_table(
        [
            (done_label, len(result.succeeded)),
            ("failed", len(result.failed)),
            ("skipped (invalid)", len(result.skipped)),
            ("requests", result.calls),
            ("report", _report_cell(args.report, reported)),
        ],
        out,
    )
    _print_reasons(result, out)
    return 0 if result.ok else 1


def _report_cell(path: str | None, lines: int) -> str:
    if not path or not lines:
        return "-"
    return f"{path} ({lines} lines, mode 0600: it may hold passwords)"


async def cmd_users_import(args: argparse.Namespace, out: TextIO) -> int:
    async with make_client(args) as client:
        result = await client.users.register_many(
            read_records(args.file),
            concurrency=args.concurrency,
            progress=progress_printer("registering"),
        )
    return finish_bulk(args, result, "registered", out)


async def _usernames(path: str) -> AsyncIterator[str]:
    """The ``username`` of each record of a CSV or JSON lines file (a report file too)."""
    for record in read_records(path):
        yield str(record.get("username", ""))


async def cmd_users_delete(args: argparse.Namespace, out: TextIO) -> int:
    async with make_client(args) as client:
        result = await client.users.delete_each(
            _usernames(args.file),
            concurrency=args.concurrency,
            progress=progress_printer("deleting"),
        )
    return finish_bulk(args, result, "deleted", out)


async def cmd_members(args: argparse.Namespace, out: TextIO) -> int:
    """``groups|chatrooms members add|remove ID FILE``: 60 usernames per call."""
    async with make_client(args) as client:
        members = getattr(client, args.command).members
        bulk = members.add_many if args.action == "add" else members.remove_many
        verb = "adding" if args.action == "add" else "removing"
        result = await bulk(
            args.id,
            _usernames(args.file),
            concurrency=args.concurrency,
            progress=progress_printer(f"{verb} members"),
        )
    return finish_bulk(args, result, "added" if args.action == "add" else "removed", out)


async def cmd_members_export(args: argparse.Namespace, out: TextIO) -> int:
    """``groups|chatrooms members export ID``: one JSON line per member, with its role."""
    target = _open_output(args.output) if args.output else out
    count = 0
    try:
        async with make_client(args) as client:
            members = getattr(client, args.command).members
            async for member in members.list(args.id, prefetch=True):
                target.write(json.dumps(msgspec.to_builtins(member), ensure_ascii=False) + "\n")
                count += 1
    finally:
        if target is not out:
            target.close()
    if args.output:
        summary_table([("exported", count), ("file", args.output)], out)
    return 0


async def cmd_metadata_import(args: argparse.Namespace, out: TextIO) -> int:
    async with make_client(args) as client:
        result = await client.metadata.set_each(
            read_records(args.file),
            concurrency=args.concurrency,
            progress=progress_printer("setting attributes"),
        )
    return finish_bulk(args, result, "users updated", out)


async def cmd_users_export(args: argparse.Namespace, out: TextIO) -> int:
    target = _open_output(args.output) if args.output else out
    count = 0
    show = progress_printer("exporting")
    try:
        async with make_client(args) as client:
            async for user in client.users.list(prefetch=True):
                record = msgspec.to_builtins(user)
                target.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
                if count % 1000 == 0:
                    show(count, None)
    finally:
        if target is not out:
            target.close()
    sys.stderr.write(f"\n  exported {count} users\n" if count >= 1000 else "")
    if args.output:
        summary_table([("exported", count), ("file", args.output)], out)
    return 0


def _open_output(path: str) -> TextIO:
    try:
        return open(path, "w", encoding="utf-8")  # closed by the caller
    except OSError as exc:
        raise CLIError(f"cannot write {path}: {exc.strerror}") from None


def _print_reasons(result: BulkResult[Any, Any], out: TextIO, limit: int = 10) -> None:
    """The most common reasons, so the operator sees why without opening the report."""
    counts: dict[str, int] = {}
    for failure in (*result.failed, *result.skipped):
        counts[failure.reason] = counts.get(failure.reason, 0) + 1
    if counts:
        out.write("  reasons:\n")
        for reason, n in sorted(counts.items(), key=lambda kv: -kv[1])[:limit]:
            out.write(f"    {n:>7}  {reason}\n")


REPORT_HELP = (
    "write the items that did not go through here as JSON lines, valid input for a rerun; "
    "created with mode 0600 (owner only), as it may hold passwords"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agora-chat", description="Agora Chat REST tools")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "demo", help="tour of the client against the bundled emulator", add_help=False
    )
    commands.add_parser("emulator", help="serve the bundled emulator on loopback", add_help=False)

    token = commands.add_parser("token", help="print an AccessToken2 app or user token")
    token.add_argument("kind", choices=["app", "user"])
    token.add_argument("user_id", nargs="?", help="user id (for a user token)")
    token.add_argument("--expire", type=int, default=3600, help="lifetime in seconds (3600)")
    token.add_argument("--app-id", default=None, help="AGORA_APP_ID")
    token.add_argument("--app-certificate", default=None, help="AGORA_APP_CERTIFICATE")

    users = commands.add_parser("users", help="bulk user operations").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    imp = users.add_parser("import", help="register users from CSV or JSON lines")
    imp.add_argument("file", help="CSV with a header (username,password,nickname) or JSON lines")
    imp.add_argument("--report", help=REPORT_HELP)
    delete = users.add_parser("delete", help="delete the users named in a file")
    delete.add_argument("file", help="CSV with a username column, or JSON lines")
    delete.add_argument("--report", help=REPORT_HELP)
    export = users.add_parser("export", help="write every user as JSON lines")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    metadata = commands.add_parser("metadata", help="bulk user attributes").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    attrs = metadata.add_parser("import", help="set user attributes from CSV or JSON lines")
    attrs.add_argument("file", help="a username column/key plus one per attribute")
    attrs.add_argument("--report", help=REPORT_HELP)
    subs = [imp, delete, export, attrs]
    for kind, noun in (("groups", "chat group"), ("chatrooms", "chat room")):
        area = commands.add_parser(kind, help=f"bulk {noun} operations").add_subparsers(
            dest="target", required=True, metavar="TARGET"
        )
        actions = area.add_parser("members", help=f"{noun} members").add_subparsers(
            dest="action", required=True, metavar="ACTION"
        )
        for action, verb in (("add", "add to"), ("remove", "remove from")):
            sub = actions.add_parser(action, help=f"{verb} the {noun} the users named in FILE")
            sub.add_argument("id", metavar="ID", help=f"the {noun} id")
            sub.add_argument("file", help="CSV with a username column, or JSON lines")
            sub.add_argument("--report", help=REPORT_HELP)
            subs.append(sub)
        sub = actions.add_parser("export", help=f"write the {noun}'s members as JSON lines")
        sub.add_argument("id", metavar="ID", help=f"the {noun} id")
        sub.add_argument("--output", "-o", help="file to write (default: standard output)")
        subs.append(sub)
    for sub in subs:
        add_connection_arguments(sub)
        add_redis_argument(sub)
    return parser


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # demo and emulator own their options; hand them the rest of the line untouched.
    if argv and argv[0] == "demo":
        from ._demo import main as demo

        return demo(argv[1:])
    if argv and argv[0] == "emulator":
        from .emulator.__main__ import main as emulator

        return emulator(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        if args.command == "token":
            if args.kind == "user" and not args.user_id:
                raise CLIError("a user token needs a user id: agora-chat token user USER_ID")
            return cmd_token(args, out)
        handler = {
            ("users", "import"): cmd_users_import,
            ("users", "delete"): cmd_users_delete,
            ("users", "export"): cmd_users_export,
            ("metadata", "import"): cmd_metadata_import,
            ("groups", "add"): cmd_members,
            ("groups", "remove"): cmd_members,
            ("groups", "export"): cmd_members_export,
            ("chatrooms", "add"): cmd_members,
            ("chatrooms", "remove"): cmd_members,
            ("chatrooms", "export"): cmd_members_export,
        }[args.command, args.action]
        return anyio.run(run_with_shared_limits, handler, args, out)
    except CLIError as exc:
        sys.stderr.write(f"agora-chat: {exc}\n")
        return 2
    except AgoraChatError as exc:
        sys.stderr.write(f"agora-chat: {exc}\n")
        return 1
