"""``python -m agora_chat_async.emulator`` with the callback flags: the served emulator
asks the pre-delivery URL and posts signed callbacks; the secret is never printed."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys

import aiohttp

from agora_chat_async import AgoraChatClient
from agora_chat_async.emulator.__main__ import build_parser
from tests.integration._receiver import SECRET, Receiver, signed


def test_the_flags_parse_with_agoras_defaults() -> None:
    args = build_parser().parse_args([])
    assert (args.callback_url, args.callback_secret, args.pre_delivery_url) == (None, None, None)
    assert (args.pre_delivery_timeout, args.pre_delivery_fallback) == (0.2, "pass")


async def test_cli_delivers_callbacks() -> None:
    async with Receiver() as hook, Receiver() as rule:
        rule.reply = lambda _: '{"valid": true}'
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "agora_chat_async.emulator",
            "--port",
            "0",
            "--callback-url",
            hook.url,
            "--callback-secret",
            SECRET,
            "--pre-delivery-url",
            rule.url,
            "--pre-delivery-fallback",
            "reject",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONWARNINGS": "error"},
        )
        assert process.stdout is not None
        lines: list[str] = []
        try:
            async with asyncio.timeout(20):
                while not lines or not lines[-1].startswith("Press Ctrl-C"):
                    lines.append((await process.stdout.readline()).decode().rstrip())
            url = re.fullmatch(r"Agora Chat emulator listening on (http://[\d.:]+)", lines[0])
            assert url is not None
            assert f"  callbacks:       {hook.url} (signed)" in lines
            assert f"  pre-delivery:    {rule.url}" in lines
            assert not any(SECRET in line for line in lines)
            base = url.group(1)
            app_id, certificate = lines[3].split()[-1], lines[4].split()[2]
            async with AgoraChatClient(
                host=base,
                org_name="demo",
                app_name="demo",
                app_id=app_id,
                app_certificate=certificate,
            ) as client:
                await client.users.register_many(["alice", "bob"])
            async with aiohttp.ClientSession() as session:
                message = {"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}}
                async with session.post(f"{base}/__emulator/user_messages", json=message) as r:
                    assert (await r.json())["delivered"] is True
                async with session.get(f"{base}/__emulator/callbacks") as response:
                    settings = await response.json()
                assert settings["pre_delivery_fallback"] == "reject"
                assert settings["secret_set"] is True
                assert SECRET not in str(settings)
            bodies = await hook.wait_for(2)
            assert [b["eventType"] for b in bodies] == ["chat", "chat_offline"]
            assert all(signed(b) for b in bodies)
            assert len(rule.bodies) == 1
        finally:
            process.send_signal(signal.SIGINT)
            try:
                async with asyncio.timeout(20):
                    _, stderr = await process.communicate()
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
        assert process.returncode == 0, stderr.decode()
