"""``python -m agora_chat_async demo``: a tour of the client against the bundled emulator.

With ``--host/--org/--app/--app-id/--app-certificate`` (or the ``AGORA_*`` environment
variables) it runs against a real Agora app instead; it then registers its users under a
random prefix and deletes them again at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, TextIO

import anyio

from . import (
    AgoraChatClient,
    AgoraChatError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RegisterUser,
)
from ._cli import CONNECTION, progress_printer

if TYPE_CHECKING:
    from collections.abc import Callable

#: The CLI's connection settings, less the fixed token: the demo builds its own tokens.
ENV = {name: env for name, env in CONNECTION.items() if name != "token"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The demo's options (shared with the package CLI)."""
    parser.add_argument("--users", type=int, default=300, help="users to register (300)")
    parser.add_argument("--concurrency", type=int, default=8, help="calls in flight (8)")
    for name, env in ENV.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, default=os.environ.get(env), help=f"real app: {env}")


async def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Run the tour; returns the process exit code."""

    def say(text: str = "") -> None:
        out.write(text + "\n")

    real = [getattr(args, name) for name in ENV]
    async with AsyncExitStack() as stack:
        if any(real):
            if not all(real):
                missing = [ENV[n] for n in ENV if not getattr(args, n)]
                say(f"a real app needs all of: {', '.join(missing)}")
                return 2
            client = await stack.enter_async_context(
                AgoraChatClient(
                    host=args.host,
                    org_name=args.org,
                    app_name=args.app,
                    app_id=args.app_id,
                    app_certificate=args.app_certificate,
                )
            )
            say(f"Agora Chat app {args.org}#{args.app} at {args.host}")
        else:
            from .emulator import EmulatorServer

            server = await stack.enter_async_context(EmulatorServer())
            client = await stack.enter_async_context(server.client())
            say(f"Emulator listening on {server.base_url} (app demo#demo, loopback only)")
        return await _tour(client, args, say, out)
    return 0  # not reached: mypy cannot tell that AsyncExitStack swallows nothing


async def _tour(
    client: AgoraChatClient,
    args: argparse.Namespace,
    say: Callable[[str], None],
    out: TextIO,
) -> int:
    prefix = f"demo-{secrets.token_hex(3)}"
    names = [f"{prefix}-{i:05d}" for i in range(args.users)]
    started = time.perf_counter()

    say(f"\n1. Register {len(names)} users in chunks of 60, {args.concurrency} calls at once")
    users = [RegisterUser(username=n, password=secrets.token_urlsafe(12)) for n in names]
    # Two items the client refuses before sending, to show they are accounted for.
    result = await client.users.register_many(
        [*users, "not a valid name!", ""],
        concurrency=args.concurrency,
        progress=progress_printer("registering", out),
    )
    say(
        f"   created {len(result.succeeded)}, failed {len(result.failed)}, "
        f"skipped {len(result.skipped)} in {result.calls} calls"
    )
    for skipped in result.skipped:
        say(f"   skipped {skipped.item!r}: {skipped.reason}")

    say("\n2. Page through every user of the app, 100 per page")
    seen = pages = 0
    async for page in client.users.list(page_size=100).pages():
        pages += 1
        seen += sum(1 for user in page.items if user.username.startswith(prefix))
    say(f"   {pages} pages, {seen} of ours among them")

    first, second = names[0], names[1]
    say(f"\n3. Settings of {first}")
    await client.users.set_password(first, password="n3w-passw0rd")
    await client.push.set_nickname(first, nickname="Demo User")
    await client.push.set_display_style(first, style=1)
    user = await client.push.set_no_disturb(first, enabled=True, start=22, end=7)
    say(
        f"   push nickname {user.nickname!r}, display style "
        f"{user.notification_display_style}, do-not-disturb "
        f"{user.notification_no_disturbing_start}-{user.notification_no_disturbing_end}h"
    )
    deactivated = await client.users.deactivate(second)
    await client.users.activate(second)
    again = await client.users.get(second)
    say(
        f"   {second}: deactivated (activated={deactivated.activated}), then activated "
        f"(activated={again.activated})"
    )
    await client.metadata.set(first, {"nickname": "Demo", "avatarurl": "https://x.io/d.png"})
    attributes = await client.metadata.get_many(names[:2], properties=["nickname"])
    say(f"   attributes (form-encoded PUT, then a batch read): {attributes}")
    states = await client.users.get_statuses(names[:5])
    say(f"   online states: {sorted(set(states.values()))} for {len(states)} users")

    group = await _group_tour(client, names, say, out, args.concurrency)

    say("\n5. Errors are typed exceptions carrying Agora's error code")
    try:
        await client.users.get(f"{prefix}-nobody")
    except NotFoundError as exc:
        say(f"   NotFoundError: HTTP {exc.status} {exc.error}: {exc.description}")
    try:
        await client.users.register(first, password="pw")
    except BadRequestError as exc:
        say(f"   BadRequestError: {exc.error}")
    try:
        await client.users.get("")
    except ValueError as exc:
        say(f"   ValueError before sending: {exc}")

    say(
        f"\n6. Clean up: delete the group and our {len(result.succeeded)} users, one call "
        "each, paced under the documented 100 calls/s"
    )
    await client.groups.delete(group)  # its threads go with it
    await client.metadata.delete(first)  # attributes live apart from the user on Agora
    removed = await client.users.delete_each(
        [user.username for user in result.succeeded],
        concurrency=args.concurrency,
        progress=progress_printer("deleting", out),
    )
    say(f"   deleted {len(removed.succeeded)}, failed {len(removed.failed)}")

    elapsed = time.perf_counter() - started
    say(f"\nDone in {elapsed:.2f}s.")
    return 0 if not result.failed and removed.ok else 1


async def _group_tour(
    client: AgoraChatClient,
    names: list[str],
    say: Callable[[str], None],
    out: TextIO,
    concurrency: int,
) -> str:
    """Step 4: a chat group with members, a file message in it and a thread on that."""
    owner, members = names[0], names[1:91]  # 90: within the smallest plan's 100 per group
    say(f"\n4. A chat group owned by {owner}: {len(members)} members, a file, a thread")
    group = await client.groups.create(owner=owner, name="Demo group", max_users=100)
    added = await client.groups.members.add_many(
        group, members, concurrency=concurrency, progress=progress_printer("adding", out)
    )
    say(f"   group {group}: added {len(added.succeeded)} members in {added.calls} calls")
    roles: dict[str, int] = {}
    async for member in client.groups.members.list(group, page_size=50):
        roles[member.role] = roles.get(member.role, 0) + 1
    say(f"   listed 50 per page: {roles}")
    await client.groups.admins.add(group, members[0])
    uploaded = await client.files.upload(b"Hello from the demo.\n", filename="hello.txt")
    body = {
        "url": f"{client.base_url}/chatfiles/{uploaded.uuid}",
        "filename": "hello.txt",
        "secret": uploaded.share_secret or "",
    }
    sent = await client.messages.send("chatgroups", to=[group], type="file", body=body)
    say(f"   uploaded {uploaded.uuid}, sent it to the group as message {sent[group]}")
    try:
        thread = await client.threads.create(group, "Demo thread", sent[group], owner)
    except PermissionDeniedError as exc:  # threads are an option of the Agora plan
        say(f"   no thread: {exc.description}")
    else:
        joined = await client.threads.members.add_many(thread, members[:25])
        count = len([m async for m in client.threads.members.list(thread)])
        say(
            f"   thread {thread}: {len(joined.succeeded)} joined in {joined.calls} calls "
            f"of 10, {count} members"
        )
    return group


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agora_chat_async demo")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return anyio.run(run, args)
    except AgoraChatError as exc:
        sys.stderr.write(f"demo failed: {exc}\n")
        return 1
