"""The agora-chat command line against an emulator running in a background thread."""

from __future__ import annotations

import asyncio
import io
import json
import os
import stat
import threading
import time
from typing import TYPE_CHECKING

import aiohttp
import pytest

from agora_chat_async import _cli
from agora_chat_async.emulator import EmulatorServer
from agora_chat_async.tokens import build_app_token, parse_token

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class ThreadedEmulator:
    """An EmulatorServer on its own loop in a thread, so the CLI can own the main loop."""

    def __init__(self) -> None:
        self.server = EmulatorServer()
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

    def __enter__(self) -> ThreadedEmulator:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._stop is not None
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def call(self, coro_fn):  # run a coroutine function on the emulator's loop
        return asyncio.run_coroutine_threadsafe(coro_fn(), self.loop).result(10)

    def args(self) -> list[str]:
        s = self.server
        return [
            "--host", s.base_url, "--org", "demo", "--app", "demo",
            "--app-id", s.app_id, "--app-certificate", s.app_certificate,
        ]  # fmt: skip


@pytest.fixture
def emu(monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadedEmulator]:
    for env in _cli.CONNECTION.values():
        monkeypatch.delenv(env, raising=False)
    with ThreadedEmulator() as emulator:
        yield emulator


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = _cli.main(list(argv), out=out)
    return code, out.getvalue()


def usernames(emu: ThreadedEmulator) -> list[str]:
    return sorted(emu.server.state.users)


def test_import_csv_reports_failures_to_a_file_that_reruns(emu, tmp_path: Path, capsys) -> None:
    source = tmp_path / "users.csv"
    rows = ["username,password,nickname", "ann,pw1,Ann", "bob,pw2,", "bad name,pw3,", "dave,pw4,"]
    source.write_text("\n".join(rows) + "\n")

    async def dave_exists() -> None:
        emu.server.state.add_user("dave")

    emu.call(dave_exists)
    report = tmp_path / "failed.jsonl"

    code, out = run("users", "import", str(source), "--report", str(report), *emu.args())

    assert code == 1
    assert usernames(emu) == ["ann", "bob", "dave"]
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert {line["username"] for line in lines} == {"dave", "bad name"}
    assert next(line for line in lines if line["username"] == "dave")["password"] == "pw4"
    assert any("already exists" in line["reason"] for line in lines)
    assert "registered" in out
    assert "failed" in out
    assert "2 lines" in out
    assert "\r  registering 4 (" in capsys.readouterr().err  # the progress line
    assert emu.server.app_certificate not in out

    # The report is valid input: fix the bad name and feed the file back.
    fixed = report.read_text().replace('"bad name"', '"carl"')
    report.write_text(fixed)
    code, out = run("users", "import", str(report), *emu.args())
    assert code == 1  # dave still exists: reported again, nothing lost
    assert usernames(emu) == ["ann", "bob", "carl", "dave"]


def test_import_jsonl_from_env_settings_then_export_and_delete(
    emu, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = emu.server
    for env, value in {
        "AGORA_HOST": s.base_url, "AGORA_ORG_NAME": "demo", "AGORA_APP_NAME": "demo",
        "AGORA_APP_ID": s.app_id, "AGORA_APP_CERTIFICATE": s.app_certificate,
    }.items():  # fmt: skip
        monkeypatch.setenv(env, value)
    source = tmp_path / "users.jsonl"
    source.write_text("".join(json.dumps({"username": f"u{i:04d}"}) + "\n" for i in range(250)))

    assert run("users", "import", str(source))[0] == 0
    assert len(usernames(emu)) == 250

    exported = tmp_path / "export.jsonl"
    code, out = run("users", "export", "-o", str(exported))
    assert code == 0
    records = [json.loads(line) for line in exported.read_text().splitlines()]
    # Chunks run concurrently, so registration order is per chunk: compare as sets.
    assert sorted(r["username"] for r in records) == [f"u{i:04d}" for i in range(250)]
    assert records[0]["activated"] is True
    assert "250" in out

    code, out = run("users", "delete", str(exported))
    assert code == 0
    assert usernames(emu) == []
    assert "deleted" in out


def test_token_commands_print_tokens_that_parse(capsys) -> None:
    app_id, cert = "970CA35de60c44645bbae8a215061b33", "5CFd2fd1755d40ecb72977518be15d3b"
    code, out = run("token", "app", "--app-id", app_id, "--app-certificate", cert)
    assert code == 0
    parsed = parse_token(out.strip())
    assert parsed.is_app_token
    assert parsed.verify(cert)
    assert parsed.expire == 3600
    code, out = run("token", "user", "bob", "--expire", "600", "--app-id", app_id,
                    "--app-certificate", cert)  # fmt: skip
    assert parse_token(out.strip()).user_id == "bob"
    assert run("token", "user", "--app-id", app_id, "--app-certificate", cert)[0] == 2
    code, _ = run("token", "app", "--app-id", "short", "--app-certificate", cert)
    assert code == 2
    assert cert not in capsys.readouterr().err


def test_missing_settings_and_unreadable_files_are_clear_errors(
    emu, tmp_path: Path, capsys
) -> None:
    assert run("users", "export")[0] == 2
    assert "AGORA_HOST" in capsys.readouterr().err
    assert run("users", "import", str(tmp_path / "nope.csv"), *emu.args())[0] == 2
    assert "cannot read" in capsys.readouterr().err


def test_metadata_import_sets_attributes_and_reports_failures(emu, tmp_path: Path) -> None:
    source = tmp_path / "attrs.csv"
    source.write_text("username,nickname,sign\nann,Ann,hello\nbob,Bob,\nbad name,X,\n")
    report = tmp_path / "failed.jsonl"

    code, out = run("metadata", "import", str(source), "--report", str(report), *emu.args())

    assert code == 1
    assert emu.server.state.attributes == {"ann": {"nickname": "Ann", "sign": "hello"},
                                           "bob": {"nickname": "Bob"}}  # fmt: skip
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert lines == [{"username": "bad name", "nickname": "X", "reason": lines[0]["reason"]}]
    assert lines[0]["reason"].startswith("invalid:")
    assert "users updated" in out


@pytest.mark.parametrize("kind", ["groups", "chatrooms"])
def test_members_add_remove_and_export_with_a_report_that_reruns(
    emu, tmp_path: Path, kind: str
) -> None:
    async def setup() -> str:
        async with emu.server.client() as client:
            await client.users.register_many([f"m{i:03d}" for i in range(130)] + ["owner"])
            owner = {"owner": "owner"}
            if kind == "groups":
                body = {"groupname": "g", "description": "d", "public": True, **owner}
            else:
                body = {"name": "r", "description": "d", **owner}
        # A raw POST: this test is about the CLI, not about create().
        server = emu.server
        token = build_app_token(server.app_id, server.app_certificate, 600)
        path = "/chatgroups" if kind == "groups" else "/chatrooms"
        async with aiohttp.ClientSession() as session:
            url = f"{server.base_url}/{server.org_name}/{server.app_name}{path}"
            headers = {"Authorization": f"Bearer {token}"}
            async with session.post(url, json=body, headers=headers) as response:
                data = (await response.json())["data"]
        return str(data.get("groupid") or data.get("id"))

    room = emu.call(setup)
    source = tmp_path / "members.csv"
    names = [f"m{i:03d}" for i in range(130)]
    source.write_text("username\n" + "\n".join([*names, "ghost", "bad name"]) + "\n")
    report = tmp_path / "failed.jsonl"

    code, out = run(kind, "members", "add", room, str(source), "--report", str(report),
                    *emu.args())  # fmt: skip

    assert code == 1
    records = getattr(emu.server.state, kind)[room].members
    assert sorted(records) == sorted([*names, "owner"])
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert sorted(line["username"] for line in lines) == ["bad name", "ghost"]
    assert "added" in out
    assert "130" in out

    exported = tmp_path / "members.jsonl"
    assert run(kind, "members", "export", room, "-o", str(exported), *emu.args())[0] == 0
    members = [json.loads(line) for line in exported.read_text().splitlines()]
    assert len(members) == 131

    removal = tmp_path / "remove.jsonl"
    removal.write_text("".join(json.dumps({"username": n}) + "\n" for n in names[:70]))
    code, out = run(kind, "members", "remove", room, str(removal), *emu.args())
    assert code == 0
    assert sorted(getattr(emu.server.state, kind)[room].members) == sorted([*names[70:], "owner"])
    assert "removed" in out


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_failure_report_is_created_owner_only(emu, tmp_path: Path) -> None:
    # The report holds the passwords (so that it can be fed back): never world-readable,
    # whatever the umask lets an ordinary open() create.
    source = tmp_path / "users.csv"
    source.write_text("username,password\nann,secret-1\nbad name,secret-2\n")
    fresh, existing = tmp_path / "fresh.jsonl", tmp_path / "existing.jsonl"
    existing.write_text("old content\n")
    existing.chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        code, out = run("users", "import", str(source), "--report", str(fresh), *emu.args())
        assert run("users", "import", str(source), "--report", str(existing), *emu.args())[0]
    finally:
        os.umask(old_umask)

    assert code == 1
    assert _mode(fresh) == 0o600
    assert _mode(existing) == 0o600
    assert "secret-2" in fresh.read_text()  # re-importable: the password is kept
    assert "old content" not in existing.read_text()
    assert "mode 0600" in out
    assert "secret" not in out


def test_bulk_help_says_the_report_is_owner_only_and_concurrency_adapts(capsys) -> None:
    with pytest.raises(SystemExit):
        _cli.main(["users", "import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "created with mode 0600 (owner only)" in text
    assert "default: as many as the rate limit and the measured latency call for" in text


def test_concurrency_defaults_to_adaptive_and_takes_a_positive_cap(capsys) -> None:
    parser = _cli.build_parser()
    assert parser.parse_args(["users", "delete", "f.csv"]).concurrency is None
    assert parser.parse_args(["users", "delete", "f.csv", "--concurrency", "3"]).concurrency == 3
    for bad in ("0", "-2", "many"):
        with pytest.raises(SystemExit):
            parser.parse_args(["users", "delete", "f.csv", "--concurrency", bad])
        assert "expected a whole number of 1 or more" in capsys.readouterr().err


def test_bulk_commands_keep_up_with_the_limit_over_a_slow_network(emu, tmp_path: Path) -> None:
    # 200 deletions (100 calls/s documented), every answer 150 ms late: about 2.2 s when
    # the calls in flight follow the latency; the old fixed 8 needed 3.8 s.
    names = [f"d{i:03d}" for i in range(200)]

    async def setup() -> None:
        for name in names:
            emu.server.state.add_user(name)
        emu.server.add_fault(status=None, delay=0.15, times=None)

    emu.call(setup)
    source = tmp_path / "gone.csv"
    source.write_text("username\n" + "\n".join(names) + "\n")

    started = time.perf_counter()
    code, out = run("users", "delete", str(source), *emu.args())
    elapsed = time.perf_counter() - started

    assert code == 0, out
    assert usernames(emu) == []
    assert elapsed < 3.0, elapsed
